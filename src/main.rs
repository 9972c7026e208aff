//! The `gongwen` command.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod cmd;

/// gongwen: Markdown + YAML → a GB/T 9704-2012 部门整体绩效自评报告 (.docx).
#[derive(Debug, Parser)]
// Our own `help` subcommand, so that `gongwen help --help` is help too and not an error.
#[command(name = "gongwen", version, disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start a report: a directory with report.yaml, data.yaml, the indicators and five parts.
    New(cmd::new::Args),
    /// Build the .docx from a report directory.
    Build(cmd::build::Args),
    /// Rebuild on every save, print the check's diagnostics; --pdf keeps a PDF preview fresh.
    Watch(cmd::watch::Args),
    /// Check the report for what goes wrong by hand (numbers, wording, typography, structure).
    Check(cmd::check::Args),
    /// Show what changed between two versions: the text word by word, and the indicators.
    Diff(cmd::diff::Args),
    /// Write the new version with the changes from the old as Word tracked changes.
    Redline(cmd::redline::Args),
    /// Start a report directory from a Word report (.docx): headings, levels, report.yaml.
    Import(cmd::import::Args),
    /// Print the text of a .docx, one paragraph a line (git diff textconv).
    Textconv(cmd::textconv::Args),
    /// Print the report as Markdown with every placeholder filled.
    Markdown(cmd::markdown::Args),
    /// Print the computed indicators (name, formula, inputs, value, target, verdict).
    Indicators(cmd::indicators::Args),
    /// List the built-in styles; --dump writes one out to start a local variant.
    Style(cmd::style::Args),
    /// Write large synthetic reports (for benchmarks and layout tests).
    Generate(cmd::generate::Args),
    /// Print this message or the help of the given subcommand.
    Help {
        /// The subcommand, e.g. build.
        command: Option<String>,
    },
}

fn help(command: Option<&str>) -> ExitCode {
    let mut cli = Cli::command();
    cli.build();
    let shown = match command {
        None => cli.print_help(),
        Some(name) => match cli.find_subcommand_mut(name) {
            Some(subcommand) => subcommand.print_help(),
            None => {
                cmd::print_error(&gongwen::error::Error::Usage(format!(
                    "没有子命令“{name}”。运行 gongwen --help 查看全部子命令。"
                )));
                return ExitCode::FAILURE;
            }
        },
    };
    if shown.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return cmd::usage_error(&err),
    };
    let result = match &cli.command {
        Command::Check(args) => return cmd::check::run(args),
        Command::Build(args) => return cmd::build::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Indicators(args) => cmd::indicators::run(args),
        Command::Markdown(args) => cmd::markdown::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Redline(args) => cmd::redline::run(args),
        Command::Textconv(args) => cmd::textconv::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::Generate(args) => cmd::generate::run(args),
        Command::Style(args) => cmd::style::run(args),
        Command::Watch(args) => cmd::watch::run(args),
        Command::Help { command } => return help(command.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            cmd::print_error(&err);
            ExitCode::FAILURE
        }
    }
}

//! The `gongwen` command.

use std::process::ExitCode;

use clap::{Arg, Command};

mod cmd;

/// The command line: gongwen and its subcommands.
fn cli() -> Command {
    let command = Command::new("gongwen")
        // Not argv[0]'s name: usage lines say `gongwen build`, not `gongwen.exe build`.
        .bin_name("gongwen")
        .version(env!("CARGO_PKG_VERSION"))
        .about("gongwen：把 Markdown + YAML 写成的部门整体绩效自评报告生成为 GB/T 9704-2012 版式的 .docx")
        // Our own `help` subcommand, so that `gongwen help --help` is help too and not an error.
        .disable_help_subcommand(true)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommands([
            cmd::new::command(),
            cmd::build::command(),
            cmd::watch::command(),
            cmd::serve::command(),
            cmd::check::command(),
            cmd::diff::command(),
            cmd::redline::command(),
            cmd::import::command(),
            cmd::textconv::command(),
            cmd::absorb::command(),
            cmd::markdown::command(),
            cmd::indicators::command(),
            cmd::style::command(),
            cmd::fonts::command(),
            cmd::generate::command(),
            cmd::lsp::command(),
            Command::new("help")
                .about("显示本说明，或某个子命令的说明")
                .arg(Arg::new("COMMAND").help("子命令，例如 build")),
        ]);
    cmd::in_chinese(command)
}

fn help(command: Option<&str>) -> ExitCode {
    let mut cli = cli();
    cli.build();
    let shown = match command {
        None => cli.print_help(),
        Some(name) => match cli.find_subcommand_mut(name) {
            Some(subcommand) => subcommand.print_help(),
            None => {
                cmd::print_error(&gongwen::diag::Error::Usage(format!(
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
    let matches = match cli().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => return cmd::usage_error(&err),
    };
    // clap requires a subcommand; without one, the help.
    let (name, args) = matches.subcommand().unwrap_or(("help", &matches));
    let result = match name {
        "check" => return cmd::check::run(&cmd::check::Args::from(args)),
        "build" => return cmd::build::run(&cmd::build::Args::from(args)),
        "new" => cmd::new::run(&cmd::new::Args::from(args)),
        "indicators" => cmd::indicators::run(&cmd::indicators::Args::from(args)),
        "markdown" => cmd::markdown::run(&cmd::markdown::Args::from(args)),
        "diff" => cmd::diff::run(&cmd::diff::Args::from(args)),
        "redline" => cmd::redline::run(&cmd::redline::Args::from(args)),
        "textconv" => cmd::textconv::run(&cmd::textconv::Args::from(args)),
        "absorb" => cmd::absorb::run(&cmd::absorb::Args::from(args)),
        "import" => cmd::import::run(&cmd::import::Args::from(args)),
        "generate" => cmd::generate::run(&cmd::generate::Args::from(args)),
        "style" => cmd::style::run(&cmd::style::Args::from(args)),
        "fonts" => cmd::fonts::run(&cmd::fonts::Args::from(args)),
        "watch" => cmd::watch::run(&cmd::watch::Args::from(args)),
        "lsp" => return cmd::lsp::run(&cmd::lsp::Args::from(args)),
        "serve" => cmd::serve::run(&cmd::serve::Args::from(args)),
        _ => return help(cmd::one::<String>(args, "COMMAND").as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            cmd::print_error(&err);
            ExitCode::FAILURE
        }
    }
}

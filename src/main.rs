//! The `gongwen` command.
//!
//! `main` is the C entry point rather than Rust's: std's start-up finds the main thread's
//! stack by reading /proc/self/maps, installs a stack-overflow handler and ignores SIGPIPE,
//! about 0.15 ms of a 3 ms build, paid on every run. gongwen does not recurse on its input
//! without a bound (formulas and placeholders have length limits, YAML a depth limit, .docx
//! containers are walked from a stack), and with SIGPIPE left as it is, `gongwen textconv …
//! | head` ends quietly instead of panicking on the closed pipe.
#![no_main]

use std::ffi::{c_char, c_int};
use std::os::unix::ffi::OsStrExt;
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

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    // The C library hands the arguments to `main`; std only sees them where glibc also passes
    // them to its initializers, and not with musl. A panic ends with Rust's usual message and
    // status 101; `exit` flushes stdout, as returning from Rust's main would.
    let args = (0..usize::try_from(argc).unwrap_or(0)).map(|i| {
        // SAFETY: the C runtime passes argc valid, NUL-terminated strings in argv.
        let arg = unsafe { std::ffi::CStr::from_ptr(*argv.add(i)) };
        std::ffi::OsStr::from_bytes(arg.to_bytes()).to_os_string()
    });
    let code = match std::panic::catch_unwind(|| run(args)) {
        Ok(code) if code == ExitCode::SUCCESS => 0,
        Ok(_) => 1,
        Err(_) => 101,
    };
    std::process::exit(code)
}

fn help(command: Option<&str>) -> ExitCode {
    let mut cli = Cli::command();
    cli.build();
    let shown = match command {
        None => cli.print_help(),
        Some(name) => match cli.find_subcommand_mut(name) {
            Some(subcommand) => subcommand.print_help(),
            None => {
                eprintln!("错误：没有子命令“{name}”。运行 gongwen --help 查看全部子命令。");
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

fn run(args: impl Iterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = Cli::parse_from(args);
    let result = match &cli.command {
        Command::Check(args) => return cmd::check::run(args),
        Command::Build(args) => return cmd::build::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Indicators(args) => cmd::indicators::run(args),
        Command::Markdown(args) => cmd::markdown::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Redline(args) => cmd::redline::run(args),
        Command::Textconv(args) => cmd::textconv::run(args),
        Command::Generate(args) => cmd::generate::run(args),
        Command::Style(args) => cmd::style::run(args),
        Command::Watch(args) => cmd::watch::run(args),
        Command::Help { command } => return help(command.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误：{err}");
            ExitCode::FAILURE
        }
    }
}

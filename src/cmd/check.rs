//! `gongwen check`: diagnostics in the style of rustc, before the bureau sees the report.

use std::path::PathBuf;
use std::process::ExitCode;

use gongwen::check::{self, Severity};
use gongwen::report::{self, Options};
use gongwen::source;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report directory.
    #[arg(default_value = "content")]
    pub report_dir: PathBuf,
    /// Fail on warnings too.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// List the rules and exit.
    #[arg(long)]
    pub list: bool,
}

pub fn run(args: &Args) -> ExitCode {
    if args.list {
        for rule in check::rules() {
            super::print(format_args!(
                "{} {:7} {}\n",
                rule.id,
                rule.severity.name(),
                rule.description
            ));
        }
        return ExitCode::SUCCESS;
    }
    let built = report::build(&args.report_dir, &Options::default());
    let wording_path = args.report_dir.join(check::WORDING_FILE);
    // Present in any form, it is read (a FIFO or a directory there is an error, as for data).
    let wording = std::fs::symlink_metadata(&wording_path)
        .is_ok()
        .then(|| source::read_text(&wording_path));
    let mut summary = None;
    let (diagnostics, lines) = match (built, wording.transpose()) {
        (Ok(built), Ok(wording)) => {
            summary = check::unfilled_summary(&built);
            match check::check(&built, wording.as_ref()) {
                Ok(diagnostics) => (diagnostics, check::source_lines_of(&built)),
                Err(error) => (vec![check::from_error(&error)], Vec::new()),
            }
        }
        (Err(error), _) | (_, Err(error)) => (vec![check::from_error(&error)], Vec::new()),
    };
    match args.format {
        Format::Human => {
            super::print(check::render_human(&diagnostics, &lines));
            if let Some(summary) = summary {
                super::print(format_args!("{summary}\n"));
            }
        }
        Format::Json => super::print(format_args!("{}\n", check::render_json(&diagnostics))),
    }
    let errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let denied = args.deny == Some(Deny::Warnings) && !diagnostics.is_empty();
    if errors || denied {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

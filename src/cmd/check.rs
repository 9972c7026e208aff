//! `gongwen check`: diagnostics in the style of rustc, before the bureau sees the report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgMatches, Command};

use gongwen::check::{self, Diagnostic, Severity, SourceLine};
use gongwen::diag::Error;
use gongwen::document::report::{self, Built, Options};
use gongwen::input::source;

use super::{flag, is_set, one, report_dir, value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deny {
    Warnings,
}

#[derive(Debug)]
pub struct Args {
    pub report_dir: PathBuf,
    pub deny: Option<Deny>,
    pub format: Format,
    pub list: bool,
}

pub fn command() -> Command {
    Command::new("check")
        .about("检查手工容易出错的地方（数字、用语、排版、结构）")
        .arg(report_dir())
        .arg(
            value("DENY", "有警告也算不通过")
                .long("deny")
                .value_parser(["warnings"]),
        )
        .arg(
            value("FORMAT", "输出格式：human 给人看，json 给工具读")
                .long("format")
                .value_parser(["human", "json"])
                .default_value("human"),
        )
        .arg(flag("list", "列出全部检查规则"))
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        let format = one::<String>(matches, "FORMAT");
        Args {
            report_dir: one(matches, "REPORT_DIR").unwrap_or_default(),
            deny: one::<String>(matches, "DENY").map(|_| Deny::Warnings),
            format: if format.as_deref() == Some("json") {
                Format::Json
            } else {
                Format::Human
            },
            list: is_set(matches, "list"),
        }
    }
}

/// What the check found in one build of a report.
pub struct Diagnosis {
    pub diagnostics: Vec<Diagnostic>,
    lines: Vec<SourceLine>,
    /// The one line about figures not filled in yet.
    summary: Option<String>,
}

impl Diagnosis {
    /// As `gongwen check` and `watch` print it: with the count of errors and warnings.
    pub fn human(&self) -> String {
        self.printed(check::render_human(&self.diagnostics, &self.lines))
    }

    /// As `gongwen build` prints it: only what there is to say, no count.
    pub fn findings(&self) -> String {
        self.printed(check::render_listing(&self.diagnostics, &self.lines))
    }

    /// The diagnostics as printed, then the line about the figures not filled in.
    fn printed(&self, mut out: String) -> String {
        if let Some(summary) = &self.summary {
            out.push_str(summary);
            out.push('\n');
        }
        out
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// A build that failed: its error.
    pub fn failed(error: &Error) -> Diagnosis {
        Diagnosis {
            diagnostics: vec![error.diagnostic()],
            lines: Vec::new(),
            summary: None,
        }
    }

    /// What the build itself warned of, without the check (`gongwen build --no-check`).
    pub fn build_warnings(built: &Built) -> Diagnosis {
        Diagnosis {
            diagnostics: built.warnings.clone(),
            lines: check::source_lines_of(built),
            summary: None,
        }
    }
}

/// Runs the rules on a build of `dir`; a build that failed is one error diagnostic.
pub fn diagnose(dir: &Path, built: Result<&Built, &Error>) -> Diagnosis {
    let wording_path = dir.join(check::WORDING_FILE);
    // Present in any form, it is read (a FIFO or a directory there is an error, as for data).
    let wording = std::fs::symlink_metadata(&wording_path)
        .is_ok()
        .then(|| source::read_text(&wording_path))
        .transpose();
    match (built, wording) {
        (Ok(built), Ok(wording)) => match check::check(built, wording.as_ref()) {
            Ok(diagnostics) => Diagnosis {
                diagnostics,
                lines: check::source_lines_of(built),
                summary: check::unfilled_summary(built),
            },
            Err(error) => Diagnosis::failed(&error),
        },
        (Err(error), _) => Diagnosis::failed(error),
        (_, Err(error)) => Diagnosis::failed(&error),
    }
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
    let diagnosis = diagnose(&args.report_dir, built.as_ref());
    match args.format {
        Format::Human => super::print(diagnosis.human()),
        Format::Json => super::print(format_args!(
            "{}\n",
            check::render_json(&diagnosis.diagnostics)
        )),
    }
    let denied = args.deny == Some(Deny::Warnings) && !diagnosis.diagnostics.is_empty();
    if diagnosis.has_errors() || denied {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

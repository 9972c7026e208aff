//! `gongwen diff [OLD] [NEW]`: what the document says, changed word by word, and the
//! indicators whose values or verdicts changed. Each side is a report directory or a git
//! revision; by default HEAD against the working tree.

use std::path::PathBuf;

use clap::{ArgMatches, Command};

use gongwen::diag::Result;
use gongwen::review::{self, diff};

use super::{new_version, old_version, one, report};

#[derive(Debug)]
pub struct Args {
    pub old: String,
    pub new: Option<String>,
    pub report: PathBuf,
}

pub fn command() -> Command {
    Command::new("diff")
        .about("比较两个版本：正文逐词对比，以及指标的变化")
        .arg(old_version().default_value("HEAD"))
        .arg(new_version())
        .arg(report())
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            old: one(matches, "OLD").unwrap_or_default(),
            new: one(matches, "NEW"),
            report: one(matches, "REPORT").unwrap_or_default(),
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let (old, new) = review::load_pair(&args.old, args.new.as_deref(), &args.report)?;
    let text = diff::text_diff(
        &old.built.document,
        &new.built.document,
        &old.label,
        &new.label,
    );
    let indicators = diff::indicator_changes(&old.built.indicators, &new.built.indicators);
    if text.is_empty() && indicators.is_empty() {
        super::print(format_args!(
            "{} 与 {} 的正文和指标相同。\n",
            old.label, new.label
        ));
        return Ok(());
    }
    super::print(text);
    if !indicators.is_empty() {
        super::print(format_args!("\n指标变化：\n{indicators}\n"));
    }
    Ok(())
}

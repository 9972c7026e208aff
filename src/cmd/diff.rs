//! `gongwen diff [OLD] [NEW]`: what the document says, changed word by word, and the
//! indicators whose values or verdicts changed. Each side is a report directory or a git
//! revision; by default HEAD against the working tree.

use std::path::PathBuf;

use clap::{ArgMatches, Command};

use gongwen::diag::Result;
use gongwen::document::worksheet;
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
        .about("比较两个版本：正文逐词对比，以及指标和数字（计算底稿）的变化")
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
    let figures =
        diff::figure_changes(&worksheet::build(&old.built), &worksheet::build(&new.built));
    if text.is_empty() && indicators.is_empty() && figures.is_empty() {
        super::print(format_args!(
            "{} 与 {} 的正文和指标相同。\n",
            old.label, new.label
        ));
        return Ok(());
    }
    super::print(text);
    let tables = [("指标变化", indicators), ("数字变化（计算底稿）", figures)];
    let mut shown = false;
    for (title, table) in tables.iter().filter(|(_, table)| !table.is_empty()) {
        super::print(format_args!("\n{title}：\n{table}"));
        shown = true;
    }
    if shown {
        super::print("\n");
    }
    Ok(())
}

//! `gongwen diff [OLD] [NEW]`: what the document says, changed word by word, and the
//! indicators whose values or verdicts changed. Each side is a report directory or a git
//! revision; by default HEAD against the working tree.

use std::path::PathBuf;

use gongwen::error::Result;
use gongwen::review::{self, diff};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old version: a git revision or a report directory.
    #[arg(default_value = "HEAD")]
    pub old: String,
    /// The new version (default: the report directory as it is now).
    pub new: Option<String>,
    /// The report directory inside the repository, for revisions.
    #[arg(long, default_value = "content")]
    pub report: PathBuf,
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

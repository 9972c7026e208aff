//! `gongwen redline OLD NEW -o 修订稿.docx`: NEW in the GB/T layout with the changes from OLD
//! as Word tracked changes (修订), for reviewers who work in Word.

use std::path::PathBuf;

use gongwen::error::{Location, Result};
use gongwen::meta;
use gongwen::output;
use gongwen::render::Renderer;
use gongwen::render::docx::{DocxRenderer, Reviser};
use gongwen::review::{self, redline};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old version: a git revision or a report directory.
    pub old: String,
    /// The new version (default: the report directory as it is now).
    pub new: Option<String>,
    #[arg(short, long, default_value = "build/修订稿.docx")]
    pub output: PathBuf,
    /// The report directory inside the repository, for revisions.
    #[arg(long, default_value = "content")]
    pub report: PathBuf,
    /// Author of the tracked changes.
    #[arg(long, default_value = "gongwen")]
    pub author: String,
    /// Date of the tracked changes (YYYY-MM-DD; default: the new version's 日期).
    #[arg(long)]
    pub date: Option<String>,
}

pub fn run(args: &Args) -> Result<()> {
    let date = args
        .date
        .as_deref()
        .map(|date| meta::check_date(date, Location::new("", 0, 0)))
        .transpose()
        .map_err(|d| d.on_command_line("--date"))?;
    let (old, new) = review::load_pair(&args.old, args.new.as_deref(), &args.report)?;
    let document = redline::redline(&old.built.document, &new.built.document);
    let date = date
        .or_else(|| new.built.document.date.clone())
        .unwrap_or_default();
    let reviser = Reviser {
        author: args.author.clone(),
        date: format!("{date}T00:00:00Z"),
    };
    let bytes = DocxRenderer {
        style: &new.built.style,
        reviser: Some(reviser),
    }
    .render(&document)?;
    output::write_atomically(&args.output, &bytes)?;
    super::print(format_args!(
        "已生成 {}（{} 对比 {}）\n",
        args.output.display(),
        new.label,
        old.label
    ));
    Ok(())
}

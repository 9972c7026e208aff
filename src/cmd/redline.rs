//! `gongwen redline OLD NEW -o 修订稿.docx`: NEW in the GB/T layout with the changes from OLD
//! as Word tracked changes (修订), for reviewers who work in Word.

use std::path::PathBuf;

use clap::{ArgMatches, Command};

use gongwen::diag::{Location, Result};
use gongwen::input::meta;
use gongwen::output;
use gongwen::render;
use gongwen::render::docx::Reviser;
use gongwen::review::{self, redline};

use super::{new_version, old_version, one, output, report, value};

#[derive(Debug)]
pub struct Args {
    pub old: String,
    pub new: Option<String>,
    pub output: PathBuf,
    pub report: PathBuf,
    pub author: String,
    pub date: Option<String>,
}

pub fn command() -> Command {
    Command::new("redline")
        .about("生成新版本，相对旧版本的改动写成 Word 修订")
        .arg(old_version().required(true))
        .arg(new_version())
        .arg(output("带修订的 .docx 写到哪里").default_value("build/修订稿.docx"))
        .arg(report())
        .arg(
            value("AUTHOR", "修订的作者")
                .long("author")
                .default_value("gongwen"),
        )
        .arg(value("DATE", "修订的日期（YYYY-MM-DD；默认：新版本的 日期）").long("date"))
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            old: one(matches, "OLD").unwrap_or_default(),
            new: one(matches, "NEW"),
            output: one(matches, "OUTPUT").unwrap_or_default(),
            report: one(matches, "REPORT").unwrap_or_default(),
            author: one(matches, "AUTHOR").unwrap_or_default(),
            date: one(matches, "DATE"),
        }
    }
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
    let file = render::revised(&new.built, &document, reviser, &args.output)?;
    let mut inputs = output::Inputs::of(&old.built);
    inputs.add(&new.built);
    output::write_outputs(&[file], None, &inputs)?;
    super::print(format_args!(
        "已生成 {}（{} 对比 {}）\n",
        args.output.display(),
        new.label,
        old.label
    ));
    Ok(())
}

//! `gongwen markdown`: the report as one Markdown text with every placeholder filled, for
//! tools that read Markdown (and for the pandoc comparison in `make bench`).

use std::path::PathBuf;

use clap::{ArgMatches, Command};

use gongwen::diag::Result;
use gongwen::document::report::{self, Options};

use super::{one, report_dir};

#[derive(Debug)]
pub struct Args {
    pub report_dir: PathBuf,
}

pub fn command() -> Command {
    Command::new("markdown")
        .about("输出填好全部占位符的 Markdown")
        .arg(report_dir())
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            report_dir: one(matches, "REPORT_DIR").unwrap_or_default(),
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let built = report::build(&args.report_dir, &Options::default())?;
    for body in &built.filled {
        super::print(format_args!("{}\n", body.trim()));
        super::print("\n");
    }
    Ok(())
}

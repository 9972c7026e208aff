//! `gongwen textconv FILE.docx`: the text of a .docx, for `git diff` (diff.docx.textconv).

use std::path::PathBuf;

use clap::{ArgMatches, Command};

use gongwen::diag::Result;
use gongwen::import::docx_text::docx_text;
use gongwen::input::source;

use super::{one, path};

#[derive(Debug)]
pub struct Args {
    pub file: PathBuf,
}

pub fn command() -> Command {
    Command::new("textconv")
        .about("输出 .docx 的文字，一段一行（供 git diff 的 textconv 用）")
        .arg(
            path(
                "FILE",
                "要输出的 .docx（本工具、Word 或 LibreOffice 写的都可以）",
            )
            .required(true),
        )
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            file: one(matches, "FILE").unwrap_or_default(),
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let bytes = source::read_bytes(&args.file, source::MAX_DOCX_BYTES)?;
    let text = docx_text(&bytes, &args.file)?;
    super::print(text);
    Ok(())
}

//! `gongwen textconv FILE.docx`: the text of a .docx, for `git diff` (diff.docx.textconv).

use std::path::PathBuf;

use gongwen::docx_text::docx_text;
use gongwen::error::{Error, Location, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    pub file: PathBuf,
}

pub fn run(args: &Args) -> Result<()> {
    let bytes = std::fs::read(&args.file).map_err(|e| Error::read(&args.file, e))?;
    let text = docx_text(&bytes)
        .map_err(|message| Error::invalid(Location::new(&args.file, 1, 1), message))?;
    super::print(text);
    Ok(())
}

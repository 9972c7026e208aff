//! `gongwen textconv FILE.docx`: the text of a .docx, for `git diff` (diff.docx.textconv).

use std::path::PathBuf;

use gongwen::diagnostic::code;
use gongwen::docx_text::docx_text;
use gongwen::error::{Error, Location, Result};
use gongwen::source;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The .docx to print (ours, Word's or LibreOffice's).
    pub file: PathBuf,
}

pub fn run(args: &Args) -> Result<()> {
    let bytes = source::read_bytes(&args.file, source::MAX_DOCX_BYTES)?;
    let text = docx_text(&bytes)
        .map_err(|message| Error::invalid(code::READ, Location::new(&args.file, 1, 1), message))?;
    super::print(text);
    Ok(())
}

//! `gongwen textconv FILE.docx`: the text of a .docx, for `git diff` (diff.docx.textconv).

use std::path::PathBuf;

use gongwen::docx_text::docx_text;
use gongwen::error::Result;
use gongwen::source;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The .docx to print (ours, Word's or LibreOffice's).
    pub file: PathBuf,
}

pub fn run(args: &Args) -> Result<()> {
    let bytes = source::read_bytes(&args.file, source::MAX_DOCX_BYTES)?;
    let text = docx_text(&bytes, &args.file)?;
    super::print(text);
    Ok(())
}

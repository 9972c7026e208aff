//! `gongwen markdown`: the report as one Markdown text with every placeholder filled, for
//! tools that read Markdown (and for the pandoc comparison in `make bench`).

use std::path::PathBuf;

use gongwen::error::Result;
use gongwen::report::{self, Options};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report directory.
    #[arg(default_value = "content")]
    pub report_dir: PathBuf,
}

pub fn run(args: &Args) -> Result<()> {
    let built = report::build(&args.report_dir, &Options::default())?;
    for body in &built.filled {
        super::print(format_args!("{}\n", body.trim()));
        super::print("\n");
    }
    Ok(())
}

//! `gongwen generate`: large synthetic reports for benchmarks and layout tests.

use std::path::PathBuf;

use gongwen::error::Result;
use gongwen::synthetic;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the report (or, with --units, the reports).
    pub out: PathBuf,
    /// The report to multiply.
    #[arg(long, default_value = "content")]
    pub from: PathBuf,
    /// How many times the sample's sections repeat in one report.
    #[arg(long, default_value_t = 1)]
    pub copies: usize,
    /// Write this many separate unit reports, OUT/unit-0001 …
    #[arg(long)]
    pub units: Option<usize>,
}

pub fn run(args: &Args) -> Result<()> {
    match args.units {
        None => synthetic::write(&args.from, &args.out, args.copies, None)?,
        Some(units) => {
            for n in 1..=units {
                let dir = args.out.join(format!("unit-{n:04}"));
                synthetic::write(&args.from, &dir, args.copies, Some(&format!("测试单位{n}")))?;
            }
        }
    }
    super::print(format_args!("已生成 {}\n", args.out.display()));
    Ok(())
}

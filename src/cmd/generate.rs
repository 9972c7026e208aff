//! `gongwen generate`: large synthetic reports for benchmarks and layout tests.

use std::path::PathBuf;

use clap::{ArgMatches, Command, value_parser};

use gongwen::diag::Result;
use gongwen::scaffold::synthetic;

use super::{one, path, value};

#[derive(Debug)]
pub struct Args {
    pub out: PathBuf,
    pub from: PathBuf,
    pub copies: usize,
    pub units: Option<usize>,
}

pub fn command() -> Command {
    Command::new("generate")
        .about("生成大型合成报告（供性能测试和版式测试用）")
        .arg(path("OUT", "报告写到哪里（用 --units 时是几个报告所在的目录）").required(true))
        .arg(
            path("FROM", "作为样本复制的报告")
                .long("from")
                .default_value("content"),
        )
        .arg(
            value("COPIES", "样本的各部分在一个报告里重复几遍")
                .long("copies")
                .value_parser(value_parser!(usize))
                .default_value("1"),
        )
        .arg(
            value("UNITS", "生成这么多个各自独立的单位报告：OUT/unit-0001 …")
                .long("units")
                .value_parser(value_parser!(usize)),
        )
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            out: one(matches, "OUT").unwrap_or_default(),
            from: one(matches, "FROM").unwrap_or_default(),
            copies: one(matches, "COPIES").unwrap_or(1),
            units: one(matches, "UNITS"),
        }
    }
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

//! `gongwen style`: the built-in styles, and `--dump` to start a local variant from one.

use std::path::PathBuf;

use clap::{ArgMatches, Command};

use gongwen::diag::{Error, Result};
use gongwen::input::style::{self, BUILTIN};
use gongwen::output;

use super::{flag, is_set, one, output, value};

#[derive(Debug)]
pub struct Args {
    pub name: String,
    pub dump: bool,
    pub output: Option<PathBuf>,
}

pub fn command() -> Command {
    Command::new("style")
        .about("列出内置样式；--dump 把一个样式写出来，作为本单位样式的起点")
        .arg(value("NAME", "内置样式名").default_value(style::DEFAULT.name))
        .arg(flag(
            "dump",
            "输出样式的 YAML（或用 -o 写入文件），改好后在 report.yaml 写 样式: 本单位.yaml",
        ))
        .arg(
            output(
                "与 --dump 同用：写入这个文件，而不是终端（Windows 命令行的重定向会存成 \
                 UTF-16，YAML 读不了）",
            )
            .requires("dump"),
        )
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            name: one(matches, "NAME").unwrap_or_default(),
            dump: is_set(matches, "dump"),
            output: one(matches, "OUTPUT"),
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let Some(builtin) = BUILTIN.iter().find(|b| b.name == args.name) else {
        return Err(Error::Usage(format!(
            "没有名为“{}”的内置样式。内置样式：{}",
            args.name,
            style::builtin_names()
        )));
    };
    match (&args.output, args.dump) {
        (Some(path), _) => {
            output::write_atomically(path, builtin.yaml.as_bytes())?;
            outln!("已生成 {}", path.display());
        }
        (None, true) => out!("{}", builtin.yaml),
        (None, false) => {
            for b in &BUILTIN {
                let name = b.yaml.lines().find_map(|l| l.strip_prefix("name: "));
                outln!("{}  {}", b.name, name.unwrap_or_default());
            }
            outln!(
                "用 gongwen style --dump -o 本单位.yaml 导出，修改后在 report.yaml 中写 样式: 本单位.yaml。"
            );
        }
    }
    Ok(())
}

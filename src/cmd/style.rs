//! `gongwen style`: the built-in styles, and `--dump` to start a local variant from one.

use std::path::PathBuf;

use clap::{ArgMatches, Command};

use gongwen::error::{Error, Result};
use gongwen::output;
use gongwen::style::{self, BUILTIN};

use super::{flag, is_set, one, output, value};

#[derive(Debug)]
pub struct Args {
    pub name: String,
    pub dump: bool,
    pub output: Option<PathBuf>,
}

pub fn command() -> Command {
    Command::new("style")
        .about("List the built-in styles; --dump writes one out to start a local variant")
        .arg(value("NAME", "The built-in style").default_value(style::DEFAULT.name))
        .arg(flag(
            "dump",
            "Print the style's YAML (or write it with -o), to copy and change: 样式: 本单位.yaml",
        ))
        .arg(
            output(
                "With --dump: write to this file instead of the terminal (a Windows console \
                 redirect would save it as UTF-16, which no YAML reader takes)",
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
            println!("已生成 {}", path.display());
        }
        (None, true) => print!("{}", builtin.yaml),
        (None, false) => {
            for b in &BUILTIN {
                let name = b.yaml.lines().find_map(|l| l.strip_prefix("name: "));
                println!("{}  {}", b.name, name.unwrap_or_default());
            }
            println!(
                "用 gongwen style --dump -o 本单位.yaml 导出，修改后在 report.yaml 中写 样式: 本单位.yaml。"
            );
        }
    }
    Ok(())
}

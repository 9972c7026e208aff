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
        .long_about(
            "列出内置样式；--dump 把一个样式写出来，作为本单位样式的起点。\n\n\
             三个内置样式版面相同，只是字体名不同：\n\
             \x20 gbt9704  电脑装有 仿宋_GB2312、楷体_GB2312、方正小标宋简体 时用（默认）\n\
             \x20 windows  电脑没有 _GB2312 字体时用：Windows 10/11 自带的仿宋、楷体、黑体，标题宋体加粗\n\
             \x20 fzgbk    单位要求方正 _GBK 字体时用\n\
             不确定时运行 gongwen fonts，看这台电脑缺哪些字体。在 report.yaml 写 样式: windows 即可换用。",
        )
        .arg(value("NAME", "内置样式名").default_value(style::DEFAULT.name))
        .arg(flag(
            "dump",
            "输出样式的 YAML（或用 -o 写入文件），改好后在 report.yaml 写 样式: 本单位.yaml",
        ))
        .arg(
            output(
                "与 --dump 同用：写入这个新文件（已有的文件不会被覆盖），而不是终端（Windows 命令行的重定向会存成 \
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
            output::write_new_file(path, builtin.yaml.as_bytes())?;
            outln!("已生成 {}", path.display());
        }
        (None, true) => out!("{}", builtin.yaml),
        (None, false) => {
            for b in &BUILTIN {
                let name = b.yaml.lines().find_map(|l| l.strip_prefix("name: "));
                outln!(
                    "{:<8} {}\n         {}",
                    b.name,
                    name.unwrap_or_default(),
                    b.when
                );
            }
            outln!(
                "在 report.yaml 中写 样式: windows 换用一个；gongwen fonts 查看这台电脑缺哪些字体。\n\
                 用 gongwen style --dump -o 本单位.yaml 导出，修改后在 report.yaml 中写 样式: 本单位.yaml。"
            );
        }
    }
    Ok(())
}

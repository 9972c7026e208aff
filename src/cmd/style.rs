//! `gongwen style`: the built-in styles, and `--dump` to start a local variant from one.

use std::path::PathBuf;

use clap::{ArgMatches, Command};

use gongwen::diag::{Error, Location, Result};
use gongwen::input::form;
use gongwen::input::style::{self, BUILTIN};
use gongwen::output;

use super::{flag, is_set, one, output, value};

#[derive(Debug)]
pub struct Args {
    pub name: String,
    pub dump: bool,
    pub forms: bool,
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
             不确定时运行 gongwen fonts，看这台电脑缺哪些字体。在 report.yaml 写 样式: windows 即可换用。\n\n\
             --forms 列出自评表的内置表样（列、表头各地不同）；gongwen style 重庆 --dump 写出一个表样的 YAML。",
        )
        .arg(value("NAME", "内置样式名，或内置表样名").default_value(style::DEFAULT.name))
        .arg(flag("forms", "列出自评表的内置表样"))
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
            forms: is_set(matches, "forms"),
            output: one(matches, "OUTPUT"),
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    if args.forms {
        return list_forms();
    }
    let yaml = match (
        BUILTIN.iter().find(|b| b.name == args.name),
        form::BUILTIN.iter().find(|b| b.name == args.name),
    ) {
        (Some(builtin), _) => builtin.yaml,
        (None, Some(builtin)) if args.dump => builtin.yaml,
        _ => {
            return Err(Error::Usage(format!(
                "没有名为“{}”的内置样式。内置样式：{}；与 --dump 同用时也可以写表样名：{}",
                args.name,
                style::builtin_names(),
                form::builtin_names()
            )));
        }
    };
    match (&args.output, args.dump) {
        (Some(path), _) => {
            output::write_new_file(path, yaml.as_bytes())?;
            outln!("已生成 {}", path.display());
        }
        (None, true) => out!("{yaml}"),
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

/// The built-in 自评表 forms: name, what they look like, where they come from.
fn list_forms() -> Result<()> {
    for builtin in &form::BUILTIN {
        let form = form::builtin(builtin.name, &Location::new("", 1, 1))?;
        outln!(
            "{:<4} {}\n     来源：{}",
            form.name,
            form.summary,
            form.source
        );
    }
    outln!(
        "在 indicators.yaml 的 自评表 下写 表样: 重庆 换用一个；gongwen style 重庆 --dump 写出它的列和表头，\n\
         要改动时写 表样: {{ 基于: 重庆, 列: [...] }}，只写要改的部分。"
    );
    Ok(())
}

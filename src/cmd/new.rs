//! `gongwen new DIR`: a report directory that builds at once. What the options leave out is
//! asked for when a writer is at the terminal.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use clap::{ArgMatches, Command, value_parser};

use gongwen::diag::{Error, Result};
use gongwen::input::style;
use gongwen::scaffold::starter::{self, Answers};

use super::{one, path, value};

#[derive(Debug)]
pub struct Args {
    pub dir: PathBuf,
    pub unit: Option<String>,
    pub year: Option<u16>,
    pub attachment: Option<String>,
    pub style: String,
}

pub fn command() -> Command {
    Command::new("new")
        .about("新建报告：一个含 report.yaml、data.yaml、指标和五个部分的目录")
        .arg(path("DIR", "新报告的目录（还不存在，或是空的）").required(true))
        .arg(value("UNIT", "报告单位（单位），例如 某市市场监督管理局").long("unit"))
        .arg(
            value("YEAR", "报告年度（年度），例如 2024")
                .long("year")
                .value_parser(value_parser!(u16)),
        )
        .arg(
            value(
                "ATTACHMENT",
                "第一行的附件标注（附件），例如 附件3；不写则没有",
            )
            .long("attachment"),
        )
        .arg(
            value(
                "STYLE",
                "内置样式（样式）：gbt9704 用 _GB2312 字体，windows 用 Windows 自带的仿宋、楷体、黑体，\
                 fzgbk 用方正 _GBK 字体；gongwen style 说明怎么选",
            )
            .long("style")
            .value_parser(style::BUILTIN.map(|b| b.name))
            .default_value(style::DEFAULT.name),
        )
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            dir: one(matches, "DIR").unwrap_or_default(),
            unit: one(matches, "UNIT"),
            year: one(matches, "YEAR"),
            attachment: one(matches, "ATTACHMENT"),
            style: one(matches, "STYLE").unwrap_or_default(),
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let interactive = std::io::stdin().is_terminal();
    let unit = match &args.unit {
        Some(unit) => unit.clone(),
        None if interactive => ask("单位名称（例如 某市市场监督管理局）：")?,
        None => return Err(missing("--unit 某市市场监督管理局")),
    };
    let year = match args.year {
        Some(year) => year,
        None if interactive => ask_year()?,
        None => return Err(missing("--year 2024")),
    };
    let attachment = match &args.attachment {
        Some(label) => Some(label.clone()),
        None if interactive => Some(ask("附件标注（例如 附件3；不是附件直接回车）：")?),
        None => None,
    }
    .filter(|label| !label.is_empty());
    if unit.is_empty() {
        return Err(Error::Usage("单位名称不能为空".into()));
    }
    let answers = Answers {
        unit,
        year,
        attachment,
        style: args.style.clone(),
    };
    for path in starter::write(&args.dir, &answers)? {
        outln!("已生成 {}", path.display());
    }
    let dir = args.dir.display();
    outln!(
        "下一步：在 {dir}/data.yaml 中填写数据，修改各 .md 文件的正文；gongwen watch {dir} --pdf 边写边看。"
    );
    Ok(())
}

fn missing(option: &str) -> Error {
    Error::Usage(format!(
        "不在终端中运行时无法询问，请在命令行给出：gongwen new 目录 {option}"
    ))
}

fn ask(prompt: &str) -> Result<String> {
    out!("{prompt}");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::Usage(format!("无法读取输入：{e}")))?;
    Ok(line.trim().to_string())
}

fn ask_year() -> Result<u16> {
    loop {
        let answer = ask("年度（例如 2024）：")?;
        match answer.parse::<u16>() {
            Ok(year) if (1949..=2999).contains(&year) => return Ok(year),
            _ if answer.is_empty() => return Err(Error::Usage("没有输入年度".into())),
            _ => outln!("“{answer}”不是年份，请输入四位数字，例如 2024。"),
        }
    }
}

//! `gongwen fonts [DIR|FILE.docx]`: the fonts a report or any .docx uses, per element, and
//! whether this computer has each.

use std::path::PathBuf;

use clap::{ArgMatches, Command};

use gongwen::diag::Result;
use gongwen::import::fonts::{self, FONTS_DIR_VARIABLE, Installed};
use gongwen::input::source;

use super::{one, path};

/// The largest .docx read: far beyond any report.
const MAX_DOCX_BYTES: u64 = 512 << 20;

#[derive(Debug)]
pub struct Args {
    pub target: PathBuf,
}

pub fn command() -> Command {
    Command::new("fonts")
        .about("列出报告（或任何 .docx）各处用的字体，以及这台电脑有没有")
        .long_about(format!(
            "列出报告（或任何 .docx）各处用的字体，以及这台电脑有没有，缺少时说怎么办。\n\n\
             Windows 查 %WINDIR%\\Fonts 和 %LOCALAPPDATA%\\Microsoft\\Windows\\Fonts 里字体文件的名称，\
             Linux（统信 UOS、麒麟）查 fontconfig（fc-list），都按字体名完全一致来认。\n\
             设置环境变量 {FONTS_DIR_VARIABLE}=某个文件夹 时只查这个文件夹里的字体文件，\
             例如装字体之前先看单位发的字体包全不全。"
        ))
        .arg(
            path("TARGET", "报告目录，或一个 .docx 文件")
                .default_value("content")
                .value_parser(clap::value_parser!(PathBuf)),
        )
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            target: one(matches, "TARGET").unwrap_or_default(),
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let target = &args.target;
    let is_docx = target
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let uses = if is_docx && !target.is_dir() {
        let bytes = source::read_bytes(target, MAX_DOCX_BYTES)?;
        outln!("{} 用到的字体：", target.display());
        fonts::of_docx(&bytes, target)?
    } else {
        let (name, style) = fonts::report_style(target)?;
        outln!("报告 {} 用到的字体（样式 {name}）：", target.display());
        fonts::of_style(&style)
    };
    let installed = Installed::here();
    for u in &uses {
        let state = match installed.has(&u.font) {
            Some(true) => "有",
            Some(false) => "缺少",
            None => "不知道",
        };
        outln!("  {}：{}（{state}）", u.element, u.font);
    }
    match &installed {
        Installed::Unknown(why) => outln!("{why}。"),
        Installed::Known { searched, .. } => {
            let missing = fonts::missing(&uses, &installed);
            if missing.is_empty() {
                outln!("这台电脑有全部这些字体（查的是 {searched}）。");
            } else {
                outln!(
                    "这台电脑缺少 {} 种字体（查的是 {searched}）：{}。",
                    missing.len(),
                    missing.join("、")
                );
                outln!("怎么办：{}。", fonts::advice(&missing, &installed));
            }
        }
    }
    Ok(())
}

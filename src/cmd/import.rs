//! `gongwen import FILE.docx [-o DIR]`: last year's Word report as a report directory, then
//! the check on it and a summary of what was read.

use std::path::{Path, PathBuf};

use clap::{ArgMatches, Command};

use gongwen::check;
use gongwen::diag::{Diagnostic, render_all};
use gongwen::diag::{Location, Result};
use gongwen::document::report;
use gongwen::import::{self, Imported, Options};
use gongwen::input::source;
use gongwen::input::style::Source;

use super::{flag, is_set, one, output, path, value};

#[derive(Debug)]
pub struct Args {
    pub file: PathBuf,
    pub output: Option<PathBuf>,
    pub style: String,
    pub figures: bool,
    pub indicators: Option<PathBuf>,
}

pub fn command() -> Command {
    Command::new("import")
        .about("从已有的 Word 报告（.docx）建立报告目录：标题、层级、report.yaml")
        .arg(path("FILE", "作为起点的 Word 报告（.docx）").required(true))
        .arg(output("要建立的报告目录（默认：文件名去掉 .docx）"))
        .arg(
            value("STYLE", "报告的版式：内置样式名，或一个样式文件")
                .long("style")
                .default_value(gongwen::input::style::DEFAULT.name),
        )
        .arg(flag(
            "figures",
            "把正文里的数（万元、元、人、个、%）移到 data.yaml，正文里换成占位符",
        ))
        .arg(
            path(
                "INDICATORS",
                "一套指标（indicators.yaml）：它算得出的数值换成指标的占位符",
            )
            .long("indicators"),
        )
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            file: one(matches, "FILE").unwrap_or_default(),
            output: one(matches, "OUTPUT"),
            style: one(matches, "STYLE").unwrap_or_default(),
            figures: is_set(matches, "figures"),
            indicators: one(matches, "INDICATORS"),
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let dir = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(args.file.file_stem().unwrap_or(args.file.as_os_str())));
    let style = match Source::named(&args.style, Path::new("."), Location::new("", 0, 0)) {
        Ok(Source::Builtin(builtin)) => builtin.name.to_string(),
        Ok(Source::File(path)) => import::relative_style(&path, &dir)
            .to_string_lossy()
            .into_owned(),
        Err(d) => return Err(d.on_command_line("--style").into()),
    };
    let indicators = args
        .indicators
        .as_deref()
        .map(source::read_text)
        .transpose()?;
    let options = Options {
        style,
        figures: args.figures,
        indicators,
    };
    let bytes = source::read_bytes(&args.file, source::MAX_DOCX_BYTES)?;
    let imported = import::import(&bytes, &args.file, &options)?;
    import::write(&imported, &dir)?;
    outln!("已导入 {} → {}", args.file.display(), dir.display());
    out!("{}", summary(&imported, &dir));
    Ok(())
}

fn summary(imported: &Imported, dir: &Path) -> String {
    let stats = &imported.stats;
    let mut out = format!(
        "  章节文件 {} 个；标题 一级 {}、二级 {}、三级 {}、四级 {}；表格 {} 个",
        stats.sections,
        stats.headings[0],
        stats.headings[1],
        stats.headings[2],
        stats.headings[3],
        stats.tables
    );
    if imported.data_yaml.is_some() {
        out.push_str(&format!(
            "；移入 data.yaml 的数字 {} 个，改为指标占位符 {} 处",
            stats.figures, stats.indicators
        ));
    }
    out.push('\n');
    out.push_str(&check_summary(dir));
    if !imported.undecided.is_empty() {
        out.push_str("未能确定、保留原文的内容（请逐条核对）：\n");
        for item in &imported.undecided {
            out.push_str(&format!("  {item}\n"));
        }
    }
    out
}

/// `gongwen check` on the new directory, counted by rule.
fn check_summary(dir: &Path) -> String {
    let diagnostics = match report::build(dir, &report::Options::default()) {
        Ok(built) => match check::check(&built, None) {
            Ok(diagnostics) => diagnostics,
            Err(error) => vec![error.diagnostic()],
        },
        Err(error) => vec![error.diagnostic()],
    };
    if diagnostics.is_empty() {
        return "  gongwen check：没有发现问题\n".to_string();
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for d in &diagnostics {
        let id = d.code.to_string();
        match counts.iter_mut().find(|(rule, _)| *rule == id) {
            Some((_, n)) => *n += 1,
            None => counts.push((id, 1)),
        }
    }
    counts.sort();
    let by_rule: Vec<String> = counts.iter().map(|(r, n)| format!("{r} ×{n}")).collect();
    let mut out = format!(
        "  gongwen check：{} 条（{}）。运行 gongwen check {} 查看每一条及修改建议\n",
        diagnostics.len(),
        by_rule.join("，"),
        dir.display()
    );
    let errors: Vec<Diagnostic> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
    out.push_str(&render_all(&errors));
    out
}

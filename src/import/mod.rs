//! `gongwen import`: last year's Word report becomes a report directory. The stages run one
//! way: docx_text::structure reads the paragraphs → [`outline`] infers headings, levels and
//! numbered paragraphs → [`figures`] (on request) moves amounts into data.yaml →
//! [`markdown`] writes the section files; this module adds report.yaml and writes the folder.

pub mod docx_text;
pub mod figures;
pub mod fonts;
pub mod markdown;
pub mod outline;

use std::path::{Path, PathBuf};

use crate::diag::Result;
use crate::document::model::{Block, Document};
use crate::import::docx_text::{structure, unreadable};
use crate::input::source::{DATA_FILE, INDICATORS_FILE, REPORT_FILE, SourceFile};

pub use markdown::SectionFile;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// 样式 as written into report.yaml (relative to it).
    pub style: String,
    /// Move amounts and indicator values out of the prose into data.yaml and placeholders.
    pub figures: bool,
    /// The indicator set whose values become `{{ 指标 }}` placeholders; copied into the report.
    pub indicators: Option<SourceFile>,
}

/// What import writes, before it is on disk.
#[derive(Debug, Clone)]
pub struct Imported {
    pub report_yaml: String,
    pub sections: Vec<SectionFile>,
    pub data_yaml: Option<String>,
    pub indicators_yaml: Option<String>,
    /// What import could not decide, for the writer: "file:line: what".
    pub undecided: Vec<String>,
    pub stats: Stats,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub sections: usize,
    /// Headings per level, 一、 to （1）.
    pub headings: [usize; 4],
    pub tables: usize,
    /// Amounts moved to data.yaml, and typed values replaced by indicator placeholders.
    pub figures: usize,
    pub indicators: usize,
}

pub fn import(bytes: &[u8], file: &Path, options: &Options) -> Result<Imported> {
    let blocks = structure::read(bytes, file)?;
    let mut document = outline::infer(&blocks, file);
    if document.blocks.is_empty() {
        return Err(unreadable(
            file,
            "没有读到正文：文档中除标题外没有段落或表格。".to_string(),
        ));
    }
    let mut undecided = Vec::new();
    let meta = guess_meta(&document, structure::saved_date(bytes), &mut undecided);
    let mut stats = stats(&document);
    let indicators_yaml = options.indicators.as_ref().map(|f| f.text.clone());
    let mut moved = None;
    if options.figures {
        let figures = figures::extract(&mut document, options.indicators.as_ref())?;
        stats.figures = figures.amounts;
        stats.indicators = figures.indicators;
        moved = Some(figures);
    }
    let sections = markdown::sections(&document.blocks);
    stats.sections = sections.len();
    let data_yaml = moved.as_ref().map(|m| m.data_yaml.clone());
    for (origin, message) in moved.map(|m| m.undecided).unwrap_or_default() {
        let place = sections.iter().find_map(|s| {
            let line = s.lines.iter().find(|(o, _)| *o == origin.line)?.1;
            Some(format!("{}:{line}", s.name))
        });
        undecided.push(format!(
            "{}: {message}",
            place.unwrap_or_else(|| origin.to_string())
        ));
    }
    Ok(Imported {
        report_yaml: report_yaml(&meta, &options.style, file),
        sections,
        data_yaml,
        indicators_yaml,
        undecided,
        stats,
    })
}

/// Writes the report into `dir`, which must not exist yet or be empty: import never writes
/// over a writer's files.
pub fn write(imported: &Imported, dir: &Path) -> Result<()> {
    let mut files: Vec<(String, &str)> = vec![(REPORT_FILE.to_string(), &imported.report_yaml)];
    if let Some(data) = &imported.data_yaml {
        files.push((DATA_FILE.to_string(), data));
    }
    if let Some(indicators) = &imported.indicators_yaml {
        files.push((INDICATORS_FILE.to_string(), indicators));
    }
    files.extend(
        imported
            .sections
            .iter()
            .map(|s| (s.name.clone(), s.text.as_str())),
    );
    crate::output::write_new_dir(dir, &files).map(drop)
}

/// What report.yaml says, guessed from the document.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub attachment: Option<String>,
    pub title: String,
    pub unit: Option<String>,
    pub year: Option<u16>,
    pub date: Option<String>,
}

/// 单位 and 年度 from the title: "2023年度XX办公室整体绩效自评结果" → 2023, XX办公室; the unit
/// named before the year, "XX局2023年度部门整体绩效自评报告" → XX局.
fn guess_meta(document: &Document, saved: Option<String>, undecided: &mut Vec<String>) -> Meta {
    let title = document.title.clone();
    let year_at = title.char_indices().find_map(|(i, _)| {
        let digits = title.get(i..i + 4)?;
        let year: u16 = digits.parse().ok()?;
        ((1990..2100).contains(&year) && title[i + 4..].starts_with('年')).then_some((i, year))
    });
    let year = year_at.map(|(_, year)| year);
    let before_year = year_at.and_then(|(i, _)| {
        let unit = title[..i].trim_start_matches("关于").trim();
        (!unit.is_empty()).then(|| unit.to_string())
    });
    let unit = before_year.or_else(|| {
        let (i, _) = year_at?;
        let rest = title[i + 4..]
            .trim_start_matches("年度")
            .trim_start_matches('年');
        let end = ["部门整体", "整体绩效", "绩效自评", "部门绩效", "自评"]
            .iter()
            .filter_map(|stop| rest.find(stop))
            .min()?;
        let unit = rest[..end].trim();
        (!unit.is_empty()).then(|| unit.to_string())
    });
    if title.is_empty() {
        undecided
            .push("report.yaml: 没有找到标题（第一行或“附件”之后的一行），请填写“标题”".into());
    }
    if unit.is_none() {
        undecided.push("report.yaml: 无法从标题看出单位，请填写“单位”".into());
    }
    if year.is_none() {
        undecided.push("report.yaml: 无法从标题看出年度，请填写“年度”".into());
    }
    Meta {
        attachment: document.attachment.clone(),
        title,
        unit,
        year,
        date: saved,
    }
}

fn report_yaml(meta: &Meta, style: &str, file: &Path) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut out = format!(
        "# 由 gongwen import 从 {name} 导入。请核对标题、单位、年度，并把日期改为本稿的日期。\n"
    );
    if let Some(attachment) = &meta.attachment {
        out.push_str(&format!("附件: {}\n", quote(attachment)));
    }
    let title = match (&meta.unit, meta.year) {
        (Some(unit), Some(year)) => meta
            .title
            .replacen(&year.to_string(), "{{ 年度 }}", 1)
            .replacen(unit.as_str(), "{{ 单位 }}", 1),
        _ => meta.title.clone(),
    };
    let title = if title.is_empty() {
        "请填写标题"
    } else {
        &title
    };
    out.push_str(&format!("标题: {}\n", quote(title)));
    out.push_str(&format!(
        "单位: {}\n",
        quote(meta.unit.as_deref().unwrap_or("请填写单位"))
    ));
    // A year is required to build; the writer confirms the one guessed.
    let year = meta
        .year
        .or_else(|| {
            meta.date
                .as_ref()
                .and_then(|d| d[..4].parse::<u16>().ok()?.checked_sub(1))
        })
        .unwrap_or(2000);
    out.push_str(&format!("年度: {year}\n"));
    out.push_str(&format!("样式: {}\n", quote(style)));
    match &meta.date {
        Some(date) => out.push_str(&format!(
            "日期: {date}   # 原文件的保存日期，请改为本稿的日期\n"
        )),
        None => out.push_str("# 日期: YYYY-MM-DD   # 请填写本稿的日期并去掉行首的 #\n"),
    }
    out
}

fn stats(document: &Document) -> Stats {
    let mut stats = Stats::default();
    for block in &document.blocks {
        match block {
            Block::Heading(h) => stats.headings[h.level.index()] += 1,
            Block::Table(_) => stats.tables += 1,
            Block::Paragraph(_) => {}
        }
    }
    stats
}

/// `样式` for a report in `dir` using the layout file `style`: relative when they share a
/// folder below the root, so the folder moves with the project; absolute otherwise.
pub fn relative_style(style: &Path, dir: &Path) -> PathBuf {
    let (Ok(style), Ok(dir)) = (std::fs::canonicalize(style), absolute(dir)) else {
        return style.to_path_buf();
    };
    let common = style
        .components()
        .zip(dir.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return style;
    }
    let mut relative = PathBuf::new();
    for _ in dir.components().skip(common) {
        relative.push("..");
    }
    for part in style.components().skip(common) {
        relative.push(part);
    }
    relative
}

/// `dir` made absolute without requiring it to exist (it is created later).
fn absolute(dir: &Path) -> std::io::Result<PathBuf> {
    let dir = std::path::absolute(dir)?;
    let existing = dir
        .ancestors()
        .find(|a| a.exists())
        .unwrap_or(Path::new("/"));
    let rest = dir.strip_prefix(existing).unwrap_or(Path::new(""));
    Ok(std::fs::canonicalize(existing)?.join(rest))
}

//! The pipeline from a report directory to a numbered document model, stage by stage:
//! sources → front matter → data → indicators → placeholders → Markdown → model → numbers.

use std::path::{Path, PathBuf};

use crate::data::{self, Data};
use crate::error::{Error, Location, Result, Warning};
use crate::indicators::{self, Indicators};
use crate::markdown::{self, Section};
use crate::meta::ReportMeta;
use crate::model::Document;
use crate::numbering;
use crate::source::{self, ReportSources};
use crate::style::Style;
use crate::template::Context;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use this layout instead of the one report.yaml names.
    pub style: Option<PathBuf>,
}

/// A report ready for any renderer, with what it was computed from.
#[derive(Debug, Clone)]
pub struct Built {
    pub meta: ReportMeta,
    pub data: Data,
    pub indicators: Indicators,
    pub sections: Vec<Section>,
    /// Each section's Markdown with the placeholders filled, in document order.
    pub filled: Vec<String>,
    pub document: Document,
    pub style: Style,
    pub style_path: PathBuf,
    pub warnings: Vec<Warning>,
}

pub fn build(dir: &Path, options: &Options) -> Result<Built> {
    from_sources(&source::load(dir)?, options)
}

/// The stages after reading: for sources already in memory (the fuzz targets).
pub fn from_sources(sources: &ReportSources, options: &Options) -> Result<Built> {
    let meta = ReportMeta::load(&sources.report)?;
    let style_path = match &options.style {
        Some(path) => path.clone(),
        None => sources
            .report
            .path
            .parent()
            .unwrap_or(&sources.dir)
            .join(&meta.style),
    };
    let style = Style::load(&style_path)?;
    let sections = ordered_sections(sources)?;
    let data = data::load(sources.data.as_ref())?;
    let indicators = indicators::evaluate(sources.indicators.as_ref(), &data)?;
    let context = Context::new(&meta, &data, &indicators);

    let mut warnings = sources.warnings.clone();
    let mut blocks = Vec::new();
    let mut filled = Vec::with_capacity(sections.len());
    for section in &sections {
        let body = context.render_markdown(&section.body, &section.path, section.body_line)?;
        let parsed =
            markdown::parse_blocks(&section.path, &body, section.body_line, &mut warnings)?;
        if parsed.is_empty() {
            warnings.push(Warning {
                location: Location::new(&section.path, 1, 1),
                message: "这个章节文件没有正文内容。".into(),
            });
        }
        blocks.extend(parsed);
        filled.push(body);
    }
    if blocks.is_empty() {
        return Err(Error::NoSections(sources.dir.clone()));
    }
    let title = context.render(&meta.title, &sources.report.path, 1)?;
    let mut document = Document {
        attachment: meta.attachment.clone(),
        title,
        blocks,
        date: Some(meta.date.clone().unwrap_or_else(|| {
            let date = format!("{}-01-01", u32::from(meta.year) + 1);
            warnings.push(Warning {
                location: Location::new(&sources.report.path, 1, 1),
                message: format!(
                    "report.yaml 没有写 日期，文件的日期取 {date}（年度的次年 1 月 1 日）。请写上这一稿的日期，例如 日期: {date}。"
                ),
            });
            date
        })),
    };
    numbering::number(&mut document)?;
    Ok(Built {
        meta,
        data,
        indicators,
        sections,
        filled,
        document,
        style,
        style_path,
        warnings,
    })
}

/// Splits every section's front matter and puts the sections in order: by `order`, then by
/// file name.
fn ordered_sections(sources: &ReportSources) -> Result<Vec<Section>> {
    let mut sections = sources
        .sections
        .iter()
        .map(markdown::split)
        .collect::<Result<Vec<_>>>()?;
    sections.sort_by(|a, b| {
        let key = |s: &Section| (s.front.order.is_none(), s.front.order, s.path.clone());
        key(a).cmp(&key(b))
    });
    Ok(sections)
}

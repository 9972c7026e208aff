//! The pipeline from a report directory to a numbered document model, stage by stage.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use crate::error::{Error, Location, Result, Warning};
use crate::markdown::{self, Section};
use crate::model::{Block, Document};
use crate::numbering;
use crate::source::{self, ReportSources};
use crate::style::Style;
use crate::yaml;

/// report.yaml: what the document is, as the finance bureau names it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReportMeta {
    /// "附件3": printed on the first line when the report is an attachment.
    #[serde(rename = "附件", default)]
    pub attachment: Option<String>,
    #[serde(rename = "标题")]
    pub title: String,
    #[serde(rename = "单位")]
    pub unit: String,
    #[serde(rename = "年度")]
    pub year: u16,
    /// Layout definition, relative to report.yaml.
    #[serde(rename = "样式")]
    pub style: PathBuf,
    /// Date of the version (YYYY-MM-DD), written into the file's metadata instead of the clock.
    #[serde(rename = "日期", default, deserialize_with = "iso_date")]
    pub date: Option<String>,
}

fn iso_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(deserializer)?;
    let parts: Vec<&str> = text.split('-').collect();
    let valid = parts.len() == 3
        && parts
            .iter()
            .zip([4, 2, 2])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_digit()));
    if valid {
        Ok(Some(text))
    } else {
        Err(serde::de::Error::custom(format!(
            "日期“{text}”应写成 YYYY-MM-DD，例如 2024-03-15"
        )))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use this layout instead of the one report.yaml names.
    pub style: Option<PathBuf>,
}

/// A report ready for any renderer.
#[derive(Debug, Clone)]
pub struct Built {
    pub meta: ReportMeta,
    pub document: Document,
    pub style: Style,
    pub style_path: PathBuf,
    pub warnings: Vec<Warning>,
}

pub fn build(dir: &Path, options: &Options) -> Result<Built> {
    let sources = source::load(dir)?;
    let meta: ReportMeta = yaml::from_str(
        &sources.report.text,
        yaml::Origin::file(&sources.report.path),
    )?;
    let style_path = match &options.style {
        Some(path) => path.clone(),
        None => sources
            .report
            .path
            .parent()
            .unwrap_or(dir)
            .join(&meta.style),
    };
    let style = Style::load(&style_path)?;
    let mut warnings = Vec::new();
    let sections = parse_sections(&sources, &mut warnings)?;
    let mut document = Document {
        attachment: meta.attachment.clone(),
        title: meta.title.clone(),
        blocks: sections
            .into_iter()
            .flat_map(|s| s.blocks)
            .collect::<Vec<Block>>(),
        date: meta.date.clone(),
    };
    numbering::number(&mut document)?;
    Ok(Built {
        meta,
        document,
        style,
        style_path,
        warnings,
    })
}

/// Parses every section and puts them in order: by `order`, then by file name.
fn parse_sections(sources: &ReportSources, warnings: &mut Vec<Warning>) -> Result<Vec<Section>> {
    let mut sections = sources
        .sections
        .iter()
        .map(|file| markdown::parse_section(file, warnings))
        .collect::<Result<Vec<_>>>()?;
    sections.sort_by(|a, b| {
        let key = |s: &Section| (s.front.order.is_none(), s.front.order, s.path.clone());
        key(a).cmp(&key(b))
    });
    if let Some(section) = sections.iter().find(|s| s.blocks.is_empty()) {
        warnings.push(Warning {
            location: Location::new(&section.path, 1, 1),
            message: "这个章节文件没有正文内容。".into(),
        });
    }
    if sections.iter().all(|s| s.blocks.is_empty()) {
        return Err(Error::NoSections(sources.dir.clone()));
    }
    Ok(sections)
}

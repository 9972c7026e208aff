//! report.yaml: the report-level metadata.

use serde::{Deserialize, Deserializer};

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
    /// A built-in style's name, or a layout file relative to report.yaml (default: gbt9704).
    #[serde(rename = "样式", default)]
    pub style: Option<String>,
    /// Date of the version (YYYY-MM-DD), written into the file's metadata instead of the clock.
    #[serde(rename = "日期", default, deserialize_with = "iso_date")]
    pub date: Option<String>,
    /// `gongwen check` settings for this report: `检查: { 关闭: [T002] }`.
    #[serde(rename = "检查", default)]
    pub checks: Option<crate::check::Settings>,
    /// Where the 自评表 goes besides its own files.
    #[serde(rename = "自评表", default)]
    pub score_table: ScoreTablePlacement,
}

/// `自评表: 附在文末` also puts the table at the end of the report, on landscape pages.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub enum ScoreTablePlacement {
    #[default]
    #[serde(rename = "单独成文")]
    Separate,
    #[serde(rename = "附在文末")]
    Appended,
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

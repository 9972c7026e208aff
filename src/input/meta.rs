//! report.yaml: the report-level metadata.

use serde::Deserialize;

use crate::diag::{Diagnostic, code};
use crate::diag::{Location, Result};
use crate::input::source::SourceFile;
use crate::input::yaml;

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
    #[serde(rename = "日期", default)]
    pub date: Option<String>,
    /// `gongwen check` settings for this report: `检查: { 关闭: [T002] }`.
    #[serde(rename = "检查", default)]
    pub checks: Option<CheckSettings>,
    /// Where the 自评表 goes besides its own files.
    #[serde(rename = "自评表", default)]
    pub score_table: ScoreTablePlacement,
    /// Where each value was typed.
    #[serde(skip)]
    pub positions: yaml::Positions,
}

/// The check's switches for one report (report.yaml's `检查`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CheckSettings {
    /// Rule ids switched off for this report.
    #[serde(rename = "关闭", default)]
    pub off: Vec<String>,
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

impl ReportMeta {
    /// Reads report.yaml; the date is checked at its line.
    pub fn load(file: &SourceFile) -> Result<ReportMeta> {
        let origin = yaml::Origin::file(&file.path);
        let (mut meta, positions): (ReportMeta, _) = yaml::parse(&file.text, origin)?;
        meta.positions = positions;
        if let Some(date) = &meta.date {
            check_date(date, meta.location("日期"))?;
        }
        Ok(meta)
    }

    /// Where the value of report.yaml's top-level `key` was typed (the file's start without one).
    pub fn location(&self, key: &str) -> Location {
        self.positions.at(&[key])
    }
}

/// A calendar date written YYYY-MM-DD ("2024-03-15"), as it goes into the file; the error,
/// at `at` (where the date was typed), says what is wrong in the writer's terms.
pub fn check_date(text: &str, at: Location) -> std::result::Result<String, Diagnostic> {
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Option<Vec<u32>> = (parts.len() == 3)
        .then(|| {
            parts
                .iter()
                .zip([4, 2, 2])
                .map(|(p, n)| {
                    (p.len() == n && p.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| p.parse().ok())
                        .flatten()
                })
                .collect()
        })
        .flatten();
    let Some([year, month, day]) = numbers.as_deref().map(|n| [n[0], n[1], n[2]]) else {
        return Err(Diagnostic::error(
            code::REPORT,
            at,
            format!("日期“{text}”应写成 YYYY-MM-DD，例如 2024-03-15。"),
        ));
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if year == 0 || day == 0 || day > days {
        return Err(Diagnostic::error(
            code::REPORT,
            at,
            format!(
                "日期“{text}”不存在：月份为 01–12，日不超过当月天数。请写成 YYYY-MM-DD，例如 2024-03-15。"
            ),
        ));
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_calendar_dates() {
        let at = Location::new("report.yaml", 4, 5);
        for good in ["2024-03-15", "2024-02-29", "2000-02-29", "2023-12-31"] {
            assert_eq!(check_date(good, at.clone()).as_deref(), Ok(good));
        }
        for bad in [
            "2024-13-45",
            "2023-02-29",
            "1900-02-29",
            "2024-04-31",
            "2024-00-10",
            "yesterday",
            "2024-3-5",
            "２０２４-03-15",
        ] {
            let wrong = check_date(bad, at.clone()).unwrap_err();
            assert_eq!((wrong.code, &wrong.location), (code::REPORT, &at), "{bad}");
            assert!(wrong.message.contains(bad), "{bad}");
        }
    }
}

//! Synthetic reports for benchmarks and layout tests: the sample multiplied, with a table and
//! an indicator per copy, so size grows and every feature stays in use.

use std::fmt::Write as _;
use std::path::Path;

use crate::diag::{Error, Result};
use crate::document::markdown;
use crate::document::report::{self, Options};
use crate::input::meta::ReportMeta;
use crate::input::source::{self, DATA_FILE, INDICATORS_FILE, REPORT_FILE};
use crate::input::style;

/// Writes into `to` the report in `from` repeated `copies` times. `unit` renames the unit,
/// for many reports that differ.
pub fn write(from: &Path, to: &Path, copies: usize, unit: Option<&str>) -> Result<()> {
    let sources = source::load(from)?;
    let meta = ReportMeta::load(&sources.report)?;
    // A style file is named by its absolute path, since the copy lives elsewhere.
    let style = match report::style_source(&sources, &meta, &Options::default())? {
        style::Source::File(path) => {
            let path = std::fs::canonicalize(&path).map_err(|e| Error::read(&path, e))?;
            Some(path.display().to_string())
        }
        style::Source::Builtin(_) => None,
    };
    // Gathered first, then written at once into a new folder.
    let mut files: Vec<(String, String)> = Vec::new();
    let mut write = |name: &str, text: &str| -> Result<()> {
        files.push((name.to_string(), text.to_string()));
        Ok(())
    };

    let mut report = String::new();
    for line in sources.report.text.lines() {
        match line.split_once(':').map(|(key, _)| key.trim()) {
            Some("样式") if style.is_some() => {
                writeln!(report, "样式: {}", style.as_deref().unwrap_or_default())
            }
            Some("单位") if unit.is_some() => {
                writeln!(report, "单位: {}", unit.unwrap_or_default())
            }
            _ => writeln!(report, "{line}"),
        }
        .ok();
    }
    write(REPORT_FILE, &report)?;

    let mut data = sources
        .data
        .as_ref()
        .map_or(String::new(), |f| f.text.clone());
    let mut indicators = sources
        .indicators
        .as_ref()
        .map_or(String::new(), |f| f.text.clone());
    let mut extra_indicators = String::new();
    data.push_str("\n项目:\n");
    for k in 1..=copies {
        let budget = 100 + k;
        let spent = 90 + k % 20;
        writeln!(
            data,
            "  项目{k}:\n    预算数: {budget}.{:02} 万元\n    实际支出: {spent}.{:02} 万元",
            k % 100,
            (k * 7) % 100
        )
        .ok();
        writeln!(
            extra_indicators,
            "  - 名称: 项目{k}执行率\n    公式: 项目.项目{k}.实际支出 / 项目.项目{k}.预算数\n    单位: \"%\"\n    目标: ≥ 90%"
        )
        .ok();
    }
    write(DATA_FILE, &data)?;
    // The project indicators go at the end of the 指标 list, before 校验.
    match indicators.find("\n校验:") {
        Some(at) => indicators.insert_str(at + 1, &format!("{extra_indicators}\n")),
        None => indicators.push_str(&extra_indicators),
    }
    write(INDICATORS_FILE, &indicators)?;

    let sections = sources
        .sections
        .iter()
        .map(markdown::split)
        .collect::<Result<Vec<_>>>()?;
    for k in 1..=copies {
        for (i, section) in sections.iter().enumerate() {
            let name = section
                .path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let text = format!("---\norder: {}\n---\n{}", k * 100 + i, section.body);
            write(&format!("{k:04}-{name}"), &text)?;
        }
        write(&format!("{k:04}-99-项目表.md"), &project_table(k, copies))?;
    }
    crate::output::write_new_dir(to, &files).map(drop)
}

/// A section with a table of projects (with its title and unit line) and a list: level-1 to
/// level-4 headings in one place.
fn project_table(k: usize, copies: usize) -> String {
    let mut text = format!(
        "---\norder: {}\n---\n\n# 分项目执行情况\n\n## 项目支出\n\n### 执行率\n\n#### 明细\n\n",
        k * 100 + 99
    );
    write!(
        text,
        "各项目执行情况见下表。\n\n表{k} 项目执行情况\n\n单位：万元\n\n| 项目 | 预算数 | 实际支出 | 执行率 | 结论 |\n|---|---:|---:|---:|---|\n"
    )
    .ok();
    for j in 0..6 {
        let p = (k + j - 1) % copies + 1;
        writeln!(
            text,
            "| 项目{p} | {{{{ 项目.项目{p}.预算数 }}}} | {{{{ 项目.项目{p}.实际支出 }}}} | {{{{ 项目{p}执行率 }}}} | {{{{ 项目{p}执行率.结论 }}}} |"
        )
        .ok();
    }
    text.push_str("\n### 改进措施\n\n1. **加强预算管理**。项目执行率为{{ 项目");
    write!(
        text,
        "{k}执行率 }}}}，{{{{ 项目{k}执行率.结论 }}}}。\n2. 严格支出审核，提高资金使用效益。\n"
    )
    .ok();
    text
}

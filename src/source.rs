//! Stage 1: find and read a report's files. Nothing here interprets their content.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Location, Result};

/// Report-level metadata: 附件 label, title, unit, year, style.
pub const REPORT_FILE: &str = "report.yaml";
/// The figures the prose and the indicators draw on.
pub const DATA_FILE: &str = "data.yaml";
/// Indicator definitions: formulas, targets, wording.
pub const INDICATORS_FILE: &str = "indicators.yaml";

/// One file's text, with the path it was read from (for messages).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Everything a report is made of, read but not yet parsed.
#[derive(Debug, Clone)]
pub struct ReportSources {
    pub dir: PathBuf,
    pub report: SourceFile,
    pub data: Option<SourceFile>,
    pub indicators: Option<SourceFile>,
    /// Markdown sections in file-name order; front matter may reorder them later.
    pub sections: Vec<SourceFile>,
}

pub fn load(dir: &Path) -> Result<ReportSources> {
    if !dir.is_dir() {
        return Err(Error::MissingReportDir(dir.to_path_buf()));
    }
    let report_path = dir.join(REPORT_FILE);
    if !report_path.is_file() {
        return Err(Error::MissingReportFile(report_path));
    }
    let report = read_text(&report_path)?;
    let optional = |name: &str| {
        let path = dir.join(name);
        path.exists().then(|| read_text(&path)).transpose()
    };
    let data = optional(DATA_FILE)?;
    let indicators = optional(INDICATORS_FILE)?;

    let mut sections = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = entry.map_err(|err| {
            let path = err.path().unwrap_or(dir).to_path_buf();
            Error::read(&path, err.into())
        })?;
        if entry.file_type().is_file() && is_section(entry.path()) {
            sections.push(read_text(entry.path())?);
        }
    }
    if sections.is_empty() {
        return Err(Error::NoSections(dir.to_path_buf()));
    }
    Ok(ReportSources {
        dir: dir.to_path_buf(),
        report,
        data,
        indicators,
        sections,
    })
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| name.starts_with('.'))
}

/// Markdown files are sections, except a README that explains the folder to its writers.
fn is_section(path: &Path) -> bool {
    let is_markdown = path.extension().is_some_and(|ext| ext == "md");
    let is_readme = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .is_some_and(|stem| stem.eq_ignore_ascii_case("readme"));
    is_markdown && !is_readme
}

/// Reads a file as UTF-8 text; a byte-order mark is dropped.
pub fn read_text(path: &Path) -> Result<SourceFile> {
    let bytes = std::fs::read(path).map_err(|err| Error::read(path, err))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(Error::NotUtf8 {
                location: Location::new(path, line, column),
                byte: valid.len(),
            });
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(SourceFile {
        path: path.to_path_buf(),
        text,
    })
}

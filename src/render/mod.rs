//! Renderers turn a numbered document model into bytes a person reads.

pub mod docx;
pub mod grid;
pub mod html;
pub mod text;
pub mod xlsx;
pub mod xml;

use std::path::{Path, PathBuf};

use crate::diag::Result;
use crate::document::model::Document;
use crate::document::report::Built;
use crate::document::worksheet;
use crate::input::meta::ScoreTablePlacement;

use docx::{DocxRenderer, Reviser};

pub trait Renderer {
    fn render(&self, document: &Document) -> Result<Vec<u8>>;
}

/// One file of a build, rendered but not written: where it goes and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Rendered {
    /// Whether it is a Word document (which has a PDF preview).
    pub fn is_docx(&self) -> bool {
        self.path.extension().is_some_and(|e| e == "docx")
    }
}

/// What a build writes besides the report and its 自评表.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extras {
    /// The 计算底稿 as a .docx beside the report, for reviewers.
    pub worksheet: bool,
}

/// Every output of a built report, the report at `report`: the report .docx (the 自评表
/// appended when report.yaml says so) and, when indicators.yaml defines a 自评表, its .docx
/// and .xlsx (with the 计算底稿 as a second sheet) beside it; the 计算底稿 .docx when
/// `extras` asks for it. Every command that writes a report writes these.
pub fn outputs(built: &Built, report: &Path, extras: Extras) -> Result<Vec<Rendered>> {
    let sources = built.sources.fingerprint();
    let renderer = DocxRenderer {
        style: &built.style,
        reviser: None,
        sources: Some(&sources),
    };
    let table = score_table(built);
    let mut files = vec![Rendered {
        path: report.to_path_buf(),
        bytes: render_report(&renderer, built, &built.document, table.as_ref())?,
    }];
    // Only what is written needs it: a report without a 自评表 and the flag has none.
    let worksheet = if table.is_some() || extras.worksheet {
        worksheet::build(built)
    } else {
        worksheet::Worksheet::default()
    };
    if let Some(table) = &table {
        files.push(Rendered {
            path: beside(report, "自评表", "docx"),
            bytes: renderer.render_score_table(table)?,
        });
        files.push(Rendered {
            path: beside(report, "自评表", "xlsx"),
            bytes: xlsx::render(table, &built.style, &worksheet)?,
        });
    }
    if extras.worksheet {
        let sheet = grid::worksheet(&worksheet, &built.meta, built.document.date.as_deref());
        files.push(Rendered {
            path: beside(report, "计算底稿", "docx"),
            bytes: renderer.render_score_table(&sheet)?,
        });
    }
    Ok(files)
}

/// The report .docx of `built` with `document` in place of its own (a redline of it), the
/// changes in it tracked as `reviser`'s; laid out as [`outputs`] lays out the report.
pub fn revised(
    built: &Built,
    document: &Document,
    reviser: Reviser,
    report: &Path,
) -> Result<Rendered> {
    let sources = built.sources.fingerprint();
    let renderer = DocxRenderer {
        style: &built.style,
        reviser: Some(reviser),
        sources: Some(&sources),
    };
    let table = score_table(built);
    Ok(Rendered {
        path: report.to_path_buf(),
        bytes: render_report(&renderer, built, document, table.as_ref())?,
    })
}

fn score_table(built: &Built) -> Option<grid::ScoreTable> {
    let scores = built.scores.as_ref()?;
    Some(grid::build(
        scores,
        &built.meta,
        built.document.date.as_deref(),
        &built.style.score_table(),
    ))
}

/// The report, followed by the 自评表 when report.yaml places it at the end.
fn render_report(
    renderer: &DocxRenderer,
    built: &Built,
    document: &Document,
    table: Option<&grid::ScoreTable>,
) -> Result<Vec<u8>> {
    let appendix = table.filter(|_| built.meta.score_table == ScoreTablePlacement::Appended);
    renderer.render_report(document, appendix)
}

/// A file beside the report: build/报告.docx → build/报告-自评表.docx, 报告-计算底稿.docx.
fn beside(report: &Path, what: &str, extension: &str) -> PathBuf {
    let stem = report
        .file_stem()
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    report.with_file_name(format!("{stem}-{what}.{extension}"))
}

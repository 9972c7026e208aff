//! The pipeline from a report directory to a numbered document model, stage by stage:
//! sources → front matter → data → indicators → placeholders → Markdown → model → numbers.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Severity, about_file, code};
use crate::diag::{Error, LineIndex, Location, Result};
use crate::document::literal::unescape_literal;
use crate::document::markdown::{self, Section};
use crate::document::model::Document;
use crate::document::numbering;
use crate::document::template::{Context, Printed, PrintedInTable};
use crate::eval::indicators::{self, Indicators};
use crate::eval::scoring::{self, Scores};
use crate::input::data::{self, Data};
use crate::input::form::{self, Form};
use crate::input::indicator_set::IndicatorSet;
use crate::input::meta::ReportMeta;
use crate::input::source::{self, ReportSources};
use crate::input::style::{self, Style};

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use this layout (a built-in style's name or a file) instead of the one report.yaml names.
    pub style: Option<String>,
    /// Go on past the errors in the sections' placeholders, for an editor: each is kept in
    /// [`Built::errors`] and its placeholder left empty. A build for output never sets it.
    pub recover: bool,
}

/// A report ready for any renderer, with what it was computed from.
#[derive(Debug, Clone)]
pub struct Built {
    pub meta: ReportMeta,
    pub data: Data,
    pub indicators: Indicators,
    /// The 自评表, when indicators.yaml defines one.
    pub scores: Option<Scores>,
    pub sections: Vec<Section>,
    /// Each section's Markdown with the placeholders filled, in document order.
    pub filled: Vec<String>,
    /// Every value a placeholder printed in the sections, in document order.
    pub printed: Vec<Printed>,
    /// Every value a placeholder printed in the 自评表's texts.
    pub table_printed: Vec<PrintedInTable>,
    pub document: Document,
    pub style: Style,
    pub style_source: style::Source,
    pub warnings: Vec<Diagnostic>,
    /// The errors [`Options::recover`] went on past; always empty without it.
    pub errors: Vec<Diagnostic>,
    /// The files it was built from, as they were read: every later stage finds a
    /// diagnostic's line here, never on disk.
    pub sources: ReportSources,
}

pub fn build(dir: &Path, options: &Options) -> Result<Built> {
    from_sources(&source::load(dir)?, options)
}

/// The stages after reading, for sources in memory; each error and warning carries the line
/// of the source it points at.
pub fn from_sources(sources: &ReportSources, options: &Options) -> Result<Built> {
    let mut built = stages(sources, options).map_err(|e| e.with_line(|at| sources.line(at)))?;
    for diagnostic in built.warnings.iter_mut().chain(&mut built.errors) {
        diagnostic.attach_line(|at| sources.line(at));
    }
    Ok(built)
}

/// The 自评表 header's texts (年度总体目标, 实际完成情况 …) with their placeholders filled, as
/// prose is, and the values they print; an error points at the text's line in data.yaml.
fn header_texts(
    context: &Context,
    data: &Data,
    scores: &Scores,
) -> Result<(Vec<scoring::HeaderText>, Vec<PrintedInTable>)> {
    let mut printed = Vec::new();
    let mut render = |field: &str, text: &str| {
        let Some(at) = data.locate(&format!("{}.{field}", scoring::DATA_GROUP)) else {
            return Ok(text.to_string());
        };
        let filled = context.render_text(text, &at.file, at.line)?;
        let lines = LineIndex::new(text, at.line);
        for value in &filled.values {
            let (line, mut column) = lines.position(value.tag);
            // Columns of the value's first line count from where the value starts.
            if line == at.line {
                column += at.column - 1;
            }
            let place = Location::new(&at.file, line, column);
            printed.push(PrintedInTable {
                column: field.to_string(),
                from: filled.text.get(..value.at).unwrap_or("").chars().count(),
                printed: Printed {
                    name: value.name.clone(),
                    text: filled
                        .text
                        .get(value.at..value.at + value.len)
                        .unwrap_or("")
                        .into(),
                    at: place.clone(),
                    lands: [place.clone(), place],
                },
            });
        }
        Ok::<_, Error>(filled.text)
    };
    let texts = scores
        .texts
        .iter()
        .map(|t| {
            Ok(scoring::HeaderText {
                text: render(&t.name, &t.text)?,
                ..t.clone()
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((texts, printed))
}

fn stages(sources: &ReportSources, options: &Options) -> Result<Built> {
    let meta = ReportMeta::load(&sources.report)?;
    let style_source = style_source(sources, &meta, options)?;
    let style = style_source.load()?;
    let mut warnings = sources.warnings.clone();
    let sections = ordered_sections(sources, &mut warnings)?;
    let data = data::load(sources.data.as_ref())?;
    let set = sources
        .indicators
        .as_ref()
        .map(IndicatorSet::read)
        .transpose()?;
    let indicators = indicators::evaluate(set.as_ref(), &data)?;
    let scores = scoring::score(set.as_ref(), &data, &indicators, &mut warnings)?;
    if let Some(scores) = &scores {
        widths_fit(&style, &style_source, &scores.form)?;
    }
    let context = Context::new(&meta, &data, &indicators, scores.as_ref())?;

    let mut blocks = Vec::new();
    let mut filled = Vec::with_capacity(sections.len());
    let mut printed = Vec::new();
    let mut errors = Vec::new();
    for section in &sections {
        let (source, body) = if options.recover {
            let (source, body, found) =
                context.render_markdown_recovering(&section.body, &section.path, section.body_line);
            errors.extend(found);
            (Cow::Owned(source), body)
        } else {
            let body = context.render_markdown(&section.body, &section.path, section.body_line)?;
            (Cow::Borrowed(section.body.as_str()), body)
        };
        let lines = LineIndex::new(&source, section.body_line);
        let place = |offset| {
            let (line, column) = lines.position(offset);
            Location::new(&section.path, line, column)
        };
        let mut shown = Vec::new();
        let parsed = markdown::parse_blocks(
            &section.path,
            &source,
            &body,
            section.body_line,
            &mut warnings,
            &mut shown,
        )?;
        // A value in a writer's note (<!-- -->), or one that is empty, prints nothing.
        let is_shown = |from: usize, to: usize| {
            let i = shown.partition_point(|range| range.end <= from);
            shown.get(i).is_some_and(|range| range.start < to)
        };
        printed.extend(
            body.values
                .iter()
                .filter(|value| value.len > 0 && is_shown(value.at, value.at + value.len))
                .map(|value| Printed {
                    name: value.name.clone(),
                    text: unescape_literal(
                        body.text.get(value.at..value.at + value.len).unwrap_or(""),
                    ),
                    at: place(value.tag),
                    lands: [
                        place(body.source_offset(value.at)),
                        place(body.piece_end(value.at)),
                    ],
                }),
        );
        if parsed.is_empty() {
            warnings.push(Diagnostic::warning(
                code::SOURCES,
                Location::new(&section.path, 1, 1),
                "这个章节文件没有正文内容。",
            ));
        }
        blocks.extend(parsed);
        filled.push(body.text);
    }
    if blocks.is_empty() {
        return Err(Error::NoSections(sources.dir.clone()));
    }
    // The title's errors stand where it was typed in report.yaml: on its first line, columns
    // count from where the value starts.
    let at = meta.location("标题");
    let title = context
        .render(&meta.title, &sources.report.path, at.line)
        .map_err(|err| match err {
            Error::Report(mut diagnostic) => {
                if diagnostic.location.line == at.line {
                    diagnostic.location.column += at.column - 1;
                }
                Error::Report(diagnostic)
            }
            other => other,
        })?;
    let header_texts = match &scores {
        Some(scores) => Some(header_texts(&context, &data, scores)?),
        None => None,
    };
    let mut scores = scores;
    let mut table_printed = Vec::new();
    if let (Some(scores), Some((texts, printed))) = (&mut scores, header_texts) {
        scores.texts = texts;
        table_printed = printed;
    }
    let mut document = Document {
        attachment: meta.attachment.clone(),
        title,
        unit: meta.unit.clone(),
        blocks,
        date: Some(meta.date.clone().unwrap_or_else(|| {
            let date = format!("{}-01-01", u32::from(meta.year) + 1);
            warnings.push(
                Diagnostic::warning(
                    code::NO_DATE,
                    Location::new(&sources.report.path, 1, 1),
                    format!("report.yaml 没有写 日期，文件的日期取 {date}（年度的次年 1 月 1 日）"),
                )
                .with_fix(format!("写上这一稿的日期，例如 日期: {date}")),
            );
            date
        })),
    };
    numbering::number(&mut document)?;
    Ok(Built {
        meta,
        data,
        indicators,
        scores,
        sections,
        filled,
        printed,
        table_printed,
        document,
        style,
        style_source,
        warnings,
        errors,
        sources: sources.clone(),
    })
}

/// A style's own 自评表 column widths replace the form's: as many as its columns.
fn widths_fit(style: &Style, source: &style::Source, form: &Form) -> Result<()> {
    let Some(layout) = &style.score_table else {
        return Ok(());
    };
    let count = form.columns.len();
    for (key, widths) in [
        ("column_widths", &layout.column_widths),
        ("header_column_widths", &layout.header_column_widths),
    ] {
        let fits = |w: &&Vec<u32>| w.len() == count && w.iter().all(|s| form::SHARES.contains(s));
        if let Some(widths) = widths.as_ref().filter(|w| !fits(w)) {
            let path = match source {
                style::Source::File(path) => path.clone(),
                style::Source::Builtin(builtin) => PathBuf::from(builtin.name),
            };
            let message = format!(
                "样式的 score_table.{key} 有 {} 个列宽，自评表的表样“{}”有 {count} 列（每个列宽是 1 到 {} 之间的数）",
                widths.len(),
                form.name,
                form::SHARES.end()
            );
            return Err(about_file(code::REPORT, Severity::Error, &path, message)
                .with_fix(format!(
                    "删去样式里的 {key}（列宽写在表样的 列 里），或写 {count} 个数"
                ))
                .into());
        }
    }
    Ok(())
}

/// The layout: `--style`, else report.yaml's `样式`, else the built-in default. A wrong name
/// is an error at the `样式` line of report.yaml.
pub fn style_source(
    sources: &ReportSources,
    meta: &ReportMeta,
    options: &Options,
) -> Result<style::Source> {
    if let Some(spec) = &options.style {
        return style::Source::named(spec, Path::new("."), Location::new("", 0, 0))
            .map_err(|d| d.on_command_line(&format!("--style {spec}")).into());
    }
    let Some(spec) = &meta.style else {
        return Ok(style::Source::Builtin(style::DEFAULT));
    };
    let report = &sources.report;
    let base = report.path.parent().unwrap_or(&sources.dir);
    let at = meta.location("样式");
    Ok(style::Source::named(spec, base, at)?)
}

/// Splits every section's front matter and puts the sections in order: by `order`, then by
/// file name. Two with the same `order` are a warning (the second was most likely copied from
/// the first).
fn ordered_sections(
    sources: &ReportSources,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Section>> {
    let mut sections = sources
        .sections
        .iter()
        .map(markdown::split)
        .collect::<Result<Vec<_>>>()?;
    sections.sort_by(|a, b| {
        let key = |s: &Section| (s.front.order.is_none(), s.front.order, s.path.clone());
        key(a).cmp(&key(b))
    });
    for pair in sections.windows(2) {
        let [first, second] = pair else { continue };
        if let Some(order) = second.front.order.filter(|o| first.front.order == Some(*o)) {
            let at = second.front_location("order");
            let first_name = first.path.file_name().unwrap_or_default().to_string_lossy();
            warnings.push(
                Diagnostic::warning(
                    code::SOURCES,
                    at,
                    format!("这个章节的 order 与 {first_name} 相同（都是 {order}），按文件名排在它后面。"),
                )
                .with_fix("给每个章节不同的 order"),
            );
        }
    }
    Ok(sections)
}

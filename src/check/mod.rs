//! `gongwen check`: rules over the sources and the document model that catch what goes wrong
//! when a report is written by hand. Each rule has a stable id; a report can switch rules off
//! in report.yaml (`检查: { 关闭: [T002] }`), a line with `<!-- gongwen-allow: T002 -->`.

mod amounts;
mod characters;
mod conversion;
mod data;
mod numbers;
mod repetition;
mod scores;
mod structure;
mod text;
mod typography;
mod wording;
mod years;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::model::{Block, Inline, plain_text};
use crate::report::Built;
use crate::source::SourceFile;
use crate::yaml;

pub use text::SourceLine;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub location: Location,
    /// How many characters the caret underlines.
    pub width: usize,
    pub message: String,
    pub fix: String,
}

/// A rule: an id that never changes, a line of description, and the check itself.
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub description: &'static str,
    pub run: fn(&Context<'_>, &Rule, &mut Vec<Diagnostic>),
}

impl Rule {
    pub fn at(
        &self,
        location: Location,
        width: usize,
        message: String,
        fix: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule: self.id,
            severity: self.severity,
            location,
            width: width.max(1),
            message,
            fix: fix.into(),
        }
    }
}

pub fn rules() -> Vec<Rule> {
    let mut rules = Vec::new();
    rules.extend(structure::rules());
    rules.extend(numbers::rules());
    rules.extend(amounts::rules());
    rules.extend(scores::rules());
    rules.extend(wording::rules());
    rules.extend(years::rules());
    rules.extend(typography::rules());
    rules.extend(characters::rules());
    rules.extend(conversion::rules());
    rules.extend(repetition::rules());
    rules.extend(data::rules());
    rules
}

/// A paragraph of the built document as a reviewer reads it, with where it came from.
pub struct Paragraph {
    pub text: String,
    pub origin: Location,
    /// The text of the nearest heading above it, numbers included.
    pub heading: Option<String>,
}

/// What rules look at.
pub struct Context<'a> {
    pub built: &'a Built,
    pub lines: Vec<SourceLine>,
    /// Each line's index in `lines` by file and line number: rules look lines up by location
    /// thousands of times in a large report.
    by_line: FileLines,
    pub paragraphs: Vec<Paragraph>,
    /// The first paragraph starting on each file and line, by index in `paragraphs`.
    paragraph_at: LineMap,
    /// Headings, Markdown or typed: computed once for the structure rules.
    outline: Vec<structure::Entry>,
    pub wording: wording::WordList,
}

/// A bureau's or a report's additions to the word list, and switches.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Rule ids switched off for this report.
    #[serde(rename = "关闭", default)]
    pub off: Vec<String>,
}

/// A report-level word list (wording.yaml beside report.yaml) extends the built-in one.
pub const WORDING_FILE: &str = "wording.yaml";

pub fn check(built: &Built, extra_wording: Option<&SourceFile>) -> Result<Vec<Diagnostic>> {
    let mut wording = wording::WordList::builtin()?;
    if let Some(file) = extra_wording {
        wording.extend(yaml::from_str(&file.text, yaml::Origin::file(&file.path))?);
    }
    let lines = text::source_lines(&built.sections);
    let paragraphs = paragraphs(built);
    let context = Context {
        built,
        by_line: FileLines::new(&lines),
        lines,
        paragraph_at: line_map(paragraphs.iter().map(|p| (&p.origin.file, p.origin.line))),
        paragraphs,
        outline: structure::outline(built),
        wording,
    };
    let off: &[String] = built.meta.checks.as_ref().map_or(&[], |c| &c.off);
    let mut diagnostics = Vec::new();
    for rule in rules() {
        if off.iter().any(|id| id == rule.id) {
            continue;
        }
        (rule.run)(&context, &rule, &mut diagnostics);
    }
    diagnostics.retain(|d| !context.allowed(d));
    diagnostics.sort_by(|a, b| (&a.location, a.rule).cmp(&(&b.location, b.rule)));
    diagnostics.dedup_by(|a, b| a.location == b.location && a.rule == b.rule);
    Ok(diagnostics)
}

impl Context<'_> {
    /// `<!-- gongwen-allow: ID -->` on the line, or on the line above, silences rule ID there.
    fn allowed(&self, d: &Diagnostic) -> bool {
        let here = &d.location;
        [here.line, here.line.wrapping_sub(1)]
            .into_iter()
            .filter_map(|line| self.line_at(&here.file, line))
            .any(|line| line.allows(d.rule))
    }

    /// The source line a location points into, for the caret display.
    pub fn source_line(&self, location: &Location) -> Option<&SourceLine> {
        self.line_at(&location.file, location.line)
    }

    fn line_at(&self, file: &Path, line: usize) -> Option<&SourceLine> {
        self.by_line.get(&self.lines, file, line)
    }

    /// The first paragraph that starts on the given line.
    pub fn paragraph_at(&self, file: &Path, line: usize) -> Option<&Paragraph> {
        let key = (file.to_path_buf(), line);
        self.paragraph_at.get(&key).map(|&i| &self.paragraphs[i])
    }
}

/// Where each file's lines start in a list of source lines, which holds every file's lines
/// consecutively and in order: a line is found by its file and number without a scan.
struct FileLines(HashMap<PathBuf, (usize, usize)>);

impl FileLines {
    fn new(lines: &[SourceLine]) -> FileLines {
        let mut files = HashMap::new();
        for (i, line) in lines.iter().enumerate() {
            files.entry(line.file.clone()).or_insert((i, line.line));
        }
        FileLines(files)
    }

    fn get<'l>(&self, lines: &'l [SourceLine], file: &Path, line: usize) -> Option<&'l SourceLine> {
        let &(start, first) = self.0.get(file)?;
        let found = lines.get(start + line.checked_sub(first)?)?;
        (found.file == file && found.line == line).then_some(found)
    }
}

type LineMap = HashMap<(PathBuf, usize), usize>;

/// Index of the first item at each (file, line).
fn line_map<'p>(items: impl Iterator<Item = (&'p PathBuf, usize)>) -> LineMap {
    let mut map = LineMap::new();
    for (i, (file, line)) in items.enumerate() {
        map.entry((file.clone(), line)).or_insert(i);
    }
    map
}

impl Context<'_> {}

fn paragraphs(built: &Built) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut heading = None;
    for block in &built.document.blocks {
        match block {
            Block::Heading(h) => heading = Some(format!("{}{}", h.number, plain_text(&h.content))),
            Block::Paragraph(p) => {
                let mut inlines: Vec<Inline> = p.lead.clone();
                inlines.extend(p.content.iter().cloned());
                let text = plain_text(&inlines);
                // A short paragraph with a typed marker is a heading pasted from Word.
                let typed_heading = p.item.is_none()
                    && structure::typed_entry(&text, &p.origin).is_some_and(|e| e.standalone);
                out.push(Paragraph {
                    text: text.clone(),
                    origin: p.origin.clone(),
                    heading: heading.clone(),
                });
                if typed_heading {
                    heading = Some(text);
                }
            }
            Block::Table(_) => {}
        }
    }
    out
}

impl Context<'_> {
    /// Where `snippet`, found at `char_offset` of a paragraph's text, stands in the source: the
    /// first source line from the paragraph's start that contains it; the paragraph's start if
    /// placeholders changed the text.
    pub fn locate(&self, paragraph: &Paragraph, char_offset: usize, snippet: &str) -> Location {
        let origin = &paragraph.origin;
        let context: String = paragraph
            .text
            .chars()
            .skip(char_offset)
            .take(snippet.chars().count().max(6))
            .collect();
        for needle in [context.as_str(), snippet] {
            let found = (origin.line..origin.line + 40)
                .filter_map(|line| self.line_at(&origin.file, line))
                .find_map(|l| {
                    l.text
                        .find(needle)
                        .map(|at| (l.line, l.text[..at].chars().count() + 1))
                });
            if let Some((line, column)) = found {
                return Location::new(&origin.file, line, column);
            }
        }
        origin.clone()
    }
}

/// Terminal width of text: Chinese characters take two columns.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// rustc-style: severity[id]: message, --> file:line:col, the line, a caret, = fix.
pub fn render_human(diagnostics: &[Diagnostic], context_lines: &[SourceLine]) -> String {
    let mut out = String::new();
    let by_line = FileLines::new(context_lines);
    for d in diagnostics {
        writeln!(out, "{}[{}]: {}", d.severity.name(), d.rule, d.message).ok();
        writeln!(out, "  --> {}", d.location).ok();
        let source = by_line.get(context_lines, &d.location.file, d.location.line);
        if let Some(source) = source {
            // Long Chinese paragraphs are one line: show a window around the caret.
            const WINDOW: usize = 24;
            let chars: Vec<char> = source.text.chars().collect();
            let at = d.location.column.saturating_sub(1).min(chars.len());
            let from = at.saturating_sub(WINDOW);
            let to = (at + d.width + WINDOW).min(chars.len());
            let lead = if from > 0 { "…" } else { "" };
            let tail = if to < chars.len() { "…" } else { "" };
            let shown: String = chars[from..to].iter().collect();
            let before: String = chars[from..at].iter().collect();
            let under: String = chars[at..(at + d.width).min(chars.len())].iter().collect();
            let number = d.location.line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(out, "{pad} |").ok();
            writeln!(out, "{number} | {lead}{shown}{tail}").ok();
            writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(display_width(lead) + display_width(&before)),
                "^".repeat(display_width(&under).max(1))
            )
            .ok();
        }
        if !d.fix.is_empty() {
            writeln!(out, "  = 修改：{}", d.fix).ok();
        }
        out.push('\n');
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    writeln!(out, "检查完成：{errors} 个错误，{warnings} 个警告。").ok();
    out
}

/// One line for every figure data.yaml leaves as `~`, instead of a warning for each: a new
/// report starts with all of them, a finished one may keep those not obtained.
pub fn unfilled_summary(built: &Built) -> Option<String> {
    let unfilled = built.data.unfilled();
    if unfilled.is_empty() {
        return None;
    }
    let shown = &unfilled[..unfilled.len().min(5)];
    let more = if shown.len() < unfilled.len() {
        "等"
    } else {
        ""
    };
    Some(format!(
        "{}：还有 {} 项数据未填写（~）：{}{more}。未取得的数据可以保留 ~，用到它的指标显示为“不适用”。",
        crate::source::DATA_FILE,
        unfilled.len(),
        shown.join("、")
    ))
}

pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let rows: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "rule": d.rule,
                "severity": d.severity.name(),
                "file": d.location.file,
                "line": d.location.line,
                "column": d.location.column,
                "message": d.message,
                "fix": d.fix,
            })
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_default()
}

/// The source lines of a built report, for showing diagnostics.
pub fn source_lines_of(built: &Built) -> Vec<SourceLine> {
    text::source_lines(&built.sections)
}

/// A build error as a diagnostic, so `check` reports broken input the same way.
pub fn from_error(error: &Error) -> Diagnostic {
    let (location, message) = match error {
        Error::Invalid { location, message } => (location.clone(), message.clone()),
        Error::Yaml { location, .. } | Error::NotUtf8 { location, .. } => {
            (location.clone(), error.to_string())
        }
        other => (Location::new(PathBuf::new(), 0, 0), other.to_string()),
    };
    // A broken identity is the data rule D001; anything else stops the check as E000.
    let rule = if message.contains("数据校验不成立") {
        "D001"
    } else {
        "E000"
    };
    Diagnostic {
        rule,
        severity: Severity::Error,
        location,
        width: 1,
        message,
        fix: String::new(),
    }
}

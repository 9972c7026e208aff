//! `gongwen check`: rules over the sources and the document model that catch what goes wrong
//! when a report is written by hand. Each rule has a stable id; a report can switch rules off
//! in report.yaml (`检查: { 关闭: [T002] }`), a line with `<!-- gongwen-allow: T002 -->`.

mod data;
mod numbers;
mod repetition;
mod structure;
mod text;
mod typography;
mod wording;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::{LineText, Location, Result};
use crate::document::model::{Block, Inline, TextSpan, plain_text};
use crate::document::report::Built;
use crate::input::source::SourceFile;
use crate::input::yaml;

pub use text::SourceLine;

pub use crate::diag::{Diagnostic, Severity};

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
        Diagnostic::new(self.id, self.severity, location, message)
            .with_length(width)
            .with_fix(fix)
    }
}

pub fn rules() -> Vec<Rule> {
    let mut rules = Vec::new();
    rules.extend(structure::rules());
    rules.extend(numbers::rules());
    rules.extend(numbers::scores::rules());
    rules.extend(numbers::amounts::rules());
    rules.extend(wording::rules());
    rules.extend(wording::repeats::rules());
    rules.extend(wording::years::rules());
    rules.extend(typography::rules());
    rules.extend(typography::characters::rules());
    rules.extend(typography::conversion::rules());
    rules.extend(repetition::rules());
    rules.extend(data::rules());
    rules
}

/// A paragraph of the built document as a reviewer reads it, with where it came from.
pub struct Paragraph {
    pub text: String,
    pub origin: Location,
    /// Where each run of `text` was typed.
    spans: Vec<TextSpan>,
    /// The text of the nearest heading above it, numbers included.
    pub heading: Option<String>,
}

impl Paragraph {
    /// Where the writer typed character `char_offset` of the text: its line and column in
    /// the Markdown, or the placeholder a filled-in value came from.
    pub fn position(&self, char_offset: usize) -> Location {
        TextSpan::locate(&self.spans, &self.origin, char_offset)
    }
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

/// A report-level word list (wording.yaml beside report.yaml) extends the built-in one.
pub const WORDING_FILE: &str = "wording.yaml";

pub fn check(built: &Built, extra_wording: Option<&SourceFile>) -> Result<Vec<Diagnostic>> {
    let mut wording = wording::WordList::builtin()?;
    if let Some(file) = extra_wording {
        wording.extend(yaml::from_str(&file.text, yaml::Origin::file(&file.path))?);
    }
    let lines = source_lines_of(built);
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
    // What the build itself warned of (a number typed into a heading is S001) is reported,
    // and switched off, like the rules' findings.
    let mut diagnostics: Vec<Diagnostic> = built
        .warnings
        .iter()
        .filter(|d| !off.iter().any(|id| id == d.code))
        .cloned()
        .collect();
    for rule in rules() {
        if off.iter().any(|id| id == rule.id) {
            continue;
        }
        (rule.run)(&context, &rule, &mut diagnostics);
    }
    diagnostics.retain(|d| !context.allowed(d));
    diagnostics.sort_by(|a, b| (&a.location, a.code).cmp(&(&b.location, b.code)));
    diagnostics.dedup_by(|a, b| a.location == b.location && a.code == b.code);
    // Sorted, the findings on one line come together: its characters are indexed once.
    let mut indexed: Option<LineText<'_>> = None;
    for d in &mut diagnostics {
        // A line read without the YAML around it is shown as the file has it.
        let Some(line) = context
            .source_line(&d.location)
            .filter(|l| l.first_column() == 1)
        else {
            d.attach_line(|at| built.sources.line(at));
            continue;
        };
        if !indexed
            .as_ref()
            .is_some_and(|l| std::ptr::eq(l.text(), line.text.as_str()))
        {
            indexed = Some(LineText::new(&line.text));
        }
        if let Some(line) = &indexed {
            d.attach_excerpt(line);
        }
    }
    Ok(diagnostics)
}

impl Context<'_> {
    /// `<!-- gongwen-allow: ID -->` on the line, or on the line above, silences rule ID there.
    fn allowed(&self, d: &Diagnostic) -> bool {
        let here = &d.location;
        [here.line, here.line.wrapping_sub(1)]
            .into_iter()
            .filter_map(|line| self.line_at(&here.file, line))
            .any(|line| line.allows(d.code))
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
                    spans: p.spans.clone(),
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

/// rustc-style, each with its source line, and the count of errors and warnings.
pub fn render_human(diagnostics: &[Diagnostic], context_lines: &[SourceLine]) -> String {
    let mut out = render_listing(diagnostics, context_lines);
    out.push_str(&crate::diag::tally(diagnostics));
    out.push('\n');
    out
}

/// rustc-style, each with its source line (the one it carries, else from `context_lines`).
pub fn render_listing(diagnostics: &[Diagnostic], context_lines: &[SourceLine]) -> String {
    let by_line = FileLines::new(context_lines);
    diagnostics
        .iter()
        .map(|d| {
            let line = by_line.get(context_lines, &d.location.file, d.location.line);
            crate::diag::render(&d.clone().with_line(|_| line.map(|l| l.text.as_str())))
        })
        .collect()
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
        crate::input::source::DATA_FILE,
        unfilled.len(),
        shown.join("、")
    ))
}

pub use crate::diag::render_json;

/// The source lines of a built report, for showing diagnostics.
pub fn source_lines_of(built: &Built) -> Vec<SourceLine> {
    let mut lines = text::source_lines(&built.sections);
    lines.extend(text::table_text_lines(built));
    lines
}

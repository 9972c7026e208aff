//! One shape for everything gongwen tells a writer, from reading the files to checking the
//! prose: a code, a severity, where (file, line, column and how many characters), what is
//! wrong and what to do. Build errors, build warnings and check findings are the same values,
//! printed by the same two printers: rustc-style for people, JSON for tools.

use std::fmt::{self, Write as _};
use std::path::Path;

use crate::diag::Location;

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

/// The codes of what the build itself reports; the check's rules have their own ids
/// (S001, N002 …, listed by `gongwen check --list`).
pub mod code {
    /// A file cannot be read: missing, not a regular file, too large, not UTF-8.
    pub const READ: &str = "E001";
    /// YAML that does not parse, or a key that is unknown or missing.
    pub const YAML: &str = "E002";
    /// A figure in data.yaml gongwen would misread.
    pub const DATA: &str = "E003";
    /// indicators.yaml: a formula, a target, a unit, a name.
    pub const INDICATOR: &str = "E004";
    /// A placeholder: unknown, not filled in, malformed.
    pub const PLACEHOLDER: &str = "E005";
    /// Markdown the document cannot hold: a fifth heading level, an unclosed front matter.
    pub const MARKDOWN: &str = "E006";
    /// The 自评表 section of indicators.yaml or data.yaml.
    pub const SCORE_TABLE: &str = "E007";
    /// report.yaml and the style: 样式, 日期 and the like.
    pub const REPORT: &str = "E008";
    /// The command line.
    pub const USAGE: &str = "E009";
    /// Writing the output or its preview.
    pub const OUTPUT: &str = "E010";
    /// What the build skipped or assumed: a draft in a subfolder, an empty section.
    pub const SOURCES: &str = "B001";
    /// report.yaml leaves out 日期.
    pub const NO_DATE: &str = "B002";
    /// A 自评表 row that misses its target without a 偏差原因.
    pub const NO_REASON: &str = "B003";
    /// The style names a font this computer lacks.
    pub const FONTS: &str = "B004";
    /// A field or text the 自评表's form shows that data.yaml does not give.
    pub const NO_HEADER_TEXT: &str = "B005";
    /// A number typed into a heading, removed by the build (the check's rule of that name).
    pub const TYPED_NUMBER: &str = "S001";
}

/// What to do about a diagnostic, in words, and as the text to put in its place when that
/// is the whole of it (an editor offers it as a quick fix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub says: String,
    pub replacement: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// A check rule's id or one of [`code`]'s.
    pub code: &'static str,
    pub severity: Severity,
    /// Where it starts; line 0 when it concerns a whole file (or, without a file, the
    /// command line).
    pub location: Location,
    /// How many characters it covers, at least one.
    pub length: u32,
    pub message: String,
    /// What to do; `None` when the message says it. Boxed: one pointer, so that a
    /// diagnostic stays small enough to be the error of every `Result` that carries one.
    pub fix: Option<Box<Fix>>,
    /// The line it points at, around what it covers, carried from the file as it was read
    /// (the printer reads no file).
    pub line: Option<Box<Excerpt>>,
}

/// A window of a source line around a diagnostic's place: a paragraph is one line, and each
/// of thousands of findings in a long one carries only its own few dozen characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: Box<str>,
    /// The column of its first character in the line, from 1.
    pub column: usize,
    /// Whether the line goes on after it.
    pub cut: bool,
}

/// A line with where each of its characters starts, to cut excerpts from it by column: made
/// once for all the diagnostics on one line.
pub struct LineText<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineText<'a> {
    /// Characters shown on each side of what a diagnostic covers.
    const CONTEXT: usize = 24;
    /// The most of what it covers that is shown.
    const COVERED: usize = 80;

    pub fn new(text: &'a str) -> Self {
        LineText {
            text,
            starts: text.char_indices().map(|(i, _)| i).collect(),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The window for a diagnostic at `column` covering `length` characters.
    pub fn excerpt(&self, column: usize, length: usize) -> Excerpt {
        let at = column.saturating_sub(1);
        let from = at.saturating_sub(Self::CONTEXT).min(self.starts.len());
        let to = (at + length.min(Self::COVERED) + Self::CONTEXT).min(self.starts.len());
        let byte = |char: usize| self.starts.get(char).copied().unwrap_or(self.text.len());
        Excerpt {
            text: self.text[byte(from)..byte(to)].into(),
            column: from + 1,
            cut: to < self.starts.len(),
        }
    }
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            location,
            length: 1,
            message: message.into(),
            fix: None,
            line: None,
        }
    }

    pub fn error(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic::new(code, Severity::Error, location, message)
    }

    pub fn warning(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic::new(code, Severity::Warning, location, message)
    }

    pub fn with_length(mut self, length: usize) -> Self {
        self.length = u32::try_from(length).unwrap_or(u32::MAX).max(1);
        self
    }

    /// The same, showing the line `line_of` gives for its location (a source file's text
    /// at hand), unless it carries one already.
    pub fn with_line<S: AsRef<str>>(
        mut self,
        line_of: impl FnOnce(&Location) -> Option<S>,
    ) -> Self {
        self.attach_line(line_of);
        self
    }

    /// [`Diagnostic::with_line`] in place.
    pub fn attach_line<S: AsRef<str>>(&mut self, line_of: impl FnOnce(&Location) -> Option<S>) {
        if self.line.is_none() && self.location.line > 0 {
            self.line = line_of(&self.location).map(|line| {
                Box::new(
                    LineText::new(line.as_ref())
                        .excerpt(self.location.column, self.length as usize),
                )
            });
        }
    }

    /// Carries its excerpt of `line`, the line it points at, unless it carries one already.
    pub fn attach_excerpt(&mut self, line: &LineText<'_>) {
        if self.line.is_none() && self.location.line > 0 {
            self.line = Some(Box::new(
                line.excerpt(self.location.column, self.length as usize),
            ));
        }
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        let says = fix.into();
        match &mut self.fix {
            Some(fix) => fix.says = says,
            None if says.is_empty() => {}
            None => {
                self.fix = Some(Box::new(Fix {
                    says,
                    replacement: None,
                }));
            }
        }
        self
    }

    /// The fix is to put `text` in place of what it covers.
    pub fn with_replacement(mut self, text: impl Into<String>) -> Self {
        let replacement = Some(text.into());
        match &mut self.fix {
            Some(fix) => fix.replacement = replacement,
            None => {
                self.fix = Some(Box::new(Fix {
                    says: String::new(),
                    replacement,
                }));
            }
        }
        self
    }

    /// What to do; empty when the message says it.
    pub fn fix(&self) -> &str {
        self.fix.as_ref().map_or("", |fix| &fix.says)
    }

    /// The text that replaces what it covers, when the fix is that replacement.
    pub fn replacement(&self) -> Option<&str> {
        self.fix.as_ref()?.replacement.as_deref()
    }

    /// A diagnostic found in a piece of a file (a formula), placed relative to it (no file,
    /// line 1 its first line), put where that piece starts: `start`. One that already
    /// names its file (a data value a formula uses) stays where it is.
    pub fn placed_at(mut self, start: &Location) -> Self {
        if self.location.file.as_os_str().is_empty() {
            let Location { line, column, .. } = self.location;
            let column = if line <= 1 {
                start.column + column - 1
            } else {
                column
            };
            self.location = Location::new(&start.file, start.line + line.max(1) - 1, column);
        }
        self
    }

    /// The same finding about a command-line option's value (`--date`, `--style`): a usage
    /// error naming the option, with no file to point at.
    pub fn on_command_line(self, option: &str) -> Self {
        Diagnostic {
            code: code::USAGE,
            location: Location::new("", 0, 0),
            message: format!("{option}: {}", self.message),
            ..self
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// One line, for logs and tests: `file:line:col: message`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.line > 0 {
            write!(f, "{}: ", self.location)?;
        }
        f.write_str(&self.message)?;
        if !self.fix().is_empty() {
            write!(f, " 修改：{}", self.fix())?;
        }
        Ok(())
    }
}

/// Terminal width of text: Chinese characters take two columns.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// rustc-style: severity[code]: message, --> file:line:col, the line with a caret under what
/// the diagnostic covers (when it carries its line), = the fix.
pub fn render(d: &Diagnostic) -> String {
    let mut out = String::new();
    writeln!(out, "{}[{}]: {}", d.severity.name(), d.code, d.message).ok();
    let located = d.location.line > 0;
    if located {
        writeln!(out, "  --> {}", d.location).ok();
    } else if !d.location.file.as_os_str().is_empty() {
        writeln!(out, "  --> {}", d.location.file.display()).ok();
    }
    if let Some(excerpt) = d.line.as_ref().filter(|_| located) {
        let chars: Vec<char> = excerpt.text.chars().collect();
        let at = d
            .location
            .column
            .saturating_sub(excerpt.column)
            .min(chars.len());
        let lead = if excerpt.column > 1 { "…" } else { "" };
        let tail = if excerpt.cut { "…" } else { "" };
        let shown = &excerpt.text;
        let before: String = chars[..at].iter().collect();
        let under: String = chars[at..(at + d.length as usize).min(chars.len())]
            .iter()
            .collect();
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
    if !d.fix().is_empty() {
        writeln!(out, "  = 修改：{}", d.fix()).ok();
    }
    out.push('\n');
    out
}

/// Every diagnostic rustc-style, each with the line it carries.
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(render).collect()
}

/// For tools: one object per diagnostic. The keys are those `gongwen check --format json`
/// has always given (`rule` is the code), with `length` added.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let rows: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "rule": d.code,
                "severity": d.severity.name(),
                "file": d.location.file,
                "line": d.location.line,
                "column": d.location.column,
                "length": d.length,
                "message": d.message,
                "fix": d.fix(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_default()
}

/// "检查完成：1 个错误，2 个警告。"
pub fn tally(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!("检查完成：{errors} 个错误，{warnings} 个警告。")
}

/// A diagnostic about a whole file (no line to point at).
pub fn about_file(
    code: &'static str,
    severity: Severity,
    path: &Path,
    message: String,
) -> Diagnostic {
    Diagnostic::new(code, severity, Location::new(path, 0, 0), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &str, column: usize, length: usize) -> String {
        let mut d = Diagnostic::warning("T002", Location::new("a.md", 3, column), "半角");
        d = d.with_length(length).with_line(|_| Some(line));
        render(&d)
    }

    #[test]
    fn an_excerpt_is_a_window_of_the_line_with_the_caret_under_its_place() {
        let line = format!("{}错{}", "甲".repeat(1000), "乙".repeat(1000));
        let out = shown(&line, 1001, 1);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[3],
            format!("3 | …{}错{}…", "甲".repeat(24), "乙".repeat(24))
        );
        // Under 错: the ellipsis and 24 characters, each two columns wide.
        assert_eq!(lines[4], format!("  | {}^^", " ".repeat(2 + 48)));
        let short = shown("甲错", 2, 1);
        assert!(short.contains("3 | 甲错\n  |   ^^\n"), "{short}");
    }

    #[test]
    fn an_excerpt_is_bounded_whatever_the_line_and_the_length_it_covers() {
        let line = "字".repeat(1 << 20);
        for (column, length) in [(1, 1), (500_000, 1 << 20), (1 << 20, 1), (2 << 20, 5)] {
            let d = Diagnostic::warning("R001", Location::new("a.md", 1, column), "重复")
                .with_length(length)
                .with_line(|_| Some(line.as_str()));
            let excerpt = d.line.unwrap();
            assert!(excerpt.text.chars().count() <= 2 * 24 + 80, "{column}");
        }
    }
}

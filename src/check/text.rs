//! Source lines as rules read them: placeholders masked, switches found.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::diag::Location;
use crate::document::markdown::Section;
use crate::document::report::Built;
use crate::eval::scoring;
use crate::input::data::Datum;
use crate::input::form::{self, HeaderBlock};

#[derive(Debug, Clone)]
pub struct SourceLine {
    pub file: PathBuf,
    pub line: usize,
    /// As written.
    pub text: String,
    /// With `{{ … }}`, `{% … %}` and HTML comments blanked out (same character count), so
    /// rules see only what the writer typed as prose and columns still match.
    pub prose: String,
    /// The rules its `<!-- gongwen-allow: … -->` comments switch off, read once: a long line
    /// is asked for each of its findings.
    allowed: Vec<String>,
    /// The characters of the file's line before `text`: none for a section's line; for a text
    /// of the 自评表 typed in data.yaml, its key and indentation.
    offset: usize,
    /// Where each character of a long `prose` starts, made when a column is first asked for:
    /// a paragraph is one line, and thousands of findings in it each want their column.
    starts: OnceLock<Vec<usize>>,
}

impl SourceLine {
    /// Where byte `byte` of the line (of `prose`) stands: its line and 1-based column.
    pub fn location(&self, byte: usize) -> Location {
        const SHORT: usize = 256;
        if self.prose.len() <= SHORT {
            return self.at_column(column(&self.prose, byte));
        }
        let starts = self
            .starts
            .get_or_init(|| self.prose.char_indices().map(|(i, _)| i).collect());
        self.at_column(starts.partition_point(|&start| start < byte) + 1)
    }

    /// Column `column` of the line, counted from its text's start, as a place in its file.
    pub fn at_column(&self, column: usize) -> Location {
        Location::new(&self.file, self.line, self.offset + column)
    }

    /// Where the line's text starts in its file's line, as a column.
    pub fn first_column(&self) -> usize {
        self.offset + 1
    }

    /// `<!-- gongwen-allow: T002 N001 -->` switches rules off for this line and the next.
    pub fn allows(&self, rule: &str) -> bool {
        self.allowed.iter().any(|id| id == rule)
    }
}

/// The rule ids named in the line's `gongwen-allow:` comments.
fn allowed(text: &str) -> Vec<String> {
    text.split("gongwen-allow:")
        .skip(1)
        .filter_map(|rest| rest.split("-->").next())
        .flat_map(|ids| ids.split([' ', ',', '，']))
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect()
}

/// The 自评表's texts typed in data.yaml (the form's goal texts such as 年度总体目标 and
/// 实际完成情况, each 偏差原因 and 备注): prose the
/// rules read as they read the sections', each line without the YAML around the value (its
/// key, indentation, quotes, a comment) and placed at its column in data.yaml.
pub fn table_text_lines(built: &Built) -> Vec<SourceLine> {
    let Some(file) = &built.sources.data else {
        return Vec::new();
    };
    let lines: Vec<&str> = file.text.lines().collect();
    let group = scoring::DATA_GROUP;
    // Without a table, the texts the default form would show.
    let form = match &built.scores {
        Some(scores) => Some(scores.form.clone()),
        None => form::resolve(None, &Location::new("", 1, 1)).ok(),
    };
    let header: Vec<&str> = form
        .iter()
        .flat_map(|form| &form.header)
        .filter(|block| matches!(block, HeaderBlock::Texts(_)))
        .flat_map(HeaderBlock::texts)
        .collect();
    let prose = |path: &str| {
        path.strip_prefix(group)
            .and_then(|p| p.strip_prefix('.'))
            .is_some_and(|p| {
                header.contains(&p) || p.starts_with("偏差原因.") || p.starts_with("备注.")
            })
    };
    let mut out = Vec::new();
    for (path, datum) in &built.data.fields {
        let (Datum::Text(value), Some(at)) = (datum, built.data.locate(path)) else {
            continue;
        };
        if !prose(path) || at.file != file.path {
            continue;
        }
        let Some(first) = at.line.checked_sub(1).and_then(|i| lines.get(i)) else {
            continue;
        };
        let start = first
            .char_indices()
            .nth(at.column.saturating_sub(1))
            .map_or(first.len(), |(i, _)| i);
        let typed = &first[start..];
        let mut placed = Vec::new();
        if typed.starts_with(['|', '>']) {
            // A block: its lines below, each without its indentation.
            let key_indent = indentation(first);
            for (i, line) in lines.iter().enumerate().skip(at.line) {
                if !line.trim().is_empty() && indentation(line) <= key_indent {
                    break;
                }
                placed.push((i + 1, indentation(line), &line[indentation(line)..]));
            }
        } else {
            let quoted = typed.starts_with(['"', '\'']);
            let text = if quoted {
                typed[1..].trim_end().trim_end_matches(['"', '\''])
            } else {
                typed.split(" #").next().unwrap_or(typed).trim_end()
            };
            placed.push((at.line, at.column - 1 + usize::from(quoted), text));
        }
        if value.trim().is_empty() {
            continue;
        }
        let mut open = None;
        for (line, offset, text) in placed {
            out.push(SourceLine {
                file: file.path.clone(),
                line,
                text: text.to_string(),
                prose: mask(text, &mut open),
                allowed: Vec::new(),
                offset,
                starts: OnceLock::new(),
            });
        }
    }
    out
}

/// Leading spaces, in characters (YAML indents with spaces only).
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

pub fn source_lines(sections: &[Section]) -> Vec<SourceLine> {
    let mut out = Vec::new();
    for section in sections {
        // A comment or tag left open at the end of a line goes on over the next ones.
        let mut open = None;
        for (i, text) in section.body.lines().enumerate() {
            out.push(SourceLine {
                file: section.path.clone(),
                line: section.body_line + i,
                text: text.to_string(),
                prose: mask(text, &mut open),
                allowed: allowed(text),
                offset: 0,
                starts: OnceLock::new(),
            });
        }
    }
    out
}

/// Replaces template tags and comments with full-width spaces, one per character. A line that
/// starts inside a comment or tag has its closing delimiter in `open`; the one still open at
/// the end of the line is left there.
fn mask(text: &str, open: &mut Option<&'static str>) -> String {
    const TAGS: [(&str, &str); 3] = [("{{", "}}"), ("{%", "%}"), ("<!--", "-->")];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        // Openers start with '{' or '<': one scan for those instead of one search per opener.
        let next = match open.take() {
            Some(close) => Some((0, close, 0)),
            None => rest.match_indices(['{', '<']).find_map(|(at, _)| {
                TAGS.iter()
                    .find(|(o, _)| rest[at..].starts_with(o))
                    .map(|(o, close)| (at, *close, o.len()))
            }),
        };
        let Some((at, close, opener)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        let Some(end) = rest[at + opener..].find(close) else {
            out.extend(std::iter::repeat_n('\u{3000}', rest[at..].chars().count()));
            *open = Some(close);
            return out;
        };
        let end = at + opener + end + close.len();
        out.extend(std::iter::repeat_n(
            '\u{3000}',
            rest[at..end].chars().count(),
        ));
        rest = &rest[end..];
    }
}

/// Byte offsets of `word` in `text`, as `match_indices`. Most lines hold none of the words a
/// rule looks for: a search for the word's first character settles those before a substring
/// searcher, whose set-up costs more than the line, is made.
pub fn occurrences<'a>(text: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    let present = word.chars().next().is_none_or(|first| text.contains(first));
    present
        .then(|| text.match_indices(word).map(|(at, _)| at))
        .into_iter()
        .flatten()
}

/// A Chinese character (not punctuation): words are made of these.
pub fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Character index → 1-based column.
pub fn column(text: &str, byte: usize) -> usize {
    text[..byte].chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_places_every_byte_as_a_short_one_does() {
        let text = "甲a乙,".repeat(100);
        let lines = source_lines(&[Section {
            path: PathBuf::from("a.md"),
            front: Default::default(),
            front_positions: Default::default(),
            body: text.clone(),
            body_line: 3,
        }]);
        let line = &lines[0];
        assert!(line.prose.len() > 256);
        for (byte, _) in text.char_indices() {
            assert_eq!(line.location(byte).column, column(&text, byte), "{byte}");
        }
        assert_eq!(line.location(text.len()).column, text.chars().count() + 1);
    }

    #[test]
    fn masks_keep_columns() {
        let masked = mask("为{{ 率 }}，<!-- x -->{% if a %}甲", &mut None);
        assert_eq!(
            masked.chars().count(),
            "为{{ 率 }}，<!-- x -->{% if a %}甲".chars().count()
        );
        assert!(masked.starts_with('为') && masked.ends_with('甲') && !masked.contains('率'));
        assert_eq!(
            mask("a < b {x} {{ c", &mut None),
            "a < b {x} \u{3000}\u{3000}\u{3000}\u{3000}"
        );
    }

    #[test]
    fn occurrences_are_those_of_match_indices() {
        for (text, word) in [("得分得分，自评得分", "得分"), ("没有", "得分"), ("甲", "")]
        {
            let expected: Vec<usize> = text.match_indices(word).map(|(at, _)| at).collect();
            assert_eq!(
                occurrences(text, word).collect::<Vec<_>>(),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn a_comment_over_several_lines_is_masked_on_each() {
        let section = Section {
            path: PathBuf::from("a.md"),
            body: "甲<!-- 说明：\n写法见 README，\n的的 -->乙\n丙\n".into(),
            body_line: 1,
            front: Default::default(),
            front_positions: Default::default(),
        };
        let prose: Vec<String> = source_lines(&[section])
            .into_iter()
            .map(|l| l.prose)
            .collect();
        assert_eq!(prose[0].trim_end_matches('\u{3000}'), "甲");
        assert!(prose[1].chars().all(|c| c == '\u{3000}'));
        assert_eq!(prose[2].trim_start_matches('\u{3000}'), "乙");
        assert_eq!(prose[3], "丙");
    }
}

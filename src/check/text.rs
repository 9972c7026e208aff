//! Source lines as rules read them: placeholders masked, switches found.

use std::path::PathBuf;

use crate::markdown::Section;

#[derive(Debug, Clone)]
pub struct SourceLine {
    pub file: PathBuf,
    pub line: usize,
    /// As written.
    pub text: String,
    /// With `{{ … }}`, `{% … %}` and HTML comments blanked out (same character count), so
    /// rules see only what the writer typed as prose and columns still match.
    pub prose: String,
}

impl SourceLine {
    /// `<!-- gongwen-allow: T002 N001 -->` switches rules off for this line and the next.
    pub fn allows(&self, rule: &str) -> bool {
        self.text.split("gongwen-allow:").skip(1).any(|rest| {
            rest.split("-->")
                .next()
                .is_some_and(|ids| ids.split([' ', ',', '，']).any(|id| id == rule))
        })
    }
}

pub fn source_lines(sections: &[Section]) -> Vec<SourceLine> {
    let mut out = Vec::new();
    for section in sections {
        for (i, text) in section.body.lines().enumerate() {
            out.push(SourceLine {
                file: section.path.clone(),
                line: section.body_line + i,
                text: text.to_string(),
                prose: mask(text),
            });
        }
    }
    out
}

/// Replaces template tags and comments with full-width spaces, one per character.
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = [("{{", "}}"), ("{%", "%}"), ("<!--", "-->")]
            .iter()
            .filter_map(|(open, close)| rest.find(open).map(|at| (at, *close)))
            .min_by_key(|(at, _)| *at);
        let Some((at, close)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        let end = rest[at..]
            .find(close)
            .map_or(rest.len(), |e| at + e + close.len());
        out.extend(std::iter::repeat_n(
            '\u{3000}',
            rest[at..end].chars().count(),
        ));
        rest = &rest[end..];
    }
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
    fn masks_keep_columns() {
        let masked = mask("为{{ 率 }}，<!-- x -->{% if a %}甲");
        assert_eq!(
            masked.chars().count(),
            "为{{ 率 }}，<!-- x -->{% if a %}甲".chars().count()
        );
        assert!(masked.starts_with('为') && masked.ends_with('甲') && !masked.contains('率'));
    }
}

//! Text that Markdown must read as it is: the one escaper for values filled into a section
//! and for text imported from a .docx.

/// Text as the Markdown parser reads it literally, on one line: a value filled into a section, a
/// .docx's text imported. Characters CommonMark gives a meaning (emphasis, code, links,
/// HTML and entities, table cells, strikethrough, headings, braces) are escaped with a
/// backslash, which it allows before any ASCII punctuation; so is a start that would open a
/// block ("- ", "+ ", "=", "1. ", "1)") when `line_start`. Line breaks are the caller's.
/// The text [`escape_literal`] escaped, as the reader sees it: each backslash before ASCII
/// punctuation taken out.
pub fn unescape_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(*next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

pub fn escape_literal(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut digits_only = line_start;
    let mut first = line_start;
    while let Some(c) = chars.next() {
        let escaped = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '$' | '{'
            | '}' => true,
            '-' | '+' | '=' => first,
            '.' | ')' => digits_only && !first && chars.peek().is_none_or(|c| c.is_whitespace()),
            _ => false,
        };
        if escaped {
            out.push('\\');
        }
        out.push(c);
        digits_only = digits_only && c.is_ascii_digit();
        first = false;
    }
    out
}

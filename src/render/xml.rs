//! The one XML escaper: every text that reaches a part of the .docx (body, footnotes, tracked
//! changes' author, the patched styles and font table) passes through [`escape`], and style
//! values that docx-rs writes itself were cleaned as they were read
//! ([`keep_xml_chars`](crate::input::source::keep_xml_chars)). A character XML 1.0 forbids
//! makes the part unreadable, so Word refuses the whole file: such characters are dropped.

/// `text` escaped for an element or a double-quoted attribute.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape(&mut out, text);
    out
}

/// Appends `text` escaped, without the characters [`is_kept`](crate::input::source::is_kept) refuses. Scans bytes: every
/// character it looks for starts with a byte in [`MAY_ESCAPE`], so a table of those bytes
/// skips the rest (almost all of a Chinese text) at a lookup each.
pub fn escape(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = bytes[i..].iter().position(|&b| MAY_ESCAPE[usize::from(b)]) {
        i += found;
        let (length, replacement) = match bytes[i] {
            b'&' => (1, "&amp;"),
            b'<' => (1, "&lt;"),
            b'>' => (1, "&gt;"),
            b'"' => (1, "&quot;"),
            0xC2 if !matches!(bytes.get(i + 1), Some(0x80..=0x9F)) => {
                i += 1;
                continue;
            }
            0xC2 => (2, ""),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF; other EF characters (the
            // full-width punctuation) are kept.
            0xEF if !matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
                i += 1;
                continue;
            }
            0xEF => (3, ""),
            _ => (1, ""),
        };
        out.push_str(&text[copied..i]);
        out.push_str(replacement);
        i += length;
        copied = i;
    }
    out.push_str(&text[copied..]);
}

/// The bytes [`escape`] looks at: markup, C0 controls and DEL, 0xC2 (the lead byte of the C1
/// controls) and 0xEF (of U+FFFE and U+FFFF).
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[0x7F] = true;
    table[0xC2] = true;
    table[0xEF] = true;
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::source::keep_xml_chars;

    #[test]
    fn escape_and_keep_agree_on_every_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = c.to_string();
            let expected = match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                _ => keep_xml_chars(&text),
            };
            assert_eq!(escaped(&text), expected, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn escaped_text_parses() {
        let text = "a\u{1}b\u{FFFE}c\u{FFFF}d，（e）\u{85}<&>\"";
        let xml = format!("<t a=\"{}\">{}</t>", escaped(text), escaped(text));
        let doc = roxmltree::Document::parse(&xml).unwrap();
        assert_eq!(doc.root_element().text(), Some("abcd，（e）<&>\""));
    }
}

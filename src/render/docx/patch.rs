//! Edits to the XML parts docx-rs builds, for what its API does not offer. Each edit is a
//! plain text substitution on XML that docx-rs writes in a fixed form; then every part is put
//! in schema order by [`schema::reorder`].

use std::collections::HashMap;

use docx_rs::XMLDocx;

use crate::input::style::Style;
use crate::render::xml::{escape, escaped};

use super::schema;

pub fn apply(xml: &mut XMLDocx, style: &Style) {
    edit(&mut xml.styles, |s| styles(s, style));
    xml.font_table = font_table(style).into_bytes();
    number_from_one(xml);
    let parts = [
        &mut xml.document,
        &mut xml.styles,
        &mut xml.settings,
        &mut xml.font_table,
    ];
    for part in parts.into_iter().chain(xml.footers.iter_mut()) {
        edit(part, schema::reorder);
    }
}

/// Puts the body's content into the document docx-rs built without any, before its w:sectPr.
pub fn insert_body(xml: &mut XMLDocx, content: &str) {
    const BODY: &[u8] = b"<w:body>";
    if let Some(at) = xml
        .document
        .windows(BODY.len())
        .position(|w| w == BODY)
        .map(|at| at + BODY.len())
    {
        let mut document = Vec::with_capacity(xml.document.len() + content.len());
        document.extend_from_slice(&xml.document[..at]);
        document.extend_from_slice(content.as_bytes());
        document.extend_from_slice(&xml.document[at..]);
        xml.document = document;
    }
}

/// docx-rs takes ids for paragraphs and footers from counters that live as long as the
/// process, so a second document built in the same process would get other ids. Renumbering
/// them in order of appearance makes the bytes depend on the sources only.
fn number_from_one(xml: &mut XMLDocx) {
    let mut families = [
        Family::new(&["rIdFooter"], false, |n| n.to_string()),
        Family::new(&["w14:paraId=\""], true, |n| format!("{n:08X}")),
    ];
    for part in std::iter::once(&mut xml.document).chain(xml.footers.iter_mut()) {
        edit(part, |text| renumber(text, &mut families));
    }
}

/// Ids that share a numbering: the number after any of `prefixes`.
struct Family {
    prefixes: &'static [&'static str],
    hex: bool,
    format: fn(usize) -> String,
    /// Old id → new, in order of first appearance across all parts.
    seen: HashMap<String, usize>,
}

impl Family {
    fn new(prefixes: &'static [&'static str], hex: bool, format: fn(usize) -> String) -> Self {
        Family {
            prefixes,
            hex,
            format,
            seen: HashMap::new(),
        }
    }
}

/// One pass over `text`: each id after a family's prefix becomes its rank of first
/// appearance (from 1). Every prefix's next occurrence is looked up once per occurrence.
fn renumber(text: &str, families: &mut [Family]) -> String {
    let patterns: Vec<(usize, &str)> = families
        .iter()
        .enumerate()
        .flat_map(|(f, family)| family.prefixes.iter().map(move |p| (f, *p)))
        .collect();
    let mut next: Vec<Option<usize>> = patterns.iter().map(|(_, p)| text.find(p)).collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    while let Some((k, at)) = next
        .iter()
        .enumerate()
        .filter_map(|(k, at)| at.map(|at| (k, at)))
        .min_by_key(|&(_, at)| at)
    {
        let (f, prefix) = patterns[k];
        let family = &mut families[f];
        let start = at + prefix.len();
        let len = text[start..]
            .bytes()
            .take_while(|b| {
                if family.hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        let following = family.seen.len() + 1;
        let rank = *family
            .seen
            .entry(text[start..start + len].to_string())
            .or_insert(following);
        out.push_str(&text[copied..start]);
        out.push_str(&(family.format)(rank));
        copied = start + len;
        next[k] = text[copied..].find(prefix).map(|i| copied + i);
    }
    out.push_str(&text[copied..]);
    out
}

fn edit(part: &mut Vec<u8>, f: impl FnOnce(&str) -> String) {
    if let Ok(text) = std::str::from_utf8(part) {
        *part = f(text).into_bytes();
    }
}

/// Chinese language for the East Asian text (spelling, punctuation and line breaking in Word
/// and WPS), firstLineChars so Word indents by characters, and the footnote reference style
/// docx-rs refers to but never defines.
fn styles(xml: &str, style: &Style) -> String {
    let lang = format!(
        "<w:lang w:val=\"en-US\" w:eastAsia=\"{}\" w:bidi=\"ar-SA\" /></w:rPr></w:rPrDefault>",
        escaped(&style.language)
    );
    let mut out = xml.replacen("</w:rPr></w:rPrDefault>", &lang, 1);
    // No punctuation hanging past the text block: GB/T 9704 keeps every character inside it.
    // LibreOffice reads it per style, not from the defaults.
    out = out.replace(
        "<w:pPr><w:rPr />",
        "<w:pPr><w:rPr /><w:overflowPunct w:val=\"0\" />",
    );
    let indents = [
        ("BodyText", style.body.first_line_indent_chars),
        ("Heading1", style.headings[0].first_line_indent_chars),
        ("Heading2", style.headings[1].first_line_indent_chars),
        ("Heading3", style.headings[2].first_line_indent_chars),
        ("Heading4", style.headings[3].first_line_indent_chars),
    ];
    for (id, chars) in indents.into_iter().filter(|&(_, chars)| chars > 0) {
        let marker = format!("w:styleId=\"{id}\"");
        let Some(start) = out.find(&marker) else {
            continue;
        };
        let end = out[start..]
            .find("</w:style>")
            .map_or(out.len(), |e| start + e);
        let chunk = &out[start..end];
        if let Some(at) = chunk.find(" w:firstLine=\"") {
            let value_end = chunk[at + 14..]
                .find('"')
                .map_or(chunk.len(), |e| at + 14 + e + 1);
            let with_chars = format!(
                "{} w:firstLineChars=\"{}\"",
                &chunk[at..value_end],
                u32::from(chars) * 100
            );
            let chunk = format!("{}{}{}", &chunk[..at], with_chars, &chunk[value_end..]);
            out.replace_range(start..end, &chunk);
        }
    }
    out.replace(
        "</w:styles>",
        "<w:style w:type=\"character\" w:styleId=\"FootnoteReference\"><w:name w:val=\"footnote reference\" /><w:rPr><w:vertAlign w:val=\"superscript\" /></w:rPr></w:style></w:styles>",
    )
}

/// Declares every font the style names with a substitute for computers that lack it: Chinese
/// ones with the GB2312 charset, Latin ones with the Western, so Word and WPS pick the right
/// face.
fn font_table(style: &Style) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
    );
    for font in style.fonts() {
        out.push_str("<w:font w:name=\"");
        escape(&mut out, font);
        out.push_str("\">");
        if let Some(alternate) = style.font_substitutes.get(font) {
            out.push_str("<w:altName w:val=\"");
            escape(&mut out, alternate);
            out.push_str("\" />");
        }
        out.push_str(if font.is_ascii() {
            "<w:charset w:val=\"00\" /><w:family w:val=\"roman\" /><w:pitch w:val=\"variable\" />"
        } else {
            "<w:charset w:val=\"86\" /><w:family w:val=\"modern\" /><w:pitch w:val=\"fixed\" />"
        });
        out.push_str("</w:font>");
    }
    out.push_str("</w:fonts>");
    out
}

//! What docx-rs's API does not offer, and its ids, put right in one pass over the parts' trees:
//! each fix finds its elements by name and position, adds what is missing as elements, and
//! reports an element it expects and does not find as an error of the renderer (so a docx-rs
//! that writes differently fails the build instead of losing a fix). Then every part is put
//! in schema order by [`schema::order`].

use std::collections::HashMap;

use docx_rs::XMLDocx;

use crate::diag::{Error, Result};
use crate::input::style::Style;

use super::package::{FOOTERS, Parts};
use super::schema;
use super::tree::{Element, Node, Part, missing};

pub fn apply(xml: &XMLDocx, style: &Style) -> Result<Parts> {
    if xml.footers.len() > FOOTERS.len() {
        return Err(Error::Render {
            part: "word/document.xml",
            message: format!("页脚多于 {} 个", FOOTERS.len()),
        });
    }
    let mut parts = Parts {
        document: Part::parse("word/document.xml", &xml.document)?,
        styles: Part::parse("word/styles.xml", &xml.styles)?,
        settings: Part::parse("word/settings.xml", &xml.settings)?,
        font_table: font_table(style),
        footers: FOOTERS
            .iter()
            .zip(&xml.footers)
            .map(|(&(name, _), bytes)| Part::parse(name, bytes))
            .collect::<Result<_>>()?,
    };
    styles(&mut parts.styles, style)?;
    settings(&mut parts.settings, style);
    number_from_one(&mut parts)?;
    for part in parts.all_mut() {
        schema::order(&mut part.root);
    }
    Ok(parts)
}

/// The theme's fonts are for the document's language: Chinese for East Asian text, so WPS
/// and Word take no Japanese or Korean face for a theme font.
fn settings(part: &mut Part, style: &Style) {
    let lang = part.root.child_or_new("w:themeFontLang");
    lang.set("w:val", "en-US");
    lang.set("w:eastAsia", &style.language);
}

/// The styles part for LibreOffice, which reads `w:overflowPunct` the other way round from
/// Word (val 0 makes it hang punctuation past the margin): every one says 1, so a preview
/// shows what Word shows, every character inside the text block.
pub fn for_libreoffice(styles: &[u8]) -> Result<Vec<u8>> {
    let mut part = Part::parse("word/styles.xml", styles)?;
    let mut flipped = 0;
    part.root.visit_mut(&mut |element| {
        if element.name == "w:overflowPunct" {
            element.set("w:val", "1");
            flipped += 1;
        }
    });
    if flipped == 0 {
        return Err(missing(part.name, "w:overflowPunct"));
    }
    Ok(part.write())
}

/// Puts the body's content into the document docx-rs built without any, before its w:sectPr.
pub fn insert_body(document: &mut Part, content: String) -> Result<()> {
    body(document)?.children.insert(0, Node::Markup(content));
    Ok(())
}

pub fn body(document: &mut Part) -> Result<&mut Element> {
    let name = document.name;
    document
        .root
        .child_mut("w:body")
        .ok_or_else(|| missing(name, "w:body"))
}

/// docx-rs takes ids for paragraphs and footers from counters that live as long as the
/// process, so a second document built in the same process would get other ids. Numbering
/// them in order of appearance makes the bytes depend on the sources only; the footers take
/// the relationship ids the package gives them.
fn number_from_one(parts: &mut Parts) -> Result<()> {
    let mut footers = Ranks::default();
    parts.document.root.visit_mut(&mut |element| {
        if element.name == "w:footerReference" {
            footers.renumber(element, "r:id", |rank| {
                FOOTERS
                    .get(rank - 1)
                    .map_or_else(String::new, |(_, id)| (*id).into())
            });
        }
    });
    if footers.seen.len() != parts.footers.len() {
        return Err(missing(
            parts.document.name,
            &format!(
                "{} 个页脚各自的 w:footerReference（找到 {} 个）",
                parts.footers.len(),
                footers.seen.len()
            ),
        ));
    }
    let mut paragraphs = Ranks::default();
    for part in std::iter::once(&mut parts.document).chain(parts.footers.iter_mut()) {
        part.root.visit_mut(&mut |element| {
            paragraphs.renumber(element, "w14:paraId", |rank| format!("{rank:08X}"));
        });
    }
    Ok(())
}

/// Old id → rank of first appearance (from 1), across every part that shares the numbering.
#[derive(Default)]
struct Ranks {
    seen: HashMap<String, usize>,
}

impl Ranks {
    fn renumber(
        &mut self,
        element: &mut Element,
        attribute: &str,
        format: impl Fn(usize) -> String,
    ) {
        if let Some(old) = element.attribute(attribute) {
            let next = self.seen.len() + 1;
            let rank = *self.seen.entry(old.to_string()).or_insert(next);
            element.set(attribute, &format(rank));
        }
    }
}

/// Chinese language for the East Asian text (spelling, punctuation and line breaking in Word
/// and WPS), no hanging punctuation, firstLineChars so Word indents by characters, and the
/// footnote reference style docx-rs refers to but never defines.
fn styles(part: &mut Part, style: &Style) -> Result<()> {
    let name = part.name;
    let root = &mut part.root;
    const RUN_DEFAULTS: [&str; 3] = ["w:docDefaults", "w:rPrDefault", "w:rPr"];
    let lang = root
        .path_mut(&RUN_DEFAULTS)
        .ok_or_else(|| missing(name, &RUN_DEFAULTS.join("/")))?
        .child_or_new("w:lang");
    lang.set("w:val", "en-US");
    lang.set("w:eastAsia", &style.language);
    lang.set("w:bidi", "ar-SA");

    // No punctuation hanging past the text block: GB/T 9704 keeps every character inside it.
    // LibreOffice reads it per style, not from the defaults.
    const PARAGRAPH_DEFAULTS: [&str; 3] = ["w:docDefaults", "w:pPrDefault", "w:pPr"];
    no_overflow(
        root.path_mut(&PARAGRAPH_DEFAULTS)
            .ok_or_else(|| missing(name, &PARAGRAPH_DEFAULTS.join("/")))?,
    );
    for paragraph_style in root
        .elements_mut()
        .filter(|e| e.name == "w:style" && e.attribute("w:type") == Some("paragraph"))
    {
        no_overflow(paragraph_style.child_or_new("w:pPr"));
    }

    let indents = std::iter::once(("BodyText".to_string(), style.body.first_line_indent_chars))
        .chain(style.headings.iter().enumerate().map(|(index, heading)| {
            (
                super::heading_style_id(index + 1),
                heading.first_line_indent_chars,
            )
        }));
    for (id, chars) in indents.filter(|&(_, chars)| chars > 0) {
        let ind = style_by_id(root, &id)
            .and_then(|s| s.path_mut(&["w:pPr", "w:ind"]))
            .filter(|ind| ind.attribute("w:firstLine").is_some())
            .ok_or_else(|| {
                missing(
                    name,
                    &format!("w:style[@w:styleId=\"{id}\"]/w:pPr/w:ind/@w:firstLine"),
                )
            })?;
        set_after(
            ind,
            "w:firstLine",
            "w:firstLineChars",
            &(u32::from(chars) * 100).to_string(),
        );
    }

    if style_by_id(root, "FootnoteReference").is_none() {
        root.children.push(Node::Element(
            Element::new("w:style")
                .with("w:type", "character")
                .with("w:styleId", "FootnoteReference")
                .containing(Element::new("w:name").with("w:val", "footnote reference"))
                .containing(
                    Element::new("w:rPr")
                        .containing(Element::new("w:vertAlign").with("w:val", "superscript")),
                ),
        ));
    }
    Ok(())
}

fn no_overflow(paragraph_properties: &mut Element) {
    paragraph_properties
        .child_or_new("w:overflowPunct")
        .set("w:val", "0");
}

fn style_by_id<'a>(styles: &'a mut Element, id: &str) -> Option<&'a mut Element> {
    styles
        .elements_mut()
        .find(|e| e.name == "w:style" && e.attribute("w:styleId") == Some(id))
}

/// Sets `name` right after the attribute `after`, which the element has.
fn set_after(element: &mut Element, after: &str, name: &str, value: &str) {
    element.attributes.retain(|(n, _)| n != name);
    let at = element
        .attributes
        .iter()
        .position(|(n, _)| n == after)
        .map_or(element.attributes.len(), |at| at + 1);
    element
        .attributes
        .insert(at, (name.to_string(), value.to_string()));
}

/// Declares every font the style names with a substitute for computers that lack it: Chinese
/// ones with the GB2312 charset, Latin ones with the Western, so Word and WPS pick the right
/// face.
fn font_table(style: &Style) -> Part {
    let mut fonts = Element::new("w:fonts")
        .with(
            "xmlns:w",
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        )
        .with(
            "xmlns:r",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        );
    for font in style.fonts() {
        let mut entry = Element::new("w:font").with("w:name", font);
        if let Some(alternate) = style.font_substitutes.get(font) {
            entry = entry.containing(Element::new("w:altName").with("w:val", alternate));
        }
        let (charset, family, pitch) = if font.is_ascii() {
            ("00", "roman", "variable")
        } else {
            ("86", "modern", "fixed")
        };
        fonts = fonts.containing(
            entry
                .containing(Element::new("w:charset").with("w:val", charset))
                .containing(Element::new("w:family").with("w:val", family))
                .containing(Element::new("w:pitch").with("w:val", pitch)),
        );
    }
    Part::new("word/fontTable.xml", fonts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_style() -> Style {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("styles/gbt9704.yaml");
        Style::load(&path).unwrap()
    }

    fn styles_part(xml: &str) -> Part {
        Part::parse("word/styles.xml", xml.as_bytes()).unwrap()
    }

    const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    #[test]
    fn styles_unlike_what_docx_rs_writes_are_an_error_naming_what_is_missing() {
        let style = sample_style();
        let no_defaults = styles_part(&format!("<w:styles {NS} />"));
        let err = styles(&mut no_defaults.clone(), &style).unwrap_err();
        assert!(matches!(err, Error::Render { .. }));
        assert_eq!(
            err.to_string().split('。').next().unwrap(),
            "word/styles.xml: 生成文件时出错：找不到 w:docDefaults/w:rPrDefault/w:rPr"
        );
        let no_indent = styles_part(&format!(
            "<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr /></w:rPrDefault><w:pPrDefault><w:pPr /></w:pPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:styleId=\"BodyText\"><w:pPr><w:ind w:left=\"0\" /></w:pPr></w:style></w:styles>"
        ));
        let err = styles(&mut no_indent.clone(), &style).unwrap_err();
        assert!(
            err.to_string()
                .contains("找不到 w:style[@w:styleId=\"BodyText\"]/w:pPr/w:ind/@w:firstLine"),
            "{err}"
        );
    }

    #[test]
    fn footers_without_references_are_an_error() {
        let part = |name, xml: String| Part::parse(name, xml.as_bytes()).unwrap();
        let mut parts = Parts {
            document: part(
                "word/document.xml",
                format!("<w:document {NS}><w:body><w:sectPr /></w:body></w:document>"),
            ),
            styles: part("word/styles.xml", format!("<w:styles {NS} />")),
            settings: part("word/settings.xml", format!("<w:settings {NS} />")),
            font_table: font_table(&sample_style()),
            footers: vec![part("word/footer1.xml", format!("<w:ftr {NS} />"))],
        };
        let err = number_from_one(&mut parts).unwrap_err();
        assert!(
            err.to_string().contains("w:footerReference（找到 0 个）"),
            "{err}"
        );
    }
}

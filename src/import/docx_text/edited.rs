//! A .docx someone edited in Word or WPS, for `gongwen absorb`: its text as textconv prints it
//! with every pending tracked change taken as made (insertions in, deletions and moved-away
//! text out, a deleted paragraph mark joining two paragraphs), how many changes were pending,
//! its comments with the text they mark, and its custom properties.

use std::collections::HashMap;
use std::path::Path;

use roxmltree::Node;

use crate::diag::Result;

use super::structure::part_xml;
use super::{MAX_DOCUMENT_BYTES, W, document_xml, elements_last_first, paragraph, parse_part};

const CUSTOM: &str = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";

/// What an edited .docx says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edited {
    /// One paragraph or table row a line, as [`super::docx_text`] prints them.
    pub lines: Vec<String>,
    /// Tracked insertions and deletions still pending (taken as accepted).
    pub insertions: usize,
    pub deletions: usize,
    pub comments: Vec<Comment>,
    /// The footnotes' text, in the order the body refers to them.
    pub footnotes: Vec<String>,
    /// The text properties of docProps/custom.xml, by name.
    pub properties: Vec<(String, String)>,
}

/// A comment, where it stands in [`Edited::lines`].
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub author: String,
    /// What the comment says.
    pub note: String,
    /// The line it starts on, and the character in it.
    pub line: usize,
    pub at: usize,
    /// The text it marks (empty when it marks a point).
    pub marked: String,
}

impl Edited {
    /// The value of the custom property `name`.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A comment's range as the body is read: where it starts in [`Edited::lines`], and the
/// text it marks as bytes of all the text read (a range never closed marks none).
struct Range {
    line: usize,
    at: usize,
    start: usize,
    end: Option<usize>,
}

/// The body being read: the lines so far and the paragraph being collected (which a deleted
/// paragraph mark carries on into the next), with all its text in one run for the comments.
struct Reader {
    lines: Vec<String>,
    current: String,
    /// Characters in `current`.
    current_chars: usize,
    open: bool,
    all_text: String,
    /// By comment id; the order comments appear in.
    ranges: HashMap<String, Range>,
    order: Vec<String>,
    /// The footnotes referred to, by id, in order.
    footnotes: Vec<String>,
    insertions: usize,
    deletions: usize,
}

impl Reader {
    fn push_text(&mut self, text: &str) {
        self.current.push_str(text);
        self.current_chars += text.chars().count();
        self.all_text.push_str(text);
    }

    fn start(&mut self, id: &str) {
        if self.ranges.contains_key(id) {
            return;
        }
        self.order.push(id.to_string());
        self.ranges.insert(
            id.to_string(),
            Range {
                line: self.lines.len(),
                at: self.current_chars,
                start: self.all_text.len(),
                end: None,
            },
        );
    }

    fn end(&mut self, id: &str) {
        if let Some(range) = self.ranges.get_mut(id) {
            range.end.get_or_insert(self.all_text.len());
        }
    }

    fn finish_paragraph(&mut self) {
        self.lines.push(std::mem::take(&mut self.current));
        self.current_chars = 0;
        self.open = false;
    }

    /// A paragraph: its text, the comment marks in it, its tracked changes.
    fn paragraph(&mut self, p: Node<'_, '_>) {
        self.open = true;
        let mut mark_deleted = false;
        for node in p.descendants() {
            if node.tag_name().namespace() != Some(W) {
                continue;
            }
            let id = node.attribute((W, "id")).unwrap_or("");
            match node.tag_name().name() {
                "t" if !moved_away(node) => self.push_text(node.text().unwrap_or("")),
                "tab" if node.parent().is_some_and(|p| p.has_tag_name((W, "r"))) => {
                    self.push_text("\t")
                }
                "br" | "cr" => self.push_text(" "),
                "commentRangeStart" => self.start(id),
                "commentReference" => {
                    // A comment on a point, without a range: it marks no text.
                    self.start(id);
                    self.end(id);
                }
                "commentRangeEnd" => self.end(id),
                "footnoteReference" if !node.ancestors().any(|a| a.has_tag_name((W, "del"))) => {
                    self.footnotes.push(id.to_string())
                }
                "ins" | "moveTo" if has_runs(node) => self.insertions += 1,
                "del" | "moveFrom" if has_runs(node) => self.deletions += 1,
                "del" if in_mark(node) => mark_deleted = true,
                _ => {}
            }
        }
        // A paragraph mark deleted and not yet accepted: the paragraph runs on into the next.
        if !mark_deleted {
            self.finish_paragraph();
        }
    }
}

/// Whether a tracked change holds text (and is not a paragraph mark's or a property's).
fn has_runs(node: Node<'_, '_>) -> bool {
    node.children().any(|c| c.has_tag_name((W, "r")))
}

/// Whether a w:del marks the paragraph mark (in w:pPr/w:rPr).
fn in_mark(node: Node<'_, '_>) -> bool {
    node.parent()
        .filter(|rpr| rpr.has_tag_name((W, "rPr")))
        .and_then(|rpr| rpr.parent())
        .is_some_and(|ppr| ppr.has_tag_name((W, "pPr")))
}

/// Text moved elsewhere by a pending move: it stands where it went.
fn moved_away(t: Node<'_, '_>) -> bool {
    t.ancestors().any(|a| a.has_tag_name((W, "moveFrom")))
}

/// Reads the .docx `bytes` (named `file` in messages).
pub fn read(bytes: &[u8], file: &Path) -> Result<Edited> {
    let xml = document_xml(bytes, MAX_DOCUMENT_BYTES, file)?;
    let doc = parse_part("word/document.xml", &xml, file)?;
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or_else(|| super::unreadable(file, "word/document.xml 没有正文".to_string()))?;
    let mut reader = Reader {
        lines: Vec::new(),
        current: String::new(),
        current_chars: 0,
        open: false,
        all_text: String::new(),
        ranges: HashMap::new(),
        order: Vec::new(),
        footnotes: Vec::new(),
        insertions: 0,
        deletions: 0,
    };
    let mut pending = elements_last_first(body);
    while let Some(node) = pending.pop() {
        match node.tag_name().name() {
            "p" if node.tag_name().namespace() == Some(W) => reader.paragraph(node),
            "tbl" => {
                if reader.open {
                    reader.finish_paragraph();
                }
                for row in node.children().filter(|n| n.has_tag_name((W, "tr"))) {
                    let cells: Vec<String> = row
                        .children()
                        .filter(|n| n.has_tag_name((W, "tc")))
                        .map(|cell| {
                            let texts: Vec<String> = cell
                                .descendants()
                                .filter(|n| n.has_tag_name((W, "p")))
                                .map(paragraph)
                                .collect();
                            texts.join(" ")
                        })
                        .collect();
                    // A comment in a table stands at its row, marking no text of it.
                    for mark in row.descendants().filter(|n| {
                        n.has_tag_name((W, "commentRangeStart"))
                            || n.has_tag_name((W, "commentReference"))
                    }) {
                        let id = mark.attribute((W, "id")).unwrap_or("");
                        reader.start(id);
                        reader.end(id);
                    }
                    reader.lines.push(format!("| {} |", cells.join(" | ")));
                }
            }
            "sdt" | "sdtContent" | "customXml" => pending.extend(elements_last_first(node)),
            "commentRangeStart" => reader.start(node.attribute((W, "id")).unwrap_or("")),
            "commentRangeEnd" => reader.end(node.attribute((W, "id")).unwrap_or("")),
            _ => {}
        }
    }
    if reader.open {
        reader.finish_paragraph();
    }
    let notes = comment_notes(bytes, file)?;
    let last = reader.lines.len().saturating_sub(1);
    let comments = reader
        .order
        .iter()
        .filter_map(|id| {
            let range = reader.ranges.get(id)?;
            let (author, note) = notes.get(id)?;
            let end = range.end.unwrap_or(range.start);
            Some(Comment {
                author: author.clone(),
                note: note.clone(),
                line: range.line.min(last),
                at: range.at,
                marked: reader
                    .all_text
                    .get(range.start..end)
                    .unwrap_or("")
                    .to_string(),
            })
        })
        .collect();
    Ok(Edited {
        lines: reader.lines,
        insertions: reader.insertions,
        deletions: reader.deletions,
        comments,
        footnotes: footnote_texts(bytes, file, &reader.footnotes)?,
        properties: custom_properties(bytes, file)?,
    })
}

/// word/comments.xml: each comment's author and text (its paragraphs joined by spaces), by id.
fn comment_notes(bytes: &[u8], file: &Path) -> Result<HashMap<String, (String, String)>> {
    let Some(xml) = part_xml(bytes, "word/comments.xml", file)? else {
        return Ok(HashMap::new());
    };
    let doc = parse_part("word/comments.xml", &xml, file)?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "comment")))
        .map(|comment| {
            let text: Vec<String> = comment
                .descendants()
                .filter(|n| n.has_tag_name((W, "p")))
                .map(paragraph)
                .collect();
            let attr = |name| comment.attribute((W, name)).unwrap_or("").to_string();
            let note = text.join(" ").trim().to_string();
            (attr("id"), (attr("author"), note))
        })
        .collect())
}

/// The text of the footnotes `ids`, from word/footnotes.xml (empty for one it lacks).
fn footnote_texts(bytes: &[u8], file: &Path, ids: &[String]) -> Result<Vec<String>> {
    let Some(xml) = part_xml(bytes, "word/footnotes.xml", file)? else {
        return Ok(vec![String::new(); ids.len()]);
    };
    let doc = parse_part("word/footnotes.xml", &xml, file)?;
    let texts: HashMap<&str, String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "footnote")))
        .map(|note| {
            let text: Vec<String> = note
                .descendants()
                .filter(|n| n.has_tag_name((W, "p")))
                .map(paragraph)
                .collect();
            let id = note.attribute((W, "id")).unwrap_or("");
            (id, text.join(" ").trim().to_string())
        })
        .collect();
    Ok(ids
        .iter()
        .map(|id| texts.get(id.as_str()).cloned().unwrap_or_default())
        .collect())
}

/// docProps/custom.xml's properties that hold text, by name.
fn custom_properties(bytes: &[u8], file: &Path) -> Result<Vec<(String, String)>> {
    let Some(xml) = part_xml(bytes, "docProps/custom.xml", file)? else {
        return Ok(Vec::new());
    };
    let doc = parse_part("docProps/custom.xml", &xml, file)?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name((CUSTOM, "property")))
        .filter_map(|property| {
            let name = property.attribute("name")?;
            let value = property.children().find(Node::is_element)?;
            Some((name.to_string(), value.text().unwrap_or("").to_string()))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn docx(body: &str, comments: Option<&str>) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("word/document.xml", options).unwrap();
        write!(
            zip,
            r#"<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
        )
        .unwrap();
        if let Some(comments) = comments {
            zip.start_file("word/comments.xml", options).unwrap();
            write!(zip, r#"<w:comments xmlns:w="{W}">{comments}</w:comments>"#).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn pending_changes_are_taken_as_accepted_and_counted() {
        let body = concat!(
            r#"<w:p><w:r><w:t>甲</w:t></w:r><w:ins w:id="1"><w:r><w:t>乙</w:t></w:r></w:ins>"#,
            r#"<w:del w:id="2"><w:r><w:delText>丙</w:delText></w:r></w:del></w:p>"#,
            // A paragraph deleted whole, its mark too: it joins the next, with nothing.
            r#"<w:p><w:pPr><w:rPr><w:del w:id="3"/></w:rPr></w:pPr><w:del w:id="4"><w:r><w:delText>删去的段</w:delText></w:r></w:del></w:p>"#,
            r#"<w:p><w:moveFrom w:id="5"><w:r><w:t>挪走</w:t></w:r></w:moveFrom><w:r><w:t>丁</w:t></w:r></w:p>"#,
        );
        let edited = read(&docx(body, None), Path::new("a.docx")).unwrap();
        assert_eq!(edited.lines, ["甲乙", "丁"]);
        assert_eq!((edited.insertions, edited.deletions), (1, 3));
    }

    #[test]
    fn a_comment_stands_at_the_text_it_marks() {
        let body = concat!(
            r#"<w:p><w:r><w:t>第一段</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>前面</w:t></w:r><w:commentRangeStart w:id="7"/><w:r><w:t>批注的字</w:t></w:r>"#,
            r#"<w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r><w:r><w:t>后面</w:t></w:r></w:p>"#,
        );
        let comments = r#"<w:comment w:id="7" w:author="张科长"><w:p><w:r><w:t>请核实</w:t></w:r></w:p></w:comment>"#;
        let edited = read(&docx(body, Some(comments)), Path::new("a.docx")).unwrap();
        assert_eq!(
            edited.comments,
            [Comment {
                author: "张科长".into(),
                note: "请核实".into(),
                line: 1,
                at: 2,
                marked: "批注的字".into(),
            }]
        );
        assert!(edited.properties.is_empty());
    }
}

//! The NEW document with the differences from OLD as tracked changes: changed paragraphs word
//! by word, whole paragraphs inserted or deleted where they were. Accepting every change
//! gives NEW's text; rejecting every change gives OLD's.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::model::{Block, Document, Inline, Paragraph, Revision, plain_text};

use super::diff::{Change, changes, tokens};

/// What a block says, as the text renderer would show it (numbers and markers included).
fn block_text(block: &Block) -> String {
    match block {
        Block::Heading(h) => format!("{}{}", h.number, plain_text(&h.content)),
        Block::Paragraph(p) => {
            let marker = p.item.as_ref().map_or("", |i| i.marker.as_str());
            format!("{marker}{}{}", plain_text(&p.lead), plain_text(&p.content))
        }
        Block::Table(t) => std::iter::once(&t.header)
            .chain(&t.rows)
            .flat_map(|row| row.iter().map(|cell| plain_text(cell)))
            .collect::<Vec<_>>()
            .join("|"),
    }
}

/// A block's footnotes, each with the length of the block text before it (in bytes).
fn footnotes(block: &Block) -> Vec<(usize, Inline)> {
    let (mut at, content) = match block {
        Block::Heading(h) => (h.number.len(), &h.content),
        Block::Paragraph(p) => {
            let marker = p.item.as_ref().map_or(0, |i| i.marker.len());
            (marker + plain_text(&p.lead).len(), &p.content)
        }
        Block::Table(_) => return Vec::new(),
    };
    let mut notes = Vec::new();
    for inline in content {
        match inline {
            Inline::Footnote(_) => notes.push((at, inline.clone())),
            other => at += plain_text(std::slice::from_ref(other)).len(),
        }
    }
    notes
}

/// Puts NEW's footnotes back among the inlines of a diff, where they stood in NEW's text:
/// plain and inserted text are NEW's, deleted text is not.
fn place_footnotes(inlines: Vec<Inline>, notes: Vec<(usize, Inline)>) -> Vec<Inline> {
    let mut notes = notes.into_iter().peekable();
    let mut out = Vec::with_capacity(inlines.len());
    let mut at = 0;
    for inline in inlines {
        let text = match &inline {
            Inline::Text { text, .. }
            | Inline::Revised {
                revision: Revision::Inserted,
                text,
            } => text.clone(),
            _ => {
                out.push(inline);
                continue;
            }
        };
        let piece = |part: &str| match &inline {
            Inline::Revised { revision, .. } => Inline::Revised {
                revision: *revision,
                text: part.to_string(),
            },
            _ => Inline::plain(part),
        };
        let mut from = 0;
        while let Some((offset, note)) = notes.next_if(|(offset, _)| *offset <= at + text.len()) {
            let cut = offset.saturating_sub(at).max(from);
            let cut = if text.is_char_boundary(cut) {
                cut
            } else {
                from
            };
            if cut > from {
                out.push(piece(&text[from..cut]));
            }
            out.push(note);
            from = cut;
        }
        if from < text.len() {
            out.push(piece(&text[from..]));
        }
        at += text.len();
    }
    out.extend(notes.map(|(_, note)| note));
    out
}

/// A block wholly inserted or deleted: its text becomes a tracked change and its paragraph
/// mark is marked too. Tables are not tracked: a deleted one is dropped, an inserted one shown.
fn whole(block: &Block, revision: Revision) -> Option<Block> {
    let text = vec![Inline::Revised {
        revision,
        text: block_text(block),
    }];
    // An inserted paragraph keeps its footnotes; a deleted one's go with it.
    let content = match revision {
        Revision::Inserted => place_footnotes(text, footnotes(block)),
        Revision::Deleted => text,
    };
    match block {
        Block::Heading(h) => {
            let mut h = h.clone();
            h.number = String::new();
            h.content = content;
            h.revision = Some(revision);
            Some(Block::Heading(h))
        }
        Block::Paragraph(p) => Some(Block::Paragraph(Paragraph {
            item: None,
            lead: Vec::new(),
            content,
            origin: p.origin.clone(),
            revision: Some(revision),
        })),
        Block::Table(_) => (revision == Revision::Inserted).then(|| block.clone()),
    }
}

/// NEW's block with its text replaced by a word-level diff from `old`.
fn changed(old: &Block, new: &Block) -> Block {
    let (old_text, new_text) = (block_text(old), block_text(new));
    let (a, b) = (tokens(&old_text), tokens(&new_text));
    let mut inlines = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => inlines.push(Inline::plain(b[new_range].concat())),
            _ => {
                if !old_range.is_empty() {
                    inlines.push(Inline::Revised {
                        revision: Revision::Deleted,
                        text: a[old_range].concat(),
                    });
                }
                if !new_range.is_empty() {
                    inlines.push(Inline::Revised {
                        revision: Revision::Inserted,
                        text: b[new_range].concat(),
                    });
                }
            }
        }
    }
    let inlines = place_footnotes(inlines, footnotes(new));
    match new {
        Block::Heading(h) => {
            let mut h = h.clone();
            h.number = String::new();
            h.content = inlines;
            Block::Heading(h)
        }
        Block::Paragraph(p) => Block::Paragraph(Paragraph {
            item: None,
            lead: Vec::new(),
            content: inlines,
            origin: p.origin.clone(),
            revision: None,
        }),
        Block::Table(_) => new.clone(),
    }
}

pub fn redline(old: &Document, new: &Document) -> Document {
    let a: Vec<String> = old.blocks.iter().map(block_text).collect();
    let b: Vec<String> = new.blocks.iter().map(block_text).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &a, &b);
    let blocks = changes(&ops)
        .into_iter()
        .filter_map(|change| match change {
            Change::Same(_, j) => Some(new.blocks[j].clone()),
            Change::Changed(i, j) => Some(changed(&old.blocks[i], &new.blocks[j])),
            Change::Deleted(i) => whole(&old.blocks[i], Revision::Deleted),
            Change::Inserted(j) => whole(&new.blocks[j], Revision::Inserted),
        })
        .collect();
    Document {
        blocks,
        ..new.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::redline;
    use crate::error::Location;
    use crate::model::{Block, Document, Inline, Paragraph, Revision};

    fn document(content: Vec<Inline>) -> Document {
        Document {
            attachment: None,
            title: "标题".into(),
            unit: "测试单位".into(),
            blocks: vec![Block::Paragraph(Paragraph {
                item: None,
                lead: Vec::new(),
                content,
                origin: Location::new("a.md", 1, 1),
                revision: None,
            })],
            date: None,
        }
    }

    fn content(document: &Document) -> &[Inline] {
        match &document.blocks[0] {
            Block::Paragraph(p) => &p.content,
            other => panic!("not a paragraph: {other:?}"),
        }
    }

    #[test]
    fn a_changed_paragraph_keeps_its_footnote_where_it_stood() {
        let note = Inline::Footnote(vec![Inline::plain("注")]);
        let old = document(vec![Inline::plain("支出二千元整。"), note.clone()]);
        let new = document(vec![
            Inline::plain("支出三千元"),
            note.clone(),
            Inline::plain("整。"),
        ]);
        let red = redline(&old, &new);
        let inlines = content(&red);
        let at = inlines
            .iter()
            .position(|i| *i == note)
            .expect("footnote kept");
        let before: String = inlines[..at]
            .iter()
            .filter_map(|i| match i {
                Inline::Text { text, .. }
                | Inline::Revised {
                    revision: Revision::Inserted,
                    text,
                } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(before, "支出三千元", "{inlines:?}");
        assert_eq!(inlines.iter().filter(|i| **i == note).count(), 1);
    }
}

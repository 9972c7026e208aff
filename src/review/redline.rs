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

/// A block wholly inserted or deleted: its text becomes a tracked change and its paragraph
/// mark is marked too. Tables are not tracked: a deleted one is dropped, an inserted one shown.
fn whole(block: &Block, revision: Revision) -> Option<Block> {
    let text = block_text(block);
    match block {
        Block::Heading(h) => {
            let mut h = h.clone();
            h.number = String::new();
            h.content = vec![Inline::Revised { revision, text }];
            h.revision = Some(revision);
            Some(Block::Heading(h))
        }
        Block::Paragraph(p) => Some(Block::Paragraph(Paragraph {
            item: None,
            lead: Vec::new(),
            content: vec![Inline::Revised { revision, text }],
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

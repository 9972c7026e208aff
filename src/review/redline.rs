//! The NEW document with the differences from OLD as tracked changes: changed paragraphs word
//! by word, whole paragraphs inserted or deleted where they were. Accepting every change
//! gives NEW's text; rejecting every change gives OLD's.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::document::model::{Block, Document, Inline, Paragraph, Revision, Table, plain_text};

use super::diff::{Change, changes, tokens};
use crate::render::text::inline_text;

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
    match block {
        Block::Heading(h) => notes_of(&h.content, h.number.len()),
        Block::Paragraph(p) => {
            let marker = p.item.as_ref().map_or(0, |i| i.marker.len());
            notes_of(&p.content, marker + plain_text(&p.lead).len())
        }
        Block::Table(_) => Vec::new(),
    }
}

/// Puts footnotes back among the inlines of a diff, where they stood in one side's text: the
/// plain text and the text `side` has (NEW's insertions, or OLD's deletions).
fn place_footnotes(
    inlines: Vec<Inline>,
    notes: Vec<(usize, Inline)>,
    side: Revision,
) -> Vec<Inline> {
    let mut notes = notes.into_iter().peekable();
    let mut out = Vec::with_capacity(inlines.len());
    let mut at = 0;
    for inline in inlines {
        let text = match &inline {
            Inline::Text { text, .. } => text.clone(),
            Inline::Revised { revision, text } if *revision == side => text.clone(),
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

/// What a block says, footnotes included where they are cited: two blocks that differ only
/// in a footnote are a change.
fn key(block: &Block) -> String {
    match block {
        Block::Heading(h) => format!("{}{}", h.number, inline_text(&h.content)),
        Block::Paragraph(p) => {
            let marker = p.item.as_ref().map_or("", |i| i.marker.as_str());
            format!(
                "{marker}{}{}",
                inline_text(&p.lead),
                inline_text(&p.content)
            )
        }
        Block::Table(t) => {
            let caption =
                |c: &Option<Vec<Inline>>| c.as_deref().map(inline_text).unwrap_or_default();
            let rows: Vec<String> = std::iter::once(&t.header)
                .chain(&t.rows)
                .map(|row| row_key(row))
                .collect();
            format!(
                "{}|{}|{}",
                caption(&t.title),
                caption(&t.unit),
                rows.join("\n")
            )
        }
    }
}

fn row_key(row: &[Vec<Inline>]) -> String {
    row.iter()
        .map(|cell| inline_text(cell))
        .collect::<Vec<_>>()
        .join("|")
}

/// The footnotes of inlines, each with the length of the text before it (in bytes).
fn notes_of(inlines: &[Inline], mut at: usize) -> Vec<(usize, Inline)> {
    let mut notes = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Footnote(_) => notes.push((at, inline.clone())),
            other => at += plain_text(std::slice::from_ref(other)).len(),
        }
    }
    notes
}

/// A footnote wholly inserted or deleted: its reference tracked, its text too.
fn revised_note(note: &Inline, revision: Revision) -> Inline {
    let content = match note {
        Inline::Footnote(content) => content.clone(),
        other => vec![other.clone()],
    };
    let note = match revision {
        Revision::Inserted => content,
        Revision::Deleted => vec![Inline::Revised {
            revision,
            text: plain_text(&content),
        }],
    };
    Inline::RevisedFootnote { revision, note }
}

/// `inlines` (a diff) with OLD's and NEW's footnotes of one block, matched in order: kept,
/// changed (their text diffed) and inserted ones where NEW has them, deleted ones where OLD
/// had them.
fn with_tracked_notes(
    inlines: Vec<Inline>,
    old: Vec<(usize, Inline)>,
    new: Vec<(usize, Inline)>,
) -> Vec<Inline> {
    let text = |(_, note): &(usize, Inline)| match note {
        Inline::Footnote(content) => plain_text(content),
        _ => String::new(),
    };
    let a: Vec<String> = old.iter().map(text).collect();
    let b: Vec<String> = new.iter().map(text).collect();
    let (mut kept, mut deleted) = (Vec::new(), Vec::new());
    for change in changes(&capture_diff_slices(Algorithm::Myers, &a, &b)) {
        match change {
            Change::Same(_, j) => kept.push(new[j].clone()),
            Change::Changed(i, j) => {
                kept.push((new[j].0, Inline::Footnote(diff_text(&a[i], &b[j]))));
            }
            Change::Inserted(j) => {
                kept.push((new[j].0, revised_note(&new[j].1, Revision::Inserted)));
            }
            Change::Deleted(i) => {
                deleted.push((old[i].0, revised_note(&old[i].1, Revision::Deleted)));
            }
        }
    }
    let inlines = place_footnotes(inlines, kept, Revision::Inserted);
    place_footnotes(inlines, deleted, Revision::Deleted)
}

/// `old` → `new` word by word, as plain text and tracked insertions and deletions.
fn diff_text(old: &str, new: &str) -> Vec<Inline> {
    let (a, b) = (tokens(old), tokens(new));
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
    inlines
}

/// Inlines wholly inserted or deleted: their text one tracked change, their footnotes too.
fn whole_inlines(text: String, notes: Vec<(usize, Inline)>, revision: Revision) -> Vec<Inline> {
    let notes = notes
        .into_iter()
        .map(|(at, note)| (at, revised_note(&note, revision)))
        .collect();
    place_footnotes(vec![Inline::Revised { revision, text }], notes, revision)
}

/// A cell or caption changed from `old` to `new`.
fn changed_inlines(old: &[Inline], new: &[Inline]) -> Vec<Inline> {
    if inline_text(old) == inline_text(new) {
        return new.to_vec();
    }
    let text = diff_text(&plain_text(old), &plain_text(new));
    with_tracked_notes(text, notes_of(old, 0), notes_of(new, 0))
}

/// A block wholly inserted or deleted: its text becomes a tracked change and its paragraph
/// mark (a table: each row) is marked too.
fn whole(block: &Block, revision: Revision) -> Block {
    if let Block::Table(t) = block {
        let cell = |inlines: &Vec<Inline>| {
            whole_inlines(plain_text(inlines), notes_of(inlines, 0), revision)
        };
        let row = |cells: &Vec<Vec<Inline>>| cells.iter().map(cell).collect();
        return Block::Table(Table {
            title: t.title.as_ref().map(cell),
            unit: t.unit.as_ref().map(cell),
            header: row(&t.header),
            rows: t.rows.iter().map(row).collect(),
            revision: Some(revision),
            row_revisions: vec![Some(revision); t.rows.len()],
            ..t.clone()
        });
    }
    let content = whole_inlines(block_text(block), footnotes(block), revision);
    match block {
        Block::Heading(h) => {
            let mut h = h.clone();
            h.number = String::new();
            h.content = content;
            h.revision = Some(revision);
            Block::Heading(h)
        }
        Block::Paragraph(p) => Block::Paragraph(Paragraph {
            item: None,
            lead: Vec::new(),
            content,
            origin: p.origin.clone(),
            spans: Vec::new(),
            revision: Some(revision),
        }),
        Block::Table(_) => block.clone(),
    }
}

/// A table changed cell by cell, rows matched by their text; a table whose columns, title or
/// unit line came or went is shown as OLD's deleted and NEW's inserted (Word has no tracked
/// form for an inserted column).
fn changed_table(old: &Table, new: &Table) -> Vec<Block> {
    let columns = |t: &Table| t.header.len();
    if columns(old) != columns(new)
        || old.title.is_some() != new.title.is_some()
        || old.unit.is_some() != new.unit.is_some()
    {
        return vec![
            whole(&Block::Table(old.clone()), Revision::Deleted),
            whole(&Block::Table(new.clone()), Revision::Inserted),
        ];
    }
    let caption = |a: &Option<Vec<Inline>>, b: &Option<Vec<Inline>>| match (a, b) {
        (Some(a), Some(b)) => Some(changed_inlines(a, b)),
        _ => b.clone(),
    };
    let empty = Vec::new();
    let row = |a: &Vec<Vec<Inline>>, b: &Vec<Vec<Inline>>| -> Vec<Vec<Inline>> {
        (0..a.len().max(b.len()))
            .map(|k| changed_inlines(a.get(k).unwrap_or(&empty), b.get(k).unwrap_or(&empty)))
            .collect()
    };
    let a: Vec<String> = old.rows.iter().map(|r| row_key(r)).collect();
    let b: Vec<String> = new.rows.iter().map(|r| row_key(r)).collect();
    let mut rows = Vec::new();
    let mut row_revisions = Vec::new();
    for change in changes(&capture_diff_slices(Algorithm::Myers, &a, &b)) {
        let (cells, revision) = match change {
            Change::Same(_, j) => (new.rows[j].clone(), None),
            Change::Changed(i, j) => (row(&old.rows[i], &new.rows[j]), None),
            Change::Deleted(i) | Change::Inserted(i) => {
                let (revision, source) = match change {
                    Change::Deleted(_) => (Revision::Deleted, &old.rows[i]),
                    _ => (Revision::Inserted, &new.rows[i]),
                };
                let cells = source
                    .iter()
                    .map(|c| whole_inlines(plain_text(c), notes_of(c, 0), revision))
                    .collect();
                (cells, Some(revision))
            }
        };
        rows.push(cells);
        row_revisions.push(revision);
    }
    vec![Block::Table(Table {
        title: caption(&old.title, &new.title),
        unit: caption(&old.unit, &new.unit),
        header: row(&old.header, &new.header),
        rows,
        row_revisions,
        ..new.clone()
    })]
}

/// NEW's block with its text replaced by a word-level diff from `old`.
fn changed(old: &Block, new: &Block) -> Vec<Block> {
    match (old, new) {
        (Block::Table(a), Block::Table(b)) => return changed_table(a, b),
        (Block::Table(_), _) | (_, Block::Table(_)) => {
            return vec![
                whole(old, Revision::Deleted),
                whole(new, Revision::Inserted),
            ];
        }
        _ => {}
    }
    let inlines = diff_text(&block_text(old), &block_text(new));
    let inlines = with_tracked_notes(inlines, footnotes(old), footnotes(new));
    vec![match new {
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
            spans: Vec::new(),
            revision: None,
        }),
        Block::Table(_) => new.clone(),
    }]
}

pub fn redline(old: &Document, new: &Document) -> Document {
    let a: Vec<String> = old.blocks.iter().map(key).collect();
    let b: Vec<String> = new.blocks.iter().map(key).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &a, &b);
    let blocks = changes(&ops)
        .into_iter()
        .flat_map(|change| match change {
            Change::Same(_, j) => vec![new.blocks[j].clone()],
            Change::Changed(i, j) => changed(&old.blocks[i], &new.blocks[j]),
            Change::Deleted(i) => vec![whole(&old.blocks[i], Revision::Deleted)],
            Change::Inserted(j) => vec![whole(&new.blocks[j], Revision::Inserted)],
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
    use crate::diag::Location;
    use crate::document::model::{Block, Document, Inline, Paragraph, Revision};

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
                spans: Vec::new(),
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

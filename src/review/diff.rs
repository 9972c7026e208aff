//! What changed in what the document says: a unified, word-level diff of the rendered text,
//! the indicators whose values or verdicts changed, and the figures of the 计算底稿 printed
//! differently.

use std::fmt::Write as _;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::document::model::Document;
use crate::document::worksheet::{Entry, SCORE_TABLE, Worksheet};
use crate::eval::indicators::Indicators;
use crate::render::text::to_text;

/// Words for diffing Chinese: each Chinese character or mark is a word, and so is each run of
/// digits (with . and %) or Latin letters, so "90.54%" changes as one figure.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let joins = c.is_ascii_alphanumeric() || (start.is_some() && matches!(c, '.' | '%'));
        match (joins, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
                out.push(&text[i..i + c.len_utf8()]);
            }
            (false, None) => out.push(&text[i..i + c.len_utf8()]),
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// The most tokens (or lines) left on both sides after their common start and end that are
/// diffed exactly. Myers' diff costs up to the square of it; past it the middle is one
/// replacement, so two long paragraphs rewritten throughout cost linear time and come out as
/// a paragraph-level change. A count, not a clock, so the output stays the same on every
/// machine.
pub const EXACT: usize = 4_000;

/// The diff ops of two sequences: Myers' within EXACT, else the common start and end kept
/// and what lies between replaced as a whole.
pub fn bounded_ops<T: Eq + std::hash::Hash>(a: &[T], b: &[T]) -> Vec<DiffOp> {
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let end = a[start..]
        .iter()
        .rev()
        .zip(b[start..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (old_len, new_len) = (a.len() - start - end, b.len() - start - end);
    if old_len + new_len <= EXACT {
        return capture_diff_slices(Algorithm::Myers, a, b);
    }
    let mut ops = Vec::new();
    if start > 0 {
        ops.push(DiffOp::Equal {
            old_index: 0,
            new_index: 0,
            len: start,
        });
    }
    ops.push(match (old_len, new_len) {
        (0, _) => DiffOp::Insert {
            old_index: start,
            new_index: start,
            new_len,
        },
        (_, 0) => DiffOp::Delete {
            old_index: start,
            old_len,
            new_index: start,
        },
        _ => DiffOp::Replace {
            old_index: start,
            old_len,
            new_index: start,
            new_len,
        },
    });
    if end > 0 {
        ops.push(DiffOp::Equal {
            old_index: start + old_len,
            new_index: start + new_len,
            len: end,
        });
    }
    ops
}

/// A changed paragraph in git's word-diff style: [-old-]{+new+}.
pub fn word_diff(old: &str, new: &str) -> String {
    let (a, b) = (tokens(old), tokens(new));
    let mut out = String::new();
    for op in bounded_ops(&a, &b) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                out.push_str(&a[old_index..old_index + len].concat())
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                write!(out, "[-{}-]", a[old_index..old_index + old_len].concat()).ok();
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                write!(out, "{{+{}+}}", b[new_index..new_index + new_len].concat()).ok();
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                write!(
                    out,
                    "[-{}-]{{+{}+}}",
                    a[old_index..old_index + old_len].concat(),
                    b[new_index..new_index + new_len].concat()
                )
                .ok();
            }
        }
    }
    out
}

/// How one line (or block) of OLD relates to one of NEW.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same(usize, usize),
    /// Replaced: the two are shown as one changed line, word by word.
    Changed(usize, usize),
    Deleted(usize),
    Inserted(usize),
}

/// The changes of diff ops, one per line: a replaced run pairs its lines in order, and what
/// is left over on either side is deleted or inserted.
pub fn changes(ops: &[DiffOp]) -> Vec<Change> {
    let mut out = Vec::new();
    for op in ops {
        let (old, new) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => out.extend(old.zip(new).map(|(i, j)| Change::Same(i, j))),
            _ => {
                let pairs = old.len().min(new.len());
                out.extend(
                    old.clone()
                        .zip(new.clone())
                        .map(|(i, j)| Change::Changed(i, j)),
                );
                out.extend(old.skip(pairs).map(Change::Deleted));
                out.extend(new.skip(pairs).map(Change::Inserted));
            }
        }
    }
    out
}

/// Lines of context around each change.
const CONTEXT: usize = 1;

/// The unified diff of two documents' text, changed paragraphs shown word by word.
pub fn text_diff(old: &Document, new: &Document, old_label: &str, new_label: &str) -> String {
    let (old_text, new_text) = (to_text(old), to_text(new));
    let a: Vec<&str> = old_text.lines().collect();
    let b: Vec<&str> = new_text.lines().collect();
    let ops = bounded_ops(&a, &b);
    if ops.iter().all(|op| matches!(op, DiffOp::Equal { .. })) {
        return String::new();
    }
    let mut out = format!("--- {old_label}\n+++ {new_label}\n");
    for group in similar::group_diff_ops(ops, CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let (old_start, new_start) = (first.old_range().start, first.new_range().start);
        let (old_end, new_end) = (last.old_range().end, last.new_range().end);
        writeln!(
            out,
            "@@ -{},{} +{},{} @@",
            old_start + 1,
            old_end - old_start,
            new_start + 1,
            new_end - new_start
        )
        .ok();
        for change in changes(&group) {
            match change {
                Change::Same(i, _) => writeln!(out, " {}", a[i]),
                Change::Changed(i, j) => writeln!(out, "~{}", word_diff(a[i], b[j])),
                Change::Deleted(i) => writeln!(out, "-{}", a[i]),
                Change::Inserted(j) => writeln!(out, "+{}", b[j]),
            }
            .ok();
        }
    }
    out
}

/// A table of the indicators whose shown value or verdict differ between the versions.
pub fn indicator_changes(old: &Indicators, new: &Indicators) -> String {
    let mut rows = Vec::new();
    let names = new
        .list
        .iter()
        .chain(&old.list)
        .map(|i| i.definition.name.as_str());
    let mut seen = Vec::new();
    for name in names {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let show = |set: &Indicators| {
            set.get(name)
                .map_or(("（无）".to_string(), String::new()), |i| {
                    (i.display_value(), i.verdict_text.clone())
                })
        };
        let (old_value, old_verdict) = show(old);
        let (new_value, new_verdict) = show(new);
        if old_value != new_value || old_verdict != new_verdict {
            rows.push(format!(
                "| {name} | {old_value} | {new_value} | {old_verdict} | {new_verdict} |"
            ));
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "| 指标 | 原值 | 新值 | 原结论 | 新结论 |\n|---|---|---|---|---|\n{}\n",
        rows.join("\n")
    )
}

/// The figures of the 计算底稿 printed differently in the two versions, with where the new one
/// stands and where it comes from: a figure of the prose is the same figure in both when it is
/// the same name's same occurrence (the text around it may have moved); one of the 自评表 when
/// it is the same row and column. A figure only one version prints shows （无） on the other.
pub fn figure_changes(old: &Worksheet, new: &Worksheet) -> String {
    let (old, new) = (keyed(old), keyed(new));
    let mut rows = Vec::new();
    let row = |entry: &Entry, was: &str, is: &str| {
        let from = if entry.formula.is_empty() {
            entry.source.clone()
        } else {
            format!("{}（{}）", entry.source, entry.formula)
        };
        let place = if entry.place == SCORE_TABLE {
            format!("{SCORE_TABLE}：{}", entry.headings.join("："))
        } else {
            entry.place.clone()
        };
        format!("| {place} | {} | {was} | {is} | {from} |", entry.name)
    };
    for (key, entry) in &new {
        match old.iter().find(|(k, _)| k == key) {
            Some((_, before)) if before.printed == entry.printed => {}
            Some((_, before)) => rows.push(row(entry, &before.printed, &entry.printed)),
            None => rows.push(row(entry, "（无）", &entry.printed)),
        }
    }
    for (key, entry) in &old {
        if !new.iter().any(|(k, _)| k == key) {
            rows.push(row(entry, &entry.printed, "（无）"));
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "| 位置 | 名称 | 原值 | 新值 | 来源 |\n|---|---|---|---|---|\n{}\n",
        rows.join("\n")
    )
}

/// Each entry with what makes it the same figure in another version: what it is (a name, or
/// the 自评表's row and column) and how many of the same came before it.
fn keyed(worksheet: &Worksheet) -> Vec<((String, usize), &Entry)> {
    let mut seen: Vec<String> = Vec::new();
    worksheet
        .entries
        .iter()
        .map(|entry| {
            let what = if entry.place == SCORE_TABLE {
                format!("{SCORE_TABLE}：{}", entry.headings.join("："))
            } else {
                entry.name.clone()
            };
            let before = seen.iter().filter(|s| **s == what).count();
            seen.push(what.clone());
            ((what, before), entry)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(place: &str, name: &str, printed: &str) -> Entry {
        Entry {
            place: place.into(),
            name: name.into(),
            printed: printed.into(),
            source: "data.yaml:3".into(),
            ..Entry::default()
        }
    }

    #[test]
    fn figures_are_matched_by_name_and_occurrence_not_place() {
        let old = Worksheet {
            entries: vec![
                entry("a.md:3:5", "甲", "1"),
                entry("a.md:4:5", "甲", "2"),
                entry("a.md:5:5", "乙", "3"),
            ],
        };
        let new = Worksheet {
            entries: vec![
                entry("a.md:9:5", "甲", "1"),
                entry("a.md:10:5", "甲", "20"),
                entry("a.md:11:5", "丙", "4"),
            ],
        };
        assert_eq!(
            figure_changes(&old, &new),
            "| 位置 | 名称 | 原值 | 新值 | 来源 |\n|---|---|---|---|---|\n\
             | a.md:10:5 | 甲 | 2 | 20 | data.yaml:3 |\n\
             | a.md:11:5 | 丙 | （无） | 4 | data.yaml:3 |\n\
             | a.md:5:5 | 乙 | 3 | （无） | data.yaml:3 |\n"
        );
        assert_eq!(figure_changes(&old, &old), "");
    }

    #[test]
    fn figures_change_as_one_word() {
        assert_eq!(tokens("执行率90.54%，"), ["执", "行", "率", "90.54%", "，"]);
        assert_eq!(
            word_diff("执行率为90.54%。", "执行率为93.77%。"),
            "执行率为[-90.54%-]{+93.77%+}。"
        );
        assert_eq!(word_diff("甲乙", "甲丙乙"), "甲{+丙+}乙");
    }

    /// Text of `n` characters, none repeated within a few thousand.
    fn distinct(n: usize, from: u32) -> String {
        (0..n)
            .map(|i| char::from_u32(0x4E00 + (from + i as u32 * 7) % 20_000).unwrap())
            .collect()
    }

    #[test]
    fn long_paragraphs_changed_throughout_are_one_change_with_their_common_ends() {
        let (head, tail) = (distinct(100, 0), distinct(100, 5_000));
        let (old, new) = (distinct(EXACT, 10_000), distinct(EXACT, 15_000));
        let diff = word_diff(&format!("{head}{old}{tail}"), &format!("{head}{new}{tail}"));
        assert_eq!(diff, format!("{head}[-{old}-]{{+{new}+}}{tail}"));
        // Within the bound the same edit is found word by word.
        let (old, new) = (distinct(10, 10_000), distinct(10, 15_000));
        let middle = distinct(EXACT / 4, 20_000);
        let diff = word_diff(
            &format!("{head}{old}{middle}{old}{tail}"),
            &format!("{head}{new}{middle}{new}{tail}"),
        );
        assert_eq!(
            diff,
            format!("{head}[-{old}-]{{+{new}+}}{middle}[-{old}-]{{+{new}+}}{tail}")
        );
    }

    #[test]
    fn bounded_ops_past_the_bound_replace_only_the_middle() {
        let a: Vec<u32> = (0..EXACT as u32 * 2).collect();
        let mut b = a.clone();
        b[10] = u32::MAX;
        b[EXACT * 2 - 10] = u32::MAX;
        b.push(7);
        let ops = bounded_ops(&a, &b);
        assert_eq!(ops.len(), 2, "{ops:?}");
        assert_eq!(
            ops[0],
            DiffOp::Equal {
                old_index: 0,
                new_index: 0,
                len: 10
            }
        );
        assert_eq!(
            ops[1],
            DiffOp::Replace {
                old_index: 10,
                old_len: EXACT * 2 - 10,
                new_index: 10,
                new_len: EXACT * 2 - 9,
            }
        );
        let short = bounded_ops(&a[..100], &b[..100]);
        assert!(short.len() > 2, "{short:?}");
    }
}

//! Structure: hand-typed numbers, level jumps, lone children, headings that repeat their
//! parent, inconsistent final punctuation, numbers out of sequence.

use crate::diag::Location;
use crate::document::markers;
use crate::document::model::{Block, plain_text};
use crate::document::report::Built;

use super::{Context, Diagnostic, Rule, Severity};

pub fn rules() -> Vec<Rule> {
    vec![
        Rule {
            id: "S001",
            severity: Severity::Warning,
            description: "标题或段落手写了编号（一、 1、 1. （一） （3） (1) ①）",
            run: typed_number,
        },
        Rule {
            id: "S002",
            severity: Severity::Warning,
            description: "标题层级跳级（如“一、”下直接出现“（1）”）",
            run: level_jump,
        },
        Rule {
            id: "S003",
            severity: Severity::Warning,
            description: "某一层级只有一个下级标题",
            run: lone_child,
        },
        Rule {
            id: "S004",
            severity: Severity::Warning,
            description: "下级标题与上级标题重复",
            run: repeats_parent,
        },
        Rule {
            id: "S005",
            severity: Severity::Warning,
            description: "同级独立标题末尾标点不一致",
            run: heading_punctuation,
        },
        Rule {
            id: "S006",
            severity: Severity::Warning,
            description: "手写编号不连续或重复",
            run: sequence,
        },
    ]
}

/// One heading of the outline: a Markdown heading, or a paragraph that starts with a typed
/// marker (how a report pasted from Word marks its headings).
pub(super) struct Entry {
    level: u8,
    /// The typed marker and its number, when the writer typed one.
    typed: Option<(String, u64)>,
    /// The heading text without any number.
    text: String,
    /// The whole paragraph is the heading (not "1.标题。正文……").
    pub(super) standalone: bool,
    location: Location,
}

/// The headings of a built report, in order; the check computes it once for all rules.
pub(super) fn outline(built: &Built) -> Vec<Entry> {
    let mut entries = Vec::new();
    for block in &built.document.blocks {
        match block {
            Block::Heading(h) => entries.push(Entry {
                level: h.level.get(),
                typed: None,
                text: plain_text(&h.content),
                standalone: true,
                location: h.origin.clone(),
            }),
            Block::Paragraph(p) if p.item.is_none() => {
                entries.extend(typed_entry(&plain_text(&p.content), &p.origin));
            }
            _ => {}
        }
    }
    entries
}

/// A paragraph that starts with a typed marker ("（一）成立小组") read as a heading.
pub(super) fn typed_entry(text: &str, location: &Location) -> Option<Entry> {
    let len = markers::typed_number(text)?;
    let marker = text[..len].trim_end().to_string();
    let (level, n) = markers::parse_marker(&marker)?;
    let rest = text[len..].to_string();
    let body = rest.trim_end_matches(['。', '；', '：', '，', '.', ';']);
    Some(Entry {
        level,
        typed: Some((marker, n)),
        standalone: rest.chars().count() <= 40 && !body.contains('。'),
        text: rest,
        location: location.clone(),
    })
}

fn typed_number(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for entry in &context.outline {
        if let Some((marker, _)) = &entry.typed {
            out.push(rule.at(
                entry.location.clone(),
                marker.chars().count(),
                format!("手写了编号“{marker}”"),
                "删去编号：标题写成 Markdown 标题（# 一级 … #### 四级），条目写成有序列表，编号由 gongwen 生成",
            ));
        }
    }
}

fn level_jump(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let mut previous = 0;
    for entry in &context.outline {
        if entry.level > previous + 1 {
            out.push(rule.at(
                entry.location.clone(),
                2,
                format!("标题从第 {previous} 级跳到了第 {} 级", entry.level),
                format!("改为第 {} 级标题，或补上中间层级", previous + 1),
            ));
        }
        previous = entry.level;
    }
}

/// Children of each entry: (parent index, child indexes). The parent is the nearest earlier
/// entry of a higher level, found with a stack of the open ones: each entry is pushed and
/// popped once, so many siblings cost no search back over them.
fn families(entries: &[Entry]) -> Vec<(Option<usize>, Vec<usize>)> {
    let mut out: Vec<(Option<usize>, Vec<usize>)> = vec![(None, Vec::new())];
    for i in 0..entries.len() {
        out.push((Some(i), Vec::new()));
    }
    let mut open: Vec<usize> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        while open
            .last()
            .is_some_and(|&p| entries[p].level >= entry.level)
        {
            open.pop();
        }
        let slot = open.last().map_or(0, |p| p + 1);
        out[slot].1.push(i);
        open.push(i);
    }
    out
}

fn lone_child(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let entries = &context.outline;
    for (parent, children) in families(entries) {
        if let (Some(_), [only]) = (parent, children.as_slice()) {
            let child = &entries[*only];
            out.push(rule.at(
                child.location.clone(),
                2,
                format!("“{}”是这一层唯一的下级标题", child.text.trim()),
                "只有一项时不必分级：并入上级标题的正文，或补充同级标题",
            ));
        }
    }
}

fn normalized(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !"。，；：、.".contains(*c))
        .collect()
}

fn repeats_parent(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let entries = &context.outline;
    for (parent, children) in families(entries) {
        let Some(parent) = parent else { continue };
        for &child in &children {
            if normalized(&entries[child].text) == normalized(&entries[parent].text) {
                out.push(rule.at(
                    entries[child].location.clone(),
                    2,
                    format!("下级标题“{}”与上级标题相同", entries[child].text.trim()),
                    "改写下级标题，说明这一部分的具体内容",
                ));
            }
        }
    }
}

fn ends_with_punctuation(text: &str) -> bool {
    text.trim_end()
        .ends_with(['。', '；', '：', '，', '！', '？', '.', ';', ':'])
}

fn heading_punctuation(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let entries = &context.outline;
    for (_, children) in families(entries) {
        let standalone: Vec<&Entry> = children
            .iter()
            .map(|&i| &entries[i])
            .filter(|e| e.standalone)
            .collect();
        let with = standalone
            .iter()
            .filter(|e| ends_with_punctuation(&e.text))
            .count();
        if with == 0 || with == standalone.len() {
            continue;
        }
        // The minority is the odd one out; on a tie, a standalone heading takes no punctuation.
        let flag_with = with * 2 <= standalone.len();
        for entry in standalone
            .iter()
            .filter(|e| ends_with_punctuation(&e.text) == flag_with)
        {
            out.push(rule.at(
                entry.location.clone(),
                2,
                format!("同级标题末尾标点不一致：“{}”", entry.text.trim()),
                if flag_with {
                    "独立成行的标题末尾不加标点"
                } else {
                    "与同级标题一致，末尾加上标点"
                },
            ));
        }
    }
}

fn sequence(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let mut counters = [0u64; 6];
    for entry in &context.outline {
        let level = usize::from(entry.level).min(5);
        if let Some((marker, n)) = &entry.typed {
            let expected = counters[level] + 1;
            if *n != expected {
                out.push(rule.at(
                    entry.location.clone(),
                    marker.chars().count(),
                    format!("编号“{marker}”不连续，按顺序应为第 {expected} 项"),
                    "改用自动编号（Markdown 标题），或按顺序改正",
                ));
            }
            counters[level] = *n;
        } else {
            counters[level] += 1;
        }
        counters[level + 1..].fill(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(levels: &[u8]) -> Vec<Entry> {
        levels
            .iter()
            .map(|&level| Entry {
                level,
                typed: None,
                text: String::new(),
                standalone: true,
                location: Location::new("", 0, 0),
            })
            .collect()
    }

    /// Every outline of up to six headings of levels 1–4: each entry's parent is the nearest
    /// earlier entry of a higher level, as searching back for it finds.
    #[test]
    fn families_give_each_heading_its_nearest_higher_heading() {
        for length in 0..=6u32 {
            for code in 0..4usize.pow(length) {
                let levels: Vec<u8> = (0..length)
                    .map(|d| (code / 4usize.pow(d) % 4) as u8 + 1)
                    .collect();
                let outline = entries(&levels);
                let mut expected = vec![Vec::new(); levels.len() + 1];
                for (i, level) in levels.iter().enumerate() {
                    let parent = levels[..i].iter().rposition(|p| p < level);
                    expected[parent.map_or(0, |p| p + 1)].push(i);
                }
                let found: Vec<Vec<usize>> = families(&outline)
                    .into_iter()
                    .map(|(_, children)| children)
                    .collect();
                assert_eq!(found, expected, "{levels:?}");
            }
        }
    }
}

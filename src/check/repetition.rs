//! Repetition: paragraphs that say the same thing twice, and enumerations (一是、二是 …)
//! that start past 一是 or skip a number.

use std::collections::HashSet;

use crate::markers;

use super::{Context, Diagnostic, Rule, Severity};

pub fn rules() -> Vec<Rule> {
    vec![
        Rule {
            id: "R001",
            severity: Severity::Warning,
            description: "段落与另一段相同或高度相似（≥ 90%）",
            run: duplicate_paragraphs,
        },
        Rule {
            id: "R002",
            severity: Severity::Warning,
            description: "“一是、二是……”列举不从“一是”开始或跳号",
            run: enumeration,
        },
    ]
}

/// Paragraphs shorter than this are headings or short items, which may repeat.
const MIN_CHARS: usize = 20;
const SIMILAR: f64 = 0.9;

type Bigrams = HashSet<(char, char)>;

fn bigrams(text: &str) -> Bigrams {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Dice coefficient over character bigrams: 1.0 for the same text.
fn similarity(a: &Bigrams, b: &Bigrams) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count();
    (2 * shared) as f64 / (a.len() + b.len()) as f64
}

fn duplicate_paragraphs(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let mut by_length: Vec<(usize, usize, Bigrams)> = context
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| (i, p.text.chars().count(), bigrams(&p.text)))
        .filter(|(_, len, _)| *len >= MIN_CHARS)
        .collect();
    by_length.sort_by_key(|(_, len, _)| *len);
    let mut reported = HashSet::new();
    for (k, (i, len, grams)) in by_length.iter().enumerate() {
        // Texts of very different length cannot be 90% alike.
        for (j, other_len, other) in by_length[k + 1..]
            .iter()
            .take_while(|(_, l, _)| (*l as f64) <= *len as f64 / SIMILAR * 1.1)
        {
            let _ = other_len;
            let score = similarity(grams, other);
            if score < SIMILAR {
                continue;
            }
            let (first, later) = if i < j { (*i, *j) } else { (*j, *i) };
            if !reported.insert(later) {
                continue;
            }
            let original = &context.paragraphs[first];
            let copy = &context.paragraphs[later];
            let how = if original.text == copy.text {
                "相同".to_string()
            } else {
                format!("相似（{:.0}%）", score * 100.0)
            };
            out.push(rule.at(
                copy.origin.clone(),
                4,
                format!("这一段与 {} 的段落{how}", original.origin),
                "删去重复的段落，或写出这一项自己的内容",
            ));
        }
    }
}

/// "一是" "二是" … at the start of a clause, with their character offsets.
fn ordinals(text: &str) -> Vec<(usize, u64, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len() {
        if chars[i] != '是' || i == 0 {
            continue;
        }
        let start = (0..i)
            .rev()
            .take_while(|&j| "一二三四五六七八九十".contains(chars[j]))
            .last();
        let Some(start) = start else { continue };
        let clause_start = start == 0 || "。；：，！？".contains(chars[start - 1]);
        let numeral: String = chars[start..i].iter().collect();
        if let (true, Some((1, n))) = (clause_start, markers::parse_marker(&format!("{numeral}、")))
        {
            out.push((start, n, format!("{numeral}是")));
        }
    }
    out
}

fn enumeration(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for paragraph in &context.paragraphs {
        for (expected, (offset, n, word)) in (1..).zip(ordinals(&paragraph.text)) {
            if n != expected {
                let message = if expected == 1 {
                    format!("列举从“{word}”开始，前面没有“一是”")
                } else {
                    format!("列举跳号：“{word}”前应是第 {expected} 项")
                };
                out.push(rule.at(
                    context.locate(paragraph, offset, &word),
                    word.chars().count(),
                    message,
                    "补上缺少的一项，或按顺序改正序号",
                ));
                break;
            }
        }
    }
}

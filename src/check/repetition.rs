//! Repetition: paragraphs that say the same thing twice, and enumerations (一是、二是 …)
//! that start past 一是 or skip a number.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use crate::document::markers;

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
/// Two paragraphs are alike when their Dice coefficient over character bigrams,
/// 2·|A∩B| / (|A| + |B|), reaches SIMILAR_NUM / SIMILAR_DEN (90%): exact integer arithmetic.
const SIMILAR_NUM: usize = 9;
const SIMILAR_DEN: usize = 10;

type Bigram = (char, char);
/// A bigram with the number of texts that have it: sets sorted by this list rare ones first.
type Ranked = (usize, Bigram);

fn bigrams(text: &str) -> Vec<Bigram> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut grams: Vec<Bigram> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

fn alike(shared: usize, a: usize, b: usize) -> bool {
    a > 0 && b > 0 && SIMILAR_DEN * 2 * shared >= SIMILAR_NUM * (a + b)
}

/// The fewest bigrams a set of `n` shares with any set it is alike with: from
/// 2·o ≥ t·(n + m) and o ≤ m, o ≥ t·n / (2 − t).
fn min_overlap(n: usize) -> usize {
    (SIMILAR_NUM * n).div_ceil(2 * SIMILAR_DEN - SIMILAR_NUM)
}

/// Each paragraph alike with an earlier one is reported once, against the earliest.
///
/// Linear in practice (prefix filtering, as in all-pairs similarity search): the bigrams of
/// each distinct text are ordered rarest first; two texts that are 90% alike share a bigram
/// among the first |A| − min_overlap(|A|) + 1 of each, so only texts that share such a
/// bigram are compared. Texts repeated word for word are compared once.
fn duplicate_paragraphs(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let paragraphs = &context.paragraphs;
    // Distinct texts long enough to count, each with the paragraphs that carry it.
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    let mut distinct: Vec<(usize, Vec<Bigram>)> = Vec::new();
    let mut same_as: Vec<Option<usize>> = vec![None; paragraphs.len()];
    for (i, p) in paragraphs.iter().enumerate() {
        if p.text.chars().count() < MIN_CHARS {
            continue;
        }
        match first_of.get(p.text.as_str()) {
            Some(&first) => same_as[i] = Some(first),
            None => {
                first_of.insert(&p.text, i);
                distinct.push((i, bigrams(&p.text)));
            }
        }
    }
    let mut frequency: HashMap<Bigram, usize> = HashMap::new();
    for (_, grams) in &distinct {
        for gram in grams {
            *frequency.entry(*gram).or_default() += 1;
        }
    }
    let distinct: Vec<(usize, Vec<Ranked>)> = distinct
        .into_iter()
        .map(|(i, grams)| {
            let mut ranked: Vec<Ranked> = grams.into_iter().map(|g| (frequency[&g], g)).collect();
            ranked.sort_unstable();
            (i, ranked)
        })
        .collect();
    // Paragraph → the earliest paragraph it is alike with, and the score.
    let mut like: HashMap<usize, (usize, usize, usize)> = HashMap::new();
    let mut index: HashMap<Ranked, Vec<usize>> = HashMap::new();
    for (k, (i, grams)) in distinct.iter().enumerate() {
        let n = grams.len();
        let prefix = (n + 1).saturating_sub(min_overlap(n)).min(n);
        let lists = grams[..prefix]
            .iter()
            .filter_map(|gram| index.get(gram))
            .map(Vec::as_slice)
            .collect();
        // In document order: the first that is alike is the earliest. Merged lazily, so that
        // a thousand near copies of one paragraph each stop at the first instead of gathering
        // and sorting every earlier copy (which made the check quadratic on them).
        for j in ascending(lists) {
            let (earlier, other) = &distinct[j];
            let m = other.len();
            if min_overlap(n) > m || min_overlap(m) > n {
                continue;
            }
            let shared = shared_count(grams, other);
            if alike(shared, n, m) {
                like.insert(*i, (*earlier, shared, n + m));
                break;
            }
        }
        for gram in &grams[..prefix] {
            index.entry(*gram).or_default().push(k);
        }
    }
    for (later, copy) in paragraphs.iter().enumerate() {
        let found = match same_as[later] {
            Some(first) => Some((first, None)),
            None => like
                .get(&later)
                .map(|&(first, shared, total)| (first, Some((shared, total)))),
        };
        let Some((first, score)) = found else {
            continue;
        };
        let original = &paragraphs[first];
        let how = match score {
            Some((shared, total)) if original.text != copy.text => {
                format!("相似（{:.0}%）", (200 * shared) as f64 / total as f64)
            }
            _ => "相同".to_string(),
        };
        out.push(rule.at(
            copy.origin.clone(),
            4,
            format!("这一段与 {} 的段落{how}", original.origin),
            "删去重复的段落，或写出这一项自己的内容",
        ));
    }
}

/// The union of ascending lists, ascending and each value once, read only as far as it is
/// taken.
fn ascending(lists: Vec<&[usize]>) -> impl Iterator<Item = usize> + '_ {
    let mut heads: BinaryHeap<Reverse<(usize, usize)>> = lists
        .iter()
        .enumerate()
        .filter_map(|(l, list)| list.first().map(|&value| Reverse((value, l))))
        .collect();
    let mut read = vec![1; lists.len()];
    let mut last = None;
    std::iter::from_fn(move || {
        while let Some(Reverse((value, l))) = heads.pop() {
            if let Some(&next) = lists[l].get(read[l]) {
                heads.push(Reverse((next, l)));
                read[l] += 1;
            }
            if last != Some(value) {
                last = Some(value);
                return Some(value);
            }
        }
        None
    })
}

/// |A ∩ B| of two bigram sets sorted in the same order.
fn shared_count(a: &[Ranked], b: &[Ranked]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
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
                    paragraph.position(offset),
                    word.chars().count(),
                    message,
                    "补上缺少的一项，或按顺序改正序号",
                ));
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascending_merges_sorted_lists_once_each() {
        let lists: Vec<&[usize]> = vec![&[1, 4, 9], &[], &[2, 4, 5, 9, 12], &[0]];
        assert_eq!(ascending(lists).collect::<Vec<_>>(), [0, 1, 2, 4, 5, 9, 12]);
    }
}

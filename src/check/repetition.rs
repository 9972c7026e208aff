//! Repetition: paragraphs that say the same thing twice, and enumerations (一是、二是 …)
//! that start past 一是 or skip a number.

use std::cmp::Reverse;
use std::collections::HashMap;

use fnv::FnvHashMap;

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
/// A bigram's number with the number of texts that have it first: sets sorted by this list
/// rare ones first.
type Ranked = (usize, usize);

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

/// How many texts a prefix bigram lists at most: past that it is common, and the texts that
/// share it are found through their rarer bigrams.
const POSTINGS: usize = 64;
/// How many candidates each text is compared with at most: those that share the most prefix
/// bigrams with it, earliest first on a tie.
const COMPARED: usize = 16;

/// Each paragraph alike with an earlier one is reported once, against the earliest found.
///
/// Linear (prefix filtering, as in all-pairs similarity search, bounded): the bigrams of each
/// distinct text are ordered rarest first; two texts that are 90% alike share a bigram among
/// the first |A| − min_overlap(|A|) + 1 of each, so only texts that share such a bigram are
/// candidates. Each prefix bigram lists at most POSTINGS texts and each text is compared
/// with at most COMPARED candidates, so random prose, whose rarest bigrams are still common,
/// costs a bounded amount per bigram instead of a comparison with every earlier paragraph.
/// Texts repeated word for word are compared once.
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
    // Each bigram by a dense number, in the order first met, and how many texts have it:
    // one hash lookup for each bigram of each text, then plain indexing.
    let mut numbers: FnvHashMap<Bigram, usize> = FnvHashMap::default();
    let mut frequency: Vec<usize> = Vec::new();
    let distinct: Vec<(usize, Vec<usize>)> = distinct
        .into_iter()
        .map(|(i, grams)| {
            let numbered = grams
                .into_iter()
                .map(|gram| {
                    let next = numbers.len();
                    let number = *numbers.entry(gram).or_insert(next);
                    if number == frequency.len() {
                        frequency.push(0);
                    }
                    frequency[number] += 1;
                    number
                })
                .collect();
            (i, numbered)
        })
        .collect();
    let distinct: Vec<(usize, Vec<Ranked>)> = distinct
        .into_iter()
        .map(|(i, grams)| {
            let mut ranked: Vec<Ranked> = grams.into_iter().map(|g| (frequency[g], g)).collect();
            ranked.sort_unstable();
            (i, ranked)
        })
        .collect();
    // Paragraph → the earliest paragraph it is alike with, and the score.
    let mut like: HashMap<usize, (usize, usize, usize)> = HashMap::new();
    // Texts by the prefix bigrams they have, by bigram number.
    let mut index: Vec<Vec<usize>> = vec![Vec::new(); frequency.len()];
    // Prefix bigrams shared with each earlier text, and the texts counted so far.
    let mut hits = vec![0usize; distinct.len()];
    let mut counted: Vec<usize> = Vec::new();
    for (k, (i, grams)) in distinct.iter().enumerate() {
        let n = grams.len();
        let prefix = (n + 1).saturating_sub(min_overlap(n)).min(n);
        for j in grams[..prefix].iter().flat_map(|&(_, g)| &index[g]) {
            if hits[*j] == 0 {
                counted.push(*j);
            }
            hits[*j] += 1;
        }
        let mut candidates: Vec<(Reverse<usize>, usize)> = counted
            .drain(..)
            .map(|j| (Reverse(std::mem::take(&mut hits[j])), j))
            .filter(|&(_, j)| {
                let m = distinct[j].1.len();
                min_overlap(n) <= m && min_overlap(m) <= n
            })
            .collect();
        // Only the first COMPARED in order are compared: chosen in linear time, then sorted.
        if candidates.len() > COMPARED {
            candidates.select_nth_unstable(COMPARED);
            candidates.truncate(COMPARED);
        }
        candidates.sort_unstable();
        let earliest = candidates
            .iter()
            .filter_map(|&(_, j)| {
                let other = &distinct[j].1;
                let shared = shared_count(grams, other);
                alike(shared, n, other.len()).then_some((j, shared, n + other.len()))
            })
            .min();
        if let Some((j, shared, total)) = earliest {
            like.insert(*i, (distinct[j].0, shared, total));
        }
        for &(_, gram) in &grams[..prefix] {
            let texts = &mut index[gram];
            if texts.len() < POSTINGS {
                texts.push(k);
            }
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

/// An enumeration may run across paragraphs, one item each (the usual layout): a paragraph
/// that opens with an item past 一是 continues the previous paragraph's enumeration, if it
/// had one.
fn enumeration(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let mut carried = 1;
    for paragraph in &context.paragraphs {
        let found = ordinals(&paragraph.text);
        let first = match found.first() {
            Some(&(0, n, _)) if n > 1 => carried,
            _ => 1,
        };
        carried = 1;
        for (expected, (offset, n, word)) in (first..).zip(found) {
            carried = expected + 1;
            if n != expected {
                carried = 1;
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

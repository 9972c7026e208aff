//! Characters as typed: full-width digits, brackets and quotes that are not closed or not
//! opened, and a character or word typed twice (的的, 加强加强).

use crate::error::Location;

use super::text::{column, is_ideograph};
use super::{Context, Diagnostic, Rule, Severity, SourceLine};

pub fn rules() -> Vec<Rule> {
    vec![
        Rule {
            id: "T007",
            severity: Severity::Warning,
            description: "全角数字（１２人），应为半角数字",
            run: full_width_digits,
        },
        Rule {
            id: "T008",
            severity: Severity::Warning,
            description: "括号、引号、书名号不成对（（… “…\" 《…）",
            run: unpaired,
        },
        Rule {
            id: "W005",
            severity: Severity::Warning,
            description: "字词重复（的的、了了、加强加强、，，）",
            run: repeated,
        },
    ]
}

fn at(line: &SourceLine, byte: usize) -> Location {
    Location::new(&line.file, line.line, column(&line.prose, byte))
}

fn half_width(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c),
        '．' => '.',
        '％' => '%',
        other => other,
    }
}

fn full_width_digits(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let mut chars = line.prose.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if !('０'..='９').contains(&c) {
                continue;
            }
            let mut typed = c.to_string();
            while let Some(&(_, next)) = chars.peek() {
                if !(('０'..='９').contains(&next) || next == '．' || next == '％') {
                    break;
                }
                typed.push(next);
                chars.next();
            }
            let fixed: String = typed.chars().map(half_width).collect();
            out.push(rule.at(
                at(line, start),
                typed.chars().count(),
                format!("“{typed}”用了全角数字"),
                format!("改为半角“{fixed}”"),
            ));
        }
    }
}

const PAIRS: [(char, char); 8] = [
    ('（', '）'),
    ('“', '”'),
    ('‘', '’'),
    ('《', '》'),
    ('【', '】'),
    ('〔', '〕'),
    ('「', '」'),
    ('『', '』'),
];

/// "1）", "（一）" aside: a closing bracket after a list number opens nothing.
fn enumerator_before(prose: &str, byte: usize) -> bool {
    let before: Vec<char> = prose[..byte].chars().rev().take(3).collect();
    let number = before
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || "一二三四五六七八九十".contains(**c))
        .count();
    (1..=2).contains(&number)
        && before
            .get(number)
            .is_none_or(|c| !is_ideograph(*c) && !c.is_ascii_alphanumeric())
}

/// A line that starts a new paragraph in Markdown: what is open at the end of the line before
/// stays open only across a line break inside one paragraph.
fn starts_block(text: &str) -> bool {
    let t = text.trim_start();
    t.is_empty()
        || t.starts_with(['#', '|', '-', '*', '+', '>'])
        || t.split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn unpaired(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    // Openers not yet closed: the character and where it stands.
    let mut open: Vec<(char, Location)> = Vec::new();
    let report_open = |open: &mut Vec<(char, Location)>, out: &mut Vec<Diagnostic>| {
        for (c, location) in open.drain(..) {
            let close = PAIRS.iter().find(|(o, _)| *o == c).map_or(c, |p| p.1);
            out.push(rule.at(
                location,
                1,
                format!("“{c}”没有对应的“{close}”"),
                format!("补上“{close}”，或删去多余的“{c}”"),
            ));
        }
    };
    let mut previous: Option<&SourceLine> = None;
    for line in &context.lines {
        let continues = previous.is_some_and(|p| p.file == line.file && p.line + 1 == line.line)
            && !starts_block(&line.text);
        if !continues {
            report_open(&mut open, out);
        }
        previous = Some(line);
        let prose = &line.prose;
        for (byte, c) in prose.char_indices() {
            if PAIRS.iter().any(|(o, _)| *o == c) {
                open.push((c, at(line, byte)));
                continue;
            }
            if c == '"' && open.last().is_some_and(|(o, _)| *o == '“') {
                open.pop();
                out.push(rule.at(
                    at(line, byte),
                    1,
                    "“ 与半角 \" 配对".into(),
                    "改为全角右引号“””",
                ));
                continue;
            }
            let Some(&(opener, _)) = PAIRS.iter().find(|(_, close)| *close == c) else {
                continue;
            };
            // "China’s" is an apostrophe; "1）" a list number: neither closes anything.
            let excused = (c == '’'
                && prose[..byte]
                    .chars()
                    .next_back()
                    .is_some_and(|b| b.is_ascii_alphabetic()))
                || (c == '）' && enumerator_before(prose, byte));
            if let Some(depth) = open.iter().rposition(|(o, _)| *o == opener) {
                // What opened after the matching opener was never closed.
                let mut unclosed = open.split_off(depth + 1);
                open.pop();
                report_open(&mut unclosed, out);
            } else if !excused {
                out.push(rule.at(
                    at(line, byte),
                    1,
                    format!("“{c}”前面没有对应的“{opener}”"),
                    format!("补上“{opener}”，或删去多余的“{c}”"),
                ));
            }
        }
    }
    report_open(&mut open, out);
}

/// Doubled punctuation that is never right.
const DOUBLED_MARKS: [char; 5] = ['，', '。', '、', '；', '：'];

/// 的的 and 了了 are typos except in these words: 的的确确, 目的的, 有的的确, 为了了解, 不了了之.
fn legit_double(c: char, before: Option<char>, after: Option<char>) -> bool {
    match c {
        '的' => {
            before.is_some_and(|b| "目有别似是真端".contains(b))
                || after.is_some_and(|a| "确".contains(a))
        }
        '了' => after.is_some_and(|a| "解结却然断之如事了".contains(a)),
        _ => true,
    }
}

fn repeated(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let chars: Vec<(usize, char)> = line.prose.char_indices().collect();
        let mut i = 0;
        while i + 1 < chars.len() {
            let (byte, c) = chars[i];
            let before = i.checked_sub(1).map(|j| chars[j].1);
            let after = chars.get(i + 2).map(|&(_, a)| a);
            let doubled = chars[i + 1].1 == c
                && (DOUBLED_MARKS.contains(&c)
                    || (matches!(c, '的' | '了') && !legit_double(c, before, after)));
            if doubled {
                out.push(rule.at(
                    at(line, byte),
                    2,
                    format!("“{c}{c}”重复"),
                    format!("删去一个“{c}”"),
                ));
                i += 2;
                continue;
            }
            if let Some(n) = repeated_word(&chars, i) {
                let word: String = chars[i..i + n].iter().map(|&(_, c)| c).collect();
                out.push(rule.at(
                    at(line, byte),
                    2 * n,
                    format!("“{word}”连写了两遍"),
                    format!("删去一个“{word}”"),
                ));
                i += 2 * n;
                continue;
            }
            i += 1;
        }
    }
}

/// A word of two to four Chinese characters written twice in a row at `i` ("加强加强"), not a
/// reduplication Chinese allows: AABB (实实在在) is not a repeated word, nor "一个一个".
fn repeated_word(chars: &[(usize, char)], i: usize) -> Option<usize> {
    (2..=4).rev().find(|&n| {
        let Some(pair) = chars.get(i..i + 2 * n) else {
            return false;
        };
        let (first, second) = pair.split_at(n);
        first.iter().zip(second).all(|(a, b)| a.1 == b.1)
            && first.iter().all(|&(_, c)| is_ideograph(c))
            && first.windows(2).any(|w| w[0].1 != w[1].1)
            && !"一每".contains(first[0].1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeats(text: &str) -> Vec<usize> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        (0..chars.len())
            .filter_map(|i| repeated_word(&chars, i))
            .collect()
    }

    #[test]
    fn a_word_twice_is_a_repeat_but_reduplication_is_not() {
        assert_eq!(repeats("加强加强管理"), [2]);
        assert_eq!(repeats("整改整改"), [2]);
        for right in ["实实在在", "一个一个", "层层把关", "天天向上", "研究部署"]
        {
            assert!(repeats(right).is_empty(), "{right}");
        }
    }

    #[test]
    fn doubled_de_and_le_are_read_with_their_words() {
        assert!(!legit_double('的', Some('善'), Some('制')));
        assert!(legit_double('的', Some('目'), Some('实')));
        assert!(legit_double('的', None, Some('确')));
        assert!(legit_double('了', Some('为'), Some('解')));
        assert!(!legit_double('了', Some('减'), Some('办')));
    }

    #[test]
    fn a_list_number_closes_nothing() {
        assert!(enumerator_before(
            "工作分三步：1）摸底",
            "工作分三步：1".len()
        ));
        assert!(!enumerator_before("见附件）", "见附件".len()));
    }
}

//! A character or word typed twice: 的的, 了了, 加强加强, ，，; not the reduplication Chinese
//! allows (的的确确, 为了了解, 实实在在, 一个一个).

use crate::check::text::is_ideograph;
use crate::check::{Context, Diagnostic, Rule, Severity};

pub fn rules() -> Vec<Rule> {
    vec![Rule {
        id: "W005",
        severity: Severity::Warning,
        description: "字词重复（的的、了了、加强加强、，，）",
        run: repeated,
    }]
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
                    line.location(byte),
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
                    line.location(byte),
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
}

//! Characters as typed: full-width digits, brackets and quotes that are not closed or not
//! opened.

use crate::diag::Location;

use crate::check::text::is_ideograph;
use crate::check::{Context, Diagnostic, Rule, Severity, SourceLine};

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
    ]
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
                line.location(start),
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
    let mut paragraph_ended = false;
    for line in &context.lines {
        let same_file = previous.is_some_and(|p| p.file == line.file);
        previous = Some(line);
        if line.text.trim().is_empty() {
            paragraph_ended = true;
            continue;
        }
        if !same_file || paragraph_ended || starts_block(&line.text) {
            // A quotation of several paragraphs opens each with “ and closes only the last.
            let quotation_goes_on = same_file
                && !open.is_empty()
                && open.iter().all(|(c, _)| *c == '“')
                && line.prose.trim_start().starts_with('“');
            if quotation_goes_on {
                open.clear();
            } else {
                report_open(&mut open, out);
            }
        }
        paragraph_ended = false;
        let prose = &line.prose;
        for (byte, c) in prose.char_indices() {
            if PAIRS.iter().any(|(o, _)| *o == c) {
                open.push((c, line.location(byte)));
                continue;
            }
            if c == '"' && open.last().is_some_and(|(o, _)| *o == '“') {
                open.pop();
                out.push(rule.at(
                    line.location(byte),
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
                    line.location(byte),
                    1,
                    format!("“{c}”前面没有对应的“{opener}”"),
                    format!("补上“{opener}”，或删去多余的“{c}”"),
                ));
            }
        }
    }
    report_open(&mut open, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_number_closes_nothing() {
        assert!(enumerator_before(
            "工作分三步：1）摸底",
            "工作分三步：1".len()
        ));
        assert!(!enumerator_before("见附件）", "见附件".len()));
    }
}

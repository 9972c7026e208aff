//! Heading markers of a 公文 (一、 （一） 1. （1）) and the ones writers type by hand.

use crate::document::model::HeadingLevel;

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五. Numbers past 9999 stay Arabic:
/// no report has that many parts, and a wrong numeral would be worse than a plain one.
pub fn chinese_numeral(n: u64) -> String {
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    if (10..20).contains(&n) {
        // 十一, not 一十一, as written in headings.
        return format!(
            "十{}",
            if n == 10 {
                String::new()
            } else {
                chinese_numeral(n - 10)
            }
        );
    }
    let units = [(1000, '千'), (100, '百'), (10, '十'), (1, ' ')];
    let mut out = String::new();
    let mut pending_zero = false;
    for (value, unit) in units {
        let digit = (n / value) % 10;
        if digit == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        out.push(DIGITS[digit as usize]);
        if unit != ' ' {
            out.push(unit);
        }
    }
    out
}

/// The marker of the `n`th item at `level`: 一、 （一） 1. （1）.
pub fn marker(level: HeadingLevel, n: u64) -> String {
    match level.get() {
        1 => format!("{}、", chinese_numeral(n)),
        2 => format!("（{}）", chinese_numeral(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

fn is_chinese_digit(c: char) -> bool {
    DIGITS.contains(&c) || matches!(c, '十' | '百' | '千')
}

/// Byte length of a number the writer typed at the start of a heading ("一、", "（3）",
/// "1、 ", "(1)", "①"), including the spaces after it; `None` if the text starts otherwise.
pub fn typed_number(text: &str) -> Option<usize> {
    let end = typed_marker_end(text)?;
    let rest = &text[end..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\u{3000}', '\t']).len();
    Some(end + spaces)
}

fn typed_marker_end(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    if enclosed(first).is_some() {
        return Some(first.len_utf8());
    }
    if first == '（' || first == '(' {
        let inner = &text[first.len_utf8()..];
        let digits = leading(inner, |c| digit(c).is_some() || is_chinese_digit(c));
        if digits == 0 {
            return None;
        }
        let close = inner[digits..].chars().next()?;
        return matches!(close, '）' | ')').then(|| first.len_utf8() + digits + close.len_utf8());
    }
    let chinese = leading(text, is_chinese_digit);
    if chinese > 0 {
        return text[chinese..]
            .starts_with('、')
            .then(|| chinese + '、'.len_utf8());
    }
    let digits = leading(text, |c| digit(c).is_some());
    if digits == 0 {
        return None;
    }
    let mut rest = text[digits..].chars();
    let separator = rest.next()?;
    // "1.2023年以来" is a number followed by a year, not "1." twice; "3.5亿元" is a figure.
    let before_digit = rest.next().is_some_and(|c| digit(c).is_some());
    (matches!(separator, '、' | '.' | '．') && !(separator != '、' && before_digit))
        .then(|| digits + separator.len_utf8())
}

/// A digit as typed, half- or full-width ("２" from a Chinese input method).
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// A number and its marker in one character, as Word's enclosed formats and input methods
/// print them: ① (level 5), ⑴ like （1）, ⒈ like 1., ㈠ and ㊀ like （一）.
fn enclosed(c: char) -> Option<(u8, u64)> {
    let from = |start: char| u64::from(c as u32 - start as u32 + 1);
    match c {
        '①'..='⑳' => Some((5, from('①'))),
        '⑴'..='⒇' => Some((4, from('⑴'))),
        '⒈'..='⒛' => Some((3, from('⒈'))),
        '㈠'..='㈩' => Some((2, from('㈠'))),
        '㊀'..='㊉' => Some((2, from('㊀'))),
        _ => None,
    }
}

fn leading(text: &str, pred: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .find(|&(_, c)| !pred(c))
        .map_or(text.len(), |(i, _)| i)
}

/// The level and number a typed marker stands for: "（三）" → (2, 3), "1、" → (3, 1).
/// `1、` is read as level 3, where a 公文 writes "1.".
pub fn parse_marker(marker: &str) -> Option<(u8, u64)> {
    let marker = marker.trim_end_matches([' ', '\u{3000}', '\t']);
    if let Some(enclosed) = enclosed(marker.chars().next()?) {
        return Some(enclosed);
    }
    let (inner, bracketed) = match marker.strip_prefix(['（', '(']) {
        Some(rest) => (rest.trim_end_matches(['）', ')']), true),
        None => (marker.trim_end_matches(['、', '.', '．']), false),
    };
    let (arabic, n) = match parse_digits(inner) {
        Some(n) => (true, n),
        None => (false, parse_chinese(inner)?),
    };
    let level = match (bracketed, arabic) {
        (false, false) => 1,
        (true, false) => 2,
        (false, true) => 3,
        (true, true) => 4,
    };
    Some((level, n))
}

/// "12", "１２" → 12.
fn parse_digits(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.chars().try_fold(0u64, |n, c| {
        n.checked_mul(10)?.checked_add(u64::from(digit(c)?))
    })
}

/// 一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105.
fn parse_chinese(text: &str) -> Option<u64> {
    let mut total = 0;
    let mut digit = None;
    for c in text.chars() {
        match c {
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                total += digit.take().unwrap_or(1) * unit;
            }
            '零' => {}
            _ => digit = Some(DIGITS.iter().position(|&d| d == c)? as u64),
        }
    }
    let n = total + digit.unwrap_or(0);
    (n > 0).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_past_ten() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (19, "十九"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
        ];
        for (n, expected) in cases {
            assert_eq!(chinese_numeral(n), expected, "{n}");
        }
    }

    #[test]
    fn typed_markers_parse_to_level_and_number() {
        assert_eq!(parse_marker("十二、"), Some((1, 12)));
        assert_eq!(parse_marker("（三）"), Some((2, 3)));
        assert_eq!(parse_marker("(3) "), Some((4, 3)));
        assert_eq!(parse_marker("1、"), Some((3, 1)));
        assert_eq!(parse_marker("2."), Some((3, 2)));
        assert_eq!(parse_marker("（二十一）"), Some((2, 21)));
        assert_eq!(parse_marker("③"), Some((5, 3)));
        assert_eq!(parse_marker("（２）"), Some((4, 2)));
        assert_eq!(parse_marker("１２．"), Some((3, 12)));
        assert_eq!(parse_marker("⑵"), Some((4, 2)));
        assert_eq!(parse_marker("⒊"), Some((3, 3)));
        assert_eq!(parse_marker("㈣"), Some((2, 4)));
        for n in 1..200 {
            let level = HeadingLevel::new(1).unwrap();
            assert_eq!(parse_marker(&marker(level, n)), Some((1, n)), "{n}");
        }
    }

    #[test]
    fn markers_per_level() {
        let level = |l| HeadingLevel::new(l).unwrap();
        assert_eq!(marker(level(1), 12), "十二、");
        assert_eq!(marker(level(2), 3), "（三）");
        assert_eq!(marker(level(3), 4), "4.");
        assert_eq!(marker(level(4), 5), "（5）");
    }

    #[test]
    fn typed_numbers_are_found() {
        for text in [
            "一、基本情况",
            "十二、其他",
            "（一）成立",
            "(3)履职",
            "（3） 履职效能",
            "1、 基本情况",
            "1.部门自评范围",
            "2．内容",
            "①第一",
            "（２）全角数字",
            "１．全角数字",
            "１２、全角数字",
            "⑶带括号的数字",
            "⒉带点的数字",
            "㈡带括号的汉字",
        ] {
            let len = typed_number(text).unwrap_or_else(|| panic!("{text}"));
            assert!(!text[len..].starts_with(' '), "{text}");
        }
    }

    #[test]
    fn ordinary_text_is_not_a_typed_number() {
        for text in [
            "基本情况",
            "2023年以来",
            "1.2023年以来",
            "3.5亿元",
            "３．５亿元",
            "１．２０２３年以来",
            "（注）",
            "一是",
        ] {
            assert_eq!(typed_number(text), None, "{text}");
        }
    }
}

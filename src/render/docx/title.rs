//! Breaking a long title into balanced lines at word boundaries (GB/T 9704 §7.3.1: 回行时要做到
//! 词意完整, 排列对称). jieba-rs segments the title with a lexicon of the words titles and
//! organs' names are made of (title_words.txt); its 350,000-word default dictionary is left
//! out: it takes about half a second to load and adds 3 MB to the binary.

use std::sync::OnceLock;

use jieba_rs::Jieba;

fn segmenter() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut jieba = Jieba::empty();
        let words = include_str!("title_words.txt")
            .lines()
            .filter(|line| !line.is_empty() && !line.starts_with('#'));
        for word in words {
            // One frequency for all: a known word always beats its characters one by one.
            jieba.add_word(word, Some(1000), None);
        }
        jieba
    })
}

/// Width in half-ems: a Chinese character is two, a Latin letter or digit one.
pub(super) fn width(c: char) -> usize {
    if c.is_ascii() { 1 } else { 2 }
}

/// Splits `text` into the fewest lines of at most `capacity` half-ems, of near-equal width.
/// A line ends only between two words the segmenter found, never after a figure ("2024 /
/// 年度"), before closing punctuation or after opening punctuation; it prefers to end after
/// a known word or an organ's last character (区, 委, 局 …) over between unknown characters.
pub fn balance(text: &str, capacity: usize) -> Vec<String> {
    const WORD_ENDS: &str = "省市县区乡镇村委会室局厅处部院所站队校";
    let chars: Vec<char> = text.chars().collect();
    let total: usize = chars.iter().map(|&c| width(c)).sum();
    if total <= capacity || capacity == 0 {
        return vec![text.to_string()];
    }
    // Where each token ends, and whether the token is a known word (more than one character).
    let mut boundary = vec![None; chars.len() + 1];
    for token in segmenter().cut(text, false) {
        boundary[token.end] = Some(token.end - token.start > 1);
    }
    let lines = total.div_ceil(capacity);
    let target = total.div_ceil(lines);
    let breakable = |i: usize| {
        let (before, after) = (chars[i - 1], chars[i]);
        let figure = before.is_ascii_alphanumeric();
        let closes = "，。、；：？！）》」』”’%".contains(after);
        let opens = "（《「『“‘".contains(before);
        boundary[i].is_some() && !(figure || closes || opens)
    };
    let mut out = Vec::new();
    let mut start = 0;
    while out.len() + 1 < lines {
        let mut used = 0;
        let mut best: Option<(usize, usize)> = None;
        for i in start + 1..chars.len() {
            used += width(chars[i - 1]);
            if used > capacity {
                break;
            }
            if breakable(i) {
                let word = boundary[i] == Some(true) || WORD_ENDS.contains(chars[i - 1]);
                let score = used.abs_diff(target) * 2 + if word { 0 } else { 5 };
                if best.is_none_or(|(_, s)| score < s) {
                    best = Some((i, score));
                }
            }
        }
        let Some((at, _)) = best else {
            break;
        };
        out.push(chars[start..at].iter().collect());
        start = at;
    }
    out.push(chars[start..].iter().collect());
    out
}

#[cfg(test)]
mod tests {
    use super::balance;

    /// The title's width in half-ems at the sample's layout: 156 mm of 21.75 pt characters.
    const CAPACITY: usize = 40;

    /// Words no line may end inside.
    const WORDS: &[&str] = &[
        "年度",
        "部门",
        "整体",
        "绩效",
        "自评",
        "报告",
        "农业",
        "农村",
        "办公室",
        "管委会",
        "党工委",
        "开发区",
        "经济",
        "技术",
        "人民政府",
        "卫生健康",
        "市场监督管理局",
        "财政局",
        "委员会",
    ];

    #[test]
    fn generated_titles_for_many_units_never_break_inside_a_word() {
        let units = [
            "某县农业农村局",
            "鄂州葛店经济技术开发区党工委管委会办公室",
            "某市财政局",
            "某县人民政府办公室",
            "某区卫生健康局",
            "某市市场监督管理局",
            "某自治县发展和改革委员会",
            "某市住房和城乡建设局",
        ];
        for unit in units {
            let title = format!("{unit}2024年度部门整体绩效自评报告");
            let lines = balance(&title, CAPACITY);
            assert_eq!(lines.concat(), title);
            for pair in lines.windows(2) {
                let (end, start) = (&pair[0], &pair[1]);
                for word in WORDS {
                    let split = (1..word.chars().count()).any(|k| {
                        let head: String = word.chars().take(k).collect();
                        let tail: String = word.chars().skip(k).collect();
                        end.ends_with(&head) && start.starts_with(&tail)
                    });
                    assert!(!split, "{word} broken in {lines:?}");
                }
                assert!(!end.ends_with(|c: char| c.is_ascii_digit()), "{lines:?}");
            }
            let widths: Vec<usize> = lines
                .iter()
                .map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum())
                .collect();
            assert!(widths.iter().all(|&w| w <= CAPACITY), "{lines:?}");
        }
    }

    #[test]
    fn the_issues_title_breaks_after_the_year() {
        assert_eq!(
            balance("某县农业农村局2024年度部门整体绩效自评报告", CAPACITY),
            ["某县农业农村局2024年度", "部门整体绩效自评报告"]
        );
    }

    #[test]
    fn long_titles_break_into_balanced_lines() {
        let lines = balance(
            "2023年度鄂州葛店经济技术开发区党工委管委会办公室整体绩效自评结果",
            CAPACITY,
        );
        assert_eq!(
            lines,
            [
                "2023年度鄂州葛店经济技术开发区",
                "党工委管委会办公室整体绩效自评结果"
            ]
        );
        let lines = balance(&"字".repeat(41), CAPACITY);
        assert_eq!(
            lines.iter().map(|l| l.chars().count()).collect::<Vec<_>>(),
            [14, 14, 13]
        );
        assert_eq!(balance("短标题", CAPACITY), ["短标题"]);
    }

    #[test]
    fn breaks_avoid_digits_and_punctuation() {
        for line in balance(
            "关于2023年度部门整体支出绩效自评（试行）工作情况的报告和说明材料",
            30,
        ) {
            assert!(!line.starts_with(['）', '，']), "{line}");
            assert!(!line.ends_with('（'), "{line}");
        }
    }
}

//! Breaking a long title into balanced lines at word boundaries (GB/T 9704 §7.3.1: 回行时要做到
//! 词意完整, 排列对称). The title is segmented with a lexicon of the words titles and organs'
//! names are made of (title_words.txt).

/// The words of title_words.txt, as characters.
fn lexicon() -> Vec<Vec<char>> {
    include_str!("title_words.txt")
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|word| word.chars().collect())
        .collect()
}

/// Splits `chars` into known words and single characters and returns, for each position
/// `0..=len`, whether a known word ends there (`Some(true)`), a single character does
/// (`Some(false)`), or it lies inside a word (`None`). The split leaves the fewest characters
/// outside words, then has the fewest pieces, then the longest first word: what a dictionary
/// segmenter with one frequency for every word chooses, in whole numbers, so that every
/// platform breaks a title alike.
fn word_ends(chars: &[char]) -> Vec<Option<bool>> {
    let lexicon = lexicon();
    let n = chars.len();
    // best[i]: for chars[i..], (characters outside words, pieces) and its first piece's length.
    let mut best = vec![((0, 0), 0); n + 1];
    for i in (0..n).rev() {
        let ((alone, pieces), _) = best[i + 1];
        let mut choice = ((alone + 1, pieces + 1), 1);
        for word in lexicon.iter().filter(|w| chars[i..].starts_with(w)) {
            let ((alone, pieces), _) = best[i + word.len()];
            let cost = (alone, pieces + 1);
            if cost < choice.0 || (cost == choice.0 && word.len() > choice.1) {
                choice = (cost, word.len());
            }
        }
        best[i] = choice;
    }
    let mut ends = vec![None; n + 1];
    let mut i = 0;
    while i < n {
        let length = best[i].1;
        i += length;
        ends[i] = Some(length > 1);
    }
    ends
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
    let boundary = word_ends(&chars);
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

//! Typography: document numbers in the wrong brackets, half-width punctuation between Chinese
//! characters, "1、" as a marker, spaces used as indents, leftovers from Word, ASCII dashes.

pub(super) mod characters;
pub(super) mod conversion;

use crate::diag::Location;

use crate::check::text::occurrences;
use crate::check::{Context, Diagnostic, Rule, Severity, SourceLine};

pub fn rules() -> Vec<Rule> {
    vec![
        Rule {
            id: "T001",
            severity: Severity::Warning,
            description: "文号年份用了【】或 []，应为六角括号〔〕",
            run: document_number,
        },
        Rule {
            id: "T002",
            severity: Severity::Warning,
            description: "中文之间用了半角标点 , ; : ( ) . ! ?",
            run: half_width,
        },
        Rule {
            id: "T003",
            severity: Severity::Warning,
            description: "用“1、”作序号（三级序号应为“1.”）",
            run: enumeration_comma,
        },
        Rule {
            id: "T004",
            severity: Severity::Warning,
            description: "行首或行尾有空格（用空格缩进）",
            run: spaces,
        },
        Rule {
            id: "T005",
            severity: Severity::Error,
            description: "Word 转换残留（[bookmark: …]、_GoBack、域代码、零宽字符）",
            run: word_leftovers,
        },
        Rule {
            id: "T006",
            severity: Severity::Warning,
            description: "用 -- 或 ---- 代替破折号“——”",
            run: ascii_dash,
        },
    ]
}

fn at(line: &SourceLine, byte: usize) -> Location {
    line.location(byte)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x3001..=0x3003 | 0xFF01..=0xFF5E | 0x201C | 0x201D | 0x300A..=0x3011)
}

fn document_number(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        for (open, close) in [('【', '】'), ('[', ']')] {
            for (start, _) in line.prose.match_indices(open) {
                let inner = &line.prose[start + open.len_utf8()..];
                let year_len = inner.chars().take_while(char::is_ascii_digit).count();
                if year_len == 4 && inner[4..].starts_with(close) {
                    out.push(
                        rule.at(
                            at(line, start),
                            6,
                            format!("文号年份写成了“{open}{}{close}”", &inner[..4]),
                            format!("改为六角括号“〔{}〕”", &inner[..4]),
                        )
                        .with_replacement(format!("〔{}〕", &inner[..4])),
                    );
                }
            }
        }
    }
}

fn half_width(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let chars: Vec<(usize, char)> = line.prose.char_indices().collect();
        for (i, &(byte, c)) in chars.iter().enumerate() {
            let full = match c {
                ',' => '，',
                ';' => '；',
                ':' => '：',
                '(' => '（',
                ')' => '）',
                '.' => '。',
                '!' => '！',
                '?' => '？',
                _ => continue,
            };
            let before = i.checked_sub(1).map(|j| chars[j].1);
            let after = chars.get(i + 1).map(|&(_, c)| c);
            let between = before.is_some_and(is_cjk) && after.is_none_or(is_cjk);
            // "(" may open before Chinese text, ")" may close after it.
            let bracket =
                (c == '(' && after.is_some_and(is_cjk)) || (c == ')' && before.is_some_and(is_cjk));
            if between || bracket {
                out.push(
                    rule.at(
                        at(line, byte),
                        1,
                        format!("中文之间用了半角“{c}”"),
                        format!("改为全角“{full}”"),
                    )
                    .with_replacement(full.to_string()),
                );
            }
        }
    }
}

fn enumeration_comma(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let prose = &line.prose;
        for (byte, _) in prose.match_indices('、') {
            let digits = prose[..byte]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .count();
            if digits == 0 {
                continue;
            }
            let start = byte - digits;
            let before = prose[..start].trim_end_matches([' ', '\u{3000}']);
            if before.is_empty() || before.ends_with(['。', '；', '：']) {
                out.push(rule.at(
                    at(line, start),
                    digits + 1,
                    format!("序号“{}”用了顿号", &prose[start..byte + '、'.len_utf8()]),
                    format!(
                        "三级序号写作“{}.”；标题请用 Markdown 标题，列举请用有序列表",
                        &prose[start..byte]
                    ),
                ));
            }
        }
    }
}

fn spaces(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let text = &line.text;
        let content = text.trim_start_matches([' ', '\u{3000}', '\t']);
        let leading = text.len() - content.len();
        // Indentation that Markdown reads (nested list items) is structure, not a typed indent.
        let list_item = content.starts_with(['-', '*', '+', '|', '>'])
            || content
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if leading > 0 && !content.is_empty() && !list_item {
            out.push(rule.at(
                line.at_column(1),
                text[..leading].chars().count(),
                "行首用空格缩进".into(),
                "删去行首空格：首行缩进两字由版式自动完成",
            ));
        }
        let trimmed = text.trim_end_matches([' ', '\u{3000}', '\t']);
        if trimmed.len() < text.len() && !trimmed.is_empty() {
            out.push(rule.at(
                line.at_column(trimmed.chars().count() + 1),
                text.chars().count() - trimmed.chars().count(),
                "行尾有多余的空格".into(),
                "删去行尾空格",
            ));
        }
    }
}

const LEFTOVERS: [&str; 9] = [
    "[bookmark:",
    "_GoBack",
    "MERGEFORMAT",
    "HYPERLINK \"",
    "PAGEREF ",
    "TOC \\o",
    "\u{FFFC}",
    "\u{200B}",
    "\u{FEFF}",
];

fn word_leftovers(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let mut seen_bookmark = false;
        for leftover in LEFTOVERS {
            for byte in occurrences(&line.prose, leftover) {
                // "[bookmark: _GoBack]" is one leftover, reported once.
                if leftover == "_GoBack" && seen_bookmark {
                    continue;
                }
                seen_bookmark |= leftover == "[bookmark:";
                let width = if leftover == "[bookmark:" {
                    line.prose[byte..].find(']').map_or(leftover.len(), |e| {
                        line.prose[byte..byte + e + 1].chars().count()
                    })
                } else {
                    leftover.chars().count()
                };
                out.push(
                    rule.at(
                        at(line, byte),
                        width,
                        format!("Word 转换残留“{}”", leftover.escape_debug()),
                        "删去；从 Word 复制文字时选择“只保留文本”",
                    )
                    .with_replacement(""),
                );
            }
        }
    }
}

fn ascii_dash(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let mut rest = 0;
        while let Some(found) = line.prose[rest..].find("--") {
            let start = rest + found;
            let len = line.prose[start..]
                .chars()
                .take_while(|&c| c == '-')
                .count();
            let before = line.prose[..start].chars().next_back();
            if before.is_some_and(is_cjk) {
                out.push(
                    rule.at(
                        at(line, start),
                        len,
                        format!("用“{}”代替破折号", "-".repeat(len)),
                        "改为破折号“——”",
                    )
                    .with_replacement("——"),
                );
            }
            rest = start + len;
        }
    }
}

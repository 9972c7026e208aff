//! Markdown that prints as typed: leftovers of a Word → Markdown conversion by pandoc
//! (attribute spans and anchors `[]{#_Toc16734 .anchor}`, `{.underline}`, HTML tags such as
//! `<u>`), `\` line breaks, and footnote references without a definition.

use std::collections::HashSet;

use crate::check::text::column;
use crate::check::{Context, Diagnostic, Rule, Severity};

pub fn rules() -> Vec<Rule> {
    vec![
        Rule {
            id: "T009",
            severity: Severity::Error,
            description: "pandoc 转换残留（[]{#_Toc… .anchor}、{.underline}、{.mark}），会原样印出",
            run: attribute_spans,
        },
        Rule {
            id: "T010",
            severity: Severity::Warning,
            description: "行尾的 \\ 或 <br> 强制换行（Word 转换残留），段落中间断行",
            run: hard_breaks,
        },
        Rule {
            id: "T011",
            severity: Severity::Warning,
            description: "HTML 标签（<u>、<sup>、<span …>），会原样印出",
            run: html_tags,
        },
        Rule {
            id: "T012",
            severity: Severity::Warning,
            description: "脚注引用 [^1] 在本文件中没有定义（[^1]: 脚注内容），会原样印出",
            run: undefined_footnotes,
        },
    ]
}

/// An attribute block pandoc writes after a span: "{#_Toc16734 .anchor}", "{.underline}".
fn attribute_block(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('{')?;
    let end = inner.find('}')?;
    let attributes = &inner[..end];
    let pandoc = attributes
        .split_whitespace()
        .all(|a| (a.starts_with(['#', '.']) && a.len() > 1) || a.contains('='));
    (pandoc && !attributes.trim().is_empty()).then_some(end + 2)
}

fn attribute_spans(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let prose = &line.prose;
        for (at, _) in prose.match_indices('{') {
            let Some(len) = attribute_block(&prose[at..]) else {
                continue;
            };
            // An empty anchor before it is part of the same leftover: "[]{#_Toc1 .anchor}".
            let start = if prose[..at].ends_with("[]") {
                at - 2
            } else {
                at
            };
            let leftover = &prose[start..at + len];
            out.push(rule.at(
                line.location(start),
                leftover.chars().count(),
                format!("pandoc 转换残留“{leftover}”会原样印出"),
                "删去；带格式的文字只保留文字（[文字]{.underline} 改为 文字）",
            ));
        }
    }
}

fn hard_breaks(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let text = line.text.trim_end();
        let tail = ["\\", "<br>", "<br/>", "<br />"]
            .into_iter()
            .find(|t| text.ends_with(t) && !text.ends_with(&format!("\\{t}")));
        let Some(tail) = tail else { continue };
        out.push(rule.at(
            line.at_column(column(text, text.len() - tail.len())),
            tail.chars().count(),
            format!("行尾的“{tail}”在段落中间强制换行"),
            "删去，与下一行接成一段；要分段就空一行",
        ));
    }
}

/// The length of the HTML tag that `text` starts with: "<u>", "</span>", "<span style=…>",
/// "<br/>"; not "<5%", "<http://…>" or "<a@b.cn>", which are no tags.
fn html_tag(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('<')?;
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let after = *rest.as_bytes().get(name)?;
    let named = rest.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    let tag = named && matches!(after, b'>' | b'/' | b' ' | b'\t');
    tag.then(|| text.find('>').map(|end| end + 1)).flatten()
}

fn html_tags(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let prose = &line.prose;
        let trimmed = prose.trim_end().len();
        for (at, _) in prose.match_indices('<') {
            let Some(len) = html_tag(&prose[at..]) else {
                continue;
            };
            let tag = &prose[at..at + len];
            // A <br> that ends the line is T010's.
            if at + len == trimmed && tag.starts_with("<br") {
                continue;
            }
            out.push(rule.at(
                line.location(at),
                tag.chars().count(),
                format!("HTML 标签“{tag}”会原样印出"),
                "删去标签，只留文字；加粗写 **文字**，脚注写 [^1]",
            ));
        }
    }
}

/// The label of the footnote reference `text` starts with: `[^1]` → `1`.
fn footnote_label(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("[^")?;
    let label = &rest[..rest.find(']')?];
    (!label.is_empty() && !label.contains(char::is_whitespace)).then_some(label)
}

/// The label a footnote definition line starts with: `[^1]: 内容` → `1`.
fn footnote_definition(prose: &str) -> Option<&str> {
    let start = prose.trim_start();
    footnote_label(start).filter(|label| start[label.len() + 3..].starts_with(':'))
}

fn undefined_footnotes(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let definitions: Vec<Option<&str>> = context
        .lines
        .iter()
        .map(|line| footnote_definition(&line.prose))
        .collect();
    let defined: HashSet<(&std::path::Path, &str)> = context
        .lines
        .iter()
        .zip(&definitions)
        .filter_map(|(line, label)| Some((line.file.as_path(), (*label)?)))
        .collect();
    for (line, label) in context.lines.iter().zip(&definitions) {
        let prose = &line.prose;
        let definition = label.map(|_| prose.len() - prose.trim_start().len());
        for (at, _) in prose.match_indices("[^") {
            let Some(label) = footnote_label(&prose[at..]) else {
                continue;
            };
            if Some(at) == definition || defined.contains(&(line.file.as_path(), label)) {
                continue;
            }
            out.push(rule.at(
                line.location(at),
                label.chars().count() + 3,
                format!("脚注引用“[^{label}]”在本文件中没有定义，会原样印出"),
                format!("在同一文件中加上定义：[^{label}]: 脚注内容；不要脚注就删去引用"),
            ));
        }
    }
}

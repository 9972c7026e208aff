//! Leftovers of a Word → Markdown conversion by pandoc: attribute spans and anchors
//! (`[]{#_Toc16734 .anchor}`, `{.underline}`) that print as text, and `\` line breaks.

use crate::error::Location;

use super::text::column;
use super::{Context, Diagnostic, Rule, Severity};

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
                Location::new(&line.file, line.line, column(prose, start)),
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
            Location::new(&line.file, line.line, column(text, text.len() - tail.len())),
            tail.chars().count(),
            format!("行尾的“{tail}”在段落中间强制换行"),
            "删去，与下一行接成一段；要分段就空一行",
        ));
    }
}

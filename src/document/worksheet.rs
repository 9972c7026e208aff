//! The 计算底稿: one row for every figure the report prints from data.yaml or computes, in the
//! prose and in the 自评表, with where it is printed, what it was computed from (each input with
//! its value and the line it was typed on), its exact value, how it was rounded, the target it
//! was judged by and the rule that scored it. A model only: `render` writes it as a sheet of the
//! 自评表's .xlsx and as a .docx for reviewers.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use rust_decimal::Decimal;

use crate::diag::Location;
use crate::document::model::{Block, TextSpan, plain_text};
use crate::document::report::Built;
use crate::document::template::{INDICATOR_ATTRIBUTES, Printed, REPORT_NAMES, SCORE_ATTRIBUTES};
use crate::eval::indicators::{Indicator, Outcome, Verdict};
use crate::eval::scoring::{self, Figure, Row, Rule, Scores};
use crate::input::data::Datum;

/// The place of a figure the 自评表 prints.
pub const SCORE_TABLE: &str = "自评表";

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Worksheet {
    pub entries: Vec<Entry>,
}

/// One figure as printed, and everything it came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entry {
    /// "03-部门整体绩效目标完成情况.md:15:23", or "自评表" for a figure of the table.
    pub place: String,
    /// The numbered headings it is under, outermost first: "三、部门整体绩效目标完成情况",
    /// "（一）运行成本指标完成情况", "1.公用经费控制率"; for the 自评表, the row and the column.
    pub headings: Vec<String>,
    /// The sentence it stands in, as printed (a table's row, cells parted by " | ").
    pub sentence: String,
    pub printed: String,
    /// The placeholder's name, or what the 自评表 column shows.
    pub name: String,
    /// Where its value or its formula was typed: "data.yaml:14", "indicators.yaml:37".
    pub source: String,
    pub formula: String,
    /// Each input with its value and where it was typed.
    pub inputs: Vec<String>,
    pub exact: Option<Exact>,
    pub rounding: String,
    /// The target and how the verdict is decided.
    pub target: String,
    pub verdict: String,
    pub points: Option<Decimal>,
    pub score: Option<Decimal>,
    pub score_rule: String,
}

/// An exact value; a percentage as its ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exact {
    pub value: Decimal,
    pub percent: bool,
}

/// The worksheet of a built report: the figures of the prose in document order, then those of
/// the 自评表 row by row.
pub fn build(built: &Built) -> Worksheet {
    let mut entries = Vec::new();
    let outline = Outline::new(&built.document.blocks);
    for printed in &built.printed {
        // The report's own facts (年度, 单位 …), not figures.
        if REPORT_NAMES.contains(&printed.name.as_str()) {
            continue;
        }
        let Some(mut entry) = source_of(built, &printed.name) else {
            continue;
        };
        let (headings, sentence) = outline.context(printed);
        entry.place = format!(
            "{}:{}:{}",
            file_name(&printed.at.file),
            printed.at.line,
            printed.at.column
        );
        entry.headings = headings;
        entry.sentence = sentence;
        entry.printed.clone_from(&printed.text);
        entry.name.clone_from(&printed.name);
        entries.push(entry);
    }
    if let Some(scores) = &built.scores {
        entries.extend(score_table(built, scores));
    }
    Worksheet { entries }
}

/// A file's name without its folder: the worksheet is the same wherever the report was built.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    )
}

fn at(location: &Location) -> String {
    format!("{}:{}", file_name(&location.file), location.line)
}

/// What a placeholder's name refers to: a figure of data.yaml, an indicator's attribute, a row
/// of the 自评表 or its total.
fn source_of(built: &Built, name: &str) -> Option<Entry> {
    if let Some(datum) = built.data.fields.get(name) {
        return Some(datum_entry(built, name, datum));
    }
    let (base, attribute) = match name.rsplit_once('.') {
        Some((base, attribute))
            if INDICATOR_ATTRIBUTES.contains(&attribute)
                || SCORE_ATTRIBUTES.contains(&attribute) =>
        {
            (base, attribute)
        }
        _ => (name, "值"),
    };
    let scores = built.scores.as_ref();
    let row = scores.and_then(|s| s.row(base));
    if let Some(indicator) = built.indicators.get(base) {
        let mut entry = indicator_entry(built, indicator);
        if let Some(row) = row {
            score_entry(&mut entry, row);
        }
        return Some(entry);
    }
    if let Some(row) = row {
        let mut entry = qualitative_entry(built, row);
        score_entry(&mut entry, row);
        return Some(entry);
    }
    let scores = scores?;
    (attribute == "值" && matches!(name, "自评得分" | "自评等级")).then(|| total_entry(scores))
}

fn datum_entry(built: &Built, name: &str, datum: &Datum) -> Entry {
    let source = built.data.locate(name).map(at).unwrap_or_default();
    let exact = match datum {
        Datum::Quantity(q) => Some(Exact {
            value: q.value,
            percent: q.display.ends_with('%'),
        }),
        Datum::Text(_) | Datum::Missing => None,
    };
    Entry {
        source,
        exact,
        rounding: "照 data.yaml 所写，不再取舍".into(),
        ..Entry::default()
    }
}

fn indicator_entry(built: &Built, indicator: &Indicator) -> Entry {
    let definition = &indicator.definition;
    let inputs = indicator
        .inputs
        .iter()
        .map(|input| {
            let from = built
                .data
                .locate(&input.name)
                .or_else(|| built.indicators.get(&input.name).map(|i| &i.location))
                .map(at)
                .unwrap_or_default();
            format!("{} = {}（{from}）", input.name, input.display)
        })
        .collect();
    let (exact, rounding) = match &indicator.outcome {
        Outcome::Value(value) => (
            Some(Exact {
                value: *value,
                percent: indicator.is_percent(),
            }),
            format!(
                "四舍五入，保留 {} 位小数{}",
                definition.decimals,
                if indicator.is_percent() {
                    "（百分数）"
                } else {
                    ""
                }
            ),
        ),
        Outcome::NotApplicable(reason) => (None, format!("不适用：{reason}")),
    };
    let target = match &definition.target {
        Some(target) => format!("{target}（以精确值比较）"),
        None => "无目标".into(),
    };
    let verdict = match indicator.verdict {
        Verdict::Met => format!("达到：{}", indicator.verdict_text),
        Verdict::NotMet => format!("未达到：{}", indicator.verdict_text),
        Verdict::NotApplicable => format!("不适用：{}", indicator.verdict_text),
        Verdict::Unjudged => "不判定".into(),
    };
    Entry {
        source: at(&indicator.location),
        formula: definition.formula.clone(),
        inputs,
        exact,
        rounding,
        target,
        verdict,
        ..Entry::default()
    }
}

/// A qualitative row of the 自评表: its level is typed in data.yaml.
fn qualitative_entry(built: &Built, row: &Row) -> Entry {
    let level = format!("{}.定性.{}", scoring::DATA_GROUP, row.name);
    Entry {
        source: built
            .data
            .locate(&level)
            .map_or_else(|| at(&row.location), at),
        target: row.target.clone(),
        ..Entry::default()
    }
}

/// The row's points, score and scoring rule.
fn score_entry(entry: &mut Entry, row: &Row) {
    entry.points = Some(row.points);
    entry.score = row.score;
    entry.score_rule = format!("{}（{}）", rule_text(row), at(&row.location));
}

fn rule_text(row: &Row) -> String {
    let points = scoring::format_points(row.points);
    let rule = match row.rule {
        Rule::Proportional => {
            format!("达到目标得 {points} 分，未达到按完成值与指标值之比得分")
        }
        Rule::Deduction(per) => {
            // A rate's deduction counts percentage points; any other figure's, its units.
            let rate = row.measured.as_ref().is_none_or(|figure| figure.percent);
            let step = if rate { "个百分点" } else { "个单位" };
            format!(
                "达到目标得 {points} 分，未达到每偏离 1 {step}扣 {} 分",
                scoring::format_points(per)
            )
        }
        Rule::FixedDeduction(off) => format!(
            "达到目标得 {points} 分，未达到扣 {} 分",
            scoring::format_points(off)
        ),
        Rule::Stepped => format!("达到目标得 {points} 分，未达到按完成值所到的档次得分"),
        Rule::Rate => format!("{points} 分 × 执行率，至多 {points} 分"),
        Rule::Qualitative => format!("按档次得 {points} 分中的相应分数"),
    };
    if row.score.is_none() {
        format!("{rule}；本项不适用，分值剔除")
    } else {
        format!("{rule}；得分四舍五入保留 2 位小数")
    }
}

fn total_entry(scores: &Scores) -> Entry {
    let rescaled = if scores.rescaled() {
        format!(
            "得分合计 {} ÷ 适用分值 {} × {}",
            scoring::format_score(scores.sum),
            scoring::format_points(scores.applicable_points),
            scoring::format_points(scores.total_points)
        )
    } else {
        format!("各项得分之和 {}", scoring::format_score(scores.sum))
    };
    let capped = scores.cap.as_ref().map_or_else(String::new, |cap| {
        format!(
            "；预算执行率 {} 低于封顶线，封顶为 {} 分",
            cap.rate,
            scoring::format_points(cap.limit)
        )
    });
    Entry {
        source: at(&scores.location),
        formula: format!("{rescaled}{capped}"),
        exact: Some(Exact {
            value: scores.total,
            percent: false,
        }),
        rounding: "四舍五入，保留 2 位小数".into(),
        target: format!("等级：{}", scores.grade_names.join("、")),
        verdict: scores.grade.clone(),
        points: Some(scores.total_points),
        score: Some(scores.total),
        score_rule: "按总分所在的等级区间定等级".into(),
        ..Entry::default()
    }
}

/// The figures the 自评表 prints: the budget line's, each row's 实际完成值 and 得分, the total.
fn score_table(built: &Built, scores: &Scores) -> Vec<Entry> {
    let mut entries = Vec::new();
    let place = |row: &str, column: &str, printed: String, mut entry: Entry| {
        entry.place = SCORE_TABLE.into();
        entry.sentence = format!("{row}：{column}");
        entry.headings = vec![row.to_string(), column.to_string()];
        entry.printed = printed;
        entry
    };
    if let Some(budget) = &scores.budget {
        let columns = ["年初预算数", "全年预算数", "全年执行数"];
        let figures = [&budget.initial, &budget.adjusted, &budget.spent];
        for ((column, path), figure) in columns.iter().zip(&budget.paths).zip(figures) {
            let Some(datum) = built.data.fields.get(path) else {
                continue;
            };
            let mut entry = datum_entry(built, path, datum);
            entry.name.clone_from(path);
            entries.push(place(
                "预算执行情况（万元）",
                column,
                figure.text.clone(),
                entry,
            ));
        }
    }
    for in_table in &built.table_printed {
        let printed = &in_table.printed;
        if REPORT_NAMES.contains(&printed.name.as_str()) {
            continue;
        }
        let Some(mut entry) = source_of(built, &printed.name) else {
            continue;
        };
        let text = scores.text(&in_table.column);
        entry.place = SCORE_TABLE.into();
        entry.headings = vec![in_table.column.clone()];
        entry.sentence = sentence_at(text, in_table.from).trim().to_string();
        entry.printed.clone_from(&printed.text);
        entry.name.clone_from(&printed.name);
        entries.push(entry);
    }
    for row in &scores.rows {
        let mut entry = match built.indicators.get(&row.name) {
            Some(indicator) => indicator_entry(built, indicator),
            None => qualitative_entry(built, row),
        };
        score_entry(&mut entry, row);
        entry.name.clone_from(&row.name);
        let actual = row
            .measured
            .as_ref()
            .map_or(&row.actual, |f: &Figure| &f.text);
        entries.push(place(
            &row.display_name,
            "实际完成值",
            actual.clone(),
            entry.clone(),
        ));
        // The row's score is rounded when scored; 得分 and 评分规则 say how.
        entry.exact = None;
        entry.rounding = "得分四舍五入，保留 2 位小数".into();
        entries.push(place(
            &row.display_name,
            "得分",
            row.score
                .map_or_else(|| "不适用".into(), scoring::format_score),
            entry,
        ));
    }
    let mut total = total_entry(scores);
    total.name = "自评得分".into();
    entries.push(place(
        "总分",
        "得分",
        scoring::format_score(scores.total),
        total,
    ));
    entries
}

/// The blocks of a document by where they were typed, each with the headings it stands under
/// (itself last, for a heading): built once, looked up for every figure.
struct Outline<'a> {
    blocks: &'a [Block],
    /// Each file's blocks, which follow each other.
    files: BTreeMap<&'a Path, Range<usize>>,
    /// Indices of the headings each block stands under, outermost first.
    under: Vec<Vec<usize>>,
}

impl<'a> Outline<'a> {
    fn new(blocks: &'a [Block]) -> Outline<'a> {
        let mut files: BTreeMap<&Path, Range<usize>> = BTreeMap::new();
        let mut under = Vec::with_capacity(blocks.len());
        let mut stack: Vec<(u8, usize)> = Vec::new();
        for (i, block) in blocks.iter().enumerate() {
            files
                .entry(origin(block).file.as_path())
                .and_modify(|range| range.end = i + 1)
                .or_insert(i..i + 1);
            if let Block::Heading(h) = block {
                stack.retain(|(level, _)| *level < h.level.get());
                stack.push((h.level.get(), i));
            }
            under.push(stack.iter().map(|(_, at)| *at).collect());
        }
        Outline {
            blocks,
            files,
            under,
        }
    }

    /// The block a figure typed at `at` stands in: the last of its file starting at or before
    /// its line.
    fn block_at(&self, at: &Location) -> Option<usize> {
        let range = self.files.get(at.file.as_path())?.clone();
        let first = range.start;
        let within = self.blocks[range].partition_point(|b| origin(b).line <= at.line);
        within.checked_sub(1).map(|i| first + i)
    }

    /// The numbered headings a printed value is under, and its sentence.
    fn context(&self, printed: &Printed) -> (Vec<String>, String) {
        let Some(i) = self.block_at(&printed.at) else {
            return (Vec::new(), String::new());
        };
        let headings = self.under[i]
            .iter()
            .filter_map(|&h| match &self.blocks[h] {
                Block::Heading(h) => Some(format!("{}{}", h.number, plain_text(&h.content))),
                _ => None,
            })
            .collect();
        (
            headings,
            sentence(&self.blocks[i], printed).trim().to_string(),
        )
    }
}

fn origin(block: &Block) -> &Location {
    match block {
        Block::Heading(h) => &h.origin,
        Block::Paragraph(p) => &p.origin,
        Block::Table(t) => &t.origin,
    }
}

/// The sentence of `block` a printed value stands in; a table's row, cells parted by " | ".
fn sentence(block: &Block, printed: &Printed) -> String {
    match block {
        Block::Paragraph(p) => {
            let text = format!("{}{}", plain_text(&p.lead), plain_text(&p.content));
            // A value the paragraph's text does not hold stands in one of its footnotes, whose
            // runs are not kept: no sentence rather than a wrong one.
            let lands = |s: &&TextSpan| {
                !s.verbatim
                    && printed
                        .lands
                        .iter()
                        .any(|at| (s.line, s.column) == (at.line, at.column))
            };
            p.spans
                .iter()
                .find(lands)
                .map_or_else(String::new, |span| sentence_at(&text, span.at))
        }
        Block::Heading(h) => format!("{}{}", h.number, plain_text(&h.content)),
        Block::Table(t) => {
            // A table has a line a row: the header, the delimiter, then the rows.
            let row = printed.at.line.saturating_sub(t.origin.line);
            let cells = match row {
                0 => Some(&t.header),
                1 => None,
                n => t.rows.get(n - 2),
            };
            cells.map_or_else(String::new, |cells| {
                cells
                    .iter()
                    .map(|cell| plain_text(cell))
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
        }
    }
}

/// The sentence of `text` that character `at` stands in: from after the sentence before it to
/// its end mark.
fn sentence_at(text: &str, at: usize) -> String {
    const ENDS: [char; 4] = ['。', '！', '？', '\n'];
    let chars: Vec<char> = text.chars().collect();
    let at = at.min(chars.len());
    let start = chars[..at]
        .iter()
        .rposition(|c| ENDS.contains(c))
        .map_or(0, |i| i + 1);
    let end = chars[at..]
        .iter()
        .position(|c| ENDS.contains(c))
        .map_or(chars.len(), |i| at + i + 1);
    chars[start..end].iter().collect()
}

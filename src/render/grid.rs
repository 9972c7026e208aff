//! The 部门整体绩效自评表 as a grid: rows of cells, merged cells, numbers kept as numbers.
//! Built from the [`Scores`]; the .docx and .xlsx writers in [`crate::render`] read it, and
//! nothing here knows either format.

use rust_decimal::Decimal;

use crate::document::worksheet::{Entry, Worksheet};
use crate::eval::scoring::{self, Figure, Nature, Row, Scores};
use crate::input::form::{self, Field, Form, HeaderBlock};
use crate::input::meta::ReportMeta;
use crate::input::style::ScoreTableStyle;

/// The table: a title, then its parts (the header block, then the indicators), all on the
/// form's columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreTable {
    pub title: String,
    /// The 单位, the files' author.
    pub unit: String,
    /// ISO 8601 date for the file's metadata, from report.yaml: never the clock.
    pub date: Option<String>,
    pub parts: Vec<Grid>,
    /// The flat sheet for import the form asks for, one row per indicator (.xlsx only).
    pub import: Option<Grid>,
}

/// One table of the document: rows of exactly as many slots as it has columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub part: Part,
    /// Each column's share of the width.
    pub shares: Vec<u32>,
    /// The first rows, repeated at the top of every page the table runs onto.
    pub header_rows: usize,
    /// Rows kept on the page of the row after them: the last indicator and the totals, so that
    /// no page carries the 总分 row alone.
    pub kept_with_next: std::ops::Range<usize>,
    pub rows: Vec<Vec<Slot>>,
}

/// Which part of the table a grid is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// 部门名称, 预算执行情况, the goals.
    Header,
    /// The indicators under their column headings, and the totals.
    Indicators,
    /// The 计算底稿's rows ([`WORKSHEET_SHARES`]).
    Worksheet,
    /// The flat rows for a finance system's import.
    Import,
}

/// What stands at a row and column.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    Cell(Cell),
    /// Part of the cell to its left in the same row.
    Right,
    /// Continues the cell above it, `span` columns wide (a merge down the rows).
    Below {
        span: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub content: Content,
    /// Columns it covers.
    pub span: usize,
    /// Rows it covers.
    pub rows: usize,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A column heading or a label ("部门名称"): bold, centred.
    Label,
    /// A figure or a short value: centred.
    Value,
    /// Running text (the goals, 偏差原因): left-aligned.
    Text,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Text(String),
    /// A figure shown with a fixed number of decimals; a percentage is its ratio.
    Number {
        value: Decimal,
        decimals: u32,
        percent: bool,
    },
}

impl Content {
    fn text(text: impl Into<String>) -> Self {
        Content::Text(text.into())
    }

    fn score(score: Option<Decimal>) -> Self {
        match score {
            Some(value) => Content::Number {
                value,
                decimals: 2,
                percent: false,
            },
            None => Content::text("不适用"),
        }
    }

    fn points(value: Decimal) -> Self {
        Content::Number {
            value,
            decimals: value.normalize().scale(),
            percent: false,
        }
    }

    fn figure(figure: &Figure) -> Self {
        match figure.value {
            Some(value) => Content::Number {
                value,
                decimals: figure.text.rsplit_once('.').map_or(0, |(_, d)| {
                    u32::try_from(d.trim_end_matches('%').len()).unwrap_or(0)
                }),
                percent: figure.percent,
            },
            None => Content::text(figure.text.clone()),
        }
    }

    /// As printed: "9.05", "90.54%", "不适用".
    pub fn display(&self) -> String {
        match self {
            Content::Text(text) => text.clone(),
            Content::Number {
                value,
                decimals,
                percent,
            } => crate::eval::indicators::format_value(*value, *percent, *decimals),
        }
    }
}

fn cell(content: Content, span: usize, role: Role) -> Slot {
    Slot::Cell(Cell {
        content,
        span,
        rows: 1,
        role,
    })
}

/// A row from cells placed left to right, each followed by the slots its span covers.
fn row(cells: Vec<Slot>) -> Vec<Slot> {
    let mut out = Vec::with_capacity(cells.len());
    for slot in cells {
        let span = match &slot {
            Slot::Cell(cell) => cell.span,
            Slot::Below { span } => *span,
            Slot::Right => 1,
        };
        out.push(slot);
        out.extend(std::iter::repeat_n(Slot::Right, span - 1));
    }
    out
}

/// `date`: the report's (report.yaml's 日期, or the default the report takes without one).
/// The columns' widths are the form's, or the style's where it gives as many.
pub fn build(
    scores: &Scores,
    meta: &ReportMeta,
    date: Option<&str>,
    layout: &ScoreTableStyle,
) -> ScoreTable {
    let form = &scores.form;
    let count = form.columns.len();
    let fitting = |shares: &Option<Vec<u32>>| shares.clone().filter(|s| s.len() == count);
    let shares = fitting(&layout.column_widths)
        .unwrap_or_else(|| form.columns.iter().map(|c| c.share).collect());
    let header_shares =
        fitting(&layout.header_column_widths).unwrap_or_else(|| form.header_shares());
    ScoreTable {
        title: format!("{}年度部门整体绩效自评表", meta.year),
        unit: meta.unit.clone(),
        date: date.map(str::to_string),
        parts: vec![
            header(scores, meta, header_shares),
            indicators(scores, shares),
        ],
        import: form.import.as_deref().map(|fields| import(scores, fields)),
    }
}

/// Headings, then one row per indicator, nothing merged: what a finance system reads by
/// column position.
fn import(scores: &Scores, fields: &[Field]) -> Grid {
    let bare = fields.contains(&Field::Unit);
    let mut rows = vec![row(fields
        .iter()
        .map(|field| cell(Content::text(field.heading()), 1, Role::Label))
        .collect())];
    for scored in &scores.rows {
        rows.push(row(fields
            .iter()
            .map(|&field| {
                let (content, role) = content(field, scored, bare);
                cell(content, 1, role)
            })
            .collect()));
    }
    Grid {
        part: Part::Import,
        shares: vec![1; fields.len()],
        header_rows: 1,
        kept_with_next: 0..0,
        rows,
    }
}

/// `count` columns in `parts` runs of near-equal width, the wider first: 10 in 3 → 4, 3, 3.
fn split(count: usize, parts: usize) -> Vec<usize> {
    let parts = parts.max(1);
    (0..parts)
        .map(|i| count / parts + usize::from(i < count % parts))
        .collect()
}

/// The header block, line by line as the form lists it: label and value pairs (部门名称,
/// 主管部门 …), the 预算执行情况, the goal texts under their labels.
fn header(scores: &Scores, meta: &ReportMeta, shares: Vec<u32>) -> Grid {
    let count = shares.len();
    let label = |text: &str, span| cell(Content::text(text), span, Role::Label);
    let mut rows = Vec::new();
    for block in &scores.form.header {
        match block {
            HeaderBlock::Fields(names) => {
                let mut cells = Vec::with_capacity(2 * names.len());
                for (name, width) in names.iter().zip(split(count, names.len())) {
                    let labelled = (width / 4).max(1);
                    let content = if form::UNIT_FIELDS.contains(&name.as_str()) {
                        Content::text(meta.unit.clone())
                    } else if name == form::TOTAL_FIELD {
                        Content::score(Some(scores.total))
                    } else if name == form::GRADE_FIELD {
                        Content::text(scores.grade.clone())
                    } else {
                        Content::text(scores.text(name))
                    };
                    cells.push(label(name, labelled));
                    cells.push(cell(content, width - labelled, Role::Value));
                }
                rows.push(row(cells));
            }
            HeaderBlock::Budget => {
                let Some(budget) = &scores.budget else {
                    continue;
                };
                let mut first = vec![Slot::Cell(Cell {
                    content: Content::text("预算执行情况（万元）"),
                    span: count - BUDGET_HEADINGS.len(),
                    rows: 2,
                    role: Role::Label,
                })];
                first.extend(BUDGET_HEADINGS.map(|text| label(text, 1)));
                rows.push(row(first));
                let value = |content| cell(content, 1, Role::Value);
                rows.push(row(vec![
                    Slot::Below {
                        span: count - BUDGET_HEADINGS.len(),
                    },
                    value(Content::figure(&budget.initial)),
                    value(Content::figure(&budget.adjusted)),
                    value(Content::figure(&budget.spent)),
                    value(Content::text(budget.rate.text.clone())),
                    value(Content::points(budget.points)),
                    value(Content::score(budget.score)),
                ]));
            }
            HeaderBlock::Texts(names) => {
                let widths = split(count, names.len());
                rows.push(row(names
                    .iter()
                    .zip(&widths)
                    .map(|(name, width)| label(name, *width))
                    .collect()));
                rows.push(row(names
                    .iter()
                    .zip(&widths)
                    .map(|(name, width)| cell(Content::text(scores.text(name)), *width, Role::Text))
                    .collect()));
            }
        }
    }
    Grid {
        part: Part::Header,
        shares,
        header_rows: 0,
        kept_with_next: 0..0,
        rows,
    }
}

/// The budget block's headings, right of its label.
const BUDGET_HEADINGS: [&str; 6] = [
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "执行率",
    "分值",
    "得分",
];

/// A target or result where a 计量单位 column shows the unit (`bare`): without a count's
/// unit (≥26次 → ≥26); a percentage keeps its sign.
fn without_unit(text: &str, unit: &str, bare: bool) -> String {
    if bare && !unit.is_empty() && unit != "%" {
        text.strip_suffix(unit).unwrap_or(text).to_string()
    } else {
        text.to_string()
    }
}

/// What `field` shows of `scored`, and how it reads; `bare`: a 计量单位 column shows the unit.
fn content(field: Field, scored: &Row, bare: bool) -> (Content, Role) {
    let text = |text: &str| (Content::text(text), Role::Value);
    let prose = |text: &str| (Content::text(text), Role::Text);
    match field {
        Field::Level1 => text(&scored.level1),
        Field::Level2 => text(&scored.level2),
        Field::Level3 | Field::Name => text(&scored.display_name),
        Field::Unit => text(&scored.unit),
        Field::Nature => text(match scored.nature {
            Nature::Quantitative => "定量",
            Nature::Qualitative => "定性",
        }),
        Field::Operator => text(&scored.operator),
        Field::InitialTarget => text(&without_unit(&scored.initial_target, &scored.unit, bare)),
        Field::Target => text(&without_unit(&scored.target, &scored.unit, bare)),
        Field::TargetValue => match &scored.target_figure {
            Some(figure) => (Content::figure(figure), Role::Value),
            None => text(&scored.target),
        },
        Field::Actual => {
            let figure = if bare {
                scored.actual_figure.as_ref()
            } else {
                scored.measured.as_ref()
            };
            match (figure, scored.given_share) {
                (Some(figure), _) => (Content::figure(figure), Role::Value),
                // The share a level was given shows beside it: 达成（95%）.
                (None, Some(share)) => text(&format!(
                    "{}（{}）",
                    scored.actual,
                    scoring::format_share(share)
                )),
                (None, None) => text(&scored.actual),
            }
        }
        Field::Coefficient => match scored.score {
            Some(score) if !scored.points.is_zero() => {
                let share = (score / scored.points).round_dp(4).normalize();
                let content = Content::Number {
                    value: share,
                    decimals: share.scale().saturating_sub(2),
                    percent: true,
                };
                (content, Role::Value)
            }
            Some(_) => text(""),
            None => text("不适用"),
        },
        Field::Points => (Content::points(scored.points), Role::Value),
        Field::Score => (Content::score(scored.score), Role::Value),
        Field::Core => text(if scored.core { "是" } else { "否" }),
        Field::Deviation => prose(&scored.deviation),
        Field::Criterion => prose(&scored.criterion),
        Field::Remark => prose(&scored.remark),
    }
}

/// One row per indicator under the form's column headings, 一级/二级 merged down their rows
/// when the form groups them, then the totals and the grade.
fn indicators(scores: &Scores, shares: Vec<u32>) -> Grid {
    let form = &scores.form;
    let mut rows = vec![row(form
        .columns
        .iter()
        .map(|column| cell(Content::text(column.heading()), 1, Role::Label))
        .collect())];
    let first = rows.len();
    for (i, scored) in scores.rows.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| &scores.rows[p]);
        let same1 = form.grouped && previous.is_some_and(|p| p.level1 == scored.level1);
        let same2 = same1 && previous.is_some_and(|p| p.level2 == scored.level2);
        rows.push(
            form.columns
                .iter()
                .map(|column| match column.field {
                    Field::Level1 if same1 => Slot::Below { span: 1 },
                    Field::Level2 if same2 => Slot::Below { span: 1 },
                    field => {
                        let (content, role) = content(field, scored, form.has(Field::Unit));
                        cell(content, 1, role)
                    }
                })
                .collect(),
        );
    }
    for (c, column) in form.columns.iter().enumerate() {
        if matches!(column.field, Field::Level1 | Field::Level2) {
            merge_down(&mut rows[first..], c);
        }
    }
    let last_indicator = rows.len() - 1;
    let total_row =
        |label: &str, points, score, note: String| total(form, label, points, score, note);
    if scores.rescaled() {
        let dropped = scores.total_points - scores.applicable_points;
        rows.push(total_row(
            "得分合计",
            scores.total_points,
            scores.sum,
            format!(
                "不适用指标的分值{}分剔除，按适用分值{}分折算为{}分制",
                scoring::format_points(dropped),
                scoring::format_points(scores.applicable_points),
                scoring::format_points(scores.total_points)
            ),
        ));
    }
    let capped = scores.cap.as_ref().map_or_else(String::new, |cap| {
        format!(
            "预算执行率{}低于{}，总分由{}分封顶为{}分；",
            cap.rate,
            crate::eval::indicators::format_value(cap.below, true, 0),
            scoring::format_score(cap.uncapped),
            scoring::format_points(cap.limit)
        )
    });
    rows.push(total_row(
        "总分",
        scores.total_points,
        scores.total,
        format!("{capped}自评等级：{}", scores.grade),
    ));
    Grid {
        part: Part::Indicators,
        shares,
        header_rows: 1,
        kept_with_next: last_indicator..rows.len() - 1,
        rows,
    }
}

/// A totals row: the label across the columns before the first figure column, the points
/// and the score in theirs, the note in the last text column (after the label where the
/// form has none).
fn total(form: &Form, label: &str, points: Decimal, score: Decimal, note: String) -> Vec<Slot> {
    let figures = [Field::Points, Field::Score, Field::Coefficient];
    let count = form.columns.len();
    let labelled = form
        .columns
        .iter()
        .position(|c| figures.contains(&c.field))
        .unwrap_or(count - 1)
        .max(1);
    let texts = [Field::Deviation, Field::Criterion, Field::Remark];
    let note_column = form
        .columns
        .iter()
        .rposition(|c| texts.contains(&c.field))
        .filter(|&c| c >= labelled);
    let label = match note_column {
        Some(_) => label.to_string(),
        None => format!("{label}（{note}）"),
    };
    let mut cells = vec![cell(Content::text(label), labelled, Role::Label)];
    for (c, column) in form.columns.iter().enumerate().skip(labelled) {
        cells.push(if note_column == Some(c) {
            cell(Content::text(note.clone()), 1, Role::Text)
        } else {
            match column.field {
                Field::Points => cell(Content::points(points), 1, Role::Value),
                Field::Score => cell(Content::score(Some(score)), 1, Role::Value),
                _ => cell(Content::text(""), 1, Role::Value),
            }
        });
    }
    row(cells)
}

impl Grid {
    /// The grid cut before each row of `starts` (indices of rows after the header rows, in
    /// order): one grid per page, each opening with the header rows. A cell merged down
    /// across a cut starts again with its text on the rows after it, so that the 一级/二级
    /// of a page's first row is printed there (Word and WPS repeat only header rows).
    pub fn pieces(&self, starts: &[usize]) -> Vec<Grid> {
        let mut bounds = vec![self.header_rows];
        bounds.extend(
            starts
                .iter()
                .copied()
                .filter(|&s| s > self.header_rows && s < self.rows.len()),
        );
        bounds.dedup();
        bounds.push(self.rows.len());
        bounds
            .windows(2)
            .map(|piece| {
                let (from, to) = (piece[0], piece[1]);
                let mut body: Vec<Vec<Slot>> = self.rows[from..to].to_vec();
                for column in 0..body.first().map_or(0, Vec::len) {
                    if let Slot::Below { .. } = body[0][column]
                        && let Some(Slot::Cell(anchor)) = self.rows[..from]
                            .iter()
                            .rev()
                            .map(|row| &row[column])
                            .find(|slot| matches!(slot, Slot::Cell(_)))
                    {
                        body[0][column] = Slot::Cell(anchor.clone());
                    }
                    for row in &mut body {
                        if let Slot::Cell(cell) = &mut row[column] {
                            cell.rows = 1;
                        }
                    }
                    merge_down(&mut body, column);
                }
                let mut rows = self.rows[..self.header_rows].to_vec();
                rows.extend(body);
                let shift = |row: usize| row - from + self.header_rows;
                let kept = self.kept_with_next.start.max(from)..self.kept_with_next.end.min(to);
                Grid {
                    part: self.part,
                    shares: self.shares.clone(),
                    header_rows: self.header_rows,
                    kept_with_next: if kept.is_empty() {
                        0..0
                    } else {
                        shift(kept.start)..shift(kept.end)
                    },
                    rows,
                }
            })
            .collect()
    }
}

/// Counts each cell at `column` down over the `Below` slots that follow it.
fn merge_down(rows: &mut [Vec<Slot>], column: usize) {
    let mut anchor: Option<usize> = None;
    for i in 0..rows.len() {
        match rows[i][column] {
            Slot::Below { .. } => {
                if let Some(Slot::Cell(cell)) = anchor.map(|a| &mut rows[a][column]) {
                    cell.rows += 1;
                }
            }
            _ => anchor = Some(i),
        }
    }
}

/// The 计算底稿 for reviewers: its column headings, and each column's share of the width.
pub const WORKSHEET_HEADINGS: [&str; 8] = [
    "序号",
    "位置",
    "所在句子",
    "印出",
    "来源、公式与输入",
    "精确值与取舍",
    "目标与结论",
    "评分",
];
pub const WORKSHEET_SHARES: [u32; 8] = [4, 13, 20, 7, 22, 11, 9, 14];

/// The 计算底稿 as one table, its headings repeated on every page.
pub fn worksheet(worksheet: &Worksheet, meta: &ReportMeta, date: Option<&str>) -> ScoreTable {
    let text = |text: String, role| cell(Content::Text(text), 1, role);
    let mut rows = vec![row(WORKSHEET_HEADINGS
        .iter()
        .map(|heading| text((*heading).to_string(), Role::Label))
        .collect())];
    for (number, entry) in (1..).zip(&worksheet.entries) {
        rows.push(vec![
            text(format!("{number}"), Role::Value),
            text(place_text(entry), Role::Text),
            text(entry.sentence.clone(), Role::Text),
            text(entry.printed.clone(), Role::Value),
            text(source_text(entry), Role::Text),
            text(exact_text(entry), Role::Text),
            text(joined(&[&entry.target, &entry.verdict]), Role::Text),
            text(score_text(entry), Role::Text),
        ]);
    }
    ScoreTable {
        title: format!("{}年度部门整体绩效自评计算底稿", meta.year),
        unit: meta.unit.clone(),
        date: date.map(str::to_string),
        import: None,
        parts: vec![Grid {
            part: Part::Worksheet,
            shares: WORKSHEET_SHARES.to_vec(),
            header_rows: 1,
            kept_with_next: 0..0,
            rows,
        }],
    }
}

/// The texts that are there, parted by "；".
fn joined(texts: &[&str]) -> String {
    texts
        .iter()
        .filter(|text| !text.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("；")
}

/// The file and line, and the heading right above (a row of the 自评表 and its column).
fn place_text(entry: &Entry) -> String {
    match entry.headings.as_slice() {
        [.., row, column] if entry.place == crate::document::worksheet::SCORE_TABLE => {
            joined(&[&entry.place, row, column])
        }
        [.., heading] => joined(&[&entry.place, heading]),
        [] => entry.place.clone(),
    }
}

fn source_text(entry: &Entry) -> String {
    let name = format!("{}（{}）", entry.name, entry.source);
    let formula = (!entry.formula.is_empty()).then(|| format!("公式：{}", entry.formula));
    let inputs = (!entry.inputs.is_empty()).then(|| format!("输入：{}", entry.inputs.join("，")));
    let mut parts = vec![name];
    parts.extend(formula);
    parts.extend(inputs);
    parts.join("；")
}

/// Decimals of an exact value a reader can take in; more are shown rounded, with 约.
const EXACT_DECIMALS: u32 = 10;

fn exact_text(entry: &Entry) -> String {
    let exact = entry.exact.map_or_else(String::new, |exact| {
        let shown = if exact.percent {
            exact
                .value
                .checked_mul(Decimal::ONE_HUNDRED)
                .unwrap_or(exact.value)
        } else {
            exact.value
        };
        let rounded = shown
            .round_dp_with_strategy(
                EXACT_DECIMALS,
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            )
            .normalize();
        let about = if rounded == shown.normalize() {
            ""
        } else {
            "约 "
        };
        let percent = if exact.percent { "%" } else { "" };
        format!("精确值 {about}{rounded}{percent}")
    });
    joined(&[&exact, &entry.rounding])
}

fn score_text(entry: &Entry) -> String {
    let points = entry.points.map_or_else(String::new, |p| {
        format!("分值 {}", scoring::format_points(p))
    });
    let score = match (entry.points, entry.score) {
        (None, _) => String::new(),
        (Some(_), Some(score)) => format!("得分 {}", scoring::format_score(score)),
        (Some(_), None) => "不适用".into(),
    };
    joined(&[&points, &score, &entry.score_rule])
}

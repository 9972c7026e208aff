//! Stage: fill placeholders in the prose with data and computed indicators.
//!
//! `{{ 公用经费.实际支出 }}` → "210.18", `{{ 预算执行率 }}` → "90.54%",
//! `{{ 预算执行率.结论 }}` → "未达到年初目标", `{% if 会议费控制率.适用 %}…{% else %}…{% endif %}`.
//! Every decision is made before this stage; templates only receive formatted strings and
//! booleans, so no string/number comparison can go wrong here.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use minijinja::value::{Object, Value};
use minijinja::{Environment, UndefinedBehavior};

use crate::diag::code;
use crate::diag::{Diagnostic, Error, LineIndex, Location, Result};
use crate::eval::indicators::{Comparison, Indicator, Indicators, Verdict};
use crate::eval::scoring::{self, Scores};
use crate::input::data::{Data, Datum, Node};
use crate::input::meta::ReportMeta;

/// Attributes of an indicator placeholder, as writers use them after the dot.
pub const INDICATOR_ATTRIBUTES: [&str; 7] =
    ["值", "结论", "目标", "目标值", "适用", "达到", "名称"];

/// The names report.yaml fills in: 年度, 下一年度 (the year after), 单位 and 附件.
pub const REPORT_NAMES: [&str; 4] = ["年度", "下一年度", "单位", "附件"];

/// Attributes of an indicator the 自评表 scores: `{{ 预算执行率.得分 }}`, `{{ 预算执行率.分值 }}`.
pub const SCORE_ATTRIBUTES: [&str; 2] = ["得分", "分值"];

pub struct Context {
    env: Environment<'static>,
    /// The same, filling values into Markdown as text (see [`markdown_text`]).
    markdown_env: Environment<'static>,
    /// The same for plain text, recording which tag printed each value as `markdown_env` does.
    text_env: Environment<'static>,
    /// The names at the top level, made a template value once for every text rendered.
    root: Value,
    /// Every name a placeholder may use, dotted: "公用经费.实际支出", "预算执行率.结论".
    known: BTreeSet<String>,
    /// Figures data.yaml declares as `~`: a placeholder for one says to fill it in.
    unfilled: BTreeSet<String>,
    /// Each data group's dotted name with its fields: a group has no one value to fill in.
    groups: BTreeMap<String, Vec<String>>,
}

#[derive(Debug)]
struct IndicatorValue {
    shown: String,
    attributes: Vec<(&'static str, Value)>,
}

impl Object for IndicatorValue {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        self.attributes
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, v)| v.clone())
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

/// `.达到`: printed as 是/否 (or the 不适用 wording), true or false in `{% if %}`.
#[derive(Debug)]
struct Met {
    met: bool,
    shown: String,
}

impl Object for Met {
    fn is_true(self: &Arc<Self>) -> bool {
        self.met
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

fn indicator_value(indicator: &Indicator, row: Option<&scoring::Row>) -> Value {
    let shown = indicator.display_value();
    let target = indicator.target.as_ref();
    // `.目标` says the direction as the prose would: 不低于95%, 不超过100%.
    let stated = target.map_or(String::new(), |t| {
        let direction = match t.comparison {
            Comparison::AtLeast => "不低于",
            Comparison::AtMost => "不超过",
            Comparison::Equal => "",
        };
        format!("{direction}{}", t.display)
    });
    let met = Met {
        met: indicator.verdict == Verdict::Met,
        shown: match indicator.verdict {
            Verdict::Met => "是".into(),
            Verdict::NotMet => "否".into(),
            Verdict::NotApplicable | Verdict::Unjudged => indicator.verdict_text.clone(),
        },
    };
    let mut attributes = row.map(score_attributes).unwrap_or_default();
    attributes.extend([
        ("值", Value::from(shown.clone())),
        ("结论", Value::from(indicator.verdict_text.clone())),
        ("目标", Value::from(stated)),
        ("目标值", Value::from(target.map_or("", |t| &t.display))),
        (
            "适用",
            Value::from(indicator.verdict != Verdict::NotApplicable),
        ),
        ("达到", Value::from_object(met)),
        ("名称", Value::from(indicator.display_name().to_string())),
    ]);
    Value::from_object(IndicatorValue { shown, attributes })
}

/// 得分 ("9.53", or 不适用 when its points are dropped) and 分值 ("10").
fn score_attributes(row: &scoring::Row) -> Vec<(&'static str, Value)> {
    let score = row
        .score
        .map_or_else(|| "不适用".to_string(), scoring::format_score);
    vec![
        ("得分", Value::from(score)),
        ("分值", Value::from(scoring::format_points(row.points))),
    ]
}

/// A qualitative row of the 自评表: its level, name, score and points.
fn qualitative_value(row: &scoring::Row) -> Value {
    let mut attributes = score_attributes(row);
    attributes.extend([
        ("值", Value::from(row.actual.clone())),
        ("名称", Value::from(row.display_name.clone())),
    ]);
    Value::from_object(IndicatorValue {
        shown: row.actual.clone(),
        attributes,
    })
}

impl Context {
    pub fn new(
        meta: &ReportMeta,
        data: &Data,
        indicators: &Indicators,
        scores: Option<&Scores>,
    ) -> Result<Context> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let marking = |as_text: fn(&str) -> String| {
            let mut marking = env.clone();
            marking.add_function(VALUE_MARK, |index: Option<usize>| {
                Value::from_object(ValueMark(index))
            });
            marking.set_formatter(move |out, _, value| {
                let text = match value.downcast_object_ref::<ValueMark>() {
                    Some(ValueMark(Some(index))) => format!("{MARK}v{index}{MARK}"),
                    Some(ValueMark(None)) => format!("{MARK}/{MARK}"),
                    None => as_text(&value.to_string()),
                };
                out.write_str(&text)
                    .map_err(|_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure))
            });
            marking
        };
        let markdown_env = marking(markdown_text);
        // MARK delimits typed text in the filled text: a value never carries one.
        let text_env = marking(|value| value.chars().filter(|&c| c != MARK).collect());
        let mut root = BTreeMap::new();
        // What each top-level name is, for the error when a second one takes it.
        let mut named: BTreeMap<String, String> = BTreeMap::new();
        let mut known = BTreeSet::new();
        // A name a writer chose (`at` its place) that another value already has would hide
        // that value from every placeholder: an error there, whichever came first.
        let mut put = |name: &str,
                       value: Value,
                       what: String,
                       at: Option<&Location>,
                       known: &mut BTreeSet<String>| {
            if let (Some(earlier), Some(at)) = (named.get(name), at) {
                return Err(Error::invalid(
                    code::PLACEHOLDER,
                    at.clone(),
                    format!(
                        "名称“{name}”重复：{earlier}已经用了这个名称，{{{{ {name} }}}} 只能指一个值。请给 {what}换一个名称。"
                    ),
                ));
            }
            named.insert(name.to_string(), what);
            known.insert(name.to_string());
            root.insert(name.to_string(), value);
            Ok(())
        };
        let built_in = |name: &str| format!("report.yaml 的{name}");
        let year = Value::from(meta.year.to_string());
        put("年度", year, built_in("年度"), None, &mut known)?;
        let next_year = Value::from((u32::from(meta.year) + 1).to_string());
        put(
            "下一年度",
            next_year,
            built_in("下一年度"),
            None,
            &mut known,
        )?;
        let unit = Value::from(meta.unit.clone());
        put("单位", unit, built_in("单位"), None, &mut known)?;
        if let Some(label) = &meta.attachment {
            let label = Value::from(label.clone());
            put("附件", label, built_in("附件"), None, &mut known)?;
        }
        let mut groups = BTreeMap::new();
        for (key, node) in &data.tree {
            if let Some(value) = node_value(key, node, &mut known, &mut groups) {
                let what = format!("data.yaml 的“{key}”");
                put(key, value, what, data.locate(key), &mut known)?;
            }
        }
        let row = |name: &str| scores.and_then(|s| s.row(name));
        for indicator in &indicators.list {
            let name = &indicator.definition.name;
            for attribute in INDICATOR_ATTRIBUTES {
                known.insert(format!("{name}.{attribute}"));
            }
            let value = indicator_value(indicator, row(name));
            let what = format!("indicators.yaml 的指标“{name}”");
            put(name, value, what, Some(&indicator.location), &mut known)?;
        }
        for scored in scores.iter().flat_map(|s| &s.rows) {
            let name = &scored.name;
            for attribute in SCORE_ATTRIBUTES {
                known.insert(format!("{name}.{attribute}"));
            }
            if indicators.get(name).is_none() {
                for attribute in ["值", "名称"] {
                    known.insert(format!("{name}.{attribute}"));
                }
                let value = qualitative_value(scored);
                let what = format!("自评表的指标“{name}”");
                put(name, value, what, Some(&scored.location), &mut known)?;
            }
        }
        if let Some(scores) = scores {
            let total = Value::from(scoring::format_score(scores.total));
            put("自评得分", total, "自评表的总分".into(), None, &mut known)?;
            let grade = Value::from(scores.grade.clone());
            put("自评等级", grade, "自评表的等级".into(), None, &mut known)?;
        }
        let unfilled = data.unfilled().into_iter().collect();
        Ok(Context {
            env,
            markdown_env,
            text_env,
            root: Value::from(root),
            known,
            unfilled,
            groups,
        })
    }

    /// Renders one plain text (the title); `path` and `first_line` place errors in the
    /// writer's file.
    pub fn render(&self, text: &str, path: &Path, first_line: usize) -> Result<String> {
        self.render_in(&self.env, text, path, first_line)
    }

    /// Renders a section's Markdown: values are filled in as text, never as Markdown, so a
    /// value cannot add a heading or a list, nor lines that would move later errors. The
    /// result keeps where each piece of it was typed in `text`.
    pub fn render_markdown(&self, text: &str, path: &Path, first_line: usize) -> Result<Filled> {
        self.render_marked(&self.markdown_env, text, path, first_line)
    }

    /// Renders a plain text (the 自评表's goal and what was achieved) as [`Context::render`]
    /// does, keeping which tag printed each value.
    pub fn render_text(&self, text: &str, path: &Path, first_line: usize) -> Result<Filled> {
        self.render_marked(&self.text_env, text, path, first_line)
    }

    fn render_marked(
        &self,
        env: &Environment<'static>,
        text: &str,
        path: &Path,
        first_line: usize,
    ) -> Result<Filled> {
        if !text.contains("{{") && !text.contains("{%") || text.contains(MARK) {
            // Without tags the text is its own map; a text with our marker in it (which no
            // editor types) is filled without one, its positions approximate.
            let filled = self.render_in(env, text, path, first_line)?;
            return Ok(Filled::verbatim(filled));
        }
        let (marked, pieces, tags) = mark_literals(text);
        self.check_placeholders(text, path, first_line)?;
        let output = self.render_tags(env, &marked, text, path, first_line)?;
        Ok(Filled::unmark(&output, &pieces, &tags))
    }

    /// Every name a placeholder may use, dotted: "公用经费.实际支出", "预算执行率.结论".
    pub fn known(&self) -> &BTreeSet<String> {
        &self.known
    }

    /// [`Context::render_markdown`] that goes on past errors, for an editor that shows all of
    /// them as the writer types: each tag an error points into is blanked (one full-width
    /// space a character, as the check masks tags, so lines and columns stay) and the text
    /// filled again. Returns the text it was filled from at last, the filled text and the
    /// errors. A text whose error is in no tag (a `{%` never closed) is left unfilled, with
    /// every tag and opener blanked.
    pub fn render_markdown_recovering(
        &self,
        text: &str,
        path: &Path,
        first_line: usize,
    ) -> (String, Filled, Vec<Diagnostic>) {
        let mut text = text.to_string();
        let mut errors = Vec::new();
        loop {
            let error = match self.render_markdown(&text, path, first_line) {
                Ok(filled) => return (text, filled, errors),
                Err(error) => error.diagnostic(),
            };
            let at = &error.location;
            let offset = (at.file == path)
                .then(|| offset_of(&text, first_line, at.line, at.column))
                .flatten();
            let tag = offset.and_then(|offset| {
                tags(&text)
                    .map(|(start, inner)| (start - 2, start + inner.len() + 2))
                    .find(|&(open, close)| open <= offset && offset < close)
            });
            let repeated = errors.iter().any(|e: &Diagnostic| {
                (e.code, e.location.line, &e.message) == (error.code, at.line, &error.message)
            });
            if !repeated {
                errors.push(error);
            }
            // Each pass fills the whole text again: a text with errors past count is left
            // unfilled rather than filled once for each of them.
            let too_many = errors.len() >= MAX_RECOVERED;
            if let (true, Some(last)) = (too_many, errors.last()) {
                let at = last.location.clone();
                errors.push(Diagnostic::warning(
                    code::PLACEHOLDER,
                    at,
                    format!(
                        "这个章节的占位符错误超过 {MAX_RECOVERED} 个，后面的没有逐一列出。请先改正这些，其余的随后显示。"
                    ),
                ));
            }
            match tag.filter(|_| !too_many) {
                Some((open, close)) => text = blank(&text, &[(open, close)]),
                None => {
                    let spans: Vec<(usize, usize)> = tags(&text)
                        .map(|(start, inner)| (start - 2, start + inner.len() + 2))
                        .collect();
                    let mut blanked = blank(&text, &spans);
                    for opener in ["{{", "{%"] {
                        blanked = blanked.replace(opener, "\u{3000}\u{3000}");
                    }
                    return (blanked.clone(), Filled::verbatim(blanked), errors);
                }
            }
        }
    }

    fn render_in(
        &self,
        env: &Environment<'static>,
        text: &str,
        path: &Path,
        first_line: usize,
    ) -> Result<String> {
        if !text.contains("{{") && !text.contains("{%") {
            return Ok(text.to_string());
        }
        self.check_placeholders(text, path, first_line)?;
        self.render_tags(env, text, text, path, first_line)
    }

    /// Every placeholder of `text` names something this report has (see
    /// [`check_placeholders`]).
    fn check_placeholders(&self, text: &str, path: &Path, first_line: usize) -> Result<()> {
        check_placeholders(
            text,
            &self.known,
            &self.unfilled,
            &self.groups,
            path,
            first_line,
        )
    }

    /// Renders a text whose placeholders were checked: `text`, or the same with markers
    /// (which add no line), `typed` as the writer typed it, for an error's column.
    fn render_tags(
        &self,
        env: &Environment<'static>,
        text: &str,
        typed: &str,
        path: &Path,
        first_line: usize,
    ) -> Result<String> {
        // `{#` is text, not a template comment: pandoc writes it in the anchors it leaves
        // (`[]{#_Toc16734 .anchor}`), which the check reports (T009); notes are <!-- -->.
        let source = text.replace("{#", "{% raw %}{#{% endraw %}");
        env.render_str(&source, &self.root)
            .map_err(|err| template_error(&err, typed, path, first_line))
    }
}

/// minijinja's error as the writer reads it: in Chinese, at the line where minijinja stopped
/// and the first tag on it (minijinja gives columns only with its `debug` feature).
fn template_error(err: &minijinja::Error, text: &str, path: &Path, first_line: usize) -> Error {
    let line = err.line().unwrap_or(1);
    let column = text.lines().nth(line - 1).map_or(1, |source| {
        let tag = ["{{", "{%"]
            .iter()
            .filter_map(|open| source.find(open))
            .min()
            .unwrap_or(0);
        source[..tag].chars().count() + 1
    });
    Error::invalid(
        code::PLACEHOLDER,
        Location::new(path, first_line + line - 1, column),
        format!(
            "占位符写法有误：{}。占位符写成 {{{{ 名称 }}}}，条件写成 {{% if 名称.适用 %}}……{{% endif %}}。",
            what_went_wrong(err)
        ),
    )
}

/// What went wrong, said in Chinese: minijinja's own messages are English.
fn what_went_wrong(err: &minijinja::Error) -> &'static str {
    use minijinja::ErrorKind;
    match err.kind() {
        ErrorKind::SyntaxError => what_is_malformed(err.detail().unwrap_or_default()),
        ErrorKind::UnknownFilter | ErrorKind::UnknownTest | ErrorKind::UnknownFunction => {
            "占位符里不能用“|”过滤器或函数"
        }
        ErrorKind::InvalidOperation => "占位符里的名称不能调用或运算",
        _ => "无法填写这个占位符",
    }
}

/// A syntax error by minijinja's message (its lexer's and parser's wording).
fn what_is_malformed(detail: &str) -> &'static str {
    if detail.starts_with("unexpected end of input") {
        return "没有写完，缺少 }}、%} 或 {% endif %}";
    }
    if detail.starts_with("unexpected end of string") {
        return "引号没有配对";
    }
    if detail.starts_with("unexpected end of") {
        return "标记里的内容不完整";
    }
    if detail == "unexpected character" {
        return "有不能识别的字符，是否漏写了 }} 或 %}";
    }
    if detail.contains("expected end of variable block") {
        return "一个 {{ }} 里只能写一个名称";
    }
    match detail.strip_prefix("unknown statement ") {
        Some("endif" | "else" | "elif") => "前面没有与它对应的 {% if %}",
        Some(_) => "{% %} 里只能写 if、elif、else、endif",
        None => "无法识别这个写法",
    }
}

/// Filled Markdown, with where its text was typed in the source.
#[derive(Debug, Clone, Default)]
pub struct Filled {
    pub text: String,
    /// The source's literal text in the filled text, in order: (filled offset, source offset,
    /// length), in bytes. Empty when the text is the source itself.
    anchors: Vec<(usize, usize, usize)>,
    /// Every value a `{{ }}` printed, in order (those in a branch not taken print nothing).
    pub values: Vec<FilledValue>,
}

/// One value printed by a `{{ }}`: where it stands in the filled text and where its tag was
/// typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilledValue {
    /// Byte range in the filled text.
    pub at: usize,
    pub len: usize,
    /// Byte offset of the tag's `{{` in the source.
    pub tag: usize,
    /// The name it prints: "预算执行率", "公用经费.实际支出", "预算执行率.结论".
    pub name: String,
}

/// A value a `{{ }}` printed in a section, placed as the parser placed it: what the 计算底稿
/// lists (`document::worksheet`).
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    /// The name it prints: "预算执行率", "公用经费.实际支出", "预算执行率.结论".
    pub name: String,
    /// As the reader sees it: "90.54%".
    pub text: String,
    /// Where its `{{` was typed.
    pub at: Location,
    /// Where the parser may say its run was typed (a paragraph's `TextSpan` that is not typed
    /// text), to find the sentence it stands in: the same place but when `{{-` trimmed spaces.
    pub lands: [Location; 2],
}

/// A value a `{{ }}` printed in one of the 自评表's texts: which one (its column heading,
/// 年度总体目标 or 实际完成情况), and the character of the filled text where the value starts.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedInTable {
    /// The header text it is in: 年度总体目标.
    pub column: String,
    pub from: usize,
    pub printed: Printed,
}

/// Brackets each `{{ }}`'s value in minijinja's output, so that [`Filled::unmark`] knows which
/// tag printed what; a writer's placeholder cannot call it (the check knows no such name).
const VALUE_MARK: &str = "__gongwen_value";

/// What the [`VALUE_MARK`] function returns: the start of tag `index`'s value, or (`None`) its
/// end. The formatter prints it as a marker.
#[derive(Debug)]
struct ValueMark(Option<usize>);

impl Object for ValueMark {}

impl Filled {
    /// A text without placeholders: every offset is its own.
    pub fn verbatim(text: String) -> Filled {
        Filled {
            text,
            anchors: Vec::new(),
            values: Vec::new(),
        }
    }

    /// The byte offset in the source of a byte offset in the filled text: where it was typed,
    /// or, for a placeholder's value, where the placeholder starts.
    pub fn source_offset(&self, filled: usize) -> usize {
        if self.anchors.is_empty() {
            return filled;
        }
        let i = self.anchors.partition_point(|&(at, _, _)| at <= filled);
        let Some(&(at, source, len)) = i.checked_sub(1).map(|i| &self.anchors[i]) else {
            return 0;
        };
        source + (filled - at).min(len)
    }

    /// Where the source's text before filled byte `filled` ends: the end of the literal piece
    /// it follows, even when `{{-` trimmed that piece's last spaces.
    pub fn piece_end(&self, filled: usize) -> usize {
        if self.anchors.is_empty() {
            return filled;
        }
        let i = self.anchors.partition_point(|&(at, _, _)| at <= filled);
        i.checked_sub(1)
            .map_or(0, |i| self.anchors[i].1 + self.anchors[i].2)
    }

    /// The pieces of the filled text from byte `from` to `to` by where they were typed: each
    /// (filled offset, source offset, typed as it reads) where the mapping changes, the first
    /// at `from`. A placeholder's value is not as it reads: all of it maps to the placeholder.
    pub fn pieces(&self, from: usize, to: usize) -> Vec<(usize, usize, bool)> {
        if self.anchors.is_empty() {
            return vec![(from, from, true)];
        }
        let first = self.anchors.partition_point(|&(at, _, _)| at <= from);
        let mut out = vec![(from, self.source_offset(from), self.typed_as_read(from))];
        for &(at, source, len) in &self.anchors[first.saturating_sub(1)..] {
            if at >= to {
                break;
            }
            if at > from {
                out.push((at, source, true));
            }
            if at + len > from && at + len < to {
                out.push((at + len, source + len, false));
            }
        }
        out
    }

    /// Whether the filled byte `filled` is text typed as it reads.
    fn typed_as_read(&self, filled: usize) -> bool {
        let i = self.anchors.partition_point(|&(at, _, _)| at <= filled);
        i.checked_sub(1)
            .is_some_and(|i| filled < self.anchors[i].0 + self.anchors[i].2)
    }

    /// Takes the markers [`mark_literals`] put in out of minijinja's output, keeping where
    /// each marked piece landed and which tag printed each value.
    fn unmark(output: &str, pieces: &[(usize, usize)], tags: &[Tag]) -> Filled {
        let mut text = String::with_capacity(output.len());
        let mut anchors = Vec::new();
        let mut values = Vec::new();
        let mut open: Option<(usize, usize)> = None;
        let mut rest = output;
        while let Some(at) = rest.find(MARK) {
            text.push_str(&rest[..at]);
            let after = &rest[at + MARK.len_utf8()..];
            let end = after.find(MARK).unwrap_or(after.len());
            let token = &after[..end];
            if let Some(index) = token.strip_prefix('v') {
                open = index.parse().ok().map(|index| (index, text.len()));
            } else if token == "/" {
                if let Some((&(tag, ref name), start)) = open
                    .take()
                    .and_then(|(i, start)| Some((tags.get(i)?, start)))
                {
                    values.push(FilledValue {
                        at: start,
                        len: text.len() - start,
                        tag,
                        name: name.clone(),
                    });
                }
            } else if let Some(&(source, len)) =
                token.parse::<usize>().ok().and_then(|i| pieces.get(i))
            {
                anchors.push((text.len(), source, len));
            }
            rest = after.get(end + MARK.len_utf8()..).unwrap_or("");
        }
        text.push_str(rest);
        Filled {
            text,
            anchors,
            values,
        }
    }
}

/// A `{{ }}` of the source: the offset of its `{{`, and the name it prints.
type Tag = (usize, String);

/// Brackets the number of each literal piece in the marked text. A noncharacter that XML
/// forbids: no writer types it, and a value holding one has it dropped (see [`markdown_text`]).
const MARK: char = '\u{FFFE}';

/// The template with a marker before each piece of literal text (after its leading
/// whitespace, which `{%- … -%}` may trim), and each piece's (source offset, length); each
/// `{{ }}` bracketed by calls of [`VALUE_MARK`] that keep its whitespace control, with the
/// offset of its `{{` and the name it prints.
fn mark_literals(text: &str) -> (String, Vec<(usize, usize)>, Vec<Tag>) {
    let mut marked = String::with_capacity(text.len() + text.len() / 8);
    let mut pieces = Vec::new();
    let mut mark = |from: usize, to: usize, marked: &mut String| {
        let piece = &text[from..to];
        let lead = piece.len() - piece.trim_start().len();
        marked.push_str(&piece[..lead]);
        if lead == piece.len() {
            // Only whitespace: nothing to point at, and minijinja drops a final newline only
            // when it ends the template.
            return;
        }
        marked.push(MARK);
        marked.push_str(&pieces.len().to_string());
        marked.push(MARK);
        marked.push_str(&piece[lead..]);
        pieces.push((from + lead, to - from - lead));
    };
    let mut values = Vec::new();
    let mut from = 0;
    for (start, inner) in tags(text) {
        let (open, close) = (start - 2, start + inner.len() + 2);
        mark(from, open, &mut marked);
        if text.as_bytes()[open + 1] == b'{' {
            // `{{-` and `-}}` trim the whitespace next to the tag: the markers take them over.
            let trims = |c: Option<char>| c.filter(|c| matches!(c, '-' | '+'));
            let lead = trims(inner.chars().next());
            let body = &inner[lead.map_or(0, char::len_utf8)..];
            let trail = trims(body.chars().next_back());
            let body = &body[..body.len() - trail.map_or(0, char::len_utf8)];
            let (lead, trail) = (lead.map(String::from), trail.map(String::from));
            let name = names_in_tag(inner)
                .first()
                .map_or_else(String::new, |(_, name)| (*name).to_string());
            marked.push_str(&format!(
                "{{{{{} {VALUE_MARK}({}) }}}}{{{{{body}}}}}{{{{ {VALUE_MARK}() {}}}}}",
                lead.unwrap_or_default(),
                values.len(),
                trail.unwrap_or_default(),
            ));
            values.push((open, name));
        } else {
            marked.push_str(&text[open..close]);
        }
        from = close;
    }
    mark(from, text.len(), &mut marked);
    (marked, pieces, values)
}

/// A value as Markdown text: line breaks become one space (the lines after keep their
/// numbers), and Markdown's characters are escaped as the parser reads them literally.
fn markdown_text(value: &str) -> String {
    // MARK delimits typed text in the filled text: a value never carries one.
    let value: String = value.chars().filter(|&c| c != MARK).collect();
    let one_line: Vec<&str> = value
        .trim()
        .split(['\n', '\r'])
        .map(str::trim_start)
        .filter(|line| !line.is_empty())
        .collect();
    crate::document::literal::escape_literal(&one_line.join(" "), true)
}

/// A placeholder names a figure, at most with a condition: a tag this long is not one. The bound
/// also keeps minijinja's parser, which recurses once per unary operator, off the stack's end.
const MAX_TAG_CHARS: usize = 300;

/// Every tag must be short enough to be a placeholder, and every name in it must exist; the
/// error for an unknown name lists the closest ones. One pass over the text's tags.
fn check_placeholders(
    text: &str,
    known: &BTreeSet<String>,
    unfilled: &BTreeSet<String>,
    groups: &BTreeMap<String, Vec<String>>,
    path: &Path,
    first_line: usize,
) -> Result<()> {
    let location = |offset| {
        let (line, column) = LineIndex::new(text, first_line).position(offset);
        Location::new(path, line, column)
    };
    for (start, inner) in tags(text) {
        if inner.chars().count() > MAX_TAG_CHARS {
            return Err(Error::invalid(
                code::PLACEHOLDER,
                location(start),
                format!(
                    "占位符过长（超过 {MAX_TAG_CHARS} 个字符）。占位符写成 {{{{ 名称 }}}}，条件写成 {{% if 名称.适用 %}}……{{% endif %}}；请检查是否漏写了 }}}} 或 %}}。"
                ),
            ));
        }
        if text.as_bytes()[start - 1] == b'%' {
            let keyword_at = inner.len() - inner.trim_start_matches(['-', '+']).trim_start().len();
            let rest = &inner[keyword_at..];
            let keyword = &rest[..rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len())];
            if !STATEMENTS.contains(&keyword) {
                return Err(Error::invalid(
                    code::PLACEHOLDER,
                    location(start + keyword_at),
                    format!(
                        "不支持 {{% {keyword} %}}：{{% %}} 里只能写 if、elif、else、endif（按条件选用文字）。要写出几项数值，请逐项写 {{{{ 名称 }}}}。"
                    ),
                ));
            }
        }
        let names = names_in_tag(inner);
        // What a `{{ }}` prints is its first name; a group would print as a dict.
        if let (b'{', Some(&(at, name))) = (text.as_bytes()[start - 1], names.first())
            && let Some(fields) = groups.get(name)
        {
            return Err(Error::invalid(
                code::PLACEHOLDER,
                location(start + at),
                format!(
                    "“{name}”是 data.yaml 中的一组数据，不是一个值，不能直接填入。请写出其中的一项：{}。",
                    fields
                        .iter()
                        .map(|field| format!("{{{{ {field} }}}}"))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            ));
        }
        if let Some((at, name)) = names.into_iter().find(|(_, name)| !known.contains(*name)) {
            if unfilled.contains(name) {
                let diagnostic = Diagnostic::error(
                    code::PLACEHOLDER,
                    location(start + at),
                    format!(
                        "“{name}”在 data.yaml 中还没有填写（~）。请填上数值和单位，或等数据填好后再引用它。"
                    ),
                )
                .with_length(name.chars().count());
                return Err(diagnostic.into());
            }
            let candidates = || known.iter().map(String::as_str);
            let hint = crate::diag::suggest::closest(name, candidates());
            let mut diagnostic = Diagnostic::error(
                code::PLACEHOLDER,
                location(start + at),
                format!(
                    "未知的占位符“{name}”。{hint}名称来自 data.yaml、indicators.yaml 和 report.yaml（年度、单位）。"
                ),
            )
            .with_length(name.chars().count());
            // One name nearer than all others: the fix is that name.
            if let Some(best) = crate::diag::suggest::best(name, candidates()) {
                diagnostic = diagnostic.with_replacement(best);
            }
            return Err(diagnostic.into());
        }
    }
    Ok(())
}

/// Data groups become maps; figures show as typed ("278.00"), percentages with "%".
/// Values not provided are left out, so a placeholder for one is reported, not printed.
fn node_value(
    path: &str,
    node: &Node,
    known: &mut BTreeSet<String>,
    groups: &mut BTreeMap<String, Vec<String>>,
) -> Option<Value> {
    match node {
        Node::Leaf(Datum::Quantity(q)) => Some(Value::from(q.display.clone())),
        Node::Leaf(Datum::Text(text)) => Some(Value::from(text.clone())),
        Node::Leaf(Datum::Missing) => None,
        Node::Group(children) => {
            let mut map = BTreeMap::new();
            let mut fields = Vec::new();
            for (key, child) in children {
                let child_path = format!("{path}.{key}");
                if let Some(value) = node_value(&child_path, child, known, groups) {
                    known.insert(child_path.clone());
                    fields.push(child_path);
                    map.insert(key.clone(), value);
                }
            }
            groups.insert(path.to_string(), fields);
            Some(Value::from(map))
        }
    }
}

/// The byte offset of `line` and `column` (in characters, both from 1) in a text that
/// starts on line `first_line`.
fn offset_of(text: &str, first_line: usize, line: usize, column: usize) -> Option<usize> {
    let start = if line == first_line {
        0
    } else {
        let (at, _) = text
            .match_indices('\n')
            .nth(line.checked_sub(first_line)?.checked_sub(1)?)?;
        at + 1
    };
    let rest = &text[start..];
    let within = rest
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

/// The most placeholder errors [`Context::render_markdown_recovering`] lists in one text.
const MAX_RECOVERED: usize = 20;

/// `text` with the characters of each byte range (on character boundaries, in order, not
/// overlapping) but the line breaks turned into full-width spaces.
fn blank(text: &str, spans: &[(usize, usize)]) -> String {
    let mut spans = spans.iter().peekable();
    text.char_indices()
        .map(|(i, c)| {
            while spans.next_if(|&&(_, to)| to <= i).is_some() {}
            let inside = spans.peek().is_some_and(|&&(from, _)| from <= i);
            if inside && c != '\n' && c != '\r' {
                '\u{3000}'
            } else {
                c
            }
        })
        .collect()
}

/// Every name the closed tags of `text` use, with its byte offset in `text`:
/// `{{ 预算执行率.结论 }}` gives "预算执行率.结论" where it was typed.
pub fn names_in(text: &str) -> Vec<(usize, &str)> {
    tags(text)
        .flat_map(|(start, inner)| {
            names_in_tag(inner)
                .into_iter()
                .map(move |(at, name)| (start + at, name))
        })
        .collect()
}

/// The statements a `{% … %}` may hold: a condition and its branches.
const STATEMENTS: [&str; 4] = ["if", "elif", "else", "endif"];

const KEYWORDS: [&str; 16] = [
    "if", "elif", "else", "endif", "not", "and", "or", "is", "in", "true", "false", "none", "True",
    "False", "None", "defined",
];

/// The tags of a text, `{{ … }}` and `{% … %}`: the byte offset of each inside, and the
/// inside. A tag ends at its first closing marker outside quotes, as minijinja reads it.
fn tags(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = 0;
    std::iter::from_fn(move || {
        loop {
            let open = rest + text.get(rest..)?.find('{')?;
            let close = match text.as_bytes().get(open + 1) {
                Some(b'{') => b'}',
                Some(b'%') => b'%',
                _ => {
                    rest = open + 1;
                    continue;
                }
            };
            let start = open + 2;
            let end = tag_end(text.as_bytes(), start, close)?;
            rest = end + 2;
            return Some((start, &text[start..end]));
        }
    })
}

/// Where the tag whose inside starts at `start` closes (`close` then '}'), skipping quoted
/// strings; `None` if it never does.
fn tag_end(bytes: &[u8], start: usize, close: u8) -> Option<usize> {
    let mut quote = None;
    let mut i = start;
    loop {
        let &b = bytes.get(i)?;
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == close && bytes.get(i + 1) == Some(&b'}') => return Some(i),
            None => {}
        }
        i += 1;
    }
}

/// Names used inside one tag, with their byte offsets in it.
fn names_in_tag(inner: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut after_pipe = false;
    let mut in_string = None;
    let mut token_start = None;
    for (i, c) in inner
        .char_indices()
        .chain(std::iter::once((inner.len(), ' ')))
    {
        if let Some(quote) = in_string {
            if c == quote {
                in_string = None;
            }
            continue;
        }
        let separator = c.is_whitespace() || "()|,~+-*/%<>=!'\"[]".contains(c);
        if separator {
            if let Some(start) = token_start.take() {
                let token = &inner[start..i];
                let is_name = !token.starts_with(|ch: char| ch.is_ascii_digit())
                    && !KEYWORDS.contains(&token);
                if is_name && !after_pipe {
                    out.push((start, token.trim_end_matches('.')));
                }
                after_pipe = false;
            }
            if c == '|' {
                after_pipe = true;
            }
            if c == '"' || c == '\'' {
                in_string = Some(c);
            }
        } else if token_start.is_none() {
            token_start = Some(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An environment that prints the value markers as [`Context`]'s formatter does.
    fn marking_env() -> Environment<'static> {
        let mut env = Environment::new();
        env.add_function(VALUE_MARK, |index: Option<usize>| match index {
            Some(index) => format!("{MARK}v{index}{MARK}"),
            None => format!("{MARK}/{MARK}"),
        });
        env
    }

    #[test]
    fn filled_text_maps_back_to_where_it_was_typed() {
        let text = "甲{{ x }}乙\n{% if y %}丙{% else %}  丁{%- endif %}戊";
        let (marked, pieces, tags) = mark_literals(text);
        let output = marking_env()
            .render_str(&marked, minijinja::context! { x => "12345", y => false })
            .unwrap();
        let filled = Filled::unmark(&output, &pieces, &tags);
        assert_eq!(filled.text, "甲12345乙\n  丁戊");
        let source = |c: &str| filled.source_offset(filled.text.find(c).unwrap());
        assert_eq!(source("甲"), 0);
        assert_eq!(
            source("3"),
            text.find("{{").unwrap(),
            "a value maps to its placeholder"
        );
        for c in ["乙", "丁", "戊"] {
            assert_eq!(source(c), text.find(c).unwrap(), "{c}");
        }
        let at = filled.text.find("3").unwrap();
        let pieces = filled.pieces(0, filled.text.len());
        assert!(
            pieces.contains(&(at - 2, text.find("{{").unwrap(), false)),
            "{pieces:?}"
        );
        assert_eq!(
            filled.values,
            [FilledValue {
                at: "甲".len(),
                len: "12345".len(),
                tag: text.find("{{").unwrap(),
                name: "x".into(),
            }],
            "the value in the branch not taken is not printed"
        );
    }

    #[test]
    fn whitespace_control_trims_as_without_the_value_markers() {
        let text = "甲  {{- x -}}  乙{{ y }}";
        let (marked, pieces, tags) = mark_literals(text);
        let output = marking_env()
            .render_str(&marked, minijinja::context! { x => "1", y => "2" })
            .unwrap();
        assert_eq!(Filled::unmark(&output, &pieces, &tags).text, "甲1乙2");
    }

    #[test]
    fn names_in_placeholders_and_tags() {
        let text = "执行率{{ 预算执行率 }}，{% if not 会议费控制率.适用 %}无{% endif %}{{ x | upper }}{ 单括号 }";
        let names: Vec<&str> = tags(text)
            .flat_map(|(_, inner)| names_in_tag(inner))
            .map(|(_, n)| n)
            .collect();
        assert_eq!(names, ["预算执行率", "会议费控制率.适用", "x"]);
    }

    #[test]
    fn a_tag_ends_at_its_closing_marker_outside_quotes() {
        let text = "{{ \"}}\" ~ 甲 }}正文{% if 乙 %}{ 丙 }";
        let found: Vec<&str> = tags(text).map(|(_, inner)| inner).collect();
        assert_eq!(found, [" \"}}\" ~ 甲 ", " if 乙 "]);
    }

    #[test]
    fn a_malformed_placeholder_is_said_in_chinese_at_its_column() {
        let cases = [
            (
                "第一行\n正文{{ 单位 。\n",
                "a.md:6:3",
                "是否漏写了 }} 或 %}",
            ),
            ("{% if 单位 %}无\n", "a.md:5:", "缺少 }}、%} 或 {% endif %}"),
            (
                "正文\n{% endif %}",
                "a.md:6:",
                "前面没有与它对应的 {% if %}",
            ),
            ("{{ 单位 单位 }}", "a.md:5:", "一个 {{ }} 里只能写一个名称"),
            ("{{ \"abc }}", "a.md:5:", "引号没有配对"),
            ("{{ 单位 | nosuch }}", "a.md:5:", "不能用“|”过滤器"),
        ];
        let env = Environment::new();
        for (text, at, says) in cases {
            let err = env.render_str(text, minijinja::context! { 单位 => "局" });
            let err = template_error(&err.unwrap_err(), text, Path::new("a.md"), 5).to_string();
            assert!(err.starts_with(at), "{text}: {err}");
            assert!(err.contains(says), "{text}: {err}");
            assert!(
                !err.contains("unexpected") && !err.contains("unknown"),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn an_overlong_tag_is_an_error_at_its_place() {
        let text = format!("第一行\n正文{{{{ {}1 }}}}", "-".repeat(100_000));
        let err = check_placeholders(
            &text,
            &BTreeSet::new(),
            &BTreeSet::new(),
            &BTreeMap::new(),
            Path::new("a.md"),
            5,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("a.md:6:5"), "{err}");
        assert!(err.contains("占位符过长"), "{err}");
    }

    #[test]
    fn a_statement_other_than_a_condition_is_named_at_its_place() {
        let known = BTreeSet::from(["指标".to_string()]);
        for (text, at, keyword) in [
            (
                "正文\n{% for x in 指标 %}{{ x }}{% endfor %}",
                "a.md:6:4",
                "for",
            ),
            ("{%- set 甲 = 1 %}", "a.md:5:5", "set"),
            ("{%  %}", "a.md:5:5", ""),
        ] {
            let err = check_placeholders(
                text,
                &known,
                &BTreeSet::new(),
                &BTreeMap::new(),
                Path::new("a.md"),
                5,
            )
            .unwrap_err()
            .to_string();
            assert!(err.starts_with(at), "{text}: {err}");
            assert!(
                err.contains(&format!("不支持 {{% {keyword} %}}")),
                "{text}: {err}"
            );
            assert!(
                err.contains("只能写 if、elif、else、endif"),
                "{text}: {err}"
            );
        }
        let condition = "{% if 指标 %}有{%- else -%}无{% endif %}";
        check_placeholders(
            condition,
            &known,
            &BTreeSet::new(),
            &BTreeMap::new(),
            Path::new("a.md"),
            5,
        )
        .unwrap();
    }
}

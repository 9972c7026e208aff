//! `gongwen import --figures`: amounts typed in the prose (万元, 元, 人, 个, %) move to
//! data.yaml under names taken from their context, and the prose gets placeholders. With an
//! indicator set, a typed percentage that the set computes to the same value becomes the
//! indicator's placeholder, and a typed verdict that matches becomes `{{ 指标.结论 }}`.

use std::collections::HashMap;

use serde::Deserialize;

use crate::diag::{Location, Result};
use crate::document::figures::number_runs;
use crate::document::model::{Block, Document, Inline};
use crate::eval::indicators;
use crate::input::data;
use crate::input::indicator_set::IndicatorSet;
use crate::input::source::{DATA_FILE, SourceFile};
use crate::input::yaml;

/// Placeholders travel through the model as text between these private-use characters, so the
/// Markdown writer, which escapes every other brace, writes them as `{{ … }}`.
pub const OPEN: char = '\u{E000}';
pub const CLOSE: char = '\u{E001}';

const UNITS: [&str; 6] = ["万元", "元", "人", "个", "%", "％"];

#[derive(Debug, Clone, Default)]
pub struct Moved {
    pub data_yaml: String,
    pub amounts: usize,
    pub indicators: usize,
    /// What was left as typed, by the paragraph it is in.
    pub undecided: Vec<(Location, String)>,
}

/// The part of an indicator set that names things: indicator names and formula inputs.
#[derive(Debug, Default, Deserialize)]
struct IndicatorNames {
    #[serde(rename = "指标", default)]
    list: Vec<IndicatorName>,
    /// Identities checked at every build: their fields must exist too.
    #[serde(rename = "校验", default)]
    identities: Vec<String>,
    /// The self-evaluation table: its budget lines name fields, and its 定性 rows need a grade.
    #[serde(rename = "自评表", default)]
    table: Option<SelfEvaluation>,
}

#[derive(Debug, Default, Deserialize)]
struct SelfEvaluation {
    #[serde(rename = "预算执行", default)]
    budget: std::collections::BTreeMap<String, String>,
    #[serde(rename = "指标", default)]
    rows: Vec<SelfEvaluationRow>,
}

#[derive(Debug, Deserialize)]
struct SelfEvaluationRow {
    #[serde(rename = "指标")]
    name: String,
    #[serde(rename = "性质", default)]
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
struct IndicatorName {
    #[serde(rename = "名称")]
    name: String,
    #[serde(rename = "公式", default)]
    formula: String,
}

/// A figure found in a paragraph: where, what was typed, and what it becomes.
struct Found {
    block: usize,
    start: usize,
    end: usize,
    typed: String,
    name: String,
    indicator: Option<String>,
    origin: Location,
}

pub fn extract(document: &mut Document, indicator_set: Option<&SourceFile>) -> Result<Moved> {
    let names: IndicatorNames = match indicator_set {
        Some(file) => yaml::from_str(&file.text, yaml::Origin::file(&file.path))?,
        None => IndicatorNames::default(),
    };
    let names_in = |formula: &str| -> Vec<String> {
        crate::eval::formula::parse(formula)
            .map(|e| e.names().iter().map(|n| n.to_string()).collect())
            .unwrap_or_default()
    };
    let inputs: Vec<(String, Vec<String>)> = names
        .list
        .iter()
        .map(|i| (i.name.clone(), names_in(&i.formula)))
        .collect();
    let mut other_inputs: Vec<String> = names
        .identities
        .iter()
        .flat_map(|identity| identity.split(['=', '≤', '≥', '<', '>']).flat_map(names_in))
        .collect();
    if let Some(table) = &names.table {
        other_inputs.extend(table.budget.values().cloned());
        other_inputs.extend(
            table
                .rows
                .iter()
                .filter(|row| row.kind.as_deref() == Some("定性"))
                .map(|row| format!("自评表.定性.{}", row.name)),
        );
    }
    // Searched for a field no indicator's part names (预算.基本支出 in 基本情况).
    let all_inputs: Vec<(String, Vec<String>)> = inputs
        .iter()
        .cloned()
        .chain([(String::from('\0'), other_inputs.clone())])
        .collect();
    // Names the template already gives (indicators, the table's rows) cannot name a group.
    let indicator_names: Vec<String> = inputs
        .iter()
        .map(|(name, _)| name.clone())
        .chain(
            names
                .table
                .iter()
                .flat_map(|t| t.rows.iter().map(|r| r.name.clone())),
        )
        .collect();
    let budget = names.table.as_ref().map(|t| &t.budget);
    let mut data: Vec<(String, String)> = Vec::new();
    let mut notes = Vec::new();
    let mut found = Vec::new();
    let mut heading = String::new();
    for (index, block) in document.blocks.iter().enumerate() {
        match block {
            Block::Heading(h) => {
                heading = identifier(&crate::document::model::plain_text(&h.content))
            }
            Block::Paragraph(p) => {
                let text = single_text(&p.content);
                for (start, end, unit) in figures(&text) {
                    let clause = clause_before(&text, start);
                    if is_bound(clause, &text[end + unit.len()..]) {
                        continue;
                    }
                    let typed = text[start..end].to_string();
                    let indicator = percent(unit)
                        .then(|| {
                            inputs.iter().find(|(name, _)| {
                                clause.contains(name.as_str()) || *name == heading
                            })
                        })
                        .flatten();
                    // An indicator that is one field of data.yaml (a rate the unit reports
                    // as it is) takes the typed value there.
                    if let Some((_, fields)) = indicator
                        && let [field] = &fields[..]
                        && field.contains('.')
                    {
                        unique(&mut data, field.clone(), datum(&typed, unit));
                    }
                    let indicator = indicator.map(|(name, _)| name.clone());
                    let name = indicator.clone().unwrap_or_else(|| {
                        let value = datum(&typed, unit);
                        let proposed = input_for(&all_inputs, &heading, clause)
                            .or_else(|| budget_line(budget, &all_inputs, clause))
                            .unwrap_or_else(|| {
                                generic_name(&heading, clause, unit, &indicator_names)
                            });
                        let before = data.len();
                        let name = unique(&mut data, proposed, value.clone());
                        if data.len() > before
                            && let Some(other) = same_value_elsewhere(&data, &name, &value)
                        {
                            notes.push((
                                p.origin.clone(),
                                format!(
                                    "“{typed}{unit}”与 {{{{ {other} }}}} 的值相同，但属于另一部分，已单独记为 {{{{ {name} }}}}；是同一个数的，请合并"
                                ),
                            ));
                        }
                        name
                    });
                    found.push(Found {
                        block: index,
                        start,
                        end: if percent(unit) { end + unit.len() } else { end },
                        typed: if percent(unit) {
                            format!("{typed}{unit}")
                        } else {
                            typed
                        },
                        name,
                        indicator,
                        origin: p.origin.clone(),
                    });
                }
            }
            Block::Table(_) => {}
        }
    }
    // Every figure the indicator set needs is in data.yaml: those the prose does not give are
    // written `~` (not obtained) for the writer to fill.
    let needed = all_inputs.iter().flat_map(|(_, names)| names);
    for input in needed.filter(|n| n.contains('.')) {
        if !data.iter().any(|(name, _)| name == input) {
            data.push((input.clone(), "~".to_string()));
        }
    }
    let mut moved = Moved {
        undecided: notes,
        ..Moved::default()
    };
    let computed = verify(&data, indicator_set, &found, &mut moved);
    let mut replacements: HashMap<usize, Vec<(usize, usize, String)>> = HashMap::new();
    for f in &found {
        let placeholder = match &f.indicator {
            Some(name) => match computed.get(name) {
                Some((value, _)) if *value == f.typed => {
                    moved.indicators += 1;
                    name.clone()
                }
                _ => continue,
            },
            None => {
                moved.amounts += 1;
                f.name.clone()
            }
        };
        replacements
            .entry(f.block)
            .or_default()
            .push((f.start, f.end, placeholder));
    }
    for (index, mut list) in replacements {
        let Some(Block::Paragraph(p)) = document.blocks.get_mut(index) else {
            continue;
        };
        let mut text = single_text(&p.content);
        list.sort_by_key(|r| std::cmp::Reverse(r.0));
        for (start, end, name) in &list {
            text.replace_range(*start..*end, &format!("{OPEN}{name}{CLOSE}"));
        }
        let text = verdicts(&text, &computed, &mut moved.indicators);
        p.content = vec![Inline::plain(text)];
    }
    moved.data_yaml = data_yaml(&data);
    Ok(moved)
}

/// The paragraph's text when it is plain text only; figures in bold or next to footnotes are
/// left alone (and the paragraph is skipped).
fn single_text(content: &[Inline]) -> String {
    match content {
        [Inline::Text { text, emphasis }] if !emphasis.bold && !emphasis.italic => text.clone(),
        _ => String::new(),
    }
}

fn percent(unit: &str) -> bool {
    unit == "%" || unit == "％"
}

/// Byte ranges of the well-formed numbers that carry one of the units, and the unit.
fn figures(text: &str) -> Vec<(usize, usize, &'static str)> {
    number_runs(text)
        .into_iter()
        .filter_map(|(start, number)| {
            let end = start + number.len();
            let before = text[..start].chars().next_back();
            let glued = before.is_some_and(|c| c.is_ascii_alphanumeric() || c == ',' || c == '.');
            let well_formed = !number.contains(',') && number.matches('.').count() <= 1;
            // A run ends at a digit: a dot after it ("12." at a sentence's end) is not its own.
            let dangling = text[end..].starts_with('.');
            let unit = UNITS.iter().find(|u| text[end..].starts_with(**u))?;
            (!glued && well_formed && !dangling).then_some((start, end, *unit))
        })
        .collect()
}

/// The words before a figure, back to the last punctuation: "实际支出" in "，实际支出210.18万元".
fn clause_before(text: &str, at: usize) -> &str {
    let start = text[..at]
        .rfind(|c: char| "，。；：、（）,;:()“”".contains(c))
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    &text[start..at]
}

/// A formula input of the indicator this paragraph is about, whose last part the clause
/// names: "公用经费预算" under 公用经费控制率 → 公用经费.预算数.
fn input_for(inputs: &[(String, Vec<String>)], heading: &str, clause: &str) -> Option<String> {
    let in_context = inputs
        .iter()
        .find(|(name, _)| heading.contains(name.as_str()) || clause.contains(name.as_str()))
        .and_then(|(_, names)| names.iter().find(|input| names_figure(input, clause)));
    if let Some(input) = in_context {
        return Some(input.clone());
    }
    // Outside an indicator's part, a field only one input of the whole set has: 决算支出.
    let mut anywhere: Vec<&String> = inputs
        .iter()
        .flat_map(|(_, names)| names)
        .filter(|input| names_figure(input, clause))
        .collect();
    anywhere.sort();
    anywhere.dedup();
    // Several groups have the field (预算数 of 会议费, 三公经费 …): the one the clause or the
    // heading names.
    if anywhere.len() > 1 {
        anywhere.retain(|input| {
            input
                .split_once('.')
                .is_some_and(|(group, _)| clause.contains(group) || heading.contains(group))
        });
    }
    match anywhere[..] {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// The words reports use for the 自评表's budget lines: "2023年预算安排3369.82万元" is the
/// 年初预算数, "财政下达预算指标" the 全年预算数, "预算执行数" the 全年执行数.
const BUDGET_WORDS: [(&str, &[&str]); 3] = [
    ("年初预算数", &["年初预算数", "年初预算", "预算安排"]),
    (
        "全年预算数",
        &[
            "全年预算数",
            "全年预算",
            "调整后预算数",
            "调整后预算",
            "下达预算指标",
            "下达预算",
        ],
    ),
    (
        "全年执行数",
        &["全年执行数", "预算执行数", "执行数", "决算支出", "决算数"],
    ),
];

/// The field the indicator set's 自评表 gives the budget line the clause names, unless the
/// clause is about another group ("政府采购年初预算" is not the unit's 年初预算数).
fn budget_line(
    budget: Option<&std::collections::BTreeMap<String, String>>,
    inputs: &[(String, Vec<String>)],
    clause: &str,
) -> Option<String> {
    let clause = trim_verbs(clause);
    let (label, _) = BUDGET_WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| clause.ends_with(w)))?;
    // The form prints 全年（调整）预算数; an indicator set may copy it so.
    let field = budget?
        .iter()
        .find(|(key, _)| key.replace("（调整）", "").replace("(调整)", "") == *label)
        .map(|(_, field)| field)
        .filter(|f| f.contains('.'))?;
    let own = field.split_once('.').map(|(group, _)| group);
    let other_group = inputs
        .iter()
        .flat_map(|(_, names)| names)
        .filter_map(|input| input.split_once('.').map(|(group, _)| group))
        .any(|group| Some(group) != own && clause.contains(group));
    (!other_group).then(|| field.clone())
}

/// A target or a bound ("年初目标90%", "超过95%", "100%以内", "≥ 90%") says what a figure is
/// held to, not what it is: it stays typed.
fn is_bound(clause: &str, after: &str) -> bool {
    const BEFORE: [&str; 22] = [
        "目标",
        "目标值",
        "指标值",
        "标准",
        "不低于",
        "不少于",
        "不高于",
        "不超过",
        "不大于",
        "不小于",
        "超过",
        "高于",
        "低于",
        "多于",
        "少于",
        "大于",
        "小于",
        "至少",
        "最多",
        "最高",
        "最低",
        "控制在",
    ];
    const AFTER: [&str; 6] = ["以内", "以上", "以下", "之内", "及以上", "及以下"];
    let clause = clause
        .trim_end_matches(is_space)
        .trim_end_matches(['为', '是', '了'])
        .trim_end_matches(is_space);
    let comparison = clause.ends_with(['≥', '≤', '>', '<', '＞', '＜', '≧', '≦', '=', '＝']);
    let after = after.trim_start_matches(is_space);
    comparison
        || BEFORE.iter().any(|b| clause.ends_with(b))
        || AFTER.iter().any(|a| after.starts_with(a))
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// Another part's field of the same name that has `value` too: before, import gave both
/// figures one field; now the writer is told.
fn same_value_elsewhere(data: &[(String, String)], name: &str, value: &str) -> Option<String> {
    let (group, field) = name.rsplit_once('.')?;
    data.iter()
        .find(|(other, v)| {
            v == value
                && other.rsplit_once('.').is_some_and(|(g, f)| {
                    g != group
                        && f.trim_end_matches(char::is_numeric)
                            == field.trim_end_matches(char::is_numeric)
                })
        })
        .map(|(other, _)| other.clone())
}

/// Whether the clause ends with the input's field ("…实际支出" for 公用经费.实际支出), give or
/// take a verb ("为") and a final 数.
fn names_figure(input: &str, clause: &str) -> bool {
    let Some((_, field)) = input.rsplit_once('.') else {
        return false;
    };
    let stem = field.strip_suffix('数').unwrap_or(field);
    let clause = trim_verbs(clause);
    !stem.is_empty()
        && clause
            .rfind(stem)
            .is_some_and(|at| clause[at..].chars().count() <= stem.chars().count() + 1)
}

/// "控制率为" → "控制率": the verbs between a name and its figure.
fn trim_verbs(clause: &str) -> &str {
    let mut clause = clause;
    loop {
        let trimmed = clause
            .trim_end_matches([
                '为', '了', '是', '达', '约', '计', '共', '在', '于', '占', '有',
            ])
            .trim_end_matches("超过")
            .trim_end_matches("达到");
        if trimmed.len() == clause.len() {
            return clause;
        }
        clause = trimmed;
    }
}

/// group.field from the heading and the clause's subject noun: 履职效能.政府采购年初预算.
fn generic_name(heading: &str, clause: &str, unit: &str, taken: &[String]) -> String {
    let mut group = heading.to_string();
    // What the heading says about its subject; "情况" stays: 基本情况 is not 基本.
    for suffix in [
        "指标完成情况",
        "指标分析",
        "完成情况",
        "控制率",
        "执行率",
        "完成率",
        "率",
    ] {
        if let Some(stripped) = group.strip_suffix(suffix) {
            group = stripped.to_string();
            break;
        }
    }
    let mut group = identifier(&group);
    let noun = identifier(&subject_noun(clause));
    // The heading's words are the group's: 政府采购.年初预算, 在职人员.人数; but 预算调整率
    // under 预算调整 stays whole, not 率.
    let field = match noun.strip_prefix(group.as_str()) {
        Some(rest) if !group.is_empty() && rest.chars().count() != 1 => rest.to_string(),
        _ => noun,
    };
    // An indicator's name, or 年度/单位, is a placeholder of its own.
    if taken.contains(&group) || ["年度", "下一年度", "单位"].contains(&group.as_str()) {
        group.push_str("数据");
    }
    let field = if field.is_empty() {
        quantity(unit).to_string()
    } else {
        field
    };
    format!("{}.{field}", if group.is_empty() { "正文" } else { &group })
}

/// What a figure of this unit counts, for a clause that names nothing.
fn quantity(unit: &str) -> &'static str {
    match unit {
        "万元" | "元" => "金额",
        "人" => "人数",
        "个" => "个数",
        _ => "比率",
    }
}

/// The noun a clause says its figure is of, in the writer's words: "2023年单位编制三公经费预算"
/// → 三公经费预算, "控制率在" → 控制率, "截止2023年12月31日，单位在职人员" → 在职人员. Dates,
/// the unit as the subject, a reporting verb and what precedes 的 are dropped as whole words;
/// the rest is kept whole, never cut to a length.
fn subject_noun(clause: &str) -> String {
    const LEADING: [&str; 30] = [
        "则",
        "即",
        "较",
        "截止",
        "截至",
        "本年度",
        "本年",
        "全年",
        "今年",
        "当年",
        "上年",
        "年末",
        "年底",
        "本单位",
        "我单位",
        "单位",
        "本部门",
        "我部门",
        "部门",
        "本局",
        "我局",
        "全区",
        "我区",
        "编制了",
        "编制",
        "发生",
        "实现",
        "完成",
        "共计",
        "累计",
    ];
    let mut noun = trim_verbs(clause.trim_matches(is_space));
    for particle in ["的", "其中"] {
        if let Some(at) = noun.rfind(particle)
            && at + particle.len() < noun.len()
        {
            noun = &noun[at + particle.len()..];
        }
    }
    loop {
        let before = noun.len();
        noun = date_prefix(noun.trim_start_matches(is_space));
        // Only before a word: 编制数 and 完成率 are nouns, 单位数 too.
        if let Some(word) = LEADING
            .iter()
            .find(|w| noun.starts_with(**w) && noun[w.len()..].chars().count() >= 2)
        {
            noun = &noun[word.len()..];
        }
        if noun.len() == before {
            return noun.to_string();
        }
    }
}

/// "2023年12月31日在职人员" → "在职人员": digits followed by 年度, 年, 月, 日, 底 or 末.
fn date_prefix(text: &str) -> &str {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return text;
    }
    let rest = &text[digits..];
    ["年度", "年", "月", "日", "底", "末"]
        .iter()
        .find_map(|unit| rest.strip_prefix(unit))
        .unwrap_or(text)
}

/// Letters and digits only, not starting with a digit: a name a placeholder can use.
fn identifier(text: &str) -> String {
    let kept: String = text.chars().filter(|c| c.is_alphanumeric()).collect();
    kept.trim_start_matches(|c: char| c.is_ascii_digit())
        .to_string()
}

fn datum(typed: &str, unit: &str) -> String {
    if percent(unit) {
        format!("{typed}%")
    } else {
        format!("{typed} {unit}")
    }
}

/// The name for `value`: the proposed one (again, when it already has this value), or the
/// proposed one numbered. An equal value under another name stays a field of its own: 90%
/// of one survey is not the other's.
fn unique(data: &mut Vec<(String, String)>, proposed: String, value: String) -> String {
    let mut name = proposed.clone();
    for n in 2.. {
        match data.iter().find(|(existing, _)| *existing == name) {
            Some((_, existing)) if *existing == value => return name,
            Some(_) => name = format!("{proposed}{n}"),
            None => break,
        }
    }
    data.push((name.clone(), value));
    name
}

/// Each indicator's displayed value and verdict wording, computed from the data found; typed
/// percentages it does not confirm stay as typed and are listed.
fn verify(
    data: &[(String, String)],
    indicator_set: Option<&SourceFile>,
    found: &[Found],
    moved: &mut Moved,
) -> HashMap<String, (String, String)> {
    let mut computed = HashMap::new();
    let candidates: Vec<&Found> = found.iter().filter(|f| f.indicator.is_some()).collect();
    let Some(set) = indicator_set else {
        return computed;
    };
    let data_file = SourceFile {
        path: DATA_FILE.into(),
        text: data_yaml(data),
    };
    // The identities need every figure; the values do not wait for them.
    let evaluated = IndicatorSet::read(set).and_then(|mut set| {
        set.identities.clear();
        let data = data::load(Some(&data_file))?;
        indicators::evaluate(Some(&set), &data)
    });
    match evaluated {
        Ok(evaluated) => {
            for indicator in &evaluated.list {
                computed.insert(
                    indicator.definition.name.clone(),
                    (indicator.display_value(), indicator.verdict_text.clone()),
                );
            }
        }
        Err(error) => {
            for f in candidates {
                moved.undecided.push((
                    f.origin.clone(),
                    format!(
                        "“{}”未改为指标占位符：指标无法从取出的数字计算（{error}）",
                        f.typed
                    ),
                ));
            }
            return computed;
        }
    }
    for f in candidates {
        let Some(name) = &f.indicator else { continue };
        if let Some((value, _)) = computed.get(name)
            && *value != f.typed
        {
            moved.undecided.push((
                f.origin.clone(),
                format!(
                    "“{}”未改为 {{{{ {name} }}}}：按取出的数字计算为 {value}，请核对数据或原文",
                    f.typed
                ),
            ));
        }
    }
    computed
}

/// A typed verdict right after an indicator placeholder becomes `{{ 指标.结论 }}` when it is
/// the wording the indicator set gives.
fn verdicts(text: &str, computed: &HashMap<String, (String, String)>, count: &mut usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        let close = rest[open..].find(CLOSE).map_or(rest.len(), |c| open + c);
        let name = &rest[open + OPEN.len_utf8()..close];
        let after = (close + CLOSE.len_utf8()).min(rest.len());
        out.push_str(&rest[..after]);
        rest = &rest[after..];
        let Some((_, verdict)) = computed.get(name) else {
            continue;
        };
        let gap = rest
            .find(|c: char| !"，, ".contains(c))
            .unwrap_or(rest.len());
        if !verdict.is_empty() && rest[gap..].starts_with(verdict.as_str()) {
            out.push_str(&rest[..gap]);
            out.push_str(&format!("{OPEN}{name}.结论{CLOSE}"));
            rest = &rest[gap + verdict.len()..];
            *count += 1;
        }
    }
    out.push_str(rest);
    out
}

fn data_yaml(data: &[(String, String)]) -> String {
    let mut out = String::from(
        "# gongwen import --figures 从正文中取出的数字：名称取自上下文，请核对并改成合适的名称\n# （改名时同时改正文中的 {{ 占位符 }}）。\n",
    );
    let mut root = Tree::default();
    for (name, value) in data {
        let path: Vec<&str> = match name.split('.').collect::<Vec<_>>()[..] {
            [field] => vec!["正文", field],
            ref parts => parts.to_vec(),
        };
        root.insert(&path, value);
    }
    for (i, (key, child)) in root.children.iter().enumerate() {
        if i > 0 || !out.is_empty() {
            out.push('\n');
        }
        child.write(key, 0, &mut out);
    }
    out
}

/// data.yaml's nesting (自评表: 定性: 中长期规划相符性: ~), in the order names were found.
#[derive(Debug, Default)]
struct Tree {
    value: Option<String>,
    children: Vec<(String, Tree)>,
}

impl Tree {
    fn insert(&mut self, path: &[&str], value: &str) {
        let Some((first, rest)) = path.split_first() else {
            self.value = Some(value.to_string());
            return;
        };
        let at = match self.children.iter().position(|(k, _)| k == first) {
            Some(at) => at,
            None => {
                self.children.push((first.to_string(), Tree::default()));
                self.children.len() - 1
            }
        };
        self.children[at].1.insert(rest, value);
    }

    fn write(&self, key: &str, depth: usize, out: &mut String) {
        let indent = "  ".repeat(depth);
        match &self.value {
            Some(value) if self.children.is_empty() => {
                out.push_str(&format!("{indent}{key}: {value}\n"));
            }
            _ => {
                out.push_str(&format!("{indent}{key}:\n"));
                for (k, child) in &self.children {
                    child.write(k, depth + 1, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_the_clause_s_subject_noun_in_whole_words() {
        for (clause, noun) in [
            ("2023年单位编制三公经费预算", "三公经费预算"),
            ("控制率在", "控制率"),
            ("截至2023年12月31日单位在职人员", "在职人员"),
            ("2023年派驻纪检监察组专项经费", "派驻纪检监察组专项经费"),
            ("本单位的公用经费支出共计", "公用经费支出"),
            ("年初预算", "年初预算"),
            ("编制数", "编制数"),
            ("完成率为", "完成率"),
            ("单位", "单位"),
        ] {
            assert_eq!(subject_noun(clause), noun, "{clause}");
        }
    }

    #[test]
    fn targets_and_bounds_are_not_values() {
        for (clause, after) in [
            ("满意度达到了年初目标", "。"),
            ("办结率超过", "。"),
            ("控制率在", "以内，达到了年初目标。"),
            ("目标值为", ""),
            ("满意度不低于", ""),
            ("执行率≥ ", ""),
            ("完成率", " 以上"),
        ] {
            assert!(is_bound(clause, after), "{clause}…{after}");
        }
        for (clause, after) in [("控制率在", "，达到了年初目标。"), ("执行率为", "。")]
        {
            assert!(!is_bound(clause, after), "{clause}…{after}");
        }
    }

    #[test]
    fn figures_with_units_are_found_and_malformed_ones_left_alone() {
        let text = "预算240.63万元，实际支出210,18万元，3369.82.1万元，在职33人，共5个，达到100%，2023年。";
        let found: Vec<_> = figures(text)
            .into_iter()
            .map(|(s, e, unit)| format!("{}{unit}", &text[s..e]))
            .collect();
        assert_eq!(found, ["240.63万元", "33人", "5个", "100%"]);
    }

    #[test]
    fn names_come_from_the_heading_and_the_words_before() {
        let text = "2023年单位政府采购年初预算278.00万元，控制率为75.47%";
        let at = text.find("278").unwrap();
        assert_eq!(
            generic_name("政府采购执行率", clause_before(text, at), "万元", &[]),
            "政府采购.年初预算"
        );
        let at = text.find("75").unwrap();
        assert_eq!(
            generic_name(
                "在职人员控制率",
                clause_before(text, at),
                "%",
                &["在职人员".into()]
            ),
            "在职人员数据.控制率"
        );
        assert_eq!(generic_name("会议费", "为", "万元", &[]), "会议费.金额");
        // Whole words of the heading and the clause, not fragments of them.
        for (heading, clause, name) in [
            ("基本情况", "基本支出", "基本情况.基本支出"),
            ("预算调整率", "预算调整率为", "预算调整.预算调整率"),
            ("公用经费控制率", "则公用经费控制率为", "公用经费.控制率"),
            (
                "在职人员控制率",
                "截至2023年12月31日单位在职人员",
                "在职人员.人数",
            ),
        ] {
            assert_eq!(generic_name(heading, clause, "人", &[]), name, "{clause}");
        }
        let inputs = [(
            "公用经费控制率".to_string(),
            vec![
                "公用经费.实际支出".to_string(),
                "公用经费.预算数".to_string(),
            ],
        )];
        assert_eq!(
            input_for(&inputs, "公用经费控制率", "2023年部门公用经费预算").as_deref(),
            Some("公用经费.预算数")
        );
        assert_eq!(
            input_for(&inputs, "公用经费控制率", "较年初预算数调减了"),
            None
        );
    }
}

//! `gongwen new`: a report directory that builds at once. The standard indicator set is the
//! sample's indicators.yaml (with its 自评表); data.yaml lists every figure and 自评表 entry of
//! the sample's data, unfilled (`~`), with its unit; the five parts carry guidance as HTML
//! comments, which are not printed, and part three a paragraph per 自评表 indicator.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diag::Result;
use crate::eval::indicators::{self, Indicators};
use crate::eval::scoring;
use crate::input::data::{self, Data, Datum, Node};
use crate::input::indicator_set::IndicatorSet;
use crate::input::source::{DATA_FILE, INDICATORS_FILE, REPORT_FILE, SourceFile};

/// The standard indicator set, shared with the sample so the two never drift apart.
const STANDARD_INDICATORS: &str = include_str!("../../content/indicators.yaml");
/// The sample's figures: their names, order and units make the new data.yaml.
const SAMPLE_DATA: &str = include_str!("../../content/data.yaml");

/// What the writer said about the report.
#[derive(Debug, Clone)]
pub struct Answers {
    pub unit: String,
    pub year: u16,
    /// "附件3", or none.
    pub attachment: Option<String>,
    /// The built-in style report.yaml names in `样式`.
    pub style: String,
}

/// The files of a new report directory, by name, in the order they are written.
pub fn files(answers: &Answers) -> Result<Vec<(String, String)>> {
    let sample = SourceFile {
        path: PathBuf::from(format!("<内置示例 {DATA_FILE}>")),
        text: SAMPLE_DATA.to_string(),
    };
    let data = data::load(Some(&sample))?;
    let standard = SourceFile {
        path: PathBuf::from(format!("<内置示例 {INDICATORS_FILE}>")),
        text: STANDARD_INDICATORS.to_string(),
    };
    // The set is evaluated on the sample's figures: part three follows its 自评表.
    let set = IndicatorSet::read(&standard)?;
    let indicators = indicators::evaluate(Some(&set), &data)?;
    let scores = scoring::score(Some(&set), &data, &indicators, &mut Vec::new())?;
    let rows = scores.map(|s| s.rows).unwrap_or_default();
    let mut files = vec![
        (REPORT_FILE.to_string(), report_yaml(answers)),
        (
            DATA_FILE.to_string(),
            data_yaml(&data, &indicators, answers.year),
        ),
        (INDICATORS_FILE.to_string(), STANDARD_INDICATORS.to_string()),
    ];
    for (i, (title, guidance)) in PARTS.iter().enumerate() {
        let mut text = format!("---\norder: {}\n---\n\n# {title}\n\n{guidance}", i + 1);
        if i == 2 {
            text.push_str(&indicator_paragraphs(&rows));
        }
        files.push((format!("{:02}-{title}.md", i + 1), text));
    }
    Ok(files)
}

fn report_yaml(answers: &Answers) -> String {
    let mut out = String::from(
        "# 报告信息。各部分正文在同目录的 .md 文件中（子目录里的 .md 也算），数据在 data.yaml。\n",
    );
    match &answers.attachment {
        Some(label) => writeln!(out, "附件: {label}"),
        None => writeln!(
            out,
            "# 附件: 附件3                 # 作为附件报送时，第 1 行的标注"
        ),
    }
    .ok();
    writeln!(
        out,
        "标题: \"{{{{ 年度 }}}}年度{{{{ 单位 }}}}部门整体绩效自评报告\"\n单位: {}\n年度: {}\n样式: {:<26}# 内置的 GB/T 9704 版式（gongwen style 列出各套字体）；gongwen style --dump 可导出修改\n# 日期: {}-03-31              # 定稿日期（YYYY-MM-DD），写入文件属性；判断“今年”等说法也以它为准",
        yaml_scalar(&answers.unit),
        answers.year,
        answers.style,
        u32::from(answers.year) + 1
    )
    .ok();
    out
}

/// A value as a YAML scalar: quoted when YAML would read it as something else.
fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~ ".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(' ');
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// Every figure as `~`, with its unit in a comment, in the sample's groups and order.
fn data_yaml(data: &Data, indicators: &Indicators, year: u16) -> String {
    let mut out = format!(
        "# {year} 年度的数据。每个数字只在这里写一次，正文用 {{{{ 占位符 }}}} 引用，指标由 indicators.yaml 计算。\n\
         # 把 ~ 换成数值和单位（3369.82 万元、33 人、100%）；未取得的数据保留 ~，用到它的指标显示为“不适用”。\n\
         # gongwen check 会说还有多少项未填写。\n"
    );
    write_nodes(&mut out, &data.tree, "", indicators);
    out
}

fn write_nodes(out: &mut String, nodes: &[(String, Node)], prefix: &str, indicators: &Indicators) {
    let depth = prefix.matches('.').count() + usize::from(!prefix.is_empty());
    let indent = "  ".repeat(depth);
    for (key, node) in nodes {
        let path = crate::input::data::dotted(prefix, key);
        match node {
            // The sample's reasons name its own missed targets: a new report starts without.
            Node::Group(_) if path == DEVIATIONS => {
                writeln!(out, "{indent}{key}: {{}}    # 未达到目标的指标写在这里，一个一行：指标名称: 偏差原因分析及改进措施").ok();
            }
            Node::Group(children) => {
                if depth == 0 {
                    out.push('\n');
                }
                writeln!(out, "{indent}{key}:").ok();
                write_nodes(out, children, &path, indicators);
            }
            Node::Leaf(datum) => {
                let hint = hint(&path, datum, nodes, indicators);
                let line = format!("{indent}{key}: ~");
                let pad = 30usize.saturating_sub(display_width(&line)).max(1);
                writeln!(out, "{line}{}# {hint}", " ".repeat(pad)).ok();
            }
        }
    }
}

/// data.yaml's group of 偏差原因分析及改进措施, by indicator.
const DEVIATIONS: &str = "自评表.偏差原因";

/// What to write for a figure: its unit as the sample has it; for one the sample leaves `~`,
/// its siblings' unit, or 百分比 when an indicator in % is that figure itself.
fn hint(path: &str, datum: &Datum, siblings: &[(String, Node)], indicators: &Indicators) -> String {
    let unit = |datum: &Datum| match datum {
        Datum::Quantity(q) if q.display.ends_with('%') => Some("百分比，如 100%".to_string()),
        Datum::Quantity(q) => Some(q.unit.clone().unwrap_or_else(|| "数值".into())),
        _ => None,
    };
    match datum {
        Datum::Text(_) if path.starts_with("自评表.定性.") => {
            "档次，如 健全、较健全、不健全（见 indicators.yaml 的 定性档次）".into()
        }
        Datum::Text(_) => "文字".into(),
        Datum::Quantity(_) => unit(datum).unwrap_or_default(),
        Datum::Missing => {
            let sibling = siblings.iter().find_map(|(_, node)| match node {
                Node::Leaf(datum) => unit(datum),
                Node::Group(_) => None,
            });
            let percent = indicators.list.iter().any(|i| {
                i.definition.formula.trim() == path && i.definition.unit.as_deref() == Some("%")
            });
            sibling
                .or_else(|| percent.then(|| "百分比，如 95%".to_string()))
                .unwrap_or_else(|| "数值和单位".into())
        }
    }
}

fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Part three, as the 自评表 orders it: a heading per 一级 and 二级 指标 and per indicator,
/// with a paragraph that gives a computed indicator's value and verdict once the data is in
/// (its 不适用 wording until then) and a qualitative one's level. A group of one gets no
/// heading of its own, since a lone sub-heading is what `check` warns about (S003).
fn indicator_paragraphs(rows: &[scoring::Row]) -> String {
    let mut out = String::new();
    for level1 in distinct(rows.iter().map(|r| r.level1.as_str())) {
        let in_level1: Vec<&scoring::Row> = rows.iter().filter(|r| r.level1 == level1).collect();
        write!(out, "\n## {level1}指标完成情况\n").ok();
        let level2s = distinct(in_level1.iter().map(|r| r.level2.as_str()));
        for level2 in &level2s {
            let group: Vec<&scoring::Row> = in_level1
                .iter()
                .filter(|r| r.level2 == *level2)
                .copied()
                .collect();
            if level2s.len() > 1 {
                write!(out, "\n### {level2}指标分析\n").ok();
            }
            let depth = if level2s.len() > 1 { "####" } else { "###" };
            for row in &group {
                if group.len() > 1 {
                    write!(out, "\n{depth} {{{{ {}.名称 }}}}\n", row.name).ok();
                }
                out.push('\n');
                out.push_str(&row_paragraph(row));
            }
        }
    }
    out
}

fn row_paragraph(row: &scoring::Row) -> String {
    let name = &row.name;
    match row.nature {
        scoring::Nature::Quantitative => format!(
            "{{% if {name}.适用 %}}{{{{ 年度 }}}}年{{{{ {name}.名称 }}}}为{{{{ {name} }}}}，{{{{ {name}.结论 }}}}（年初目标{{{{ {name}.目标 }}}}）。{{% else %}}{{{{ {name}.结论 }}}}。{{% endif %}}\n"
        ),
        scoring::Nature::Qualitative => {
            format!("（{{{{ {name}.名称 }}}}的情况和依据。）自评档次：{{{{ {name} }}}}。\n")
        }
    }
}

/// The values in their first order, each once.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

/// The five parts of a 部门整体绩效自评报告, with what each says.
const PARTS: [(&str, &str); 5] = [
    (
        "基本情况",
        "<!-- 写什么：部门职能、机构和人员情况，年度预算安排与执行总体情况，完成的主要工作目标。 -->\n<!-- 数字只写在 data.yaml，正文用占位符引用（写法见使用指南 docs/guide/placeholders.md），data.yaml 中填好的数据才能引用。 -->\n\n{{ 年度 }}年，{{ 单位 }}……（概述部门职能和年度主要工作）\n",
    ),
    (
        "部门自评工作开展情况",
        "<!-- 写什么：依据的文件（文号用六角括号〔〕），自评小组、范围和内容，工作步骤。 -->\n\n## 成立部门自评小组\n\n（自评小组的组成和分工）\n\n## 绩效评价自评范围和内容\n\n对本部门{{ 年度 }}年度整体绩效情况开展自评，从运行成本、管理效率、履职效能、社会效应、可持续发展能力和服务对象满意度等方面开展评价。\n\n## 绩效自评工作开展情况\n\n（收集资料、分析核对、填报自评表、撰写报告的过程）\n",
    ),
    (
        "部门整体绩效目标完成情况",
        "<!-- 写什么：按六个方面逐项说明指标完成情况；未达到目标的说明原因。 -->\n<!-- 数值和结论由 indicators.yaml 计算；数据未填写时显示“不适用”的措辞。 -->\n",
    ),
    (
        "主要成效、存在的突出问题和原因",
        "<!-- 写什么：取得的主要成效；存在的突出问题，以及原因。 -->\n\n## 主要成效\n\n（主要成效）\n\n## 存在的突出问题和原因\n\n（问题和原因，与未达到的指标对应）\n",
    ),
    (
        "下一步拟改进措施",
        "<!-- 写什么：针对问题的改进措施，以及与{{ 下一年度 }}年预算安排相结合的情况。 -->\n\n## 具体改进措施\n\n（改进措施）\n\n## 拟与预算安排相结合情况\n\n（评价结果如何用于{{ 下一年度 }}年预算安排）\n",
    ),
];

/// Writes the files into `dir`, which must not exist yet or be empty: nothing is overwritten.
pub fn write(dir: &Path, answers: &Answers) -> Result<Vec<PathBuf>> {
    crate::output::write_new_dir(dir, &files(answers)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_that_yaml_would_misread_are_quoted() {
        assert_eq!(yaml_scalar("某市市场监督管理局"), "某市市场监督管理局");
        assert_eq!(yaml_scalar("~"), "\"~\"");
        assert_eq!(yaml_scalar("甲: 乙"), "\"甲: 乙\"");
    }
}

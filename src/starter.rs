//! `gongwen new`: a report directory that builds at once. The standard indicator set is the
//! sample's indicators.yaml; data.yaml lists every figure of the sample's data with its unit,
//! unfilled (`~`); the five parts carry guidance as HTML comments, which are not printed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::data::{self, Datum, Node};
use crate::error::Result;
use crate::indicators;
use crate::source::{DATA_FILE, INDICATORS_FILE, REPORT_FILE, SourceFile};

/// The standard indicator set, shared with the sample so the two never drift apart.
const STANDARD_INDICATORS: &str = include_str!("../content/indicators.yaml");
/// The sample's figures: their names, order and units make the new data.yaml.
const SAMPLE_DATA: &str = include_str!("../content/data.yaml");

/// What the writer said about the report.
#[derive(Debug, Clone)]
pub struct Answers {
    pub unit: String,
    pub year: u16,
    /// "附件3", or none.
    pub attachment: Option<String>,
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
    // The set is evaluated once here, so a broken standard set fails before anything is written.
    indicators::evaluate(Some(&standard), &data)?;
    let mut files = vec![
        (REPORT_FILE.to_string(), report_yaml(answers)),
        (DATA_FILE.to_string(), data_yaml(&data.tree, answers.year)),
        (INDICATORS_FILE.to_string(), STANDARD_INDICATORS.to_string()),
    ];
    for (i, (title, guidance)) in PARTS.iter().enumerate() {
        let mut text = format!("---\norder: {}\n---\n\n# {title}\n\n{guidance}", i + 1);
        if i == 2 {
            text.push_str(&indicator_paragraphs(STANDARD_INDICATORS));
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
        "标题: \"{{{{ 年度 }}}}年度{{{{ 单位 }}}}部门整体绩效自评报告\"\n单位: {}\n年度: {}\n样式: gbt9704                   # 内置的 GB/T 9704 版式；gongwen style --dump 可导出修改\n# 日期: {}-03-31              # 定稿日期（YYYY-MM-DD），写入文件属性；判断“今年”等说法也以它为准",
        yaml_scalar(&answers.unit),
        answers.year,
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
fn data_yaml(tree: &[(String, Node)], year: u16) -> String {
    let mut out = format!(
        "# {year} 年度的数据。每个数字只在这里写一次，正文用 {{{{ 占位符 }}}} 引用，指标由 indicators.yaml 计算。\n\
         # 把 ~ 换成数值和单位（3369.82 万元、33 人、100%）；未取得的数据保留 ~，用到它的指标显示为“不适用”。\n\
         # gongwen check 会说还有多少项未填写。\n"
    );
    write_nodes(&mut out, tree, 0);
    out
}

fn write_nodes(out: &mut String, nodes: &[(String, Node)], depth: usize) {
    let indent = "  ".repeat(depth);
    for (key, node) in nodes {
        match node {
            Node::Group(children) => {
                if depth == 0 {
                    out.push('\n');
                }
                writeln!(out, "{indent}{key}:").ok();
                write_nodes(out, children, depth + 1);
            }
            Node::Leaf(datum) => {
                let unit = match datum {
                    Datum::Quantity(q) if q.display.ends_with('%') => "百分比，如 100%",
                    Datum::Quantity(q) => q.unit.as_deref().unwrap_or("数值"),
                    Datum::Text(_) => "文字",
                    Datum::Missing => "数值和单位",
                };
                let line = format!("{indent}{key}: ~");
                let pad = 30usize.saturating_sub(display_width(&line)).max(1);
                writeln!(out, "{line}{}# {unit}", " ".repeat(pad)).ok();
            }
        }
    }
}

fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The six dimensions of the standard set, in the report's order.
const DIMENSIONS: [&str; 6] = [
    "运行成本",
    "管理效率",
    "履职效能",
    "社会效应",
    "可持续发展能力",
    "满意度",
];

/// The standard indicators by dimension: indicators.yaml marks each group with a comment line
/// naming its dimension (`# 运行成本`) before its indicators.
fn by_dimension(indicators_yaml: &str) -> Vec<(&'static str, Vec<String>)> {
    let mut groups: Vec<(&'static str, Vec<String>)> =
        DIMENSIONS.iter().map(|d| (*d, Vec::new())).collect();
    let mut current = 0;
    for line in indicators_yaml.lines().map(str::trim) {
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(i) = DIMENSIONS.iter().position(|d| comment.trim() == *d) {
                current = i;
            }
        } else if let Some(name) = line.strip_prefix("- 名称:") {
            groups[current].1.push(name.trim().to_string());
        }
    }
    groups
}

/// Part three: a heading per dimension, a paragraph per indicator with its value and verdict
/// once the data is in (its 不适用 wording until then); dimensions without indicators get a
/// line to replace.
fn indicator_paragraphs(indicators_yaml: &str) -> String {
    let mut out = String::new();
    for (dimension, names) in by_dimension(indicators_yaml) {
        write!(out, "\n## {dimension}指标完成情况\n\n").ok();
        if names.is_empty() {
            writeln!(out, "（{dimension}方面的完成情况和分析）").ok();
        }
        for name in names {
            write!(
                out,
                "### {{{{ {name}.名称 }}}}\n\n{{% if {name}.适用 %}}{{{{ 年度 }}}}年{{{{ {name}.名称 }}}}为{{{{ {name} }}}}，{{{{ {name}.结论 }}}}（年初目标{{{{ {name}.目标 }}}}）。{{% else %}}{{{{ {name}.结论 }}}}。{{% endif %}}\n\n"
            )
            .ok();
        }
    }
    out
}

/// The five parts of a 部门整体绩效自评报告, with what each says.
const PARTS: [(&str, &str); 5] = [
    (
        "基本情况",
        "<!-- 写什么：部门职能、机构和人员情况，年度预算安排与执行总体情况，完成的主要工作目标。 -->\n<!-- 数字只写在 data.yaml，正文用占位符引用（写法见 README），data.yaml 中填好的数据才能引用。 -->\n\n{{ 年度 }}年，{{ 单位 }}……（概述部门职能和年度主要工作）\n",
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
    let files = files(answers)?;
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        return Err(crate::error::Error::Usage(format!(
            "{} 已存在且不是空目录；gongwen new 不覆盖已有文件，请换一个新目录名",
            dir.display()
        )));
    }
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        crate::output::write_atomically(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
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

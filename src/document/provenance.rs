//! Where a figure filled into the prose came from: the placeholder a paragraph's text span
//! points at, read at that place in the section as it was built, and what it names (a value
//! of data.yaml, an indicator of indicators.yaml and its inputs, or a field of report.yaml).

use std::path::Path;

use crate::diag::Location;
use crate::document::report::Built;
use crate::document::template::{INDICATOR_ATTRIBUTES, SCORE_ATTRIBUTES};
use crate::eval::indicators::Indicator;

/// What a placeholder's value was taken from.
#[derive(Debug, Clone, PartialEq)]
pub enum FigureSource<'a> {
    /// A value of data.yaml, where it was typed.
    Data { name: String, at: Location },
    /// An indicator (or one of its attributes, `.结论`, `.得分` …), computed from inputs.
    Indicator {
        name: String,
        indicator: &'a Indicator,
        /// The inputs' places in data.yaml, in the indicator's order.
        inputs: Vec<Option<&'a Location>>,
    },
    /// A name the build gives from report.yaml (年度, 单位: `at` its line) or the 自评表
    /// (自评得分, 自评等级).
    Named { name: String, at: Option<Location> },
}

/// The source of the placeholder that starts at `at` in one of the built sections; `None`
/// where no placeholder starts there.
pub fn figure_source<'a>(built: &'a Built, at: &Location) -> Option<FigureSource<'a>> {
    let line = built.sources.line(at)?;
    let rest: String = line.chars().skip(at.column.checked_sub(1)?).collect();
    let inner = rest.strip_prefix("{{")?;
    let name = inner[..inner.find("}}")?].trim().trim_matches('-').trim();
    if let Some(at) = built.data.locate(name) {
        return Some(FigureSource::Data {
            name: name.to_string(),
            at: at.clone(),
        });
    }
    let (base, attribute) = name.rsplit_once('.').unwrap_or((name, ""));
    let is_attribute = attribute.is_empty()
        || INDICATOR_ATTRIBUTES.contains(&attribute)
        || SCORE_ATTRIBUTES.contains(&attribute);
    if let Some(indicator) = built.indicators.get(base).filter(|_| is_attribute) {
        let inputs = indicator
            .inputs
            .iter()
            .map(|input| built.data.locate(&input.name))
            .collect();
        return Some(FigureSource::Indicator {
            name: name.to_string(),
            indicator,
            inputs,
        });
    }
    // 下一年度 is the year after 年度: it stands where 年度 was typed.
    let key = if name == "下一年度" {
        "年度"
    } else {
        name
    };
    let at = ["年度", "单位", "附件"]
        .contains(&key)
        .then(|| built.meta.location(key));
    (!name.is_empty()).then(|| FigureSource::Named {
        name: name.to_string(),
        at,
    })
}

/// `file:line`, the file named from the report directory `root`.
pub fn place(at: &Location, root: &Path) -> String {
    let file = at.file.strip_prefix(root).unwrap_or(&at.file);
    format!("{}:{}", file.display(), at.line)
}

impl FigureSource<'_> {
    /// Said to the writer, in one line: "data.yaml:9 预算.决算支出", or the indicator's
    /// formula with each input's value and place.
    pub fn describe(&self, root: &Path) -> String {
        match self {
            FigureSource::Data { name, at } => format!("{} {name}", place(at, root)),
            FigureSource::Indicator {
                name,
                indicator,
                inputs,
            } => {
                let formula = &indicator.definition.formula;
                let computed = &indicator.definition.name;
                let mut said = place(&indicator.location, root);
                if name != computed {
                    said.push_str(&format!(" {name}："));
                }
                said.push_str(&format!(" {computed} = {formula}"));
                for (input, at) in indicator.inputs.iter().zip(inputs) {
                    said.push_str(&format!("；{} = {}", input.name, input.display));
                    if let Some(at) = at {
                        said.push_str(&format!("（{}）", place(at, root)));
                    }
                }
                said
            }
            FigureSource::Named { name, at: Some(at) } => format!("{} {name}", place(at, root)),
            FigureSource::Named { name, at: None } => format!("{name}：由自评表计算"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{FigureSource, figure_source};
    use crate::diag::Location;
    use crate::document::report::{Options, build};
    use std::path::Path;

    #[test]
    fn a_placeholder_names_its_data_line_or_its_formula() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let built = build(&dir, &Options::default()).unwrap();
        let section = dir.join("01-基本情况.md");
        let line = built
            .sources
            .sections
            .iter()
            .find(|f| f.path == section)
            .unwrap()
            .text
            .lines()
            .position(|l| l.contains("{{ 预算.年初预算数 }}"))
            .unwrap();
        let text = built
            .sources
            .line(&Location::new(&section, line + 1, 1))
            .unwrap();
        let column = text.split("{{ 预算.年初预算数 }}").next().unwrap();
        let at = Location::new(&section, line + 1, column.chars().count() + 1);
        let source = figure_source(&built, &at).unwrap();
        assert!(matches!(source, FigureSource::Data { .. }));
        assert!(source.describe(&dir).starts_with("data.yaml:"));
        // One column on, no placeholder starts.
        let next = Location::new(&section, at.line, at.column + 1);
        assert_eq!(figure_source(&built, &next), None);
    }
}

//! Layout definitions (styles/*.yaml): every number the docx writer uses lives there.
//! This module reads them and converts units; it decides nothing about layout itself.
//! The GB/T 9704 style is compiled in, so a report directory builds wherever it is copied.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

use crate::diag::{Diagnostic, code};
use crate::diag::{Location, Result};
use crate::input::source;
use crate::input::yaml;

/// A style compiled into the binary: report.yaml names it in `样式`, no file needed.
#[derive(Debug)]
pub struct Builtin {
    pub name: &'static str,
    /// The layout, as the repository's styles/ folder has it.
    pub yaml: &'static str,
    /// The preview font map (styles/fonts/fonts.conf).
    pub fonts: &'static str,
    /// Which computers it is for, as `gongwen style` tells the writer.
    pub when: &'static str,
}

/// The preview font map, one for every built-in style: it maps each one's names.
const PREVIEW_FONTS: &str = include_str!("../../styles/fonts/fonts.conf");

/// The same layout in three sets of font names: GB2312 (where the bureau installed them),
/// the fonts every Windows 10/11 PC has, and the 方正 _GBK fonts some units require.
pub const BUILTIN: [Builtin; 3] = [
    Builtin {
        name: "gbt9704",
        yaml: include_str!("../../styles/gbt9704.yaml"),
        fonts: PREVIEW_FONTS,
        when: "电脑装有 仿宋_GB2312、楷体_GB2312、方正小标宋简体（单位统一安装的公文字体）时用；默认",
    },
    Builtin {
        name: "windows",
        yaml: include_str!("../../styles/windows.yaml"),
        fonts: PREVIEW_FONTS,
        when: "电脑没有 _GB2312 字体时用：只用 Windows 10/11 自带的仿宋、楷体、黑体、宋体，标题用宋体加粗代替小标宋",
    },
    Builtin {
        name: "fzgbk",
        yaml: include_str!("../../styles/fzgbk.yaml"),
        fonts: PREVIEW_FONTS,
        when: "单位要求方正 _GBK 字体（方正仿宋_GBK、方正楷体_GBK、方正黑体_GBK、方正小标宋_GBK）时用",
    },
];

/// The style of a report whose report.yaml names none.
pub const DEFAULT: &Builtin = &BUILTIN[0];

/// The built-in styles' names, for messages: "gbt9704、windows、fzgbk".
pub fn builtin_names() -> String {
    BUILTIN.map(|b| b.name).join("、")
}

/// Where a report's layout comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Builtin(&'static Builtin),
    File(PathBuf),
}

impl Source {
    /// `样式` as written at `at`: a built-in style's name, or a file relative to `base` (the
    /// folder of report.yaml). The error, at `at`, says which names exist.
    pub fn named(spec: &str, base: &Path, at: Location) -> std::result::Result<Source, Diagnostic> {
        if let Some(builtin) = BUILTIN.iter().find(|b| b.name == spec) {
            return Ok(Source::Builtin(builtin));
        }
        let path = base.join(spec);
        // Present in any form, it is the writer's file: reading it says what is wrong with a
        // folder, a device or a pipe there.
        if std::fs::symlink_metadata(&path).is_ok() {
            return Ok(Source::File(path));
        }
        let names = builtin_names();
        // A word without a folder or an extension was meant as a built-in name.
        let bare = !spec.contains(['/', '\\']) && Path::new(spec).extension().is_none();
        let message = if bare {
            format!(
                "没有名为“{spec}”的内置样式。内置样式：{names}；也可以写样式文件的路径（相对于 report.yaml），例如 styles/本单位.yaml"
            )
        } else {
            format!(
                "样式文件 {} 不存在。请检查路径（相对于 report.yaml），或写内置样式的名称：{names}",
                path.display()
            )
        };
        Err(Diagnostic::error(code::REPORT, at, message))
    }

    pub fn load(&self) -> Result<Style> {
        match self {
            Source::Builtin(builtin) => {
                let parse = || {
                    let origin = PathBuf::from(format!("<内置样式 {}>", builtin.name));
                    yaml::from_str(builtin.yaml, yaml::Origin::file(&origin))
                };
                // Read once a process: a build of many reports, and the font advice that
                // looks at every built-in style, would read each again for every report.
                static PARSED: [OnceLock<Option<Style>>; BUILTIN.len()] =
                    [const { OnceLock::new() }; BUILTIN.len()];
                let index = BUILTIN.iter().position(|b| b.name == builtin.name);
                match index.and_then(|i| PARSED[i].get_or_init(|| parse().ok()).as_ref()) {
                    Some(style) => Ok(style.clone()),
                    None => parse(),
                }
            }
            Source::File(path) => Style::load(path),
        }
    }

    /// The font map for previews: fonts/fonts.conf beside a style file, else the built-in one.
    pub fn fonts(&self) -> FontMap {
        if let Source::File(path) = self {
            let beside = path.parent().map(|dir| dir.join("fonts/fonts.conf"));
            if let Some(file) = beside.filter(|f| f.is_file()) {
                return FontMap::File(file);
            }
        }
        FontMap::Builtin(match self {
            Source::Builtin(builtin) => builtin.fonts,
            Source::File(_) => DEFAULT.fonts,
        })
    }
}

/// A fontconfig file for previews: one on disk, or one compiled in with a built-in style.
#[derive(Debug, Clone)]
pub enum FontMap {
    File(PathBuf),
    Builtin(&'static str),
}

impl FontMap {
    /// The free face the map puts in each official font's place ("仿宋_GB2312" → "AR PL
    /// UMing CN"), for a preview in a browser: each `<match>` that tests a family and
    /// assigns one. A map that cannot be read gives none (the browser's fallback remains).
    pub fn faces(&self) -> BTreeMap<String, String> {
        let text = match self {
            FontMap::Builtin(text) => (*text).to_string(),
            FontMap::File(path) => match source::read_text(path) {
                Ok(file) => file.text,
                Err(_) => return BTreeMap::new(),
            },
        };
        let Ok(document) = roxmltree::Document::parse_with_options(
            &text,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..roxmltree::ParsingOptions::default()
            },
        ) else {
            return BTreeMap::new();
        };
        let family = |node: roxmltree::Node, tag: &str| {
            node.children()
                .find(|n| n.has_tag_name(tag) && n.attribute("name") == Some("family"))?
                .children()
                .find(|n| n.has_tag_name("string"))?
                .text()
                .map(str::to_string)
        };
        document
            .descendants()
            .filter(|n| n.has_tag_name("match"))
            .filter_map(|m| Some((family(m, "test")?, family(m, "edit")?)))
            .collect()
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Style {
    pub name: String,
    pub page: Page,
    pub grid: Grid,
    /// BCP 47 tag for the East Asian text, e.g. zh-CN.
    pub language: String,
    /// Font for digits and Latin letters (w:ascii, w:hAnsi) in every element that names none
    /// of its own; without it each element's digits are in its own font, as GB/T 9704 has them.
    #[serde(default)]
    pub latin_font: Option<String>,
    /// A face for each font, for a computer that lacks it (the font table's w:altName):
    /// 仿宋_GB2312 → 仿宋 where the GB2312 fonts are not installed.
    #[serde(default)]
    pub font_substitutes: BTreeMap<String, String>,
    pub body: Element,
    pub attachment_label: Element,
    pub title: Element,
    /// Levels 一、 （一） 1. （1）, in that order.
    pub headings: [Element; 4],
    pub table: TableStyle,
    pub footnote: Element,
    pub page_number: PageNumber,
    /// The 部门整体绩效自评表, a landscape table of its own; without this section it takes
    /// the portrait page turned and the table's font.
    #[serde(default)]
    pub score_table: Option<ScoreTableStyle>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScoreTableStyle {
    pub page: Page,
    pub title: Element,
    pub table: TableStyle,
    /// Each column's share of the text block in the indicators, replacing the form's when
    /// it gives as many as the form has columns.
    #[serde(default)]
    pub column_widths: Option<Vec<u32>>,
    /// The same for the header block (部门名称, 预算执行情况, the goals).
    #[serde(default)]
    pub header_column_widths: Option<Vec<u32>>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Page {
    #[serde(deserialize_with = "page_mm")]
    pub width_mm: Decimal,
    #[serde(deserialize_with = "page_mm")]
    pub height_mm: Decimal,
    #[serde(deserialize_with = "margin_mm")]
    pub margin_top_mm: Decimal,
    #[serde(deserialize_with = "margin_mm")]
    pub margin_bottom_mm: Decimal,
    #[serde(deserialize_with = "margin_mm")]
    pub margin_left_mm: Decimal,
    #[serde(deserialize_with = "margin_mm")]
    pub margin_right_mm: Decimal,
    /// From the paper's bottom edge to the bottom of the page-number line.
    #[serde(deserialize_with = "margin_mm")]
    pub footer_mm: Decimal,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    /// Exact line spacing and document grid pitch.
    #[serde(deserialize_with = "line_pitch_pt")]
    pub line_pitch_pt: Decimal,
    /// Added to every character's advance, to fit the standard's characters per line.
    #[serde(deserialize_with = "character_spacing_pt")]
    pub character_spacing_pt: Decimal,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Element {
    /// The font for Chinese (w:eastAsia).
    pub font: String,
    /// Digits and Latin letters, if not in `font` (or the style's `latin_font`).
    #[serde(default)]
    pub latin_font: Option<String>,
    #[serde(deserialize_with = "size_pt")]
    pub size_pt: Decimal,
    #[serde(default)]
    pub bold: bool,
    #[serde(default = "justify")]
    pub align: Align,
    /// First-line indent in characters of this element's size.
    #[serde(default)]
    pub first_line_indent_chars: u8,
    /// Empty lines before the element (the title sits on line 3: label, empty line, title).
    #[serde(default)]
    pub lines_before: u8,
    #[serde(default)]
    pub lines_after: u8,
}

/// A style's number, kept within what Word lays out: a size of -16 pt wrote `w:sz 0`, a
/// negative margin a negative `w:left`, and 1e300 no number at all. Checked while the YAML
/// reader reads the value, so that its error stands at the value.
fn within<'de, D: serde::Deserializer<'de>>(
    d: D,
    what: &'static str,
    range: (i64, i64),
) -> std::result::Result<Decimal, D::Error> {
    d.deserialize_str(Within { what, range })
}

struct Within {
    what: &'static str,
    range: (i64, i64),
}

impl serde::de::Visitor<'_> for Within {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<Decimal, E> {
        let (min, max) = self.range;
        Decimal::from_str_exact(text.trim())
            .ok()
            .filter(|v| (Decimal::from(min)..=Decimal::from(max)).contains(v))
            .ok_or_else(|| E::custom(format!("{}应是 {min} 到 {max} 之间的数", self.what)))
    }
}

/// Named ranges for [`within`], one per kind of number in a style.
macro_rules! ranges {
    ($($name:ident: $what:literal $range:expr;)*) => {
        $(fn $name<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Decimal, D::Error> {
            within(d, $what, $range)
        })*
    };
}

ranges! {
    page_mm: "纸张的宽和高（毫米）" (1, 1000);
    margin_mm: "页边距（毫米）" (0, 500);
    line_pitch_pt: "行距（磅）" (1, 1584);
    character_spacing_pt: "字间距（磅）" (-100, 100);
    size_pt: "字号（磅）" (1, 1638);
    border_pt: "表格线的粗细（磅）" (0, 6);
    cell_margin_pt: "单元格边距（磅）" (0, 100);
}

fn justify() -> Align {
    Align::Justify
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TableStyle {
    pub font: String,
    #[serde(default)]
    pub latin_font: Option<String>,
    #[serde(deserialize_with = "size_pt")]
    pub size_pt: Decimal,
    #[serde(deserialize_with = "border_pt")]
    pub border_pt: Decimal,
    #[serde(default)]
    pub header_bold: bool,
    /// The header row's font for Chinese; the table's font without it.
    #[serde(default)]
    pub header_font: Option<String>,
    /// "表1 …" above the table.
    #[serde(default = "table_title")]
    pub title: Element,
    /// "单位：万元" between the title and the table.
    #[serde(default = "table_unit")]
    pub unit: Element,
    /// Space between a cell's text and its left and right rules.
    #[serde(deserialize_with = "cell_margin_pt", default = "word_cell_margin")]
    pub cell_margin_x_pt: Decimal,
    /// Space above and below a cell's text, so characters do not touch the rules.
    #[serde(deserialize_with = "cell_margin_pt", default)]
    pub cell_margin_y_pt: Decimal,
    /// Exact line spacing of the cells' text, so that a row's height is known before Word
    /// lays it out; single spacing without it.
    #[serde(deserialize_with = "cell_line_pt", default)]
    pub line_pt: Option<Decimal>,
}

fn cell_line_pt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Decimal>, D::Error> {
    line_pitch_pt(d).map(Some)
}

impl TableStyle {
    pub fn header_font(&self) -> &str {
        self.header_font.as_deref().unwrap_or(&self.font)
    }
}

fn table_title() -> Element {
    caption("黑体", 16, Align::Center)
}

fn table_unit() -> Element {
    caption("仿宋_GB2312", 14, Align::Right)
}

fn caption(font: &str, size_pt: i64, align: Align) -> Element {
    Element {
        font: font.into(),
        latin_font: None,
        size_pt: Decimal::from(size_pt),
        bold: false,
        align,
        first_line_indent_chars: 0,
        lines_before: 0,
        lines_after: 0,
    }
}

/// Word's default left and right cell margin, 0.19 cm (108 twips).
fn word_cell_margin() -> Decimal {
    Decimal::new(54, 1)
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PageNumber {
    pub font: String,
    #[serde(default)]
    pub latin_font: Option<String>,
    #[serde(deserialize_with = "size_pt")]
    pub size_pt: Decimal,
    /// The 一字线 on each side of the number: "— 1 —".
    pub dash: String,
    /// Distance from the text block's outer edge, in characters of this size.
    pub indent_chars: u8,
    /// Where the number stands on odd pages (GB/T 9704 7.5: right) and on even ones (left):
    /// `left`, `center` or `right`; the inset is kept from the side it stands on.
    #[serde(default = "right")]
    pub odd_pages: Align,
    #[serde(default = "left")]
    pub even_pages: Align,
}

fn right() -> Align {
    Align::Right
}

fn left() -> Align {
    Align::Left
}

impl Style {
    pub fn load(path: &Path) -> Result<Style> {
        Style::parse(&source::read_text(path)?)
    }

    pub fn parse(file: &source::SourceFile) -> Result<Style> {
        // A `样式` naming some other kind of file (a private one) must not have its
        // content repeated in the error.
        let shown = file
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        let (mut style, positions): (Style, _) =
            yaml::parse(&file.text, yaml::Origin::file(&file.path))
                .map_err(|e| e.with_line(|at| file.line(at.line).filter(|_| shown)))?;
        style.keep_xml_chars();
        style.check_pages(&positions)?;
        Ok(style)
    }

    /// Each page's margins leave room for the text: an error at the second margin of a pair
    /// that meets or passes the paper's edge.
    fn check_pages(&self, positions: &yaml::Positions) -> Result<()> {
        let pages = [
            Some(("page", &self.page)),
            self.score_table.as_ref().map(|t| ("score_table", &t.page)),
        ];
        for (key, page) in pages.into_iter().flatten() {
            let pairs = [
                (
                    page.margin_left_mm + page.margin_right_mm,
                    page.width_mm,
                    "margin_right_mm",
                    "左右页边距之和应小于纸张宽度",
                ),
                (
                    page.margin_top_mm + page.margin_bottom_mm,
                    page.height_mm,
                    "margin_bottom_mm",
                    "上下页边距之和应小于纸张高度",
                ),
            ];
            if let Some((.., field, said)) = pairs.iter().find(|(sum, side, ..)| sum >= side) {
                let path = if key == "page" {
                    vec!["page", field]
                } else {
                    vec![key, "page", field]
                };
                let at = positions.at(&path);
                return Err(crate::diag::Error::invalid(
                    code::REPORT,
                    at,
                    format!("{said}，否则正文没有位置。请改小页边距。"),
                ));
            }
        }
        Ok(())
    }

    /// Every name the parts will carry, without characters XML forbids (docx-rs writes most
    /// of them, and escapes but does not drop).
    fn keep_xml_chars(&mut self) {
        let table = &mut self.table;
        let elements = [&mut self.body, &mut self.attachment_label, &mut self.title]
            .into_iter()
            .chain(&mut self.headings)
            .chain([&mut self.footnote, &mut table.title, &mut table.unit]);
        let mut names = vec![
            &mut table.font,
            &mut self.page_number.font,
            &mut self.page_number.dash,
            &mut self.name,
            &mut self.language,
        ];
        let mut latin = vec![
            &mut self.latin_font,
            &mut table.latin_font,
            &mut table.header_font,
            &mut self.page_number.latin_font,
        ];
        for element in elements {
            names.push(&mut element.font);
            latin.push(&mut element.latin_font);
        }
        let substitutes = self.font_substitutes.values_mut();
        for text in names
            .into_iter()
            .chain(latin.into_iter().flatten())
            .chain(substitutes)
        {
            *text = source::keep_xml_chars(text);
        }
    }

    /// The font for digits and Latin letters of an element with Chinese font `font` and its
    /// own `latin` choice.
    pub fn latin<'a>(&'a self, font: &'a str, latin: Option<&'a str>) -> &'a str {
        latin.or(self.latin_font.as_deref()).unwrap_or(font)
    }

    /// Every font the style names, Chinese and Latin, in name order.
    pub fn fonts(&self) -> std::collections::BTreeSet<&str> {
        self.font_uses().into_iter().map(|(_, font)| font).collect()
    }

    /// Each element's fonts, Chinese then Latin, by the element's name as a writer knows it
    /// (正文, 标题, 一级标题 …), in the document's order; a font appears once per element.
    pub fn font_uses(&self) -> Vec<(&'static str, &str)> {
        let score_table = self.score_table.as_ref();
        let mut elements: Vec<(&'static str, &str, Option<&str>)> = vec![
            (
                "附件标识",
                &self.attachment_label.font,
                self.attachment_label.latin_font.as_deref(),
            ),
            ("标题", &self.title.font, self.title.latin_font.as_deref()),
        ];
        let levels = ["一级标题", "二级标题", "三级标题", "四级标题"];
        for (name, heading) in levels.into_iter().zip(&self.headings) {
            elements.push((name, &heading.font, heading.latin_font.as_deref()));
        }
        let table = &self.table;
        elements.extend([
            (
                "正文",
                self.body.font.as_str(),
                self.body.latin_font.as_deref(),
            ),
            (
                "表格标题",
                &table.title.font,
                table.title.latin_font.as_deref(),
            ),
            (
                "表格单位",
                &table.unit.font,
                table.unit.latin_font.as_deref(),
            ),
            ("表格", &table.font, table.latin_font.as_deref()),
            ("表头", table.header_font(), table.latin_font.as_deref()),
            (
                "脚注",
                &self.footnote.font,
                self.footnote.latin_font.as_deref(),
            ),
            (
                "页码",
                &self.page_number.font,
                self.page_number.latin_font.as_deref(),
            ),
        ]);
        if let Some(s) = score_table {
            elements.extend([
                (
                    "自评表标题",
                    s.title.font.as_str(),
                    s.title.latin_font.as_deref(),
                ),
                ("自评表", &s.table.font, s.table.latin_font.as_deref()),
                (
                    "自评表表头",
                    s.table.header_font(),
                    s.table.latin_font.as_deref(),
                ),
            ]);
        }
        let mut uses = Vec::new();
        for (name, font, latin) in elements {
            uses.push((name, font));
            let latin = self.latin(font, latin);
            if latin != font {
                uses.push((name, latin));
            }
        }
        uses
    }

    /// The 自评表's layout: its own section, or the portrait page turned, each margin
    /// keeping its edge of the paper (the table's head at the 订口), with the table font.
    pub fn score_table(&self) -> ScoreTableStyle {
        if let Some(score_table) = &self.score_table {
            return score_table.clone();
        }
        let p = &self.page;
        ScoreTableStyle {
            page: Page {
                width_mm: p.height_mm,
                height_mm: p.width_mm,
                margin_top_mm: p.margin_left_mm,
                margin_bottom_mm: p.margin_right_mm,
                margin_left_mm: p.margin_top_mm,
                margin_right_mm: p.margin_bottom_mm,
                footer_mm: p.footer_mm,
            },
            title: self.title.clone(),
            table: self.table.clone(),
            column_widths: None,
            header_column_widths: None,
        }
    }
}

fn round(value: Decimal) -> i32 {
    value
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .try_into()
        .unwrap_or(i32::MAX)
}

/// Word's length unit: 1/20 pt, 1440 to the inch.
pub fn twips_from_mm(mm: Decimal) -> i32 {
    round(mm * Decimal::from(1440) / Decimal::new(254, 1))
}

pub fn twips_from_pt(pt: Decimal) -> i32 {
    round(pt * Decimal::from(20))
}

/// Word's border-width unit.
pub fn eighth_points(pt: Decimal) -> usize {
    usize::try_from(round(pt * Decimal::from(8))).unwrap_or(0)
}

/// Word's font-size unit.
pub fn half_points(pt: Decimal) -> usize {
    usize::try_from(round(pt * Decimal::from(2))).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_style_loads_and_names_resolve() {
        let here = Path::new(".");
        let at = Location::new("report.yaml", 4, 5);
        let source = Source::named("gbt9704", here, at.clone()).unwrap();
        assert_eq!(source.load().unwrap().page.margin_top_mm, Decimal::from(37));
        let wrong = Source::named("gb9704", here, at.clone()).unwrap_err();
        assert_eq!((wrong.code, &wrong.location), (code::REPORT, &at));
        assert!(wrong.message.contains("内置样式：gbt9704"), "{wrong}");
        let missing = Source::named("styles/无.yaml", here, at).unwrap_err();
        assert!(missing.message.contains("样式文件"), "{missing}");
    }

    /// The variants are gbt9704 with other font names: nothing of the layout may drift.
    #[test]
    fn the_font_variants_differ_from_gbt9704_in_fonts_only() {
        let load = |name: &str| {
            let source = Source::named(name, Path::new("."), Location::new("report.yaml", 1, 1));
            source.unwrap().load().unwrap()
        };
        let mut base = load("gbt9704");
        base.font_substitutes.clear();
        let renames: [(&str, &[(&str, &str)]); 2] = [
            (
                "windows",
                &[
                    ("仿宋_GB2312", "仿宋"),
                    ("楷体_GB2312", "楷体"),
                    ("方正小标宋简体", "宋体"),
                ],
            ),
            (
                "fzgbk",
                &[
                    ("仿宋_GB2312", "方正仿宋_GBK"),
                    ("楷体_GB2312", "方正楷体_GBK"),
                    ("黑体", "方正黑体_GBK"),
                    ("方正小标宋简体", "方正小标宋_GBK"),
                ],
            ),
        ];
        for (name, renames) in renames {
            let mut variant = load(name);
            assert!(
                variant.fonts().iter().all(|f| !f.contains("_GB2312")),
                "{name}"
            );
            variant.name = base.name.clone();
            variant.font_substitutes.clear();
            // The Windows style sets its 小标宋 substitute in bold.
            if name == "windows" {
                variant.title.bold = false;
                if let Some(s) = variant.score_table.as_mut() {
                    s.title.bold = false;
                }
            }
            let mut expected = format!("{base:?}");
            for (from, to) in renames {
                expected = expected.replace(&format!("\"{from}\""), &format!("\"{to}\""));
            }
            assert_eq!(format!("{variant:?}"), expected, "{name}");
        }
    }

    #[test]
    fn gbt9704_page_in_twips() {
        let mm = |v: i64| twips_from_mm(Decimal::from(v));
        assert_eq!((mm(210), mm(297)), (11906, 16838));
        assert_eq!((mm(37), mm(35), mm(28), mm(26)), (2098, 1984, 1587, 1474));
        assert_eq!(twips_from_pt(Decimal::new(2895, 2)), 579);
        assert_eq!(half_points(Decimal::from(16)), 32);
    }
}

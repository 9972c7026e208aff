//! Layout definitions (styles/*.yaml): every number the docx writer uses lives there.
//! This module reads them and converts units; it decides nothing about layout itself.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

use crate::error::Result;
use crate::source;
use crate::yaml;

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
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Page {
    #[serde(with = "rust_decimal::serde::str")]
    pub width_mm: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub height_mm: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub margin_top_mm: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub margin_bottom_mm: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub margin_left_mm: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub margin_right_mm: Decimal,
    /// From the paper's bottom edge to the bottom of the page-number line.
    #[serde(with = "rust_decimal::serde::str")]
    pub footer_mm: Decimal,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    /// Exact line spacing and document grid pitch.
    #[serde(with = "rust_decimal::serde::str")]
    pub line_pitch_pt: Decimal,
    /// Added to every character's advance, to fit the standard's characters per line.
    #[serde(with = "rust_decimal::serde::str")]
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
    #[serde(with = "rust_decimal::serde::str")]
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

fn justify() -> Align {
    Align::Justify
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TableStyle {
    pub font: String,
    #[serde(default)]
    pub latin_font: Option<String>,
    #[serde(with = "rust_decimal::serde::str")]
    pub size_pt: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
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
    #[serde(with = "rust_decimal::serde::str", default = "word_cell_margin")]
    pub cell_margin_x_pt: Decimal,
    /// Space above and below a cell's text, so characters do not touch the rules.
    #[serde(with = "rust_decimal::serde::str", default)]
    pub cell_margin_y_pt: Decimal,
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
    #[serde(with = "rust_decimal::serde::str")]
    pub size_pt: Decimal,
    /// The 一字线 on each side of the number: "— 1 —".
    pub dash: String,
    /// Distance from the text block's outer edge, in characters of this size.
    pub indent_chars: u8,
}

impl Style {
    pub fn load(path: &Path) -> Result<Style> {
        let file = source::read_text(path)?;
        yaml::from_str(&file.text, yaml::Origin::file(path))
    }

    /// The font for digits and Latin letters of an element with Chinese font `font` and its
    /// own `latin` choice.
    pub fn latin<'a>(&'a self, font: &'a str, latin: Option<&'a str>) -> &'a str {
        latin.or(self.latin_font.as_deref()).unwrap_or(font)
    }

    /// Every font the style names, Chinese and Latin, in name order.
    pub fn fonts(&self) -> std::collections::BTreeSet<&str> {
        let elements = [
            &self.body,
            &self.attachment_label,
            &self.title,
            &self.footnote,
        ]
        .into_iter()
        .chain(&self.headings)
        .map(|e| (e.font.as_str(), e.latin_font.as_deref()));
        let others = [
            (self.table.font.as_str(), self.table.latin_font.as_deref()),
            (self.table.header_font(), self.table.latin_font.as_deref()),
            (
                self.page_number.font.as_str(),
                self.page_number.latin_font.as_deref(),
            ),
        ];
        elements
            .chain(others)
            .flat_map(|(font, latin)| [font, self.latin(font, latin)])
            .collect()
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
    fn gbt9704_page_in_twips() {
        let mm = |v: i64| twips_from_mm(Decimal::from(v));
        assert_eq!((mm(210), mm(297)), (11906, 16838));
        assert_eq!((mm(37), mm(35), mm(28), mm(26)), (2098, 1984, 1587, 1474));
        assert_eq!(twips_from_pt(Decimal::new(2895, 2)), 579);
        assert_eq!(half_points(Decimal::from(16)), 32);
    }
}

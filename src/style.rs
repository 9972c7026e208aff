//! Layout definitions (styles/*.yaml): every number the docx writer uses lives there.
//! This module reads them and converts units; it decides nothing about layout itself.

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
    /// Font for Latin letters and digits; the element's font covers Chinese.
    pub latin_font: String,
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
    pub font: String,
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
    #[serde(with = "rust_decimal::serde::str")]
    pub size_pt: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub border_pt: Decimal,
    #[serde(default)]
    pub header_bold: bool,
    /// Space between a cell's text and its left and right rules.
    #[serde(with = "rust_decimal::serde::str", default = "word_cell_margin")]
    pub cell_margin_x_pt: Decimal,
    /// Space above and below a cell's text, so characters do not touch the rules.
    #[serde(with = "rust_decimal::serde::str", default)]
    pub cell_margin_y_pt: Decimal,
}

/// Word's default left and right cell margin, 0.19 cm (108 twips).
fn word_cell_margin() -> Decimal {
    Decimal::new(54, 1)
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PageNumber {
    pub font: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub size_pt: Decimal,
    /// The 一字线 on each side of the number: "— 1 —".
    pub dash: String,
    /// Distance from the text block's outer edge, in characters of this size.
    pub indent_chars: u8,
}

impl Style {
    pub fn load(path: &Path) -> Result<Style> {
        Style::parse(&source::read_text(path)?)
    }

    pub fn parse(file: &source::SourceFile) -> Result<Style> {
        let mut style: Style = yaml::from_str(&file.text, yaml::Origin::file(&file.path))?;
        style.keep_xml_chars();
        Ok(style)
    }

    /// Every name the parts will carry, without characters XML forbids (docx-rs writes most
    /// of them, and escapes but does not drop).
    fn keep_xml_chars(&mut self) {
        let elements = [&mut self.body, &mut self.attachment_label, &mut self.title]
            .into_iter()
            .chain(&mut self.headings)
            .chain([&mut self.footnote]);
        let fonts = elements.map(|element| &mut element.font).chain([
            &mut self.table.font,
            &mut self.page_number.font,
            &mut self.page_number.dash,
            &mut self.name,
            &mut self.language,
            &mut self.latin_font,
        ]);
        for text in fonts {
            *text = crate::xml::keep_xml_chars(text);
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
    fn gbt9704_page_in_twips() {
        let mm = |v: i64| twips_from_mm(Decimal::from(v));
        assert_eq!((mm(210), mm(297)), (11906, 16838));
        assert_eq!((mm(37), mm(35), mm(28), mm(26)), (2098, 1984, 1587, 1474));
        assert_eq!(twips_from_pt(Decimal::new(2895, 2)), 579);
        assert_eq!(half_points(Decimal::from(16)), 32);
    }
}

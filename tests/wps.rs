//! What Word and WPS read differently, asserted on the XML of every kind of output: WPS takes
//! table widths from w:gridCol, Word from w:tblW and w:tcW, so the three must agree.

mod common;

use common::{Package, W};

/// The report of a generated long report (tables of every kind), and the sample's report and
/// 自评表.
fn packages() -> (Vec<tempfile::TempDir>, Vec<(String, Package)>) {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long");
    let output = common::gongwen(&["generate", long.to_str().unwrap(), "--copies", "1"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let (long_out, long_package) = common::build(&long);
    let (sample_out, sample) = common::build(&common::repo().join("content"));
    let score_table = Package::open(&sample_out.path().join("out-自评表.docx"));
    let packages = vec![
        ("long report".to_string(), long_package),
        ("sample".to_string(), sample),
        ("自评表".to_string(), score_table),
    ];
    (vec![dir, long_out, sample_out], packages)
}

fn dxa(node: Option<roxmltree::Node<'_, '_>>, what: &str) -> i64 {
    let node = node.unwrap_or_else(|| panic!("no {what}"));
    assert_eq!(
        node.attribute((W, "type")),
        Some("dxa"),
        "{what} not in dxa"
    );
    node.attribute((W, "w")).unwrap().parse().unwrap()
}

fn children<'a>(
    node: roxmltree::Node<'a, 'a>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'a>> {
    node.children().filter(move |n| n.has_tag_name((W, name)))
}

fn first<'a>(node: roxmltree::Node<'a, 'a>, name: &'static str) -> Option<roxmltree::Node<'a, 'a>> {
    children(node, name).next()
}

#[test]
fn every_table_has_consistent_widths_a_fixed_layout_and_borders_per_cell() {
    let (_dirs, packages) = packages();
    let mut tables = 0;
    for (name, package) in &packages {
        let doc = roxmltree::Document::parse(package.part("word/document.xml")).unwrap();
        for table in doc.descendants().filter(|n| n.has_tag_name((W, "tbl"))) {
            tables += 1;
            let properties = first(table, "tblPr").expect("tblPr");
            let layout = first(properties, "tblLayout");
            assert_eq!(
                layout.and_then(|l| l.attribute((W, "type"))),
                Some("fixed"),
                "{name}"
            );
            let grid: Vec<i64> = children(first(table, "tblGrid").expect("tblGrid"), "gridCol")
                .map(|c| c.attribute((W, "w")).unwrap().parse().unwrap())
                .collect();
            assert!(grid.iter().all(|w| *w > 0), "{name}: {grid:?}");
            let width = dxa(first(properties, "tblW"), "tblW");
            assert_eq!(
                width,
                grid.iter().sum::<i64>(),
                "{name}: tblW against gridCol"
            );
            for row in children(table, "tr") {
                let mut column = 0;
                for cell in children(row, "tc") {
                    let cell_properties = first(cell, "tcPr").expect("tcPr");
                    let span: usize = first(cell_properties, "gridSpan")
                        .map_or(1, |s| s.attribute((W, "val")).unwrap().parse().unwrap());
                    let spanned: i64 = grid[column..column + span].iter().sum();
                    let tc_width = dxa(first(cell_properties, "tcW"), "tcW");
                    assert_eq!(tc_width, spanned, "{name}: tcW of column {column}");
                    column += span;
                    let borders = first(cell_properties, "tcBorders").expect("tcBorders");
                    for side in ["top", "left", "bottom", "right"] {
                        assert!(first(borders, side).is_some(), "{name}: no {side} border");
                    }
                }
                assert_eq!(column, grid.len(), "{name}: a row does not fill the grid");
            }
        }
    }
    assert!(tables >= 3, "{tables} tables");
}

/// The style a paragraph or run names, its based-on chain followed, to the first rFonts.
fn style_fonts<'a>(
    styles: &'a roxmltree::Document<'a>,
    id: &str,
) -> Option<roxmltree::Node<'a, 'a>> {
    let mut id = id.to_string();
    for _ in 0..16 {
        let style = styles.descendants().find(|n| {
            n.has_tag_name((W, "style")) && n.attribute((W, "styleId")) == Some(id.as_str())
        })?;
        if let Some(fonts) = style.descendants().find(|n| n.has_tag_name((W, "rFonts"))) {
            return Some(fonts);
        }
        id = first(style, "basedOn")?.attribute((W, "val"))?.to_string();
    }
    None
}

/// East Asian either by the hint or by the CJK font in all four slots.
fn east_asian(fonts: roxmltree::Node<'_, '_>) -> bool {
    let slots = ["ascii", "hAnsi", "eastAsia", "cs"].map(|s| fonts.attribute((W, s)));
    let same = slots.iter().all(|s| s.is_some() && *s == slots[2]);
    fonts.attribute((W, "hint")) == Some("eastAsia") || same
}

const AMBIGUOUS: [char; 7] = ['“', '”', '‘', '’', '—', '…', '·'];

#[test]
fn runs_of_ambiguous_width_characters_and_the_page_numbers_dashes_are_east_asian() {
    let (_dirs, packages) = packages();
    let mut runs = 0;
    for (name, package) in &packages {
        let styles = roxmltree::Document::parse(package.part("word/styles.xml")).unwrap();
        let parts = package
            .parts
            .iter()
            .filter(|(p, _)| *p == "word/document.xml" || p.starts_with("word/footer"));
        for (part, xml) in parts {
            let doc = roxmltree::Document::parse(xml).unwrap();
            for run in doc.descendants().filter(|n| n.has_tag_name((W, "r"))) {
                let text: String = children(run, "t").filter_map(|t| t.text()).collect();
                if !text.contains(AMBIGUOUS) {
                    continue;
                }
                runs += 1;
                let own = first(run, "rPr").and_then(|p| first(p, "rFonts"));
                let paragraph_style = run
                    .ancestors()
                    .find(|n| n.has_tag_name((W, "p")))
                    .and_then(|p| first(p, "pPr"))
                    .and_then(|p| first(p, "pStyle"))
                    .and_then(|s| s.attribute((W, "val")));
                let fonts = own.or_else(|| style_fonts(&styles, paragraph_style?));
                assert!(
                    fonts.is_some_and(east_asian),
                    "{name} {part}: “{text}” is not said East Asian"
                );
                if part.starts_with("word/footer") {
                    // The page number's dashes say so on their own run.
                    assert!(own.is_some_and(east_asian), "{name} {part}: {text}");
                }
            }
        }
    }
    assert!(runs > 10, "{runs} runs");
}

#[test]
fn the_theme_names_no_font_the_document_lacks_its_language_is_chinese_and_no_comments_part_is_empty()
 {
    let (_dirs, packages) = packages();
    for (name, package) in &packages {
        let table = package.part("word/fontTable.xml");
        let theme = package.part("word/theme/theme1.xml");
        let doc = roxmltree::Document::parse(theme).unwrap();
        const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
        // Script entries (<a:font script="Jpan" typeface="ＭＳ 明朝"/>) are what WPS asks for.
        assert!(
            !doc.descendants().any(|n| n.has_tag_name((A, "font"))),
            "{name}"
        );
        for face in doc.descendants().filter_map(|n| n.attribute("typeface")) {
            let named = face.is_empty() || table.contains(&format!("w:name=\"{face}\""));
            assert!(named, "{name}: the theme names {face}");
        }
        let settings = roxmltree::Document::parse(package.part("word/settings.xml")).unwrap();
        let lang = settings
            .descendants()
            .find(|n| n.has_tag_name((W, "themeFontLang")));
        let east_asia = lang.and_then(|l| l.attribute((W, "eastAsia")));
        assert_eq!(east_asia, Some("zh-CN"), "{name}: themeFontLang");
        for (part, xml) in &package.parts {
            if part.contains("comments") {
                assert!(xml.contains("<w:comment "), "{name}: {part} is empty");
            }
        }
    }
}

#[test]
fn body_lines_come_from_exact_spacing_and_what_the_grid_would_fight_is_off_it() {
    let (_dirs, packages) = packages();
    let (_, sample) = &packages[1];
    let styles = roxmltree::Document::parse(sample.part("word/styles.xml")).unwrap();
    let spacing = styles
        .descendants()
        .find(|n| n.has_tag_name((W, "pPrDefault")))
        .and_then(|d| d.descendants().find(|n| n.has_tag_name((W, "spacing"))))
        .expect("default spacing");
    // 28.95 pt: 22 lines fill the text block without the grid.
    assert_eq!(spacing.attribute((W, "lineRule")), Some("exact"));
    assert_eq!(spacing.attribute((W, "line")), Some("579"));
    for id in ["Title", "TableText", "FootnoteText"] {
        let style = sample.style(&styles, id);
        let snap = style
            .descendants()
            .find(|n| n.has_tag_name((W, "snapToGrid")));
        assert_eq!(
            snap.and_then(|s| s.attribute((W, "val"))),
            Some("false"),
            "{id} is on the grid"
        );
    }
}

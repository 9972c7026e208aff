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

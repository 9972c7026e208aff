//! What the .docx writer adds to docx-rs's parts, read back from the package (zip + roxmltree,
//! no LibreOffice): each fix is there, every id is unique, every part is in schema order.

mod common;

use std::collections::HashSet;
use std::path::Path;

use common::{Package, W, attr, child};
use gongwen::input::style::Style;
use roxmltree::{Document, Node};

const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const W14: &str = "http://schemas.microsoft.com/office/word/2010/wordml";

fn gbt9704() -> Style {
    Style::load(&common::repo().join("styles/gbt9704.yaml")).unwrap()
}

/// A copy of the sample report, with the 自评表 at its end and two footnotes in its first
/// section.
fn sample_with_appendix(dir: &Path) {
    let content = common::repo().join("content");
    for entry in std::fs::read_dir(&content).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    let yaml = dir.join("report.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{text}自评表: 附在文末\n")).unwrap();
    let section = dir.join("01-基本情况.md");
    let text = std::fs::read_to_string(&section).unwrap();
    std::fs::write(
        &section,
        format!("{text}\n脚注甲[^1]，脚注乙[^2]。\n\n[^1]: 甲。\n\n[^2]: 乙。\n"),
    )
    .unwrap();
}

fn build(report: &Path, out: &Path) -> Package {
    let output = common::gongwen(&[
        "build",
        report.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "build failed: {}",
        common::stderr(&output)
    );
    Package::open(out)
}

fn w<'a>(node: Node<'a, 'a>, name: &str) -> Vec<Node<'a, 'a>> {
    node.children()
        .filter(|n| n.has_tag_name((W, name)))
        .collect()
}

#[test]
fn the_styles_carry_lang_overflow_punct_first_line_chars_and_the_footnote_reference() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report");
    std::fs::create_dir(&report).unwrap();
    sample_with_appendix(&report);
    let docx = build(&report, &dir.path().join("r.docx"));
    let style = gbt9704();
    let styles = Document::parse(docx.part("word/styles.xml")).unwrap();
    let root = styles.root_element();
    let defaults = w(root, "docDefaults")[0];
    let run = w(w(defaults, "rPrDefault")[0], "rPr")[0];
    let lang = w(run, "lang");
    assert_eq!(lang.len(), 1);
    assert_eq!(
        lang[0].attribute((W, "eastAsia")),
        Some(style.language.as_str())
    );
    let paragraph = w(w(defaults, "pPrDefault")[0], "pPr")[0];
    assert_eq!(
        attr(child(paragraph, "overflowPunct"), "val").as_deref(),
        Some("0")
    );
    let paragraph_styles: Vec<Node> = w(root, "style")
        .into_iter()
        .filter(|s| s.attribute((W, "type")) == Some("paragraph"))
        .collect();
    assert!(paragraph_styles.len() > 10);
    for s in &paragraph_styles {
        let ppr = w(*s, "pPr");
        let punct = ppr
            .first()
            .map(|p| w(*p, "overflowPunct"))
            .unwrap_or_default();
        assert_eq!(punct.len(), 1, "{:?}", s.attribute((W, "styleId")));
        assert_eq!(punct[0].attribute((W, "val")), Some("0"));
    }
    let indents = std::iter::once(("BodyText".to_string(), &style.body)).chain(
        style
            .headings
            .iter()
            .enumerate()
            .map(|(i, h)| (format!("Heading{}", i + 1), h)),
    );
    for (id, element) in indents {
        let ind = child(docx.style(&styles, &id), "ind");
        let chars = u32::from(element.first_line_indent_chars) * 100;
        let expected = (chars > 0).then(|| chars.to_string());
        assert_eq!(attr(ind, "firstLineChars"), expected, "{id}");
    }
    let reference = docx.style(&styles, "FootnoteReference");
    assert_eq!(
        attr(child(reference, "vertAlign"), "val").as_deref(),
        Some("superscript")
    );
}

#[test]
fn the_appendix_ends_the_report_in_a_landscape_section() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report");
    std::fs::create_dir(&report).unwrap();
    sample_with_appendix(&report);
    let docx = build(&report, &dir.path().join("r.docx"));
    let document = Document::parse(docx.part("word/document.xml")).unwrap();
    let body = w(document.root_element(), "body")[0];
    let size = |section: Node| {
        let pg = w(section, "pgSz")[0];
        let n = |a| pg.attribute((W, a)).unwrap().parse::<u32>().unwrap();
        (
            n("w"),
            n("h"),
            pg.attribute((W, "orient")).map(str::to_string),
        )
    };
    let sections: Vec<Node> = document
        .descendants()
        .filter(|n| n.has_tag_name((W, "sectPr")))
        .collect();
    assert_eq!(sections.len(), 2);
    let (portrait, landscape) = (sections[0], sections[1]);
    // The report's own section closes in a paragraph; the body's last child is the table's.
    assert!(portrait.parent().unwrap().has_tag_name((W, "pPr")));
    assert_eq!(body.last_element_child(), Some(landscape));
    let (pw, ph, po) = size(portrait);
    assert!(pw < ph && po.is_none(), "{pw}×{ph}");
    let (lw, lh, lo) = size(landscape);
    assert_eq!((lw, lh, lo.as_deref()), (ph, pw, Some("landscape")));
    let page = &gbt9704().score_table().page;
    let margin = w(landscape, "pgMar")[0];
    let twips = |mm| gongwen::input::style::twips_from_mm(mm).to_string();
    assert_eq!(
        margin.attribute((W, "top")),
        Some(twips(page.margin_top_mm).as_str())
    );
    assert_eq!(
        margin.attribute((W, "left")),
        Some(twips(page.margin_left_mm).as_str())
    );
    // Both sections number their pages with the same footers.
    for section in sections {
        let ids: Vec<&str> = w(section, "footerReference")
            .iter()
            .map(|f| f.attribute((R, "id")).unwrap())
            .collect();
        assert_eq!(ids, ["rIdFooter1", "rIdFooter2"]);
    }
    let rels = docx.part("word/_rels/document.xml.rels");
    for (id, target) in [("rIdFooter1", "footer1.xml"), ("rIdFooter2", "footer2.xml")] {
        assert!(
            rels.contains(&format!(
                "Id=\"{id}\" Type=\"{R}/footer\" Target=\"{target}\""
            )),
            "{rels}"
        );
    }
    // The table is in the document, after the report's last section break.
    let text: String = landscape
        .prev_siblings()
        .take_while(|n| !n.descendants().any(|d| d == portrait))
        .flat_map(|n| n.descendants().filter_map(|d| d.text()).collect::<Vec<_>>())
        .collect();
    assert!(
        text.contains("部门整体绩效自评表") || text.contains("自评表"),
        "{text}"
    );
}

/// Ids of `name` elements in `xml`, by `attribute` in `namespace`.
fn ids(xml: &str, name: &str, namespace: &str, attribute: &str) -> Vec<String> {
    Document::parse(xml)
        .unwrap()
        .descendants()
        .filter(|n| n.has_tag_name((W, name)))
        .filter_map(|n| n.attribute((namespace, attribute)).map(str::to_string))
        .collect()
}

fn assert_unique(ids: &[String], what: &str) {
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{what}: {ids:?}");
}

#[test]
fn every_id_is_unique_and_every_part_in_schema_order_in_the_report_its_table_and_a_redline() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    for report in [&old, &new] {
        std::fs::create_dir(report).unwrap();
        sample_with_appendix(report);
    }
    let section = new.join("02-部门自评工作开展情况.md");
    let text = std::fs::read_to_string(&section).unwrap();
    std::fs::write(&section, format!("{text}\n新增的一段，说明修订。\n")).unwrap();
    let first = new.join("01-基本情况.md");
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(&first, text.replacen("。", "，并已整改。", 3)).unwrap();
    let report = build(&new, &dir.path().join("r.docx"));
    let table = Package::open(&dir.path().join("r-自评表.docx"));
    let redline_path = dir.path().join("修订稿.docx");
    let output = common::gongwen(&[
        "redline",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "-o",
        redline_path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let redline = Package::open(&redline_path);

    for (label, docx) in [("报告", &report), ("自评表", &table), ("修订稿", &redline)] {
        let document = docx.part("word/document.xml");
        let mut paragraphs = ids(document, "p", W14, "paraId");
        for footer in ["word/footer1.xml", "word/footer2.xml"] {
            paragraphs.extend(ids(docx.part(footer), "p", W14, "paraId"));
        }
        assert!(!paragraphs.is_empty(), "{label}");
        assert_unique(&paragraphs, &format!("{label} w14:paraId"));
        let mut changes = ids(document, "ins", W, "id");
        changes.extend(ids(document, "del", W, "id"));
        assert_unique(&changes, &format!("{label} w:ins/w:del"));
        if label == "修订稿" {
            assert!(!changes.is_empty(), "the redline has no tracked change");
        }
        if label != "自评表" {
            let references = ids(document, "footnoteReference", W, "id");
            assert_eq!(references.len(), 2, "{label}");
            assert_unique(&references, &format!("{label} footnote references"));
            let notes = ids(docx.part("word/footnotes.xml"), "footnote", W, "id");
            assert_unique(&notes, &format!("{label} footnotes"));
            for reference in &references {
                assert!(
                    notes.contains(reference),
                    "{label}: no footnote {reference}"
                );
            }
        }
        for (name, xml) in &docx.parts {
            if name.starts_with("word/") && name.ends_with(".xml") && !name.contains("theme") {
                let found = gongwen::render::docx::misordered(xml.as_bytes()).unwrap();
                assert!(found.is_empty(), "{label} {name}: {found:?}");
            }
        }
    }
}

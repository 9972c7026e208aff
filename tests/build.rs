//! `gongwen build` on the sample report: what a reviewer sees in the produced .docx.

mod common;

use common::{Package, W, attr, child};
use gongwen::input::style::{self, Style};

fn sample() -> (tempfile::TempDir, Package) {
    common::build(&common::repo().join("content"))
}

fn gbt9704() -> Style {
    Style::load(&common::repo().join("styles/gbt9704.yaml")).unwrap()
}

const SAMPLE_HEADINGS: &[(u8, &str)] = &[
    (1, "一、基本情况"),
    (1, "二、部门自评工作开展情况"),
    (2, "（一）成立部门自评小组"),
    (2, "（二）绩效评价自评范围和内容"),
    (3, "1.部门自评范围"),
    (3, "2.部门自评内容"),
    (2, "（三）绩效自评工作开展情况"),
    (1, "三、部门整体绩效目标完成情况"),
    (2, "（一）运行成本指标完成情况"),
    (3, "1.公用经费控制率"),
    (3, "2.在职人员控制率"),
    (3, "3.项目支出成本控制指标分析"),
    (4, "（1）会议费控制率"),
    (4, "（2）“三公”经费控制率"),
    (2, "（二）管理效率指标完成情况"),
    (3, "1.战略管理指标分析"),
    (4, "（1）中长期规划相符性"),
    (4, "（2）工作计划健全性"),
    (3, "2.预算编制指标分析"),
    (4, "（1）预算编制科学性"),
    (4, "（2）预算编制合理性"),
    (4, "（3）立项规范性"),
    (4, "（4）预算调整率"),
    (3, "3.预算执行指标分析"),
    (4, "（1）预算执行率"),
    (4, "（2）结转结余率"),
    (4, "（3）政府采购执行率"),
    (4, "（4）非税收入预算完成率"),
    (3, "4.绩效管理指标分析"),
    (4, "（1）事前绩效评估完成率"),
    (4, "（2）绩效目标合理性"),
    (4, "（3）绩效监控开展率"),
    (4, "（4）绩效评价覆盖率"),
    (4, "（5）评价结果应用率"),
    (3, "5.资产管理指标分析"),
    (4, "（1）资产管理制度健全性"),
    (4, "（2）资产管理规范性"),
    (3, "6.财务管理指标分析"),
    (4, "（1）财务管理制度健全性"),
    (4, "（2）会计核算规范性"),
    (4, "（3）资金使用合规性"),
    (2, "（三）履职效能指标完成情况"),
    (2, "（四）社会效应指标完成情况"),
    (3, "1.新闻宣传工作取得历史性突破"),
    (3, "2.统战工作在全市有地位"),
    (
        3,
        "3.扎实开展学习贯彻习近平新时代中国特色社会主义思想主题教育工作",
    ),
    (3, "4.依法有序推进村改社区工作"),
    (2, "（五）可持续发展能力指标完成情况"),
    (2, "（六）满意度指标完成情况"),
    (3, "1.服务对象满意度指标分析"),
    (3, "2.联系部门满意度指标分析"),
    (1, "四、主要成效、存在的突出问题和原因"),
    (2, "（一）主要成效"),
    (3, "1.高标准推进“三办三服务”，为全区高质量发展提供服务保障"),
    (3, "2.高标准推进宣传和统战工作，为全区高质量发展聚力造势"),
    (3, "3.高标准推进党建工作，为全区高质量发展提供组织保障"),
    (2, "（二）存在的突出问题和原因"),
    (1, "五、下一步拟改进措施"),
    (2, "（一）具体改进措施"),
    (2, "（二）拟与预算安排相结合情况"),
];

#[test]
fn every_heading_of_the_sample_in_order_with_its_number() {
    let (_dir, docx) = sample();
    let headings: Vec<(u8, String)> = docx
        .paragraphs()
        .into_iter()
        .filter_map(|(style, text)| {
            let level = style.strip_prefix("Heading")?.parse().ok()?;
            Some((level, text))
        })
        .collect();
    let expected: Vec<(u8, String)> = SAMPLE_HEADINGS
        .iter()
        .map(|&(l, t)| (l, t.to_string()))
        .collect();
    assert_eq!(headings, expected);
}

#[test]
fn first_page_starts_with_label_empty_line_title() {
    let (_dir, docx) = sample();
    let paragraphs = docx.paragraphs();
    assert_eq!(paragraphs[0], ("AttachmentLabel".into(), "附件3".into()));
    assert_eq!(paragraphs[1], ("BodyText".into(), String::new()));
    assert_eq!(
        paragraphs[2],
        (
            "Title".into(),
            "2023年度鄂州葛店经济技术开发区党工委管委会办公室整体绩效自评结果".into()
        )
    );
}

#[test]
fn ordered_lists_become_numbered_paragraphs_with_the_next_level_marker() {
    let (_dir, docx) = sample();
    let texts: Vec<String> = docx.paragraphs().into_iter().map(|(_, t)| t).collect();
    for start in [
        "（一）2023年以来，葛店经开区党工委办公室",
        "（二）完成的工作目标。高标准推进",
        "1.收集绩效管理信息。我单位对照",
        "3.填报自评表及撰写报告。我单位在分析",
        "（1）提升办文办会办事水平。一是坚持精益求精",
        "4.参谋助手作用发挥不到位",
    ] {
        assert!(
            texts.iter().any(|t| t.starts_with(start)),
            "no paragraph starts with {start}"
        );
    }
    // A soft line break between Chinese characters adds nothing, and no "1.1." double numbers.
    assert!(
        texts
            .iter()
            .all(|t| !t.contains("。 ") && !t.contains("1.1."))
    );
}

#[test]
fn fonts_and_sizes_of_each_level_come_from_the_style_file() {
    let (_dir, docx) = sample();
    let style = gbt9704();
    let xml = docx.part("word/styles.xml");
    let doc = roxmltree::Document::parse(xml).unwrap();
    let mut expected = vec![
        ("BodyText", &style.body),
        ("AttachmentLabel", &style.attachment_label),
        ("Title", &style.title),
    ];
    let ids = ["Heading1", "Heading2", "Heading3", "Heading4"];
    expected.extend(ids.iter().copied().zip(style.headings.iter()));
    for (id, element) in expected {
        let node = docx.style(&doc, id);
        let fonts = child(node, "rFonts");
        assert_eq!(
            attr(fonts, "eastAsia").as_deref(),
            Some(element.font.as_str()),
            "{id}"
        );
        // Digits in the element's own font: GB/T 9704 names one font per element.
        for latin in ["ascii", "hAnsi"] {
            assert_eq!(
                attr(fonts, latin).as_deref(),
                Some(element.font.as_str()),
                "{id} {latin}"
            );
        }
        let size = style::half_points(element.size_pt).to_string();
        assert_eq!(attr(child(node, "sz"), "val"), Some(size), "{id}");
        assert_eq!(child(node, "b").is_some(), element.bold, "{id} bold");
    }
    // The GB/T faces, named as Word users have them.
    let east_asia = |id| attr(child(docx.style(&doc, id), "rFonts"), "eastAsia").unwrap();
    assert_eq!(east_asia("Heading1"), "黑体");
    assert_eq!(east_asia("Heading2"), "楷体_GB2312");
    assert_eq!(east_asia("Heading3"), "仿宋_GB2312");
    assert_eq!(east_asia("Title"), "方正小标宋简体");
    assert!(xml.contains("w:eastAsia=\"zh-CN\""), "no Chinese w:lang");
    let fonts = docx.part("word/fontTable.xml");
    for font in [
        "仿宋_GB2312",
        "黑体",
        "楷体_GB2312",
        "方正小标宋简体",
        "宋体",
    ] {
        assert!(
            fonts.contains(&format!("w:name=\"{font}\"")),
            "font table lacks {font}"
        );
    }
}

#[test]
fn body_paragraphs_indent_two_characters() {
    let (_dir, docx) = sample();
    let style = gbt9704();
    let doc = roxmltree::Document::parse(docx.part("word/styles.xml")).unwrap();
    let indent = child(docx.style(&doc, "BodyText"), "ind");
    let advance = style.body.size_pt + style.grid.character_spacing_pt;
    let two_chars = style::twips_from_pt(advance * rust_decimal::Decimal::from(2));
    assert_eq!(attr(indent, "firstLine"), Some(two_chars.to_string()));
    assert_eq!(attr(indent, "firstLineChars").as_deref(), Some("200"));
    // Every paragraph of the body uses the body or a heading style, none overrides the indent.
    let document = docx.part("word/document.xml");
    assert!(
        !document.contains("w:firstLine="),
        "a paragraph overrides the indent"
    );
    let body: Vec<_> = docx.paragraphs().into_iter().skip(3).collect();
    assert!(body.len() > 100);
    assert!(
        body.iter()
            .all(|(s, _)| s == "BodyText" || s.starts_with("Heading"))
    );
}

#[test]
fn page_setup_matches_the_style_file() {
    let (_dir, docx) = sample();
    let style = gbt9704();
    let doc = roxmltree::Document::parse(docx.part("word/document.xml")).unwrap();
    let sect = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "sectPr")))
        .unwrap();
    let mm = |v| style::twips_from_mm(v).to_string();
    let size = child(sect, "pgSz");
    assert_eq!(attr(size, "w"), Some(mm(style.page.width_mm)));
    assert_eq!(attr(size, "h"), Some(mm(style.page.height_mm)));
    assert_eq!(attr(size, "w").as_deref(), Some("11906"));
    let margin = child(sect, "pgMar");
    assert_eq!(attr(margin, "top"), Some(mm(style.page.margin_top_mm)));
    assert_eq!(
        attr(margin, "bottom"),
        Some(mm(style.page.margin_bottom_mm))
    );
    assert_eq!(attr(margin, "left"), Some(mm(style.page.margin_left_mm)));
    assert_eq!(attr(margin, "right"), Some(mm(style.page.margin_right_mm)));
    assert_eq!(attr(margin, "footer"), Some(mm(style.page.footer_mm)));
    let pitch = style::twips_from_pt(style.grid.line_pitch_pt).to_string();
    assert_eq!(
        attr(child(sect, "docGrid"), "linePitch"),
        Some(pitch.clone())
    );
    assert_eq!(pitch, "579", "22 lines need 579 twips");
    let styles = roxmltree::Document::parse(docx.part("word/styles.xml")).unwrap();
    let defaults = styles
        .descendants()
        .find(|n| n.has_tag_name((W, "pPrDefault")))
        .unwrap();
    let spacing = child(defaults, "spacing");
    assert_eq!(attr(spacing, "line"), Some(pitch));
    assert_eq!(attr(spacing, "lineRule").as_deref(), Some("exact"));
}

/// The placement is the style file's: a unit whose rule is centred numbers on every page, or
/// the sides swapped, says so there and the footers follow.
#[test]
fn the_page_number_placement_comes_from_the_style_file() {
    let text = std::fs::read_to_string(common::repo().join("styles/gbt9704.yaml")).unwrap();
    for (odd, even) in [("center", "center"), ("left", "right")] {
        let changed = text
            .replace("odd_pages: right", &format!("odd_pages: {odd}"))
            .replace("even_pages: left", &format!("even_pages: {even}"));
        assert_ne!(
            changed, text,
            "the style file no longer names odd_pages/even_pages"
        );
        let dir = common::report(&[("01.md", "# 甲\n\n正文。\n")]);
        let style = dir.path().join("style.yaml");
        std::fs::write(&style, changed).unwrap();
        let report = dir.path().join("report.yaml");
        let yaml = std::fs::read_to_string(&report).unwrap();
        let yaml: String = yaml
            .lines()
            .map(|l| {
                if l.starts_with("样式:") {
                    "样式: style.yaml"
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&report, yaml).unwrap();
        let (_out, docx) = common::build(dir.path());
        for (part, align) in [("word/footer1.xml", odd), ("word/footer2.xml", even)] {
            let xml = docx.part(part);
            let doc = roxmltree::Document::parse(xml).unwrap();
            let p = doc
                .descendants()
                .find(|n| n.has_tag_name((W, "p")))
                .unwrap();
            assert_eq!(
                attr(child(p, "jc"), "val").as_deref(),
                Some(align),
                "{part}"
            );
            let ind = child(p, "ind");
            let inset_on = |side| attr(ind, side).filter(|v| v != "0");
            match align {
                "center" => assert!(inset_on("left").is_none() && inset_on("right").is_none()),
                side => assert!(inset_on(side).is_some(), "{part}: no inset on the {side}"),
            }
        }
    }
}

#[test]
fn odd_footers_right_even_footers_left_one_character_in() {
    let (_dir, docx) = sample();
    let style = gbt9704();
    assert!(
        docx.part("word/settings.xml")
            .contains("<w:evenAndOddHeaders")
    );
    let document = docx.part("word/document.xml");
    assert!(document.contains("w:footerReference w:type=\"default\""));
    assert!(document.contains("w:footerReference w:type=\"even\""));
    let one_char = style::twips_from_pt(style.page_number.size_pt).to_string();
    for (part, align, side) in [
        ("word/footer1.xml", "right", "right"),
        ("word/footer2.xml", "left", "left"),
    ] {
        let xml = docx.part(part);
        let doc = roxmltree::Document::parse(xml).unwrap();
        let p = doc
            .descendants()
            .find(|n| n.has_tag_name((W, "p")))
            .unwrap();
        assert_eq!(
            attr(child(p, "jc"), "val").as_deref(),
            Some(align),
            "{part}"
        );
        assert_eq!(
            attr(child(p, "ind"), side),
            Some(one_char.clone()),
            "{part}"
        );
        assert!(
            xml.contains("<w:instrText>PAGE</w:instrText>"),
            "{part} has no PAGE field"
        );
        let texts: Vec<&str> = p
            .descendants()
            .filter(|n| n.has_tag_name((W, "t")))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(texts.first(), Some(&"— "), "{part}");
        assert_eq!(texts.last(), Some(&" —"), "{part}");
    }
    let styles = roxmltree::Document::parse(docx.part("word/styles.xml")).unwrap();
    let footer = docx.style(&styles, "Footer");
    assert_eq!(
        attr(child(footer, "rFonts"), "eastAsia").as_deref(),
        Some("宋体")
    );
    assert_eq!(attr(child(footer, "sz"), "val").as_deref(), Some("28"));
}

/// What a reader's Word shows for a paragraph's runs: the fonts of its style, which any run
/// naming fonts of its own repeats.
fn paragraph_fonts(docx: &Package, part: &str, style_id: &str) -> [String; 3] {
    let doc = roxmltree::Document::parse(docx.part(part)).unwrap();
    let paragraph = doc
        .descendants()
        .find(|n| {
            n.has_tag_name((W, "p"))
                && attr(child(*n, "pStyle"), "val").as_deref() == Some(style_id)
        })
        .unwrap_or_else(|| panic!("no {style_id} paragraph in {part}"));
    let styles = roxmltree::Document::parse(docx.part("word/styles.xml")).unwrap();
    let fonts = child(docx.style(&styles, style_id), "rFonts");
    let slots = ["eastAsia", "ascii", "hAnsi"];
    let shown = slots.map(|a| attr(fonts, a).unwrap_or_default());
    // A run may name fonts of its own (the page number's dashes do, for their East Asian
    // hint), but only its style's.
    for own in paragraph
        .descendants()
        .filter(|n| n.has_tag_name((W, "rFonts")))
    {
        let own = slots.map(|a| attr(Some(own), a).unwrap_or_default());
        assert_eq!(own, shown, "a run of {style_id} names other fonts");
    }
    shown
}

#[test]
fn attachment_label_page_numbers_and_title_are_in_gbt9704_fonts_digits_too() {
    let (_dir, docx) = sample();
    let paragraphs = docx.paragraphs();
    assert_eq!(paragraphs[0], ("AttachmentLabel".into(), "附件3".into()));
    let all = |font: &str| [font, font, font].map(String::from);
    assert_eq!(
        paragraph_fonts(&docx, "word/document.xml", "AttachmentLabel"),
        all("黑体"),
        "附件3, the 3 too, in 黑体"
    );
    assert_eq!(
        paragraph_fonts(&docx, "word/document.xml", "Title"),
        all("方正小标宋简体")
    );
    for footer in ["word/footer1.xml", "word/footer2.xml"] {
        assert_eq!(
            paragraph_fonts(&docx, footer, "Footer"),
            all("宋体"),
            "{footer}"
        );
    }
    // A computer without the official fonts substitutes the right face.
    let table = roxmltree::Document::parse(docx.part("word/fontTable.xml")).unwrap();
    let alternate = |name: &str| {
        let font = table
            .descendants()
            .find(|n| n.has_tag_name((W, "font")) && n.attribute((W, "name")) == Some(name))
            .unwrap_or_else(|| panic!("font table lacks {name}"));
        (
            attr(child(font, "altName"), "val"),
            attr(child(font, "charset"), "val"),
        )
    };
    assert_eq!(
        alternate("仿宋_GB2312"),
        (Some("仿宋".into()), Some("86".into()))
    );
    assert_eq!(
        alternate("楷体_GB2312"),
        (Some("楷体".into()), Some("86".into()))
    );
    assert_eq!(
        alternate("方正小标宋简体"),
        (Some("宋体".into()), Some("86".into()))
    );
    assert_eq!(
        alternate("黑体"),
        (Some("SimHei".into()), Some("86".into()))
    );
}

/// The sample built with a copy of the GB/T style file changed by `edit`.
fn sample_with_style(edit: impl Fn(&str) -> String) -> Package {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::repo().join("styles/gbt9704.yaml")).unwrap();
    let style = dir.path().join("changed.yaml");
    std::fs::write(&style, edit(&text)).unwrap();
    let out = dir.path().join("out.docx");
    let output = common::gongwen(&[
        "build",
        "content",
        "--style",
        style.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    Package::open(&out)
}

#[test]
fn one_line_in_the_style_file_puts_digits_in_times_new_roman() {
    let docx = sample_with_style(|text| {
        text.replace(
            "# latin_font: Times New Roman",
            "latin_font: Times New Roman",
        )
    });
    let tnr = "Times New Roman".to_string();
    for id in ["BodyText", "Heading1", "AttachmentLabel"] {
        let [east_asia, ascii, h_ansi] = paragraph_fonts(&docx, "word/document.xml", id);
        assert_ne!(east_asia, tnr, "{id}");
        assert_eq!((ascii, h_ansi), (tnr.clone(), tnr.clone()), "{id}");
    }
    assert!(
        docx.part("word/fontTable.xml")
            .contains("<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\" />")
    );
}

#[test]
fn a_second_style_file_changes_the_layout_without_code() {
    let docx = sample_with_style(|text| {
        text.replace("line_pitch_pt: 28.95", "line_pitch_pt: 28")
            .replace(
                "- { font: 仿宋_GB2312, size_pt: 16, first_line_indent_chars: 2 }",
                "- { font: 仿宋_GB2312, size_pt: 16, first_line_indent_chars: 2, bold: true }",
            )
    });
    assert!(
        docx.part("word/document.xml")
            .contains("w:linePitch=\"560\"")
    );
    let doc = roxmltree::Document::parse(docx.part("word/styles.xml")).unwrap();
    assert!(
        child(docx.style(&doc, "Heading3"), "b").is_some(),
        "level 3 is not bold"
    );
}

/// content/ copied where there is no styles/ folder, with `样式: gbt9704` or no `样式` at all.
#[test]
fn the_sample_copied_anywhere_builds_byte_identical_with_the_builtin_style() {
    let (_dir, original) = build_bytes(&common::repo().join("content"));
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::repo().join("content")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, copy.path().join(path.file_name().unwrap())).unwrap();
    }
    let (_out, copied) = build_bytes(copy.path());
    assert!(copied == original, "the copy builds different bytes");
    let report_yaml = copy.path().join("report.yaml");
    let text = std::fs::read_to_string(&report_yaml).unwrap();
    assert!(text.contains("样式: gbt9704"), "{text}");
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("样式"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&report_yaml, without).unwrap();
    let (_out, defaulted) = build_bytes(copy.path());
    // report.yaml is not the same text: only the digests of the sources differ.
    assert!(
        parts_but_sources(&defaulted) == parts_but_sources(&original),
        "no 样式 is not the built-in style"
    );
}

/// Every part of a .docx and its bytes, but docProps/custom.xml (the sources' digests).
fn parts_but_sources(docx: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        if entry.name() == "docProps/custom.xml" {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        parts.push((entry.name().to_string(), bytes));
    }
    parts
}

fn build_bytes(dir: &std::path::Path) -> (tempfile::TempDir, Vec<u8>) {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("out.docx");
    let output = common::gongwen(&["build", dir.to_str().unwrap(), "-o", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let bytes = std::fs::read(&path).unwrap();
    (out, bytes)
}

#[test]
fn a_style_file_named_in_report_yaml_is_read_beside_it() {
    let dir = common::report(&[("a.md", "# 基本情况\n\n正文。\n")]);
    let dumped = common::gongwen(&["style", "--dump"]);
    assert!(dumped.status.success(), "{}", common::stderr(&dumped));
    let text = String::from_utf8(dumped.stdout)
        .unwrap()
        .replace("line_pitch_pt: 28.95", "line_pitch_pt: 28");
    std::fs::write(dir.path().join("本单位.yaml"), text).unwrap();
    let report_yaml = dir.path().join("report.yaml");
    let yaml = std::fs::read_to_string(&report_yaml).unwrap();
    let yaml: String = yaml
        .lines()
        .map(|l| {
            if l.starts_with("样式") {
                "样式: 本单位.yaml"
            } else {
                l
            }
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&report_yaml, yaml).unwrap();
    let (_out, docx) = common::build(dir.path());
    assert!(
        docx.part("word/document.xml")
            .contains("w:linePitch=\"560\"")
    );
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
fn libreoffice_opens_the_file_and_shows_page_numbers() {
    common::require_renderer();
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("out.docx");
    let output = common::gongwen(&["build", "content", "-o", docx.to_str().unwrap(), "--pdf"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let pdf = docx.with_extension("pdf");
    let text = common::pdf_text(&pdf);
    assert!(text.contains("— 1 —"), "page 1 has no “— 1 —”:\n{text}");
    assert!(text.contains("— 2 —"), "page 2 has no “— 2 —”");
    assert!(text.contains("一、基本情况"));
}

#[test]
fn markdown_features_reach_the_docx() {
    let dir = common::report(&[(
        "a.md",
        "# 标题\n\n第一行中文\n接着中文，English\nwords 相连。**加粗**与*倾斜*。脚注[^1]。\n\n| 项目 | 金额 |\n|---|---:|\n| 甲 | 1.00 |\n| 乙 | 2.00 |\n\n[^1]: 脚注内容。\n",
    )]);
    let (_out, docx) = common::build(dir.path());
    let texts: Vec<String> = docx.paragraphs().into_iter().map(|(_, t)| t).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("第一行中文接着中文，English words 相连。")),
        "soft breaks: {texts:?}"
    );
    let xml = docx.part("word/document.xml");
    assert!(
        xml.contains("<w:b />") && xml.contains("<w:i />"),
        "no bold or italic run"
    );
    assert!(
        xml.contains("<w:tblHeader />"),
        "table header does not repeat"
    );
    assert!(xml.contains("w:tblBorders"), "table has no borders");
    assert!(
        xml.contains("<w:footnoteReference"),
        "no footnote reference"
    );
    assert!(docx.part("word/footnotes.xml").contains("脚注内容。"));
    let cells = |style: &str| {
        docx.paragraphs()
            .into_iter()
            .filter(|(s, _)| s == style)
            .count()
    };
    assert_eq!(
        (cells("TableHeader"), cells("TableText")),
        (2, 4),
        "a header and two rows of two cells"
    );
}

#[test]
fn a_table_has_its_title_unit_line_centred_header_and_aligned_figures() {
    let report = common::report(&[(
        "a.md",
        "# 基本情况\n\n表1 部门整体支出情况\n\n单位：万元\n\n| 项目 | 预算数 | 实际支出（万元） |\n|---|---|---|\n| 基本支出 | 1200.5 | 1100.25 |\n| 项目支出 | 300 | 280.1 |\n",
    )]);
    let (_dir, docx) = common::build(report.path());
    let paragraphs = docx.paragraphs();
    let at = |style: &str| {
        paragraphs
            .iter()
            .position(|(s, _)| s == style)
            .unwrap_or_else(|| panic!("no {style}: {paragraphs:?}"))
    };
    assert_eq!(paragraphs[at("TableTitle")].1, "表1 部门整体支出情况");
    assert_eq!(paragraphs[at("TableUnit")].1, "单位：万元");
    assert!(at("TableTitle") < at("TableUnit") && at("TableUnit") < at("TableHeader"));
    let xml = docx.part("word/document.xml");
    let doc = roxmltree::Document::parse(xml).unwrap();
    let rows: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "tr")))
        .collect();
    let cells = |row: roxmltree::Node| -> Vec<(String, Option<String>, Option<String>)> {
        row.children()
            .filter(|n| n.has_tag_name((W, "tc")))
            .map(|tc| {
                let text: String = tc
                    .descendants()
                    .filter(|n| n.has_tag_name((W, "t")))
                    .filter_map(|n| n.text())
                    .collect();
                (
                    text,
                    attr(child(tc, "jc"), "val"),
                    attr(child(tc, "vAlign"), "val"),
                )
            })
            .collect()
    };
    for (text, jc, v_align) in cells(rows[0]) {
        assert_eq!(
            (jc.as_deref(), v_align.as_deref()),
            (Some("center"), Some("center")),
            "header {text}"
        );
    }
    let body: Vec<_> = rows[1..].iter().map(|r| cells(*r)).collect();
    assert_eq!(body[0][0].1, None, "text keeps the table style's alignment");
    let figures: Vec<(&str, Option<&str>)> = body
        .iter()
        .flat_map(|row| {
            row[1..]
                .iter()
                .map(|(t, jc, _)| (t.as_str(), jc.as_deref()))
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("1200.5", Some("right")),
            ("1100.25", Some("right")),
            ("300.0", Some("right")),
            ("280.10", Some("right")),
        ]
    );
    let styles = roxmltree::Document::parse(docx.part("word/styles.xml")).unwrap();
    assert_eq!(
        attr(
            child(docx.style(&styles, "TableHeader"), "rFonts"),
            "eastAsia"
        )
        .as_deref(),
        Some("黑体")
    );
    // Columns as wide as their content: the header "实际支出（万元）" on one line.
    let grid: Vec<usize> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "gridCol")))
        .map(|n| n.attribute((W, "w")).unwrap().parse().unwrap())
        .collect();
    assert!(grid[2] > grid[0] && grid[0] > grid[1], "{grid:?}");
}

#[test]
fn the_package_deflates_its_large_parts_declares_every_part_and_says_who_wrote_it_when() {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("out.docx");
    let output = common::gongwen(&["build", "content", "-o", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        assert!(!entry.is_dir(), "folder entry {}", entry.name());
        // Deflating a part of a few hundred bytes costs more than it saves: those are stored.
        let expected = if entry.size() >= 4096 {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        assert_eq!(entry.compression(), expected, "{}", entry.name());
        if entry.name() == "word/document.xml" {
            assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
        }
        names.push(entry.name().to_string());
    }
    for unused in ["word/comments.xml", "word/numbering.xml"] {
        assert!(!names.iter().any(|n| n == unused), "{unused} is packed");
    }
    let docx = Package::open(&path);
    let types = docx.part("[Content_Types].xml");
    for name in names
        .iter()
        .filter(|n| !n.ends_with(".rels") && *n != "[Content_Types].xml")
    {
        assert!(
            types.contains(&format!("PartName=\"/{name}\"")),
            "{name} has no content type"
        );
    }
    let core = docx.part("docProps/core.xml");
    for expected in [
        "<dc:title>2023年度鄂州葛店经济技术开发区党工委管委会办公室整体绩效自评结果</dc:title>",
        "<dc:creator>鄂州葛店经济技术开发区党工委管委会办公室</dc:creator>",
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-03-15T00:00:00Z</dcterms:created>",
    ] {
        assert!(core.contains(expected), "{expected} missing from {core}");
    }
    assert!(
        docx.part("docProps/app.xml")
            .contains("<Application>gongwen")
    );
    // The sources it was built from, for `gongwen absorb`: each file named with its digest.
    let custom = docx.part("docProps/custom.xml");
    for expected in [
        "name=\"gongwen-sources\"",
        "name=\"gongwen-file-1\"><vt:lpwstr>",
        ":report.yaml</vt:lpwstr>",
        ":01-基本情况.md</vt:lpwstr>",
    ] {
        assert!(
            custom.contains(expected),
            "{expected} missing from {custom}"
        );
    }
    // Word keeps 255 characters of a custom property's value: none is longer.
    for value in custom.split("<vt:lpwstr>").skip(1) {
        let value = value.split("</vt:lpwstr>").next().unwrap();
        assert!(value.chars().count() <= 255, "{value}");
    }
}

/// Two sections with the same `order` (a copied file whose order was not changed) still build,
/// in file-name order, with a warning at the second one's `order`.
#[test]
fn two_sections_with_the_same_order_are_a_warning_at_the_second() {
    let dir = common::report(&[
        ("01-甲.md", "---\norder: 2\n---\n# 甲\n\n正文。\n"),
        (
            "02-乙.md",
            "---\nauthor: 张三\norder: 2\n---\n# 乙\n\n正文。\n",
        ),
        ("03-丙.md", "---\norder: 1\n---\n# 丙\n\n正文。\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("out.docx");
    let output = common::gongwen(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let message = common::stderr(&output);
    assert!(message.contains("warning[B001]"), "{message}");
    assert!(message.contains("02-乙.md:3:8"), "{message}");
    assert!(message.contains("与 01-甲.md 相同（都是 2）"), "{message}");
    let headings: Vec<String> = Package::open(&path)
        .paragraphs()
        .into_iter()
        .map(|(_, text)| text)
        .filter(|text| text.ends_with(['甲', '乙', '丙']))
        .collect();
    assert_eq!(headings, ["一、丙", "二、甲", "三、乙"]);
}

//! Font profiles and the font check: what the .docx of each built-in style names, and what
//! `gongwen fonts` and `gongwen build` say on a computer with and without a font (a fonts
//! folder of the test's own, through GONGWEN_FONTS_DIR).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{Package, W};

/// A TrueType file holding only a name table, naming these families: all the font check
/// reads of a font file.
fn font_file(path: &Path, families: &[&str]) {
    let strings: Vec<Vec<u8>> = families
        .iter()
        .map(|f| f.encode_utf16().flat_map(u16::to_be_bytes).collect())
        .collect();
    let count = u16::try_from(families.len()).unwrap();
    let mut name = Vec::new();
    name.extend(0u16.to_be_bytes());
    name.extend(count.to_be_bytes());
    name.extend((6 + 12 * count).to_be_bytes());
    let mut offset = 0u16;
    for string in &strings {
        let length = u16::try_from(string.len()).unwrap();
        // Windows platform, Unicode BMP, zh-CN, family name.
        for field in [3u16, 1, 0x0804, 1, length, offset] {
            name.extend(field.to_be_bytes());
        }
        offset += length;
    }
    name.extend(strings.concat());
    let mut file = Vec::new();
    file.extend(0x0001_0000u32.to_be_bytes());
    file.extend([0, 1, 0, 16, 0, 0, 0, 0]);
    file.extend(*b"name");
    file.extend(0u32.to_be_bytes());
    file.extend(28u32.to_be_bytes());
    file.extend(u32::try_from(name.len()).unwrap().to_be_bytes());
    file.extend(name);
    std::fs::write(path, file).unwrap();
}

/// gongwen with its fonts looked for in `fonts` only.
fn gongwen_with_fonts(fonts: &Path, args: &[&str]) -> Output {
    common::run(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(args)
            .env("GONGWEN_FONTS_DIR", fonts)
            .current_dir(common::repo()),
    )
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The sample built in a built-in style, with every part of the package.
fn built_in(style: &str) -> (tempfile::TempDir, Package) {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("报告.docx");
    let output = common::gongwen(&[
        "build",
        "content",
        "--style",
        style,
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let package = Package::open(&path);
    (out, package)
}

/// Every font name the parts give: rFonts' four slots and the font table's entries.
fn named_fonts(package: &Package) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    for (part, xml) in &package.parts {
        if !part.ends_with(".xml") {
            continue;
        }
        let doc = roxmltree::Document::parse(xml).unwrap();
        for node in doc.descendants() {
            if node.has_tag_name((W, "rFonts")) {
                for slot in ["ascii", "hAnsi", "eastAsia", "cs"] {
                    names.extend(node.attribute((W, slot)).map(String::from));
                }
            }
            if node.has_tag_name((W, "font")) || node.has_tag_name((W, "altName")) {
                let attribute = if node.has_tag_name((W, "font")) {
                    "name"
                } else {
                    "val"
                };
                names.extend(node.attribute((W, attribute)).map(String::from));
            }
        }
    }
    names
}

#[test]
fn the_windows_style_names_only_the_fonts_windows_has() {
    let (_out, package) = built_in("windows");
    for (part, xml) in &package.parts {
        assert!(!xml.contains("_GB2312"), "{part} names a GB2312 font");
    }
    let fonts = named_fonts(&package);
    let windows = [
        "仿宋", "楷体", "黑体", "宋体", "FangSong", "KaiTi", "SimHei", "SimSun",
    ];
    assert!(
        fonts.iter().all(|f| windows.contains(&f.as_str())),
        "{fonts:?}"
    );
    let table = package.part("word/fontTable.xml");
    for font in ["仿宋", "楷体", "黑体", "宋体"] {
        assert!(
            table.contains(&format!("w:name=\"{font}\"")),
            "{font}: {table}"
        );
    }
    let body = package
        .paragraphs()
        .into_iter()
        .find(|(style, _)| style == "BodyText");
    assert!(body.is_some());
    let styles = roxmltree::Document::parse(package.part("word/styles.xml")).unwrap();
    let east_asia = |id: &str| {
        common::attr(
            common::child(package.style(&styles, id), "rFonts"),
            "eastAsia",
        )
    };
    assert_eq!(east_asia("BodyText").as_deref(), Some("仿宋"));
    assert_eq!(east_asia("Heading2").as_deref(), Some("楷体"));
    assert_eq!(east_asia("Title").as_deref(), Some("宋体"));
}

#[test]
fn the_gbk_style_names_the_fangzheng_gbk_fonts() {
    let (_out, package) = built_in("fzgbk");
    let fonts = named_fonts(&package);
    for font in [
        "方正仿宋_GBK",
        "方正楷体_GBK",
        "方正黑体_GBK",
        "方正小标宋_GBK",
    ] {
        assert!(fonts.contains(font), "{font}: {fonts:?}");
    }
    assert!(fonts.iter().all(|f| !f.contains("GB2312")), "{fonts:?}");
}

#[test]
fn fonts_says_which_fonts_this_computer_has_and_lacks() {
    let fonts = tempfile::tempdir().unwrap();
    font_file(
        &fonts.path().join("fs.ttf"),
        &["仿宋_GB2312", "FangSong_GB2312"],
    );
    let output = gongwen_with_fonts(fonts.path(), &["fonts", "content"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("样式 gbt9704"), "{text}");
    assert!(text.contains("正文：仿宋_GB2312（有）"), "{text}");
    assert!(text.contains("二级标题：楷体_GB2312（缺少）"), "{text}");
    assert!(text.contains("标题：方正小标宋简体（缺少）"), "{text}");
    assert!(text.contains("这台电脑缺少 4 种字体"), "{text}");
    assert!(text.contains("样式: windows"), "{text}");

    // The same for the .docx itself: its styles and the fonts set on its text.
    let (out, _package) = built_in("gbt9704");
    let docx = out.path().join("报告.docx");
    let output = gongwen_with_fonts(fonts.path(), &["fonts", docx.to_str().unwrap()]);
    let text = stdout(&output);
    assert!(text.contains("Body Text：仿宋_GB2312（有）"), "{text}");
    assert!(text.contains("heading 2：楷体_GB2312（缺少）"), "{text}");
}

#[test]
fn with_every_font_of_a_style_fonts_advises_that_style() {
    let fonts = tempfile::tempdir().unwrap();
    let sub = fonts.path().join("windows");
    std::fs::create_dir(&sub).unwrap();
    font_file(&sub.join("WIN.TTF"), &["仿宋", "楷体", "黑体", "宋体"]);
    let output = gongwen_with_fonts(fonts.path(), &["fonts", "content"]);
    let text = stdout(&output);
    assert!(text.contains("正文：仿宋_GB2312（缺少）"), "{text}");
    assert!(text.contains("页码：宋体（有）"), "{text}");
    assert!(
        text.contains("或在 report.yaml 写 样式: windows（这台电脑有它的全部字体）"),
        "{text}"
    );
}

#[test]
fn build_warns_once_of_missing_fonts_and_still_writes() {
    let fonts = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("报告.docx");
    let args = [
        "build",
        "content",
        "-o",
        path.to_str().unwrap(),
        "--no-check",
    ];
    let output = gongwen_with_fonts(fonts.path(), &args);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(path.is_file());
    let message = common::stderr(&output);
    assert_eq!(message.matches("warning[B004]").count(), 1, "{message}");
    // Named as the system writes paths (content\report.yaml on Windows).
    let at = format!("content{}report.yaml:6:", std::path::MAIN_SEPARATOR);
    assert!(message.contains(&at), "{message}");
    assert!(message.contains("仿宋_GB2312"), "{message}");
    assert!(message.contains("样式: windows"), "{message}");

    font_file(
        &fonts.path().join("all.ttf"),
        &[
            "仿宋_GB2312",
            "楷体_GB2312",
            "黑体",
            "宋体",
            "方正小标宋简体",
        ],
    );
    let output = gongwen_with_fonts(fonts.path(), &args);
    let message = common::stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(!message.contains("B004"), "{message}");
}

#[test]
fn new_writes_the_chosen_style_into_report_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("报告");
    let output = common::gongwen(&[
        "new",
        report.to_str().unwrap(),
        "--unit",
        "某局",
        "--year",
        "2024",
        "--style",
        "windows",
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let yaml = std::fs::read_to_string(report.join("report.yaml")).unwrap();
    assert!(yaml.contains("样式: windows "), "{yaml}");
    let wrong = common::gongwen(&[
        "new",
        dir.path().join("b").to_str().unwrap(),
        "--unit",
        "某局",
        "--year",
        "2024",
        "--style",
        "win",
    ]);
    assert!(!wrong.status.success());
    assert!(
        common::stderr(&wrong).contains("windows"),
        "{}",
        common::stderr(&wrong)
    );
}

//! What every fuzz target checks, shared by `make fuzz` (fuzz_targets/, cargo-fuzz) and by
//! tests/fuzz_regressions.rs, which runs the inputs kept in fuzz/regressions/ on every
//! `cargo test`. One user file of the sample report is replaced by the input; the invariant:
//! no panic, no hang (libFuzzer's -timeout), and when the pipeline yields a document, every
//! XML part of the .docx parses.

use std::io::Read;
use std::path::PathBuf;

use gongwen::document::report::{self, Options};
use gongwen::input::source::{ReportSources, SourceFile};
use gongwen::input::style::Style;
use gongwen::render::Renderer;
use gongwen::render::docx::DocxRenderer;

/// The targets, each named after the file whose content it replaces.
pub const TARGETS: [&str; 8] = [
    "section",
    "data",
    "indicators",
    "formula",
    "report",
    "style",
    "textconv",
    "import",
];

fn file(name: &str, text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from("fuzz").join(name),
        text: text.to_string(),
    }
}

/// The sample report (content/), in memory.
fn sample() -> ReportSources {
    let sections = [
        include_str!("../content/01-基本情况.md"),
        include_str!("../content/02-部门自评工作开展情况.md"),
        include_str!("../content/03-部门整体绩效目标完成情况.md"),
        include_str!("../content/04-主要成效、存在的突出问题和原因.md"),
        include_str!("../content/05-下一步拟改进措施.md"),
    ];
    ReportSources {
        dir: PathBuf::from("fuzz"),
        report: file("report.yaml", include_str!("../content/report.yaml")),
        data: Some(file("data.yaml", include_str!("../content/data.yaml"))),
        indicators: Some(file(
            "indicators.yaml",
            include_str!("../content/indicators.yaml"),
        )),
        sections: sections
            .iter()
            .enumerate()
            .map(|(i, text)| file(&format!("{i:02}.md"), text))
            .collect(),
        warnings: Vec::new(),
    }
}

/// Runs `target` on `bytes`; panics when the invariant does not hold.
pub fn run(target: &str, bytes: &[u8]) {
    if target == "textconv" {
        let _ = gongwen::import::docx_text::docx_text(bytes, std::path::Path::new("fuzz.docx"));
        return;
    }
    if target == "import" {
        return import(bytes);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut sources = sample();
    let mut style = None;
    match target {
        "section" => sources.sections[0].text = text.to_string(),
        "data" => sources.data = Some(file("data.yaml", text)),
        "indicators" => sources.indicators = Some(file("indicators.yaml", text)),
        "formula" => {
            let formula = text.replace('\'', "''").replace(['\n', '\r'], " ");
            let indicators = format!(
                "指标:\n  - 名称: 甲\n    公式: '{formula}'\n    单位: \"%\"\n    目标: ≥ 95%\n"
            );
            sources.indicators = Some(file("indicators.yaml", &indicators));
            sources.sections[0].text = "# 甲\n\n{{ 甲 }}，{{ 甲.结论 }}。\n".into();
        }
        "report" => sources.report.text = text.to_string(),
        "style" => style = Some(file("style.yaml", text)),
        _ => panic!("unknown fuzz target {target}: the targets are {TARGETS:?}"),
    }
    // The built-in style: nothing on disk, whatever report.yaml says.
    let options = Options {
        style: Some(gongwen::input::style::DEFAULT.name.to_string()),
        ..Options::default()
    };
    // As an editor builds it too (going on past placeholder errors), checked the same way.
    let recovering = Options {
        recover: true,
        ..options.clone()
    };
    if let Ok(built) = report::from_sources(&sources, &recovering) {
        let _ = gongwen::check::check(&built, None);
    }
    let built = match report::from_sources(&sources, &options) {
        Ok(built) => built,
        Err(err) => {
            let _ = err.to_string();
            return;
        }
    };
    if let Ok(diagnostics) = gongwen::check::check(&built, None) {
        let _ =
            gongwen::check::render_human(&diagnostics, &gongwen::check::source_lines_of(&built));
    }
    let style = match style.map(|file| Style::parse(&file)) {
        None => built.style.clone(),
        Some(Ok(style)) => style,
        Some(Err(err)) => {
            let _ = err.to_string();
            return;
        }
    };
    let renderer = DocxRenderer {
        style: &style,
        reviser: None,
        sources: None,
    };
    if let Ok(docx) = renderer.render(&built.document) {
        assert_parts_parse(&docx);
    }
}

/// A .docx imported, with its figures moved to data.yaml, and the report it gives built and
/// checked as a writer's next step would.
fn import(bytes: &[u8]) {
    let options = gongwen::import::Options {
        style: gongwen::input::style::DEFAULT.name.to_string(),
        figures: true,
        indicators: None,
    };
    let Ok(imported) = gongwen::import::import(bytes, std::path::Path::new("fuzz.docx"), &options)
    else {
        return;
    };
    let sources = ReportSources {
        dir: PathBuf::from("fuzz"),
        report: file("report.yaml", &imported.report_yaml),
        data: imported
            .data_yaml
            .as_deref()
            .map(|text| file("data.yaml", text)),
        indicators: imported
            .indicators_yaml
            .as_deref()
            .map(|text| file("indicators.yaml", text)),
        sections: imported
            .sections
            .iter()
            .map(|section| file(&section.name, &section.text))
            .collect(),
        warnings: Vec::new(),
    };
    let options = Options {
        style: Some(gongwen::input::style::DEFAULT.name.to_string()),
        ..Options::default()
    };
    if let Ok(built) = report::from_sources(&sources, &options) {
        let _ = gongwen::check::check(&built, None);
    }
}

fn assert_parts_parse(docx: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("the .docx is a zip");
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("a zip entry");
        let name = entry.name().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).expect("a part is UTF-8");
        if let Err(err) = roxmltree::Document::parse(&xml) {
            panic!("{name} is not well-formed: {err}");
        }
    }
}

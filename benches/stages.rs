//! Each pipeline stage on the sample report, in process (divan): load, parse, evaluate,
//! fill, render, write. `make bench` runs it before the side-by-side comparison.

use std::path::{Path, PathBuf};

use gongwen::document::markdown;
use gongwen::document::report::{self, Options};
use gongwen::document::template::Filled;
use gongwen::eval::indicators;
use gongwen::input::data;
use gongwen::input::indicator_set::IndicatorSet;
use gongwen::input::source;
use gongwen::output;
use gongwen::render::Renderer;
use gongwen::render::docx::DocxRenderer;

fn main() {
    divan::main();
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

#[divan::bench]
fn load(bencher: divan::Bencher) {
    bencher.bench(|| source::load(&sample()).unwrap());
}

#[divan::bench]
fn parse(bencher: divan::Bencher) {
    let sources = source::load(&sample()).unwrap();
    let sections: Vec<_> = sources
        .sections
        .iter()
        .map(|f| markdown::split(f).unwrap())
        .collect();
    bencher.bench(|| {
        let mut warnings = Vec::new();
        sections
            .iter()
            .map(|s| {
                let filled = Filled::verbatim(s.body.clone());
                let mut printed = Vec::new();
                markdown::parse_blocks(
                    &s.path,
                    &s.body,
                    &filled,
                    s.body_line,
                    &mut warnings,
                    &mut printed,
                )
                .unwrap()
                .len()
            })
            .sum::<usize>()
    });
}

#[divan::bench]
fn evaluate(bencher: divan::Bencher) {
    let sources = source::load(&sample()).unwrap();
    bencher.bench(|| {
        let data = data::load(sources.data.as_ref()).unwrap();
        let set = sources
            .indicators
            .as_ref()
            .map(|f| IndicatorSet::read(f).unwrap());
        indicators::evaluate(set.as_ref(), &data).unwrap()
    });
}

#[divan::bench]
fn build_model(bencher: divan::Bencher) {
    bencher.bench(|| report::build(&sample(), &Options::default()).unwrap());
}

#[divan::bench]
fn render_docx(bencher: divan::Bencher) {
    let built = report::build(&sample(), &Options::default()).unwrap();
    bencher.bench(|| {
        DocxRenderer {
            style: &built.style,
            reviser: None,
            sources: None,
        }
        .render(&built.document)
        .unwrap()
    });
}

#[divan::bench]
fn write(bencher: divan::Bencher) {
    let built = report::build(&sample(), &Options::default()).unwrap();
    let bytes = DocxRenderer {
        style: &built.style,
        reviser: None,
        sources: None,
    }
    .render(&built.document)
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.docx");
    bencher.bench(|| output::write_atomically(&path, &bytes).unwrap());
}

/// An editor's new text of a section (a wrong figure typed), through `gongwen lsp`'s protocol
/// in process: read, built and checked once, its diagnostics published to every file of the
/// report, then shutdown and exit. The text comes as a didOpen, which is analysed as a
/// didChange is; one notification only, so the server analyses exactly once however it
/// batches what it reads ahead.
#[divan::bench(args = [1, 10])]
fn lsp_did_change(bencher: divan::Bencher, copies: usize) {
    // The sample, or ten copies of it in one report (gongwen generate --copies), kept for the
    // run's length.
    let generated = tempfile::tempdir().unwrap();
    let report = if copies == 1 {
        sample()
    } else {
        let dir = generated.path().join("report");
        gongwen::scaffold::synthetic::write(&sample(), &dir, copies, None).unwrap();
        dir
    };
    let section = std::fs::read_dir(&report)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| t.contains("预算执行率为{{ 预算执行率 }}"))
        })
        .min()
        .expect("a section that prints 预算执行率");
    let text = std::fs::read_to_string(&section).unwrap();
    let edited = text.replacen("预算执行率为{{ 预算执行率 }}", "预算执行率为95.12%", 1);
    let uri = gongwen::lsp::uri::from_path(&section).unwrap();
    let uri = uri.as_str();
    let messages = [
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": null, "capabilities": {}}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": edited}}}),
        serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
    ];
    let mut input = Vec::new();
    for message in messages {
        let body = message.to_string();
        input.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes());
    }
    bencher.bench(|| {
        let mut output = Vec::new();
        let reader = std::io::Cursor::new(input.clone());
        assert!(gongwen::lsp::server::serve(reader, &mut output).unwrap());
        let output = String::from_utf8(output).unwrap();
        assert!(output.contains("N002"));
        output.len()
    });
}

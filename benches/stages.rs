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
                markdown::parse_blocks(&s.path, &s.body, &filled, s.body_line, &mut warnings)
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

//! Three jobs before the crate compiles:
//! - Guard: the zip crate's `time` feature stamps zip entries with the clock, which breaks
//!   byte-identical output. If any dependency switches it on, the lock file lists `time` among
//!   zip's dependencies, and the build stops here with the reason.
//! - Whether the Open XML validator is installed: the tests that run it are ignored, with the
//!   reason, where it is not (`cfg(validator)`).
//! - `cfg(soffice)`, `cfg(pdftotext)`, `cfg(pandoc)`, `cfg(fc_match)` and `cfg(chromium)` where
//!   LibreOffice, poppler, pandoc, fontconfig and Chromium are on the PATH: tests that need them are ignored, and say so, where they are not.

fn main() {
    refuse_zip_time();
    // The tools are this machine's: tests built for another system (Windows under Wine,
    // aarch64 under qemu) cannot start them, so there those tests are ignored.
    let native = std::env::var("TARGET") == std::env::var("HOST");
    detect_validator(native);
    detect_on_path(
        &["soffice", "pdftotext", "pandoc", "fc-match", "chromium"],
        native,
    );
    // Set by cargo-fuzz (make fuzz), never by cargo build.
    println!("cargo::rustc-check-cfg=cfg(fuzzing)");
}

fn detect_on_path(tools: &[&str], native: bool) {
    println!("cargo::rerun-if-env-changed=PATH");
    let path = std::env::var_os("PATH").unwrap_or_default();
    for tool in tools {
        // A cfg name is an identifier: fc-match is cfg(fc_match).
        let name = tool.replace('-', "_");
        println!("cargo::rustc-check-cfg=cfg({name})");
        if native && std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()) {
            println!("cargo::rustc-cfg={name}");
        }
    }
}

/// scripts/install-validator.sh puts it in .venv and touches this file. Cargo looks again
/// when the tool, or the nearest of its folders that exists, changes: so a tool installed or
/// removed by hand is seen too. (A path that does not exist would make cargo rerun this on
/// every build, and the crate's own folder holds target/, which every build changes.)
fn detect_validator(native: bool) {
    const TOOL: &str = ".venv/bin/openxml-audit";
    println!("cargo::rustc-check-cfg=cfg(validator)");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let watched = [TOOL, ".venv/bin", ".venv"]
        .into_iter()
        .find(|path| root.join(path).exists());
    if let Some(path) = watched {
        println!("cargo::rerun-if-changed={path}");
    }
    if native && watched == Some(TOOL) && root.join(TOOL).is_file() {
        println!("cargo::rustc-cfg=validator");
    }
}

fn refuse_zip_time() {
    println!("cargo::rerun-if-changed=Cargo.lock");
    let lock = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock");
    let Ok(text) = std::fs::read_to_string(&lock) else {
        return;
    };
    // Every version of zip in the lock: the .xlsx writer brings its own.
    let mut zips = text
        .split("[[package]]")
        .filter(|package| package.contains("\nname = \"zip\"\n"));
    let enables_time = zips.any(|package| {
        package
            .split_once("dependencies = [")
            .and_then(|(_, rest)| rest.split_once(']'))
            .is_some_and(|(deps, _)| {
                deps.lines()
                    .any(|d| d.trim().trim_matches([',', '"']).split(' ').next() == Some("time"))
            })
    });
    if enables_time {
        eprintln!(
            "gongwen: a dependency switches on the zip crate's `time` feature (Cargo.lock lists `time` \
             under zip). Zip entries would carry the clock's time and the .docx would no longer be \
             byte-identical for the same sources. Find it with `cargo tree -e features -i zip` and \
             turn the feature off."
        );
        std::process::exit(1);
    }
}

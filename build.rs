//! Two jobs before the crate compiles:
//! - Guard: the zip crate's `time` feature stamps zip entries with the clock, which breaks
//!   byte-identical output. If any dependency switches it on, the lock file lists `time` among
//!   zip's dependencies, and the build stops here with the reason.
//! - The memcpy and memmove that replace musl's in musl builds (see src/platform.rs).

fn main() {
    refuse_zip_time();
    link_memmove();
}

/// Compiled for every Linux target so the tests can check it against the C library's; only
/// a musl build routes memcpy and memmove to it. Other systems need no C compiler.
fn link_memmove() {
    const SOURCE: &str = "src/platform/memmove.c";
    println!("cargo::rerun-if-changed={SOURCE}");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let musl = std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("musl");
    let mut build = cc::Build::new();
    // The file is freestanding (no C library headers): the system's C compiler builds it for
    // musl too, where cc-rs would look for a musl cross-compiler that is not needed.
    if musl {
        let chosen = ["TARGET_CC", "CC"].iter().find_map(std::env::var_os);
        build.compiler(chosen.unwrap_or_else(|| "cc".into()));
    }
    build
        .file(SOURCE)
        .flag_if_supported("-ffreestanding")
        .flag_if_supported("-fno-builtin")
        // gcc would otherwise recognise the copy loops as memcpy and call it: itself.
        .flag_if_supported("-fno-tree-loop-distribute-patterns")
        .compile("gongwen_memmove");
    if musl {
        for symbol in ["memcpy", "memmove"] {
            println!("cargo::rustc-link-arg-bins=-Wl,--wrap={symbol}");
        }
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

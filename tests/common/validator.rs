//! The Open XML validators, as a reviewer runs them: `openxml-audit -f microsoft365` (a Python
//! port of the Open XML SDK's validator: the schema order and references Word checks) and
//! `ooxml-integrity check` (broken references, revisions, content types).
//! scripts/install-validator.sh installs both, pinned, in .venv/ (CI does, through
//! scripts/install-deps.sh). A test that calls them carries
//! `#[cfg_attr(not(validator), ignore = "…")]` with [`MISSING`]: build.rs sets `validator`
//! only where they are installed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a validating test is ignored.
pub const MISSING: &str = "openxml-audit is not installed: run bash scripts/install-validator.sh";

fn tool(name: &str) -> PathBuf {
    let path = super::repo().join(".venv/bin").join(name);
    assert!(path.is_file(), "{MISSING} ({} is missing)", path.display());
    path
}

/// What openxml-audit finds in the package at `path` against Microsoft 365's rules: one
/// line per error or warning, naming the part, the element path and the finding.
pub fn audit(path: &Path) -> Vec<String> {
    let output = Command::new(tool("openxml-audit"))
        .args(["-f", "microsoft365", "-m", "0", "-o", "json"])
        .arg(path)
        .output()
        .expect("run openxml-audit");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "openxml-audit gave no JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let file = &report[0];
    let mut findings = Vec::new();
    for (key, severity) in [("errors", "error"), ("warnings", "warning")] {
        for finding in file[key].as_array().into_iter().flatten() {
            let field = |name: &str| finding[name].as_str().unwrap_or_default().to_string();
            findings.push(format!(
                "{severity}: {} {} — {}",
                field("part_uri"),
                field("path"),
                field("description")
            ));
        }
    }
    let counted =
        file["error_count"].as_u64().unwrap_or(0) + file["warning_count"].as_u64().unwrap_or(0);
    assert_eq!(
        usize::try_from(counted).unwrap_or(usize::MAX),
        findings.len(),
        "openxml-audit counted findings it did not list: {file}"
    );
    findings
}

/// What ooxml-integrity finds at severity info or above, as it prints them.
pub fn integrity(path: &Path) -> Vec<String> {
    let output = Command::new(tool("ooxml-integrity"))
        .args(["check", "--no-config", "--fail-on", "info", "--quiet"])
        .arg(path)
        .output()
        .expect("run ooxml-integrity");
    if output.status.success() {
        return Vec::new();
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&output.stderr).lines())
        .filter(|line| !line.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Both validators find nothing in the package at `path`: no error and no warning.
pub fn assert_valid(path: &Path) {
    let mut findings = audit(path);
    findings.extend(integrity(path));
    assert!(
        findings.is_empty(),
        "{} finding(s) in {}:\n{}",
        findings.len(),
        path.display(),
        findings.join("\n")
    );
}

//! The preview's fonts: styles/fonts/fonts.conf maps each official font name to its free
//! face, whatever the machine's own fontconfig files say.

mod common;

use std::path::Path;
use std::process::Command;

fn matched(config: &Path, family: &str) -> String {
    let output = Command::new("fc-match")
        .args([family, "--format=%{family[0]}"])
        .env("FONTCONFIG_FILE", config)
        .output()
        .expect("fc-match is not installed (make deps installs fontconfig)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A system configuration whose local part sends 仿宋_GB2312 and 黑体 elsewhere, both ways a
/// local.conf can: an alias, and a rule that puts its face first.
const HOSTILE_LOCAL: &str = r#"<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><alias binding="strong"><family>仿宋_GB2312</family><prefer><family>DejaVu Sans</family></prefer></alias><match target="pattern"><test qual="any" name="family"><string>黑体</string></test><edit name="family" mode="prepend_first" binding="strong"><string>DejaVu Sans</string></edit></match></fontconfig>"#;

#[test]
#[cfg_attr(
    not(fc_match),
    ignore = "needs fontconfig (fc-match): make test installs it (make deps)"
)]
fn the_projects_fonts_win_over_a_system_local_conf() {
    let dir = tempfile::tempdir().unwrap();
    let system = dir.path().join("system.conf");
    std::fs::write(&system, HOSTILE_LOCAL).unwrap();
    let ours = std::fs::read_to_string(common::repo().join("styles/fonts/fonts.conf")).unwrap();
    assert!(ours.contains("/etc/fonts/fonts.conf"), "{ours}");
    let config = dir.path().join("fonts.conf");
    std::fs::write(
        &config,
        ours.replace("/etc/fonts/fonts.conf", system.to_str().unwrap()),
    )
    .unwrap();
    assert_eq!(
        matched(&system, "仿宋_GB2312"),
        "DejaVu Sans",
        "the local rule works"
    );
    for (official, face) in [
        ("仿宋_GB2312", "AR PL UMing CN"),
        ("黑体", "Noto Sans CJK SC"),
        ("楷体_GB2312", "AR PL UKai CN"),
        ("方正小标宋简体", "Noto Serif CJK SC"),
        ("宋体", "Noto Serif CJK SC"),
    ] {
        assert_eq!(matched(&config, official), face, "{official}");
    }
}

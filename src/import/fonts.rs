//! `gongwen fonts`: the fonts a report's style or any .docx names, element by element, and
//! whether this computer has each. The computer is asked by family name, exactly: on Windows
//! the names inside the font files of the Fonts folders, elsewhere fontconfig's list (not
//! fc-match, whose nearest face is always "found").

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location, Result, code};
use crate::document::report;
use crate::import::docx_text::{open_package, parse_part, structure};
use crate::input::meta::ReportMeta;
use crate::input::source::{self, SourceFile};
use crate::input::style::{BUILTIN, Source, Style};

/// A folder of font files searched instead of the computer's fonts: for a test, or to check
/// the fonts a bureau hands out before they are installed.
pub const FONTS_DIR_VARIABLE: &str = "GONGWEN_FONTS_DIR";

/// One element's font: 正文 → 仿宋_GB2312.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontUse {
    pub element: String,
    pub font: String,
}

/// The style the report in `dir` builds with, as `gongwen build` chooses it, with its name
/// for the writer (a built-in's name or the file's path).
pub fn report_style(dir: &Path) -> Result<(String, Style)> {
    let sources = source::load(dir)?;
    let meta = ReportMeta::load(&sources.report)?;
    let chosen = report::style_source(&sources, &meta, &report::Options::default())
        .map_err(|e| e.with_line(|at| sources.line(at)))?;
    let name = match &chosen {
        Source::Builtin(builtin) => builtin.name.to_string(),
        Source::File(path) => path.display().to_string(),
    };
    Ok((name, chosen.load()?))
}

/// Where a report chooses its style: report.yaml's 样式, or the whole file when it names none.
pub fn style_location(report: &SourceFile, meta: &ReportMeta) -> Location {
    if meta.style.is_some() {
        meta.location("样式")
    } else {
        Location::new(&report.path, 0, 0)
    }
}

/// The fonts of `style`, by element.
pub fn of_style(style: &Style) -> Vec<FontUse> {
    style
        .font_uses()
        .into_iter()
        .map(|(element, font)| FontUse {
            element: element.to_string(),
            font: font.to_string(),
        })
        .collect()
}

/// The fonts a .docx names: each style's (by its name) and the defaults, then any set on
/// text directly in the body, footers and headers.
pub fn of_docx(bytes: &[u8], file: &Path) -> Result<Vec<FontUse>> {
    let mut uses = Vec::new();
    if let Some(styles) = structure::part_xml(bytes, "word/styles.xml", file)? {
        let doc = parse_part("word/styles.xml", &styles, file)?;
        for node in doc.descendants() {
            let element = match node.tag_name().name() {
                "rPrDefault" => "默认".to_string(),
                "style" => node
                    .children()
                    .find(|n| n.tag_name().name() == "name")
                    .and_then(|n| w_attr(n, "val"))
                    .or_else(|| w_attr(node, "styleId"))
                    .unwrap_or_default()
                    .to_string(),
                _ => continue,
            };
            for fonts in node
                .descendants()
                .filter(|n| n.tag_name().name() == "rFonts")
            {
                push_fonts(&mut uses, &element, fonts);
            }
        }
    }
    let mut parts = vec!["word/document.xml".to_string()];
    let archive = open_package(bytes, file)?;
    let mut others: Vec<String> = archive
        .file_names()
        .filter(|n| n.starts_with("word/footer") || n.starts_with("word/header"))
        .map(str::to_string)
        .collect();
    others.sort();
    parts.extend(others);
    for name in &parts {
        let Some(xml) = structure::part_xml(bytes, name, file)? else {
            continue;
        };
        let doc = parse_part(name, &xml, file)?;
        let element = if name.contains("footer") || name.contains("header") {
            "页眉页脚中的文字"
        } else {
            "正文中直接设置字体的文字"
        };
        for fonts in doc
            .descendants()
            .filter(|n| n.tag_name().name() == "rFonts")
        {
            push_fonts(&mut uses, element, fonts);
        }
    }
    Ok(uses)
}

fn w_attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

/// The East Asian font, then the Latin ones, each once per element.
fn push_fonts(uses: &mut Vec<FontUse>, element: &str, fonts: roxmltree::Node<'_, '_>) {
    for slot in ["eastAsia", "ascii", "hAnsi", "cs"] {
        let Some(font) = w_attr(fonts, slot).filter(|f| !f.is_empty()) else {
            continue;
        };
        let known = uses.iter().any(|u| u.element == element && u.font == font);
        if !known {
            uses.push(FontUse {
                element: element.to_string(),
                font: font.to_string(),
            });
        }
    }
}

/// The font families this computer has, or why it cannot tell.
#[derive(Debug, Clone)]
pub enum Installed {
    Known {
        families: BTreeSet<String>,
        /// Where they were looked for, for the writer.
        searched: String,
    },
    Unknown(String),
}

impl Installed {
    /// This computer's fonts: the folder [`FONTS_DIR_VARIABLE`] names, else the system's.
    pub fn here() -> Installed {
        if let Some(dir) = std::env::var_os(FONTS_DIR_VARIABLE) {
            return Installed::in_folders(&[PathBuf::from(dir)]);
        }
        if cfg!(windows) {
            let mut folders = Vec::new();
            if let Some(windows) = std::env::var_os("WINDIR") {
                folders.push(PathBuf::from(windows).join("Fonts"));
            }
            if let Some(local) = std::env::var_os("LOCALAPPDATA") {
                folders.push(PathBuf::from(local).join("Microsoft/Windows/Fonts"));
            }
            return Installed::in_folders(&folders);
        }
        fontconfig()
    }

    /// The families named inside the font files of `folders` and their subfolders.
    pub fn in_folders(folders: &[PathBuf]) -> Installed {
        let mut families = BTreeSet::new();
        for folder in folders {
            for entry in walkdir::WalkDir::new(folder).into_iter().flatten() {
                let font_file = entry.path().extension().is_some_and(|e| {
                    ["ttf", "otf", "ttc", "otc"]
                        .iter()
                        .any(|x| e.eq_ignore_ascii_case(x))
                });
                if font_file && entry.file_type().is_file() {
                    families.extend(family_names(entry.path()));
                }
            }
        }
        let searched = folders
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join("、");
        Installed::Known { families, searched }
    }

    /// Whether `font` is installed; `None` when this computer cannot tell.
    pub fn has(&self, font: &str) -> Option<bool> {
        match self {
            Installed::Known { families, .. } => Some(families.contains(font)),
            Installed::Unknown(_) => None,
        }
    }
}

/// `fc-list : family` prints each face's family names, comma-separated, with `\` before a
/// comma, hyphen or backslash that belongs to a name.
fn fontconfig() -> Installed {
    let output = std::process::Command::new("fc-list")
        .args([":", "family"])
        .output();
    let text = match output {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).into_owned()
        }
        _ => {
            return Installed::Unknown(
                "无法运行 fc-list（fontconfig），不知道这台电脑装了哪些字体".into(),
            );
        }
    };
    Installed::Known {
        families: fc_list_families(&text),
        searched: "fontconfig（fc-list）".into(),
    }
}

fn fc_list_families(text: &str) -> BTreeSet<String> {
    let mut families = BTreeSet::new();
    for line in text.lines() {
        let mut name = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => name.extend(chars.next()),
                ',' => {
                    families.insert(std::mem::take(&mut name).trim().to_string());
                }
                _ => name.push(c),
            }
        }
        families.insert(name.trim().to_string());
    }
    families.remove("");
    families
}

/// The family names (name ids 1 and 16, every language) of each face in a TrueType or
/// OpenType file or collection. Only the table directories and name tables are read: a
/// Fonts folder holds gigabytes.
fn family_names(path: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let Ok(mut file) = File::open(path) else {
        return names;
    };
    let Some(head) = read_at(&mut file, 0, 12) else {
        return names;
    };
    let faces: Vec<u64> = if head.starts_with(b"ttcf") {
        let count = be32(&head, 8).min(256) as usize;
        read_at(&mut file, 12, count * 4)
            .map(|offsets| {
                (0..count)
                    .map(|i| u64::from(be32(&offsets, i * 4)))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![0]
    };
    for face in faces {
        face_names(&mut file, face, &mut names);
    }
    names
}

fn face_names(file: &mut File, face: u64, names: &mut Vec<String>) -> Option<()> {
    let directory = read_at(file, face, 12)?;
    let tables = usize::from(be16(&directory, 4));
    let records = read_at(file, face + 12, tables * 16)?;
    let record = records.chunks_exact(16).find(|r| r.starts_with(b"name"))?;
    let length = (be32(record, 12) as usize).min(1 << 20);
    let table = read_at(file, u64::from(be32(record, 8)), length)?;
    let count = usize::from(be16(&table, 2));
    let storage = usize::from(be16(&table, 4));
    for i in 0..count {
        let entry = table.get(6 + i * 12..18 + i * 12)?;
        let (platform, encoding, id) = (be16(entry, 0), be16(entry, 2), be16(entry, 6));
        if id != 1 && id != 16 {
            continue;
        }
        let start = storage + usize::from(be16(entry, 10));
        let Some(bytes) = table.get(start..start + usize::from(be16(entry, 8))) else {
            continue;
        };
        let name = match (platform, encoding) {
            (0, _) | (3, 0 | 1 | 10) => {
                let units: Vec<u16> = bytes.chunks_exact(2).map(|u| be16(u, 0)).collect();
                String::from_utf16_lossy(&units)
            }
            (1, 0) if bytes.is_ascii() => String::from_utf8_lossy(bytes).into_owned(),
            _ => continue,
        };
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    Some(())
}

fn read_at(file: &mut File, offset: u64, length: usize) -> Option<Vec<u8>> {
    file.seek(SeekFrom::Start(offset)).ok()?;
    let mut bytes = vec![0; length];
    file.read_exact(&mut bytes).ok()?;
    Some(bytes)
}

fn be16(bytes: &[u8], at: usize) -> u16 {
    bytes
        .get(at..at + 2)
        .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]))
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// The fonts of `uses` this computer lacks, each once, in order of first use.
pub fn missing<'a>(uses: &'a [FontUse], installed: &Installed) -> Vec<&'a str> {
    let mut missing: Vec<&str> = Vec::new();
    for u in uses {
        if installed.has(&u.font) == Some(false) && !missing.contains(&u.font.as_str()) {
            missing.push(&u.font);
        }
    }
    missing
}

/// The built-in styles whose every font this computer has.
pub fn complete_builtins(installed: &Installed) -> Vec<&'static str> {
    BUILTIN
        .iter()
        .filter(|b| {
            Source::Builtin(b)
                .load()
                .is_ok_and(|style| style.fonts().iter().all(|f| installed.has(f) == Some(true)))
        })
        .map(|b| b.name)
        .collect()
}

/// What to do about `missing` fonts: install them, or take a built-in style this computer has
/// every font of.
pub fn advice(missing: &[&str], installed: &Installed) -> String {
    let mut advice = format!(
        "安装缺少的字体（{}；向单位信息部门索取，装好后重新打开 Word、WPS）",
        missing.join("、")
    );
    let complete = complete_builtins(installed);
    if let Some(first) = complete.first() {
        advice.push_str(&format!(
            "，或在 report.yaml 写 样式: {first}（这台电脑有它的全部字体）"
        ));
    } else {
        advice.push_str("，或在 report.yaml 写 样式: windows（Windows 10/11 自带它的字体）");
    }
    advice
}

/// The build's warning when the style names fonts this computer lacks, at `at` (the 样式
/// line of report.yaml): Word and WPS would show other faces here, though the bureau's PC
/// may have them.
pub fn missing_warning(style: &Style, installed: &Installed, at: Location) -> Option<Diagnostic> {
    let uses = of_style(style);
    let missing = missing(&uses, installed);
    if missing.is_empty() {
        return None;
    }
    Some(
        Diagnostic::warning(
            code::FONTS,
            at,
            format!(
                "这台电脑没有样式用到的字体：{}。在这里打开 .docx，Word、WPS 会换用别的字体，版面与打印稿不同（报送单位的电脑装有这些字体时不受影响）",
                missing.join("、")
            ),
        )
        .with_fix(format!("{}；gongwen fonts 列出各处用的字体", advice(&missing, installed))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fontconfig_names_are_split_at_unescaped_commas() {
        let families = fc_list_families("AR PL UMing CN,文鼎PL细上海宋\nA\\,B,C\\-D\n\n仿宋\n");
        let expected = ["AR PL UMing CN", "A,B", "C-D", "文鼎PL细上海宋", "仿宋"];
        assert_eq!(families, expected.map(String::from).into());
        let installed = Installed::Known {
            families,
            searched: String::new(),
        };
        assert_eq!(installed.has("仿宋"), Some(true));
        assert_eq!(installed.has("仿宋_GB2312"), Some(false));
        assert_eq!(Installed::Unknown(String::new()).has("仿宋"), None);
    }
}

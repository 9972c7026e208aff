//! The .docx package: the parts gongwen uses, deflate-compressed, with their content types and
//! relationships. docx-rs writes the parts; this module decides which go in the zip (not its
//! comments, numbering and custom properties, which nothing refers to) and writes the
//! package's own parts: content types, relationships, the theme and the properties.

use std::fmt::Write as _;
use std::io::Write as _;

use zip::write::SimpleFileOptions;

use crate::input::source::Fingerprint;
use crate::render::xml::escape;

use super::tree::Part as Tree;

/// The package's WordprocessingML parts as trees, put right by [`super::patch`].
pub struct Parts {
    pub document: Tree,
    pub styles: Tree,
    pub settings: Tree,
    pub font_table: Tree,
    pub footers: Vec<Tree>,
}

impl Parts {
    pub fn all_mut(&mut self) -> impl Iterator<Item = &mut Tree> {
        [
            &mut self.document,
            &mut self.styles,
            &mut self.settings,
            &mut self.font_table,
        ]
        .into_iter()
        .chain(self.footers.iter_mut())
    }
}

/// The footers' part names and the relationship ids the document's sections refer to them by
/// (given by [`super::patch`] in order of appearance).
pub const FOOTERS: [(&str, &str); 2] = [
    ("word/footer1.xml", "rIdFooter1"),
    ("word/footer2.xml", "rIdFooter2"),
];

/// What docProps/core.xml says about the report: every value from report.yaml.
pub struct Properties<'a> {
    pub title: &'a str,
    /// The 单位, as the document's author.
    pub creator: &'a str,
    /// ISO 8601 date and time.
    pub date: Option<&'a str>,
    /// What the report was built from, kept in docProps/custom.xml (Word and WPS keep custom
    /// properties on save) so that `gongwen absorb` knows the .docx and what changed since.
    pub sources: Option<&'a Fingerprint>,
}

const WORDML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
const RELATIONSHIP: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const THEME: &str = include_str!("theme1.xml");

/// A part of the package: its name, content type, and (for the document's parts) the
/// relationship id and type the document refers to it by.
struct Part<'a> {
    name: &'a str,
    content_type: String,
    relationship: Option<(&'a str, &'static str)>,
    bytes: &'a [u8],
}

pub fn write(
    xml: &Parts,
    footnotes: Option<&[u8]>,
    properties: &Properties,
) -> zip::result::ZipResult<Vec<u8>> {
    let wordml = |kind: &str| format!("{WORDML}.{kind}+xml");
    let core = core(properties);
    let custom = properties.sources.map(custom);
    let document = xml.document.write();
    let styles = xml.styles.write();
    let settings = xml.settings.write();
    let font_table = xml.font_table.write();
    let footers: Vec<Vec<u8>> = xml.footers.iter().map(Tree::write).collect();
    let app = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>gongwen {}</Application></Properties>",
        env!("CARGO_PKG_VERSION")
    );
    let mut parts = vec![
        Part {
            name: "word/document.xml",
            content_type: wordml("document.main"),
            relationship: None,
            bytes: &document,
        },
        Part {
            name: "word/styles.xml",
            content_type: wordml("styles"),
            relationship: Some(("rId1", "styles")),
            bytes: &styles,
        },
        Part {
            name: "word/settings.xml",
            content_type: wordml("settings"),
            relationship: Some(("rId2", "settings")),
            bytes: &settings,
        },
        Part {
            name: "word/fontTable.xml",
            content_type: wordml("fontTable"),
            relationship: Some(("rId3", "fontTable")),
            bytes: &font_table,
        },
        Part {
            name: "word/theme/theme1.xml",
            content_type: "application/vnd.openxmlformats-officedocument.theme+xml".into(),
            relationship: Some(("rId4", "theme")),
            bytes: THEME.as_bytes(),
        },
    ];
    if let Some(footnotes) = footnotes {
        parts.push(Part {
            name: "word/footnotes.xml",
            content_type: wordml("footnotes"),
            relationship: Some(("rId5", "footnotes")),
            bytes: footnotes,
        });
    }
    for ((name, id), footer) in FOOTERS.into_iter().zip(&footers) {
        parts.push(Part {
            name,
            content_type: wordml("footer"),
            relationship: Some((id, "footer")),
            bytes: footer,
        });
    }
    parts.push(Part {
        name: "docProps/core.xml",
        content_type: "application/vnd.openxmlformats-package.core-properties+xml".into(),
        relationship: None,
        bytes: core.as_bytes(),
    });
    parts.push(Part {
        name: "docProps/app.xml",
        content_type: "application/vnd.openxmlformats-officedocument.extended-properties+xml"
            .into(),
        relationship: None,
        bytes: app.as_bytes(),
    });
    if let Some(custom) = &custom {
        parts.push(Part {
            name: "docProps/custom.xml",
            content_type: "application/vnd.openxmlformats-officedocument.custom-properties+xml"
                .into(),
            relationship: None,
            bytes: custom.as_bytes(),
        });
    }

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(32 * 1024)));
    let mut add = |name: &str, bytes: &[u8]| {
        zip.start_file(name, entry_options(bytes))
            .and_then(|()| zip.write_all(bytes).map_err(Into::into))
    };
    add("[Content_Types].xml", content_types(&parts).as_bytes())?;
    add(
        "_rels/.rels",
        package_relationships(custom.is_some()).as_bytes(),
    )?;
    add(
        "word/_rels/document.xml.rels",
        document_relationships(&parts).as_bytes(),
    )?;
    for part in &parts {
        add(part.name, part.bytes)?;
    }
    zip.finish().map(std::io::Cursor::into_inner)
}

/// How an entry of a package gongwen writes is stored. No date: the zip crate then writes its
/// fixed one (1980-01-01), never the clock. The entries say Unix with fixed permissions on
/// every host, where the zip crate would otherwise record the system it runs on: the same
/// bytes on Windows too.
fn entry_options(bytes: &[u8]) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .system(zip::System::Unix)
        .unix_permissions(0o644)
        .compression_method(compression(bytes))
        .compression_level(level(bytes))
}

/// Parts under 4 KiB (all but the document, its styles and footnotes) are stored: setting up
/// a compressor for each one cost more of a build than deflating the rest, to save a few
/// hundred bytes apiece. Fuzzing builds (cargo-fuzz sets cfg(fuzzing)) store every part: the
/// harness would only inflate them again to parse them.
fn compression(bytes: &[u8]) -> zip::CompressionMethod {
    if cfg!(fuzzing) || bytes.len() < 4096 {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    }
}

/// Deflate's fastest level for the parts it compresses: a larger document part costs a
/// build more at the default level than the few kilobytes that level saves are worth.
fn level(bytes: &[u8]) -> Option<i64> {
    (compression(bytes) == zip::CompressionMethod::Deflated).then_some(1)
}

fn content_types(parts: &[Part]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    );
    for part in parts {
        let _ = write!(
            out,
            "<Override PartName=\"/{}\" ContentType=\"{}\"/>",
            part.name, part.content_type
        );
    }
    out.push_str("</Types>");
    out
}

fn package_relationships(custom: bool) -> String {
    let custom = if custom {
        format!(
            "<Relationship Id=\"rId4\" Type=\"{RELATIONSHIP}/custom-properties\" Target=\"docProps/custom.xml\"/>"
        )
    } else {
        String::new()
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{RELATIONSHIP}/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"{RELATIONSHIP}/extended-properties\" Target=\"docProps/app.xml\"/>{custom}</Relationships>"
    )
}

/// docProps/custom.xml: the sources' digest and each file's, as text properties (pid from 2,
/// as Word numbers them, under the format id Word gives user-defined properties; see
/// [`Fingerprint::properties`]).
fn custom(sources: &Fingerprint) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">",
    );
    for (pid, (name, value)) in sources.properties().into_iter().enumerate() {
        let _ = write!(
            out,
            "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{}\" name=\"",
            pid + 2
        );
        escape(&mut out, &name);
        out.push_str("\"><vt:lpwstr>");
        escape(&mut out, &value);
        out.push_str("</vt:lpwstr></property>");
    }
    out.push_str("</Properties>");
    out
}

fn document_relationships(parts: &[Part]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for part in parts {
        if let Some((id, kind)) = part.relationship {
            let target = part.name.trim_start_matches("word/");
            let _ = write!(
                out,
                "<Relationship Id=\"{id}\" Type=\"{RELATIONSHIP}/{kind}\" Target=\"{target}\"/>"
            );
        }
    }
    out.push_str("</Relationships>");
    out
}

fn core(properties: &Properties) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>",
    );
    escape(&mut out, &properties.title.replace('\n', ""));
    out.push_str("</dc:title><dc:creator>");
    escape(&mut out, properties.creator);
    out.push_str("</dc:creator><cp:lastModifiedBy>");
    escape(&mut out, properties.creator);
    out.push_str("</cp:lastModifiedBy>");
    if let Some(date) = properties.date {
        for element in ["created", "modified"] {
            out.push_str("<dcterms:");
            out.push_str(element);
            out.push_str(" xsi:type=\"dcterms:W3CDTF\">");
            escape(&mut out, date);
            out.push_str("</dcterms:");
            out.push_str(element);
            out.push('>');
        }
    }
    out.push_str("</cp:coreProperties>");
    out
}

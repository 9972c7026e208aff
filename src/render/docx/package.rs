//! Packs the parts into the .docx zip. docx-rs's own `pack()` lets the zip crate record the
//! host system in every entry (Unix on Linux, DOS on Windows, with attributes to match), so
//! the same sources gave different bytes on Windows. This writes the same entries in the same
//! order, always as from Unix: one file, byte for byte, on every platform.

use std::io::{Cursor, Write};

use docx_rs::XMLDocx;
use zip::System;
use zip::write::SimpleFileOptions;

pub fn pack(xml: XMLDocx) -> zip::result::ZipResult<Vec<u8>> {
    let mut bytes = Vec::with_capacity(xml.document.len() + 32 * 1024);
    let mut zip = zip::ZipWriter::new(Cursor::new(&mut bytes));
    let folder = SimpleFileOptions::default().system(System::Unix);
    for name in ["word/", "word/_rels", "_rels/", "docProps/"] {
        zip.add_directory(name, folder)?;
    }
    // Parts are stored uncompressed: the document and about 30 KB of others.
    let file = folder
        .compression_method(zip::CompressionMethod::Stored)
        .unix_permissions(0o755);
    let mut parts: Vec<(String, &[u8])> = vec![
        ("[Content_Types].xml".into(), &xml.content_type),
        ("_rels/.rels".into(), &xml.rels),
        ("docProps/app.xml".into(), &xml.doc_props.app),
        ("docProps/core.xml".into(), &xml.doc_props.core),
        ("docProps/custom.xml".into(), &xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), &xml.document_rels),
        ("word/document.xml".into(), &xml.document),
        ("word/styles.xml".into(), &xml.styles),
        ("word/settings.xml".into(), &xml.settings),
        ("word/fontTable.xml".into(), &xml.font_table),
        ("word/comments.xml".into(), &xml.comments),
        ("word/numbering.xml".into(), &xml.numberings),
        ("word/commentsExtended.xml".into(), &xml.comments_extended),
        ("word/footnotes.xml".into(), &xml.footnotes),
    ];
    for (kind, contents, rels) in [
        ("header", &xml.headers, &xml.header_rels),
        ("footer", &xml.footers, &xml.footer_rels),
    ] {
        for (i, part) in contents.iter().enumerate() {
            parts.push((format!("word/{kind}{}.xml", i + 1), part));
            if let Some(rels) = rels.get(i) {
                parts.push((format!("word/_rels/{kind}{}.xml.rels", i + 1), rels));
            }
        }
    }
    for (name, bytes) in parts {
        zip.start_file(name, file)?;
        zip.write_all(bytes)?;
    }
    zip.finish()?;
    Ok(bytes)
}

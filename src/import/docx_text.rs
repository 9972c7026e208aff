//! The text of any .docx (ours, Word's, LibreOffice's), one paragraph a line, table rows as
//! `| a | b |`: what `git diff` shows through textconv.

use std::io::Read;
use std::path::Path;

use crate::diag::code;
use crate::diag::{Error, Location, Result};

pub mod edited;
pub mod structure;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A 100× sample report's document.xml is 5 MB; a zip that unpacks to more than this is a
/// bomb or not a report, and is refused before it fills the memory.
const MAX_DOCUMENT_BYTES: u64 = 64 << 20;

/// The most XML nodes a part may have. Each takes the XML reader about a hundred bytes, so
/// a part of empty paragraphs that unpacks within [`MAX_DOCUMENT_BYTES`] would take
/// gigabytes; a 100× sample's document.xml has about a hundred thousand.
const MAX_NODES: u32 = 2_000_000;

/// `Err` says why the bytes of `file` are not a readable .docx.
pub fn docx_text(bytes: &[u8], file: &Path) -> Result<String> {
    let xml = document_xml(bytes, MAX_DOCUMENT_BYTES, file)?;
    let doc = parse_part("word/document.xml", &xml, file)?;
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or_else(|| unreadable(file, "word/document.xml 没有正文".to_string()))?;
    let mut lines = Vec::new();
    blocks(body, &mut lines);
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// The part `name` of `file`, parsed within [`MAX_NODES`].
pub fn parse_part<'a>(name: &str, xml: &'a str, file: &Path) -> Result<roxmltree::Document<'a>> {
    let options = roxmltree::ParsingOptions {
        nodes_limit: MAX_NODES,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(xml, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => unreadable(
            file,
            format!("{name} 的 XML 元素超过 {MAX_NODES} 个的上限，不是一份报告"),
        ),
        e => unreadable(file, format!("{name} 不是合法的 XML：{}", malformed(&e))),
    })
}

/// What is wrong with a part's XML, in the writers' words, with where in the part.
fn malformed(error: &roxmltree::Error) -> String {
    use roxmltree::Error as E;
    let at = error.pos();
    let what = match error {
        E::UnexpectedEndOfStream | E::UnclosedRootNode => {
            return "在结尾处中断，文件不完整（可能没有保存完，或传送时损坏）".into();
        }
        E::NoRootNode => return "内容是空的".into(),
        E::DtdDetected => return "含有文档类型声明（DTD），Word 保存的文件里没有".into(),
        E::NodesLimitReached | E::AttributesLimitReached | E::NamespacesLimitReached => {
            return "元素或属性多得超出上限，不是一份报告".into();
        }
        E::UnexpectedCloseTag(..) | E::UnexpectedEntityCloseTag(_) => "结束标记与开始标记不配对",
        E::UnknownEntityReference(..)
        | E::MalformedEntityReference(_)
        | E::EntityReferenceLoop(_)
        | E::EntityResolver(..) => "有无法识别的实体引用（&…;）",
        E::NonXmlChar(..) | E::InvalidChar(..) | E::InvalidChar2(..) => "有 XML 不允许的字符",
        E::UnknownNamespace(..)
        | E::DuplicatedNamespace(..)
        | E::InvalidXmlPrefixUri(_)
        | E::UnexpectedXmlUri(_)
        | E::UnexpectedXmlnsUri(_)
        | E::InvalidElementNamePrefix(_) => "命名空间不正确",
        E::DuplicatedAttribute(..) | E::InvalidAttributeValue(_) => "属性重复或属性值不正确",
        _ => "写法不正确",
    };
    format!("第 {} 行第 {} 列{what}", at.row, at.col)
}

/// Why `file` is not a .docx gongwen can read, at its start.
pub fn unreadable(file: &Path, message: String) -> Error {
    Error::from(
        crate::diag::Diagnostic::error(code::READ, Location::new(file, 1, 1), message).with_fix(
            "请确认这是 Word、WPS 或 LibreOffice 保存的 .docx 文件（.doc 请先另存为 .docx）。",
        ),
    )
}

/// The zip package of the .docx `file`, read from `bytes`.
pub fn open_package<'a>(
    bytes: &'a [u8],
    file: &Path,
) -> Result<zip::ZipArchive<std::io::Cursor<&'a [u8]>>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        let why = match e {
            zip::result::ZipError::UnsupportedArchive(_) => {
                "用了不支持的压缩方式或加了密码（有密码的文件请先在 Word 或 WPS 中取消密码）"
            }
            _ => "不是 .docx（zip）文件，或文件已损坏",
        };
        unreadable(file, why.to_string())
    })
}

/// Why the part `name` could not be unpacked as text.
pub fn unpack_failure(file: &Path, name: &str, error: &std::io::Error) -> Error {
    let why = if error.kind() == std::io::ErrorKind::InvalidData {
        "不是 UTF-8 编码的文字，或压缩数据已损坏"
    } else {
        "无法解压，文件已损坏"
    };
    unreadable(file, format!("{name} {why}"))
}

/// word/document.xml, unpacked as long as it is no longer than `limit`.
fn document_xml(bytes: &[u8], limit: u64, file: &Path) -> Result<String> {
    let mut archive = open_package(bytes, file)?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| unreadable(file, "缺少 word/document.xml".to_string()))?
        .take(limit + 1)
        .read_to_string(&mut xml)
        .map_err(|e| unpack_failure(file, "word/document.xml", &e))?;
    if xml.len() as u64 > limit {
        return Err(unreadable(
            file,
            format!(
                "word/document.xml 解压后超过 {} MB，不是一份报告",
                limit >> 20
            ),
        ));
    }
    Ok(xml)
}

/// Paragraphs and table rows in document order. Content controls and custom XML wrap blocks
/// to any depth, so they are opened from a stack: a file nested 300,000 deep overflowed the
/// call stack when this recursed.
fn blocks(body: roxmltree::Node<'_, '_>, lines: &mut Vec<String>) {
    let mut pending = elements_last_first(body);
    while let Some(node) = pending.pop() {
        match node.tag_name().name() {
            "p" if node.tag_name().namespace() == Some(W) => lines.push(paragraph(node)),
            "tbl" => {
                for row in node.children().filter(|n| n.has_tag_name((W, "tr"))) {
                    let cells: Vec<String> = row
                        .children()
                        .filter(|n| n.has_tag_name((W, "tc")))
                        .map(|cell| {
                            cell.descendants()
                                .filter(|n| n.has_tag_name((W, "p")))
                                .map(paragraph)
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .collect();
                    lines.push(format!("| {} |", cells.join(" | ")));
                }
            }
            "sdt" | "sdtContent" | "customXml" => pending.extend(elements_last_first(node)),
            _ => {}
        }
    }
}

/// The element children of `node`, last first, so that popping them gives document order.
fn elements_last_first<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
) -> Vec<roxmltree::Node<'a, 'input>> {
    let mut children: Vec<_> = node
        .children()
        .filter(roxmltree::Node::is_element)
        .collect();
    children.reverse();
    children
}

/// A paragraph's current text: deleted text (w:delText) and field instructions left out.
fn paragraph(p: roxmltree::Node<'_, '_>) -> String {
    let mut out = String::new();
    for node in p.descendants() {
        if node.tag_name().namespace() != Some(W) {
            continue;
        }
        match node.tag_name().name() {
            "t" => out.push_str(node.text().unwrap_or("")),
            "tab" if node.parent().is_some_and(|p| p.has_tag_name((W, "r"))) => out.push('\t'),
            "br" | "cr" => out.push(' '),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn docx(body: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        write!(
            zip,
            r#"<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
        )
        .unwrap();
        zip.finish().unwrap().into_inner()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn content_controls_keep_document_order_at_any_depth() {
        let body = format!(
            "{}<w:sdt><w:sdtContent>{}{}</w:sdtContent></w:sdt>{}",
            p("甲"),
            p("乙"),
            p("丙"),
            p("丁")
        );
        assert_eq!(
            docx_text(&docx(&body), Path::new("a.docx")).unwrap(),
            "甲\n乙\n丙\n丁\n"
        );
        let depth = 100_000;
        let nested = format!(
            "{}{}{}",
            "<w:sdt>".repeat(depth),
            p("深"),
            "</w:sdt>".repeat(depth)
        );
        assert_eq!(
            docx_text(&docx(&nested), Path::new("a.docx")).unwrap(),
            "深\n"
        );
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let bomb = docx(&" ".repeat(3 << 20));
        assert!(bomb.len() < 1 << 20);
        let file = Path::new("炸弹.docx");
        let err = document_xml(&bomb, 2 << 20, file).unwrap_err().diagnostic();
        assert_eq!(err.location, Location::new(file, 1, 1));
        assert!(err.message.contains("超过 2 MB"), "{err}");
        assert!(document_xml(&bomb, 4 << 20, file).is_ok());
    }
}

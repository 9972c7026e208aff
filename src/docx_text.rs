//! The text of any .docx (ours, Word's, LibreOffice's), one paragraph a line, table rows as
//! `| a | b |`: what `git diff` shows through textconv.

use std::io::Read;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// `Err` says why the bytes are not a readable .docx.
pub fn docx_text(bytes: &[u8]) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("不是 .docx（zip）文件：{e}"))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| "缺少 word/document.xml".to_string())?
        .read_to_string(&mut xml)
        .map_err(|e| e.to_string())?;
    let doc = roxmltree::Document::parse(&xml)
        .map_err(|e| format!("word/document.xml 不是合法的 XML：{e}"))?;
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or_else(|| "word/document.xml 没有正文".to_string())?;
    let mut lines = Vec::new();
    blocks(body, &mut lines);
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

fn blocks(parent: roxmltree::Node<'_, '_>, lines: &mut Vec<String>) {
    for node in parent.children().filter(roxmltree::Node::is_element) {
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
            "sdt" | "sdtContent" | "customXml" => blocks(node, lines),
            _ => {}
        }
    }
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

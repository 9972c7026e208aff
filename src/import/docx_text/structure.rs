//! The structure of a .docx beyond its text, for `gongwen import`: each paragraph's style,
//! outline level, automatic number (numbering.xml rendered as Word shows it), alignment and
//! runs with their formatting; tables cell by cell; footnotes at their references.

use std::collections::HashMap;
use std::path::Path;

use roxmltree::{Document, Node};

use super::{MAX_DOCUMENT_BYTES, W, document_xml, elements_last_first, parse_part, unreadable};
use crate::diag::Result;

/// styles.xml, numbering.xml and footnotes.xml are a few hundred KB in real reports.
const MAX_PART_BYTES: u64 = 16 << 20;
/// Word offers nine list levels, and numbers like "第%1章" or "（%2）".
const MAX_LIST_LEVEL: u8 = 8;
const MAX_LEVEL_TEXT: usize = 16;
/// A footnote longer than this is not a footnote; it is cut there.
const MAX_FOOTNOTE_CHARS: usize = 4000;
/// Style chains (basedOn) deeper than this are a loop or a hostile file.
const MAX_STYLE_DEPTH: usize = 16;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paragraph {
    /// The style's name as styles.xml gives it ("heading 1", "Body Text"), lower-cased.
    pub style: Option<String>,
    /// 0-based outline level (w:outlineLvl) from the paragraph or its style.
    pub outline_level: Option<u8>,
    /// The automatic number Word shows before the text ("（一）", "1."), from numbering.xml.
    pub number: Option<String>,
    pub centered: bool,
    pub runs: Vec<Run>,
}

impl Paragraph {
    /// The text as a reader sees it: line breaks as '\n', footnotes left out.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for run in &self.runs {
            match run {
                Run::Text { text, .. } => out.push_str(text),
                Run::Break => out.push('\n'),
                Run::Footnote(_) => {}
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    Text {
        text: String,
        bold: bool,
        italic: bool,
        /// The East Asian font (w:rFonts w:eastAsia) in effect, from the run or its styles.
        font: Option<String>,
    },
    Break,
    /// A footnote's text, where its reference stands.
    Footnote(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    /// Rows of cells; a cell is its paragraphs.
    Table(Vec<Vec<Vec<Paragraph>>>),
}

/// The blocks of word/document.xml in document order. `Err` says, in Chinese, which part of
/// `file` is broken and how.
pub fn read(bytes: &[u8], file: &Path) -> Result<Vec<Block>> {
    let xml = document_xml(bytes, MAX_DOCUMENT_BYTES, file)?;
    let doc = parse_part("word/document.xml", &xml, file)?;
    let styles_xml = part_xml(bytes, "word/styles.xml", file)?;
    let styles = match &styles_xml {
        Some(xml) => Styles::read(&parse_part("word/styles.xml", xml, file)?),
        None => Styles::default(),
    };
    let numbering_xml = part_xml(bytes, "word/numbering.xml", file)?;
    let mut numbering = match &numbering_xml {
        Some(xml) => Numbering::read(&parse_part("word/numbering.xml", xml, file)?),
        None => Numbering::default(),
    };
    let footnotes_xml = part_xml(bytes, "word/footnotes.xml", file)?;
    let footnotes = match &footnotes_xml {
        Some(xml) => read_footnotes(&parse_part("word/footnotes.xml", xml, file)?, &styles),
        None => HashMap::new(),
    };
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or_else(|| unreadable(file, "word/document.xml 没有正文（w:body）".to_string()))?;
    let reader = Reader {
        styles: &styles,
        footnotes: &footnotes,
        cited: Default::default(),
    };
    let mut blocks = Vec::new();
    let mut pending = elements_last_first(body);
    while let Some(node) = pending.pop() {
        if node.tag_name().namespace() != Some(W) {
            continue;
        }
        match node.tag_name().name() {
            "p" => blocks.push(Block::Paragraph(
                reader.paragraph(node, Some(&mut numbering)),
            )),
            "tbl" => blocks.push(Block::Table(reader.table(node))),
            "sdt" | "sdtContent" | "customXml" => pending.extend(elements_last_first(node)),
            _ => {}
        }
    }
    Ok(blocks)
}

/// An optional part of the package, bounded like document.xml.
pub fn part_xml(bytes: &[u8], name: &str, file: &Path) -> Result<Option<String>> {
    use std::io::Read;
    let mut archive = super::open_package(bytes, file)?;
    let Ok(entry) = archive.by_name(name) else {
        return Ok(None);
    };
    let mut xml = String::new();
    entry
        .take(MAX_PART_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| super::unpack_failure(file, name, &e))?;
    if xml.len() as u64 > MAX_PART_BYTES {
        return Err(unreadable(
            file,
            format!(
                "{name} 解压后超过 {} MB，不是一份报告",
                MAX_PART_BYTES >> 20
            ),
        ));
    }
    Ok(Some(xml))
}

fn w_attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name((W, name)))
}

/// w:b, w:i …: on unless w:val says 0 / false / off.
fn toggle(props: Node<'_, '_>, name: &str) -> Option<bool> {
    child(props, name).map(|n| !matches!(w_attr(n, "val"), Some("0" | "false" | "off")))
}

/// What a style contributes, before its basedOn chain is followed.
#[derive(Debug, Clone, Default)]
struct Style {
    name: Option<String>,
    based_on: Option<String>,
    outline_level: Option<u8>,
    numbering: Option<(String, u8)>,
    bold: Option<bool>,
    italic: Option<bool>,
    font: Option<String>,
    centered: Option<bool>,
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    default_paragraph: Option<String>,
    default_font: Option<String>,
}

impl Styles {
    fn read(doc: &Document<'_>) -> Self {
        let mut styles = Styles {
            default_font: doc
                .descendants()
                .find(|n| n.has_tag_name((W, "rPrDefault")))
                .and_then(|n| n.descendants().find(|n| n.has_tag_name((W, "rFonts"))))
                .and_then(|n| w_attr(n, "eastAsia"))
                .map(str::to_string),
            ..Styles::default()
        };
        for node in doc.descendants().filter(|n| n.has_tag_name((W, "style"))) {
            let Some(id) = w_attr(node, "styleId") else {
                continue;
            };
            if w_attr(node, "type") == Some("paragraph")
                && matches!(w_attr(node, "default"), Some("1" | "true"))
            {
                styles.default_paragraph = Some(id.to_string());
            }
            let ppr = child(node, "pPr");
            let rpr = child(node, "rPr");
            let style = Style {
                name: child(node, "name")
                    .and_then(|n| w_attr(n, "val"))
                    .map(str::to_lowercase),
                based_on: child(node, "basedOn")
                    .and_then(|n| w_attr(n, "val"))
                    .map(str::to_string),
                outline_level: ppr.and_then(outline_level),
                numbering: ppr.and_then(numbering_props),
                bold: rpr.and_then(|r| toggle(r, "b")),
                italic: rpr.and_then(|r| toggle(r, "i")),
                font: rpr.and_then(east_asian_font),
                centered: ppr.and_then(centered),
            };
            styles.by_id.insert(id.to_string(), style);
        }
        styles
    }

    /// The first value `get` finds along the style's basedOn chain.
    fn lookup<T>(&self, id: Option<&str>, get: impl Fn(&Style) -> Option<T>) -> Option<T> {
        let mut id = id?;
        for _ in 0..MAX_STYLE_DEPTH {
            let style = self.by_id.get(id)?;
            if let Some(value) = get(style) {
                return Some(value);
            }
            id = style.based_on.as_deref()?;
        }
        None
    }
}

fn outline_level(ppr: Node<'_, '_>) -> Option<u8> {
    child(ppr, "outlineLvl")
        .and_then(|n| w_attr(n, "val"))
        .and_then(|v| v.parse().ok())
}

fn numbering_props(ppr: Node<'_, '_>) -> Option<(String, u8)> {
    let numpr = child(ppr, "numPr")?;
    let id = w_attr(child(numpr, "numId")?, "val")?.to_string();
    let level = child(numpr, "ilvl")
        .and_then(|n| w_attr(n, "val"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some((id, level))
}

fn east_asian_font(rpr: Node<'_, '_>) -> Option<String> {
    child(rpr, "rFonts")
        .and_then(|n| w_attr(n, "eastAsia"))
        .map(str::to_string)
}

fn centered(ppr: Node<'_, '_>) -> Option<bool> {
    child(ppr, "jc")
        .and_then(|n| w_attr(n, "val"))
        .map(|v| v == "center")
}

/// One level of an abstract numbering definition.
#[derive(Debug, Clone)]
struct Level {
    format: String,
    text: String,
    start: u64,
}

/// numbering.xml, and the counters as the document is read.
#[derive(Debug, Default)]
struct Numbering {
    /// numId → its abstract definition's levels (by ilvl).
    levels: HashMap<String, HashMap<u8, Level>>,
    /// Counters per abstract list: instances of one definition continue its count.
    abstract_of: HashMap<String, String>,
    counters: HashMap<String, Vec<u64>>,
    /// Levels a numId restarts (w:lvlOverride: w:startOverride, or a w:lvl of its own) the
    /// first time it numbers them: Word's "restart at 1" for a list that reuses a definition.
    restarts: HashMap<(String, u8), u64>,
}

impl Numbering {
    fn read(doc: &Document<'_>) -> Self {
        let mut abstracts = HashMap::new();
        for node in doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "abstractNum")))
        {
            let Some(id) = w_attr(node, "abstractNumId") else {
                continue;
            };
            abstracts.insert(id.to_string(), levels_of(node));
        }
        let mut numbering = Numbering::default();
        for node in doc.descendants().filter(|n| n.has_tag_name((W, "num"))) {
            let (Some(id), Some(abstract_id)) = (
                w_attr(node, "numId"),
                child(node, "abstractNumId").and_then(|n| w_attr(n, "val")),
            ) else {
                continue;
            };
            let mut levels: HashMap<u8, Level> =
                abstracts.get(abstract_id).cloned().unwrap_or_default();
            for over in node
                .children()
                .filter(|n| n.has_tag_name((W, "lvlOverride")))
            {
                let Some(ilvl) = w_attr(over, "ilvl").and_then(|v| v.parse().ok()) else {
                    continue;
                };
                let own = child(over, "lvl").and_then(|l| level_of(l));
                let start = child(over, "startOverride")
                    .and_then(|n| w_attr(n, "val"))
                    .and_then(|v| v.parse().ok())
                    .or(own.as_ref().map(|l| l.start));
                if let Some(level) = own {
                    levels.insert(ilvl, level);
                }
                if let (Some(start), Some(level)) = (start, levels.get_mut(&ilvl)) {
                    level.start = start;
                    numbering.restarts.insert((id.to_string(), ilvl), start);
                }
            }
            numbering.levels.insert(id.to_string(), levels);
            numbering
                .abstract_of
                .insert(id.to_string(), abstract_id.to_string());
        }
        numbering
    }

    /// The number the next paragraph of list `id` at `ilvl` shows, counting it.
    fn next(&mut self, id: &str, ilvl: u8) -> Option<String> {
        if ilvl > MAX_LIST_LEVEL {
            return None;
        }
        let levels = self.levels.get(id)?;
        let level = levels.get(&ilvl)?;
        let key = self.abstract_of.get(id)?.clone();
        let counters = self.counters.entry(key).or_default();
        let index = usize::from(ilvl);
        if counters.len() <= index {
            counters.resize(index + 1, 0);
        }
        let restart = self.restarts.remove(&(id.to_string(), ilvl));
        counters[index] = if let Some(start) = restart {
            start
        } else if counters[index] == 0 {
            level.start
        } else {
            counters[index].saturating_add(1)
        };
        counters.truncate(index + 1);
        if level.format == "none" {
            return Some(String::new());
        }
        let mut label = level.text.clone();
        for (i, &value) in counters.iter().enumerate() {
            let format = u8::try_from(i)
                .ok()
                .and_then(|l| levels.get(&l))
                .map_or("decimal", |l| l.format.as_str());
            label = label.replace(&format!("%{}", i + 1), &format_number(value, format));
        }
        Some(label)
    }
}

fn levels_of(abstract_num: Node<'_, '_>) -> HashMap<u8, Level> {
    abstract_num
        .children()
        .filter(|n| n.has_tag_name((W, "lvl")))
        .filter_map(|lvl| Some((w_attr(lvl, "ilvl")?.parse().ok()?, level_of(lvl)?)))
        .collect()
}

fn level_of(lvl: Node<'_, '_>) -> Option<Level> {
    let value = |name| child(lvl, name).and_then(|n| w_attr(n, "val"));
    // Word's numbers are a few characters ("（%2）"); a longer one is not a heading number.
    if value("lvlText").is_some_and(|t| t.chars().count() > MAX_LEVEL_TEXT) {
        return None;
    }
    Some(Level {
        format: value("numFmt").unwrap_or("decimal").to_string(),
        text: value("lvlText").unwrap_or("").to_string(),
        start: value("start").and_then(|v| v.parse().ok()).unwrap_or(1),
    })
}

/// A counter in one of numbering.xml's formats, as the marker parser reads it: every format
/// that prints Chinese numerals (Word's, LibreOffice's taiwaneseCountingThousand, Japanese
/// and legal forms, 甲乙丙) as 一二三, full-width and enclosed digits as Word prints them;
/// others (decimal, letters, Roman) as decimal.
fn format_number(n: u64, format: &str) -> String {
    let enclosed = |first: char, last: u64| {
        (1..=last)
            .contains(&n)
            .then(|| char::from_u32(first as u32 + n as u32 - 1))
            .flatten()
            .map_or_else(|| n.to_string(), String::from)
    };
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "chineseLegalSimplified"
        | "ideographDigital"
        | "ideographLegalTraditional"
        | "ideographTraditional"
        | "ideographZodiac"
        | "ideographZodiacTraditional"
        | "japaneseCounting"
        | "japaneseDigitalTenThousand"
        | "japaneseLegal"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "taiwaneseDigital" => crate::document::markers::chinese_numeral(n),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed('①', 20),
        "decimalEnclosedParen" => enclosed('⑴', 20),
        "decimalEnclosedFullstop" => enclosed('⒈', 20),
        "ideographEnclosedCircle" => enclosed('㊀', 10),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        _ => n.to_string(),
    }
}

fn read_footnotes(doc: &Document<'_>, styles: &Styles) -> HashMap<String, String> {
    let reader = Reader {
        styles,
        footnotes: &HashMap::new(),
        cited: Default::default(),
    };
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "footnote")))
        .filter(|n| w_attr(*n, "type").is_none_or(|t| t == "normal"))
        .filter_map(|n| {
            let text = n
                .children()
                .filter(|p| p.has_tag_name((W, "p")))
                .map(|p| reader.paragraph(p, None).text())
                .collect::<Vec<_>>()
                .join("\n");
            let text: String = text.trim().chars().take(MAX_FOOTNOTE_CHARS).collect();
            Some((w_attr(n, "id")?.to_string(), text))
        })
        .collect()
}

struct Reader<'a> {
    styles: &'a Styles,
    footnotes: &'a HashMap<String, String>,
    /// A footnote is printed at its first reference only: a file that refers to one note a
    /// million times does not copy it a million times.
    cited: std::cell::RefCell<std::collections::HashSet<String>>,
}

impl Reader<'_> {
    fn paragraph(&self, p: Node<'_, '_>, numbering: Option<&mut Numbering>) -> Paragraph {
        let ppr = child(p, "pPr");
        let style_id = ppr
            .and_then(|n| child(n, "pStyle"))
            .and_then(|n| w_attr(n, "val"))
            .or(self.styles.default_paragraph.as_deref());
        let styles = self.styles;
        let numbering_props = ppr
            .and_then(numbering_props)
            .or_else(|| styles.lookup(style_id, |s| s.numbering.clone()));
        let number = match (numbering, numbering_props) {
            (Some(numbering), Some((id, ilvl))) if id != "0" => numbering.next(&id, ilvl),
            _ => None,
        };
        let mut paragraph = Paragraph {
            style: styles.lookup(style_id, |s| s.name.clone()),
            outline_level: ppr
                .and_then(outline_level)
                .or_else(|| styles.lookup(style_id, |s| s.outline_level))
                .filter(|&l| l < 9),
            number,
            centered: ppr
                .and_then(centered)
                .or_else(|| styles.lookup(style_id, |s| s.centered))
                .unwrap_or(false),
            runs: Vec::new(),
        };
        let inherited = RunProps {
            bold: styles.lookup(style_id, |s| s.bold).unwrap_or(false),
            italic: styles.lookup(style_id, |s| s.italic).unwrap_or(false),
            font: styles
                .lookup(style_id, |s| s.font.clone())
                .or_else(|| styles.default_font.clone()),
        };
        // Walked from a stack, skipping deleted and moved-from text (not what the document
        // says now) as whole subtrees: a file nested deep runs in linear time.
        let mut pending = elements_last_first(p);
        while let Some(node) = pending.pop() {
            match node.tag_name().name() {
                "del" | "moveFrom" | "pPr" => {}
                "r" => self.run(node, &inherited, &mut paragraph.runs),
                _ => pending.extend(elements_last_first(node)),
            }
        }
        paragraph
    }

    fn run(&self, run: Node<'_, '_>, inherited: &RunProps, out: &mut Vec<Run>) {
        let rpr = child(run, "rPr");
        let style_id = rpr
            .and_then(|n| child(n, "rStyle"))
            .and_then(|n| w_attr(n, "val"));
        let styles = self.styles;
        let props = RunProps {
            bold: rpr
                .and_then(|r| toggle(r, "b"))
                .or_else(|| styles.lookup(style_id, |s| s.bold))
                .unwrap_or(inherited.bold),
            italic: rpr
                .and_then(|r| toggle(r, "i"))
                .or_else(|| styles.lookup(style_id, |s| s.italic))
                .unwrap_or(inherited.italic),
            font: rpr
                .and_then(east_asian_font)
                .or_else(|| styles.lookup(style_id, |s| s.font.clone()))
                .or_else(|| inherited.font.clone()),
        };
        for node in run
            .children()
            .filter(|n| n.tag_name().namespace() == Some(W))
        {
            match node.tag_name().name() {
                "t" => push_text(out, node.text().unwrap_or(""), &props),
                "tab" => push_text(out, "\t", &props),
                "br" | "cr" => out.push(Run::Break),
                "footnoteReference" => {
                    let id = w_attr(node, "id").unwrap_or_default();
                    if let Some(text) = self.footnotes.get(id)
                        && self.cited.borrow_mut().insert(id.to_string())
                    {
                        out.push(Run::Footnote(text.clone()));
                    }
                }
                _ => {}
            }
        }
    }

    fn table(&self, table: Node<'_, '_>) -> Vec<Vec<Vec<Paragraph>>> {
        table
            .children()
            .filter(|n| n.has_tag_name((W, "tr")))
            .map(|row| {
                row.children()
                    .filter(|n| n.has_tag_name((W, "tc")))
                    .map(|cell| {
                        cell.descendants()
                            .filter(|n| n.has_tag_name((W, "p")))
                            .map(|p| self.paragraph(p, None))
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }
}

struct RunProps {
    bold: bool,
    italic: bool,
    font: Option<String>,
}

/// Appends text, joining it to the previous run when the formatting is the same (Word splits
/// runs at every edit).
fn push_text(out: &mut Vec<Run>, text: &str, props: &RunProps) {
    if let Some(Run::Text {
        text: last,
        bold,
        italic,
        font,
    }) = out.last_mut()
        && *bold == props.bold
        && *italic == props.italic
        && *font == props.font
    {
        last.push_str(text);
        return;
    }
    out.push(Run::Text {
        text: text.to_string(),
        bold: props.bold,
        italic: props.italic,
        font: props.font.clone(),
    });
}

/// The date the file was last saved (docProps/core.xml), YYYY-MM-DD, if it says.
pub fn saved_date(bytes: &[u8]) -> Option<String> {
    let xml = part_xml(bytes, "docProps/core.xml", Path::new("")).ok()??;
    let doc = Document::parse(&xml).ok()?;
    ["modified", "created"].iter().find_map(|name| {
        let node = doc.descendants().find(|n| n.tag_name().name() == *name)?;
        let date: String = node.text()?.trim().chars().take(10).collect();
        let bytes = date.as_bytes();
        let valid = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && [0, 1, 2, 3, 5, 6, 8, 9]
                .iter()
                .all(|&i| bytes[i].is_ascii_digit());
        valid.then_some(date)
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn docx(parts: &[(&str, String)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, xml) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(xml.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn document(body: &str) -> (&'static str, String) {
        (
            "word/document.xml",
            format!(r#"<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#),
        )
    }

    fn paragraphs(blocks: Vec<Block>) -> Vec<Paragraph> {
        blocks
            .into_iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn numbers_styles_and_formatting_are_read_as_word_shows_them() {
        let numbering = format!(
            r#"<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
            </w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
        );
        let styles = format!(
            r#"<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style></w:styles>"#
        );
        let num = |ilvl| {
            format!(
                r#"<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="5"/></w:numPr></w:pPr>"#
            )
        };
        let body = format!(
            r#"<w:p><w:pPr><w:pStyle w:val="2"/></w:pPr><w:r><w:t>基本情况</w:t></w:r></w:p>
            <w:p>{}<w:r><w:t>职责</w:t></w:r></w:p>
            <w:p>{}<w:r><w:t>职能</w:t></w:r></w:p>
            <w:p>{}<w:r><w:t>队伍</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="2"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>绩效</w:t></w:r><w:del><w:r><w:t>删去</w:t></w:r></w:del><w:r><w:br/><w:t>下一行</w:t></w:r></w:p>"#,
            num(1),
            num(2),
            num(1)
        );
        let bytes = docx(&[
            document(&body),
            ("word/styles.xml", styles),
            ("word/numbering.xml", numbering),
        ]);
        let paragraphs = paragraphs(read(&bytes, Path::new("a.docx")).unwrap());
        let numbers: Vec<_> = paragraphs
            .iter()
            .map(|p| p.number.clone().unwrap())
            .collect();
        assert_eq!(numbers, ["一、", "（一）", "1.", "（二）", "二、"]);
        assert_eq!(paragraphs[0].style.as_deref(), Some("heading 1"));
        assert_eq!(paragraphs[4].text(), "绩效\n下一行");
        assert!(matches!(
            &paragraphs[4].runs[0],
            Run::Text { bold: true, font: Some(f), .. } if f == "黑体"
        ));
    }

    #[test]
    fn a_restarted_list_counts_from_its_override_and_a_huge_start_does_not_overflow() {
        let numbering = format!(
            r#"<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="taiwaneseCountingThousand"/><w:lvlText w:val="%1、"/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
            <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="18446744073709551615"/></w:lvlOverride></w:num>
            </w:numbering>"#
        );
        let item = |num: u32| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>项</w:t></w:r></w:p>"#
            )
        };
        let body = [1, 1, 1, 2, 2, 3, 3].map(item).concat();
        let bytes = docx(&[document(&body), ("word/numbering.xml", numbering)]);
        let numbers: Vec<_> = paragraphs(read(&bytes, Path::new("a.docx")).unwrap())
            .into_iter()
            .map(|p| p.number.unwrap())
            .collect();
        let huge = format!("{}、", u64::MAX);
        assert_eq!(
            numbers,
            [
                "一、",
                "二、",
                "三、",
                "一、",
                "二、",
                huge.as_str(),
                huge.as_str()
            ]
        );
    }

    #[test]
    fn deep_nesting_and_repeated_footnotes_stay_linear() {
        let depth = 50_000;
        let runs = "<w:r><w:t>字</w:t><w:footnoteReference w:id=\"1\"/></w:r>".repeat(2_000);
        let body = format!(
            "<w:p>{}{runs}{}</w:p>",
            "<w:hyperlink>".repeat(depth),
            "</w:hyperlink>".repeat(depth)
        );
        let footnotes = format!(
            r#"<w:footnotes xmlns:w="{W}"><w:footnote w:id="1"><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:footnote></w:footnotes>"#,
            "注".repeat(100_000)
        );
        let bytes = docx(&[document(&body), ("word/footnotes.xml", footnotes)]);
        let started = std::time::Instant::now();
        let paragraphs = paragraphs(read(&bytes, Path::new("a.docx")).unwrap());
        assert!(started.elapsed().as_secs() < 10);
        assert_eq!(paragraphs[0].text().chars().count(), 2_000);
        let notes: Vec<_> = paragraphs[0]
            .runs
            .iter()
            .filter_map(|r| match r {
                Run::Footnote(text) => Some(text.chars().count()),
                _ => None,
            })
            .collect();
        assert_eq!(notes, [MAX_FOOTNOTE_CHARS]);
    }
}

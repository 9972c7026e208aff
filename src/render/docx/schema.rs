//! The order ECMA-376 Part 1 (and so the Open XML SDK's validator, and Word) expects among
//! the children of the WordprocessingML elements gongwen writes, as one table per element
//! type, and the one function that puts a part's tree in that order.
//!
//! docx-rs writes several elements' children out of order (w:rPr before w:pPr in a style,
//! w:sz before w:rFonts, w:jc before w:ind …); Word may drop run properties it meets out of
//! order. The body writer writes in this order by construction; a test orders its output
//! and expects no change.

use super::tree::{Element, Node, Part};
use crate::diag::Result;

/// Parent element (local name in the w: namespace) → its children's names in schema order.
/// Names on one line with `|` share a rank (a choice, in any order among themselves).
/// Children a table does not name (other namespaces' extensions) go after those it names.
const ORDER: &[(&str, &[&str])] = &[
    // CT_Styles
    ("styles", &["docDefaults", "latentStyles", "style"]),
    ("docDefaults", &["rPrDefault", "pPrDefault"]),
    // CT_Style
    (
        "style",
        &[
            "name",
            "aliases",
            "basedOn",
            "next",
            "link",
            "autoRedefine",
            "hidden",
            "uiPriority",
            "semiHidden",
            "unhideWhenUsed",
            "qFormat",
            "locked",
            "personal",
            "personalCompose",
            "personalReply",
            "rsid",
            "pPr",
            "rPr",
            "tblPr",
            "trPr",
            "tcPr",
            "tblStylePr",
        ],
    ),
    // CT_PPr (CT_PPrBase, then the paragraph mark's properties and the section)
    (
        "pPr",
        &[
            "pStyle",
            "keepNext",
            "keepLines",
            "pageBreakBefore",
            "framePr",
            "widowControl",
            "numPr",
            "suppressLineNumbers",
            "pBdr",
            "shd",
            "tabs",
            "suppressAutoHyphens",
            "kinsoku",
            "wordWrap",
            "overflowPunct",
            "topLinePunct",
            "autoSpaceDE",
            "autoSpaceDN",
            "bidi",
            "adjustRightInd",
            "snapToGrid",
            "spacing",
            "ind",
            "contextualSpacing",
            "mirrorIndents",
            "suppressOverlap",
            "jc",
            "textDirection",
            "textAlignment",
            "textboxTightWrap",
            "outlineLvl",
            "divId",
            "cnfStyle",
            "rPr",
            "sectPr",
            "pPrChange",
        ],
    ),
    // CT_RPr and CT_ParaRPr (whose revision marks come first)
    (
        "rPr",
        &[
            "ins",
            "del",
            "moveFrom",
            "moveTo",
            "rStyle",
            "rFonts",
            "b",
            "bCs",
            "i",
            "iCs",
            "caps",
            "smallCaps",
            "strike",
            "dstrike",
            "outline",
            "shadow",
            "emboss",
            "imprint",
            "noProof",
            "snapToGrid",
            "vanish",
            "webHidden",
            "color",
            "spacing",
            "w",
            "kern",
            "position",
            "sz",
            "szCs",
            "highlight",
            "u",
            "effect",
            "bdr",
            "shd",
            "fitText",
            "vertAlign",
            "rtl",
            "cs",
            "em",
            "lang",
            "eastAsianLayout",
            "specVanish",
            "oMath",
            "rPrChange",
        ],
    ),
    // CT_SectPr
    (
        "sectPr",
        &[
            "headerReference|footerReference",
            "footnotePr",
            "endnotePr",
            "type",
            "pgSz",
            "pgMar",
            "paperSrc",
            "pgBorders",
            "lnNumType",
            "pgNumType",
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
            "printerSettings",
            "sectPrChange",
        ],
    ),
    // CT_Settings, as far as a document without mail merge or VBA uses it
    (
        "settings",
        &[
            "writeProtection",
            "view",
            "zoom",
            "removePersonalInformation",
            "removeDateAndTime",
            "doNotDisplayPageBoundaries",
            "displayBackgroundShape",
            "printPostScriptOverText",
            "printFractionalCharacterWidth",
            "printFormsData",
            "embedTrueTypeFonts",
            "embedSystemFonts",
            "saveSubsetFonts",
            "saveFormsData",
            "mirrorMargins",
            "alignBordersAndEdges",
            "bordersDoNotSurroundHeader",
            "bordersDoNotSurroundFooter",
            "gutterAtTop",
            "hideSpellingErrors",
            "hideGrammaticalErrors",
            "activeWritingStyle",
            "proofState",
            "formsDesign",
            "attachedTemplate",
            "linkStyles",
            "stylePaneFormatFilter",
            "stylePaneSortMethod",
            "documentType",
            "mailMerge",
            "revisionView",
            "trackRevisions",
            "doNotTrackMoves",
            "doNotTrackFormatting",
            "documentProtection",
            "autoFormatOverride",
            "styleLockTheme",
            "styleLockQFSet",
            "defaultTabStop",
            "autoHyphenation",
            "consecutiveHyphenLimit",
            "hyphenationZone",
            "doNotHyphenateCaps",
            "showEnvelope",
            "summaryLength",
            "clickAndTypeStyle",
            "defaultTableStyle",
            "evenAndOddHeaders",
            "bookFoldRevPrinting",
            "bookFoldPrinting",
            "bookFoldPrintingSheets",
            "drawingGridHorizontalSpacing",
            "drawingGridVerticalSpacing",
            "displayHorizontalDrawingGridEvery",
            "displayVerticalDrawingGridEvery",
            "doNotUseMarginsForDrawingGridOrigin",
            "drawingGridHorizontalOrigin",
            "drawingGridVerticalOrigin",
            "doNotShadeFormData",
            "noPunctuationKerning",
            "characterSpacingControl",
            "printTwoOnOne",
            "strictFirstAndLastChars",
            "noLineBreaksAfter",
            "noLineBreaksBefore",
            "savePreviewPicture",
            "doNotValidateAgainstSchema",
            "saveInvalidXml",
            "ignoreMixedContent",
            "alwaysShowPlaceholderText",
            "doNotDemarcateInvalidXml",
            "saveXmlDataOnly",
            "useXSLTWhenSaving",
            "saveThroughXslt",
            "showXMLTags",
            "alwaysMergeEmptyNamespace",
            "updateFields",
            "hdrShapeDefaults",
            "footnotePr",
            "endnotePr",
            "compat",
            "docVars",
            "rsids",
            "mathPr",
            "attachedSchema",
            "themeFontLang",
            "clrSchemeMapping",
            "doNotIncludeSubdocsInStats",
            "doNotAutoCompressPictures",
            "forceUpgrade",
            "captions",
            "readModeInkLockDown",
            "smartTagType",
            "schemaLibrary",
            "shapeDefaults",
            "doNotEmbedSmartTags",
            "decimalSymbol",
            "listSeparator",
        ],
    ),
    // CT_Font
    (
        "font",
        &[
            "altName",
            "panose1",
            "charset",
            "family",
            "notTrueType",
            "pitch",
            "sig",
            "embedRegular",
            "embedBold",
            "embedItalic",
            "embedBoldItalic",
        ],
    ),
    // CT_TblPr
    (
        "tblPr",
        &[
            "tblStyle",
            "tblpPr",
            "tblOverlap",
            "bidiVisual",
            "tblStyleRowBandSize",
            "tblStyleColBandSize",
            "tblW",
            "jc",
            "tblCellSpacing",
            "tblInd",
            "tblBorders",
            "shd",
            "tblLayout",
            "tblCellMar",
            "tblLook",
            "tblCaption",
            "tblDescription",
            "tblPrChange",
        ],
    ),
    (
        "tblBorders",
        &[
            "top",
            "left|start",
            "bottom",
            "right|end",
            "insideH",
            "insideV",
        ],
    ),
    ("tblCellMar", &["top", "left|start", "bottom", "right|end"]),
    // CT_TcPr
    (
        "tcPr",
        &[
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
            "headers",
            "cellIns",
            "cellDel",
            "cellMerge",
            "tcPrChange",
        ],
    ),
    // CT_Lvl
    (
        "lvl",
        &[
            "start",
            "numFmt",
            "lvlRestart",
            "pStyle",
            "isLgl",
            "suff",
            "lvlText",
            "lvlPicBulletId",
            "legacy",
            "lvlJc",
            "pPr",
            "rPr",
        ],
    ),
];

/// Property containers that mean nothing when empty; the schema allows some of them only in
/// one place, and docx-rs writes an empty w:rPr first in every w:pPr.
const DROP_WHEN_EMPTY: &[&str] = &["w:rPr", "w:pPr"];

/// Puts the children of `element` and of every element below it in schema order (a stable
/// sort: a choice keeps its own order) and removes the property containers left empty.
pub fn order(element: &mut Element) {
    for child in element.elements_mut() {
        order(child);
    }
    element.children.retain(|child| {
        !matches!(child, Node::Element(e) if DROP_WHEN_EMPTY.contains(&e.name.as_str())
            && e.attributes.is_empty()
            && e.children.is_empty())
    });
    if let Some(order) = element.name.strip_prefix("w:").and_then(order_of) {
        element.children.sort_by_key(|child| rank(order, child));
    }
}

/// Each place in `part` where a child comes before one the schema puts ahead of it, as
/// `parent: child before child`: what the read-back tests expect to find nowhere.
pub fn misordered(part: &[u8]) -> Result<Vec<String>> {
    fn walk(element: &Element, found: &mut Vec<String>) {
        if let Some(order) = element.name.strip_prefix("w:").and_then(order_of) {
            let children: Vec<&Node> = element.children.iter().collect();
            for pair in children.windows(2) {
                if rank(order, pair[0]) > rank(order, pair[1]) {
                    let name = |node: &Node| match node {
                        Node::Element(e) => e.name.clone(),
                        _ => "text".into(),
                    };
                    found.push(format!(
                        "{}: {} before {}",
                        element.name,
                        name(pair[0]),
                        name(pair[1])
                    ));
                }
            }
        }
        for child in &element.children {
            if let Node::Element(child) = child {
                walk(child, found);
            }
        }
    }
    let part = Part::parse("(read back)", part)?;
    let mut found = Vec::new();
    walk(&part.root, &mut found);
    Ok(found)
}

fn order_of(parent: &str) -> Option<&'static [&'static str]> {
    ORDER
        .iter()
        .find(|(name, _)| *name == parent)
        .map(|(_, order)| *order)
}

/// Position of `child` in `order`; text and elements the table does not name sort after
/// the rest.
fn rank(order: &[&str], child: &Node) -> usize {
    let Node::Element(child) = child else {
        return order.len();
    };
    let Some(name) = child.name.strip_prefix("w:") else {
        return order.len();
    };
    order
        .iter()
        .position(|entry| entry.split('|').any(|n| n == name))
        .unwrap_or(order.len())
}

/// Whether `xml` is already in schema order: what the writers' tests expect of what they
/// wrote.
#[cfg(test)]
pub fn in_order(xml: &str) -> bool {
    let part = Part::parse("(test)", xml.as_bytes()).expect("well-formed XML");
    let mut ordered = part.root.clone();
    order(&mut ordered);
    ordered == part.root
}

#[cfg(test)]
mod tests {
    use super::order;
    use crate::render::docx::tree::Part;

    /// `xml` parsed, put in order and written again.
    fn reorder(xml: &str) -> String {
        let mut part = Part::parse("(test)", xml.as_bytes()).unwrap();
        order(&mut part.root);
        String::from_utf8(part.write()).unwrap()
    }

    const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>";

    #[test]
    fn style_children_and_run_properties_take_the_schema_order() {
        let xml = format!(
            "{DECLARATION}<w:styles {NS}><w:style w:styleId=\"A\"><w:name w:val=\"A\" /><w:rPr><w:sz w:val=\"32\" /><w:rFonts w:ascii=\"黑体\" /></w:rPr><w:pPr><w:rPr /><w:jc w:val=\"left\" /><w:ind w:left=\"0\" /></w:pPr><w:qFormat /><w:basedOn w:val=\"B\" /></w:style></w:styles>"
        );
        assert_eq!(
            reorder(&xml),
            format!(
                "{DECLARATION}<w:styles {NS}><w:style w:styleId=\"A\"><w:name w:val=\"A\" /><w:basedOn w:val=\"B\" /><w:qFormat /><w:pPr><w:ind w:left=\"0\" /><w:jc w:val=\"left\" /></w:pPr><w:rPr><w:rFonts w:ascii=\"黑体\" /><w:sz w:val=\"32\" /></w:rPr></w:style></w:styles>"
            )
        );
    }

    #[test]
    fn a_container_left_empty_goes_and_other_namespaces_stay() {
        let xml = format!(
            "<w:ftr {NS} xmlns:x=\"urn:x\"><w:p x:a=\"1\"><w:pPr><w:rPr /></w:pPr><w:r><w:rPr /><w:t xml:space=\"preserve\">— 1 —</w:t></w:r></w:p></w:ftr>"
        );
        assert_eq!(
            reorder(&xml),
            format!(
                "<w:ftr {NS} xmlns:x=\"urn:x\"><w:p x:a=\"1\"><w:r><w:t xml:space=\"preserve\">— 1 —</w:t></w:r></w:p></w:ftr>"
            )
        );
    }

    #[test]
    fn choices_keep_their_own_order() {
        let xml = format!(
            "<w:sectPr {NS}><w:pgSz w:w=\"1\" /><w:footerReference w:type=\"default\" /><w:headerReference w:type=\"even\" /></w:sectPr>"
        );
        assert_eq!(
            reorder(&xml),
            format!(
                "<w:sectPr {NS}><w:footerReference w:type=\"default\" /><w:headerReference w:type=\"even\" /><w:pgSz w:w=\"1\" /></w:sectPr>"
            )
        );
    }
}

//! A small owned XML tree for the parts of a .docx: parsed with roxmltree, edited by element
//! name and position, written once with [`escape`]. Names are qualified as the parts write
//! them (`w:pPr`): docx-rs and gongwen's own writers bind `w:` to WordprocessingML.

use crate::diag::{Error, Result};
use crate::render::xml::escape;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
    /// Markup gongwen's own writers made (the body, the 自评表), well-formed and in schema
    /// order by construction: written as it is, without being parsed again.
    Markup(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    /// In document order, namespace declarations (`xmlns:w`) among them; values unescaped.
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// One part of the package: its root element, and whether it opens with the XML declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The part's name in the package, for the renderer's errors.
    pub name: &'static str,
    pub declaration: bool,
    pub root: Element,
}

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>";

impl Part {
    pub fn new(name: &'static str, root: Element) -> Self {
        Part {
            name,
            declaration: true,
            root,
        }
    }

    /// `bytes` as a tree; a part that is not well-formed UTF-8 XML is an error of the renderer.
    pub fn parse(name: &'static str, bytes: &[u8]) -> Result<Self> {
        let text = std::str::from_utf8(bytes).map_err(|err| broken(name, &err.to_string()))?;
        let document =
            roxmltree::Document::parse(text).map_err(|err| broken(name, &err.to_string()))?;
        let root = document.root_element();
        Ok(Part {
            name,
            // The parser's position of the root: anything before it is the declaration.
            declaration: root.range().start > 0,
            root: element(root),
        })
    }

    pub fn write(&self) -> Vec<u8> {
        let mut out = String::with_capacity(16 * 1024);
        if self.declaration {
            out.push_str(DECLARATION);
        }
        self.root.write(&mut out);
        out.into_bytes()
    }
}

/// The error for an element `part` should have and does not: docx-rs wrote something other
/// than what the fixes expect.
pub fn missing(part: &'static str, what: &str) -> Error {
    Error::Render {
        part,
        message: format!("找不到 {what}"),
    }
}

fn broken(part: &'static str, reason: &str) -> Error {
    Error::Render {
        part,
        message: format!("不是完好的 XML（{reason}）"),
    }
}

/// Converts a parsed element; namespaces are declared where the source declares them.
fn element(node: roxmltree::Node<'_, '_>) -> Element {
    let inherited: Vec<(Option<&str>, &str)> = node
        .parent_element()
        .map(|parent| {
            parent
                .namespaces()
                .map(|ns| (ns.name(), ns.uri()))
                .collect()
        })
        .unwrap_or_default();
    let mut attributes: Vec<(String, String)> = node
        .namespaces()
        .filter(|ns| !inherited.contains(&(ns.name(), ns.uri())))
        .map(|ns| {
            let name = ns.name().map_or("xmlns".into(), |p| format!("xmlns:{p}"));
            (name, ns.uri().to_string())
        })
        .collect();
    attributes.extend(node.attributes().map(|attribute| {
        (
            qualified(node, attribute.namespace(), attribute.name()),
            attribute.value().to_string(),
        )
    }));
    let children = node
        .children()
        .filter_map(|child| {
            if child.is_element() {
                Some(Node::Element(element(child)))
            } else {
                child
                    .is_text()
                    .then(|| Node::Text(child.text().unwrap_or("").into()))
            }
        })
        .collect();
    Element {
        name: qualified(node, node.tag_name().namespace(), node.tag_name().name()),
        attributes,
        children,
    }
}

fn qualified(node: roxmltree::Node<'_, '_>, namespace: Option<&str>, local: &str) -> String {
    match namespace.and_then(|uri| node.lookup_prefix(uri)) {
        Some(prefix) => format!("{prefix}:{local}"),
        None => local.to_string(),
    }
}

impl Element {
    pub fn new(name: &str) -> Self {
        Element {
            name: name.into(),
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.set(name, value);
        self
    }

    pub fn containing(mut self, child: Element) -> Self {
        self.children.push(Node::Element(child));
        self
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets `name`, in its place if the element has it, else after the others.
    pub fn set(&mut self, name: &str, value: &str) {
        match self.attributes.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = value.into(),
            None => self.attributes.push((name.into(), value.into())),
        }
    }

    pub fn elements_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|child| match child {
            Node::Element(element) => Some(element),
            _ => None,
        })
    }

    pub fn child_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| e.name == name)
    }

    /// The child `name`, added after the others if the element has none.
    pub fn child_or_new(&mut self, name: &str) -> &mut Element {
        let at = self
            .children
            .iter()
            .position(|c| matches!(c, Node::Element(e) if e.name == name))
            .unwrap_or_else(|| {
                self.children.push(Node::Element(Element::new(name)));
                self.children.len() - 1
            });
        match &mut self.children[at] {
            Node::Element(element) => element,
            _ => unreachable!("the position of an element"),
        }
    }

    /// The element reached from this one through children named by `path`, in order.
    pub fn path_mut(&mut self, path: &[&str]) -> Option<&mut Element> {
        path.iter()
            .try_fold(self, |element, name| element.child_mut(name))
    }

    /// Calls `f` on this element and every element below it, parents first.
    pub fn visit_mut(&mut self, f: &mut impl FnMut(&mut Element)) {
        f(self);
        for child in self.elements_mut() {
            child.visit_mut(f);
        }
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (name, value) in &self.attributes {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            escape(out, value);
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str(" />");
            return;
        }
        out.push('>');
        for child in &self.children {
            match child {
                Node::Element(element) => element.write(out),
                Node::Text(text) => escape(out, text),
                Node::Markup(markup) => out.push_str(markup),
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_written_back_as_it_was_read() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:ftr xmlns:r=\"urn:r\" xmlns:w=\"urn:w\" r:a=\"1 &amp; 2\"><w:p><w:r><w:t xml:space=\"preserve\">— &lt;1&gt; “甲” —</w:t></w:r><x:e xmlns:x=\"urn:x\" x:b=\"&quot;\" /></w:p></w:ftr>";
        let part = Part::parse("word/footer1.xml", xml.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(part.write()).unwrap(), xml);
        let bare = "<w:styles xmlns:w=\"urn:w\"><w:style /></w:styles>";
        let part = Part::parse("word/styles.xml", bare.as_bytes()).unwrap();
        assert!(!part.declaration);
        assert_eq!(String::from_utf8(part.write()).unwrap(), bare);
    }

    #[test]
    fn a_part_that_is_not_xml_is_an_error_naming_it() {
        let err = Part::parse("word/styles.xml", b"<a><b></a>").unwrap_err();
        assert!(err.to_string().starts_with("word/styles.xml"), "{err}");
    }

    #[test]
    fn elements_are_found_by_path_and_attributes_set_in_place() {
        let mut root = Element::new("w:a").containing(
            Element::new("w:b").containing(Element::new("w:c").with("w:x", "1").with("w:y", "2")),
        );
        let c = root.path_mut(&["w:b", "w:c"]).unwrap();
        c.set("w:x", "3");
        c.set("w:z", "4");
        assert_eq!(
            c.attributes,
            [("w:x", "3"), ("w:y", "2"), ("w:z", "4")].map(|(n, v)| (n.to_string(), v.to_string()))
        );
        assert!(root.path_mut(&["w:b", "w:d"]).is_none());
        root.child_or_new("w:b");
        root.child_or_new("w:e");
        let names: Vec<&str> = root.elements_mut().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["w:b", "w:e"]);
    }
}

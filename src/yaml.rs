//! The one place that knows the YAML library (serde_yaml, the maintained `serde_yaml_ng` fork).
//!
//! Every YAML error leaves here as an [`Error::Yaml`] with the file, line and column of the
//! problem in the writer's file, even when the YAML is a front-matter block inside Markdown.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Location, Result};

/// Where a YAML text starts inside its file, so error positions point into the real file.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a Path,
    /// 1-based line of the YAML text's first line in the file.
    pub first_line: usize,
}

impl<'a> Origin<'a> {
    pub fn file(file: &'a Path) -> Self {
        Origin {
            file,
            first_line: 1,
        }
    }
}

/// Deserializes `text`; an empty document deserializes like an empty mapping.
pub fn from_str<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T> {
    serde_yaml::from_str(or_empty_mapping(text)).map_err(|err| to_error(&err, origin))
}

/// An empty or blank document reads as an empty mapping, not as null.
fn or_empty_mapping(text: &str) -> &str {
    if text.trim().is_empty() { "{}" } else { text }
}

fn to_error(err: &serde_yaml::Error, origin: Origin<'_>) -> Error {
    let (line, column) = err
        .location()
        .map_or((1, 1), |loc| (loc.line(), loc.column()));
    let mut message = err.to_string();
    // The library appends its own position, relative to the YAML text; ours replaces it.
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    let (message, hint) = translate(&message);
    Error::Yaml {
        location: Location::new(origin.file, origin.first_line + line - 1, column),
        message,
        hint,
    }
}

/// Says the common serde messages in the writers' language, keeping the key names, with
/// what to do about them.
fn translate(message: &str) -> (String, &'static str) {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (key, allowed) = rest
            .split_once(", expected one of ")
            .or_else(|| rest.split_once(", expected "))
            .unwrap_or((rest, ""));
        return (
            format!(
                "未知的键 {key}，允许的键：{}",
                allowed.replace(" or ", ", ")
            ),
            "请检查拼写，或删除这个键",
        );
    }
    if let Some(key) = message.strip_prefix("missing field ") {
        return (format!("缺少必填的键 {key}"), "请补上这个键");
    }
    if message.contains("invalid type") || message.contains("invalid value") {
        return (message.to_string(), "请检查这个值的写法");
    }
    (
        message.to_string(),
        "请检查缩进、冒号后的空格和引号是否成对",
    )
}

/// A YAML document with every scalar kept as the text the writer typed ("278.00" stays
/// "278.00"; a number never passes through f64).
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    Map(Vec<(String, Tree)>),
    List(Vec<Tree>),
    /// `None` for an explicit null (`~`, `null` or nothing after the colon).
    Scalar(Option<String>),
}

/// Reads `text` as a [`Tree`]. The library decides numbers before a visitor sees them, so a
/// first pass learns the document's shape and a second asks each scalar for its text.
pub fn tree(text: &str, origin: Origin<'_>) -> Result<Tree> {
    let shape: Shape = from_str(text, origin)?;
    let deserializer = serde_yaml::Deserializer::from_str(or_empty_mapping(text));
    serde::de::DeserializeSeed::deserialize(Shaped(&shape), deserializer)
        .map_err(|err| to_error(&err, origin))
}

/// What each node of a YAML document is, without its text.
enum Shape {
    Map(Vec<(Shape, Shape)>),
    List(Vec<Shape>),
    Scalar,
    Null,
}

impl<'de> serde::Deserialize<'de> for Shape {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

/// Visitor methods that take a scalar of the given type and answer [`Shape::Scalar`].
macro_rules! scalar_visits {
    ($($method:ident($type:ty)),* $(,)?) => {
        $(fn $method<E: serde::de::Error>(self, _: $type) -> Result<Shape, E> {
            Ok(Shape::Scalar)
        })*
    };
}

impl<'de> serde::de::Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    // Every kind of scalar is a scalar here; integers beyond 64 bits too, not an error.
    scalar_visits! {
        visit_bool(bool), visit_i64(i64), visit_u64(u64), visit_i128(i128),
        visit_u128(u128), visit_f64(f64), visit_str(&str),
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Shape::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Shape::Map(entries))
    }

    /// A tagged node (`!tag value`) has the shape of its value.
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Shape, A::Error> {
        use serde::de::VariantAccess;
        let (serde::de::IgnoredAny, variant) = data.variant()?;
        variant.newtype_variant()
    }
}

struct Shaped<'s>(&'s Shape);

impl<'de> serde::de::DeserializeSeed<'de> for Shaped<'_> {
    type Value = Tree;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        match self.0 {
            Shape::Map(_) => d.deserialize_map(self),
            Shape::List(_) => d.deserialize_seq(self),
            Shape::Null => d.deserialize_any(self),
            Shape::Scalar => d.deserialize_str(self),
        }
    }
}

impl<'de> serde::de::Visitor<'de> for Shaped<'_> {
    type Value = Tree;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Scalar(Some(v.to_string())))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(None))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(None))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let Shape::Map(shape) = self.0 else {
            return Err(serde::de::Error::custom("unexpected mapping"));
        };
        let mut entries = Vec::new();
        for (key, value) in shape {
            let Some(key_text) = map.next_key_seed(Shaped(key))? else {
                break;
            };
            let Tree::Scalar(Some(name)) = key_text else {
                return Err(serde::de::Error::custom("keys must be plain text"));
            };
            entries.push((name, map.next_value_seed(Shaped(value))?));
        }
        Ok(Tree::Map(entries))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let Shape::List(shape) = self.0 else {
            return Err(serde::de::Error::custom("unexpected sequence"));
        };
        let mut items = Vec::new();
        for item in shape {
            match seq.next_element_seed(Shaped(item))? {
                Some(tree) => items.push(tree),
                None => break,
            }
        }
        Ok(Tree::List(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_keep_their_text() {
        let text = "a:\n  b: 278.00\n  c: 12345678901234567890.12\n  d: 3369.82 万元\n  e: ~\nf: [1, x]\ng: 123456789012345678901234567890\nh: !unit 12\n";
        let tree = tree(text, Origin::file(Path::new("t.yaml"))).unwrap();
        let scalar = |s: &str| Tree::Scalar(Some(s.to_string()));
        assert_eq!(
            tree,
            Tree::Map(vec![
                (
                    "a".into(),
                    Tree::Map(vec![
                        ("b".into(), scalar("278.00")),
                        ("c".into(), scalar("12345678901234567890.12")),
                        ("d".into(), scalar("3369.82 万元")),
                        ("e".into(), Tree::Scalar(None)),
                    ])
                ),
                ("f".into(), Tree::List(vec![scalar("1"), scalar("x")])),
                ("g".into(), scalar("123456789012345678901234567890")),
                ("h".into(), scalar("12")),
            ])
        );
    }

    #[test]
    fn errors_point_into_the_file() {
        let err = tree(
            "a: 1\nb: [\n",
            Origin {
                file: Path::new("d.yaml"),
                first_line: 10,
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("d.yaml:1"), "{err}");
    }
}

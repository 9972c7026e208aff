//! gongwen: a report written as Markdown + YAML becomes a GB/T 9704-2012 .docx.
//!
//! The stages run one way: [`source`] reads the files, [`markdown`] parses sections,
//! [`report`] assembles the [`model`], [`numbering`] numbers headings, and a
//! [`render::Renderer`] writes the result; [`output`] puts it on disk atomically.

pub mod check;
pub mod data;
pub mod diagnostic;
pub mod docx_text;
pub mod error;
pub mod formula;
pub mod import;
pub mod indicators;
pub mod markdown;
pub mod markers;
pub mod meta;
pub mod model;
pub mod numbering;
pub mod output;
pub mod preview;
pub mod render;
pub mod report;
pub mod review;
pub mod score_table;
pub mod scoring;
pub mod source;
pub mod starter;
pub mod style;
pub mod suggest;
pub mod synthetic;
pub mod template;
pub mod xml;
pub mod yaml;

//! Reading a report: its files (within limits), YAML with positions, report.yaml, data.yaml,
//! indicators.yaml and the layout's style file.

pub mod data;
pub mod form;
pub mod indicator_set;
pub mod meta;
pub mod source;
pub mod style;
pub mod yaml;

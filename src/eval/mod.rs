//! Computing: formulas over data.yaml's figures, the indicators and their verdicts, and the
//! 自评表's points and grade.

pub mod formula;
pub mod indicators;
pub mod scoring;

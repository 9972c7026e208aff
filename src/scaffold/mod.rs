//! Reports that gongwen writes itself: a new report directory, and generated ones for
//! benchmarks and tests.

pub mod starter;
pub mod synthetic;

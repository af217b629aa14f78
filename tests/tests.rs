//! End-to-end tests: the real `threadmill` binary on real inputs.

mod archives;
mod corpus;
mod exit_codes;
mod fields;
mod hostile;
mod ids;
mod logs;
mod nightly;
mod parquet;
mod reference;
mod run;
mod streams;
mod support;
mod text_copies;
mod threads;

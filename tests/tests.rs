//! End-to-end tests: the real `threadmill` binary on real inputs.

mod archives;
mod corpus;
mod hostile;
mod nightly;
mod reference;
mod run;
mod support;
mod text_copies;
mod threads;

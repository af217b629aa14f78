//! End-to-end tests: the real `threadmill` binary on real inputs.

mod corpus;
mod reference;
mod run;
mod support;

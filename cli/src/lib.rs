//! The library half of the `sagemaker-pipelines` command: what it prints, as functions of what it read or was
//! answered, so the tests can call them on test doubles and a paused clock. `main.rs` parses the command line and
//! does the I/O.

pub mod aws;
pub mod check;
pub mod graph;
pub mod spans;

//! The runtime's own tests. They live here, not in the modules, so that the copies written into generated crates
//! carry no tests: each behaviour is tested once, in this crate.

mod automaton;
mod aws_json;
mod compression;
mod config;
mod credential_sources;
mod credentials;
mod definition;
mod ecma;
mod endpoint_lib;
mod error;
mod fluent;
mod invoke;
mod pagination;
mod responses;
mod retry;
mod support;
mod timing;
mod tracing;
mod transport;
mod unknown_values;
mod validation;
mod waiter;

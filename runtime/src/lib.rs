//! The runtime of the generated clients, as a crate of its own so that it is compiled, linted and tested once.
//!
//! The generator writes each module of this crate, unchanged, into every crate it generates, at the same path from
//! the crate root (`crate::invoke`, `crate::validation`, …), so the modules refer to each other the same way here
//! and there. The list of modules, their visibility and which models need them is `codegen::runtime::MODULES`; a
//! test of the generator checks that this file declares exactly those.
//!
//! Nothing here depends on generated code: the generated `client` module hands the runtime what it needs (the
//! service's names, its protocol, its endpoint resolver) as an `invoke::ServiceInfo` value, and each operation
//! passes its decoders as an `invoke::Operation`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Most items are called only by generated code, which this crate does not contain; dead code is checked in every
// generated crate instead, where clippy runs with warnings denied.
#![allow(dead_code)]

pub mod automaton;
mod aws_json;
mod compression;
pub mod config;
pub mod credentials;
pub mod definition;
mod definition_check;
pub mod ecma;
mod endpoint_lib;
pub mod error;
mod fluent;
pub mod http;
mod intercept;
mod invoke;
mod json;
mod mock;
pub mod pagination;
#[cfg(test)]
mod protocol_test;
mod retry;
pub mod schema;
mod unknown_values;
pub mod validation;
mod waiter;

#[cfg(test)]
mod tests;

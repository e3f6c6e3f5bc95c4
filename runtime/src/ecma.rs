//! The ECMAScript engine for the patterns the generator could not translate into `regex` crate checks exactly:
//! lookaround at a position that depends on the input, and backreferences. Such a pattern runs as written, with
//! ECMAScript's meaning under the `u` flag (the meaning Smithy gives patterns), on `regress`, a backtracking
//! ECMAScript engine.
//!
//! Backtracking can take time far beyond linear in the input, so `crate::validation::Pattern` gives this engine only
//! values up to the bound the generator decided (a `@length` maximum, or a conservative bound), and refuses longer
//! ones as a violation; without a bound the generator proved the pattern free of nested quantifiers.
//!
//! This module is written once by the generator, only into crates that have such a pattern, and so is the `regress`
//! dependency.

use crate::validation::Matcher;

/// A pattern compiled by the ECMAScript engine.
struct Ecma(regress::Regex);

impl Matcher for Ecma {
    fn is_match(&self, v: &str) -> bool {
        self.0.find(v).is_some()
    }
}

/// Compile `source` with the ECMAScript engine and the `u` flag, for `crate::validation::Pattern::with_engine`.
///
/// # Panics
///
/// If the engine rejects the pattern; the generator compiled every pattern it hands here with the same engine and
/// flag, so that does not happen.
pub fn compile(source: &'static str) -> Box<dyn Matcher> {
    let regex = regress::Regex::with_flags(source, "u").expect("the generator compiled this pattern with regress");
    Box::new(Ecma(regex))
}

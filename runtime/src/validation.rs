//! Checking the modeled constraints (`@required`, `@length`, `@range`, `@pattern`, `@uniqueItems`) before a request
//! leaves. Every violation is collected, each with the path of the offending value, the constraint and what was
//! found; values of `@sensitive` members are never shown. A valid input is checked without allocating, and every
//! check runs in time linear in the input: patterns run on automata the generator compiled (`crate::automaton`),
//! never backtracking. The only exception is a pattern the generator could not translate exactly (lookaround at a
//! position that depends on the input, backreferences): the `ecma` module runs it with a backtracking ECMAScript
//! engine, on values no longer than the bound the generator decided (see [`Pattern::with_engine`]).
//!
//! This module is written once by the generator; the generated `validate` methods call into it.

use std::fmt;
use std::sync::OnceLock;

use crate::automaton::Automaton;

/// Where a value sits in the input, by wire names: `PipelineParameters[3].Name`. Built on the stack while checking
/// and turned into text only when a violation is recorded.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The input itself.
    Root,
    /// A member of a structure or union.
    Field(&'a Path<'a>, &'static str),
    /// An item of a list.
    Index(&'a Path<'a>, usize),
    /// An entry of a map.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The path of a member below this one.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path::Field(self, name)
    }

    /// The path of a list item below this one.
    pub fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }

    /// The path of a map entry below this one.
    pub fn key(&'a self, k: &'a str) -> Path<'a> {
        Path::Key(self, k)
    }

    fn render(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Field(parent, name) => {
                parent.render(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Path::Index(parent, i) => {
                parent.render(out);
                out.push_str(&format!("[{i}]"));
            }
            Path::Key(parent, k) => {
                parent.render(out);
                out.push_str(&format!("[{k:?}]"));
            }
        }
    }

    fn to_text(self) -> String {
        let mut s = String::new();
        self.render(&mut s);
        if s.is_empty() {
            s.push_str("(input)");
        }
        s
    }
}

/// Which constraint a value broke, with the bound and what was found.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Constraint {
    /// A `@required` member is missing.
    Required,
    /// `@length`: characters (Unicode code points) of a string, bytes of a blob, items of a list, entries of a map.
    Length {
        /// Inclusive minimum.
        min: Option<u64>,
        /// Inclusive maximum.
        max: Option<u64>,
        /// What was found.
        actual: u64,
        /// `characters`, `bytes`, `items` or `entries`.
        unit: &'static str,
    },
    /// `@range` on a number.
    Range {
        /// Inclusive minimum.
        min: Option<String>,
        /// Inclusive maximum.
        max: Option<String>,
        /// What was found (`None` for a sensitive member).
        actual: Option<String>,
    },
    /// `@pattern`: the value does not match.
    Pattern {
        /// The pattern as written in the model.
        pattern: &'static str,
        /// The value (`None` for a sensitive member), shortened when long.
        value: Option<String>,
    },
    /// `@pattern` checked by a backtracking engine: the value is longer than the most that engine is given, so it is
    /// refused without being matched.
    PatternInputTooLong {
        /// The pattern as written in the model.
        pattern: &'static str,
        /// The most characters (Unicode code points) the pattern is checked on.
        max: u64,
        /// The value's length in characters.
        actual: u64,
    },
    /// A pipeline definition given as a typed value (`.definition(..)` of `CreatePipeline` or `UpdatePipeline`,
    /// feature `definitions`) has a problem that its `check()` found.
    Definition {
        /// What is wrong, and what is allowed.
        message: String,
    },
    /// `@uniqueItems`: two items are equal.
    UniqueItems {
        /// Index of the first of the two.
        first: usize,
        /// Index of its duplicate.
        duplicate: usize,
    },
}

/// One broken constraint.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    path: String,
    constraint: Constraint,
}

impl Violation {
    /// Where the value is, e.g. `PipelineParameters[3].Name`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong.
    pub fn constraint(&self) -> &Constraint {
        &self.constraint
    }
}

fn bounds(min: Option<&dyn fmt::Display>, max: Option<&dyn fmt::Display>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("between {a} and {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "unbounded".into(),
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        match &self.constraint {
            Constraint::Required => f.write_str("is required but was not set"),
            Constraint::Length { min, max, actual, unit } => {
                let b = bounds(min.as_ref().map(|m| m as _), max.as_ref().map(|m| m as _));
                write!(f, "length must be {b} {unit}, but is {actual}")
            }
            Constraint::Range { min, max, actual } => {
                let b = bounds(min.as_ref().map(|m| m as _), max.as_ref().map(|m| m as _));
                match actual {
                    Some(a) => write!(f, "must be {b}, but is {a}"),
                    None => write!(f, "must be {b} (the sensitive value is not shown)"),
                }
            }
            Constraint::Pattern { pattern, value } => match value {
                Some(v) => write!(f, "{v:?} does not match the pattern {pattern}"),
                None => write!(f, "does not match the pattern {pattern} (the sensitive value is not shown)"),
            },
            Constraint::PatternInputTooLong { pattern, max, actual } => write!(
                f,
                "is {actual} characters long, more than the {max} the pattern {pattern} is checked on, so it is \
                 refused unchecked"
            ),
            Constraint::Definition { message } => f.write_str(message),
            Constraint::UniqueItems { first, duplicate } => {
                write!(f, "items must be unique, but item {duplicate} repeats item {first}")
            }
        }
    }
}

/// Every constraint an input broke.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationError {
    shape: &'static str,
    violations: Vec<Violation>,
}

impl ValidationError {
    /// The type that was validated.
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// The violations, in the order of the input's members.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(f, "{} invalid value{} in {}:", n, if n == 1 { "" } else { "s" }, self.shape)?;
        for v in &self.violations {
            write!(f, "\n  - {v}")?;
        }
        self.bypass_hint(f)
    }
}

impl std::error::Error for ValidationError {}

/// The kinds of constraint, to name the checks a request skips (see
/// [`ConfigOverride::skip_constraint`](crate::config::ConfigOverride::skip_constraint)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConstraintKind {
    /// `@required`.
    Required,
    /// `@length`.
    Length,
    /// `@range`.
    Range,
    /// `@pattern`.
    Pattern,
    /// `@uniqueItems`.
    UniqueItems,
    /// A typed pipeline definition's `check()`.
    Definition,
}

impl ConstraintKind {
    /// This kind's bit in a set of kinds.
    pub(crate) fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl Constraint {
    /// The kind of constraint.
    pub fn kind(&self) -> ConstraintKind {
        match self {
            Constraint::Required => ConstraintKind::Required,
            Constraint::Length { .. } => ConstraintKind::Length,
            Constraint::Range { .. } => ConstraintKind::Range,
            Constraint::Pattern { .. } | Constraint::PatternInputTooLong { .. } => ConstraintKind::Pattern,
            Constraint::UniqueItems { .. } => ConstraintKind::UniqueItems,
            Constraint::Definition { .. } => ConstraintKind::Definition,
        }
    }
}

impl ValidationError {
    /// The problems of a typed pipeline definition, as violations of `shape`'s member `member`: a problem at
    /// `$.Steps[0].Name` is at `<member>.Steps[0].Name`.
    // Called only by the typed definitions' `.definition()` (feature `definitions`), which not every crate this
    // module goes into declares.
    #[allow(dead_code)]
    pub(crate) fn definition<'a>(
        shape: &'static str,
        member: &str,
        problems: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> ValidationError {
        let violations = problems
            .into_iter()
            .map(|(path, message)| Violation {
                path: format!("{member}{}", path.strip_prefix('$').unwrap_or(path)),
                constraint: Constraint::Definition { message: message.to_owned() },
            })
            .collect();
        ValidationError { shape, violations }
    }

    /// The error without the violations of the kinds in `skipped` (a set of [`ConstraintKind::bit`]s); `None` when
    /// nothing is left.
    pub(crate) fn without(mut self, skipped: u8) -> Option<ValidationError> {
        self.violations.retain(|v| v.constraint.kind().bit() & skipped == 0);
        (!self.violations.is_empty()).then_some(self)
    }

    /// How to send the request anyway, for when the model the crate was generated from is the one that is wrong.
    fn bypass_hint(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut kinds: Vec<ConstraintKind> = Vec::new();
        for v in &self.violations {
            if !kinds.contains(&v.constraint.kind()) {
                kinds.push(v.constraint.kind());
            }
        }
        let skips: String =
            kinds.iter().map(|k| format!(".skip_constraint(validation::ConstraintKind::{k:?})")).collect();
        write!(
            f,
            "\nThese checks follow the model this crate was generated from. If the service accepts the input, skip \
{} for one request with `.config_override(config::ConfigOverride::new(){skips})` on the request builder.",
            if kinds.len() == 1 { "this kind of check" } else { "these kinds of check" }
        )
    }
}

/// Collects violations while checking. Allocates only when one is recorded.
#[derive(Debug, Default)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// No violations yet.
    pub fn new() -> Self {
        Violations(Vec::new())
    }

    fn push(&mut self, path: &Path<'_>, constraint: Constraint) {
        self.0.push(Violation { path: path.to_text(), constraint });
    }

    /// Record a missing required member.
    pub fn required(&mut self, path: &Path<'_>) {
        self.push(path, Constraint::Required);
    }

    /// `Ok` when nothing was recorded.
    pub fn into_result(self, shape: &'static str) -> Result<(), ValidationError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { shape, violations: self.0 })
        }
    }
}

fn outside(n: u64, min: Option<u64>, max: Option<u64>) -> bool {
    min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m)
}

/// `@length` of a string, in Unicode code points; whether the length is within the bounds. The generated code checks
/// the value's `@pattern` only then: a value that breaks its `@length` is not also run through its pattern (a
/// hostile, very long value is refused after counting its characters).
#[inline]
pub fn length_str(v: &str, min: Option<u64>, max: Option<u64>, path: &Path<'_>, out: &mut Violations) -> bool {
    let bytes = v.len() as u64;
    // A string has at most as many code points as bytes, and at least a quarter as many.
    let sure = min.is_none_or(|m| bytes / 4 >= m) && max.is_none_or(|m| bytes <= m);
    if sure {
        return true;
    }
    let n = v.chars().count() as u64;
    if outside(n, min, max) {
        out.push(path, Constraint::Length { min, max, actual: n, unit: "characters" });
        return false;
    }
    true
}

/// `@length` of a blob (bytes), list (items) or map (entries).
#[inline]
pub fn length_count(
    n: usize,
    unit: &'static str,
    min: Option<u64>,
    max: Option<u64>,
    path: &Path<'_>,
    out: &mut Violations,
) {
    if outside(n as u64, min, max) {
        out.push(path, Constraint::Length { min, max, actual: n as u64, unit });
    }
}

/// `@range` of an integer.
#[inline]
pub fn range_int(
    v: i128,
    min: Option<i128>,
    max: Option<i128>,
    sensitive: bool,
    path: &Path<'_>,
    out: &mut Violations,
) {
    if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
        let actual = (!sensitive).then(|| v.to_string());
        out.push(path, Constraint::Range { min: min.map(|m| m.to_string()), max: max.map(|m| m.to_string()), actual });
    }
}

/// `@range` of a floating-point number. NaN is outside every range.
#[inline]
pub fn range_float(v: f64, min: Option<f64>, max: Option<f64>, sensitive: bool, path: &Path<'_>, out: &mut Violations) {
    let bad = v.is_nan() || min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m);
    if bad {
        let actual = (!sensitive).then(|| v.to_string());
        out.push(path, Constraint::Range { min: min.map(|m| m.to_string()), max: max.map(|m| m.to_string()), actual });
    }
}

/// `@pattern`.
#[inline]
pub fn pattern(v: &str, p: &Pattern, sensitive: bool, path: &Path<'_>, out: &mut Violations) {
    match p.check(v) {
        Outcome::Match => {}
        Outcome::NoMatch => {
            let value = (!sensitive).then(|| shorten(v));
            out.push(path, Constraint::Pattern { pattern: p.source, value });
        }
        Outcome::TooLong { max, actual } => {
            out.push(path, Constraint::PatternInputTooLong { pattern: p.source, max, actual })
        }
    }
}

/// The constraints of a string member (or list item) checked by [`text`]: `@required`, `@length` in characters and
/// `@pattern`, with the member's `@sensitive`. The generated code passes one per member instead of spelling out each
/// check, which keeps each `validate_at` small.
#[derive(Clone, Copy, Debug)]
pub struct Text {
    /// The member is `@required` (an absent value is a violation).
    pub required: bool,
    /// Inclusive minimum length in characters, if any.
    pub min: Option<u64>,
    /// Inclusive maximum length in characters, if any.
    pub max: Option<u64>,
    /// The `@pattern`, if any; not run on a value that breaks its length.
    pub pattern: Option<&'static Pattern>,
    /// The value is never shown in a violation.
    pub sensitive: bool,
}

/// A string member `name` below `path`: missing when required, else its length, then (only when the length holds)
/// its pattern, as [`length_str`] and [`pattern`] check them.
#[inline]
pub fn text(v: Option<&str>, name: &'static str, rule: &Text, path: &Path<'_>, out: &mut Violations) {
    let path = path.field(name);
    match v {
        None if rule.required => out.required(&path),
        None => {}
        Some(v) => text_value(v, rule, &path, out),
    }
}

/// Each string of a list at `path` (items by index), as [`text`] checks a member's value.
#[inline]
pub fn texts(items: &[String], rule: &Text, path: &Path<'_>, out: &mut Violations) {
    for (i, v) in items.iter().enumerate() {
        text_value(v, rule, &path.index(i), out);
    }
}

/// A string's value at `path` under `rule` (its `required` aside): its length, then its pattern only when the length
/// holds. The generated validators and the definitions' schema walker both check strings so.
#[inline]
pub(crate) fn text_value(v: &str, rule: &Text, path: &Path<'_>, out: &mut Violations) {
    let fits = (rule.min.is_none() && rule.max.is_none()) || length_str(v, rule.min, rule.max, path, out);
    if let (true, Some(p)) = (fits, rule.pattern) {
        pattern(v, p, rule.sensitive, path, out);
    }
}

/// A required member `name` below `path` that has no other check: a violation when it is absent.
#[inline]
pub fn present(is_some: bool, name: &'static str, path: &Path<'_>, out: &mut Violations) {
    if !is_some {
        out.required(&path.field(name));
    }
}

fn shorten(v: &str) -> String {
    const MAX: usize = 80;
    match v.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &v[..i]),
        None => v.to_owned(),
    }
}

/// `@uniqueItems` of a list whose items can be hashed.
pub fn unique_hash<T: std::hash::Hash + Eq>(items: &[T], path: &Path<'_>, out: &mut Violations) {
    if items.len() < 2 {
        return;
    }
    let mut seen = std::collections::HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(first) = seen.insert(item, i) {
            out.push(path, Constraint::UniqueItems { first, duplicate: i });
            return;
        }
    }
}

/// `@uniqueItems` of a list whose items cannot be hashed as they are (structures, unions, maps, documents, floats):
/// items are compared by a key that equal items share, such as their JSON form with object keys in sorted order
/// (the protocol module's `canonical`).
pub fn unique_by<T, K: std::hash::Hash + Eq>(
    items: &[T],
    key: impl FnMut(&T) -> K,
    path: &Path<'_>,
    out: &mut Violations,
) {
    if items.len() < 2 {
        return;
    }
    let keys: Vec<K> = items.iter().map(key).collect();
    unique_hash(&keys, path, out);
}

/// A `@pattern`, translated at codegen time into regular expressions with the ECMAScript meaning spelled out (see the
/// generator's `pattern` module), each compiled into an automaton that must, or must not, find a match; or handed to
/// another engine where that translation cannot be exact (compiled on first use, once per process).
pub struct Pattern {
    source: &'static str,
    checks: &'static [(Automaton, bool)],
    chars: Option<(u32, Option<u32>)>,
    engine: Option<Engine>,
    engine_compiled: OnceLock<Box<dyn Matcher>>,
}

/// Another engine for a pattern: how to compile it, and the most characters it may be run on.
#[derive(Clone, Copy)]
struct Engine {
    compile: fn(&'static str) -> Box<dyn Matcher>,
    max_chars: Option<u64>,
    /// What the engine compiles, when it is not the pattern as written (a Java pattern rewritten for it).
    source: Option<&'static str>,
}

/// A compiled pattern of an engine other than the automata (the `ecma` module's ECMAScript engine).
pub trait Matcher: Send + Sync {
    /// Whether the pattern finds a match in `v`.
    fn is_match(&self, v: &str) -> bool;
}

/// What checking a value against a [`Pattern`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The pattern finds a match.
    Match,
    /// It does not.
    NoMatch,
    /// The value is longer than the pattern's engine is given (in characters); it was not matched.
    TooLong {
        /// The bound.
        max: u64,
        /// The value's length.
        actual: u64,
    },
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pattern").field("source", &self.source).finish()
    }
}

impl Pattern {
    /// A pattern: its source, the automata that must (`true`) or must not (`false`) find a match, and optional
    /// bounds on the number of code points.
    pub const fn new(
        source: &'static str,
        checks: &'static [(Automaton, bool)],
        chars: Option<(u32, Option<u32>)>,
    ) -> Self {
        Pattern { source, checks, chars, engine: None, engine_compiled: OnceLock::new() }
    }

    /// A pattern checked by another engine: `compile` turns the source into a [`Matcher`] (on first use), which is
    /// run only on values of at most `max_chars` characters; a longer value is [`Outcome::TooLong`]. The bound is
    /// what keeps a backtracking engine's time in check; the generator decided it.
    pub const fn with_engine(
        source: &'static str,
        compile: fn(&'static str) -> Box<dyn Matcher>,
        max_chars: Option<u64>,
    ) -> Self {
        Pattern {
            source,
            checks: &[],
            chars: None,
            engine: Some(Engine { compile, max_chars, source: None }),
            engine_compiled: OnceLock::new(),
        }
    }

    /// A pattern the generator rewrote for the engine (`engine_source`: the same meaning in the engine's syntax),
    /// reported as written (`source`).
    pub const fn with_engine_source(
        source: &'static str,
        engine_source: &'static str,
        compile: fn(&'static str) -> Box<dyn Matcher>,
        max_chars: Option<u64>,
    ) -> Self {
        Pattern {
            source,
            checks: &[],
            chars: None,
            engine: Some(Engine { compile, max_chars, source: Some(engine_source) }),
            engine_compiled: OnceLock::new(),
        }
    }

    /// The pattern as written in the model.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `v` matches (the pattern finds a match somewhere in `v`). A value too long to be checked does not.
    pub fn is_match(&self, v: &str) -> bool {
        self.check(v) == Outcome::Match
    }

    /// Check `v`.
    pub fn check(&self, v: &str) -> Outcome {
        if let Some(engine) = &self.engine {
            if let Some(max) = engine.max_chars {
                // A string has at least as many bytes as characters: count only when it may be too long.
                if v.len() as u64 > max {
                    let actual = v.chars().count() as u64;
                    if actual > max {
                        return Outcome::TooLong { max, actual };
                    }
                }
            }
            let matcher = self.engine_compiled.get_or_init(|| (engine.compile)(engine.source.unwrap_or(self.source)));
            return if matcher.is_match(v) { Outcome::Match } else { Outcome::NoMatch };
        }
        if let Some((min, max)) = self.chars {
            let n = v.chars().count();
            if n < min as usize || max.is_some_and(|m| n > m as usize) {
                return Outcome::NoMatch;
            }
        }
        if self.checks.iter().all(|(automaton, expect)| automaton.is_match(v) == *expect) {
            Outcome::Match
        } else {
            Outcome::NoMatch
        }
    }
}

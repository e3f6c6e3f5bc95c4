//! `@pattern` semantics, decided at codegen time.
//!
//! A Smithy pattern is an ECMA-262 regular expression that must *find* a match in the value (it is not implicitly
//! anchored). The generated crate checks patterns with finite automata wherever that can be exact: they run in time
//! linear in the input, so hostile strings cannot make validation hang. This module parses each pattern itself and
//! re-emits it as regular expressions in the `regex` crate's syntax (whose parser, `regex-syntax`, the automata are
//! built from, in [`automaton`]), with the ECMAScript meaning spelled out where the two syntaxes differ (`\d`, `\w`,
//! `\s`, `.`, `\b`, identity escapes, surrogate pairs, lookaround):
//!
//! - Patterns valid under ECMAScript's `u` flag get its semantics: code points, `\d` = `[0-9]`, `\w` = `[A-Za-z0-9_]`,
//!   `\s` = ECMAScript white space and line terminators, `.` = anything but a line terminator, `\b` on ASCII words,
//!   `\p{…}` general categories and scripts, surrogate-pair escapes combined into one code point.
//! - Patterns the `u` flag rejects (identity escapes such as `\_`, `\p{Alnum}`, a quantified `$`) get the meaning of
//!   Java's `java.util.regex`, the engine the Smithy toolchain validates patterns with: `\p{Alnum}` = `[A-Za-z0-9]`,
//!   `\s` = ASCII white space, and `$` also matching before one final line terminator.
//! - Lookaround at a fixed position is rewritten away, exactly. A pattern `^P(?=L)R` or `^P(?!L)R` whose prefix `P`
//!   matches only strings of one width `k` (in code points) evaluates its lookahead at offset `k` and nowhere else,
//!   so it holds exactly when `^P R` matches and `^P L` does (or does not) match: the lookahead becomes a separate
//!   regex that must (or must not) match. A lookbehind `(?<=L)`/`(?<!L)` of fixed width `w` at such an offset `k`
//!   looks at exactly the code points `k-w..k`: it becomes `^.{k-w}L` (with `.` any code point) that must (or must
//!   not) match. A negative one-character lookbehind after an anchored prefix of any width is pushed into what
//!   precedes it.
//! - A very long counted repetition of one character class that spans the whole anchored pattern becomes a class
//!   check plus a code-point count, keeping the automaton small.
//!
//! What is left, lookaround at a position that depends on the input and backreferences, no finite automaton
//! expresses. Such a pattern (valid under the `u` flag) is run as written by `regress`, a backtracking ECMAScript
//! engine, in the generated crate's `ecma` module; [`plan_for_values`] decides how much of the input that engine may
//! see (see [`Bound`]).
//!
//! The result is a [`Plan`]: a list of regular expressions, each of which must (or must not) find a match, with the
//! automaton each is compiled into (the generated crate's tables), and an optional bound on the number of code
//! points; or the ECMAScript engine with its input bound. Every regex is compiled here (and every ECMAScript-engine
//! pattern compiled by that engine), so a pattern that cannot be checked fails codegen instead.

use std::fmt::Write as _;

pub mod automaton;
mod java;

/// How a pattern's meaning was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// ECMAScript with the `u` flag.
    EcmaUnicode,
    /// Java's `java.util.regex` (the pattern is invalid under the `u` flag).
    Java,
}

/// A regex that must, or must not, find a match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// `regex` crate syntax.
    pub regex: String,
    /// Whether a match is required (`true`) or forbidden (`false`).
    pub expect: bool,
    /// The regex compiled into the automaton the generated crate runs.
    pub automaton: automaton::Automaton,
}

/// Which engine checks a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// Regular expressions (the plan's `checks`, each compiled into an automaton) and `chars`: time linear in the
    /// input.
    Regex,
    /// The ECMAScript backtracking engine `regress`, running the pattern as written (flag `u`).
    Ecma(Ecma),
}

/// Why and how a pattern is checked by the ECMAScript engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ecma {
    /// What no finite automaton expresses exactly.
    pub reason: String,
    /// The backtracking search's worst case as a power of the input length `n`: at most `O(n^degree)` steps. `None`
    /// when a repeated part can match in more than one way (nested quantifiers, a repeated alternation), where
    /// backtracking may take time exponential in `n`.
    pub degree: Option<u32>,
    /// How long an input the engine may see.
    pub bound: Bound,
    /// What the engine compiles: the pattern as written, or, for a pattern with Java semantics, an ECMAScript pattern
    /// with the same meaning.
    pub source: String,
}

impl Ecma {
    /// The most code points the engine may see; longer values are refused before it runs. `None`: no limit.
    pub fn max_chars(&self) -> Option<u64> {
        match self.bound {
            Bound::Length(n) | Bound::Conservative(n) => Some(n),
            Bound::NoNestedQuantifiers => None,
        }
    }
}

/// The input bound of an ECMAScript-engine pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The largest `@length` maximum of the values the pattern checks. A longer value breaks its own `@length`.
    Length(u64),
    /// Some value has no `@length` maximum, but the pattern has no nested quantifiers: the search is polynomial in the
    /// input (see [`Ecma::degree`]), and the engine sees the whole value.
    NoNestedQuantifiers,
    /// Some value has no `@length` maximum and the pattern may backtrack exponentially: the engine sees at most
    /// [`CONSERVATIVE_CHARS`] code points.
    Conservative(u64),
}

/// The input bound used when neither `@length` nor the pattern's shape bounds the engine's work.
pub const CONSERVATIVE_CHARS: u64 = 256;

/// How the generated crate checks one pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The pattern as written in the model.
    pub original: String,
    /// Whose semantics apply.
    pub mode: Mode,
    /// All must hold ([`Engine::Regex`] only).
    pub checks: Vec<Check>,
    /// Bounds on the value's length in code points, when a long repetition was turned into a count
    /// ([`Engine::Regex`] only).
    pub chars: Option<(u32, Option<u32>)>,
    /// Which engine runs the checks.
    pub engine: Engine,
    /// What had to be interpreted, for the codegen report.
    pub notes: Vec<String>,
}

impl Plan {
    /// Whether every string matches, so there is nothing to check.
    pub fn is_trivial(&self) -> bool {
        self.checks.is_empty() && self.chars.is_none() && self.engine == Engine::Regex
    }

    /// The ECMAScript-engine decision, when the pattern needs that engine.
    pub fn ecma(&self) -> Option<&Ecma> {
        match &self.engine {
            Engine::Ecma(e) => Some(e),
            Engine::Regex => None,
        }
    }
}

/// Repetitions of one class longer than this, spanning a whole anchored pattern, become a code-point count.
const COUNT_THRESHOLD: u32 = 64;

/// Decide how to check `pattern` with regular expressions and their automata; an error when that cannot be exact
/// (see [`plan_for_values`], which falls back to the ECMAScript engine).
pub fn plan(pattern: &str) -> Result<Plan, String> {
    match translate(pattern)? {
        Translation::Exact(plan) => Ok(plan),
        Translation::NotExact { reason, .. } => Err(format!("{reason} needs a backtracking engine")),
    }
}

/// Decide how to check `pattern` on values whose largest `@length` maximum is `max_len` (`None` when some value
/// has none): with regular expressions and their automata where the translation is exact, else with the ECMAScript
/// engine and an input bound:
///
/// - every value has a `@length` maximum: the engine sees at most the largest ([`Bound::Length`]);
/// - else, the pattern has no nested quantifiers: the engine sees the whole value ([`Bound::NoNestedQuantifiers`]);
/// - else at most [`CONSERVATIVE_CHARS`] code points ([`Bound::Conservative`]), stated in the plan's notes.
///
/// A pattern with Java semantics (invalid under the `u` flag) that needs backtracking runs on the ECMAScript engine
/// rewritten with Java's meaning spelled out (see `java::ecma_source`).
pub fn plan_for_values(pattern: &str, max_len: Option<u64>) -> Result<Plan, String> {
    plan_in(pattern, max_len, None)
}

/// The plan of [`plan_for_values`] for Java's reading of `pattern`, whether or not it is valid under the ECMAScript
/// `u` flag: what Java's `java.util.regex` makes of it, for comparing the two dialects.
pub fn plan_as_java(pattern: &str, max_len: Option<u64>) -> Result<Plan, String> {
    plan_in(pattern, max_len, Some(Mode::Java))
}

fn plan_in(pattern: &str, max_len: Option<u64>, mode: Option<Mode>) -> Result<Plan, String> {
    let (mode, ast, reason, notes, source) = match translate_in(pattern, mode)? {
        Translation::Exact(plan) => return Ok(plan),
        Translation::NotExact { mode: Mode::Java, ast, reason, notes } => {
            // Java semantics on the ECMAScript engine: the pattern rewritten with Java's meaning spelled out.
            let source = java::ecma_source(&ast).map_err(|why| {
                format!("{reason} needs a backtracking engine, and Java's meaning cannot be written for it: {why}")
            })?;
            let mut notes = notes;
            notes.push(format!(
                "run on the ECMAScript engine as `{source}` (Java's classes, `.`, `$`, `^`, atomic groups spelled out)"
            ));
            (Mode::Java, ast, reason, notes, source)
        }
        Translation::NotExact { mode: Mode::EcmaUnicode, ast, reason, notes } => {
            (Mode::EcmaUnicode, ast, reason, notes, pattern.to_owned())
        }
    };
    let (ast, reason, mut notes, mut source) = (ast, reason, notes, source);
    let without_lone_surrogates = lone_surrogates_as_empty_classes(&source);
    if without_lone_surrogates != source {
        notes.push(format!(
            "lone surrogate escapes, which no Rust string holds, given to the ECMAScript engine as the empty class \
             `[]`: `{without_lone_surrogates}`"
        ));
        source = without_lone_surrogates;
    }
    regress::Regex::with_flags(&source, "u")
        .map_err(|e| format!("{reason} needs the ECMAScript engine, which rejects the pattern: {e}"))?;
    let degree = backtracking_degree(&ast);
    let bound = match (max_len, degree) {
        (Some(n), _) => Bound::Length(n),
        (None, Some(_)) => Bound::NoNestedQuantifiers,
        (None, None) => Bound::Conservative(CONSERVATIVE_CHARS),
    };
    let cost = match degree {
        Some(d) => format!("worst case O(n^{d}) steps"),
        None => "nested quantifiers: worst case exponential in n".to_owned(),
    };
    notes.push(format!("{reason}: checked by the ECMAScript engine (regress), {cost}"));
    notes.push(match bound {
        Bound::Length(n) => {
            format!("the engine sees at most {n} code points (the `@length` maximum); longer values are refused")
        }
        Bound::NoNestedQuantifiers => {
            "no `@length` maximum, no nested quantifiers: the engine sees the whole value".into()
        }
        Bound::Conservative(n) => format!(
            "no `@length` maximum and nested quantifiers: the engine sees at most {n} code points, a conservative \
             bound; longer values are refused"
        ),
    });
    Ok(Plan {
        original: pattern.to_owned(),
        mode,
        checks: Vec::new(),
        chars: None,
        engine: Engine::Ecma(Ecma { reason, degree, bound, source }),
        notes,
    })
}

/// `source` (ECMAScript syntax, flag `u`) with each escape of a lone surrogate outside a character class
/// (`\uD83D` not followed by a low-surrogate escape, `\uDE00`, `\u{D83D}`) replaced by `[]`. Under `u` such an escape
/// is one code point that no Rust string holds, so it matches nothing, as `[]` does; regress 0.12 instead makes the
/// whole pattern fail (`\uD83D?$` matched nothing, not even the empty string). Inside a class it is one more item that
/// never matches, which regress handles, and it stays.
fn lone_surrogates_as_empty_classes(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let hex = |from: usize, len: usize| -> Option<u32> {
        let text: String = chars.get(from..from + len)?.iter().collect();
        (text.len() == len && text.chars().all(|c| c.is_ascii_hexdigit()))
            .then(|| u32::from_str_radix(&text, 16).ok())?
    };
    let surrogate = |v: u32| (0xD800..0xE000).contains(&v);
    let mut out = String::new();
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && !in_class && chars.get(i + 1) == Some(&'u') {
            // `\uXXXX`, possibly a pair with a following `\uXXXX`, or `\u{X…}`.
            if let Some(v) = hex(i + 2, 4) {
                let low = (chars.get(i + 6) == Some(&'\\') && chars.get(i + 7) == Some(&'u'))
                    .then(|| hex(i + 8, 4))
                    .flatten()
                    .filter(|l| (0xDC00..0xE000).contains(l));
                if (0xD800..0xDC00).contains(&v) && low.is_some() {
                    out.extend(&chars[i..i + 12]);
                    i += 12;
                } else {
                    if surrogate(v) {
                        out.push_str("[]");
                    } else {
                        out.extend(&chars[i..i + 6]);
                    }
                    i += 6;
                }
                continue;
            }
            if chars.get(i + 2) == Some(&'{') {
                if let Some(end) = chars[i + 3..].iter().position(|&c| c == '}') {
                    let digits: String = chars[i + 3..i + 3 + end].iter().collect();
                    if u32::from_str_radix(&digits, 16).is_ok_and(surrogate) {
                        out.push_str("[]");
                        i += end + 4;
                        continue;
                    }
                }
            }
        }
        if c == '\\' {
            out.extend(chars.get(i..(i + 2).min(chars.len())).unwrap_or_default());
            i += 2;
            continue;
        }
        match c {
            '[' => in_class = true,
            ']' => in_class = false,
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The outcome of translating a pattern into regular expressions.
enum Translation {
    Exact(Plan),
    /// Valid, but no regular expression expresses its meaning.
    NotExact {
        mode: Mode,
        ast: Node,
        reason: String,
        notes: Vec<String>,
    },
}

fn translate(pattern: &str) -> Result<Translation, String> {
    translate_in(pattern, None)
}

/// [`translate`] in the given mode, or (`None`) in ECMAScript's when the pattern is valid under `u`, else in Java's.
fn translate_in(pattern: &str, forced: Option<Mode>) -> Result<Translation, String> {
    let (ast, mode, mut notes) = match forced {
        Some(mode) => match Parser::new(pattern, mode).parse() {
            Ok(ast) => (ast, mode, Vec::new()),
            Err(e) => return Err(format!("unsupported pattern: {e}")),
        },
        None => match Parser::new(pattern, Mode::EcmaUnicode).parse() {
            Ok(ast) => (ast, Mode::EcmaUnicode, Vec::new()),
            Err(u_err) => match Parser::new(pattern, Mode::Java).parse() {
                Ok(ast) => {
                    (ast, Mode::Java, vec![format!("invalid under the ECMAScript `u` flag ({u_err}); Java semantics")])
                }
                Err(j_err) => return Err(format!("unsupported pattern: {u_err}; as Java: {j_err}")),
            },
        },
    };
    if contains_backref(&ast) {
        return Ok(Translation::NotExact { mode, ast, reason: "a backreference".into(), notes });
    }
    let lowered = match lower(&ast, mode) {
        Ok(lowered) => lowered,
        Err(reason) => return Ok(Translation::NotExact { mode, ast, reason, notes }),
    };
    let mut checks = Vec::new();
    let mut chars = None;
    // The notes of a translation that fails half-way do not apply; only the mode's do.
    let mode_notes = notes.clone();
    let body = match split_lookarounds(lowered, mode, &mut checks, &mut notes) {
        Ok(body) => body,
        Err(reason) => return Ok(Translation::NotExact { mode, ast, reason, notes: mode_notes }),
    };
    let body = match count_run(&body, mode) {
        Some((class, min, max, end)) => {
            notes.push(format!(
                "repetition {{{min},{}}} of one class checked as a code-point count",
                max.map_or(String::new(), |m| m.to_string())
            ));
            chars = Some((min, max));
            Node::Concat(vec![Node::Start, Node::Repeat(Box::new(class), 0, None), end])
        }
        None => body,
    };
    if !always_matches(&body) {
        checks.insert(0, (emit(&body, mode), true));
    } else if checks.is_empty() && chars.is_none() {
        notes.push("matches every string".into());
    }
    let checks = checks
        .into_iter()
        .map(|(regex, expect)| {
            let automaton = automaton::compile(&regex, &automaton::BUDGET)
                .map_err(|e| format!("translated pattern `{regex}` cannot be compiled: {e}"))?;
            Ok(Check { regex, expect, automaton })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Translation::Exact(Plan { original: pattern.to_owned(), mode, checks, chars, engine: Engine::Regex, notes }))
}

/// The tree the automata are made from: captures as plain groups, and an atomic group (or possessive quantifier)
/// whose every match has one width as a plain group, since it has nothing to give back that would end elsewhere. An
/// error says what needs a backtracking engine: a backreference, Java's multiline `^` or `$`, another atomic group.
fn lower(n: &Node, mode: Mode) -> Result<Node, String> {
    let all = |v: &[Node]| v.iter().map(|i| lower(i, mode)).collect::<Result<Vec<_>, String>>();
    Ok(match n {
        Node::Capture(i) | Node::Group(i) => Node::Group(Box::new(lower(i, mode)?)),
        Node::Atomic(i) => {
            let inner = lower(i, mode)?;
            if fixed_width(&inner, mode).is_none() {
                return Err("an atomic group or possessive quantifier whose matches vary in length".into());
            }
            Node::Group(Box::new(inner))
        }
        Node::LineStart | Node::LineEnd => return Err("Java's multiline `^` or `$`".into()),
        Node::BackRef(_) => return Err("a backreference".into()),
        Node::Look(ahead, negated, i) => Node::Look(*ahead, *negated, Box::new(lower(i, mode)?)),
        Node::Concat(v) => Node::Concat(all(v)?),
        Node::Alt(v) => Node::Alt(all(v)?),
        Node::Repeat(i, min, max) => Node::Repeat(Box::new(lower(i, mode)?), *min, *max),
        Node::Empty
        | Node::Char(_)
        | Node::Class(_)
        | Node::Start
        | Node::End
        | Node::TextEnd
        | Node::WordBoundary(_) => n.clone(),
    })
}

/// The code points of a class written in `regex` crate syntax ([`emit_class`]), as sorted inclusive ranges.
fn class_ranges(text: &str) -> Result<Vec<(char, char)>, String> {
    let hir = regex_syntax::Parser::new().parse(text).map_err(|e| format!("the class `{text}` does not parse: {e}"))?;
    match hir.kind() {
        regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(c)) => {
            Ok(c.ranges().iter().map(|r| (r.start(), r.end())).collect())
        }
        regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Bytes(c)) if c.ranges().is_empty() => {
            Ok(Vec::new())
        }
        regex_syntax::hir::HirKind::Literal(l) => {
            let text = std::str::from_utf8(&l.0).map_err(|_| "a class that is not UTF-8".to_owned())?;
            Ok(text.chars().map(|c| (c, c)).collect())
        }
        _ => Err(format!("`{text}` is not a class")),
    }
}

/// One character-class item.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Range(char, char),
    /// A `regex` crate property name (`L`, `Greek`), maybe negated.
    Prop(String, bool),
    /// A nested class.
    Class(Class),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Class {
    negated: bool,
    items: Vec<Item>,
    /// Remove these (class difference).
    minus: Vec<Class>,
}

impl Class {
    fn of(items: Vec<Item>) -> Class {
        Class { negated: false, items, minus: Vec::new() }
    }
    fn negate(mut self) -> Class {
        self.negated = !self.negated;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Empty,
    Char(char),
    Class(Class),
    /// `^` (start of input).
    Start,
    /// `$` (end of input; in Java mode also before one final line terminator, and Java's `\Z`).
    End,
    /// Java's `\z`: the end of the input.
    TextEnd,
    /// Java's `^` under `(?m)`: at the start, or after a line terminator (`\r\n` being one), not at the end.
    LineStart,
    /// Java's `$` under `(?m)`: at the end, or before a line terminator (`\r\n` being one).
    LineEnd,
    /// `\b` (true) or `\B` (false), ASCII word characters.
    WordBoundary(bool),
    Group(Box<Node>),
    /// A capturing group (numbered in the order of the groups' opening parentheses).
    Capture(Box<Node>),
    /// Java's atomic group `(?>…)` (and possessive quantifiers, `a*+` being `(?>a*)`): once it matched, the first way
    /// it found is kept.
    Atomic(Box<Node>),
    /// Lookaround: (ahead, negated, inner).
    Look(bool, bool, Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
    /// A backreference (`\1`, `\k<name>`): only a backtracking engine checks it. In Java mode the group's number
    /// (0: a group that does not exist, which never matches); in ECMAScript mode it is not used.
    BackRef(u32),
}

/// A class that also holds the other case of each ASCII letter it holds (Java's `(?i)` without `UNICODE_CASE`).
fn ascii_either_case(class: Class) -> Class {
    let mut extra = Vec::new();
    let mut class = class;
    for item in &mut class.items {
        if let Item::Class(inner) = item {
            *inner = ascii_either_case(std::mem::replace(inner, Class::of(Vec::new())));
        }
    }
    class.minus = class.minus.into_iter().map(ascii_either_case).collect();
    for item in &class.items {
        if let Item::Range(a, b) = item {
            for (lo, hi, shift) in [('a', 'z', -32i32), ('A', 'Z', 32)] {
                let (from, to) = ((*a).max(lo), (*b).min(hi));
                if from <= to {
                    let moved = |c: char| char::from_u32((c as i32 + shift) as u32).unwrap_or(c);
                    extra.push(Item::Range(moved(from), moved(to)));
                }
            }
        }
    }
    class.items.extend(extra);
    class
}

fn ecma_space() -> Class {
    let r = |a: u32, b: u32| Item::Range(char::from_u32(a).unwrap_or('\0'), char::from_u32(b).unwrap_or('\0'));
    Class::of(vec![
        r(0x09, 0x0D),
        r(0x20, 0x20),
        r(0xA0, 0xA0),
        r(0x1680, 0x1680),
        r(0x2000, 0x200A),
        r(0x2028, 0x2029),
        r(0x202F, 0x202F),
        r(0x205F, 0x205F),
        r(0x3000, 0x3000),
        r(0xFEFF, 0xFEFF),
    ])
}

fn java_space() -> Class {
    Class::of(vec![Item::Range('\t', '\r'), Item::Range(' ', ' ')])
}

fn digit() -> Class {
    Class::of(vec![Item::Range('0', '9')])
}

fn word() -> Class {
    Class::of(vec![Item::Range('a', 'z'), Item::Range('A', 'Z'), Item::Range('0', '9'), Item::Range('_', '_')])
}

/// Line terminators: ECMAScript's four; Java adds U+0085.
fn line_terminators(mode: Mode) -> Class {
    let mut items = vec![Item::Range('\n', '\n'), Item::Range('\r', '\r'), Item::Range('\u{2028}', '\u{2029}')];
    if mode == Mode::Java {
        items.push(Item::Range('\u{85}', '\u{85}'));
    }
    Class::of(items)
}

/// ECMAScript general category names (short and long) and the `regex` crate name they map to.
const CATEGORIES: &[(&str, &str)] = &[
    ("L", "L"),
    ("Letter", "L"),
    ("Lu", "Lu"),
    ("Uppercase_Letter", "Lu"),
    ("Ll", "Ll"),
    ("Lowercase_Letter", "Ll"),
    ("Lt", "Lt"),
    ("Titlecase_Letter", "Lt"),
    ("LC", "LC"),
    ("Cased_Letter", "LC"),
    ("Lm", "Lm"),
    ("Modifier_Letter", "Lm"),
    ("Lo", "Lo"),
    ("Other_Letter", "Lo"),
    ("M", "M"),
    ("Mark", "M"),
    ("Mn", "Mn"),
    ("Nonspacing_Mark", "Mn"),
    ("Mc", "Mc"),
    ("Spacing_Mark", "Mc"),
    ("Me", "Me"),
    ("Enclosing_Mark", "Me"),
    ("N", "N"),
    ("Number", "N"),
    ("Nd", "Nd"),
    ("Decimal_Number", "Nd"),
    ("Nl", "Nl"),
    ("Letter_Number", "Nl"),
    ("No", "No"),
    ("Other_Number", "No"),
    ("P", "P"),
    ("Punctuation", "P"),
    ("Pc", "Pc"),
    ("Connector_Punctuation", "Pc"),
    ("Pd", "Pd"),
    ("Dash_Punctuation", "Pd"),
    ("Ps", "Ps"),
    ("Open_Punctuation", "Ps"),
    ("Pe", "Pe"),
    ("Close_Punctuation", "Pe"),
    ("Pi", "Pi"),
    ("Initial_Punctuation", "Pi"),
    ("Pf", "Pf"),
    ("Final_Punctuation", "Pf"),
    ("Po", "Po"),
    ("Other_Punctuation", "Po"),
    ("S", "S"),
    ("Symbol", "S"),
    ("Sm", "Sm"),
    ("Math_Symbol", "Sm"),
    ("Sc", "Sc"),
    ("Currency_Symbol", "Sc"),
    ("Sk", "Sk"),
    ("Modifier_Symbol", "Sk"),
    ("So", "So"),
    ("Other_Symbol", "So"),
    ("Z", "Z"),
    ("Separator", "Z"),
    ("Zs", "Zs"),
    ("Space_Separator", "Zs"),
    ("Zl", "Zl"),
    ("Line_Separator", "Zl"),
    ("Zp", "Zp"),
    ("Paragraph_Separator", "Zp"),
    ("C", "C"),
    ("Other", "C"),
    ("Cc", "Cc"),
    ("Control", "Cc"),
    ("Cf", "Cf"),
    ("Format", "Cf"),
    ("Cs", "Cs"),
    ("Surrogate", "Cs"),
    ("Co", "Co"),
    ("Private_Use", "Co"),
    ("Cn", "Cn"),
    ("Unassigned", "Cn"),
];

/// ECMAScript's binary Unicode properties (`\p{ASCII}`, `\p{Alphabetic}`), by name and short alias; the long
/// names are `regex-syntax`'s too (which lacks Changes_When_NFKC_Casefolded, left out).
const BINARY_PROPERTIES: &[(&str, &str)] = &[
    ("ASCII", "ASCII"),
    ("ASCII_Hex_Digit", "AHex"),
    ("Alphabetic", "Alpha"),
    ("Any", "Any"),
    ("Assigned", "Assigned"),
    ("Bidi_Control", "Bidi_C"),
    ("Bidi_Mirrored", "Bidi_M"),
    ("Case_Ignorable", "CI"),
    ("Cased", "Cased"),
    ("Changes_When_Casefolded", "CWCF"),
    ("Changes_When_Casemapped", "CWCM"),
    ("Changes_When_Lowercased", "CWL"),
    ("Changes_When_Titlecased", "CWT"),
    ("Changes_When_Uppercased", "CWU"),
    ("Dash", "Dash"),
    ("Default_Ignorable_Code_Point", "DI"),
    ("Deprecated", "Dep"),
    ("Diacritic", "Dia"),
    ("Emoji", "Emoji"),
    ("Emoji_Component", "EComp"),
    ("Emoji_Modifier", "EMod"),
    ("Emoji_Modifier_Base", "EBase"),
    ("Emoji_Presentation", "EPres"),
    ("Extended_Pictographic", "ExtPict"),
    ("Extender", "Ext"),
    ("Grapheme_Base", "Gr_Base"),
    ("Grapheme_Extend", "Gr_Ext"),
    ("Hex_Digit", "Hex"),
    ("IDS_Binary_Operator", "IDSB"),
    ("IDS_Trinary_Operator", "IDST"),
    ("ID_Continue", "IDC"),
    ("ID_Start", "IDS"),
    ("Ideographic", "Ideo"),
    ("Join_Control", "Join_C"),
    ("Logical_Order_Exception", "LOE"),
    ("Lowercase", "Lower"),
    ("Math", "Math"),
    ("Noncharacter_Code_Point", "NChar"),
    ("Pattern_Syntax", "Pat_Syn"),
    ("Pattern_White_Space", "Pat_WS"),
    ("Quotation_Mark", "QMark"),
    ("Radical", "Radical"),
    ("Regional_Indicator", "RI"),
    ("Sentence_Terminal", "STerm"),
    ("Soft_Dotted", "SD"),
    ("Terminal_Punctuation", "Term"),
    ("Unified_Ideograph", "UIdeo"),
    ("Uppercase", "Upper"),
    ("Variation_Selector", "VS"),
    ("White_Space", "space"),
    ("XID_Continue", "XIDC"),
    ("XID_Start", "XIDS"),
];

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    mode: Mode,
    /// Capturing groups opened so far.
    groups: u32,
    /// Names of the named groups, with their numbers.
    names: Vec<(String, u32)>,
    /// The largest numbered backreference and the named ones, checked against the groups once all are known
    /// (ECMAScript mode: a reference may come before its group).
    max_ref: u32,
    named_refs: Vec<String>,
    /// Java's inline `(?i)`: ASCII letters match either case (Java's default case folding is ASCII only).
    case_insensitive: bool,
    /// Java's inline `(?s)`: `.` matches line terminators too.
    dot_all: bool,
    /// Java's inline `(?m)`: `^` and `$` match at line terminators too.
    multiline: bool,
    _src: &'a str,
}

const SYNTAX: &str = "^$\\.*+?()[]{}|/";

impl<'a> Parser<'a> {
    fn new(src: &'a str, mode: Mode) -> Self {
        Parser {
            chars: src.chars().collect(),
            pos: 0,
            mode,
            groups: 0,
            names: Vec::new(),
            max_ref: 0,
            named_refs: Vec::new(),
            case_insensitive: false,
            dot_all: false,
            multiline: false,
            _src: src,
        }
    }

    fn java(&self) -> bool {
        self.mode == Mode::Java
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn err<T>(&self, msg: &str) -> Result<T, String> {
        Err(format!("{msg} at offset {}", self.pos))
    }

    fn parse(mut self) -> Result<Node, String> {
        let node = self.alternation()?;
        if self.pos < self.chars.len() {
            return self.err("unbalanced `)`");
        }
        if self.java() {
            // Java resolves backreferences as it reads them (a number past the groups matches nothing).
            return Ok(node);
        }
        // Under `u`, a backreference must name a group of the pattern (before or after it).
        if self.max_ref > self.groups {
            return Err(format!("backreference `\\{}` to a group that does not exist", self.max_ref));
        }
        if let Some(name) = self.named_refs.iter().find(|n| !self.names.iter().any(|(m, _)| m == *n)) {
            return Err(format!("backreference `\\k<{name}>` to a group that does not exist"));
        }
        Ok(node)
    }

    fn alternation(&mut self) -> Result<Node, String> {
        let mut alts = vec![self.concat()?];
        while self.eat('|') {
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 { alts.pop().unwrap_or(Node::Empty) } else { Node::Alt(alts) })
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            if self.java() && c == '\\' && self.peek_at(1) == Some('Q') {
                // `\Q…\E`: every character up to `\E` (or the end) stands for itself.
                self.pos += 2;
                for c in self.quoted() {
                    items.push(self.literal(c));
                }
                continue;
            }
            let atom = self.atom()?;
            let atom = self.quantified(atom)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    /// The characters of a Java quotation after its `\Q`, up to and past its `\E` (or to the end).
    fn quoted(&mut self) -> Vec<char> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            if c == '\\' && self.peek_at(1) == Some('E') {
                self.pos += 2;
                break;
            }
            out.push(c);
            self.pos += 1;
        }
        out
    }

    /// A literal character, in either case under Java's `(?i)`.
    fn literal(&self, c: char) -> Node {
        if self.case_insensitive && c.is_ascii_alphabetic() {
            Node::Class(Class::of(vec![
                Item::Range(c.to_ascii_lowercase(), c.to_ascii_lowercase()),
                Item::Range(c.to_ascii_uppercase(), c.to_ascii_uppercase()),
            ]))
        } else {
            Node::Char(c)
        }
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => match self.braces()? {
                Some(b) => b,
                None => return Ok(atom),
            },
            _ => return Ok(atom),
        };
        self.eat('?'); // Laziness does not change whether a match exists.
                       // Java's possessive quantifier: the repetition as an atomic group.
        let possessive = self.java() && self.eat('+');
        if self.java() && matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
            return self.err("a quantifier after a quantifier");
        }
        let zero_width = matches!(
            atom,
            Node::Start
                | Node::End
                | Node::TextEnd
                | Node::LineStart
                | Node::LineEnd
                | Node::WordBoundary(_)
                | Node::Look(..)
        );
        if zero_width {
            let lookahead = matches!(atom, Node::Look(true, ..));
            if self.mode == Mode::EcmaUnicode {
                return self.err("quantifier on an assertion");
            }
            if lookahead || matches!(atom, Node::Look(..)) {
                return self.err("quantified lookaround");
            }
            // Java: a repeated zero-width assertion is the assertion itself, or nothing when it may repeat zero times.
            return Ok(if min == 0 { Node::Empty } else { atom });
        }
        if let Some(m) = max {
            if m < min {
                return self.err("quantifier range out of order");
            }
        }
        let repeat = Node::Repeat(Box::new(atom), min, max);
        Ok(if possessive { Node::Atomic(Box::new(repeat)) } else { repeat })
    }

    /// `{n}`, `{n,}`, `{n,m}` at the cursor: the bounds (cursor moved past), or `None` if it is not a quantifier.
    fn braces(&mut self) -> Result<Option<(u32, Option<u32>)>, String> {
        let start = self.pos;
        self.pos += 1;
        let num = |p: &mut Self| {
            let s = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            let text: String = p.chars[s..p.pos].iter().collect();
            if text.is_empty() {
                None
            } else {
                Some(text.parse::<u32>().unwrap_or(u32::MAX))
            }
        };
        let Some(min) = num(self) else {
            self.pos = start;
            return match self.mode {
                Mode::EcmaUnicode => self.err("lone `{`"),
                // Java reads every `{` outside a class as a repetition.
                Mode::Java => self.err("`{` that is not a repetition"),
            };
        };
        let max = if self.eat(',') { num(self) } else { Some(min) };
        if !self.eat('}') {
            self.pos = start;
            return match self.mode {
                Mode::EcmaUnicode => self.err("incomplete quantifier"),
                Mode::Java => self.err("`{` that is not a repetition"),
            };
        }
        Ok(Some((min, max)))
    }

    fn atom(&mut self) -> Result<Node, String> {
        let Some(c) = self.peek() else { return self.err("unexpected end") };
        self.pos += 1;
        match c {
            '^' if self.multiline => Ok(Node::LineStart),
            '$' if self.multiline => Ok(Node::LineEnd),
            '^' => Ok(Node::Start),
            '$' => Ok(Node::End),
            '.' if self.dot_all => Ok(Node::Class(Class::of(Vec::new()).negate())),
            '.' => Ok(Node::Class(line_terminators(self.mode).negate())),
            '(' => self.group(),
            '[' => {
                let class = if self.java() { self.java_class()? } else { self.class()? };
                Ok(Node::Class(if self.case_insensitive { ascii_either_case(class) } else { class }))
            }
            '\\' => {
                let fold = self.case_insensitive;
                self.escape(false).map(|e| match e {
                    Escaped::Char(c) if fold && c.is_ascii_alphabetic() => self.literal(c),
                    Escaped::Char(c) => Node::Char(c),
                    Escaped::Surrogate(_) => Node::Class(Class::of(Vec::new())),
                    Escaped::Class(c) if fold => Node::Class(ascii_either_case(c)),
                    Escaped::Class(c) => Node::Class(c),
                    Escaped::Node(n) => n,
                })
            }
            '*' | '+' | '?' => self.err("nothing to repeat"),
            '{' if self.mode == Mode::EcmaUnicode => self.err("lone `{`"),
            '{' => self.err("`{` that is not a repetition"),
            '}' | ']' if self.mode == Mode::EcmaUnicode => self.err("lone bracket"),
            c => Ok(self.literal(c)),
        }
    }

    fn group(&mut self) -> Result<Node, String> {
        // Inline flags set inside a group end with it.
        let flags = (self.case_insensitive, self.dot_all, self.multiline);
        let (node, keep_flags) = self.group_body()?;
        if !keep_flags {
            (self.case_insensitive, self.dot_all, self.multiline) = flags;
        }
        Ok(node)
    }

    /// Java's inline flags, after `(?`: `i`, `s` and `m`, maybe turned off after `-`. Returns whether a scoped group
    /// (`(?i:…)`) follows; `(?i)` alone changes the flags for the rest of the enclosing group.
    fn inline_flags(&mut self) -> Result<bool, String> {
        let mut on = true;
        loop {
            match self.peek() {
                Some('i') => self.case_insensitive = on,
                Some('s') => self.dot_all = on,
                Some('m') => self.multiline = on,
                Some('-') if on => on = false,
                Some(')') => return Ok(false),
                Some(':') => return Ok(true),
                Some(c) => return self.err(&format!("unsupported inline flag `{c}` (supported: `i`, `s`, `m`)")),
                None => return self.err("unterminated inline flags"),
            }
            self.pos += 1;
        }
    }

    /// The group after its `(`, and whether it was only inline flags, which then stay in force.
    fn group_body(&mut self) -> Result<(Node, bool), String> {
        let node = if self.eat('?') {
            match self.peek() {
                Some(c) if self.java() && (c.is_ascii_alphabetic() || c == '-') => {
                    if self.inline_flags()? {
                        self.pos += 1;
                        Node::Group(Box::new(self.alternation()?))
                    } else {
                        // `(?i)`: no group, only new flags for what follows.
                        self.pos += 1;
                        return Ok((Node::Empty, true));
                    }
                }
                Some(':') => {
                    self.pos += 1;
                    Node::Group(Box::new(self.alternation()?))
                }
                Some('>') if self.java() => {
                    self.pos += 1;
                    Node::Atomic(Box::new(self.alternation()?))
                }
                Some('=') | Some('!') => {
                    let neg = self.peek() == Some('!');
                    self.pos += 1;
                    Node::Look(true, neg, Box::new(self.alternation()?))
                }
                Some('<') if matches!(self.peek_at(1), Some('=') | Some('!')) => {
                    let neg = self.peek_at(1) == Some('!');
                    self.pos += 2;
                    Node::Look(false, neg, Box::new(self.alternation()?))
                }
                Some('<') => {
                    // Named group.
                    self.pos += 1;
                    let name = self.group_name()?;
                    if self.names.iter().any(|(n, _)| *n == name) {
                        return self.err(&format!("duplicate group name `{name}`"));
                    }
                    self.groups += 1;
                    self.names.push((name, self.groups));
                    Node::Capture(Box::new(self.alternation()?))
                }
                _ => return self.err("unsupported group syntax"),
            }
        } else {
            self.groups += 1;
            Node::Capture(Box::new(self.alternation()?))
        };
        if !self.eat(')') {
            return self.err("missing `)`");
        }
        Ok((node, false))
    }

    /// A group name and its closing `>`, after the `<`: an identifier in ECMAScript, ASCII letters and digits
    /// after a letter in Java.
    fn group_name(&mut self) -> Result<String, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c != '>') {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        let mut chars = name.chars();
        let ident = if self.java() {
            chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric())
        } else {
            chars.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
                && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        };
        if !self.eat('>') {
            return self.err("unterminated group name");
        }
        if !ident {
            return self.err(&format!("invalid group name `{name}`"));
        }
        Ok(name)
    }

    fn class(&mut self) -> Result<Class, String> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        loop {
            let Some(c) = self.peek() else { return self.err("unterminated character class") };
            if c == ']' {
                self.pos += 1;
                break;
            }
            let lo = self.class_atom()?;
            // A range?
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|n| n != ']') {
                if let Some(a) = lo.code() {
                    self.pos += 1;
                    let hi = self.class_atom()?;
                    match hi.code() {
                        Some(b) if b < a => return self.err("character class range out of order"),
                        Some(b) => {
                            items.extend(code_point_range(a, b));
                            continue;
                        }
                        None if matches!(hi, Escaped::Node(_)) => return self.err("assertion in a class"),
                        None => return self.err("class escape in a range"),
                    }
                } else {
                    return self.err("class escape in a range");
                }
            }
            match lo {
                Escaped::Char(a) => items.push(Item::Range(a, a)),
                Escaped::Surrogate(_) => {}
                Escaped::Class(cls) => items.push(Item::Class(cls)),
                Escaped::Node(_) => return self.err("assertion in a class"),
            }
        }
        Ok(Class { negated, items, minus: Vec::new() })
    }

    /// A Java class after its `[`: unions of items and nested classes, intersected at each `&&`, then negated as a
    /// whole after a leading `^`. A `]` right after the `[` (or `[^`) is a character; an empty operand of `&&` is
    /// left out.
    fn java_class(&mut self) -> Result<Class, String> {
        let negated = self.eat('^');
        let mut operands: Vec<Vec<Item>> = vec![Vec::new()];
        let mut first = true;
        loop {
            let Some(c) = self.peek() else { return self.err("unterminated character class") };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '&' && self.peek_at(1) == Some('&') {
                if self.peek_at(2) == Some('&') {
                    return self.err("`&&&` in a class");
                }
                self.pos += 2;
                operands.push(Vec::new());
                continue;
            }
            let items = operands.last_mut().map(std::mem::take).unwrap_or_default();
            let items = self.java_class_items(items)?;
            if let Some(last) = operands.last_mut() {
                *last = items;
            }
        }
        let mut operands = operands.into_iter().filter(|o| !o.is_empty());
        let Some(first) = operands.next() else { return self.err("an empty class") };
        // `A && B` is `A` without what is not in `B`.
        let minus = operands.map(|b| Class::of(b).negate()).collect();
        Ok(Class { negated, items: first, minus })
    }

    /// One item of a Java class (a nested class, a quotation, an escape, a character or a range) added to `items`.
    fn java_class_items(&mut self, mut items: Vec<Item>) -> Result<Vec<Item>, String> {
        if self.eat('[') {
            items.push(Item::Class(self.java_class()?));
            return Ok(items);
        }
        if self.peek() == Some('\\') && self.peek_at(1) == Some('Q') {
            self.pos += 2;
            items.extend(self.quoted().into_iter().map(|c| Item::Range(c, c)));
            return Ok(items);
        }
        let lo = self.class_atom()?;
        let range_follows = self.peek() == Some('-') && !matches!(self.peek_at(1), Some(']') | Some('[') | None);
        let range = range_follows && !(self.peek_at(1) == Some('&') && self.peek_at(2) == Some('&'));
        match lo {
            Escaped::Char(_) | Escaped::Surrogate(_) if range => {
                self.pos += 1;
                let a = lo.code().unwrap_or(0);
                match self.class_atom()?.code() {
                    Some(b) if b >= a => items.extend(code_point_range(a, b)),
                    Some(_) => return self.err("character class range out of order"),
                    None => return self.err("a class in a range"),
                }
            }
            Escaped::Char(a) => items.push(Item::Range(a, a)),
            Escaped::Surrogate(_) => {}
            Escaped::Class(cls) => {
                items.push(Item::Class(cls));
                // After a class, `-` is a character (`[\d-z]` holds `-`).
                if range_follows {
                    self.pos += 1;
                    items.push(Item::Range('-', '-'));
                }
            }
            Escaped::Node(_) => return self.err("assertion in a class"),
        }
        Ok(items)
    }

    fn class_atom(&mut self) -> Result<Escaped, String> {
        let Some(c) = self.peek() else { return self.err("unterminated character class") };
        self.pos += 1;
        if c == '\\' {
            self.escape(true)
        } else {
            Ok(Escaped::Char(c))
        }
    }

    fn hex(&mut self, n: usize) -> Option<u32> {
        let text: String = self.chars.get(self.pos..self.pos + n)?.iter().collect();
        if text.len() == n && text.chars().all(|c| c.is_ascii_hexdigit()) {
            self.pos += n;
            u32::from_str_radix(&text, 16).ok()
        } else {
            None
        }
    }

    /// After a backslash.
    fn escape(&mut self, in_class: bool) -> Result<Escaped, String> {
        let Some(c) = self.peek() else { return self.err("trailing backslash") };
        self.pos += 1;
        let java = self.java();
        Ok(match c {
            'd' => Escaped::Class(digit()),
            'D' => Escaped::Class(digit().negate()),
            'w' => Escaped::Class(word()),
            'W' => Escaped::Class(word().negate()),
            's' => Escaped::Class(if java { java_space() } else { ecma_space() }),
            'S' => Escaped::Class(if java { java_space() } else { ecma_space() }.negate()),
            'h' if java => Escaped::Class(java::horizontal_space()),
            'H' if java => Escaped::Class(java::horizontal_space().negate()),
            'v' if java => Escaped::Class(java::vertical_space()),
            'V' if java => Escaped::Class(java::vertical_space().negate()),
            'R' if java && !in_class => Escaped::Node(java::line_break()),
            'A' | 'G' if java && !in_class => Escaped::Node(Node::Start),
            'Z' if java && !in_class => Escaped::Node(Node::End),
            'z' if java && !in_class => Escaped::Node(Node::TextEnd),
            'b' if in_class && !java => Escaped::Char('\u{8}'),
            'b' if !in_class && self.peek() == Some('{') && java => {
                return self.err("Java's `\\b{g}` (grapheme cluster boundaries) is not supported")
            }
            'b' if !in_class => Escaped::Node(Node::WordBoundary(true)),
            'B' if !in_class => Escaped::Node(Node::WordBoundary(false)),
            't' => Escaped::Char('\t'),
            'n' => Escaped::Char('\n'),
            'r' => Escaped::Char('\r'),
            'f' => Escaped::Char('\u{c}'),
            'v' => Escaped::Char('\u{b}'),
            'e' if java => Escaped::Char('\u{1b}'),
            'a' if java => Escaped::Char('\u{7}'),
            // Java's octal escape: `\0` and one to three octal digits, at most 0377.
            '0' if java => {
                let mut value = 0u32;
                let mut digits = 0;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(8)) {
                    if digits == 3 || value * 8 + d > 0o377 {
                        break;
                    }
                    value = value * 8 + d;
                    digits += 1;
                    self.pos += 1;
                }
                if digits == 0 {
                    return self.err("`\\0` without octal digits");
                }
                Escaped::Char(char::from_u32(value).unwrap_or('\0'))
            }
            '0' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => Escaped::Char('\0'),
            'x' if java && self.peek() == Some('{') => {
                self.pos += 1;
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                if !self.eat('}') {
                    return self.err("bad \\x{…} escape");
                }
                match u32::from_str_radix(&text, 16).ok().filter(|v| *v <= 0x10FFFF) {
                    Some(v) => char::from_u32(v).map_or(Escaped::Surrogate(v), Escaped::Char),
                    None => return self.err("bad \\x{…} escape"),
                }
            }
            'x' => match self.hex(2) {
                Some(v) => Escaped::Char(char::from_u32(v).unwrap_or('\0')),
                None => return self.err("bad \\x escape"),
            },
            'u' => self.unicode_escape()?,
            'p' | 'P' => {
                let negated = c == 'P';
                let name = if self.eat('{') {
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c != '}') {
                        self.pos += 1;
                    }
                    let name: String = self.chars[start..self.pos].iter().collect();
                    if !self.eat('}') {
                        return self.err("unterminated property escape");
                    }
                    name
                } else if java && self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                    // Java's one-letter form, `\pL`.
                    self.pos += 1;
                    self.chars[self.pos - 1].to_string()
                } else {
                    return self.err("bad property escape");
                };
                let class = self.property(&name)?;
                Escaped::Class(if negated { class.negate() } else { class })
            }
            '1'..='9' if !in_class => {
                let mut n = c.to_digit(10).unwrap_or(0);
                while let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    // Java takes a further digit only while the number names a group that exists so far.
                    if java && n.saturating_mul(10).saturating_add(d) > self.groups {
                        break;
                    }
                    self.pos += 1;
                    n = n.saturating_mul(10).saturating_add(d);
                }
                self.max_ref = self.max_ref.max(n);
                // In Java a reference to a group not yet opened never matches (the group is unset).
                Escaped::Node(Node::BackRef(if java && n > self.groups { 0 } else { n }))
            }
            'k' if !in_class => {
                if !self.eat('<') {
                    return self.err("bad `\\k` escape");
                }
                let name = self.group_name()?;
                if java {
                    // Java's group must come first.
                    let Some(&(_, n)) = self.names.iter().find(|(m, _)| *m == name) else {
                        return self.err(&format!("backreference `\\k<{name}>` to a group not defined before it"));
                    };
                    Escaped::Node(Node::BackRef(n))
                } else {
                    self.named_refs.push(name);
                    Escaped::Node(Node::BackRef(0))
                }
            }
            'c' if java => match self.peek() {
                // Java's control escape: any character, its code point with bit 6 flipped.
                Some(l) => {
                    self.pos += 1;
                    Escaped::Char(char::from_u32(l as u32 ^ 64).unwrap_or('\0'))
                }
                None => return self.err("bad \\c escape"),
            },
            'c' => match self.peek() {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.pos += 1;
                    Escaped::Char(char::from_u32(l as u32 % 32).unwrap_or('\0'))
                }
                _ => return self.err("bad \\c escape"),
            },
            'N' | 'X' if java => return self.err(&format!("Java's `\\{c}` is not supported")),
            c if SYNTAX.contains(c) => Escaped::Char(c),
            '-' if in_class => Escaped::Char('-'),
            c if java && !c.is_ascii_alphanumeric() => Escaped::Char(c),
            c => return self.err(&format!("invalid identity escape `\\{c}`")),
        })
    }

    fn unicode_escape(&mut self) -> Result<Escaped, String> {
        let code = if self.peek() == Some('{') && self.mode == Mode::EcmaUnicode {
            self.pos += 1;
            let start = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                self.pos += 1;
            }
            let text: String = self.chars[start..self.pos].iter().collect();
            if !self.eat('}') {
                return self.err("bad \\u{…} escape");
            }
            u32::from_str_radix(&text, 16).ok().filter(|v| *v <= 0x10FFFF)
        } else {
            self.hex(4)
        };
        let Some(code) = code else { return self.err("bad \\u escape") };
        if (0xD800..0xDC00).contains(&code) {
            // A high surrogate: under `u` (and in Java) a following low-surrogate escape makes one code point.
            let save = self.pos;
            if self.eat('\\') && self.eat('u') {
                if let Some(low) = self.hex(4).filter(|l| (0xDC00..0xE000).contains(l)) {
                    let cp = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    return Ok(Escaped::Char(char::from_u32(cp).unwrap_or('\0')));
                }
            }
            self.pos = save;
        }
        match char::from_u32(code) {
            Some(c) => Ok(Escaped::Char(c)),
            // A lone surrogate never occurs in a Rust string: it matches nothing, but may end a range in a class.
            None => Ok(Escaped::Surrogate(code)),
        }
    }

    fn property(&self, name: &str) -> Result<Class, String> {
        if self.java() {
            return java::property(name, self.case_insensitive).or_else(|e| self.err(&e));
        }
        let lookup = |n: &str| CATEGORIES.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
        let (key, value) = match name.split_once('=') {
            Some((k, v)) => (Some(k), v),
            None => (None, name),
        };
        let binary =
            |n: &str| BINARY_PROPERTIES.iter().find(|(long, short)| *long == n || *short == n).map(|(l, _)| *l);
        let prop = match key {
            None => lookup(value).or_else(|| binary(value)).map(str::to_owned),
            Some("General_Category") | Some("gc") => lookup(value).map(str::to_owned),
            Some("Script") | Some("sc") => Some(format!("Script={value}")),
            Some("Script_Extensions") | Some("scx") => Some(format!("Script_Extensions={value}")),
            _ => None,
        };
        match prop {
            // Surrogates, which no Rust string holds (and `regex-syntax` has no table of).
            Some(p) if p == "Cs" => Ok(Class::of(Vec::new())),
            Some(p) => Ok(Class::of(vec![Item::Prop(p, false)])),
            None => self.err(&format!("unknown property `\\p{{{name}}}`")),
        }
    }
}

enum Escaped {
    Char(char),
    /// An escaped lone surrogate (`\uD800`): no character, but the end of a range in a class.
    Surrogate(u32),
    Class(Class),
    Node(Node),
}

impl Escaped {
    /// The code point of a character or a surrogate.
    fn code(&self) -> Option<u32> {
        match self {
            Escaped::Char(c) => Some(*c as u32),
            Escaped::Surrogate(s) => Some(*s),
            _ => None,
        }
    }
}

/// The characters of the code points `lo..=hi`: the range without the surrogates, which are no characters.
fn code_point_range(lo: u32, hi: u32) -> Vec<Item> {
    let mut items = Vec::new();
    for (from, to) in [(lo, hi.min(0xD7FF)), (lo.max(0xE000), hi)] {
        if let (Some(a), Some(b)) = (char::from_u32(from), char::from_u32(to)) {
            if a <= b {
                items.push(Item::Range(a, b));
            }
        }
    }
    items
}

/// Flatten the top level into a concatenation.
fn items(node: Node) -> Vec<Node> {
    match node {
        Node::Concat(v) => v,
        Node::Empty => Vec::new(),
        other => vec![other],
    }
}

/// Turn lookarounds into separate checks (lookarounds at a fixed offset from the start) or into the nodes before them
/// (negative one-character lookbehinds). Anything else cannot be expressed exactly: the error says what.
fn split_lookarounds(
    node: Node,
    mode: Mode,
    checks: &mut Vec<(String, bool)>,
    notes: &mut Vec<String>,
) -> Result<Node, String> {
    if !contains_look(&node) {
        return Ok(node);
    }
    let mut seq = items(node);
    // After the leading `^` and a prefix of fixed width `offset`, a lookaround is evaluated at that one offset only.
    if seq.first() == Some(&Node::Start) {
        let mut offset: u32 = 0;
        let mut i = 1;
        while i < seq.len() {
            if let Node::Look(ahead, negated, inner) = &seq[i] {
                let (ahead, negated) = (*ahead, *negated);
                if contains_look(inner) {
                    break;
                }
                let kind = if negated { "negative" } else { "positive" };
                if ahead {
                    // `^P(?=L)` holds where `^P L` matches: `P` ends at `offset` whatever it matched.
                    let mut body = seq[..i].to_vec();
                    body.push(Node::Group(inner.clone()));
                    checks.push((emit(&Node::Concat(body), mode), !negated));
                    notes.push(if i == 1 {
                        format!("leading {kind} lookahead checked as a separate regex")
                    } else {
                        format!(
                            "{kind} lookahead at code point {offset}, after a prefix of fixed width, checked as a \
                             separate regex"
                        )
                    });
                } else {
                    // `(?<=L)` at `offset`, with `L` of fixed width `w`, reads exactly the code points `offset-w..offset`.
                    let Some(width) = fixed_width(inner, mode) else { break };
                    match offset.checked_sub(width) {
                        Some(skip) => {
                            let any = Node::Class(Class::of(vec![Item::Range('\0', char::MAX)]));
                            let body = Node::Concat(vec![
                                Node::Start,
                                Node::Repeat(Box::new(any), skip, Some(skip)),
                                Node::Group(inner.clone()),
                            ]);
                            checks.push((emit(&body, mode), !negated));
                        }
                        // Longer than the text before it: a positive lookbehind never holds, a negative one always does.
                        None if !negated => checks.push((emit(&Node::Class(Class::of(Vec::new())), mode), true)),
                        None => {}
                    }
                    notes.push(format!(
                        "{kind} lookbehind of fixed width at code point {offset} checked as a separate regex"
                    ));
                }
                seq.remove(i);
                continue;
            }
            match fixed_width(&seq[i], mode) {
                Some(w) if !contains_look(&seq[i]) => {
                    offset = offset.saturating_add(w);
                    i += 1;
                }
                _ => break,
            }
        }
    }
    // Negative one-character lookbehinds.
    while let Some(i) = seq.iter().position(|n| matches!(n, Node::Look(false, ..))) {
        let Node::Look(false, true, inner) = seq.remove(i) else {
            return Err("a positive lookbehind not at a fixed position".into());
        };
        let Some(class) = single_class(&inner) else {
            return Err("a negative lookbehind longer than one character, not at a fixed position".into());
        };
        let before: Vec<Node> = seq.drain(..i).collect();
        let pushed = push_lookbehind(before, &class)
            .ok_or("a negative lookbehind not preceded by an anchored pattern free of lookaround")?;
        seq.splice(0..0, pushed);
        notes.push("negative lookbehind pushed into the preceding pattern".into());
    }
    let node = Node::Concat(seq);
    if contains_look(&node) {
        return Err("a lookaround not at a fixed position".into());
    }
    Ok(node)
}

fn contains_backref(n: &Node) -> bool {
    match n {
        Node::BackRef(_) => true,
        Node::Group(i) | Node::Capture(i) | Node::Atomic(i) | Node::Repeat(i, _, _) | Node::Look(_, _, i) => {
            contains_backref(i)
        }
        Node::Concat(v) | Node::Alt(v) => v.iter().any(contains_backref),
        _ => false,
    }
}

/// The width in code points of every string `n` matches, when it is one width. Java's `$` may stand before a final
/// line terminator, which the emitted regex consumes, so it has no fixed width there.
fn fixed_width(n: &Node, mode: Mode) -> Option<u32> {
    match n {
        Node::Empty | Node::Start | Node::TextEnd | Node::WordBoundary(_) | Node::Look(..) => Some(0),
        Node::LineStart | Node::LineEnd => Some(0),
        Node::End => (mode == Mode::EcmaUnicode).then_some(0),
        Node::Char(_) | Node::Class(_) => Some(1),
        Node::Group(i) | Node::Capture(i) | Node::Atomic(i) => fixed_width(i, mode),
        Node::Repeat(i, min, Some(max)) if min == max => fixed_width(i, mode)?.checked_mul(*min),
        Node::Repeat(..) | Node::BackRef(_) => None,
        Node::Concat(v) => v.iter().try_fold(0u32, |sum, n| sum.checked_add(fixed_width(n, mode)?)),
        Node::Alt(v) => {
            let widths: Option<Vec<u32>> = v.iter().map(|n| fixed_width(n, mode)).collect();
            let widths = widths?;
            let first = *widths.first()?;
            widths.iter().all(|w| *w == first).then_some(first)
        }
    }
}

/// The worst case of a backtracking search for `n` (the ECMAScript engine's), as a power of the input length: `None`
/// when some repeated part can match in more than one way at one position, so that backtracking may try
/// exponentially many ways.
///
/// Without that, each quantifier whose count varies contributes one choice among at most `n + 1` counts, an
/// alternation a constant number of choices, and a lookaround (atomic: it exposes no choices) the cost of its own
/// search at each arrival. With `q` varying quantifiers (lookarounds' included) a search from one start position
/// follows at most `O(n^q)` paths of `O(n)` steps each; an unanchored pattern is tried from every position.
fn backtracking_degree(n: &Node) -> Option<u32> {
    fn varying(n: &Node) -> Option<u32> {
        match n {
            Node::Empty | Node::Char(_) | Node::Class(_) | Node::Start | Node::End | Node::WordBoundary(_) => Some(0),
            Node::TextEnd | Node::LineStart | Node::LineEnd | Node::BackRef(_) => Some(0),
            Node::Group(i) | Node::Capture(i) | Node::Atomic(i) | Node::Look(_, _, i) => varying(i),
            Node::Concat(v) | Node::Alt(v) => v.iter().try_fold(0u32, |sum, n| Some(sum.saturating_add(varying(n)?))),
            Node::Repeat(i, min, max) => {
                let loops = max.is_none_or(|m| m > 1);
                if loops && !single_way(i) {
                    return None;
                }
                Some(varying(i)?.saturating_add(u32::from(*max != Some(*min))))
            }
        }
    }
    /// Matches in at most one way at a given position: no alternation, no quantifier whose count varies.
    fn single_way(n: &Node) -> bool {
        match n {
            Node::Empty | Node::Char(_) | Node::Class(_) | Node::Start | Node::End | Node::WordBoundary(_) => true,
            Node::TextEnd | Node::LineStart | Node::LineEnd => true,
            // A backreference matches the one string its group captured; a lookaround and an atomic group keep the
            // first way they match.
            Node::BackRef(_) | Node::Look(..) | Node::Atomic(_) => true,
            Node::Group(i) | Node::Capture(i) => single_way(i),
            Node::Repeat(i, min, Some(max)) if min == max => single_way(i),
            Node::Repeat(..) | Node::Alt(_) => false,
            Node::Concat(v) => v.iter().all(single_way),
        }
    }
    let anchored = match n {
        Node::Start => true,
        Node::Concat(v) => v.first() == Some(&Node::Start),
        _ => false,
    };
    Some(varying(n)?.saturating_add(if anchored { 1 } else { 2 }))
}

fn contains_look(n: &Node) -> bool {
    match n {
        Node::Look(..) => true,
        Node::Group(i) | Node::Capture(i) | Node::Atomic(i) | Node::Repeat(i, _, _) => contains_look(i),
        Node::Concat(v) | Node::Alt(v) => v.iter().any(contains_look),
        _ => false,
    }
}

fn single_class(n: &Node) -> Option<Class> {
    match n {
        Node::Char(c) => Some(Class::of(vec![Item::Range(*c, *c)])),
        Node::Class(c) => Some(c.clone()),
        Node::Group(i) | Node::Capture(i) => single_class(i),
        _ => None,
    }
}

fn nullable(n: &Node) -> bool {
    match n {
        Node::Empty | Node::Start | Node::End | Node::WordBoundary(_) | Node::Look(..) | Node::BackRef(_) => true,
        Node::TextEnd | Node::LineStart | Node::LineEnd => true,
        Node::Char(_) | Node::Class(_) => false,
        Node::Group(i) | Node::Capture(i) | Node::Atomic(i) => nullable(i),
        Node::Repeat(i, min, _) => *min == 0 || nullable(i),
        Node::Concat(v) => v.iter().all(nullable),
        Node::Alt(v) => v.iter().any(nullable),
    }
}

/// A node matching the non-empty strings of `n` whose last character is not in `c`.
fn ends_outside(n: &Node, c: &Class) -> Option<Node> {
    Some(match n {
        Node::Empty | Node::Start | Node::End | Node::TextEnd | Node::WordBoundary(_) => {
            Node::Class(Class::of(Vec::new()))
        }
        Node::Look(..) | Node::BackRef(_) | Node::LineStart | Node::LineEnd | Node::Capture(_) | Node::Atomic(_) => {
            return None
        }
        Node::Char(ch) => {
            Node::Class(Class { negated: false, items: vec![Item::Range(*ch, *ch)], minus: vec![c.clone()] })
        }
        Node::Class(k) => {
            Node::Class(Class { negated: false, items: vec![Item::Class(k.clone())], minus: vec![c.clone()] })
        }
        Node::Group(i) => Node::Group(Box::new(ends_outside(i, c)?)),
        Node::Alt(v) => Node::Alt(v.iter().map(|a| ends_outside(a, c)).collect::<Option<_>>()?),
        Node::Repeat(i, min, max) => {
            if *max == Some(0) {
                return Some(Node::Class(Class::of(Vec::new())));
            }
            let rest = Node::Repeat(i.clone(), min.saturating_sub(1), max.map(|m| m - 1));
            Node::Concat(vec![rest, Node::Group(Box::new(ends_outside(i, c)?))])
        }
        Node::Concat(v) => {
            // The last non-nullable-ending part decides: either the last item ends outside `c`, or it is empty and
            // the rest does.
            let Some((last, init)) = v.split_last() else { return Some(Node::Class(Class::of(Vec::new()))) };
            let mut alts = vec![Node::Concat(init.iter().cloned().chain([ends_outside(last, c)?]).collect())];
            if nullable(last) {
                if let Some(empty) = empty_part(last) {
                    alts.push(Node::Concat(vec![ends_outside(&Node::Concat(init.to_vec()), c)?, empty]));
                }
            }
            Node::Group(Box::new(Node::Alt(alts)))
        }
    })
}

/// Rewrite `before (?<!c)` into an equivalent lookbehind-free sequence. The chain must start with `^`, so that an
/// empty match of what lies between is at the start of input, where a negative lookbehind holds.
fn push_lookbehind(before: Vec<Node>, c: &Class) -> Option<Vec<Node>> {
    let rest = match before.split_first() {
        Some((Node::Start, rest)) => rest.to_vec(),
        _ => return None,
    };
    let body = Node::Concat(rest);
    let mut alts = vec![ends_outside(&body, c)?];
    if nullable(&body) {
        alts.push(empty_part(&body)?);
    }
    Some(vec![Node::Start, Node::Group(Box::new(Node::Alt(alts)))])
}

/// A node matching only the empty string, under the same zero-width conditions as `n`'s empty matches.
fn empty_part(n: &Node) -> Option<Node> {
    match n {
        Node::Empty | Node::Start | Node::End | Node::TextEnd | Node::WordBoundary(_) => Some(n.clone()),
        Node::Char(_) | Node::Class(_) | Node::Look(..) | Node::BackRef(_) => None,
        Node::LineStart | Node::LineEnd | Node::Capture(_) | Node::Atomic(_) => None,
        Node::Group(i) => empty_part(i),
        Node::Repeat(_, 0, _) => Some(Node::Empty),
        Node::Repeat(i, _, _) => empty_part(i),
        Node::Concat(v) => v.iter().map(empty_part).collect::<Option<Vec<_>>>().map(Node::Concat),
        Node::Alt(v) => {
            let alts: Vec<Node> = v.iter().filter_map(empty_part).collect();
            if alts.is_empty() {
                None
            } else {
                Some(Node::Alt(alts))
            }
        }
    }
}

/// `^ K{m,n} $` with one class `K` and a long bound: the class, the count and the end (`$`, or Java's `\z`; Java's `$`
/// may leave a final line terminator out of the count, so it does not end such a run).
fn count_run(n: &Node, mode: Mode) -> Option<(Node, u32, Option<u32>, Node)> {
    let Node::Concat(v) = n else { return None };
    let [Node::Start, rep, end] = v.as_slice() else { return None };
    if !(*end == Node::TextEnd || *end == Node::End && mode == Mode::EcmaUnicode) {
        return None;
    }
    let mut rep = rep;
    while let Node::Group(i) = rep {
        rep = i;
    }
    let Node::Repeat(inner, min, max) = rep else { return None };
    let mut inner: &Node = inner;
    while let Node::Group(i) = inner {
        inner = i;
    }
    let class = match inner {
        Node::Class(_) | Node::Char(_) => inner.clone(),
        _ => return None,
    };
    if max.unwrap_or(*min) <= COUNT_THRESHOLD && *min <= COUNT_THRESHOLD {
        return None;
    }
    Some((class, *min, *max, end.clone()))
}

/// Nothing to check: the pattern finds an (empty) match in every string.
fn always_matches(n: &Node) -> bool {
    fn free(n: &Node) -> bool {
        match n {
            Node::Empty => true,
            Node::Repeat(_, 0, _) => true,
            Node::Group(i) | Node::Capture(i) => free(i),
            Node::Concat(v) => v.iter().all(free),
            Node::Alt(v) => v.iter().any(free),
            _ => false,
        }
    }
    free(n)
}

/// `regex` crate syntax for a node, with the semantics of `mode`.
fn emit(n: &Node, mode: Mode) -> String {
    let mut out = String::new();
    emit_into(n, mode, &mut out);
    out
}

fn emit_into(n: &Node, mode: Mode, out: &mut String) {
    match n {
        Node::Empty => {}
        Node::Char(c) => push_char(*c, out),
        Node::Class(c) => emit_class(c, out),
        Node::Start => out.push_str(r"\A"),
        Node::End => match mode {
            Mode::EcmaUnicode => out.push_str(r"\z"),
            // Java's `$`: the end, or just before one final line terminator, but never between `\r` and `\n`
            // (`(?mR:$)` holds before `\r`, and before `\n` not after `\r`).
            Mode::Java => out.push_str(r"(?:(?mR:$)(?:\r\n|[\n\r])?|[\x{85}\x{2028}\x{2029}])\z"),
        },
        Node::TextEnd => out.push_str(r"\z"),
        Node::WordBoundary(true) => out.push_str(r"(?-u:\b)"),
        Node::WordBoundary(false) => out.push_str(r"(?-u:\B)"),
        Node::Group(i) | Node::Capture(i) | Node::Atomic(i) => {
            out.push_str("(?:");
            emit_into(i, mode, out);
            out.push(')');
        }
        // Never emitted: a plan with any of them goes to the ECMAScript engine.
        Node::Look(..) | Node::BackRef(_) | Node::LineStart | Node::LineEnd => {
            out.push_str("(?:[^\\x{0}-\\x{10FFFF}])")
        }
        Node::Concat(v) => {
            for i in v {
                if matches!(i, Node::Alt(_)) {
                    out.push_str("(?:");
                    emit_into(i, mode, out);
                    out.push(')');
                } else {
                    emit_into(i, mode, out);
                }
            }
        }
        Node::Alt(v) => {
            for (k, a) in v.iter().enumerate() {
                if k > 0 {
                    out.push('|');
                }
                emit_into(a, mode, out);
            }
        }
        Node::Repeat(i, min, max) => {
            if matches!(**i, Node::Char(_) | Node::Class(_)) {
                emit_into(i, mode, out);
            } else {
                out.push_str("(?:");
                emit_into(i, mode, out);
                out.push(')');
            }
            match (min, max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (m, None) => {
                    let _ = write!(out, "{{{m},}}");
                }
                (m, Some(x)) if m == x => {
                    let _ = write!(out, "{{{m}}}");
                }
                (m, Some(x)) => {
                    let _ = write!(out, "{{{m},{x}}}");
                }
            }
        }
    }
}

fn push_char(c: char, out: &mut String) {
    if "\\.+*?()|[]{}^$#&-~".contains(c) {
        out.push('\\');
        out.push(c);
    } else if c.is_ascii_graphic() || c == ' ' {
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:X}}}", c as u32);
    }
}

fn emit_class(c: &Class, out: &mut String) {
    let empty = c.items.is_empty();
    if empty && c.minus.is_empty() {
        // Matches nothing (or everything, negated).
        out.push_str(if c.negated { r"[\x{0}-\x{10FFFF}]" } else { r"[^\x{0}-\x{10FFFF}]" });
        return;
    }
    out.push('[');
    if c.negated {
        out.push('^');
    }
    if !c.minus.is_empty() {
        out.push('[');
    }
    if empty {
        out.push_str(r"^\x{0}-\x{10FFFF}");
    }
    for item in &c.items {
        match item {
            Item::Range(a, b) if a == b => push_char(*a, out),
            Item::Range(a, b) => {
                push_char(*a, out);
                out.push('-');
                push_char(*b, out);
            }
            Item::Prop(p, neg) => {
                let _ = write!(out, "\\{}{{{p}}}", if *neg { 'P' } else { 'p' });
            }
            Item::Class(inner) => emit_class(inner, out),
        }
    }
    if !c.minus.is_empty() {
        out.push(']');
        for m in &c.minus {
            out.push_str("--");
            emit_class(m, out);
        }
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(p: &Plan, s: &str) -> bool {
        let count = s.chars().count() as u32;
        if let Some((min, max)) = p.chars {
            if count < min || max.is_some_and(|m| count > m) {
                return false;
            }
        }
        p.checks.iter().all(|c| regex::Regex::new(&c.regex).unwrap().is_match(s) == c.expect)
    }

    fn check(pattern: &str, yes: &[&str], no: &[&str]) {
        let p = plan(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        for s in yes {
            assert!(matches(&p, s), "{pattern} should match {s:?}; plan {p:?}");
        }
        for s in no {
            assert!(!matches(&p, s), "{pattern} should not match {s:?}; plan {p:?}");
        }
    }

    #[test]
    fn search_semantics_not_anchored() {
        check("[0-9]", &["a1b"], &["abc", ""]);
        check("^a", &["ab"], &["ba"]);
        check(".*", &["", "x\n"], &[]);
        assert!(plan(".*").unwrap().checks.is_empty());
    }

    #[test]
    fn ecma_binary_properties() {
        for (long, short) in BINARY_PROPERTIES {
            let p = plan(&format!(r"^\p{{{short}}}\P{{{long}}}$")).unwrap_or_else(|e| panic!("{long}: {e}"));
            assert_eq!(p.mode, Mode::EcmaUnicode, "{long}");
        }
        check(r"^\p{ASCII}{0,3}\p{Alpha}\p{White_Space}$", &["a\u{7f}é\u{a0}", "é\u{a0}"], &["1\u{a0}", "abé\u{85}x"]);
        assert_eq!(plan(r"^\p{ASCII}{0,8192}$").unwrap().chars, Some((0, Some(8192))));
        assert!(plan(r"^\p{Punct}$").unwrap().mode == Mode::Java, "not an ECMAScript property");
        // Surrogates: no Rust string holds one.
        check(r"^\p{Cs}?\p{Surrogate}?a\P{Cs}$", &["ab", "a😀"], &["b", "a"]);
        check(r"^\p{Cs}?\_?a\P{Cs}$", &["ab"], &["a"]);
    }

    #[test]
    fn ecma_classes() {
        check(r"^\d+$", &["0123"], &["٣", "1a"]);
        check(r"^\w+$", &["a_Z9"], &["é", "a-b"]);
        check(r"^\s$", &["\u{a0}", "\u{feff}", "\u{2028}", "\t"], &["\u{85}", "a"]);
        check(r"^.$", &["a", "é", "😀"], &["\n", "\r", "\u{2028}", ""]);
        check(r"^[^a]$", &["😀"], &["a", "ab"]);
    }

    #[test]
    fn escapes() {
        check(r"^a\/b\.c$", &["a/b.c"], &["a/bxc"]);
        check(r"^[\-a]$", &["-", "a"], &["b"]);
        check(r"^\u0041\x42\u{43}$", &["ABC"], &["abc"]);
        check(r"^[\uD800\uDC00-\uDBFF\uDFFF]$", &["😀", "\u{10000}"], &["a"]);
        // Lone surrogates end ranges: the range holds the characters in it (AWS writes such classes).
        let p = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\r\n\t]*$";
        assert_eq!(plan(p).unwrap().mode, Mode::EcmaUnicode);
        check(p, &["a\t", "\u{E000}\u{D7FF}", ""], &["\u{1}", "😀"]);
        check(r"^[\uD800-\uFFFF]$", &["\u{E000}", "\u{FFFF}"], &["\u{D7FF}", "😀"]);
        check(r"^[\x{D800}-\x{E000}\_]$", &["\u{E000}", "_"], &["\u{D7FF}"]);
    }

    #[test]
    fn java_mode_for_patterns_invalid_under_u() {
        let p = plan(r"^[a-z\_]+$").unwrap();
        assert_eq!(p.mode, Mode::Java);
        check(r"^[a-z\_]+$", &["a_b", "ab\n"], &["a-b", "ab\n\n"]);
        check(r"^arn:[\p{Alnum}\-]+:x", &["arn:aws-1:x"], &["arn:p{:x", "arn:é:x"]);
        check(r"^([\p{L}_]*)${1,128}$", &["abc", "é_", ""], &["a b"]);
    }

    #[test]
    fn lookaheads_become_checks() {
        check(r"^(?!\s*$).+$", &["a", " a "], &["", "   ", "a\nb"]);
        check(r"^(?=.{1,5}$)[a-z]+$", &["abc"], &["abcdef", ""]);
        check(r"^(?!^[.-])^([a-zA-Z0-9-_.]+)$", &["a.b"], &[".a", "-a"]);
    }

    #[test]
    fn lookbehind_is_pushed_into_the_pattern() {
        let p = r"^(arn:x\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)(\/[0-9]{1,9})?$";
        check(p, &["a", "ab-c", "arn:x/a-b", "a/12", "a-b/3"], &["a-", "a-/1", "-a", "arn:x/a-", ""]);
        check(r"^([a-z]([a-z-]){0,5})(?<!-)$", &["a", "a-b"], &["a-", "ab-"]);
    }

    #[test]
    fn long_class_runs_become_counts() {
        let p = plan(r"^[\p{L}\p{M}\p{Z}\p{N}\p{P}]{0,1024}$").unwrap();
        assert_eq!(p.chars, Some((0, Some(1024))));
        check(r"^[\p{L}\p{N}]{0,1024}$", &["", "abc", &"é".repeat(1024)], &[&"a".repeat(1025), "a+"]);
    }

    #[test]
    fn word_boundary_is_ascii() {
        check(r"^(a\.?\b){2}$", &["a.a"], &["aa"]);
    }

    #[test]
    fn unsupported_patterns_are_errors_not_panics() {
        for p in [r"(a)\1", "(?<=ab)c", "a(?=b)", "[", "(", "a{2,1}"] {
            assert!(plan(p).is_err(), "{p} should be rejected");
        }
    }

    #[test]
    fn lookahead_after_a_fixed_width_prefix_becomes_a_check() {
        // The lookahead is evaluated at code point 1 only, after the one `/`: `^/(?!L)R` = `^/R` and not `^/L`.
        let p = plan(r"^/(?!.*\.\.)[a-zA-Z0-9/_.\-]+$").unwrap();
        assert_eq!(p.engine, Engine::Regex);
        let regexes: Vec<(&str, bool)> = p.checks.iter().map(|c| (c.regex.as_str(), c.expect)).collect();
        assert_eq!(
            regexes,
            [(r"\A/[a-zA-Z0-9/_\.\-]+\z", true), (r"\A/(?:[^\x{A}\x{D}\x{2028}-\x{2029}]*\.\.)", false)]
        );
        check(
            r"^/(?!.*\.\.)[a-zA-Z0-9/_.\-]+$",
            &["/a", "/a/b.c", "/a.b/c.d", "/.", "/a./.b", "/-_"],
            &["/", "/..", "/a/../b", "/a..", "a/b", "//..", "/a\n", "/é"],
        );
        // `.` stops at line terminators, so the lookahead cannot see past one: ECMAScript's answers.
        check(r"^ab(?!.*x)", &["ab", "aby", "ab\nx", "ab\r\nx", "ab\u{2028}x", "ab😀"], &["abx", "ab😀x", "ab\u{85}x"]);
        check(r"^ab(?=.*x)", &["abx", "ab😀x", "ab\u{85}x"], &["ab", "ab\nx", "ab\u{2029}x"]);
        // Alternatives of one width, several lookaheads at different offsets, `\b` and `^` inside the prefix.
        check(r"^(?:ab|cd)(?=e)", &["abe", "cdef"], &["abf", "ab", "xabe"]);
        check(r"^a(?=b)b(?!c)", &["ab", "abd"], &["ac", "abc", "b"]);
        check(r"^\b\w{2}(?:^|)(?!z)\w", &["abc"], &["abz", "a"]);
        check(r"^😀(?=é)..$", &["😀éa"], &["😀aé", "😀é"]);
        assert_eq!(
            plan(r"^[a-f]{3}(?!0)").unwrap().notes,
            ["negative lookahead at code point 3, after a prefix of fixed width, checked as a separate regex"]
        );
    }

    #[test]
    fn lookbehind_at_a_fixed_offset_becomes_a_check() {
        check(r"^abc(?<=bc)d", &["abcd"], &["abc", "abxd"]);
        check(r"^[a-z]{3}(?<![aeiou])\d", &["abc1", "aax9"], &["aba1", "abc"]);
        // Longer than the text before it: a positive lookbehind never holds, a negative one always does.
        check(r"^ab(?<=xab)", &[], &["ab", "xab"]);
        check(r"^a(?<!xa)b", &["ab"], &["xab"]);
    }

    #[test]
    fn a_variable_prefix_or_java_dollar_leaves_the_lookaround_in_place() {
        assert!(plan(r"^a+(?=b)").is_err());
        assert!(plan(r"^a(?:bc|d)(?=b)").is_err());
        // Java's `$` may stand before a final line terminator: no fixed offset after it, so the pattern goes to the
        // ECMAScript engine, rewritten with Java's `$`.
        let p = plan_for_values(r"^a\_$(?=x)", Some(8)).unwrap();
        let ecma = p.ecma().expect("on the ECMAScript engine");
        // Java's `$` is never between `\r` and `\n`.
        assert_eq!(ecma.source, r"^a_(?=(?:\r\n|[\r\u0085\u2028\u2029])?$|(?<!\r)\n$)(?=x)");
    }

    /// Found by `tests/tests/fuzz_patterns.rs`: regress fails a whole pattern that has a lone surrogate escape outside a
    /// class (`\uD83D?$` matched nothing), where ECMAScript (Node) matches as if the escape were an empty class.
    #[test]
    fn lone_surrogates_reach_the_ecmascript_engine_as_empty_classes() {
        assert_eq!(lone_surrogates_as_empty_classes(r"\uD83D?$"), r"[]?$");
        assert_eq!(lone_surrogates_as_empty_classes(r"a\uDE00|\u{D800}b"), r"a[]|[]b");
        for same in [r"\uD83D\uDE00", r"[\uD83D]", r"\\uD83D", r"\u0041\u{1F600}", r"[\]\uD83D]", r"\u12"] {
            assert_eq!(lone_surrogates_as_empty_classes(same), same);
        }
        let plan = plan_for_values(r"(?=a)\uD83D?a", None).unwrap();
        let ecma = plan.ecma().unwrap();
        assert_eq!(ecma.source, "(?=a)[]?a");
        let re = regress::Regex::with_flags(&ecma.source, "u").unwrap();
        assert!(re.find("a").is_some() && re.find("b").is_none());
    }

    #[test]
    fn backreferences_are_parsed_and_checked() {
        assert!(plan_for_values(r"(a)\1", None).unwrap().ecma().is_some());
        assert!(plan_for_values(r"\1(a)", None).unwrap().ecma().is_some(), "a forward reference is valid");
        assert!(plan_for_values(r"^(?<q>['\x22])\w+\k<q>$", None).unwrap().ecma().is_some());
        for bad in [r"\k<x>(?<y>a)", r"(?<x>a)(?<x>b)", r"[\1]", r"(?<1a>b)", r"\k"] {
            assert!(plan_for_values(bad, None).is_err(), "{bad} is invalid under `u`, and as Java");
        }
        // Invalid under `u`, but Java reads a reference to a group that does not exist as one that never matches,
        // and takes a second digit only while it names a group.
        let is_match = on_engine(r"(a)\2");
        assert!(!is_match("a") && !is_match("aa"));
        let is_match = on_engine(r"\_?(a)\11");
        assert!(is_match("aa1") && !is_match("a"));
        let is_match = on_engine(r"\_?(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)\11");
        assert!(is_match("abcdefghijkk") && !is_match("abcdefghijka1"));
    }

    #[test]
    fn the_rest_goes_to_the_ecmascript_engine_with_a_bound() {
        let ecma = |p: &str, max: Option<u64>| plan_for_values(p, max).unwrap().ecma().cloned().unwrap();
        // Lookaround whose position depends on the input.
        let p = plan_for_values(r"^[a-z]+(?<!x)\.(?=\d)", Some(16)).unwrap();
        assert_eq!(
            p.notes,
            [
                "a lookaround not at a fixed position: checked by the ECMAScript engine (regress), worst case O(n^2) steps",
                "the engine sees at most 16 code points (the `@length` maximum); longer values are refused"
            ],
            "no note of the translation that did not apply"
        );
        let e = ecma(r"^[a-z]+(?<!-x)\.(?=\d)", Some(64));
        assert_eq!((e.bound, e.degree), (Bound::Length(64), Some(2)));
        assert!(e.reason.contains("lookbehind"), "{}", e.reason);
        let e = ecma(r"a(?=b)", None);
        assert_eq!(
            (e.bound, e.degree, e.reason.as_str()),
            (Bound::NoNestedQuantifiers, Some(2), "a lookaround not at a fixed position")
        );
        assert_eq!(e.bound, Bound::NoNestedQuantifiers);
        assert_eq!(ecma(r"^a*b*(?=c)", None).degree, Some(3));
        assert_eq!(ecma(r"^(?:ab)*(?!x)", None).degree, Some(2));
        assert_eq!(ecma(r"^(?:a(?=.*b))*x", None).degree, Some(3));
        // Nested quantifiers or a repeated alternation may backtrack exponentially: without `@length`, a
        // conservative bound.
        for p in [r"^(a+)+(?=x)", r"^(a|ab)*(?!x)", r"^(a?)*(?=x)", r"^(?:a*){2}(?=x)"] {
            let e = ecma(p, None);
            assert_eq!((e.degree, e.bound), (None, Bound::Conservative(CONSERVATIVE_CHARS)), "{p}");
            assert_eq!(e.max_chars(), Some(CONSERVATIVE_CHARS));
            assert_eq!(ecma(p, Some(20)).bound, Bound::Length(20), "{p}");
        }
        let p = plan_for_values(r"(a+)+\1", None).unwrap();
        assert!(!p.is_trivial() && p.checks.is_empty());
        assert!(p.notes.iter().any(|n| n.contains("at most 256 code points")), "{:?}", p.notes);
        // Exact translations stay on automata whatever the bound.
        assert_eq!(plan_for_values(r"^(?!\s*$).+$", None).unwrap().engine, Engine::Regex);
    }

    #[test]
    fn fixed_widths() {
        let width = |p: &str| fixed_width(&Parser::new(p, Mode::EcmaUnicode).parse().unwrap(), Mode::EcmaUnicode);
        assert_eq!(width(r"a[bc]\d{3}(?:xy|zw)^$\b(?=qq)"), Some(7));
        assert_eq!(width("😀."), Some(2));
        assert_eq!(width("a|bc"), None);
        assert_eq!(width("a{1,2}"), None);
        assert_eq!(width(r"(a)\1"), None);
    }

    #[test]
    fn java_inline_flags() {
        // Valid only as Java: `(?i)` folds ASCII letters (Java's default), `(?s)` lets `.` match line terminators.
        check(r"^(?i)all|[0-9]{12}$", &["all", "ALL", "aLl", "123456789012"], &["al", "12345678901", "\u{17f}ll"]);
        check(r"^a(?i:b)c$", &["abc", "aBc"], &["ABC", "abC"]);
        check(r"^(?i)[a-c]x$", &["Bx", "bX", "CX"], &["dx"]);
        check(r"^(?s).$", &["\n", "a"], &["ab"]);
        check(r"^(a(?i)b)b$", &["aBb", "abb"], &["aBB"]);
        assert!(plan_for_values(r"^(?m)a$", None).unwrap().ecma().is_some(), "`(?m)` needs the ECMAScript engine");
        assert!(plan_for_values(r"^(?x)a$", None).unwrap_err().contains("inline flag `x`"), "other flags are refused");
    }

    /// A Java-mode pattern's ECMAScript rewrite, compiled by regress: whether it finds a match in each string.
    fn on_engine(pattern: &str) -> impl Fn(&str) -> bool {
        let p = plan_for_values(pattern, None).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        assert_eq!(p.mode, Mode::Java, "{pattern}");
        let source = p.ecma().unwrap_or_else(|| panic!("{pattern} is on automata")).source.clone();
        let re = regress::Regex::with_flags(&source, "u").unwrap_or_else(|e| panic!("{source}: {e}"));
        move |s: &str| re.find(s).is_some()
    }

    #[test]
    fn java_patterns_that_need_backtracking_run_on_the_ecmascript_engine_with_java_meaning() {
        // ssm's StringDateTime, shortened: an identity escape `\:` (refused under `u`), a backreference, `\s`, `$`.
        let is_match = on_engine(r"^(\d{2})(-?)\d{2}\2[T\s]\d{2}\:?\d{2}$");
        for yes in ["20-11-T10:30", "2011 1030", "2011T10:30\n", "20-11-\t10:30", "2011T10:30\r\n"] {
            assert!(is_match(yes), "{yes:?}");
        }
        // Java's `\s` is ASCII: U+00A0 is not white space there; the backreference repeats the separator.
        for no in ["2011\u{a0}10:30", "20-11T10:30", "2011-T10:30", "2011T10:30\n\n"] {
            assert!(!is_match(no), "{no:?}");
        }
        // Java's `.` and `$` (never between `\r` and `\n`), `\x{…}`, classes with properties, nested classes and
        // intersections, all spelled out for the engine.
        let is_match = on_engine(r"\_?(a)\1.b$");
        assert!(is_match("aaxb") && is_match("aaxb\n") && is_match("aaxb\r\n") && is_match("aaxb\u{2028}"));
        assert!(!is_match("aa\u{85}b") && !is_match("aaxb\n\n"));
        let is_match = on_engine(r"^\_?(a)\1\r$");
        assert!(is_match("aa\r") && !is_match("aa\r\n") && is_match("aa\r\r") && !is_match("aa\r\r\r"), "as Java");
        let is_match = on_engine(r"^(\x{41})\1[\p{Alnum}&&[^a-c]][a[x-z]]$");
        assert!(is_match("AAdz") && is_match("AA9a") && !is_match("AAaz") && !is_match("AAéz") && !is_match("AAdb"));
    }

    #[test]
    fn java_properties() {
        // POSIX classes are ASCII; `Is` names Unicode's binary properties, categories and scripts.
        check(r"^\p{Punct}+$", &["!/:@[`{~"], &["a", "¿", "«"]);
        check(r"^[\p{Graph}]$", &["!", "~"], &[" ", "é"]);
        check(r"^\p{Print}$", &[" ", "~"], &["\t", "é"]);
        check(r"^\p{Cntrl}\p{Blank}\p{XDigit}\p{Space}$", &["\x7f\tF\x0b"], &["\x7f\ng\x0b"]);
        check(r"^\p{Alpha}\p{Lower}\p{Upper}\p{Digit}\p{ASCII}$", &["xyZ0\x7f"], &["éyZ0a", "xYZ0a", "xyZ٣a"]);
        check(r"^\p{LD}+$", &["aé9٣"], &["_", "Ⅳ"]);
        check(r"^\p{L1}+$", &["aÿ\u{0}"], &["Ā"]);
        check(r"^\p{IsAlphabetic}\p{IsLatin}$", &["ⅣA"], &["1A", "ⅣΩ"]);
        check(
            r"^\p{javaLowerCase}\p{javaUpperCase}\p{javaLetterOrDigit}\p{javaWhitespace}$",
            &["ªÉ٣\u{1c}"],
            &["aé٣ ", "aÉ_ "],
        );
        check(r"^\P{L}[^\P{Lu}]\pN\PL$", &["1A2-"], &["aA2-", "1a2-", "1AA-", "1A2b"]);
        check(r"^\p{IsPunct}\p{IsAlnum}\p{IsDigit}$", &["¿é٣"], &["aé٣", "¿_٣"]);
        check(r"^\p{sc=Greek}\p{script=latin}\p{gc=Lu}\p{IsLu}$", &["αaAÉ"], &["aaAÉ"]);
        check(r"^\p{all}\p{javaDefined}$", &["\u{0}a"], &["a\u{378}"]);
        // Under `(?i)` the case classes hold both cases, as Java's do; other properties are unchanged.
        check(r"^(?i)\p{Lu}\p{Lower}\p{javaUpperCase}\p{IsLowercase}\p{L}$", &["éAéEé"], &["1AéEé", "éAé1é"]);
        for bad in [r"\p{InGreek}", r"\p{block=Greek}", r"\p{Letter}", r"\p{lu}", r"\p{IsAll}", r"\p{javalowercase}"] {
            let e = plan(&format!("^{bad}\\_$")).unwrap_err();
            assert!(e.contains("as Java"), "{bad}: {e}");
        }
        assert!(plan(r"^\p{InGreek}\_$").unwrap_err().contains("Unicode block"));
    }

    #[test]
    fn java_escapes_anchors_and_quantifiers() {
        // `\A`, `\z`, `\Z` and `\G` (where a search starts: the start), octal, control, bell and escape characters,
        // `\h`, `\v`, `\R`, quotation.
        check(r"^\Aab\z$", &["ab"], &["ab\n", "xab"]);
        check(r"\Gab\Z", &["ab", "ab\n", "ab\r\n"], &["xab", "ab\n\n", "abx"]);
        check(r"^[^/:|\000-\037]+$", &["a b"], &["a\u{1f}", "a/"]);
        check(r"^\0101\0400\x{1F600}\cA\c?\e\a$", &["A 0😀\u{1}\u{7f}\u{1b}\u{7}"], &["A\u{20}\u{30}"]);
        check(r"^\h\v\R$", &["\u{a0}\u{85}\r\n", " \n\u{2028}"], &["\n\n\n", " \nx"]);
        check(r"^\Qa.b\E\Q$|\E[\Q]-\E]$", &["a.b$|]", "a.b$|-"], &["axb$|]", "a.b$|x"]);
        // Possessive quantifiers and atomic groups: on automata where every match has one width, else on the
        // ECMAScript engine, which keeps Java's meaning.
        check(
            r"^arn:aws:kinesisanalytics:[a-z]{2}-[a-z]+-\d{1}+:\d{12}+:application/[a-zA-Z0-9_.-]{1,128}$",
            &["arn:aws:kinesisanalytics:us-east-1:123456789012:application/x"],
            &["arn:aws:kinesisanalytics:us-east-12:123456789012:application/x"],
        );
        check(r"^[0-9A-Z]{2}+$", &["A0", "A0\n"], &["A", "A0B"]);
        assert_eq!(plan(r"^(?>ab|cd)e\_$").unwrap().engine, Engine::Regex);
        assert!(plan_for_values(r"^(?>ab|c)d\_$", None).unwrap().ecma().is_some());
        let is_match = on_engine(r"^a++a\_?$");
        assert!(!is_match("aa") && !is_match("a"));
        let is_match = on_engine(r"^(?>a|ab)(c)\1\_?$");
        assert!(is_match("acc") && !is_match("abcc"));
        let is_match = on_engine(r"^(a)b*+b\1\_?$");
        assert!(!is_match("abba") && !is_match("aba"));
        // Errors Java gives, and what is not supported, name what and where.
        for (bad, what) in [
            (r"a{\_", "repetition"),
            (r"a**\_", "quantifier after a quantifier"),
            (r"[a&&&b]\_", "`&&&`"),
            (r"\N{LATIN SMALL LETTER A}\_", "not supported"),
            (r"(?x)a b\_", "inline flag"),
            (r"\0\_", "octal"),
            (r"\k<n>(?<n>a)\_", "not defined before"),
            (r"(?<n_1>a)\_", "group name"),
        ] {
            let e = plan_for_values(bad, None).unwrap_err();
            assert!(e.contains(what) && e.contains("offset"), "{bad}: {e}");
        }
    }

    #[test]
    fn java_classes() {
        // Nested classes are unions, `&&` intersects, a leading `^` negates the whole, `]` first is a character.
        check(r"^[a-c[x-z]&&[b-y]]$", &["b", "x"], &["a", "z"]);
        check(r"^[^a-z&&[c-e]]$", &["a", "1"], &["c"]);
        check(r"^[^a[^b]]$", &["b"], &["a", "c"]);
        check(r"^[\p{Print}&&[^|:/]]+$", &["a b"], &["a|b", "a/", "\t"]);
        check(r"^[]a]\_?$", &["]", "a"], &["b"]);
        check(r"^[\d-z]\_?$", &["1", "-", "z"], &["y"]);
        check(r"^[a&&]\_?$", &["a"], &["b"]);
        check(r"^(?i)[^a-c[x]]\_?$", &["d", "D"], &["A", "X", "b"]);
    }

    #[test]
    fn java_multiline_runs_on_the_ecmascript_engine() {
        // OpsWorksCM's private key: `(?m)`'s `^` and `$` at line terminators (`\r\n` one), `(?s)` then `(?-s:…)`.
        let is_match =
            on_engine(r"^(?ms)\s*^-----BEGIN (?-s:.*)PRIVATE KEY-----$.*?^-----END (?-s:.*)PRIVATE KEY-----$\s*$");
        let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\nabc\n-----END RSA PRIVATE KEY-----\n";
        assert!(is_match(key) && is_match(&key.replace('\n', "\r\n")) && is_match(&format!("\n\n{key}")));
        assert!(!is_match(&key.replace("-----\nMIIB", "-----MIIB")), "BEGIN's line must end");
        assert!(!is_match(&key.replace("RSA PRIVATE KEY-----\nMIIB", "RSA\nPRIVATE KEY-----\nMIIB")));
        let is_match = on_engine(r"(?m)^b\_?");
        assert!(is_match("a\nb") && is_match("a\r\nb") && is_match("a\u{85}b") && !is_match("ab"));
        let is_match = on_engine(r"(?m)\r^\_?");
        assert!(!is_match("a\r\nb") && is_match("a\rb") && !is_match("a\r"), "not between \\r and \\n, nor at the end");
        let is_match = on_engine(r"(?m)a$\_?");
        assert!(is_match("a\rb") && is_match("a") && is_match("a\u{2029}") && !is_match("ab"));
        let is_match = on_engine(r"(?m)\r$\_?");
        assert!(!is_match("a\r\nb") && is_match("a\r"));
    }
}

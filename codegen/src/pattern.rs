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
/// Patterns with Java semantics (invalid under the `u` flag) that need backtracking are refused: the ECMAScript
/// engine would give them another meaning.
pub fn plan_for_values(pattern: &str, max_len: Option<u64>) -> Result<Plan, String> {
    let (ast, reason, notes, source) = match translate(pattern)? {
        Translation::Exact(plan) => return Ok(plan),
        Translation::NotExact { mode: Mode::Java, reason, notes, .. } => {
            // Java semantics on the ECMAScript engine: the pattern rewritten with Java's meaning spelled out.
            let source = java_to_ecma(pattern).map_err(|why| {
                format!(
                    "{reason} needs a backtracking engine, and the pattern is invalid under the ECMAScript `u` flag; \
                     it cannot be rewritten with Java's meaning for the ECMAScript engine: {why}"
                )
            })?;
            let ast = Parser::new(&source, Mode::EcmaUnicode).parse().map_err(|e| {
                format!("{reason}: the pattern rewritten for the ECMAScript engine, `{source}`, does not parse: {e}")
            })?;
            let mut notes = notes;
            notes.push(format!("run on the ECMAScript engine as `{source}` (Java's `\\s`, `.` and `$` spelled out)"));
            (ast, reason, notes, source)
        }
        Translation::NotExact { mode: Mode::EcmaUnicode, ast, reason, notes } => {
            (ast, reason, notes, pattern.to_owned())
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
        mode: Mode::EcmaUnicode,
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

/// A pattern with Java semantics as an ECMAScript pattern (flag `u`) of the same meaning, for the backtracking
/// engine: identity escapes of punctuation become the character, Java's `\s` (ASCII white space), `.` (anything
/// but `\n`, `\r`, U+0085, U+2028, U+2029) and `$` (the end, or before one final line terminator) are spelled out,
/// and `\x{…}` becomes `\u{…}`. `\d`, `\w` and `\b` are ASCII in both (Java 19 and later for `\b`). Property
/// classes, nested classes, intersections and quoting are refused.
fn java_to_ecma(pattern: &str) -> Result<String, String> {
    const SPACE: &str = r" \t\n\x0B\f\r";
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => {
                let Some(&n) = chars.get(i) else { return Err("a trailing backslash".into()) };
                i += 1;
                match n {
                    's' if in_class => out.push_str(SPACE),
                    's' => out.push_str(&format!("[{SPACE}]")),
                    'S' if !in_class => out.push_str(&format!("[^{SPACE}]")),
                    'd' | 'D' | 'w' | 'W' | 'b' | 'B' | 't' | 'n' | 'r' | 'f' | '0'..='9' => {
                        out.push('\\');
                        out.push(n);
                    }
                    'x' if chars.get(i) == Some(&'{') => out.push_str("\\u"),
                    'x' | 'u' => {
                        out.push('\\');
                        out.push(n);
                    }
                    'k' if chars.get(i) == Some(&'<') => out.push_str("\\k"),
                    n if n.is_ascii_alphanumeric() => return Err(format!("Java's `\\{n}` is not translated")),
                    n => {
                        if "^$\\.*+?()[]{}|/-".contains(n) {
                            out.push('\\');
                        }
                        out.push(n);
                    }
                }
            }
            '[' if in_class => return Err("a nested class".into()),
            '[' => {
                in_class = true;
                out.push('[');
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            ']' => out.push_str("\\]"),
            '&' if in_class && chars.get(i) == Some(&'&') => return Err("a class intersection".into()),
            '.' if !in_class => out.push_str(r"[^\n\r\u0085\u2028\u2029]"),
            '$' if !in_class => out.push_str(r"(?=(?:\r\n|[\n\r\u0085\u2028\u2029])?$)"),
            c => out.push(c),
        }
    }
    if in_class {
        return Err("an unterminated class".into());
    }
    Ok(out)
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
    let (ast, mode, mut notes) = match Parser::new(pattern, Mode::EcmaUnicode).parse() {
        Ok(ast) => (ast, Mode::EcmaUnicode, Vec::new()),
        Err(u_err) => match Parser::new(pattern, Mode::Java).parse() {
            Ok(ast) => {
                (ast, Mode::Java, vec![format!("invalid under the ECMAScript `u` flag ({u_err}); Java semantics")])
            }
            Err(j_err) => return Err(format!("unsupported pattern: {u_err}; as Java: {j_err}")),
        },
    };
    if contains_backref(&ast) {
        return Ok(Translation::NotExact { mode, ast, reason: "a backreference".into(), notes });
    }
    let mut checks = Vec::new();
    let mut chars = None;
    // The notes of a translation that fails half-way do not apply; only the mode's do.
    let mode_notes = notes.clone();
    let body = match split_lookarounds(ast.clone(), mode, &mut checks, &mut notes) {
        Ok(body) => body,
        Err(reason) => return Ok(Translation::NotExact { mode, ast, reason, notes: mode_notes }),
    };
    let body = match count_run(&body) {
        Some((class, min, max)) => {
            notes.push(format!(
                "repetition {{{min},{}}} of one class checked as a code-point count",
                max.map_or(String::new(), |m| m.to_string())
            ));
            chars = Some((min, max));
            Node::Concat(vec![Node::Start, Node::Repeat(Box::new(class), 0, None), Node::End])
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
    /// `$` (end of input; in Java mode also before one final line terminator).
    End,
    /// `\b` (true) or `\B` (false), ASCII word characters.
    WordBoundary(bool),
    Group(Box<Node>),
    /// Lookaround: (ahead, negated, inner).
    Look(bool, bool, Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
    /// A backreference (`\1`, `\k<name>`): only a backtracking engine checks it.
    BackRef,
}

/// A class that also holds the other case of each ASCII letter it holds (Java's `(?i)` without `UNICODE_CASE`).
fn ascii_either_case(class: Class) -> Class {
    let mut extra = Vec::new();
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
    let mut class = class;
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

/// Java's POSIX classes (ASCII unless UNICODE_CHARACTER_CLASS is set, which Smithy does not set).
fn java_posix(name: &str) -> Option<Class> {
    let r = Item::Range;
    let items = match name {
        "Lower" => vec![r('a', 'z')],
        "Upper" => vec![r('A', 'Z')],
        "ASCII" => vec![r('\0', '\x7F')],
        "Alpha" => vec![r('a', 'z'), r('A', 'Z')],
        "Digit" => vec![r('0', '9')],
        "Alnum" => vec![r('a', 'z'), r('A', 'Z'), r('0', '9')],
        "Punct" => vec![r('!', '/'), r(':', '@'), r('[', '`'), r('{', '~')],
        "Graph" => vec![r('!', '~')],
        "Print" => vec![r(' ', '~')],
        "Blank" => vec![r(' ', ' '), r('\t', '\t')],
        "Cntrl" => vec![r('\0', '\x1F'), r('\x7F', '\x7F')],
        "XDigit" => vec![r('0', '9'), r('a', 'f'), r('A', 'F')],
        "Space" => vec![r('\t', '\r'), r(' ', ' ')],
        _ => return None,
    };
    Some(Class::of(items))
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    mode: Mode,
    groups: u32,
    /// Names of the named groups.
    names: Vec<String>,
    /// The largest numbered backreference and the named ones, checked against the groups once all are known.
    max_ref: u32,
    named_refs: Vec<String>,
    /// Java's inline `(?i)`: ASCII letters match either case (Java's default case folding is ASCII only).
    case_insensitive: bool,
    /// Java's inline `(?s)`: `.` matches line terminators too.
    dot_all: bool,
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
            _src: src,
        }
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
        // Under `u`, a backreference must name a group of the pattern (before or after it).
        if self.max_ref > self.groups {
            return Err(format!("backreference `\\{}` to a group that does not exist", self.max_ref));
        }
        if let Some(name) = self.named_refs.iter().find(|n| !self.names.contains(n)) {
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
        let zero_width = matches!(atom, Node::Start | Node::End | Node::WordBoundary(_) | Node::Look(..));
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
        Ok(Node::Repeat(Box::new(atom), min, max))
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
            return if self.mode == Mode::EcmaUnicode { self.err("lone `{`") } else { Ok(None) };
        };
        let max = if self.eat(',') { num(self) } else { Some(min) };
        if !self.eat('}') {
            self.pos = start;
            return if self.mode == Mode::EcmaUnicode { self.err("incomplete quantifier") } else { Ok(None) };
        }
        Ok(Some((min, max)))
    }

    fn atom(&mut self) -> Result<Node, String> {
        let Some(c) = self.peek() else { return self.err("unexpected end") };
        self.pos += 1;
        match c {
            '^' => Ok(Node::Start),
            '$' => Ok(Node::End),
            '.' if self.dot_all => Ok(Node::Class(Class::of(Vec::new()).negate())),
            '.' => Ok(Node::Class(line_terminators(self.mode).negate())),
            '(' => self.group(),
            '[' => {
                let class = self.class()?;
                Ok(Node::Class(if self.case_insensitive { ascii_either_case(class) } else { class }))
            }
            c if self.case_insensitive && c.is_ascii_alphabetic() => Ok(Node::Class(Class::of(vec![
                Item::Range(c.to_ascii_lowercase(), c.to_ascii_lowercase()),
                Item::Range(c.to_ascii_uppercase(), c.to_ascii_uppercase()),
            ]))),
            '\\' => {
                let fold = self.case_insensitive;
                self.escape(false).map(|e| match e {
                    Escaped::Char(c) if fold && c.is_ascii_alphabetic() => Node::Class(Class::of(vec![
                        Item::Range(c.to_ascii_lowercase(), c.to_ascii_lowercase()),
                        Item::Range(c.to_ascii_uppercase(), c.to_ascii_uppercase()),
                    ])),
                    Escaped::Char(c) => Node::Char(c),
                    Escaped::Class(c) => Node::Class(c),
                    Escaped::Node(n) => n,
                })
            }
            '*' | '+' | '?' => self.err("nothing to repeat"),
            '{' if self.mode == Mode::EcmaUnicode => self.err("lone `{`"),
            '}' | ']' if self.mode == Mode::EcmaUnicode => self.err("lone bracket"),
            c => Ok(Node::Char(c)),
        }
    }

    fn group(&mut self) -> Result<Node, String> {
        // Inline flags set inside a group end with it.
        let flags = (self.case_insensitive, self.dot_all);
        let (node, keep_flags) = self.group_body()?;
        if !keep_flags {
            (self.case_insensitive, self.dot_all) = flags;
        }
        Ok(node)
    }

    /// Java's inline flags, after `(?`: `i` and `s`, maybe turned off after `-`. Returns whether a scoped group
    /// (`(?i:…)`) follows; `(?i)` alone changes the flags for the rest of the enclosing group.
    fn inline_flags(&mut self) -> Result<bool, String> {
        let mut on = true;
        loop {
            match self.peek() {
                Some('i') => self.case_insensitive = on,
                Some('s') => self.dot_all = on,
                Some('-') if on => on = false,
                Some(')') => return Ok(false),
                Some(':') => return Ok(true),
                Some(c) => return self.err(&format!("unsupported inline flag `{c}` (supported: `i`, `s`)")),
                None => return self.err("unterminated inline flags"),
            }
            self.pos += 1;
        }
    }

    /// The group after its `(`, and whether it was only inline flags, which then stay in force.
    fn group_body(&mut self) -> Result<(Node, bool), String> {
        let node = if self.eat('?') {
            match self.peek() {
                Some(c) if self.mode == Mode::Java && matches!(c, 'i' | 's' | '-') => {
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
                    if self.names.contains(&name) {
                        return self.err(&format!("duplicate group name `{name}`"));
                    }
                    self.names.push(name);
                    self.groups += 1;
                    Node::Group(Box::new(self.alternation()?))
                }
                _ => return self.err("unsupported group syntax"),
            }
        } else {
            self.groups += 1;
            Node::Group(Box::new(self.alternation()?))
        };
        if !self.eat(')') {
            return self.err("missing `)`");
        }
        Ok((node, false))
    }

    /// A group name and its closing `>`, after the `<`.
    fn group_name(&mut self) -> Result<String, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c != '>') {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        let mut chars = name.chars();
        let ident = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
            && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$');
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
        let mut first = true;
        loop {
            let Some(c) = self.peek() else { return self.err("unterminated character class") };
            if c == ']' && !(first && self.mode == Mode::Java) {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '[' && self.mode == Mode::Java {
                return self.err("nested Java character classes are not supported");
            }
            let lo = self.class_atom()?;
            // A range?
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|n| n != ']') {
                if let Escaped::Char(a) = lo {
                    self.pos += 1;
                    let hi = self.class_atom()?;
                    match hi {
                        Escaped::Char(b) => {
                            if b < a {
                                return self.err("character class range out of order");
                            }
                            items.push(Item::Range(a, b));
                            continue;
                        }
                        Escaped::Class(cls) => {
                            if self.mode == Mode::EcmaUnicode {
                                return self.err("class escape in a range");
                            }
                            items.push(Item::Range(a, a));
                            items.push(Item::Range('-', '-'));
                            items.push(Item::Class(cls));
                            continue;
                        }
                        Escaped::Node(_) => return self.err("assertion in a class"),
                    }
                } else if self.mode == Mode::EcmaUnicode {
                    return self.err("class escape in a range");
                }
            }
            match lo {
                Escaped::Char(a) => items.push(Item::Range(a, a)),
                Escaped::Class(cls) => items.push(Item::Class(cls)),
                Escaped::Node(_) => return self.err("assertion in a class"),
            }
        }
        Ok(Class { negated, items, minus: Vec::new() })
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
        let java = self.mode == Mode::Java;
        Ok(match c {
            'd' => Escaped::Class(digit()),
            'D' => Escaped::Class(digit().negate()),
            'w' => Escaped::Class(word()),
            'W' => Escaped::Class(word().negate()),
            's' => Escaped::Class(if java { java_space() } else { ecma_space() }),
            'S' => Escaped::Class(if java { java_space() } else { ecma_space() }.negate()),
            'b' if in_class && !java => Escaped::Char('\u{8}'),
            'b' if !in_class => Escaped::Node(Node::WordBoundary(true)),
            'B' if !in_class => Escaped::Node(Node::WordBoundary(false)),
            't' => Escaped::Char('\t'),
            'n' => Escaped::Char('\n'),
            'r' => Escaped::Char('\r'),
            'f' => Escaped::Char('\u{c}'),
            'v' if !java => Escaped::Char('\u{b}'),
            '0' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => Escaped::Char('\0'),
            'x' => match self.hex(2) {
                Some(v) => Escaped::Char(char::from_u32(v).unwrap_or('\0')),
                None => return self.err("bad \\x escape"),
            },
            'u' => self.unicode_escape()?,
            'p' | 'P' => {
                let negated = c == 'P';
                if !self.eat('{') {
                    return self.err("bad property escape");
                }
                let start = self.pos;
                while self.peek().is_some_and(|c| c != '}') {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                if !self.eat('}') {
                    return self.err("unterminated property escape");
                }
                let class = self.property(&name)?;
                Escaped::Class(if negated { class.negate() } else { class })
            }
            '1'..='9' if !in_class => {
                let mut n = c.to_digit(10).unwrap_or(0);
                while let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    self.pos += 1;
                    n = n.saturating_mul(10).saturating_add(d);
                }
                self.max_ref = self.max_ref.max(n);
                Escaped::Node(Node::BackRef)
            }
            'k' if !in_class && !java => {
                if !self.eat('<') {
                    return self.err("bad `\\k` escape");
                }
                let name = self.group_name()?;
                self.named_refs.push(name);
                Escaped::Node(Node::BackRef)
            }
            'c' => match self.peek() {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.pos += 1;
                    Escaped::Char(char::from_u32(l as u32 % 32).unwrap_or('\0'))
                }
                _ => return self.err("bad \\c escape"),
            },
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
            // A lone surrogate never occurs in a Rust string: it matches nothing.
            None => Ok(Escaped::Class(Class::of(Vec::new()))),
        }
    }

    fn property(&self, name: &str) -> Result<Class, String> {
        let lookup = |n: &str| CATEGORIES.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
        if self.mode == Mode::Java {
            if let Some(c) = java_posix(name) {
                return Ok(c);
            }
            let n = name.strip_prefix("Is").unwrap_or(name);
            return match lookup(n) {
                Some(v) => Ok(Class::of(vec![Item::Prop(v.into(), false)])),
                None => self.err(&format!("unsupported Java property `{name}`")),
            };
        }
        let (key, value) = match name.split_once('=') {
            Some((k, v)) => (Some(k), v),
            None => (None, name),
        };
        let prop = match key {
            None | Some("General_Category") | Some("gc") => lookup(value).map(str::to_owned),
            Some("Script") | Some("sc") => Some(format!("Script={value}")),
            Some("Script_Extensions") | Some("scx") => Some(format!("Script_Extensions={value}")),
            _ => None,
        };
        match prop {
            Some(p) => Ok(Class::of(vec![Item::Prop(p, false)])),
            None => self.err(&format!("unknown property `\\p{{{name}}}`")),
        }
    }
}

enum Escaped {
    Char(char),
    Class(Class),
    Node(Node),
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
        Node::BackRef => true,
        Node::Group(i) | Node::Repeat(i, _, _) | Node::Look(_, _, i) => contains_backref(i),
        Node::Concat(v) | Node::Alt(v) => v.iter().any(contains_backref),
        _ => false,
    }
}

/// The width in code points of every string `n` matches, when it is one width. Java's `$` may stand before a final
/// line terminator, which the emitted regex consumes, so it has no fixed width there.
fn fixed_width(n: &Node, mode: Mode) -> Option<u32> {
    match n {
        Node::Empty | Node::Start | Node::WordBoundary(_) | Node::Look(..) => Some(0),
        Node::End => (mode == Mode::EcmaUnicode).then_some(0),
        Node::Char(_) | Node::Class(_) => Some(1),
        Node::Group(i) => fixed_width(i, mode),
        Node::Repeat(i, min, Some(max)) if min == max => fixed_width(i, mode)?.checked_mul(*min),
        Node::Repeat(..) | Node::BackRef => None,
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
            Node::BackRef => Some(0),
            Node::Group(i) | Node::Look(_, _, i) => varying(i),
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
            // A backreference matches the one string its group captured; a lookaround is atomic.
            Node::BackRef | Node::Look(..) => true,
            Node::Group(i) => single_way(i),
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
        Node::Group(i) | Node::Repeat(i, _, _) => contains_look(i),
        Node::Concat(v) | Node::Alt(v) => v.iter().any(contains_look),
        _ => false,
    }
}

fn single_class(n: &Node) -> Option<Class> {
    match n {
        Node::Char(c) => Some(Class::of(vec![Item::Range(*c, *c)])),
        Node::Class(c) => Some(c.clone()),
        Node::Group(i) => single_class(i),
        _ => None,
    }
}

fn nullable(n: &Node) -> bool {
    match n {
        Node::Empty | Node::Start | Node::End | Node::WordBoundary(_) | Node::Look(..) | Node::BackRef => true,
        Node::Char(_) | Node::Class(_) => false,
        Node::Group(i) => nullable(i),
        Node::Repeat(i, min, _) => *min == 0 || nullable(i),
        Node::Concat(v) => v.iter().all(nullable),
        Node::Alt(v) => v.iter().any(nullable),
    }
}

/// A node matching the non-empty strings of `n` whose last character is not in `c`.
fn ends_outside(n: &Node, c: &Class) -> Option<Node> {
    Some(match n {
        Node::Empty | Node::Start | Node::End | Node::WordBoundary(_) => Node::Class(Class::of(Vec::new())),
        Node::Look(..) | Node::BackRef => return None,
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
        Node::Empty | Node::Start | Node::End | Node::WordBoundary(_) => Some(n.clone()),
        Node::Char(_) | Node::Class(_) | Node::Look(..) | Node::BackRef => None,
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

/// `^ K{m,n} $` with one class `K` and a long bound: the class and the count.
fn count_run(n: &Node) -> Option<(Node, u32, Option<u32>)> {
    let Node::Concat(v) = n else { return None };
    let [Node::Start, rep, Node::End] = v.as_slice() else { return None };
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
    Some((class, *min, *max))
}

/// Nothing to check: the pattern finds an (empty) match in every string.
fn always_matches(n: &Node) -> bool {
    fn free(n: &Node) -> bool {
        match n {
            Node::Empty => true,
            Node::Repeat(_, 0, _) => true,
            Node::Group(i) => free(i),
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
            // Java's `$`: the end, or just before one final line terminator.
            Mode::Java => out.push_str(r"(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z"),
        },
        Node::WordBoundary(true) => out.push_str(r"(?-u:\b)"),
        Node::WordBoundary(false) => out.push_str(r"(?-u:\B)"),
        Node::Group(i) => {
            out.push_str("(?:");
            emit_into(i, mode, out);
            out.push(')');
        }
        // Never emitted: a plan with either goes to the ECMAScript engine.
        Node::Look(..) | Node::BackRef => out.push_str("(?:[^\\x{0}-\\x{10FFFF}])"),
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
        assert_eq!(ecma.source, r"^a_(?=(?:\r\n|[\n\r\u0085\u2028\u2029])?$)(?=x)");
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
        for bad in [r"(a)\2", r"\k<x>(?<y>a)", r"(?<x>a)(?<x>b)", r"[\1]", r"(?<1a>b)", r"\k"] {
            assert!(plan_for_values(bad, None).is_err(), "{bad} is invalid under `u`");
        }
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
        assert!(plan(r"^(?m)a$").is_err(), "other flags are refused");
    }

    #[test]
    fn java_patterns_that_need_backtracking_run_on_the_ecmascript_engine_with_java_meaning() {
        // ssm's StringDateTime, shortened: an identity escape `\:` (refused under `u`), a backreference, `\s`, `$`.
        let p = plan_for_values(r"^(\d{2})(-?)\d{2}\2[T\s]\d{2}\:?\d{2}$", None).unwrap();
        let ecma = p.ecma().expect("backreferences need the ECMAScript engine");
        assert_eq!(
            ecma.source,
            r"^(\d{2})(-?)\d{2}\2[T \t\n\x0B\f\r]\d{2}:?\d{2}(?=(?:\r\n|[\n\r\u0085\u2028\u2029])?$)"
        );
        let re = regress::Regex::with_flags(&ecma.source, "u").unwrap();
        let is_match = |s: &str| re.find(s).is_some();
        for yes in ["20-11-T10:30", "2011 1030", "2011T10:30\n", "20-11-\t10:30"] {
            assert!(is_match(yes), "{yes:?}");
        }
        // Java's `\s` is ASCII: U+00A0 is not white space there; the backreference repeats the separator.
        for no in ["2011\u{a0}10:30", "20-11T10:30", "2011-T10:30", "2011T10:30\n\n"] {
            assert!(!is_match(no), "{no:?}");
        }
        assert_eq!(
            java_to_ecma(r"a.b$").unwrap(),
            r"a[^\n\r\u0085\u2028\u2029]b(?=(?:\r\n|[\n\r\u0085\u2028\u2029])?$)"
        );
        assert_eq!(java_to_ecma(r"\x{41}[^\s]").unwrap(), r"\u{41}[^ \t\n\x0B\f\r]");
        assert!(java_to_ecma(r"\p{Alnum}").is_err());
        assert!(java_to_ecma(r"[a[b]]").is_err());
        assert!(java_to_ecma(r"[a&&b]").is_err());
    }
}

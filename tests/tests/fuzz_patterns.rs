//! Property: the pattern planner never panics, and what it plans is ECMAScript. Random patterns from a small grammar
//! (literals, classes with ranges and escapes, the escapes of ECMAScript and Java, anchors, groups, alternation, every
//! quantifier including `{n,m}` and lazy ones, lookahead and lookbehind, backreferences, Unicode escapes), and strings
//! of the metacharacters, go through `pattern::plan` and `pattern::plan_for_values`: each returns a plan or an error
//! with a message. Where `plan` gives automata for a pattern with ECMAScript semantics, the runtime's check of the
//! plan (the tables the generated crate would hold, run by the runtime modules, as `patterns_differential.rs` runs
//! them) must answer as the same checks compiled as position automata, and as the `regress` ECMAScript engine with the `u` flag on random strings made mostly of the
//! pattern's own characters. Where the two disagree, Node's `RegExp` (flag `u`) settles it: regress 0.12 has known
//! deviations (a lone surrogate escape such as `\uD83D?` makes it fail the whole pattern), and a disagreement counts
//! only when Node answers as regress does (or Node is absent).

mod fuzz_support;

use codegen::pattern::{self, Mode};
use codegen_runtime::validation::Outcome;
use proptest::prelude::*;

/// Characters of the patterns and of the strings: ASCII letters and digits, punctuation, white space and line
/// terminators, non-ASCII letters, an astral code point.
const CHARS: &[char] = &[
    'a', 'b', 'c', 'x', 'A', 'Z', '0', '7', '9', '-', '_', '.', ' ', '\n', '\r', 'é', 'ß', 'Ω', '😀', '\u{2028}',
    '\u{a0}',
];

/// Escapes, valid and invalid under `u`, and Java's.
const ESCAPES: &[&str] = &[
    r"\d",
    r"\D",
    r"\w",
    r"\W",
    r"\s",
    r"\S",
    r"\b",
    r"\B",
    r"\n",
    r"\r",
    r"\t",
    r"\f",
    r"\v",
    r"\0",
    r"\x41",
    r"\xe9",
    r"\u0041",
    r"\u00e9",
    r"\u{1F600}",
    r"\u{10FFFF}",
    r"\uD83D\uDE00",
    r"\uD83D",
    r"\.",
    r"\-",
    r"\/",
    r"\\",
    r"\$",
    r"\^",
    r"\*",
    r"\+",
    r"\?",
    r"\(",
    r"\)",
    r"\[",
    r"\]",
    r"\{",
    r"\}",
    r"\|",
    r"\_",
    r"\ ",
    r"\a",
    r"\cA",
    r"\p{L}",
    r"\p{Lu}",
    r"\P{L}",
    r"\p{Script=Greek}",
    r"\p{Alnum}",
    r"\p{Nope}",
    r"\k<n>",
    r"\1",
    r"\2",
];

/// Class items.
const CLASS_ITEMS: &[&str] = &[
    "a",
    "b",
    "z",
    "0",
    "9",
    "a-z",
    "0-9",
    "A-Z",
    "z-a",
    "-",
    r"\-",
    r"\]",
    r"\d",
    r"\w",
    r"\s",
    r"\S",
    r"\b",
    "é",
    "😀",
    r"\u{1F600}",
    r"\uD83D\uDE00",
    "^",
    ".",
    "$",
    r"\p{L}",
    "[",
    r"\x00-\x7f",
    "_",
];

/// Group openings: capturing, non-capturing, named, lookahead and lookbehind.
const GROUPS: &[&str] = &["(", "(?:", "(?<n>", "(?=", "(?!", "(?<=", "(?<!"];

fn literal() -> impl Strategy<Value = String> {
    prop::sample::select(CHARS).prop_map(|c| match c {
        '\n' => r"\n".to_owned(),
        '\r' => r"\r".to_owned(),
        c => c.to_string(),
    })
}

fn class() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(prop::sample::select(CLASS_ITEMS), 0..4))
        .prop_map(|(negated, items)| format!("[{}{}]", if negated { "^" } else { "" }, items.concat()))
}

fn quantifier() -> impl Strategy<Value = String> {
    let counted = prop_oneof![
        (0u32..4).prop_map(|n| format!("{{{n}}}")),
        (0u32..4).prop_map(|n| format!("{{{n},}}")),
        (0u32..4, 0u32..4).prop_map(|(n, m)| format!("{{{n},{}}}", n + m)),
        (0u32..3, 0u32..3).prop_map(|(n, m)| format!("{{{},{m}}}", n + m + 1)),
        (60u32..70).prop_map(|n| format!("{{1,{n}}}")),
    ];
    (prop_oneof![Just("*".to_owned()), Just("+".to_owned()), Just("?".to_owned()), counted], any::<bool>())
        .prop_map(|(q, lazy)| if lazy { format!("{q}?") } else { q })
}

fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => literal(),
        2 => class(),
        2 => prop::sample::select(ESCAPES).prop_map(str::to_owned),
        1 => Just(".".to_owned()),
        1 => Just("^".to_owned()),
        1 => Just("$".to_owned()),
    ]
}

/// A pattern from the grammar: sequences of atoms and groups, alternations, quantifiers.
fn grammar() -> impl Strategy<Value = String> {
    atom().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            3 => prop::collection::vec(inner.clone(), 1..5).prop_map(|v| v.concat()),
            1 => prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join("|")),
            2 => (prop::sample::select(GROUPS), inner.clone()).prop_map(|(g, p)| format!("{g}{p})")),
            2 => (inner, quantifier()).prop_map(|(p, q)| format!("{p}{q}")),
        ]
    })
}

/// Patterns: mostly from the grammar, anchored or not; some strings of metacharacters.
fn pattern_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (grammar(), any::<bool>(), any::<bool>()).prop_map(|(p, start, end)| {
            format!("{}{p}{}", if start { "^" } else { "" }, if end { "$" } else { "" })
        }),
        1 => "[\\^$.|?*+()\\[\\]{}\\\\a0-9,:<=!kupdDwWsSbB-]{0,12}",
    ]
}

/// Strings made of the pattern's own characters (and of [`CHARS`]).
fn string_strategy(pattern: &str) -> impl Strategy<Value = String> {
    let mut alphabet: Vec<char> = pattern.chars().filter(|c| !"\\^$|?*+()[]{}".contains(*c)).collect();
    alphabet.extend_from_slice(CHARS);
    alphabet.sort_unstable();
    alphabet.dedup();
    prop::collection::vec(prop::sample::select(alphabet), 0..10).prop_map(|cs| cs.into_iter().collect())
}

fn case() -> impl Strategy<Value = (String, Vec<String>)> {
    pattern_strategy().prop_flat_map(|p| {
        let strings = prop::collection::vec(string_strategy(&p), 1..24);
        (Just(p), strings)
    })
}

/// Node's answers (`new RegExp(p, "u").test(s)`), or `None` when Node is absent or finds the pattern invalid.
fn node(pattern: &str, strings: &[&String]) -> Option<Vec<bool>> {
    const SCRIPT: &str = r#"const [p, s] = process.argv.slice(1);
let re = null;
try { re = new RegExp(p, "u"); } catch (e) { console.log("invalid"); process.exit(0); }
console.log(JSON.stringify(JSON.parse(s).map((x) => re.test(x))));"#;
    let out = std::process::Command::new("node")
        .args(["-e", SCRIPT, "--", pattern, &serde_json::to_string(strings).ok()?])
        .output()
        .ok()?;
    serde_json::from_slice(&out.stdout).ok()
}

#[test]
fn planned_patterns_agree_with_regress_and_others_are_refused_with_a_reason() {
    fuzz_support::run("patterns", 384, case(), |(p, strings)| {
        for max_len in [None, Some(16)] {
            if let Err(e) = pattern::plan_for_values(&p, max_len) {
                prop_assert!(!e.is_empty(), "an empty refusal");
            }
        }
        let plan = match pattern::plan(&p) {
            Ok(plan) => plan,
            Err(e) => {
                prop_assert!(!e.is_empty(), "an empty refusal");
                return Ok(());
            }
        };
        // The same checks on position automata (what a check whose DFA is over the budget runs) answer as the plan's
        // (in either dialect).
        let on_bits = project_tests::runtime_pattern_on_bits(&plan);
        if let (Some(ours), Some(bits)) = (project_tests::runtime_pattern(&plan), on_bits) {
            for s in &strings {
                prop_assert_eq!(bits.is_match(s), ours.is_match(s), "on {:?}: position automata", s);
            }
        }
        if plan.mode != Mode::EcmaUnicode {
            // Java semantics: regress has no such mode (`patterns_differential.rs` compares these with Java).
            return Ok(());
        }
        let ours = project_tests::runtime_pattern(&plan).expect("`plan` never chooses the ECMAScript engine");
        let regress = match regress::Regex::with_flags(&p, "u") {
            Ok(r) => r,
            // regress 0.12 also rejects some valid patterns (`\uD83D\u{1F600}`: a lone surrogate before a braced
            // escape): then Node is the oracle.
            Err(e) => {
                let all: Vec<&String> = strings.iter().collect();
                let Some(answers) = node(&p, &all) else {
                    return Err(TestCaseError::fail(format!(
                        "planned as ECMAScript (u), but regress rejects it ({e}), and Node is absent or rejects it too"
                    )));
                };
                for (s, expected) in strings.iter().zip(answers) {
                    if let Outcome::Match | Outcome::NoMatch = ours.check(s) {
                        prop_assert_eq!(
                            ours.is_match(s),
                            expected,
                            "on {:?} (Node's answer; regress rejects it: {})",
                            s,
                            e
                        );
                    }
                }
                return Ok(());
            }
        };
        let mut disagreements = Vec::new();
        for s in &strings {
            let expected = regress.find(s).is_some();
            let got = match ours.check(s) {
                Outcome::Match => true,
                Outcome::NoMatch => false,
                Outcome::TooLong { .. } => continue,
            };
            if got != expected {
                disagreements.push((s.clone(), got));
            }
        }
        if disagreements.is_empty() {
            return Ok(());
        }
        let checks: Vec<_> = plan.checks.iter().map(|c| (&c.regex, c.expect)).collect();
        let subjects: Vec<&String> = disagreements.iter().map(|(s, _)| s).collect();
        match node(&p, &subjects) {
            Some(answers) => {
                for ((s, got), node) in disagreements.iter().zip(answers) {
                    prop_assert_eq!(
                        *got,
                        node,
                        "on {:?}: the plan's checks {:?} disagree with Node and regress",
                        s,
                        checks
                    );
                }
                Ok(())
            }
            None => Err(TestCaseError::fail(format!(
                "the plan's checks {checks:?} disagree with regress on {disagreements:?} (Node, which would settle \
                 it, is absent)"
            ))),
        }
    });
}

//! Tests of `ecma` through `validation::Pattern::with_engine`: ECMAScript's meaning of what the `regex` crate cannot
//! express (lookaround anywhere, backreferences), and the input bound that keeps the backtracking engine's time in
//! check. The expected answers are Node's (`new RegExp(p, "u").test(s)`).

use crate::validation::*;

fn violations(check: impl FnOnce(&mut Violations)) -> Vec<Violation> {
    let mut out = Violations::new();
    check(&mut out);
    match out.into_result("Input") {
        Ok(()) => Vec::new(),
        Err(e) => e.violations().to_vec(),
    }
}

/// A pattern as the generator emits it for the ECMAScript engine: a `static`, compiled on first use.
static DOTTED: Pattern = Pattern::with_engine(r"^[a-z]+(?<!x)\.(?=\d)", crate::ecma::compile, Some(16));

fn ecma(source: &'static str, max: Option<u64>) -> Pattern {
    Pattern::with_engine(source, crate::ecma::compile, max)
}

fn answers(p: &Pattern, cases: &[(&str, bool)]) {
    for (s, expected) in cases {
        assert_eq!(p.is_match(s), *expected, "{} on {s:?}", p.source());
    }
}

#[test]
fn lookaround_anywhere() {
    answers(
        &DOTTED,
        &[("ab.1", true), ("ab.1x", true), ("ax.1", false), ("ab.x", false), ("ab.", false), (".1", false)],
    );
    // Unanchored: a lookbehind and a lookahead around a letter found anywhere in the value.
    answers(
        &ecma(r"(?<=\d)x(?!y)", None),
        &[("1x", true), ("a1xz", true), ("1xy", false), ("x", false), ("1xy2x", true)],
    );
    // A lookahead in a repetition, and nested lookaround.
    answers(&ecma(r"^(?:(?!--)[a-z-])+$", None), &[("a-b-c", true), ("a--b", false), ("-", true)]);
    answers(&ecma(r"^(?=(?<!a)b)", None), &[("b", true), ("a", false)]);
    answers(&ecma(r"^(?:a(?<=^a|ba))+$", None), &[("a", true), ("aa", false)]);
}

#[test]
fn backreferences() {
    let quoted = ecma(r#"^(?<q>['"])\w+\k<q>$"#, Some(64));
    answers(&quoted, &[("'ab'", true), ("\"ab\"", true), ("'ab\"", false), ("ab", false)]);
    // A group that did not take part matches the empty string; a forward reference is empty too.
    answers(&ecma(r"^(?:(a)|b)\1$", None), &[("aa", true), ("b", true), ("ba", false)]);
    answers(&ecma(r"^\1(a)$", None), &[("a", true), ("aa", false)]);
}

#[test]
fn ecmascript_meaning_under_the_u_flag() {
    // `.`: one code point, not a line terminator (U+0085 is not one in ECMAScript).
    answers(
        &ecma(r"^.(?=$)", None),
        &[("😀", true), ("é", true), ("\u{85}", true), ("\n", false), ("\u{2028}", false)],
    );
    // `$` is the end of the value only; no final line terminator is skipped.
    answers(&ecma(r"^a$(?<=a)", None), &[("a", true), ("a\n", false)]);
    // `\d`, `\w` are ASCII; `\s` is ECMAScript's white space and line terminators.
    answers(
        &ecma(r"^\d(?=\w)\w\s$", None),
        &[("12\u{feff}", true), ("1a\u{a0}", true), ("٣a ", false), ("1é ", false)],
    );
    // `\b` on ASCII word characters.
    answers(&ecma(r"\bé", None), &[("é", false), ("a é", false)]);
    answers(&ecma(r"(?<=\W)x\b", None), &[("-x", true), ("éx", true), ("-xy", false)]);
    // Case matters without the `i` flag; `\u{…}` escapes are code points.
    answers(&ecma(r"^\u{1F600}(?!A)", None), &[("😀a", true), ("😀A", false)]);
}

#[test]
fn values_longer_than_the_bound_are_refused_before_the_engine_runs() {
    // The bound counts characters (code points), like `@length`.
    assert_eq!(DOTTED.check(&format!("{}.1", "a".repeat(14))), Outcome::Match);
    assert_eq!(DOTTED.check(&format!("{}.1", "é".repeat(14))), Outcome::NoMatch, "16 characters, 30 bytes");
    assert_eq!(DOTTED.check(&format!("{}.1", "a".repeat(15))), Outcome::TooLong { max: 16, actual: 17 });
    assert!(!DOTTED.is_match(&format!("{}.1", "a".repeat(15))));
    let p = Path::Root;
    let name = p.field("Name");
    let long = format!("{}.1", "b".repeat(98));
    let v = violations(|out| pattern(&long, &DOTTED, false, &name, out));
    assert_eq!(
        v[0].constraint(),
        &Constraint::PatternInputTooLong { pattern: r"^[a-z]+(?<!x)\.(?=\d)", max: 16, actual: 100 }
    );
    assert_eq!(
        v[0].to_string(),
        r"Name: is 100 characters long, more than the 16 the pattern ^[a-z]+(?<!x)\.(?=\d) is checked on, so it is refused unchecked"
    );
    // The value is never shown, sensitive or not; a match or a mismatch within the bound is as usual.
    assert!(!format!("{v:?}").contains("bbbb"));
    assert!(violations(|out| pattern("ab.1", &DOTTED, true, &name, out)).is_empty());
    let v = violations(|out| pattern("ab.", &DOTTED, true, &name, out));
    assert_eq!(v[0].constraint(), &Constraint::Pattern { pattern: DOTTED.source(), value: None });
}

#[test]
fn the_bound_keeps_exponential_backtracking_out_of_reach() {
    // Nested quantifiers: on `a…a!` a backtracking engine tries exponentially many ways; beyond the bound it is never
    // started. (At 30 characters this pattern already takes the engine seconds.)
    let nested = ecma(r"^(?:a|aa)+(?=b)", Some(12));
    let hostile = format!("{}!", "a".repeat(100_000));
    assert_eq!(nested.check(&hostile), Outcome::TooLong { max: 12, actual: 100_001 });
    assert_eq!(nested.check("aaaaaaaaaaa!"), Outcome::NoMatch);
    assert_eq!(nested.check("aaaaaaaaaaab"), Outcome::Match);
}

#[test]
fn without_a_bound_the_whole_value_is_checked() {
    let p = ecma(r"^[a-z]+(?<!q)$", None);
    let long = "a".repeat(100_000);
    assert_eq!(p.check(&long), Outcome::Match);
    assert_eq!(p.check(&format!("{long}q")), Outcome::NoMatch);
}

#[test]
fn an_engine_pattern_is_compiled_once_and_shared() {
    let threads: Vec<_> = (0..4).map(|i| std::thread::spawn(move || DOTTED.is_match(&format!("a{i}.{i}")))).collect();
    for t in threads {
        assert!(!t.join().unwrap());
    }
    assert_eq!(format!("{DOTTED:?}"), r#"Pattern { source: "^[a-z]+(?<!x)\\.(?=\\d)" }"#);
}

//! Behaviour of the `patterns` fixture crate: a lookahead at a fixed offset checked by DFAs compiled at codegen time,
//! large Unicode classes checked by NFAs (anchored, and searched anywhere), and lookaround anywhere and a backreference
//! checked by the ECMAScript engine, each within its input bound.

use fixture_patterns::operation::check::CheckInput;
use fixture_patterns::validation::Constraint;

fn violations(input: &CheckInput) -> Vec<(String, Constraint)> {
    match input.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.violations().iter().map(|v| (v.path().to_owned(), v.constraint().clone())).collect(),
    }
}

fn valid() -> fixture_patterns::operation::check::builders::CheckInputBuilder {
    CheckInput::builder()
        .path("/metrics/v1.json")
        .dotted("ab.1")
        .dotted_long("abc.2")
        .quoted("'abc'")
        .marks("1x")
        .marks("a2xz")
        .repeated("aab")
        .label("Grüße 42: ναι")
        .shout("regarding É")
        .secret("q.9")
}

#[test]
fn valid_values_pass_every_engine() {
    assert_eq!(violations(&valid().build().unwrap()), []);
}

#[test]
fn each_pattern_refuses_what_ecmascript_refuses() {
    let cases: Vec<(CheckInput, &str)> = vec![
        (valid().path("/a/../b").build().unwrap(), "Path"),
        (valid().path("/a\n").build().unwrap(), "Path"),
        (valid().dotted("ax.1").build().unwrap(), "Dotted"),
        (valid().dotted_long("ab.x").build().unwrap(), "DottedLong"),
        (valid().quoted("'abc\"").build().unwrap(), "Quoted"),
        (valid().marks("1xy").build().unwrap(), "Marks[2]"),
        (valid().repeated("aac").build().unwrap(), "Repeated"),
        (valid().label("tab\there").build().unwrap(), "Label"),
        (valid().label("sum!").build().unwrap(), "Label"),
        (valid().shout("no capitals, é").build().unwrap(), "Shout"),
        (valid().shout("").build().unwrap(), "Shout"),
    ];
    for (input, path) in cases {
        let v = violations(&input);
        assert_eq!(v.len(), 1, "{path}: {v:?}");
        assert_eq!(v[0].0, path);
        assert!(matches!(v[0].1, Constraint::Pattern { .. }), "{v:?}");
    }
    // The sensitive member's value is not shown.
    let v = violations(&valid().secret("x.1").build().unwrap());
    assert!(matches!(&v[0].1, Constraint::Pattern { value: None, .. }), "{v:?}");
}

#[test]
fn a_value_that_breaks_its_length_is_not_also_run_through_its_pattern() {
    // `Path` is checked by automata and has at most 256 characters: a longer value that also fails the pattern is
    // reported for its length only.
    let long = format!("no-slash{}", "a".repeat(300));
    let v = violations(&valid().path(long).build().unwrap());
    let length = Constraint::Length { min: None, max: Some(256), actual: 308, unit: "characters" };
    assert_eq!(v, [("Path".to_owned(), length)]);
    // Within its length, the same value is run through the pattern.
    let v = violations(&valid().path(format!("no-slash{}", "a".repeat(200))).build().unwrap());
    assert!(matches!(v.as_slice(), [(p, Constraint::Pattern { .. })] if p == "Path"), "{v:?}");
}

#[test]
fn values_beyond_the_bound_are_refused_without_running_the_engine() {
    // `Dotted` and `DottedLong` share the pattern: its bound is the larger `@length` maximum, 32.
    // A value that breaks its own `@length` is not run through its pattern at all: only the length is reported.
    let long = format!("{}.1", "a".repeat(40));
    let v = violations(&valid().dotted(long.clone()).dotted_long(long).build().unwrap());
    let length = |max| Constraint::Length { min: None, max: Some(max), actual: 42, unit: "characters" };
    let with_min = Constraint::Length { min: Some(1), max: Some(16), actual: 42, unit: "characters" };
    assert_eq!(v, [("Dotted".to_owned(), with_min), ("DottedLong".to_owned(), length(32))]);
    // Within 32 characters the engine runs, so `Dotted` reports only its own `@length`.
    let v = violations(&valid().dotted(format!("{}.1", "a".repeat(20))).build().unwrap());
    assert!(matches!(v.as_slice(), [(p, Constraint::Length { .. })] if p == "Dotted"), "{v:?}");
    // No `@length` and nested quantifiers: a conservative bound of 256 characters, so a hostile value costs nothing.
    let v = violations(&valid().repeated(format!("{}!", "a".repeat(100_000))).build().unwrap());
    assert!(matches!(v.as_slice(), [(_, Constraint::PatternInputTooLong { max: 256, actual: 100_001, .. })]), "{v:?}");
    // No `@length` and no nested quantifiers: the whole value is checked.
    let v = violations(&valid().marks(format!("{}1x", "a".repeat(100_000))).build().unwrap());
    assert_eq!(v, []);
}

#[test]
fn the_engine_comes_with_its_dependency_and_the_automata_need_none() {
    let manifest = include_str!("../Cargo.toml");
    assert!(manifest.contains("\nregress = "), "{manifest}");
    assert!(!manifest.contains("\nregex = "), "{manifest}");
}

#[test]
fn unicode_classes_are_checked_on_code_points() {
    for label in ["", "x", "日本語 テキスト", "Ω=1", "😀"] {
        let v = violations(&valid().label(label).build().unwrap());
        let refused = label == "😀"; // a symbol, not a letter or a number
        assert_eq!(v.is_empty(), !refused, "{label:?}: {v:?}");
    }
    for shout in ["A", "ÀB", "ok Ω", "\u{10400}"] {
        assert_eq!(violations(&valid().shout(shout).build().unwrap()), [], "{shout:?}");
    }
}

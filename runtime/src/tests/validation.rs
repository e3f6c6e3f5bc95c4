//! Tests of `validation`: paths, each check, what violations show (and hide), and patterns.

use std::collections::HashMap;

use super::automaton;
use crate::validation::*;

/// The violations recorded by `check`, for an input of shape `Input` (what `check` returns is not looked at).
fn violations<R>(check: impl FnOnce(&mut Violations) -> R) -> Vec<Violation> {
    let mut out = Violations::new();
    check(&mut out);
    match out.into_result("Input") {
        Ok(()) => Vec::new(),
        Err(e) => e.violations().to_vec(),
    }
}

/// The one violation recorded by `check`, as text.
fn shown<R>(check: impl FnOnce(&mut Violations) -> R) -> String {
    let v = violations(check);
    assert_eq!(v.len(), 1, "{v:?}");
    v[0].to_string()
}

// ---------------------------------------------------------------------------------------------------------------
// Path

fn path_text(p: &Path<'_>) -> String {
    violations(|out| out.required(p))[0].path().to_owned()
}

#[test]
fn the_root_path_is_shown_as_input() {
    assert_eq!(path_text(&Path::Root), "(input)");
}

#[test]
fn paths_join_fields_with_dots_and_show_indexes_and_keys() {
    let root = Path::Root;
    let params = root.field("PipelineParameters");
    let third = params.index(3);
    let name = third.field("Name");
    assert_eq!(path_text(&params), "PipelineParameters");
    assert_eq!(path_text(&third), "PipelineParameters[3]");
    assert_eq!(path_text(&name), "PipelineParameters[3].Name");
    let tags = root.field("Tags");
    let key = tags.key("env \"prod\"");
    let value = key.field("Value");
    assert_eq!(path_text(&value), r#"Tags["env \"prod\""].Value"#);
}

#[test]
fn a_path_may_start_with_an_index_or_a_key() {
    let root = Path::Root;
    let first = root.index(0);
    assert_eq!(path_text(&first.field("Name")), "[0].Name");
    assert_eq!(path_text(&root.key("k")), r#"["k"]"#);
}

// ---------------------------------------------------------------------------------------------------------------
// Violations and ValidationError

#[test]
fn no_violations_is_ok() {
    assert_eq!(Violations::new().into_result("Input"), Ok(()));
    assert_eq!(Violations::default().into_result("Input"), Ok(()));
}

#[test]
fn validation_error_lists_violations_in_order() {
    let mut out = Violations::new();
    let root = Path::Root;
    out.required(&root.field("B"));
    out.required(&root.field("A"));
    let e = out.into_result("CreateThingInput").unwrap_err();
    assert_eq!(e.shape(), "CreateThingInput");
    let paths: Vec<&str> = e.violations().iter().map(Violation::path).collect();
    assert_eq!(paths, ["B", "A"]);
    assert!(e.violations().iter().all(|v| *v.constraint() == Constraint::Required));
    assert_eq!(
        e.to_string(),
        format!(
            "2 invalid values in CreateThingInput:\n  - B: is required but was not set\n  - A: is required but was not \
set{}",
            hint("this kind of check", ".skip_constraint(validation::ConstraintKind::Required)")
        )
    );
}

#[test]
fn validation_error_with_one_violation_is_singular() {
    let mut out = Violations::new();
    out.required(&Path::Root.field("Name"));
    assert_eq!(
        out.into_result("In").unwrap_err().to_string(),
        format!(
            "1 invalid value in In:\n  - Name: is required but was not set{}",
            hint("this kind of check", ".skip_constraint(validation::ConstraintKind::Required)")
        )
    );
}

/// The last line of every validation error: how to skip the checks that failed, for one request.
fn hint(which: &str, skips: &str) -> String {
    format!(
        "\nThese checks follow the model this crate was generated from. If the service accepts the input, skip {which} \
for one request with `.config_override(config::ConfigOverride::new(){skips})` on the request builder."
    )
}

#[test]
fn the_hint_names_each_kind_that_failed_once() {
    let mut out = Violations::new();
    let root = Path::Root;
    length_str("", Some(1), None, &root.field("A"), &mut out);
    out.required(&root.field("B"));
    length_str("", Some(1), None, &root.field("C"), &mut out);
    let e = out.into_result("In").unwrap_err();
    assert!(
        e.to_string().ends_with(&hint(
            "these kinds of check",
            ".skip_constraint(validation::ConstraintKind::Length).skip_constraint(validation::ConstraintKind::Required)"
        )),
        "{e}"
    );
    let kinds: Vec<ConstraintKind> = e.violations().iter().map(|v| v.constraint().kind()).collect();
    assert_eq!(kinds, [ConstraintKind::Length, ConstraintKind::Required, ConstraintKind::Length]);
}

#[test]
fn skipping_kinds_drops_only_their_violations() {
    let mut out = Violations::new();
    let root = Path::Root;
    length_str("", Some(1), None, &root.field("A"), &mut out);
    out.required(&root.field("B"));
    let e = out.into_result("In").unwrap_err();
    let left = e.clone().without(ConstraintKind::Length.bit()).unwrap();
    assert_eq!(left.violations().len(), 1);
    assert_eq!(left.violations()[0].path(), "B");
    assert!(left.to_string().starts_with("1 invalid value in In:\n  - B: is required"), "{left}");
    assert_eq!(e.without(ConstraintKind::Length.bit() | ConstraintKind::Required.bit()), None);
}

// ---------------------------------------------------------------------------------------------------------------
// length_str

#[test]
fn length_str_within_bounds_passes() {
    let p = Path::Root.field("Name");
    for v in ["a", "abc", "abcde"] {
        assert!(violations(|out| length_str(v, Some(1), Some(5), &p, out)).is_empty(), "{v}");
    }
    assert!(violations(|out| length_str("", None, None, &p, out)).is_empty());
}

#[test]
fn length_str_says_whether_the_length_is_within_the_bounds() {
    let p = Path::Root.field("Name");
    let mut out = Violations::new();
    assert!(length_str("abc", Some(1), Some(5), &p, &mut out));
    assert!(length_str("ééé", Some(3), Some(3), &p, &mut out), "counted in code points");
    assert!(!length_str("", Some(1), Some(5), &p, &mut out));
    assert!(!length_str(&"a".repeat(100_000), None, Some(5), &p, &mut out));
    assert_eq!(out.into_result("In").unwrap_err().violations().len(), 2);
}

#[test]
fn length_str_too_short_and_too_long() {
    let p = Path::Root.field("Name");
    let v = violations(|out| length_str("", Some(1), Some(5), &p, out));
    assert_eq!(v[0].constraint(), &Constraint::Length { min: Some(1), max: Some(5), actual: 0, unit: "characters" });
    let v = violations(|out| length_str("abcdef", Some(1), Some(5), &p, out));
    assert_eq!(v[0].constraint(), &Constraint::Length { min: Some(1), max: Some(5), actual: 6, unit: "characters" });
}

#[test]
fn length_str_counts_code_points_not_bytes() {
    let p = Path::Root.field("Name");
    // 3 code points, 6 bytes.
    assert!(violations(|out| length_str("ééé", None, Some(3), &p, out)).is_empty());
    let v = violations(|out| length_str("ééé", None, Some(2), &p, out));
    assert!(matches!(v[0].constraint(), Constraint::Length { actual: 3, .. }), "{v:?}");
    // 1 code point, 4 bytes.
    let v = violations(|out| length_str("😀", Some(2), None, &p, out));
    assert!(matches!(v[0].constraint(), Constraint::Length { actual: 1, .. }), "{v:?}");
    assert!(violations(|out| length_str("😀😀", Some(2), Some(2), &p, out)).is_empty());
}

#[test]
fn length_str_display() {
    let p = Path::Root.field("Name");
    assert_eq!(
        shown(|out| length_str("abcdef", Some(1), Some(5), &p, out)),
        "Name: length must be between 1 and 5 characters, but is 6"
    );
    assert_eq!(
        shown(|out| length_str("", Some(1), None, &p, out)),
        "Name: length must be at least 1 characters, but is 0"
    );
    assert_eq!(
        shown(|out| length_str("ab", None, Some(1), &p, out)),
        "Name: length must be at most 1 characters, but is 2"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// length_count

#[test]
fn length_count_checks_bounds_inclusively() {
    let p = Path::Root.field("Items");
    assert!(violations(|out| length_count(2, "items", Some(2), Some(4), &p, out)).is_empty());
    assert!(violations(|out| length_count(4, "items", Some(2), Some(4), &p, out)).is_empty());
    let v = violations(|out| length_count(1, "items", Some(2), Some(4), &p, out));
    assert_eq!(v[0].constraint(), &Constraint::Length { min: Some(2), max: Some(4), actual: 1, unit: "items" });
    assert_eq!(
        shown(|out| length_count(5, "entries", Some(2), Some(4), &p, out)),
        "Items: length must be between 2 and 4 entries, but is 5"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// range_int

#[test]
fn range_int_checks_bounds_inclusively() {
    let p = Path::Root.field("N");
    for v in [-5, 0, 10] {
        assert!(violations(|out| range_int(v, Some(-5), Some(10), false, &p, out)).is_empty(), "{v}");
    }
    assert_eq!(
        shown(|out| range_int(11, Some(-5), Some(10), false, &p, out)),
        "N: must be between -5 and 10, but is 11"
    );
    assert_eq!(shown(|out| range_int(-6, Some(-5), None, false, &p, out)), "N: must be at least -5, but is -6");
}

#[test]
fn range_int_handles_the_extremes_of_i128() {
    let p = Path::Root.field("N");
    assert!(violations(|out| range_int(i128::MAX, None, Some(i128::MAX), false, &p, out)).is_empty());
    assert_eq!(violations(|out| range_int(i128::MIN, Some(0), None, false, &p, out)).len(), 1);
}

#[test]
fn range_int_of_a_sensitive_member_hides_the_value() {
    let p = Path::Root.field("Pin");
    let v = violations(|out| range_int(987_654, Some(0), Some(9999), true, &p, out));
    assert_eq!(v[0].constraint(), &Constraint::Range { min: Some("0".into()), max: Some("9999".into()), actual: None });
    let text = v[0].to_string();
    assert_eq!(text, "Pin: must be between 0 and 9999 (the sensitive value is not shown)");
    assert!(!text.contains("987654"));
}

// ---------------------------------------------------------------------------------------------------------------
// range_float

#[test]
fn range_float_checks_bounds_inclusively() {
    let p = Path::Root.field("F");
    for v in [0.5, 1.0, 2.25] {
        assert!(violations(|out| range_float(v, Some(0.5), Some(2.25), false, &p, out)).is_empty(), "{v}");
    }
    assert_eq!(
        shown(|out| range_float(2.5, Some(0.5), Some(2.25), false, &p, out)),
        "F: must be between 0.5 and 2.25, but is 2.5"
    );
}

#[test]
fn nan_is_outside_every_range() {
    let p = Path::Root.field("F");
    assert_eq!(
        shown(|out| range_float(f64::NAN, Some(0.0), Some(1.0), false, &p, out)),
        "F: must be between 0 and 1, but is NaN"
    );
    assert_eq!(violations(|out| range_float(f64::NAN, None, Some(1.0), false, &p, out)).len(), 1);
    assert_eq!(violations(|out| range_float(f64::NAN, None, None, false, &p, out)).len(), 1);
}

#[test]
fn infinities_are_checked_against_the_bounds() {
    let p = Path::Root.field("F");
    assert_eq!(violations(|out| range_float(f64::INFINITY, None, Some(1e300), false, &p, out)).len(), 1);
    assert_eq!(violations(|out| range_float(f64::NEG_INFINITY, Some(-1e300), None, false, &p, out)).len(), 1);
    assert!(violations(|out| range_float(f64::INFINITY, Some(0.0), None, false, &p, out)).is_empty());
}

#[test]
fn range_float_of_a_sensitive_member_hides_the_value() {
    let p = Path::Root.field("Secret");
    let text = shown(|out| range_float(123.456, None, Some(1.0), true, &p, out));
    assert_eq!(text, "Secret: must be at most 1 (the sensitive value is not shown)");
    assert!(!text.contains("123"));
}

// ---------------------------------------------------------------------------------------------------------------
// Pattern and pattern

static LOWER: Pattern = Pattern::new("^[a-z]+$", &[(automaton::LOWER, true)], None);

#[test]
fn a_pattern_matches_what_its_regex_matches() {
    assert!(LOWER.is_match("abc"));
    assert!(!LOWER.is_match("abC"));
    assert!(!LOWER.is_match(""));
    assert_eq!(LOWER.source(), "^[a-z]+$");
}

#[test]
fn an_unanchored_pattern_matches_anywhere() {
    static DIGIT: Pattern = Pattern::new("[0-9]", &[(automaton::DIGIT, true)], None);
    assert!(DIGIT.is_match("ab1cd"));
    assert!(!DIGIT.is_match("abcd"));
}

#[test]
fn a_negative_check_must_not_match() {
    static NOT_ADMIN: Pattern =
        Pattern::new("^(?!admin)[a-z]+$", &[(automaton::LOWER, true), (automaton::ADMIN_PREFIX, false)], None);
    assert!(NOT_ADMIN.is_match("alice"));
    assert!(!NOT_ADMIN.is_match("administrator"));
    assert!(!NOT_ADMIN.is_match("Alice"));
}

#[test]
fn character_bounds_count_code_points() {
    static TWO_TO_FOUR: Pattern = Pattern::new("^.{2,4}$", &[], Some((2, Some(4))));
    assert!(!TWO_TO_FOUR.is_match("a"));
    assert!(TWO_TO_FOUR.is_match("éé"));
    assert!(TWO_TO_FOUR.is_match("😀😀😀😀"));
    assert!(!TWO_TO_FOUR.is_match("abcde"));
    static AT_LEAST_ONE: Pattern = Pattern::new("^.+$", &[], Some((1, None)));
    assert!(AT_LEAST_ONE.is_match(&"x".repeat(10_000)));
    assert!(!AT_LEAST_ONE.is_match(""));
}

#[test]
fn character_bounds_and_checks_must_both_pass() {
    static SHORT_LOWER: Pattern =
        Pattern::new("^[a-z]{1,3}$", &[(automaton::LOWER_OR_EMPTY, true)], Some((1, Some(3))));
    assert!(SHORT_LOWER.is_match("abc"));
    assert!(!SHORT_LOWER.is_match("abcd"));
    assert!(!SHORT_LOWER.is_match("AB"));
}

#[test]
fn pattern_debug_shows_the_source() {
    assert_eq!(format!("{LOWER:?}"), r#"Pattern { source: "^[a-z]+$" }"#);
}

#[test]
fn pattern_check_records_the_value_and_the_pattern() {
    let p = Path::Root.field("Name");
    assert!(violations(|out| pattern("abc", &LOWER, false, &p, out)).is_empty());
    let v = violations(|out| pattern("ABC", &LOWER, false, &p, out));
    assert_eq!(v[0].constraint(), &Constraint::Pattern { pattern: "^[a-z]+$", value: Some("ABC".into()) });
    assert_eq!(v[0].to_string(), r#"Name: "ABC" does not match the pattern ^[a-z]+$"#);
}

#[test]
fn pattern_of_a_sensitive_member_hides_the_value() {
    let p = Path::Root.field("Password");
    let text = shown(|out| pattern("Hunter2!", &LOWER, true, &p, out));
    assert_eq!(text, "Password: does not match the pattern ^[a-z]+$ (the sensitive value is not shown)");
    assert!(!text.contains("Hunter2"));
}

#[test]
fn long_values_are_shortened_to_80_characters() {
    let p = Path::Root.field("Name");
    let long = "É".repeat(100);
    let v = violations(|out| pattern(&long, &LOWER, false, &p, out));
    let Constraint::Pattern { value: Some(value), .. } = v[0].constraint() else { panic!("{v:?}") };
    assert_eq!(value, &format!("{}…", "É".repeat(80)));
    let exact = "É".repeat(80);
    let v = violations(|out| pattern(&exact, &LOWER, false, &p, out));
    assert!(matches!(v[0].constraint(), Constraint::Pattern { value: Some(v), .. } if *v == exact));
}

// ---------------------------------------------------------------------------------------------------------------
// unique_hash and unique_by

#[test]
fn unique_items_pass() {
    let p = Path::Root.field("L");
    assert!(violations(|out| unique_hash(&["a", "b", "c"], &p, out)).is_empty());
    assert!(violations(|out| unique_hash::<u8>(&[], &p, out)).is_empty());
    assert!(violations(|out| unique_hash(&[1], &p, out)).is_empty());
}

#[test]
fn the_first_duplicate_is_reported_once() {
    let p = Path::Root.field("L");
    let v = violations(|out| unique_hash(&["a", "b", "b", "a", "a"], &p, out));
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].constraint(), &Constraint::UniqueItems { first: 1, duplicate: 2 });
    assert_eq!(v[0].to_string(), "L: items must be unique, but item 2 repeats item 1");
}

#[test]
fn a_duplicate_of_an_earlier_item_names_that_item() {
    let p = Path::Root.field("L");
    let v = violations(|out| unique_hash(&[7, 8, 9, 7], &p, out));
    assert_eq!(v[0].constraint(), &Constraint::UniqueItems { first: 0, duplicate: 3 });
}

struct Item {
    name: &'static str,
    size: u32,
}

#[test]
fn unique_by_compares_items_by_their_key() {
    let p = Path::Root.field("L");
    let key = |i: &Item| format!("{}/{}", i.name, i.size);
    let distinct = [Item { name: "a", size: 1 }, Item { name: "a", size: 2 }];
    assert!(violations(|out| unique_by(&distinct, key, &p, out)).is_empty());
    let repeated = [Item { name: "a", size: 1 }, Item { name: "b", size: 1 }, Item { name: "a", size: 1 }];
    let v = violations(|out| unique_by(&repeated, key, &p, out));
    assert_eq!(v[0].constraint(), &Constraint::UniqueItems { first: 0, duplicate: 2 });
    assert!(violations(|out| unique_by(&repeated[..1], |_| unreachable!("one item needs no key"), &p, out)).is_empty());
}

#[test]
fn unique_by_the_canonical_json_form_finds_equal_maps_and_documents() {
    use aws_smithy_types::{Document, Number};
    let p = Path::Root.field("Maps");
    let a: HashMap<String, u32> = (0..32).map(|i| (format!("key{i}"), i)).collect();
    let b: HashMap<String, u32> = (0..32).rev().map(|i| (format!("key{i}"), i)).collect();
    assert_eq!(a, b);
    let form = |m: &HashMap<String, u32>| {
        crate::aws_json::canonical(|w| crate::aws_json::write::map(w, m, crate::aws_json::write::integer))
    };
    let v = violations(|out| unique_by(&[a, b], form, &p, out));
    assert_eq!(v.len(), 1, "equal maps were not reported as duplicates");

    let doc = |pairs: &[(&str, i64)]| {
        Document::Object(pairs.iter().map(|(k, v)| (k.to_string(), Document::Number(Number::NegInt(*v)))).collect())
    };
    let docs = [doc(&[("a", 1), ("b", 2)]), doc(&[("b", 2), ("a", 1)]), doc(&[("a", 2)])];
    let form = |d: &Document| crate::aws_json::canonical(|w| crate::aws_json::write::document(w, d));
    let v = violations(|out| unique_by(&docs, form, &p, out));
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].constraint(), &Constraint::UniqueItems { first: 0, duplicate: 1 });
}

// ---------------------------------------------------------------------------------------------------------------
// text, texts and present: a string member's checks in one call

const NAME_RULE: Text = Text { required: true, min: Some(2), max: Some(4), pattern: Some(&LOWER), sensitive: false };

#[test]
fn text_reports_a_missing_required_member_at_its_path_and_ignores_a_missing_optional_one() {
    let root = Path::Root;
    let v = violations(|out| text(None, "Name", &NAME_RULE, &root, out));
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].path(), "Name");
    assert_eq!(v[0].constraint(), &Constraint::Required);
    let optional = Text { required: false, ..NAME_RULE };
    assert!(violations(|out| text(None, "Name", &optional, &root, out)).is_empty());
}

#[test]
fn text_checks_the_length_then_the_pattern_only_when_the_length_holds() {
    let root = Path::Root;
    let outer = root.field("Outer");
    assert!(violations(|out| text(Some("abc"), "Name", &NAME_RULE, &outer, out)).is_empty());
    // Too long and not lowercase: only the length is reported, as `length_str` then `pattern` report it.
    let v = violations(|out| text(Some("ABCDEF"), "Name", &NAME_RULE, &outer, out));
    let by_hand = violations(|out| length_str("ABCDEF", Some(2), Some(4), &outer.field("Name"), out));
    assert_eq!(v, by_hand);
    assert_eq!(v[0].path(), "Outer.Name");
    assert!(matches!(v[0].constraint(), Constraint::Length { actual: 6, unit: "characters", .. }));
    // Within the length, the pattern is checked.
    let v = violations(|out| text(Some("ABC"), "Name", &NAME_RULE, &outer, out));
    assert_eq!(v[0].constraint(), &Constraint::Pattern { pattern: "^[a-z]+$", value: Some("ABC".into()) });
    // Without a length, the pattern alone; without either, nothing.
    let pattern_only = Text { min: None, max: None, ..NAME_RULE };
    assert_eq!(violations(|out| text(Some("ABCDEFGH"), "Name", &pattern_only, &root, out)).len(), 1);
    let nothing = Text { pattern: None, ..pattern_only };
    assert!(violations(|out| text(Some("ABCDEFGH"), "Name", &nothing, &root, out)).is_empty());
}

#[test]
fn text_of_a_sensitive_member_hides_the_value() {
    let secret = Text { sensitive: true, ..NAME_RULE };
    let shown_text = shown(|out| text(Some("ABC"), "Password", &secret, &Path::Root, out));
    assert!(!shown_text.contains("ABC"), "{shown_text}");
}

#[test]
fn texts_checks_each_item_at_its_index() {
    let items = vec!["abc".to_owned(), "A".to_owned(), "xyz".to_owned(), "XYZ".to_owned()];
    let root = Path::Root;
    let list = root.field("Names");
    let v = violations(|out| texts(&items, &NAME_RULE, &list, out));
    let paths: Vec<&str> = v.iter().map(Violation::path).collect();
    assert_eq!(paths, ["Names[1]", "Names[3]"]);
    assert!(matches!(v[0].constraint(), Constraint::Length { actual: 1, .. }));
    assert!(matches!(v[1].constraint(), Constraint::Pattern { .. }));
}

#[test]
fn present_reports_only_an_absent_member() {
    let root = Path::Root;
    assert!(violations(|out| present(true, "Count", &root, out)).is_empty());
    let v = violations(|out| present(false, "Count", &root.field("Config"), out));
    assert_eq!((v[0].path(), v[0].constraint()), ("Config.Count", &Constraint::Required));
}

//! Behaviour of the `shapes` fixture crate: copied into it as `tests/behaviour.rs` and run by
//! `tests/tests/fixture_crates.rs`.

use fixture_shapes::operation::put_everything::{PutEverythingInput, PutEverythingOutput};
use fixture_shapes::primitives::{Blob, DateTime};
use fixture_shapes::types::{Choice, Color, Level, Nested};
use serde_json::json;

#[test]
fn wire_names_and_absent_members() {
    let input = PutEverythingInput::builder()
        .text("hello")
        .count(3)
        .names("a")
        .names("b")
        .labels("k", "v".to_string())
        .color(Color::DarkBlue)
        .level(Level::High)
        .when(DateTime::from_secs_f64(1.5))
        .bytes(Blob::new(b"hi!".to_vec()))
        .build()
        .unwrap();
    let v = serde_json::to_value(&input).unwrap();
    assert_eq!(
        v,
        json!({
            "Text": "hello", "Count": 3, "Names": ["a", "b"], "Labels": {"k": "v"},
            "Color": "dark-blue", "Level": 10, "When": 1.5, "Bytes": "aGkh"
        })
    );
    assert_eq!(input.names(), ["a", "b"]);
    assert_eq!(input.flag(), None);
}

#[test]
fn unknown_enum_values_round_trip() {
    let c: Color = serde_json::from_value(json!("ultraviolet")).unwrap();
    assert_eq!(c.as_str(), "ultraviolet");
    assert!(!Color::values().contains(&c.as_str()));
    assert_eq!(serde_json::to_value(&c).unwrap(), json!("ultraviolet"));
    assert_eq!(Color::from("red"), Color::Red);
    assert_eq!("dark-blue".parse::<Color>().unwrap(), Color::DarkBlue);
    assert_eq!(Color::from("ultraviolet"), c, "users can build unknown values");

    let l: Level = serde_json::from_value(json!(7)).unwrap();
    assert_eq!(l.as_i32(), 7);
    assert_eq!(serde_json::to_value(&l).unwrap(), json!(7));
    assert_eq!(Level::from(1), Level::Low);
}

#[test]
fn unions_round_trip_and_keep_unknown_members() {
    let cases = [
        (Choice::Text("t".into()), json!({"Text": "t"})),
        (Choice::Number(4), json!({"Number": 4})),
        (Choice::Nothing, json!({"Nothing": {}})),
        (Choice::Nested(Nested::builder().inner("x").build()), json!({"Nested": {"Inner": "x"}})),
    ];
    for (value, wire) in cases {
        assert_eq!(serde_json::to_value(&value).unwrap(), wire);
        assert_eq!(serde_json::from_value::<Choice>(wire).unwrap(), value);
    }
    let u: Choice = serde_json::from_value(json!({"Future": 1, "Text": null})).unwrap();
    assert!(u.is_unknown());
    assert!(serde_json::to_value(&u).is_err(), "an unknown member cannot be sent");
    assert!(serde_json::from_value::<Choice>(json!({"Text": "a", "Number": 1})).is_err());
    assert!(serde_json::from_value::<Choice>(json!({})).is_err());
    assert_eq!(Choice::Number(4).as_number(), Ok(&4));
    assert!(Choice::Nothing.is_nothing());
}

#[test]
fn defaults_and_required_members_of_outputs() {
    // Missing defaulted members take their model defaults; a missing required structure is an error.
    let out: PutEverythingOutput = serde_json::from_value(json!({"Id": "1", "Nested": {}})).unwrap();
    assert_eq!(out.retries(), 3);
    assert!(!out.enabled());
    assert_eq!(out.mode(), &Color::Red);
    assert!(out.tags().is_empty());
    assert_eq!(out.maybe(), None, "clientOptional keeps a required member optional");
    assert!(serde_json::from_value::<PutEverythingOutput>(json!({"Id": "1"})).is_err());
    // Client error correction: a missing required string decodes as empty.
    let out: PutEverythingOutput = serde_json::from_value(json!({"Nested": {}})).unwrap();
    assert_eq!(out.id(), "");

    let err = PutEverythingOutput::builder().id("x").build().unwrap_err();
    assert_eq!(err.to_string(), "nested was missing: `nested` is required to build `PutEverythingOutput`");
    let ok = PutEverythingOutput::builder().id("x").nested(Nested::builder().build()).build().unwrap();
    assert_eq!(ok.retries(), 3);
    assert_eq!(ok.mode(), &Color::Red);
}

#[test]
fn sensitive_members_are_redacted_in_debug() {
    let input = PutEverythingInput::builder().secret("hunter2").text("visible").build().unwrap();
    let shown = format!("{input:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("visible"), "{shown}");
    let builder = PutEverythingInput::builder().secret("hunter2");
    assert!(!format!("{builder:?}").contains("hunter2"));
}

#[test]
fn timestamps_accept_integers_and_fractions() {
    for (wire, secs, nanos) in [(json!(1700000000), 1_700_000_000, 0), (json!(1700000000.125), 1_700_000_000, 125_000_000)] {
        let input: PutEverythingInput = serde_json::from_value(json!({"Text": "t", "When": wire})).unwrap();
        let when = input.when().unwrap();
        assert_eq!((when.secs(), when.subsec_nanos()), (secs, nanos));
    }
}

#[test]
fn errors_display_code_and_message() {
    use fixture_shapes::types::error::Broken;
    let e: Broken = serde_json::from_value(json!({"Message": "boom"})).unwrap();
    assert_eq!(e.to_string(), "Broken: boom");
    assert_eq!(Broken::CODE, "Broken");
    assert_eq!(Broken::FAULT, "server");
    let _: &dyn std::error::Error = &e;
}

#[test]
fn unit_operations_have_empty_input_and_output() {
    use fixture_shapes::operation::ping::{PingInput, PingOutput};
    assert_eq!(serde_json::to_value(PingInput::builder().build().unwrap()).unwrap(), json!({}));
    let _: PingOutput = serde_json::from_value(json!({"Ignored": 1})).unwrap();
}

#[test]
fn validation_collects_every_violation_with_its_path() {
    let input = PutEverythingInput::builder()
        .count(0)
        .names("ok")
        .names("ok")
        .names("BAD")
        .names("toolongname")
        .names("a")
        .names("b")
        .labels("K", "v")
        .choice(Choice::Nested(Nested::builder().inner("UPPER").build()))
        .build()
        .unwrap();
    let err = input.validate().unwrap_err();
    let found: Vec<String> = err.violations().iter().map(|v| v.to_string()).collect();
    assert_eq!(
        found,
        [
            "Choice.Nested.Inner: \"UPPER\" does not match the pattern ^[a-z]+$",
            "Count: must be between 1 and 10, but is 0",
            "Labels[\"K\"]: \"K\" does not match the pattern ^[a-z]+$",
            "Names: length must be at most 5 items, but is 6",
            "Names: items must be unique, but item 1 repeats item 0",
            "Names[2]: \"BAD\" does not match the pattern ^[a-z]+$",
            "Names[3]: length must be between 1 and 8 characters, but is 11",
            "Text: is required but was not set",
        ]
    );
    assert!(err.to_string().starts_with("8 invalid values in PutEverythingInput:\n  - Choice.Nested.Inner"), "{err}");
    let ok = PutEverythingInput::builder().text("t").count(10).names("abc").build().unwrap();
    assert_eq!(ok.validate(), Ok(()));
}

//! Behaviour of the `shapes` fixture crate: copied into it as `tests/behaviour.rs` and run by
//! `tests/tests/fixture_crates.rs`.

use fixture_shapes as fixture;

mod support;

use fixture::error::SdkError;
use fixture::operation::put_everything::{PutEverythingError, PutEverythingInput, PutEverythingOutput};
use fixture::primitives::{Blob, DateTime};
use fixture::types::{Choice, Color, Level, Nested};
use serde_json::{json, Value};
use support::{run, Wire};

/// The body the client sends for `input`.
fn sent(input: PutEverythingInput) -> Result<Value, String> {
    let wire = Wire::answering(200, r#"{"Id": "1", "Nested": {}}"#);
    run(input.send_with(&wire.client())).map_err(|e| format!("{e:?}"))?;
    Ok(wire.sent().remove(0))
}

/// The output the client reads from `body`.
#[allow(clippy::result_large_err)] // `SdkError` carries the raw response, as aws-sdk-rust's does.
fn received(status: u16, body: &str) -> Result<PutEverythingOutput, SdkError<PutEverythingError>> {
    let wire = Wire::answering(status, body);
    run(PutEverythingInput::builder().text("t").token("t").send_with(&wire.client()))
}

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
        .token("tok")
        .build().unwrap();
    assert_eq!(
        sent(input.clone()).unwrap(),
        json!({
            "Text": "hello", "Count": 3, "Names": ["a", "b"], "Labels": {"k": "v"},
            "Color": "dark-blue", "Level": 10, "When": 1.5, "Bytes": "aGkh", "Token": "tok"
        })
    );
    assert_eq!(input.names(), ["a", "b"]);
    assert_eq!(input.flag(), None);
}

#[test]
fn every_simple_type_is_written() {
    let input = PutEverythingInput::builder()
        .token("t")
        .flag(false)
        .tiny(-8i8)
        .small(300i16)
        .big(9_007_199_254_740_993i64)
        .ratio(0.1f32)
        .precise(f64::NAN)
        .huge(i128::MAX)
        .decimal(f64::NEG_INFINITY)
        .anything(fixture::primitives::Document::Array(vec![fixture::primitives::Document::Null]))
        .nested(Nested::builder().build())
        .build().unwrap();
    let text = {
        let wire = Wire::answering(200, r#"{"Id": "1", "Nested": {}}"#);
        run(input.send_with(&wire.client())).unwrap();
        wire.sent_text().remove(0)
    };
    assert_eq!(
        text,
        concat!(
            r#"{"Anything":[null],"Big":9007199254740993,"Decimal":"-Infinity","Flag":false,"#,
            r#""Huge":170141183460469231731687303715884105727,"Nested":{},"Precise":"NaN","Ratio":0.1,"Small":300,"#,
            r#""Tiny":-8,"Token":"t"}"#
        )
    );
}

#[test]
fn unknown_enum_values_round_trip() {
    let out = received(200, r#"{"Id": "1", "Nested": {}, "Mode": "ultraviolet"}"#).unwrap();
    let c = out.mode().clone();
    assert_eq!(c.as_str(), "ultraviolet");
    assert!(!Color::values().contains(&c.as_str()));
    let body = sent(PutEverythingInput::builder().token("t").color(c.clone()).level(Level::from(7)).build().unwrap());
    assert_eq!(body.unwrap(), json!({"Color": "ultraviolet", "Level": 7, "Token": "t"}));
    assert_eq!(Color::from("red"), Color::Red);
    assert_eq!("dark-blue".parse::<Color>().unwrap(), Color::DarkBlue);
    assert_eq!(Color::from("ultraviolet"), c, "users can build unknown values");
    assert_eq!(Level::from(7).as_i32(), 7);
    assert_eq!(Level::from(1), Level::Low);
}

#[test]
fn unions_are_written_with_their_one_member_and_unknown_ones_are_not_sent() {
    let cases = [
        (Choice::Text("t".into()), json!({"Text": "t"})),
        (Choice::Number(4), json!({"Number": 4})),
        (Choice::Nothing, json!({"Nothing": {}})),
        (Choice::Nested(Nested::builder().inner("x").build()), json!({"Nested": {"Inner": "x"}})),
    ];
    for (value, wire) in cases {
        let body = sent(PutEverythingInput::builder().token("t").choice(value).build().unwrap()).unwrap();
        assert_eq!(body["Choice"], wire);
    }
    let err = sent(PutEverythingInput::builder().token("t").choice(Choice::Unknown).build().unwrap()).unwrap_err();
    assert!(err.contains("cannot send a union member this version of the crate does not know (at $.Choice)"), "{err}");
    assert_eq!(Choice::Number(4).as_number(), Ok(&4));
    assert!(Choice::Nothing.is_nothing());
}

#[test]
fn defaults_and_required_members_of_outputs() {
    // Missing defaulted members take their model defaults.
    let out = received(200, r#"{"Id": "1", "Nested": {}}"#).unwrap();
    assert_eq!(out.retries(), 3);
    assert!(!out.enabled());
    assert_eq!(out.mode(), &Color::Red);
    assert!(out.tags().is_empty());
    assert_eq!(out.maybe(), None, "clientOptional keeps a required member optional");
    // Client error correction: missing required members decode as zero values, an empty structure included.
    let out = received(200, "{}").unwrap();
    assert_eq!(out.id(), "");
    assert_eq!(out.nested(), &Nested::builder().build());
    // An empty body is an output with no members.
    assert_eq!(received(200, "").unwrap().id(), "");
    // The wrong kind of value is an error naming the operation, the response and the value at fault.
    let err = received(200, r#"{"Id": 1}"#).unwrap_err();
    let shown = fixture::error::DisplayErrorContext(&err).to_string();
    assert!(
        shown.starts_with(
            r#"response error: cannot decode the PutEverything response (HTTP 200, no content-type, body "{\"Id\": 1}"): expected a string, found a number (at $.Id)"#
        ),
        "{shown}"
    );

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
fn timestamps_are_sent_as_epoch_seconds_with_a_fraction_when_needed() {
    for (when, wire) in [
        (DateTime::from_secs(1_700_000_000), json!(1700000000)),
        (DateTime::from_secs_and_nanos(1_700_000_000, 125_000_000), json!(1700000000.125)),
    ] {
        let body = sent(PutEverythingInput::builder().token("t").when(when).build().unwrap()).unwrap();
        assert_eq!(body["When"], wire);
    }
}

#[test]
fn errors_display_code_and_message() {
    use fixture::types::error::Broken;
    let err = received(500, r#"{"__type": "Broken", "Message": "boom"}"#).unwrap_err();
    let SdkError::ServiceError(e) = err else { panic!("{err:?}") };
    let PutEverythingError::Broken(e) = e.into_err() else { panic!("another error") };
    assert_eq!(e.to_string(), "Broken: boom");
    // The message arrives under whichever capitalization the service uses.
    let err = received(500, r#"{"__type": "Broken", "message": "lower"}"#).unwrap_err();
    let SdkError::ServiceError(e) = err else { panic!("{err:?}") };
    let PutEverythingError::Broken(e) = e.into_err() else { panic!("another error") };
    assert_eq!(e.message(), Some("lower"));
    assert_eq!(Broken::CODE, "Broken");
    assert_eq!(Broken::FAULT, "server");
    let _: &dyn std::error::Error = &e;
}

#[test]
fn unit_operations_have_empty_input_and_output() {
    use fixture::operation::ping::PingInput;
    let wire = Wire::answering(200, r#"{"Ignored": 1}"#);
    run(PingInput::builder().send_with(&wire.client())).unwrap();
    assert_eq!(wire.sent_text(), ["{}"]);
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

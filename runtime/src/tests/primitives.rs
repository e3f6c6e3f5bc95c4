//! Tests of `primitives`.

use std::time::SystemTime;

use crate::primitives::*;

#[test]
fn date_time_wire_forms() {
    let t: DateTime = serde_json::from_str("1700000000").unwrap();
    assert_eq!(t, DateTime::from_secs(1_700_000_000));
    assert_eq!(serde_json::to_string(&t).unwrap(), "1700000000");
    let t: DateTime = serde_json::from_str("1700000000.25").unwrap();
    assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 250_000_000));
    assert_eq!(serde_json::to_string(&t).unwrap(), "1700000000.25");
    let t: DateTime = serde_json::from_str("-1.5").unwrap();
    assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
    assert!(serde_json::from_str::<DateTime>("\"soon\"").is_err());
}

#[test]
fn date_time_system_time_round_trip() {
    for t in [DateTime::from_secs_and_nanos(5, 7), DateTime::from_secs_f64(-3.25), DateTime::from_secs(0)] {
        assert_eq!(DateTime::from(SystemTime::from(t)), t);
    }
}

#[test]
fn blob_is_base64() {
    let b = Blob::new(b"hi!".to_vec());
    assert_eq!(serde_json::to_string(&b).unwrap(), "\"aGkh\"");
    assert_eq!(serde_json::from_str::<Blob>("\"aGkh\"").unwrap(), b);
    assert!(serde_json::from_str::<Blob>("\"!!\"").is_err());
}

#[test]
fn nanos_above_one_second_carry_into_seconds() {
    let t = DateTime::from_secs_and_nanos(5, 2_250_000_000);
    assert_eq!((t.secs(), t.subsec_nanos()), (7, 250_000_000));
}

#[test]
fn fractional_seconds_round_to_the_microsecond() {
    let t = DateTime::from_secs_f64(1.000_000_4);
    assert_eq!((t.secs(), t.subsec_nanos()), (1, 0));
    let t = DateTime::from_secs_f64(1.000_000_6);
    assert_eq!((t.secs(), t.subsec_nanos()), (1, 1_000));
    let t = DateTime::from_secs_f64(-0.25);
    assert_eq!((t.secs(), t.subsec_nanos()), (-1, 750_000_000));
}

#[test]
fn non_finite_seconds_give_the_epoch() {
    for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(DateTime::from_secs_f64(f), DateTime::from_secs(0), "{f}");
    }
}

#[test]
fn as_secs_f64_adds_the_fraction() {
    assert_eq!(DateTime::from_secs_and_nanos(10, 500_000_000).as_secs_f64(), 10.5);
    assert_eq!(DateTime::from_secs_f64(-1.5).as_secs_f64(), -1.5);
}

#[test]
fn display_is_seconds_with_a_trimmed_fraction() {
    assert_eq!(DateTime::from_secs(1_700_000_000).to_string(), "1700000000");
    assert_eq!(DateTime::from_secs_and_nanos(3, 120_000_000).to_string(), "3.12");
    assert_eq!(DateTime::from_secs_and_nanos(3, 1).to_string(), "3.000000001");
    assert_eq!(DateTime::from_secs(-3).to_string(), "-3");
}

#[test]
fn display_of_a_negative_time_with_a_fraction() {
    let t = DateTime::from_secs_f64(-1.5);
    assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
    assert_eq!(t.to_string(), "-1.5");
    assert_eq!(DateTime::from_secs_f64(-0.25).to_string(), "-0.25");
}

#[test]
fn serialize_negative_fractions_as_their_value() {
    assert_eq!(serde_json::to_string(&DateTime::from_secs_f64(-1.5)).unwrap(), "-1.5");
}

#[test]
fn timestamps_beyond_i64_are_rejected() {
    assert!(serde_json::from_str::<DateTime>("18446744073709551615").is_err());
    assert_eq!(serde_json::from_str::<DateTime>("9223372036854775807").unwrap().secs(), i64::MAX);
}

#[test]
fn date_times_order_by_time() {
    let mut v = [DateTime::from_secs_f64(1.5), DateTime::from_secs_f64(-0.5), DateTime::from_secs(1)];
    v.sort();
    assert_eq!(v.map(|t| t.as_secs_f64()), [-0.5, 1.0, 1.5]);
}

#[test]
fn system_times_before_the_epoch_convert() {
    let t = SystemTime::UNIX_EPOCH - std::time::Duration::from_millis(1500);
    let d = DateTime::from(t);
    assert_eq!((d.secs(), d.subsec_nanos()), (-2, 500_000_000));
    assert_eq!(SystemTime::from(d), t);
    let whole = SystemTime::UNIX_EPOCH - std::time::Duration::from_secs(7);
    assert_eq!(DateTime::from(whole), DateTime::from_secs(-7));
}

#[test]
fn blob_debug_shows_the_length_not_the_bytes() {
    let b = Blob::from(&b"secret bytes"[..]);
    assert_eq!(format!("{b:?}"), "Blob(12 bytes)");
    assert_eq!(b.as_ref(), b"secret bytes");
    assert_eq!(b.as_bytes(), b"secret bytes");
    assert_eq!(Blob::from(vec![1, 2]).into_inner(), [1, 2]);
}

#[test]
fn empty_blob_is_an_empty_string() {
    assert_eq!(serde_json::to_string(&Blob::default()).unwrap(), "\"\"");
    assert_eq!(serde_json::from_str::<Blob>("\"\"").unwrap(), Blob::default());
    assert!(serde_json::from_str::<Blob>("[1,2]").is_err());
}

#[test]
fn unknown_enum_values_keep_what_was_received() {
    assert_eq!(UnknownVariantValue::new("NEW_STATE").as_str(), "NEW_STATE");
    assert_eq!(UnknownIntVariantValue::new(42).value(), 42);
}

#[test]
fn unit_serializes_as_an_empty_object() {
    assert_eq!(serde_json::to_string(&Unit {}).unwrap(), "{}");
}

fn read_union(json: &str) -> Result<(String, serde_json::Value), serde_json::Error> {
    union_entry(&mut serde_json::Deserializer::from_str(json))
}

#[test]
fn a_union_is_its_one_non_null_member() {
    let (name, value) = read_union(r#"{"__type":"ns#U","a":null,"b":{"x":1}}"#).unwrap();
    assert_eq!(name, "b");
    assert_eq!(value, serde_json::json!({"x": 1}));
    let decoded: std::collections::BTreeMap<String, i32> = union_value(value).unwrap();
    assert_eq!(decoded["x"], 1);
}

#[test]
fn a_union_with_no_member_or_two_members_is_an_error() {
    assert!(read_union(r#"{"a":null}"#).unwrap_err().to_string().contains("no member"));
    let err = read_union(r#"{"a":1,"b":2}"#).unwrap_err().to_string();
    assert!(err.contains("`a` and `b`"), "{err}");
    assert!(read_union("[1]").is_err());
}

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

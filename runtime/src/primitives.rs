//! Value types that the model's simple shapes map to, and the small pieces of serde support that every generated
//! type shares. This module is written once by the generator, not per shape.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A free-form JSON value (a Smithy `document`).
pub type Document = serde_json::Value;

/// A point in time with nanosecond precision. On the wire (awsJson) it is a number of seconds since the Unix epoch,
/// with a fraction when needed; both integers and fractions decode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    seconds: i64,
    /// Always in `0..1_000_000_000`.
    nanos: u32,
}

impl DateTime {
    /// A time from whole seconds since the Unix epoch.
    pub const fn from_secs(seconds: i64) -> Self {
        DateTime { seconds, nanos: 0 }
    }

    /// A time from seconds and a sub-second part; `nanos` above one second carries into `seconds`.
    pub const fn from_secs_and_nanos(seconds: i64, nanos: u32) -> Self {
        DateTime { seconds: seconds + (nanos / 1_000_000_000) as i64, nanos: nanos % 1_000_000_000 }
    }

    /// A time from fractional seconds since the Unix epoch, rounded to the nearest microsecond (the precision an
    /// `f64` keeps for present-day times). Non-finite input gives the epoch.
    pub fn from_secs_f64(seconds: f64) -> Self {
        if !seconds.is_finite() {
            return DateTime::default();
        }
        let micros = (seconds * 1_000_000.0).round();
        let micros = micros.clamp(i64::MIN as f64, i64::MAX as f64) as i64;
        DateTime { seconds: micros.div_euclid(1_000_000), nanos: (micros.rem_euclid(1_000_000) * 1_000) as u32 }
    }

    /// Whole seconds since the Unix epoch (rounded down).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// The sub-second part in nanoseconds.
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the Unix epoch as a float.
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.nanos) / 1e9
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime::from_secs_and_nanos(d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let (s, n) = (d.as_secs() as i64, d.subsec_nanos());
                if n == 0 {
                    DateTime::from_secs(-s)
                } else {
                    DateTime { seconds: -s - 1, nanos: 1_000_000_000 - n }
                }
            }
        }
    }
}

impl From<DateTime> for SystemTime {
    fn from(t: DateTime) -> Self {
        if t.seconds >= 0 {
            UNIX_EPOCH + Duration::new(t.seconds as u64, t.nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(t.seconds.unsigned_abs()) + Duration::from_nanos(u64::from(t.nanos))
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos == 0 {
            return write!(f, "{}", self.seconds);
        }
        // Seconds are floored, so a negative time with a fraction is `seconds + 1` and `1 - fraction` away from zero.
        let (sign, whole, nanos) = if self.seconds < 0 {
            ("-", (i128::from(self.seconds) + 1).unsigned_abs(), 1_000_000_000 - self.nanos)
        } else {
            ("", i128::from(self.seconds).unsigned_abs(), self.nanos)
        };
        let frac = format!("{nanos:09}");
        write!(f, "{sign}{whole}.{}", frac.trim_end_matches('0'))
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.nanos == 0 {
            serializer.serialize_i64(self.seconds)
        } else {
            serializer.serialize_f64(self.as_secs_f64())
        }
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Secs;
        impl Visitor<'_> for Secs {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of seconds since the Unix epoch")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v).map(DateTime::from_secs).map_err(|_| E::custom("timestamp out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                if v.is_finite() {
                    Ok(DateTime::from_secs_f64(v))
                } else {
                    Err(E::custom("timestamp is not a finite number"))
                }
            }
        }
        deserializer.deserialize_any(Secs)
    }
}

/// Binary data; base64 on the wire.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wrap bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// Decode standard base64.
    pub fn from_base64(text: &str) -> Result<Self, base64::DecodeError> {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.decode(text).map(Blob)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Take the bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Blob::from_base64(&text).map_err(de::Error::custom)
    }
}

/// A string enum value this version of the crate does not know. It can be read, not matched on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    #[allow(dead_code)] // Used only by models with string enums.
    pub(crate) fn new(value: &str) -> Self {
        UnknownVariantValue(value.to_owned())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An int enum value this version of the crate does not know. It can be read, not matched on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownIntVariantValue(i32);

impl UnknownIntVariantValue {
    #[allow(dead_code)] // Used only by models with int enums.
    pub(crate) fn new(value: i32) -> Self {
        UnknownIntVariantValue(value)
    }

    /// The value as received.
    pub fn value(&self) -> i32 {
        self.0
    }
}

/// The empty JSON object that stands for a `smithy.api#Unit` union member.
#[allow(dead_code)] // Used only by models with unions.
#[derive(Serialize)]
pub(crate) struct Unit {}

#[allow(dead_code)] // Used only by models with unions.
/// Read a union: a JSON object with exactly one member whose value is not `null` (`__type` is ignored).
pub(crate) fn union_entry<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(String, serde_json::Value), D::Error> {
    struct One;
    impl<'de> Visitor<'de> for One {
        type Value = (String, serde_json::Value);
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object with exactly one non-null member")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found: Option<(String, serde_json::Value)> = None;
            while let Some(key) = map.next_key::<String>()? {
                let value: serde_json::Value = map.next_value()?;
                if value.is_null() || key == "__type" {
                    continue;
                }
                if let Some((first, _)) = &found {
                    return Err(de::Error::custom(format!(
                        "union has more than one member set: `{first}` and `{key}`"
                    )));
                }
                found = Some((key, value));
            }
            found.ok_or_else(|| de::Error::custom("union has no member set"))
        }
    }
    deserializer.deserialize_map(One)
}

#[allow(dead_code)] // Used only by models with unions.
/// Decode a union member's value.
pub(crate) fn union_value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(value)
}

//! The awsJson 1.0 and 1.1 protocols: `POST /` with the operation named in `X-Amz-Target`, the input as a JSON
//! object, the output as a JSON object, and errors named by `X-Amzn-ErrorType` or the body's `__type` / `code`.
//!
//! Everything here is specific to the wire format; the attempt loop in `invoke` only sees a [`Protocol`].

use crate::error::ErrorResponse;
use crate::http::Response;
use crate::invoke::{Protocol, UnsignedRequest};

/// An awsJson protocol of one service.
#[derive(Debug)]
pub struct AwsJson {
    /// The `X-Amz-Target` prefix: the service shape's name, e.g. `SageMaker`.
    pub target_prefix: &'static str,
    /// `application/x-amz-json-1.0` or `application/x-amz-json-1.1`.
    pub content_type: &'static str,
    /// `@awsQueryCompatible`: requests say `x-amzn-query-mode: true`, and an `x-amzn-query-error` response header
    /// (`Code;Fault`) gives the error code.
    pub query_compatible: bool,
}

impl Protocol for AwsJson {
    fn request(&self, operation: &str, body: Vec<u8>) -> UnsignedRequest {
        UnsignedRequest {
            method: "POST",
            path: "/",
            headers: [
                Some(("content-type", self.content_type.to_owned())),
                Some(("x-amz-target", format!("{}.{operation}", self.target_prefix))),
                self.query_compatible.then(|| ("x-amzn-query-mode", "true".to_owned())),
            ]
            .into_iter()
            .flatten()
            .collect(),
            body,
        }
    }

    fn error_metadata(&self, response: &Response) -> ErrorResponse {
        let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap_or(serde_json::Value::Null);
        let error_type = error_code(header(response, "x-amzn-errortype"), &body);
        let query_code = header(response, "x-amzn-query-error")
            .filter(|_| self.query_compatible)
            .and_then(|h| h.split(';').next())
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        let (code, error_type) = match query_code {
            Some(code) => (Some(code), error_type),
            None => (error_type, None),
        };
        ErrorResponse {
            status: response.status().as_u16(),
            code,
            error_type,
            message: error_message(&body),
            request_id: header(response, "x-amzn-requestid").map(str::to_owned),
        }
    }
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The JSON body of an input.
pub fn serialize<T: serde::Serialize>(input: &T) -> Result<Vec<u8>, String> {
    serde_json::to_vec(input).map_err(|e| e.to_string())
}

/// Decode a successful response's body; an empty body is an empty object.
pub fn decode_output<O: serde::de::DeserializeOwned>(response: &Response) -> Result<O, String> {
    let body: &[u8] = if response.body().iter().all(u8::is_ascii_whitespace) { b"{}" } else { response.body() };
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

/// The error code of an awsJson error: the `x-amzn-errortype` header, else the body's `__type` or `code`, with any
/// `namespace#` prefix and `:…` suffix removed.
pub fn error_code(header: Option<&str>, body: &serde_json::Value) -> Option<String> {
    let raw = header
        .or_else(|| body.get("__type").and_then(|v| v.as_str()))
        .or_else(|| body.get("code").and_then(|v| v.as_str()))?;
    let raw = raw.split(':').next().unwrap_or(raw);
    let raw = raw.rsplit('#').next().unwrap_or(raw);
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.to_owned())
}

/// The message of an error body: `message`, `Message` or `errorMessage`.
pub fn error_message(body: &serde_json::Value) -> Option<String> {
    ["message", "Message", "errorMessage"].iter().find_map(|k| body.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
}

#[allow(dead_code)] // Used only by models whose operations declare errors.
/// Decode a modeled error's body. The message may arrive as `message` or `Message` whatever the model calls it, so
/// the message already read is put under the member name the error structure uses.
pub fn decode_error<T: serde::de::DeserializeOwned>(
    body: &[u8],
    message_member: Option<&str>,
    meta: &ErrorResponse,
) -> Option<T> {
    let mut value: serde_json::Value = serde_json::from_slice(body).unwrap_or_else(|_| serde_json::json!({}));
    if let (Some(member), Some(message), Some(obj)) = (message_member, meta.message(), value.as_object_mut()) {
        obj.entry(member.to_owned()).or_insert_with(|| serde_json::Value::String(message.to_owned()));
    }
    serde_json::from_value(value).ok()
}

/// How a value is written in JSON when plain serde would get it wrong: floats (`NaN` and the infinities are strings)
/// and timestamps in a format other than epoch seconds. Generated fields name one of the adapter modules below
/// (`#[serde(with = "crate::aws_json::float")]`); collections and options of such values go through the same trait.
pub trait JsonValue: Sized {
    /// The value as JSON.
    fn to_json(&self, format: TimestampFormat) -> serde_json::Value;
    /// The value from JSON; leniently, whatever the format says: numbers and strings both decode.
    fn from_json(value: serde_json::Value, format: TimestampFormat) -> Result<Self, String>;
}

/// The `@timestampFormat`s awsJson allows.
#[allow(dead_code)] // A model uses the formats its members have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Seconds since the epoch, as a number.
    EpochSeconds,
    /// RFC 3339 (`2019-12-16T23:48:18Z`).
    DateTime,
    /// IMF-fixdate (`Mon, 16 Dec 2019 23:48:18 GMT`).
    HttpDate,
}

fn float_json(v: f64) -> serde_json::Value {
    if v.is_nan() {
        serde_json::Value::String("NaN".into())
    } else if v == f64::INFINITY {
        serde_json::Value::String("Infinity".into())
    } else if v == f64::NEG_INFINITY {
        serde_json::Value::String("-Infinity".into())
    } else {
        serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

fn json_float(value: &serde_json::Value) -> Result<f64, String> {
    match value {
        serde_json::Value::Number(n) => n.as_f64().ok_or_else(|| format!("{n} is not a float")),
        serde_json::Value::String(s) if s == "NaN" => Ok(f64::NAN),
        serde_json::Value::String(s) if s == "Infinity" => Ok(f64::INFINITY),
        serde_json::Value::String(s) if s == "-Infinity" => Ok(f64::NEG_INFINITY),
        other => Err(format!("expected a number, found {other}")),
    }
}

impl JsonValue for f64 {
    fn to_json(&self, _: TimestampFormat) -> serde_json::Value {
        float_json(*self)
    }
    fn from_json(value: serde_json::Value, _: TimestampFormat) -> Result<Self, String> {
        json_float(&value)
    }
}

impl JsonValue for f32 {
    fn to_json(&self, _: TimestampFormat) -> serde_json::Value {
        // Through the shortest decimal form of the `f32`, not its `f64` widening, so `0.1f32` is written `0.1`.
        let widened =
            if self.is_finite() { self.to_string().parse().unwrap_or(f64::from(*self)) } else { f64::from(*self) };
        float_json(widened)
    }
    fn from_json(value: serde_json::Value, _: TimestampFormat) -> Result<Self, String> {
        json_float(&value).map(|v| v as f32)
    }
}

impl JsonValue for crate::primitives::DateTime {
    fn to_json(&self, format: TimestampFormat) -> serde_json::Value {
        use aws_smithy_types::date_time::Format;
        let smithy = aws_smithy_types::DateTime::from_secs_and_nanos(self.secs(), self.subsec_nanos());
        let text = match format {
            TimestampFormat::EpochSeconds => return serde_json::to_value(self).unwrap_or(serde_json::Value::Null),
            TimestampFormat::DateTime => smithy.fmt(Format::DateTime),
            TimestampFormat::HttpDate => smithy.fmt(Format::HttpDate),
        };
        text.map_or(serde_json::Value::Null, serde_json::Value::String)
    }
    fn from_json(value: serde_json::Value, _: TimestampFormat) -> Result<Self, String> {
        match value {
            serde_json::Value::String(s) => parse_timestamp(&s),
            other => serde_json::from_value(other).map_err(|e| e.to_string()),
        }
    }
}

/// A timestamp string in either text format awsJson services send: RFC 3339 (with `Z` or a numeric offset) or an
/// HTTP date.
#[allow(dead_code)] // Used only by models with timestamps in a text format.
pub fn parse_timestamp(text: &str) -> Result<crate::primitives::DateTime, String> {
    use aws_smithy_types::date_time::Format;
    let invalid = |e: &dyn std::fmt::Display| format!("invalid timestamp `{text}`: {e}");
    // `…T22:48:18-01:00`: parse the time as UTC, then take the offset away.
    let (utc, offset) = match text.len().checked_sub(6).and_then(|i| text.get(i..).map(|tail| (i, tail))) {
        Some((i, tail))
            if text.contains('T') && (tail.starts_with('+') || tail.starts_with('-')) && &tail[3..4] == ":" =>
        {
            let hours: i64 = tail[1..3].parse().map_err(|e| invalid(&e))?;
            let minutes: i64 = tail[4..6].parse().map_err(|e| invalid(&e))?;
            let sign = if tail.starts_with('-') { -1 } else { 1 };
            (format!("{}Z", &text[..i]), sign * (hours * 3600 + minutes * 60))
        }
        _ => (text.to_owned(), 0),
    };
    aws_smithy_types::DateTime::from_str(&utc, Format::DateTime)
        .or_else(|_| aws_smithy_types::DateTime::from_str(text, Format::HttpDate))
        .map(|t| crate::primitives::DateTime::from_secs_and_nanos(t.secs() - offset, t.subsec_nanos()))
        .map_err(|e| invalid(&e))
}

impl<T: JsonValue> JsonValue for Option<T> {
    fn to_json(&self, format: TimestampFormat) -> serde_json::Value {
        self.as_ref().map_or(serde_json::Value::Null, |v| v.to_json(format))
    }
    fn from_json(value: serde_json::Value, format: TimestampFormat) -> Result<Self, String> {
        match value {
            serde_json::Value::Null => Ok(None),
            v => T::from_json(v, format).map(Some),
        }
    }
}

impl<T: JsonValue> JsonValue for Vec<T> {
    fn to_json(&self, format: TimestampFormat) -> serde_json::Value {
        serde_json::Value::Array(self.iter().map(|v| v.to_json(format)).collect())
    }
    fn from_json(value: serde_json::Value, format: TimestampFormat) -> Result<Self, String> {
        match value {
            serde_json::Value::Array(items) => items.into_iter().map(|v| T::from_json(v, format)).collect(),
            other => Err(format!("expected a list, found {other}")),
        }
    }
}

impl<T: JsonValue> JsonValue for std::collections::HashMap<String, T> {
    fn to_json(&self, format: TimestampFormat) -> serde_json::Value {
        serde_json::Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json(format))).collect())
    }
    fn from_json(value: serde_json::Value, format: TimestampFormat) -> Result<Self, String> {
        match value {
            serde_json::Value::Object(entries) => {
                entries.into_iter().map(|(k, v)| T::from_json(v, format).map(|v| (k, v))).collect()
            }
            other => Err(format!("expected a map, found {other}")),
        }
    }
}

macro_rules! adapter {
    ($(#[$doc:meta])* $name:ident, $format:expr) => {
        $(#[$doc])*
        #[allow(dead_code)] // Each adapter is used only by models with members of its kind.
        pub mod $name {
            use serde::{Deserialize as _, Serialize as _};

            /// Writes the value in this module's format.
            pub fn serialize<T: super::JsonValue, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
                v.to_json($format).serialize(s)
            }

            /// Reads the value, leniently.
            pub fn deserialize<'de, T: super::JsonValue, D: serde::Deserializer<'de>>(d: D) -> Result<T, D::Error> {
                let value = serde_json::Value::deserialize(d)?;
                T::from_json(value, $format).map_err(serde::de::Error::custom)
            }

            /// The value as JSON in this module's format (for union members).
            pub fn to_value<T: super::JsonValue>(v: &T) -> serde_json::Value {
                v.to_json($format)
            }

            /// The value from JSON (for union members).
            pub fn from_value<T: super::JsonValue>(value: serde_json::Value) -> Result<T, serde_json::Error> {
                T::from_json(value, $format).map_err(serde::de::Error::custom)
            }
        }
    };
}

adapter!(
    /// Floats, with `NaN`, `Infinity` and `-Infinity` as strings.
    float,
    super::TimestampFormat::EpochSeconds
);
adapter!(
    /// Timestamps written as RFC 3339 date-times.
    date_time,
    super::TimestampFormat::DateTime
);
adapter!(
    /// Timestamps written as HTTP dates.
    http_date,
    super::TimestampFormat::HttpDate
);

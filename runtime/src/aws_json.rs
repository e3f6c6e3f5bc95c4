//! The awsJson 1.0 and 1.1 protocols: `POST /` with the operation named in `X-Amz-Target`, the input as a JSON
//! object, the output as a JSON object, and errors named by `X-Amzn-ErrorType` or the body's `__type` / `code`.
//!
//! Everything here is specific to the wire format; the attempt loop in `invoke` only sees a [`Protocol`].

use crate::error::ErrorMetadata;
use crate::http::HttpResponse;
use crate::invoke::{Protocol, UnsignedRequest};

/// An awsJson protocol of one service.
#[derive(Debug)]
pub struct AwsJson {
    /// The `X-Amz-Target` prefix: the service shape's name, e.g. `SageMaker`.
    pub target_prefix: &'static str,
    /// `application/x-amz-json-1.0` or `application/x-amz-json-1.1`.
    pub content_type: &'static str,
}

impl Protocol for AwsJson {
    fn request(&self, operation: &str, body: Vec<u8>) -> UnsignedRequest {
        UnsignedRequest {
            method: "POST",
            path: "/",
            headers: vec![
                ("content-type", self.content_type.to_owned()),
                ("x-amz-target", format!("{}.{operation}", self.target_prefix)),
            ],
            body,
        }
    }

    fn error_metadata(&self, response: &HttpResponse) -> ErrorMetadata {
        let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap_or(serde_json::Value::Null);
        ErrorMetadata {
            status: response.status().as_u16(),
            code: error_code(header(response, "x-amzn-errortype"), &body),
            message: error_message(&body),
            request_id: header(response, "x-amzn-requestid").map(str::to_owned),
        }
    }
}

fn header<'a>(response: &'a HttpResponse, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The JSON body of an input.
pub fn serialize<T: serde::Serialize>(input: &T) -> Result<Vec<u8>, String> {
    serde_json::to_vec(input).map_err(|e| e.to_string())
}

/// Decode a successful response's body; an empty body is an empty object.
pub fn decode_output<O: serde::de::DeserializeOwned>(response: &HttpResponse) -> Result<O, String> {
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
    meta: &ErrorMetadata,
) -> Option<T> {
    let mut value: serde_json::Value = serde_json::from_slice(body).unwrap_or_else(|_| serde_json::json!({}));
    if let (Some(member), Some(message), Some(obj)) = (message_member, meta.message(), value.as_object_mut()) {
        obj.entry(member.to_owned()).or_insert_with(|| serde_json::Value::String(message.to_owned()));
    }
    serde_json::from_value(value).ok()
}

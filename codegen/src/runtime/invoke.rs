//! One call, from typed input to typed output: endpoint, credentials, the awsJson request, SigV4 signing, the
//! attempt loop with timeouts and retries, and decoding of the response or the error.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::Config;
use crate::error::{ConstructionError, ErrorMetadata, ResponseError, SdkError, ServiceError};
use crate::http::{HttpClient, HttpRequest, HttpResponse, TimeoutError, TransportError};

/// Shared by every clone of a client.
#[derive(Debug)]
pub(crate) struct Handle {
    pub(crate) config: Config,
    pub(crate) http: Arc<dyn HttpClient>,
}

/// Error codes that mean "slow down" (retried).
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes that mean a transient failure (retried).
const TRANSIENT: &[&str] = &["RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable"];

/// Whether an error response is worth another attempt: throttling, transient codes, HTTP 429 and 5xx gateway errors.
pub(crate) fn is_retryable(meta: &ErrorMetadata) -> bool {
    let code = meta.code().unwrap_or("");
    THROTTLING.contains(&code) || TRANSIENT.contains(&code) || matches!(meta.status(), 429 | 500 | 502 | 503 | 504)
}

/// The error code of an awsJson error: the `x-amzn-errortype` header, else the body's `__type` or `code`, with any
/// `namespace#` prefix and `:…` suffix removed.
pub(crate) fn error_code(header: Option<&str>, body: &serde_json::Value) -> Option<String> {
    let raw = header
        .or_else(|| body.get("__type").and_then(|v| v.as_str()))
        .or_else(|| body.get("code").and_then(|v| v.as_str()))?;
    let raw = raw.split(':').next().unwrap_or(raw);
    let raw = raw.rsplit('#').next().unwrap_or(raw);
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.to_owned())
}

fn error_message(body: &serde_json::Value) -> Option<String> {
    ["message", "Message", "errorMessage"].iter().find_map(|k| body.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
}

fn header<'a>(response: &'a HttpResponse, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Read an error response.
pub(crate) fn error_metadata(response: &HttpResponse) -> ErrorMetadata {
    let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap_or(serde_json::Value::Null);
    ErrorMetadata {
        status: response.status().as_u16(),
        code: error_code(header(response, "x-amzn-errortype"), &body),
        message: error_message(&body),
        request_id: header(response, "x-amzn-requestid").map(str::to_owned),
    }
}

#[allow(dead_code)] // Used only by models whose operations declare errors.
/// Decode a modeled error's body. The message may arrive as `message` or `Message` whatever the model calls it, so
/// the message already read is put under the member name the error structure uses.
pub(crate) fn decode_error<T: serde::de::DeserializeOwned>(body: &[u8], message_member: Option<&str>, meta: &ErrorMetadata) -> Option<T> {
    let mut value: serde_json::Value = serde_json::from_slice(body).unwrap_or_else(|_| serde_json::json!({}));
    if let (Some(member), Some(message), Some(obj)) = (message_member, meta.message(), value.as_object_mut()) {
        obj.entry(member.to_owned()).or_insert_with(|| serde_json::Value::String(message.to_owned()));
    }
    serde_json::from_value(value).ok()
}

/// A random number in `[0, 1)` for backoff jitter (not for anything secret).
fn jitter() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
    let mut x = nanos ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

fn construction<E>(message: impl Into<String>) -> SdkError<E> {
    SdkError::Construction(ConstructionError::new(message))
}

/// Build and sign the request for one attempt.
async fn build_request<E>(handle: &Handle, url: &str, operation: &str, body: &[u8]) -> Result<HttpRequest, SdkError<E>> {
    let config = &handle.config;
    let region = config.region.as_deref().ok_or_else(|| construction("no region is configured"))?;
    let credentials = config
        .credentials
        .provide_credentials()
        .await
        .map_err(|e| construction(e.to_string()))?;
    let uri: http::Uri = url.parse().map_err(|e| construction(format!("invalid endpoint URL `{url}`: {e}")))?;
    let host = uri.authority().map(|a| a.as_str().to_owned()).ok_or_else(|| construction(format!("endpoint URL `{url}` has no host")))?;
    let target = format!("{}.{operation}", crate::client::TARGET_PREFIX);
    let mut request = http::Request::builder()
        .method("POST")
        .uri(uri)
        .header("host", host)
        .header("content-type", crate::client::CONTENT_TYPE)
        .header("x-amz-target", target)
        .header("user-agent", concat!("sagemaker-pipelines-rust/", env!("CARGO_PKG_VERSION")))
        .body(body.to_vec())
        .map_err(|e| construction(e.to_string()))?;

    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        None,
        "sagemaker-pipelines",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(crate::client::SIGNING_NAME)
        .time(SystemTime::now())
        .settings(aws_sigv4::http_request::SigningSettings::default())
        .build()
        .map_err(|e| construction(format!("cannot sign: {e}")))?
        .into();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let signable = aws_sigv4::http_request::SignableRequest::new(
        "POST",
        url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        aws_sigv4::http_request::SignableBody::Bytes(body),
    )
    .map_err(|e| construction(format!("cannot sign: {e}")))?;
    let (instructions, _signature) = aws_sigv4::http_request::sign(signable, &params)
        .map_err(|e| construction(format!("cannot sign: {e}")))?
        .into_parts();
    instructions.apply_to_request_http1x(&mut request);
    Ok(request)
}

enum Attempt {
    Response(HttpResponse),
    Timeout(Duration),
    Transport(TransportError),
}

async fn attempt(handle: &Handle, request: HttpRequest) -> Attempt {
    let call = handle.http.call(request);
    match handle.config.timeouts.attempt_timeout() {
        Some(limit) => match tokio::time::timeout(limit, call).await {
            Ok(Ok(r)) => Attempt::Response(r),
            Ok(Err(e)) => Attempt::Transport(e),
            Err(_) => Attempt::Timeout(limit),
        },
        None => match call.await {
            Ok(r) => Attempt::Response(r),
            Err(e) => Attempt::Transport(e),
        },
    }
}

/// Send one operation's JSON body and decode the result.
pub(crate) async fn invoke<O, E>(
    handle: &Handle,
    operation: &'static str,
    body: Vec<u8>,
    parse_error: fn(ErrorMetadata, &[u8]) -> E,
) -> Result<O, SdkError<E>>
where
    O: serde::de::DeserializeOwned,
{
    let config = &handle.config;
    let params = crate::endpoint::params_from_config(config);
    let endpoint = crate::endpoint::resolve_endpoint(&params).map_err(|e| construction(e.to_string()))?;
    let url = endpoint.url().to_owned();
    let max_attempts = config.retry.max_attempts();
    let mut attempt_no = 1;
    loop {
        let request = build_request(handle, &url, operation, &body).await?;
        let last = attempt_no >= max_attempts;
        let outcome = attempt(handle, request).await;
        let retry = match outcome {
            Attempt::Timeout(after) if last => return Err(SdkError::Timeout(TimeoutError { after })),
            Attempt::Timeout(_) => true,
            Attempt::Transport(e) if last || !e.is_transient() => return Err(SdkError::Dispatch(e)),
            Attempt::Transport(_) => true,
            Attempt::Response(response) => {
                let status = response.status().as_u16();
                if (200..300).contains(&status) {
                    let bytes: &[u8] = if response.body().iter().all(u8::is_ascii_whitespace) { b"{}" } else { response.body() };
                    return serde_json::from_slice(bytes).map_err(|e| {
                        SdkError::Response(ResponseError {
                            status,
                            request_id: header(&response, "x-amzn-requestid").map(str::to_owned),
                            message: e.to_string(),
                        })
                    });
                }
                let meta = error_metadata(&response);
                if last || !is_retryable(&meta) {
                    let err = parse_error(meta.clone(), response.body());
                    return Err(SdkError::Service(ServiceError::new(err, meta)));
                }
                true
            }
        };
        debug_assert!(retry);
        tokio::time::sleep(config.retry.backoff(attempt_no, jitter())).await;
        attempt_no += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_sanitized() {
        let none = serde_json::Value::Null;
        assert_eq!(error_code(Some("ValidationException"), &none).as_deref(), Some("ValidationException"));
        assert_eq!(
            error_code(Some("ResourceNotFound:http://internal.amazon.com/coral/com.amazonaws.sagemaker/"), &none).as_deref(),
            Some("ResourceNotFound")
        );
        let body = serde_json::json!({"__type": "com.amazonaws.sagemaker#ConflictException", "message": "busy"});
        assert_eq!(error_code(None, &body).as_deref(), Some("ConflictException"));
        assert_eq!(error_code(None, &serde_json::json!({"code": "aws.protocoltests#Foo:bar"})).as_deref(), Some("Foo"));
        assert_eq!(error_code(None, &none), None);
        assert_eq!(error_message(&body).as_deref(), Some("busy"));
        assert_eq!(error_message(&serde_json::json!({"Message": "M"})).as_deref(), Some("M"));
    }

    #[test]
    fn retry_classification() {
        let meta = |status, code: &str| ErrorMetadata { status, code: Some(code.into()), ..Default::default() };
        assert!(is_retryable(&meta(400, "ThrottlingException")));
        assert!(is_retryable(&meta(500, "InternalFailure")));
        assert!(is_retryable(&meta(503, "Whatever")));
        assert!(is_retryable(&meta(429, "Whatever")));
        assert!(!is_retryable(&meta(400, "ValidationException")));
        assert!(!is_retryable(&meta(404, "ResourceNotFound")));
    }

    #[test]
    fn jitter_is_in_range() {
        for _ in 0..1000 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
        }
    }
}

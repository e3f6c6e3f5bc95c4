//! One call, from a serialized input to a typed output: endpoint, credentials, SigV4 signing, the attempt loop with
//! timeouts and retries, and decoding of the response or the error. What goes on the wire is the [`Protocol`]'s
//! business, and everything specific to the service (its name, signing name, endpoint rules) comes in through
//! [`ServiceInfo`], which the generated `client` module defines: this module knows nothing generated.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::Config;
use crate::endpoint_lib::{Endpoint, ResolveError};
use crate::error::{ConstructionError, ErrorMetadata, ResponseError, SdkError, ServiceError, SetRequestId};
use crate::http::{HttpClient, HttpRequest, HttpResponse, TimeoutError, TransportError};

/// Static facts about the service, handed to the runtime by the generated code.
#[derive(Debug)]
pub(crate) struct ServiceInfo {
    /// The SDK id (`SageMaker`): names the service-specific endpoint variable `AWS_ENDPOINT_URL_<SDK_ID>`.
    pub(crate) sdk_id: &'static str,
    /// The SigV4 signing name.
    pub(crate) signing_name: &'static str,
    /// The `User-Agent` of every request: the generated crate's name and version.
    pub(crate) user_agent: &'static str,
    /// How requests and errors look on the wire.
    pub(crate) protocol: &'static dyn Protocol,
    /// The endpoint the service's rules give for a configuration.
    pub(crate) resolve_endpoint: fn(&Config) -> Result<Endpoint, ResolveError>,
}

/// An operation's request before signing: what the protocol puts on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnsignedRequest {
    /// The HTTP method.
    pub(crate) method: &'static str,
    /// The path, appended to the endpoint URL.
    pub(crate) path: &'static str,
    /// Headers besides `host`, `user-agent` and the signature's.
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The body.
    pub(crate) body: Vec<u8>,
}

/// A wire protocol: how an operation's serialized input becomes a request, and how an error response is read.
pub(crate) trait Protocol: Send + Sync + std::fmt::Debug {
    /// The request for `operation` with this body.
    fn request(&self, operation: &str, body: Vec<u8>) -> UnsignedRequest;
    /// The status, code, message and request id of an error response.
    fn error_metadata(&self, response: &HttpResponse) -> ErrorMetadata;
}

/// One operation, as the generated code describes it to the attempt loop.
pub(crate) struct Operation<O, E> {
    /// The operation's name (`StartPipelineExecution`).
    pub(crate) name: &'static str,
    /// Decodes a successful response.
    pub(crate) decode_output: fn(&HttpResponse) -> Result<O, String>,
    /// Turns an error response into the operation's error.
    pub(crate) decode_error: fn(ErrorMetadata, &[u8]) -> E,
    /// `@endpoint`'s host prefix for this call (labels already filled in), put before the endpoint's host.
    pub(crate) host_prefix: Option<String>,
    /// `@requestCompression` with gzip: the compressor (the `compression` module's, passed in by operations that
    /// accept compressed bodies), given the body and the configured minimum size.
    pub(crate) compress: Option<Compressor>,
}

/// Compresses a body of at least the given size; `None` leaves it as it is.
pub(crate) type Compressor = fn(&[u8], usize) -> Option<Vec<u8>>;

/// The endpoint URL with a host prefix put before its host (`https://example.com` with `foo.` gives
/// `https://foo.example.com`). A prefix must be a sequence of DNS labels each followed by a dot.
pub(crate) fn prefixed_url(url: &str, prefix: &str) -> Result<String, String> {
    let valid = prefix.ends_with('.')
        && prefix[..prefix.len() - 1]
            .split('.')
            .all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !valid {
        return Err(format!("host prefix `{prefix}` is not a valid host name prefix"));
    }
    let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("endpoint URL `{url}` has no scheme"))?;
    Ok(format!("{scheme}://{prefix}{rest}"))
}

/// Shared by every clone of a client.
#[derive(Debug)]
pub(crate) struct Handle {
    pub(crate) config: Config,
    pub(crate) http: Arc<dyn HttpClient>,
    pub(crate) service: &'static ServiceInfo,
}

impl Handle {
    /// A client's shared state: the configuration (with the service-specific endpoint variable applied when the
    /// configuration came from the environment) and its transport.
    pub(crate) fn new(config: Config, service: &'static ServiceInfo) -> Self {
        let config = config.for_service(service.sdk_id);
        let http = match &config.http_client {
            Some(h) => h.clone(),
            None => crate::http::default_client(&config.timeouts),
        };
        Handle { config, http, service }
    }
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
const TRANSIENT: &[&str] =
    &["RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable"];

/// Whether an error response is worth another attempt: throttling, transient codes, HTTP 429 and 5xx gateway errors.
pub(crate) fn is_retryable(meta: &ErrorMetadata) -> bool {
    let code = meta.code().unwrap_or("");
    THROTTLING.contains(&code) || TRANSIENT.contains(&code) || matches!(meta.status(), 429 | 500 | 502 | 503 | 504)
}

fn header<'a>(response: &'a HttpResponse, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// A random number in `[0, 1)` for backoff jitter (not for anything secret).
pub(crate) fn jitter() -> f64 {
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

/// Sign the protocol's request for one attempt.
async fn build_request<E>(handle: &Handle, url: &str, unsigned: &UnsignedRequest) -> Result<HttpRequest, SdkError<E>> {
    let config = &handle.config;
    let region = config.region.as_deref().ok_or_else(|| construction("no region is configured"))?;
    let credentials = config.credentials.provide_credentials().await.map_err(|e| {
        tracing::debug!(error = %e, "no credentials");
        construction(e.to_string())
    })?;
    let full_url = format!("{}{}", url.trim_end_matches('/'), unsigned.path);
    let uri: http::Uri = full_url.parse().map_err(|e| construction(format!("invalid endpoint URL `{url}`: {e}")))?;
    let host = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .ok_or_else(|| construction(format!("endpoint URL `{url}` has no host")))?;
    let mut builder = http::Request::builder().method(unsigned.method).uri(uri).header("host", host);
    for (name, value) in &unsigned.headers {
        builder = builder.header(*name, value);
    }
    let mut request = builder
        .header("content-length", unsigned.body.len())
        .header("user-agent", handle.service.user_agent)
        .body(unsigned.body.clone())
        .map_err(|e| construction(e.to_string()))?;

    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        None,
        handle.service.user_agent,
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(handle.service.signing_name)
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
        unsigned.method,
        &full_url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        aws_sigv4::http_request::SignableBody::Bytes(&unsigned.body),
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

/// The host of an endpoint URL, for logs (never the path or query).
pub(crate) fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Send one operation's serialized input and decode the result (with the response's request id), in a `tracing` span named `invoke` with the
/// service's SDK id and the operation's name. Each attempt logs its endpoint host, number, status, error code,
/// request id and the backoff chosen at debug level; running out of attempts on a retryable failure is a warning.
/// Credentials, signatures and bodies are never logged.
pub(crate) async fn invoke<O: SetRequestId, E>(
    handle: &Handle,
    operation: Operation<O, E>,
    body: Vec<u8>,
) -> Result<O, SdkError<E>> {
    use tracing::Instrument as _;
    let span = tracing::info_span!("invoke", service = handle.service.sdk_id, operation = operation.name);
    invoke_attempts(handle, operation, body).instrument(span).await
}

async fn invoke_attempts<O: SetRequestId, E>(
    handle: &Handle,
    operation: Operation<O, E>,
    body: Vec<u8>,
) -> Result<O, SdkError<E>> {
    let config = &handle.config;
    let service = handle.service;
    let endpoint = (service.resolve_endpoint)(config).map_err(|e| construction(e.to_string()))?;
    let url = match &operation.host_prefix {
        Some(prefix) => prefixed_url(endpoint.url(), prefix).map_err(construction)?,
        None => endpoint.url().to_owned(),
    };
    let host = url_host(&url);
    let mut unsigned = service.protocol.request(operation.name, body);
    if let (Some(compress), Some(min)) = (operation.compress, config.request_min_compression_size()) {
        if let Some(compressed) = compress(&unsigned.body, min) {
            unsigned.body = compressed;
            unsigned.headers.push(("content-encoding", "gzip".to_owned()));
        }
    }
    let max_attempts = config.retry.max_attempts();
    let mut attempt_no = 1;
    loop {
        let request = build_request(handle, &url, &unsigned).await?;
        let last = attempt_no >= max_attempts;
        tracing::trace!(endpoint = host, attempt = attempt_no, max_attempts, "sending request");
        let outcome = attempt(handle, request).await;
        match outcome {
            Attempt::Timeout(after) => {
                tracing::debug!(endpoint = host, attempt = attempt_no, timeout = ?after, "attempt timed out");
                if last {
                    exhausted(attempt_no, "timeout");
                    return Err(SdkError::Timeout(TimeoutError { after }));
                }
            }
            Attempt::Transport(e) => {
                tracing::debug!(endpoint = host, attempt = attempt_no, error = %e, "attempt failed to send");
                if !e.is_transient() {
                    return Err(SdkError::Dispatch(e));
                }
                if last {
                    exhausted(attempt_no, "transport error");
                    return Err(SdkError::Dispatch(e));
                }
            }
            Attempt::Response(response) => {
                let status = response.status().as_u16();
                let request_id = header(&response, "x-amzn-requestid").map(str::to_owned);
                if (200..300).contains(&status) {
                    tracing::debug!(
                        endpoint = host,
                        attempt = attempt_no,
                        status,
                        request_id = request_id.as_deref(),
                        "response received"
                    );
                    return match (operation.decode_output)(&response) {
                        Ok(mut output) => {
                            output.set_request_id(request_id);
                            Ok(output)
                        }
                        Err(message) => Err(SdkError::Response(ResponseError { status, request_id, message })),
                    };
                }
                let meta = service.protocol.error_metadata(&response);
                let retryable = is_retryable(&meta);
                tracing::debug!(
                    endpoint = host,
                    attempt = attempt_no,
                    status,
                    error_code = meta.code(),
                    request_id = meta.request_id(),
                    retryable,
                    "error response received"
                );
                if last || !retryable {
                    if retryable {
                        exhausted(attempt_no, meta.code().unwrap_or("error response"));
                    }
                    let err = (operation.decode_error)(meta.clone(), response.body());
                    return Err(SdkError::Service(ServiceError::new(err, meta)));
                }
            }
        }
        let backoff = config.retry.backoff(attempt_no, jitter());
        tracing::debug!(attempt = attempt_no, backoff = ?backoff, "retrying after backoff");
        tokio::time::sleep(backoff).await;
        attempt_no += 1;
    }
}

/// The warning when the last attempt failed in a way that would have been retried.
fn exhausted(attempts: u32, last_error: &str) {
    tracing::warn!(attempts, last_error, "retries exhausted");
}

//! Helpers shared by the tests: a scripted HTTP client, a test service, a guard for the process environment and
//! temporary files.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::ErrorKind;

use crate::aws_json::{AwsJson, JsonError};
use crate::config::Config;
use crate::config::{Credentials, Region};
use crate::endpoint_lib::{Endpoint, ResolveError};
use crate::error::{
    BoxError, ConnectorError, CreateUnhandledError, ErrorMetadata, ErrorResponse, ProvideErrorMetadata,
};
use crate::error::{RequestId, Unhandled};
use crate::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, HttpResponse, SharedHttpClient,
    SharedHttpConnector,
};
use crate::invoke::{Erasure, Handle, Operation, ServiceInfo};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;

// ---------------------------------------------------------------------------------------------------------------
// A scripted HTTP client.

/// How a scripted request fails: the kinds of [`ConnectorError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fail {
    /// `ConnectorError::io`: a connection refused or reset.
    Io,
    /// `ConnectorError::timeout`: the transport's own connect or read timeout.
    Timeout,
    /// `ConnectorError::user`: the request itself was at fault.
    User,
    /// `ConnectorError::other`, with the kind the transport gave, if any.
    Other(Option<ErrorKind>),
}

impl Fail {
    /// The transport error, whose cause says `scripted transport failure`.
    pub(crate) fn error(self) -> ConnectorError {
        let source: BoxError = "scripted transport failure".into();
        match self {
            Fail::Io => ConnectorError::io(source),
            Fail::Timeout => ConnectorError::timeout(source),
            Fail::User => ConnectorError::user(source),
            Fail::Other(kind) => ConnectorError::other(source, kind),
        }
    }
}

/// What the fake client does with one request.
#[derive(Debug)]
pub(crate) enum Reply {
    /// Answer at once.
    Respond(Response),
    /// Answer after this much (virtual) time.
    After(Duration, Response),
    /// Fail with a transport error of this kind.
    Fail(Fail),
    /// Never answer.
    Hang,
}

/// A response as the tests write it: whole, with a `Vec<u8>` body.
pub(crate) type Response = http::Response<Vec<u8>>;

/// A request as the fake client saw it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) method: http::Method,
    pub(crate) uri: http::Uri,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Seen {
    /// A header's value, which must be text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().expect("header value is text"))
    }

    /// A request as an HTTP client receives it, read back into plain `http` types.
    pub(crate) fn from_request(request: HttpRequest) -> Seen {
        let request = request.try_into_http1x().expect("the request converts to http 1.x");
        let (parts, body) = request.into_parts();
        let body = body.bytes().expect("the request body is in memory").to_vec();
        Seen { method: parts.method, uri: parts.uri, headers: parts.headers, body }
    }
}

#[derive(Debug, Default)]
struct FakeState {
    script: VecDeque<Reply>,
    seen: Vec<Seen>,
    /// The settings of every `http_connector` call: connect and read timeouts.
    settings: Vec<(Option<Duration>, Option<Duration>)>,
    /// For each request, whether it carried a `CaptureSmithyConnection` (each request has a connection of its own).
    captured: Vec<bool>,
    /// The requests whose connection was poisoned, by index, once per poisoning.
    poisoned: Vec<usize>,
}

/// An HTTP client (aws-smithy-runtime-api's [`HttpClient`], and its own [`HttpConnector`]) that records every
/// request and answers from a script, in order. Clones share the script and the record, so a test keeps one clone
/// and hands the other to the configuration.
#[derive(Debug, Clone, Default)]
pub(crate) struct FakeHttp {
    state: Arc<Mutex<FakeState>>,
}

impl FakeHttp {
    /// A client that answers with these replies, one per request; a request beyond the script panics.
    pub(crate) fn new(script: impl IntoIterator<Item = Reply>) -> Self {
        let state = FakeState { script: script.into_iter().collect(), ..FakeState::default() };
        FakeHttp { state: Arc::new(Mutex::new(state)) }
    }

    /// This client, shared, as credential sources take it.
    pub(crate) fn shared(&self) -> SharedHttpClient {
        SharedHttpClient::new(self.clone())
    }

    /// The requests received so far.
    pub(crate) fn requests(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// How many requests were received.
    pub(crate) fn count(&self) -> usize {
        self.state.lock().unwrap().seen.len()
    }

    /// How many scripted replies were not used.
    pub(crate) fn unused(&self) -> usize {
        self.state.lock().unwrap().script.len()
    }

    /// For each request, whether it carried a `CaptureSmithyConnection`.
    pub(crate) fn captured(&self) -> Vec<bool> {
        self.state.lock().unwrap().captured.clone()
    }

    /// The requests (by index) whose connection was poisoned.
    pub(crate) fn poisoned(&self) -> Vec<usize> {
        self.state.lock().unwrap().poisoned.clone()
    }

    /// The connect and read timeouts of each connector asked for.
    pub(crate) fn settings(&self) -> Vec<(Option<Duration>, Option<Duration>)> {
        self.state.lock().unwrap().settings.clone()
    }
}

impl HttpClient for FakeHttp {
    fn http_connector(&self, settings: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        self.state.lock().unwrap().settings.push((settings.connect_timeout(), settings.read_timeout()));
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for FakeHttp {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        use aws_smithy_runtime_api::client::connection::{CaptureSmithyConnection, ConnectionMetadata};
        let capture = request.extension::<CaptureSmithyConnection>().cloned();
        let reply = {
            let mut state = self.state.lock().unwrap();
            let index = state.seen.len();
            state.seen.push(Seen::from_request(request));
            state.captured.push(capture.is_some());
            if let Some(capture) = capture {
                // Each request goes out on a connection of its own, which knows its request's index.
                let this = self.clone();
                capture.set_connection_retriever(move || {
                    let state = this.state.clone();
                    let poison = move || state.lock().unwrap().poisoned.push(index);
                    Some(ConnectionMetadata::builder().proxied(false).poison_fn(poison).build())
                });
            }
            state.script.pop_front()
        };
        HttpConnectorFuture::new(async move {
            match reply.expect("the fake HTTP client received more requests than its script has replies") {
                Reply::Respond(r) => Ok(into_response(r)),
                Reply::After(delay, r) => {
                    tokio::time::sleep(delay).await;
                    Ok(into_response(r))
                }
                Reply::Fail(kind) => Err(kind.error()),
                Reply::Hang => std::future::pending().await,
            }
        })
    }
}

/// A whole response as an HTTP client returns it.
pub(crate) fn into_response(response: Response) -> HttpResponse {
    HttpResponse::try_from(response.map(SdkBody::from)).expect("a valid response")
}

/// A response with a status and a body.
pub(crate) fn response(status: u16, body: &str) -> Response {
    http::Response::builder().status(status).body(body.as_bytes().to_vec()).unwrap()
}

/// An awsJson error response: `__type` with a namespace, a `message` and an `x-amzn-RequestId`.
pub(crate) fn error_response(status: u16, code: &str, message: &str, request_id: &str) -> Response {
    let body = serde_json::json!({ "__type": format!("com.example.svc#{code}"), "message": message });
    http::Response::builder()
        .status(status)
        .header("x-amzn-RequestId", request_id)
        .body(serde_json::to_vec(&body).unwrap())
        .unwrap()
}

/// Credentials with these keys and no expiry.
pub(crate) fn credentials(id: &str, secret: &str, token: Option<&str>) -> Credentials {
    Credentials::new(id, secret, token.map(str::to_owned), None, "tests")
}

/// The key id, secret and session token of credentials (equality of `Credentials` also compares the provider's
/// name).
pub(crate) fn keys(c: &Credentials) -> (&str, &str, Option<&str>) {
    (c.access_key_id(), c.secret_access_key(), c.session_token())
}

/// An error with its whole chain of causes, as `DisplayErrorContext` prints it.
pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        next = cause.source();
    }
    out
}

// ---------------------------------------------------------------------------------------------------------------
// A test service and operation.

pub(crate) static PROTOCOL: AwsJson = AwsJson {
    content_type: || const { http::HeaderValue::from_static("application/x-amz-json-1.1") },
    query_compatible: false,
};

pub(crate) const USER_AGENT: &str = "svc-client/1.2.3";
pub(crate) const SIGNING_NAME: &str = "svcsigning";
pub(crate) const ENDPOINT: &str = "https://svc.example.com";

fn fixed_endpoint(_: &Config) -> Result<Endpoint, ResolveError> {
    Ok(Endpoint::new(ENDPOINT))
}

/// The service of most tests: its endpoint is always `https://svc.example.com`.
pub(crate) static SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "Svc",
    signing_name: SIGNING_NAME,
    user_agent: USER_AGENT,
    protocol: &PROTOCOL,
    resolve_endpoint: fixed_endpoint,
};

fn configured_endpoint(config: &Config) -> Result<Endpoint, ResolveError> {
    Ok(Endpoint::new(config.endpoint_url().unwrap_or(ENDPOINT)))
}

/// A service whose endpoint is the configured `endpoint_url`, when there is one.
pub(crate) static CONFIGURED_ENDPOINT_SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "Sage Maker",
    signing_name: SIGNING_NAME,
    user_agent: USER_AGENT,
    protocol: &PROTOCOL,
    resolve_endpoint: configured_endpoint,
};

/// A successful output.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Out {
    pub(crate) name: Option<String>,
    pub(crate) count: Option<i64>,
    pub(crate) request_id: Option<String>,
}

/// As generated code reads an output (the members are kept in the output itself here, not in a builder).
impl crate::aws_json::ReadStructure for Out {
    type Members = Out;
    fn read_member(m: &mut Out, name: &str, r: &mut crate::aws_json::Reader<'_>) -> Result<bool, JsonError> {
        match name {
            "Name" => m.name = r.string()?,
            "Count" => m.count = r.integer()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn finish(members: Out) -> Out {
        members
    }
}

impl crate::error::RequestId for Out {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl crate::error::SetRequestId for Out {
    fn set_request_id(&mut self, request_id: Option<String>) {
        self.request_id = request_id;
    }
}

/// A modeled error whose message member is `Message`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ValidationException {
    pub(crate) message: Option<String>,
    pub(crate) meta: ErrorMetadata,
}

impl crate::aws_json::ReadStructure for ValidationException {
    type Members = ValidationException;
    fn read_member(m: &mut Self, name: &str, r: &mut crate::aws_json::Reader<'_>) -> Result<bool, JsonError> {
        match name {
            "Message" => m.message = r.message()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn finish(members: Self) -> Self {
        members
    }
    fn set_message_if_unset(&mut self, message: &str) {
        self.message.get_or_insert_with(|| message.to_owned());
    }
}

/// The operation's error, as generated code would define it: a modeled variant and the unhandled one.
#[derive(Debug)]
pub(crate) enum OpError {
    Validation(ValidationException),
    Unhandled(Unhandled),
}

impl std::fmt::Display for OpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpError::Validation(e) => write!(f, "ValidationException: {}", e.message.as_deref().unwrap_or("")),
            OpError::Unhandled(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for OpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OpError::Validation(_) => None,
            // As aws-sdk-rust's errors do: the unhandled error's own cause, not the wrapper, which prints the same.
            OpError::Unhandled(e) => e.source(),
        }
    }
}

impl ProvideErrorMetadata for OpError {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            OpError::Validation(e) => &e.meta,
            OpError::Unhandled(e) => e.meta(),
        }
    }
}

impl RequestId for OpError {
    fn request_id(&self) -> Option<&str> {
        self.meta().extra("aws_request_id")
    }
}

impl CreateUnhandledError for OpError {
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
        OpError::Unhandled(Unhandled::new(source, meta))
    }
}

fn decode_op_error(response: ErrorResponse, body: &[u8]) -> OpError {
    if response.error_type() == Some("ValidationException") {
        if let Some(mut e) = crate::aws_json::decode_error::<ValidationException>(body, &response) {
            e.meta = response.into_metadata();
            return OpError::Validation(e);
        }
    }
    OpError::Unhandled(Unhandled::from_response(response))
}

/// The operation `Svc.Op`, as generated code describes an operation; its input is the serialized body.
pub(crate) const OP: Operation = Operation {
    name: "Op",
    target: || const { http::HeaderValue::from_static("Svc.Op") },
    prepare: |input, _, _| Ok(crate::invoke::input::<Vec<u8>>(input)?.clone()),
    decode_output: |response| crate::invoke::output(crate::aws_json::decode_output::<Out>(response), response),
    decode_error: |meta, body| Box::new(decode_op_error(meta, body)),
    compress: None,
    erasure: Erasure::of::<Vec<u8>, Out, OpError>(),
};

/// What a call of `Svc.Op` is sent with besides its body: the host prefix.
#[derive(Debug, Default)]
pub(crate) struct Op {
    pub(crate) host_prefix: Option<String>,
}

/// A call of `Svc.Op` without a host prefix.
pub(crate) fn op() -> Op {
    Op::default()
}

/// Sends a serialized input as `Svc.Op` through the attempt loop (with the interceptors the configuration has, which
/// see the body as the input).
pub(crate) async fn invoke(handle: &Handle, op: Op, body: Vec<u8>) -> Result<Out, crate::error::SdkError<OpError>> {
    crate::fluent::typed(crate::invoke::run(handle, None, &OP, Box::new(body), op.host_prefix, None).await)
}

/// A configuration with a region, fixed credentials and this transport.
pub(crate) fn config(http: &FakeHttp) -> crate::config::Builder {
    Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials("AKID", "SECRET", None))
        .http_client(http.clone())
}

/// A client of [`SERVICE`] over this transport.
pub(crate) fn handle(http: &FakeHttp) -> Handle {
    Handle::new(config(http).build(), &SERVICE)
}

/// A sleep that returns at once and records what it was asked for; clones share the record.
#[derive(Debug, Clone, Default)]
pub(crate) struct InstantSleep(Arc<Mutex<Vec<Duration>>>);

impl InstantSleep {
    pub(crate) fn asked(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl crate::config::AsyncSleep for InstantSleep {
    fn sleep(&self, duration: Duration) -> aws_smithy_async::rt::sleep::Sleep {
        self.0.lock().unwrap().push(duration);
        aws_smithy_async::rt::sleep::Sleep::new(std::future::ready(()))
    }
}

/// Run a future to completion outside an async test (for tests that hold [`EnvGuard`], which must not be held
/// across an `.await`).
pub(crate) fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

/// [`block_on`] with tokio's clock paused (it advances when every task waits on a timer). Not for real I/O, since
/// the clock jumps past timeouts while a socket waits.
pub(crate) fn block_on_paused<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap().block_on(f)
}

// ---------------------------------------------------------------------------------------------------------------
// The process environment.

/// Every test that reads or writes the environment holds this lock.
static ENV_LOCK: Mutex<()> = Mutex::new(());

/// The variables the runtime reads (and the tests set). Only these may be changed through an [`EnvGuard`].
const VARS: &[&str] = &[
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SAGE_MAKER",
    "AWS_ENDPOINT_URL_SVC",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_MAX_ATTEMPTS",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_DISABLE_REQUEST_COMPRESSION",
    "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
];

/// Exclusive use of the environment. On creation every variable in [`VARS`] is unset and the shared files point at
/// paths that do not exist (so the real `~/.aws` is never read) and instance metadata is disabled (so no test waits
/// for the real one); on drop every variable gets its old value back.
pub(crate) struct EnvGuard {
    saved: Vec<(&'static str, Option<OsString>)>,
    // Declared last: released after `drop` has restored the variables.
    _lock: MutexGuard<'static, ()>,
}

impl EnvGuard {
    pub(crate) fn clean() -> Self {
        let lock = ENV_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        let saved = VARS.iter().map(|k| (*k, std::env::var_os(k))).collect();
        for k in VARS {
            std::env::remove_var(k);
        }
        let guard = EnvGuard { saved, _lock: lock };
        guard.set("AWS_CONFIG_FILE", missing_path("config"));
        guard.set("AWS_SHARED_CREDENTIALS_FILE", missing_path("credentials"));
        guard.set("AWS_EC2_METADATA_DISABLED", "true");
        guard
    }

    /// Set a variable.
    pub(crate) fn set(&self, key: &'static str, value: impl AsRef<std::ffi::OsStr>) {
        assert!(VARS.contains(&key), "{key} is not restored by EnvGuard: add it to VARS");
        std::env::set_var(key, value);
    }

    /// Unset a variable.
    pub(crate) fn remove(&self, key: &'static str) {
        assert!(VARS.contains(&key), "{key} is not restored by EnvGuard: add it to VARS");
        std::env::remove_var(key);
    }

    /// Point `AWS_CONFIG_FILE` at a file.
    pub(crate) fn config_file(&self, file: &TempFile) {
        self.set("AWS_CONFIG_FILE", file.path());
    }

    /// Point `AWS_SHARED_CREDENTIALS_FILE` at a file.
    pub(crate) fn credentials_file(&self, file: &TempFile) {
        self.set("AWS_SHARED_CREDENTIALS_FILE", file.path());
    }
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        for (k, v) in &self.saved {
            match v {
                Some(v) => std::env::set_var(k, v),
                None => std::env::remove_var(k),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Temporary files.

static FILE_NO: AtomicUsize = AtomicUsize::new(0);

fn unique_path(name: &str) -> PathBuf {
    let n = FILE_NO.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("codegen-runtime-test-{}-{n}-{name}", std::process::id()))
}

/// A path in the temporary directory where no file is.
pub(crate) fn missing_path(name: &str) -> PathBuf {
    let p = unique_path(&format!("missing-{name}"));
    assert!(!p.exists());
    p
}

/// A file in the temporary directory, removed on drop.
pub(crate) struct TempFile(PathBuf);

impl TempFile {
    pub(crate) fn new(name: &str, contents: &str) -> Self {
        let path = unique_path(name);
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// A loopback HTTP server.

/// A request as the loopback server saw it.
#[derive(Debug, Clone)]
pub(crate) struct ServedRequest {
    pub(crate) method: String,
    pub(crate) path: String,
    /// Header names in lower case.
    pub(crate) headers: Vec<(String, String)>,
}

impl ServedRequest {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

type Handler = dyn Fn(&ServedRequest) -> (u16, String) + Send + Sync;

/// An HTTP/1.1 server on 127.0.0.1 answering each request through a function, one request per connection. It runs
/// on the test's runtime and stops with it.
pub(crate) struct LoopbackServer {
    pub(crate) addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<ServedRequest>>>,
}

impl LoopbackServer {
    pub(crate) async fn start(handler: impl Fn(&ServedRequest) -> (u16, String) + Send + Sync + 'static) -> Self {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Arc<Mutex<Vec<ServedRequest>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let record = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else { return };
                let handler = handler.clone();
                let record = record.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 1024];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&buf).into_owned();
                    let mut lines = text.split("\r\n");
                    let mut first = lines.next().unwrap_or("").split(' ');
                    let (method, path) = (first.next().unwrap_or("").to_owned(), first.next().unwrap_or("").to_owned());
                    let headers = lines
                        .take_while(|l| !l.is_empty())
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    let request = ServedRequest { method, path, headers };
                    let (status, body) = handler(&request);
                    record.lock().unwrap().push(request);
                    let reply = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(reply.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        LoopbackServer { addr, seen }
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests answered so far.
    pub(crate) fn requests(&self) -> Vec<ServedRequest> {
        self.seen.lock().unwrap().clone()
    }
}

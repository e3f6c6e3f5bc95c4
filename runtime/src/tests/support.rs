//! Helpers shared by the tests: a scripted HTTP client, a test service, a guard for the process environment and
//! temporary files.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::aws_json::{AwsJson, JsonError};
use crate::config::Config;
use crate::credentials::{BoxFuture, Credentials};
use crate::endpoint_lib::{Endpoint, ResolveError};
use crate::error::{ErrorMetadata, Unhandled};
use crate::http::{HttpClient, HttpRequest, HttpResponse, TransportError, TransportErrorKind};
use crate::invoke::{Handle, Operation, ServiceInfo};

// ---------------------------------------------------------------------------------------------------------------
// A scripted HTTP client.

/// What the fake client does with one request.
#[derive(Debug)]
pub(crate) enum Reply {
    /// Answer at once.
    Respond(HttpResponse),
    /// Answer after this much (virtual) time.
    After(Duration, HttpResponse),
    /// Fail with a transport error of this kind.
    Fail(TransportErrorKind),
    /// Never answer.
    Hang,
}

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
}

#[derive(Debug, Default)]
struct FakeState {
    script: VecDeque<Reply>,
    seen: Vec<Seen>,
}

/// An HTTP client that records every request and answers from a script, in order. Clones share the script and
/// the record, so a test keeps one clone and hands the other to the configuration.
#[derive(Debug, Clone, Default)]
pub(crate) struct FakeHttp {
    state: Arc<Mutex<FakeState>>,
}

impl FakeHttp {
    /// A client that answers with these replies, one per request; a request beyond the script panics.
    pub(crate) fn new(script: impl IntoIterator<Item = Reply>) -> Self {
        let state = FakeState { script: script.into_iter().collect(), seen: Vec::new() };
        FakeHttp { state: Arc::new(Mutex::new(state)) }
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
}

impl HttpClient for FakeHttp {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let reply = {
            let mut state = self.state.lock().unwrap();
            state.seen.push(Seen {
                method: request.method().clone(),
                uri: request.uri().clone(),
                headers: request.headers().clone(),
                body: request.body().clone(),
            });
            state.script.pop_front()
        };
        Box::pin(async move {
            match reply.expect("the fake HTTP client received more requests than its script has replies") {
                Reply::Respond(r) => Ok(r),
                Reply::After(delay, r) => {
                    tokio::time::sleep(delay).await;
                    Ok(r)
                }
                Reply::Fail(kind) => Err(TransportError::new(kind, "scripted transport failure")),
                Reply::Hang => std::future::pending().await,
            }
        })
    }
}

/// A response with a status and a body.
pub(crate) fn response(status: u16, body: &str) -> HttpResponse {
    http::Response::builder().status(status).body(body.as_bytes().to_vec()).unwrap()
}

/// An awsJson error response: `__type` with a namespace, a `message` and an `x-amzn-RequestId`.
pub(crate) fn error_response(status: u16, code: &str, message: &str, request_id: &str) -> HttpResponse {
    let body = serde_json::json!({ "__type": format!("com.example.svc#{code}"), "message": message });
    http::Response::builder()
        .status(status)
        .header("x-amzn-RequestId", request_id)
        .body(serde_json::to_vec(&body).unwrap())
        .unwrap()
}

// ---------------------------------------------------------------------------------------------------------------
// A test service and operation.

pub(crate) static PROTOCOL: AwsJson =
    AwsJson { target_prefix: "Svc", content_type: "application/x-amz-json-1.1", query_compatible: false };

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
}

impl crate::aws_json::ReadStructure for ValidationException {
    type Members = ValidationException;
    fn read_member(m: &mut Self, name: &str, r: &mut crate::aws_json::Reader<'_>) -> Result<bool, JsonError> {
        match name {
            "Message" => m.message = r.string()?,
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

/// The operation's error, as generated code would define it.
#[derive(Debug, PartialEq)]
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

fn decode_op_error(meta: ErrorMetadata, body: &[u8]) -> OpError {
    if meta.code() == Some("ValidationException") {
        if let Some(e) = crate::aws_json::decode_error(body, &meta) {
            return OpError::Validation(e);
        }
    }
    OpError::Unhandled(Unhandled::new(meta))
}

/// The operation `Svc.Op`.
pub(crate) fn op() -> Operation<Out, OpError> {
    Operation {
        name: "Op",
        decode_output: crate::aws_json::decode_output::<Out>,
        decode_error: decode_op_error,
        host_prefix: None,
        compress: None,
    }
}

/// A configuration with a region, fixed credentials and this transport.
pub(crate) fn config(http: &FakeHttp) -> crate::config::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .http_client(http.clone())
}

/// A client of [`SERVICE`] over this transport.
pub(crate) fn handle(http: &FakeHttp) -> Handle {
    Handle::new(config(http).build(), &SERVICE)
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

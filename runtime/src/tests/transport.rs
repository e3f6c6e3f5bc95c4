//! Tests of `http`: the default transport (hyper over rustls) against loopback sockets, with real I/O: a whole
//! call, its read timeout and a refused connection, each as the attempt loop sees it.

#![cfg(feature = "rustls")]

use std::error::Error as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::config::retry::RetryConfig;
use crate::config::timeout::TimeoutConfig;
use crate::config::{Config, Region};
use crate::error::SdkError;
use crate::http::{TransportError, TransportErrorKind};
use crate::invoke::Handle;
use crate::tests::support::invoke;

use super::support::*;

/// The configuration of a client of the configured-endpoint service at `url`.
fn loopback_config(url: &str, retry: RetryConfig, timeouts: TimeoutConfig) -> crate::config::Builder {
    Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials("AKID", "SECRET", None))
        .endpoint_url(url)
        .retry_config(retry)
        .timeout_config(timeouts)
}

/// A client of the configured-endpoint service at `url` over the default transport, without retries.
fn default_transport_client(url: &str, timeouts: TimeoutConfig) -> Handle {
    Handle::new(loopback_config(url, RetryConfig::disabled(), timeouts).build(), &CONFIGURED_ENDPOINT_SERVICE)
}

#[test]
fn without_an_http_client_requests_go_over_hyper() {
    block_on(async {
        let server = LoopbackServer::start(|_| (200, r#"{"Name":"over-hyper"}"#.into())).await;
        let handle = default_transport_client(&server.url(), TimeoutConfig::disabled());
        let out = invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
        assert_eq!(out.name.as_deref(), Some("over-hyper"));
        let seen = server.requests();
        assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("POST", "/"));
        assert_eq!(seen[0].header("x-amz-target"), Some("Svc.Op"));
        assert!(seen[0].header("authorization").is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 ")));
    });
}

#[test]
fn the_read_timeout_is_a_timeout_of_the_transport() {
    block_on(async {
        // Accepts connections and never answers.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let held = tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                open.push(stream);
            }
        });
        let timeouts = TimeoutConfig::builder().read_timeout(Duration::from_millis(200)).build();
        let start = std::time::Instant::now();
        let err = invoke(&default_transport_client(&url, timeouts), op(), b"{}".to_vec()).await.unwrap_err();
        let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
        assert!(e.is_timeout(), "{err:?}");
        assert!(start.elapsed() >= Duration::from_millis(200), "{:?}", start.elapsed());
        held.abort();
    });
}

#[test]
fn a_refused_connection_is_an_io_failure() {
    block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let err =
            invoke(&default_transport_client(&url, TimeoutConfig::disabled()), op(), b"{}".to_vec()).await.unwrap_err();
        let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
        assert!(e.is_io(), "{err:?}");
        // The chain says what happened, once: `dispatch failure: io error: connection refused by 127.0.0.1:…`.
        let text = chain(&err);
        let authority = url.trim_start_matches("http://");
        assert!(text.starts_with(&format!("dispatch failure: io error: connection refused by {authority}")), "{text}");
        assert_eq!(text.to_lowercase().matches("refused").count(), 1, "{text}");
        let segments: Vec<&str> = text.split(": ").collect();
        for (i, s) in segments.iter().enumerate() {
            assert!(!segments[i + 1..].contains(s), "`{s}` is repeated in {text}");
        }
        // DisplayErrorContext prints the same chain, then the error's Debug.
        let context = crate::error::DisplayErrorContext(&err).to_string();
        assert!(context.starts_with(&format!("{text} (")), "{context}");
        let cause = e.as_connector_error().and_then(|c| c.source()).and_then(|s| s.downcast_ref::<TransportError>());
        assert_eq!(cause.map(TransportError::kind), Some(TransportErrorKind::ConnectionRefused));
    });
}

#[test]
fn a_host_that_does_not_resolve_is_a_dns_failure() {
    block_on(async {
        let url = "http://does-not-exist.invalid:80";
        let err =
            invoke(&default_transport_client(url, TimeoutConfig::disabled()), op(), b"{}".to_vec()).await.unwrap_err();
        let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
        let text = chain(&err);
        assert!(
            text.starts_with("dispatch failure: io error: DNS lookup of does-not-exist.invalid failed: "),
            "{text}"
        );
        let cause = e.as_connector_error().and_then(|c| c.source()).and_then(|s| s.downcast_ref::<TransportError>());
        assert_eq!(cause.map(TransportError::kind), Some(TransportErrorKind::Dns));
    });
}

#[test]
fn a_body_slower_than_the_read_timeout_is_a_timeout() {
    block_on(async {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        // Sends the head and part of the body, then holds the connection open.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let held = tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf).await;
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"Name\"").await;
                open.push(stream);
            }
        });
        let timeouts = TimeoutConfig::builder().read_timeout(Duration::from_millis(200)).build();
        let err = invoke(&default_transport_client(&url, timeouts), op(), b"{}".to_vec()).await.unwrap_err();
        let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
        assert!(e.is_timeout(), "{err:?}");
        let text = chain(&err);
        assert!(text.starts_with("dispatch failure: timeout: no complete response from 127.0.0.1:"), "{text}");
        assert!(text.ends_with("within the read timeout of 200ms"), "{text}");
        held.abort();
    });
}

#[test]
fn a_large_response_over_hyper_is_read_whole_and_a_larger_one_is_refused() {
    block_on(async {
        let body = format!("{{\"Name\":\"{}\"}}", "n".repeat(3 << 20));
        let served = body.clone();
        let server = LoopbackServer::start(move |_| (200, served.clone())).await;
        let handle = default_transport_client(&server.url(), TimeoutConfig::disabled());
        let out = invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
        assert_eq!(out.name.map(|n| n.len()), Some(3 << 20));
        let config = Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(credentials("AKID", "SECRET", None))
            .endpoint_url(server.url())
            .retry_config(RetryConfig::disabled())
            .max_response_size(1 << 20)
            .build();
        let err = invoke(&Handle::new(config, &CONFIGURED_ENDPOINT_SERVICE), op(), b"{}".to_vec()).await.unwrap_err();
        let text = chain(&err);
        assert!(text.contains(&format!("declares a body of {} bytes", body.len())), "{text}");
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Connections the server closes

/// What a raw test server does on each connection.
#[derive(Debug, Clone, Copy)]
enum Serve {
    /// Answer the connection's first request with a valid awsJson response that does not say `connection: close`
    /// (with a `keep-alive` header or not), then close the connection as `close` says, as a load balancer does at
    /// its idle timeout.
    AnswerThenClose { keep_alive_header: bool, close: Close },
    /// Read the first request whole, then reset the connection without answering.
    ResetAfterRequest,
    /// Keep each connection open and answer its requests: the `n`th request the server reads (from 0, over all
    /// connections) with `answer(n)`, a status and a body; status 0 is no answer (the connection stays open, unread,
    /// until the client closes it).
    KeepAlive(fn(usize) -> (u16, &'static str)),
}

/// When a server that answered one request closes the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Close {
    /// At once.
    Now,
    /// When the next request arrives, leaving it unread: the client sees a reset.
    OnNextRequest,
    /// Once it has read the next request whole: the client sees the connection closed.
    AfterNextRequest,
}

/// A request as a raw test server read it: its head and its body.
#[derive(Debug, Clone)]
struct RawRequest {
    head: String,
    body: Vec<u8>,
    /// Whether it was answered.
    answered: bool,
    /// The connection it came on, numbered from 0 in the order the server accepted them.
    connection: usize,
}

impl RawRequest {
    fn header(&self, name: &str) -> Option<&str> {
        let lines = self.head.split("\r\n").skip(1).filter_map(|l| l.split_once(':'));
        lines.into_iter().find_map(|(k, v)| k.trim().eq_ignore_ascii_case(name).then_some(v.trim()))
    }
}

/// Read one whole request (head and `content-length` body) from the start of `buf` and the stream; `None` when
/// the connection ends first.
async fn read_request(stream: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> Option<RawRequest> {
    use tokio::io::AsyncReadExt as _;
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut request = RawRequest { head, body: Vec::new(), answered: false, connection: 0 };
    let length: usize = request.header("content-length").map_or(0, |v| v.parse().unwrap());
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    request.body = buf[head_end..head_end + length].to_vec();
    buf.drain(..head_end + length);
    Some(request)
}

/// Close a connection with a reset (a zero linger), whatever it has not read.
fn reset(stream: tokio::net::TcpStream) {
    #[allow(deprecated)] // A zero linger does not block on drop: it resets the connection.
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// Answer `first` and every later request of a connection with `answer`, keeping the connection open.
async fn keep_alive(
    mut stream: tokio::net::TcpStream,
    mut buf: Vec<u8>,
    first: RawRequest,
    answer: fn(usize) -> (u16, &'static str),
    record: Arc<Mutex<Vec<RawRequest>>>,
) {
    use tokio::io::AsyncWriteExt as _;
    let mut next = Some(first);
    while let Some(mut request) = next.take() {
        let connection = request.connection;
        let n = {
            let mut record = record.lock().unwrap();
            request.answered = true;
            record.push(request);
            record.len() - 1
        };
        let (status, body) = answer(n);
        if status == 0 {
            use tokio::io::AsyncReadExt as _;
            let mut rest = Vec::new();
            let _ = stream.read_to_end(&mut rest).await;
            return;
        }
        let reply = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
        next = read_request(&mut stream, &mut buf).await.map(|r| RawRequest { connection, ..r });
    }
}

/// A raw HTTP/1.1 server on 127.0.0.1 that serves each connection as `serve` says. It records every request it read
/// whole, and counts the requests it left unread.
struct RawServer {
    url: String,
    read: Arc<Mutex<Vec<RawRequest>>>,
    unread: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    async fn start(serve: Serve) -> Self {
        use tokio::io::AsyncWriteExt as _;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (read, unread): (Arc<Mutex<Vec<RawRequest>>>, Arc<AtomicUsize>) = Default::default();
        let (record, count) = (read.clone(), unread.clone());
        let task = tokio::spawn(async move {
            let mut connection = 0;
            while let Ok((mut stream, _)) = listener.accept().await {
                let (record, count) = (record.clone(), count.clone());
                connection += 1;
                tokio::spawn(async move {
                    let connection = connection - 1;
                    let mut buf = Vec::new();
                    let Some(mut request) = read_request(&mut stream, &mut buf).await else { return };
                    request.connection = connection;
                    let (keep_alive_header, close) = match serve {
                        Serve::AnswerThenClose { keep_alive_header, close } => (keep_alive_header, close),
                        Serve::ResetAfterRequest => {
                            record.lock().unwrap().push(request);
                            return reset(stream);
                        }
                        Serve::KeepAlive(answer) => {
                            return keep_alive(stream, buf, request, answer, record).await;
                        }
                    };
                    let body = r#"{"Name":"answered"}"#;
                    let keep_alive =
                        if keep_alive_header { "connection: keep-alive\r\nkeep-alive: timeout=60\r\n" } else { "" };
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: r\r\n\
                         {keep_alive}content-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    request.answered = stream.write_all(reply.as_bytes()).await.is_ok();
                    record.lock().unwrap().push(request);
                    match close {
                        Close::Now => drop(stream),
                        Close::OnNextRequest => {
                            if buf.is_empty() && stream.readable().await.is_ok() {
                                count.fetch_add(1, Ordering::Relaxed);
                            }
                            reset(stream);
                        }
                        Close::AfterNextRequest => {
                            if let Some(next) = read_request(&mut stream, &mut buf).await {
                                record.lock().unwrap().push(next);
                            }
                            drop(stream);
                        }
                    }
                });
            }
        });
        RawServer { url, read, unread, task }
    }

    fn read(&self) -> Vec<RawRequest> {
        self.read.lock().unwrap().clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A client of `url` over the default transport, with these retry settings.
fn client_of(url: &str, retry: RetryConfig) -> Handle {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials("AKID", "SECRET", None))
        .endpoint_url(url)
        .retry_config(retry)
        .build();
    Handle::new(config, &CONFIGURED_ENDPOINT_SERVICE)
}

/// Standard retries, after at most 1 ms.
fn quick_retries() -> RetryConfig {
    RetryConfig::standard().with_initial_backoff(Duration::from_millis(1))
}

#[test]
fn no_call_is_lost_to_a_server_that_closes_its_connection_after_each_response() {
    // A request sent on a pooled connection the server has just closed fails before any byte of a response; it is
    // retried on a new connection, and every call succeeds. The server closes at once (the client may or may not
    // have seen it before its next request), or the moment the next request arrives (the client always loses the
    // race), with a reset or not.
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let mut raced = [0; 3];
        for run in 0..12 {
            let close = [Close::Now, Close::OnNextRequest, Close::AfterNextRequest][run % 3];
            let server = RawServer::start(Serve::AnswerThenClose { keep_alive_header: run % 2 == 1, close }).await;
            let handle = client_of(&server.url, quick_retries());
            for call in 0..50 {
                let out = invoke(&handle, op(), b"{}".to_vec()).await;
                let out = out.unwrap_or_else(|e| panic!("run {run} ({close:?}), call {call}: {}", chain(&e)));
                assert_eq!(out.name.as_deref(), Some("answered"));
            }
            // The server records a request just after writing its answer, which the client may read first: give
            // the server's task up to 5 s to record the last one.
            let mut read = server.read();
            for _ in 0..5000 {
                if read.iter().filter(|r| r.answered).count() >= 50 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
                read = server.read();
            }
            let answered = read.iter().filter(|r| r.answered).count();
            assert_eq!(answered, 50, "run {run} ({close:?}): each call answered once");
            let lost = server.unread.load(Ordering::Relaxed) + read.len() - answered;
            assert!(lost <= 49, "run {run} ({close:?}): {lost}");
            raced[run % 3] += lost;
        }
        // The client did send on connections the server had closed (a call may find the connection of the call
        // before still busy and open another, so not every call does).
        assert!(raced[1] > 0 && raced[2] > 0, "{raced:?}");
    });
}

#[test]
fn a_request_the_server_read_and_reset_is_sent_again_only_as_a_retry_of_its_call() {
    // The server read the whole request and may have acted on it: the transport never sends it again by itself
    // (hyper resends only requests it never wrote). The attempt loop retries it as an I/O failure, as every AWS SDK
    // does, each time as a numbered attempt of the same invocation, with the same body (and so the same idempotency
    // token, where the operation has one).
    block_on(async {
        let server = RawServer::start(Serve::ResetAfterRequest).await;
        let handle = client_of(&server.url, RetryConfig::disabled());
        let err = invoke(&handle, op(), br#"{"Name":"once"}"#.to_vec()).await.unwrap_err();
        let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
        assert!(e.is_io(), "{err:?}");
        let text = chain(&err);
        assert!(text.starts_with("dispatch failure: io error: connection to 127.0.0.1:"), "{text}");
        assert_eq!(server.read().len(), 1, "sent once without retries");

        let server = RawServer::start(Serve::ResetAfterRequest).await;
        let handle = client_of(&server.url, quick_retries());
        invoke(&handle, op(), br#"{"Name":"again"}"#.to_vec()).await.unwrap_err();
        let read = server.read();
        let mut info: Vec<&str> = read.iter().map(|r| r.header("amz-sdk-request").unwrap()).collect();
        info.sort_unstable();
        assert_eq!(info, ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]);
        for r in &read {
            assert_eq!(r.header("amz-sdk-invocation-id"), read[0].header("amz-sdk-invocation-id"));
            assert_eq!(r.body, br#"{"Name":"again"}"#);
        }
    });
}

fn unavailable_first(n: usize) -> (u16, &'static str) {
    if n == 0 {
        (503, r#"{"__type":"ServiceUnavailable","message":"later"}"#)
    } else {
        (200, r#"{"Name":"answered"}"#)
    }
}

fn throttled_first(n: usize) -> (u16, &'static str) {
    if n == 0 {
        (400, r#"{"__type":"ThrottlingException","message":"slow down"}"#)
    } else {
        (200, r#"{"Name":"answered"}"#)
    }
}

#[test]
fn after_a_transient_error_the_default_transport_retries_on_a_new_connection() {
    use crate::config::retry::ReconnectMode::*;
    block_on(async {
        // Poisoned: neither the retry nor a later call uses the first connection again.
        let server = RawServer::start(Serve::KeepAlive(unavailable_first)).await;
        let mut handle = client_of(&server.url, retry_config(ReconnectOnTransientError));
        std::sync::Arc::get_mut(&mut handle.retries).expect("not shared yet").jitter = || 1.0;
        invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
        invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
        let connections: Vec<usize> = server.read().iter().map(|r| r.connection).collect();
        assert_eq!(connections.len(), 3);
        assert!(connections[0] == 0 && connections[1..].iter().all(|&c| c > 0), "{connections:?}");
    });
}

/// The first request gets no answer, the others an output.
fn silent_first(n: usize) -> (u16, &'static str) {
    if n == 0 {
        (0, "")
    } else {
        (200, r#"{"Name":"answered"}"#)
    }
}

#[test]
fn after_an_attempt_timeout_the_default_transport_retries_on_a_new_connection() {
    use crate::config::retry::ReconnectMode::*;
    block_on(async {
        // The default transport needs no capture for this: hyper's pool does not reuse a connection still busy with
        // the request the attempt gave up on, in either mode.
        for reconnect in [ReconnectOnTransientError, ReuseAllConnections] {
            let server = RawServer::start(Serve::KeepAlive(silent_first)).await;
            let timeouts = TimeoutConfig::builder().operation_attempt_timeout(Duration::from_millis(300)).build();
            let mut handle = Handle::new(
                loopback_config(&server.url, retry_config(reconnect), timeouts).build(),
                &CONFIGURED_ENDPOINT_SERVICE,
            );
            std::sync::Arc::get_mut(&mut handle.retries).expect("not shared yet").jitter = || 1.0;
            invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
            invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
            let connections: Vec<usize> = server.read().iter().map(|r| r.connection).collect();
            assert_eq!(connections, [0, 1, 1], "{reconnect:?}");
        }
    });
}

#[test]
fn a_connection_is_kept_after_a_throttling_error_or_when_all_are_reused() {
    use crate::config::retry::ReconnectMode::*;
    block_on(async {
        // The retry waits 100 ms, long enough for the connection to be back in the pool.
        for (answer, reconnect) in
            [(throttled_first as fn(usize) -> _, ReconnectOnTransientError), (unavailable_first, ReuseAllConnections)]
        {
            let server = RawServer::start(Serve::KeepAlive(answer)).await;
            let mut handle = client_of(&server.url, retry_config(reconnect));
            std::sync::Arc::get_mut(&mut handle.retries).expect("not shared yet").jitter = || 1.0;
            invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
            let connections: Vec<usize> = server.read().iter().map(|r| r.connection).collect();
            assert_eq!(connections, [0, 0], "{reconnect:?}");
        }
    });
}

/// Standard retries after 100 ms (with a jitter of 1), in this reconnect mode.
fn retry_config(reconnect: crate::config::retry::ReconnectMode) -> RetryConfig {
    RetryConfig::standard().with_initial_backoff(Duration::from_millis(100)).with_reconnect_mode(reconnect)
}

/// A client of `url` with [`HyperClient`](crate::http::HyperClient) set by hand: it is called through the
/// `HttpClient` interface (aws-smithy-runtime-api's request and response types), not directly as the default is.
fn explicit_hyper_client_of(url: &str, retry: RetryConfig, timeouts: TimeoutConfig) -> Handle {
    let config = loopback_config(url, retry, timeouts).http_client(crate::http::HyperClient::new()).build();
    Handle::new(config, &CONFIGURED_ENDPOINT_SERVICE)
}

#[test]
fn a_hyper_client_set_by_hand_sends_reads_times_out_and_reconnects_as_the_default_does() {
    use crate::config::retry::ReconnectMode::*;
    block_on(async {
        // A whole call.
        let server = LoopbackServer::start(|_| (200, r#"{"Name":"by-hand"}"#.into())).await;
        let handle = explicit_hyper_client_of(&server.url(), RetryConfig::disabled(), TimeoutConfig::disabled());
        let out = invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
        assert_eq!(out.name.as_deref(), Some("by-hand"));
        assert_eq!(server.requests()[0].header("x-amz-target"), Some("Svc.Op"));

        // The read timeout is a timeout of the transport.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let held = tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                open.push(stream);
            }
        });
        let timeouts = TimeoutConfig::builder().read_timeout(Duration::from_millis(200)).build();
        let err = invoke(&explicit_hyper_client_of(&url, RetryConfig::disabled(), timeouts), op(), b"{}".to_vec())
            .await
            .unwrap_err();
        let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
        assert!(e.is_timeout(), "{err:?}");
        held.abort();

        // The connection of a transient failure is poisoned through the capture the request carries.
        let server = RawServer::start(Serve::KeepAlive(unavailable_first)).await;
        let retry = retry_config(ReconnectOnTransientError);
        let mut handle = explicit_hyper_client_of(&server.url, retry, TimeoutConfig::disabled());
        std::sync::Arc::get_mut(&mut handle.retries).expect("not shared yet").jitter = || 1.0;
        invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
        let connections: Vec<usize> = server.read().iter().map(|r| r.connection).collect();
        assert_eq!(connections.len(), 2);
        assert!(connections[0] == 0 && connections[1] > 0, "{connections:?}");
    });
}

#[test]
fn the_transport_s_future_holds_a_request_and_its_exchange_once() {
    // `Transport::send` chains the exchange and the reading of its response, where an `async` block kept the request
    // and the exchange it awaited beside their copies: its future was 1,160 bytes, 320 now (the larger of the default
    // transport's and a configured client's, which are one type). The bound leaves room for other compilers' layouts.
    block_on(async {
        let handle = default_transport_client("http://127.0.0.1:1", TimeoutConfig::disabled());
        let request = http::Request::builder().uri("http://127.0.0.1:1/").body(bytes::Bytes::new()).unwrap();
        let send = handle.transport.send(request, None);
        assert!(std::mem::size_of_val(&send) <= 512, "{} bytes", std::mem::size_of_val(&send));
    });
}

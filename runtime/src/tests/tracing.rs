//! Tests of the attempt loop's `tracing` output: a span per call, an event per attempt with its facts, a warning
//! when retries or the retry quota run out, credential failures and cache refreshes, and never a secret or a body.
//! A process-wide `Subscriber` that hands what each thread emits to that thread's recorder stands in for a real one.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

use crate::config::retry::RetryConfig;
use crate::credentials::{future, CachedProvider, CredentialsError, ProvideCredentials};
use crate::invoke::*;
use crate::tests::support::invoke;

use super::support::*;

/// A span or event as recorded: its level, its name (spans) or message (events), and every other field.
#[derive(Debug, Clone)]
struct Recorded {
    span: bool,
    level: Level,
    name: String,
    fields: Vec<(String, String)>,
}

impl Recorded {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Fields(Vec<(String, String)>, Option<String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.1 = Some(format!("{value:?}"));
        } else {
            self.0.push((field.name().to_owned(), format!("{value:?}")));
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }
}

#[derive(Clone, Default)]
struct Recorder {
    records: Arc<Mutex<Vec<Recorded>>>,
    next_id: Arc<AtomicU64>,
}

impl Recorder {
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        let meta = span.metadata();
        let recorded = Recorded { span: true, level: *meta.level(), name: meta.name().to_owned(), fields: fields.0 };
        self.records.lock().unwrap().push(recorded);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let level = *event.metadata().level();
        let recorded = Recorded { span: false, level, name: fields.1.unwrap_or_default(), fields: fields.0 };
        self.records.lock().unwrap().push(recorded);
    }
}

thread_local! {
    /// The recorder of the test running on this thread, if it records.
    static CURRENT: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// The process-wide subscriber of the test binary: every callsite is always enabled, and what a thread emits goes to
/// that thread's recorder, if any. A scoped subscriber (`with_default`) per test is not enough: tracing caches a
/// callsite's interest and the maximum level across threads, so a test running beside another could find the
/// "response received" event disabled and record nothing.
struct Forward;

impl Subscriber for Forward {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        CURRENT.with_borrow(|current| current.as_ref().map(|r| r.new_span(span))).unwrap_or(Id::from_u64(u64::MAX))
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        CURRENT.with_borrow(|current| current.as_ref().map(|r| r.event(event)));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Run a future on a paused clock under a recorder and return what it recorded. The future runs on this thread (a
/// current-thread runtime), so everything it emits reaches this thread's recorder.
fn recorded<F: std::future::Future>(f: F) -> Vec<Recorded> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        tracing::subscriber::set_global_default(Forward).expect("no other global subscriber in the runtime's tests")
    });
    let recorder = Recorder::default();
    CURRENT.set(Some(recorder.clone()));
    block_on_paused(f);
    CURRENT.set(None);
    let records = recorder.records.lock().unwrap().clone();
    records
}

/// Run a call on a paused clock under the recorder and return what it recorded.
fn record(script: Vec<Reply>, retry: RetryConfig) -> (Vec<Recorded>, FakeHttp) {
    let http = FakeHttp::new(script);
    let handle = Handle::new(config(&http).retry_config(retry).build(), &SERVICE);
    let records = recorded(async {
        let _ = invoke(&handle, op(), br#"{"Secret":"BODY-SECRET"}"#.to_vec()).await;
    });
    (records, http)
}

fn events(records: &[Recorded], message: &str) -> Vec<Recorded> {
    records.iter().filter(|r| !r.span && r.name == message).cloned().collect()
}

fn assert_no_secret(records: &[Recorded]) {
    let all = format!("{records:?}");
    for secret in ["SECRET\"", "SECRET,", "BODY-SECRET", "Signature=", "x-amz-security-token"] {
        assert!(!all.contains(secret), "{secret} in {all}");
    }
}

fn ok_response(request_id: &str) -> Response {
    http::Response::builder().status(200).header("x-amzn-RequestId", request_id).body(b"{}".to_vec()).unwrap()
}

#[test]
fn a_call_is_a_span_with_the_service_and_operation() {
    let (records, _) = record(vec![Reply::Respond(ok_response("req-ok-1"))], RetryConfig::standard());
    let span = records.iter().find(|r| r.span).expect("a span");
    assert_eq!((span.name.as_str(), span.level), ("invoke", Level::INFO));
    assert_eq!(span.field("service"), Some(SERVICE.sdk_id));
    assert_eq!(span.field("operation"), Some("Op"));
    let done = events(&records, "response received");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].level, Level::DEBUG);
    assert_eq!(done[0].field("attempt"), Some("1"));
    assert_eq!(done[0].field("status"), Some("200"));
    assert_eq!(done[0].field("request_id"), Some("req-ok-1"));
    assert_eq!(done[0].field("endpoint"), Some("svc.example.com"));
    assert_no_secret(&records);
}

#[test]
fn each_attempt_logs_status_code_request_id_and_backoff() {
    let script = vec![
        Reply::Respond(error_response(503, "ServiceUnavailable", "busy", "req-1")),
        Reply::Fail(Fail::Io),
        Reply::Respond(ok_response("req-3")),
    ];
    let (records, http) = record(script, RetryConfig::standard());
    assert_eq!(http.count(), 3);
    let sent = events(&records, "sending request");
    assert_eq!(sent.iter().map(|e| e.field("attempt").unwrap()).collect::<Vec<_>>(), ["1", "2", "3"]);
    assert!(sent.iter().all(|e| e.level == Level::TRACE));
    let error = &events(&records, "error response received")[0];
    assert_eq!(error.field("status"), Some("503"));
    assert_eq!(error.field("error_code"), Some("ServiceUnavailable"));
    assert_eq!(error.field("request_id"), Some("req-1"));
    assert_eq!(error.field("retryable"), Some("true"));
    let failed = &events(&records, "attempt failed to send")[0];
    assert!(failed.field("error").unwrap().starts_with("io error: scripted transport failure"), "{failed:?}");
    let retries = events(&records, "retrying after backoff");
    assert_eq!(retries.len(), 2);
    assert!(retries.iter().all(|r| r.field("backoff").is_some_and(|b| b.ends_with('s'))), "{retries:?}");
    assert!(events(&records, "retries exhausted").is_empty());
    assert_no_secret(&records);
}

#[test]
fn running_out_of_attempts_is_a_warning() {
    let script = (0..3).map(|i| Reply::Respond(error_response(500, "InternalFailure", "x", &format!("r{i}"))));
    let (records, _) = record(script.collect(), RetryConfig::standard());
    let warning = events(&records, "retries exhausted");
    assert_eq!(warning.len(), 1);
    assert_eq!(warning[0].level, Level::WARN);
    assert_eq!(warning[0].field("attempts"), Some("3"));
    assert_eq!(warning[0].field("last_error"), Some("InternalFailure"));
    assert_eq!(warning[0].field("reason"), Some("max attempts"));
    assert_no_secret(&records);
}

#[test]
fn a_timeout_on_the_last_attempt_is_a_warning() {
    let retry = RetryConfig::standard().with_max_attempts(1);
    let (records, _) = record(vec![Reply::Hang], retry);
    assert_eq!(events(&records, "attempt timed out").len(), 1);
    assert_eq!(events(&records, "retries exhausted")[0].field("last_error"), Some("timeout"));
}

#[test]
fn running_out_of_retry_quota_is_a_warning() {
    let script = (0..101).map(|i| Reply::Respond(error_response(503, "ServiceUnavailable", "x", &format!("r{i}"))));
    let retry = RetryConfig::standard().with_max_attempts(200).with_initial_backoff(std::time::Duration::ZERO);
    let (records, http) = record(script.collect(), retry);
    assert_eq!(http.count(), 101);
    // The warning's own callsite, shared with running out of attempts, with the reason.
    let warning = events(&records, "retries exhausted");
    assert_eq!(warning.len(), 1);
    assert_eq!(warning[0].level, Level::WARN);
    assert_eq!(warning[0].field("attempts"), Some("101"));
    assert_eq!(warning[0].field("last_error"), Some("ServiceUnavailable"));
    assert_eq!(warning[0].field("reason"), Some("retry quota"));
}

#[test]
fn errors_that_are_not_retried_are_not_warnings() {
    let script = vec![Reply::Respond(error_response(400, "ValidationException", "bad", "req-v"))];
    let (records, _) = record(script, RetryConfig::standard());
    assert_eq!(events(&records, "error response received")[0].field("retryable"), Some("false"));
    assert!(records.iter().all(|r| r.level != Level::WARN));
}

#[test]
fn url_host_keeps_only_the_host() {
    assert_eq!(url_host("https://api.sagemaker.us-east-1.amazonaws.com/"), "api.sagemaker.us-east-1.amazonaws.com");
    assert_eq!(url_host("http://127.0.0.1:4566/path?q=1"), "127.0.0.1:4566");
    assert_eq!(url_host("no-scheme.example.com"), "no-scheme.example.com");
}

#[test]
fn missing_credentials_are_logged_without_detail_beyond_the_reason() {
    let http = FakeHttp::new([]);
    let handle = Handle::new(config(&http).credentials_provider(Failing("nothing configured")).build(), &SERVICE);
    let records = recorded(async {
        let _ = invoke(&handle, op(), b"{}".to_vec()).await;
    });
    let event = &events(&records, "no credentials")[0];
    let error = event.field("error").unwrap();
    assert!(error.starts_with("the credential provider was not enabled: nothing configured"), "{error}");
    assert_eq!(http.count(), 0);
}

/// A provider that always fails, for this reason.
#[derive(Debug)]
struct Failing(&'static str);

impl ProvideCredentials for Failing {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Err(CredentialsError::not_loaded(self.0)))
    }
}

#[test]
fn a_failed_refresh_with_usable_cached_credentials_is_a_warning() {
    use crate::credentials::Credentials;
    /// Credentials expiring in ten minutes, then failures.
    #[derive(Debug, Default)]
    struct Once(std::sync::atomic::AtomicBool);
    impl ProvideCredentials for Once {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            let first = !self.0.swap(true, Ordering::SeqCst);
            let expiry = std::time::SystemTime::now() + std::time::Duration::from_secs(600);
            future::ProvideCredentials::ready(if first {
                Ok(Credentials::new("AKID", "SECRET-CACHED", Some("TOKEN-CACHED".into()), Some(expiry), "tests"))
            } else {
                Err(CredentialsError::not_loaded("source gone"))
            })
        }
    }
    let cache = CachedProvider::new(Once::default());
    let records = recorded(async {
        cache.provide_credentials().await.unwrap();
        tokio::time::advance(std::time::Duration::from_secs(400)).await;
        cache.provide_credentials().await.unwrap();
    });
    let refreshed = &events(&records, "credentials refreshed")[0];
    assert!(refreshed.field("expires_in").unwrap().starts_with("Some("), "{refreshed:?}");
    let warning = &events(&records, "refreshing credentials failed; using the cached ones until they expire")[0];
    assert_eq!(warning.level, Level::WARN);
    let error = warning.field("error").unwrap();
    // The error and its cause, without the `Debug` text `DisplayErrorContext` would add.
    assert_eq!(error, "the credential provider was not enabled: source gone");
    let all = format!("{records:?}");
    assert!(!all.contains("SECRET-CACHED") && !all.contains("TOKEN-CACHED"), "{all}");
}

#[test]
fn a_failing_instance_metadata_logs_its_back_off() {
    let env = EnvGuard::clean();
    env.remove("AWS_EC2_METADATA_DISABLED");
    let http = FakeHttp::new([Reply::Fail(Fail::Io)]);
    let imds = crate::credentials::ImdsProvider::with_http_client(http.shared());
    let records = recorded(async {
        let _ = imds.provide_credentials().await;
    });
    let event = &events(&records, "instance metadata failed; not asked again for a while")[0];
    assert_eq!(event.field("backoff"), Some("60s"));
    let error = event.field("error").unwrap();
    assert_eq!(
        error,
        "instance metadata: http://169.254.169.254/latest/api/token: io error: scripted transport failure"
    );
}

#[test]
fn keys_without_their_secret_are_skipped_with_a_warning() {
    let env = EnvGuard::clean();
    env.set("AWS_ACCESS_KEY_ID", "AKID-HALF");
    let file = TempFile::new("credentials", "[default]\naws_access_key_id = AKID-FILE\naws_secret_access_key = S\n");
    env.credentials_file(&file);
    let chain = crate::credentials::DefaultChain::with_http_client(FakeHttp::new([]).shared());
    let records = recorded(async {
        assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "AKID-FILE");
    });
    let warning = &events(&records, "credentials source set up wrongly; trying the next one")[0];
    assert_eq!(warning.level, Level::WARN);
    assert_eq!(warning.field("error"), Some("environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"));
}

//! Tests of the credential sources beyond the environment and static profile keys: container credentials, instance
//! metadata, `credential_process`, the cache and the default chain, each against a local fake (a loopback HTTP
//! server, a scripted transport, temporary files and shell commands).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::credentials::*;

use super::support::*;

/// A credentials document as the container endpoint and instance metadata send it.
fn document(id: &str, expires_in: Duration) -> String {
    let expiration = aws_smithy_types::DateTime::from(SystemTime::now() + expires_in)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap();
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": id,
        "SecretAccessKey": "SECRET-FROM-SOURCE",
        "Token": "TOKEN-FROM-SOURCE",
        "Expiration": expiration,
    })
    .to_string()
}

/// An error with its causes.
fn shown(e: &CredentialsError) -> String {
    chain(e)
}

/// What a provider error says after its first line ("an error occurred while loading credentials"), checking that it
/// is a provider error: a source that was set up and failed.
fn failure(e: &CredentialsError) -> String {
    assert!(matches!(e, CredentialsError::ProviderError(_)), "{e:?}");
    chain(e)
        .strip_prefix("an error occurred while loading credentials: ")
        .expect("the provider error's line")
        .to_owned()
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains("SECRET-FROM-SOURCE") && !text.contains("TOKEN-FROM-SOURCE"), "{text}");
}

/// The expiry is the document's, to the second.
fn assert_expires_in(c: &Credentials, expected: Duration) {
    let left = c.expiry().expect("an expiry").duration_since(SystemTime::now()).unwrap();
    assert!(left <= expected && left + Duration::from_secs(5) >= expected, "{left:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// Credentials with an expiry.

#[test]
fn expiry_is_kept_and_shown_without_secrets() {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000);
    let c = Credentials::new("AKID", "SECRET-FROM-SOURCE", Some("TOKEN-FROM-SOURCE".into()), Some(at), "tests");
    assert_eq!(c.expiry(), Some(at));
    assert_eq!(credentials("AKID", "S", None).expiry(), None);
    assert_no_secret(&format!("{c:?}"));
}

// ---------------------------------------------------------------------------------------------------------------
// ContainerProvider

#[test]
fn container_relative_uri_goes_to_the_ecs_host() {
    let env = EnvGuard::clean();
    env.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
    let http = FakeHttp::new([Reply::Respond(response(200, &document("AKID-ECS", Duration::from_secs(3600))))]);
    let c = block_on(ContainerProvider::with_http_client(http.shared()).provide_credentials()).unwrap();
    assert_eq!(c.access_key_id(), "AKID-ECS");
    assert_eq!(c.secret_access_key(), "SECRET-FROM-SOURCE");
    assert_eq!(c.session_token(), Some("TOKEN-FROM-SOURCE"));
    assert_expires_in(&c, Duration::from_secs(3600));
    let seen = http.requests();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].uri.to_string(), "http://169.254.170.2/v2/credentials/abc");
    assert_eq!(seen[0].header("authorization"), None);
}

#[cfg(feature = "rustls")]
#[test]
fn container_full_uri_with_token_against_a_loopback_server() {
    let env = EnvGuard::clean();
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "auth-token-1");
    block_on(async {
        let server = LoopbackServer::start(|r| {
            if r.header("authorization") == Some("auth-token-1") {
                (200, document("AKID-FULL", Duration::from_secs(1800)))
            } else {
                (401, "{}".into())
            }
        })
        .await;
        env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/creds", server.url()));
        let c = ContainerProvider::new().provide_credentials().await.unwrap();
        assert_eq!(c.access_key_id(), "AKID-FULL");
        assert_expires_in(&c, Duration::from_secs(1800));
        let seen = server.requests();
        assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("GET", "/creds"));
    });
}

#[cfg(feature = "rustls")]
#[test]
fn container_token_file_wins_and_is_read_at_each_call() {
    let env = EnvGuard::clean();
    let file = TempFile::new("eks-token", "file-token-1\n");
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "env-token");
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.path());
    block_on(async {
        let server = LoopbackServer::start(|_| (200, document("AKID-EKS", Duration::from_secs(600)))).await;
        env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/eks", server.url()));
        let provider = ContainerProvider::new();
        provider.provide_credentials().await.unwrap();
        std::fs::write(file.path(), "file-token-2").unwrap();
        provider.provide_credentials().await.unwrap();
        let tokens: Vec<_> = server.requests().iter().map(|r| r.header("authorization").unwrap().to_owned()).collect();
        assert_eq!(tokens, ["file-token-1", "file-token-2"]);
    });
}

#[test]
fn container_full_uri_must_be_local_or_https() {
    let env = EnvGuard::clean();
    let http = FakeHttp::new([]);
    let provider = ContainerProvider::with_http_client(http.shared());
    for refused in ["http://example.com/creds", "http://169.254.169.254/creds", "ftp://127.0.0.1/x"] {
        env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", refused);
        let err = block_on(provider.provide_credentials()).unwrap_err();
        assert!(shown(&err).contains("neither HTTPS nor a loopback"), "{refused}: {}", shown(&err));
    }
    assert_eq!(http.count(), 0);
    let ok = ["http://127.0.0.1:9/c", "http://localhost/c", "http://169.254.170.23/v1/credentials", "http://[::1]/c"];
    let ok = ok.into_iter().chain(["http://169.254.170.2/c", "http://[fd00:ec2::23]/c", "https://creds.example.com/c"]);
    for allowed in ok {
        env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed);
        let http = FakeHttp::new([Reply::Respond(response(200, &document("AKID-OK", Duration::from_secs(900))))]);
        let c = block_on(ContainerProvider::with_http_client(http.shared()).provide_credentials());
        assert_eq!(c.unwrap().access_key_id(), "AKID-OK", "{allowed}");
        assert_eq!(http.requests()[0].uri.to_string(), allowed);
    }
}

#[test]
fn container_without_variables_is_an_error() {
    let _env = EnvGuard::clean();
    assert!(!ContainerProvider::is_configured());
    let err = block_on(ContainerProvider::with_http_client(FakeHttp::new([]).shared()).provide_credentials());
    assert!(shown(&err.unwrap_err()).contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"));
}

#[test]
fn container_failures_say_what_failed_once_and_never_show_a_secret() {
    let env = EnvGuard::clean();
    env.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds?role=r");
    let body = document("AKID-X", Duration::from_secs(60));
    let at = "container credentials: http://169.254.170.2/creds";
    let long = format!("{{\"message\":\"{}\"}}", "m".repeat(300));
    let cases = [
        (
            Reply::Respond(response(500, r#"{"message":"no role"}"#)),
            format!(r#"{at} answered 500 Internal Server Error: "{{\"message\":\"no role\"}}""#),
        ),
        (Reply::Respond(response(503, "")), format!("{at} answered 503 Service Unavailable")),
        (Reply::Respond(response(599, "x")), format!(r#"{at} answered 599: "x""#)),
        (
            Reply::Respond(response(500, &long)),
            format!(
                r#"{at} answered 500 Internal Server Error: "{}…" ({} bytes)"#,
                long[..200].escape_debug(),
                long.len()
            ),
        ),
        // A body that names a secret member is not shown, whatever the status.
        (
            Reply::Respond(response(500, &body)),
            format!("{at} answered 500 Internal Server Error (the body is not shown: it names a secret)"),
        ),
        (
            Reply::Respond(response(200, &format!("{body}garbage"))),
            format!("{at} answered with an unreadable document (data after the object)"),
        ),
        (
            Reply::Respond(response(200, r#"{"AccessKeyId":"A"}"#)),
            format!("{at} answered without AccessKeyId and SecretAccessKey"),
        ),
        (
            Reply::Respond(response(
                200,
                r#"{"AccessKeyId":"A","SecretAccessKey":"SECRET-FROM-SOURCE","Expiration":"soon"}"#,
            )),
            format!("{at} answered with an Expiration `soon` that is not an RFC 3339 date-time"),
        ),
        (Reply::Fail(Fail::Io), format!("{at}: io error: scripted transport failure")),
    ];
    for (reply, expected) in cases {
        let http = FakeHttp::new([reply]);
        let err = block_on(ContainerProvider::with_http_client(http.shared()).provide_credentials()).unwrap_err();
        assert_eq!(failure(&err), expected);
        assert_no_secret(&chain(&err));
        assert_no_secret(&format!("{err:?}"));
    }
}

#[test]
fn container_settings_that_cannot_work_are_an_invalid_configuration() {
    let env = EnvGuard::clean();
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds");
    let http = FakeHttp::new([]);
    let err = block_on(ContainerProvider::with_http_client(http.shared()).provide_credentials()).unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidConfiguration(_)), "{err:?}");
    assert_eq!(
        chain(&err),
        "the credentials provider was not properly configured: container credentials: \
         AWS_CONTAINER_CREDENTIALS_FULL_URI `example.com` is neither HTTPS nor a loopback, ECS or EKS host"
    );
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/creds");
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", missing_path("token"));
    let err = block_on(ContainerProvider::with_http_client(http.shared()).provide_credentials()).unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidConfiguration(_)), "{err:?}");
    let text = chain(&err);
    assert!(text.contains("container credentials: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE `"), "{text}");
    assert!(text.ends_with("`: No such file or directory (os error 2)"), "{text}");
    assert_eq!(http.count(), 0);
}

/// The call a program makes, with the default configuration, when the container credentials endpoint answers 500:
/// the error says what failed, once, with no `Debug` text before the one `DisplayErrorContext` appends.
#[cfg(feature = "rustls")]
#[test]
fn a_container_endpoint_answering_500_is_what_the_caller_sees() {
    use crate::error::DisplayErrorContext;
    let env = EnvGuard::clean();
    block_on(async {
        let server = LoopbackServer::start(|_| (500, r#"{"Message":"the role cannot be assumed"}"#.into())).await;
        env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/v2/credentials", server.url()));
        let service = FakeHttp::new([]);
        let config = crate::config::Config::builder()
            .region(crate::config::Region::new("us-east-1"))
            .http_client(service.clone())
            .build();
        let handle = crate::invoke::Handle::new(config, &SERVICE);
        let err = super::support::invoke(&handle, op(), b"{}".to_vec()).await.unwrap_err();
        let expected = format!(
            "failed to construct request: an error occurred while loading credentials: container credentials: \
             {}/v2/credentials answered 500 Internal Server Error: \"{{\\\"Message\\\":\\\"the role cannot be assumed\\\"}}\"",
            server.url()
        );
        assert_eq!(chain(&err), expected);
        let context = DisplayErrorContext(&err).to_string();
        assert!(context.starts_with(&format!("{expected} (ConstructionFailure(")), "{context}");
        assert_eq!(service.count(), 0);
    });
}

#[test]
fn container_request_times_out_after_one_second() {
    let env = EnvGuard::clean();
    env.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds");
    block_on_paused(async {
        let start = tokio::time::Instant::now();
        let http = FakeHttp::new([Reply::Hang]);
        let err = ContainerProvider::with_http_client(http.shared()).provide_credentials().await.unwrap_err();
        assert!(shown(&err).contains("did not answer within 1s"), "{}", shown(&err));
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    });
}

// ---------------------------------------------------------------------------------------------------------------
// ImdsProvider

fn imds_script(doc: &str) -> [Reply; 3] {
    [
        Reply::Respond(response(200, "imds-session-token")),
        Reply::Respond(response(200, "my-role\n")),
        Reply::Respond(response(200, doc)),
    ]
}

#[cfg(feature = "rustls")]
#[test]
fn imds_v2_against_a_loopback_server() {
    let env = EnvGuard::clean();
    env.remove("AWS_EC2_METADATA_DISABLED");
    block_on(async {
        let server = LoopbackServer::start(|r| {
            let token_ok = r.header("x-aws-ec2-metadata-token") == Some("imds-session-token");
            match (r.method.as_str(), r.path.as_str()) {
                ("PUT", "/latest/api/token") => (200, "imds-session-token".into()),
                ("GET", "/latest/meta-data/iam/security-credentials/") if token_ok => (200, "my-role".into()),
                ("GET", "/latest/meta-data/iam/security-credentials/my-role") if token_ok => {
                    (200, document("AKID-IMDS", Duration::from_secs(6 * 3600)))
                }
                _ => (401, String::new()),
            }
        })
        .await;
        env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", format!("{}/", server.url()));
        let c = ImdsProvider::new().provide_credentials().await.unwrap();
        assert_eq!((c.access_key_id(), c.session_token()), ("AKID-IMDS", Some("TOKEN-FROM-SOURCE")));
        assert_expires_in(&c, Duration::from_secs(6 * 3600));
        let seen = server.requests();
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0].header("x-aws-ec2-metadata-token-ttl-seconds"), Some("21600"));
    });
}

#[test]
fn imds_default_endpoint_and_headers() {
    let env = EnvGuard::clean();
    env.remove("AWS_EC2_METADATA_DISABLED");
    let http = FakeHttp::new(imds_script(&document("AKID-IMDS", Duration::from_secs(3600))));
    block_on(ImdsProvider::with_http_client(http.shared()).provide_credentials()).unwrap();
    let seen = http.requests();
    let uris: Vec<_> = seen.iter().map(|s| (s.method.to_string(), s.uri.to_string())).collect();
    assert_eq!(
        uris,
        [
            ("PUT".into(), "http://169.254.169.254/latest/api/token".to_owned()),
            ("GET".into(), "http://169.254.169.254/latest/meta-data/iam/security-credentials/".to_owned()),
            ("GET".into(), "http://169.254.169.254/latest/meta-data/iam/security-credentials/my-role".to_owned()),
        ]
    );
    assert_eq!(seen[1].header("x-aws-ec2-metadata-token"), Some("imds-session-token"));
    assert_eq!(seen[2].header("x-aws-ec2-metadata-token"), Some("imds-session-token"));
}

#[test]
fn imds_disabled_sends_nothing() {
    let _env = EnvGuard::clean();
    let http = FakeHttp::new([]);
    let err = block_on(ImdsProvider::with_http_client(http.shared()).provide_credentials()).unwrap_err();
    assert!(shown(&err).contains("AWS_EC2_METADATA_DISABLED"), "{}", shown(&err));
    assert_eq!(http.count(), 0);
}

#[test]
fn imds_absent_costs_one_short_attempt_then_backs_off() {
    let env = EnvGuard::clean();
    env.remove("AWS_EC2_METADATA_DISABLED");
    block_on_paused(async {
        let http = FakeHttp::new([
            Reply::Hang,
            Reply::Respond(response(200, "imds-session-token")),
            Reply::Respond(response(200, "my-role")),
            Reply::Respond(response(200, &document("AKID-LATER", Duration::from_secs(3600)))),
        ]);
        let provider = ImdsProvider::with_http_client(http.shared());
        let start = tokio::time::Instant::now();
        let err = provider.provide_credentials().await.unwrap_err();
        assert!(shown(&err).contains("did not answer within 1s"), "{}", shown(&err));
        assert_eq!(start.elapsed(), Duration::from_secs(1));
        assert_eq!(http.count(), 1, "one attempt, no retries");
        // Within the back-off: an error at once, nothing sent.
        let err = provider.provide_credentials().await.unwrap_err();
        assert!(shown(&err).contains("failed recently"), "{}", shown(&err));
        assert_eq!((start.elapsed(), http.count()), (Duration::from_secs(1), 1));
        tokio::time::advance(IMDS_BACKOFF).await;
        assert_eq!(provider.provide_credentials().await.unwrap().access_key_id(), "AKID-LATER");
        assert_eq!(http.count(), 4);
    });
}

#[test]
fn imds_failures_are_errors_without_secrets() {
    let env = EnvGuard::clean();
    env.remove("AWS_EC2_METADATA_DISABLED");
    let failing =
        serde_json::json!({ "Code": "AssumeRoleUnauthorizedAccess", "SecretAccessKey": "SECRET-FROM-SOURCE" });
    let at = "instance metadata: http://169.254.169.254/latest";
    let cases: Vec<(Vec<Reply>, String)> = vec![
        (vec![Reply::Respond(response(403, ""))], format!("{at}/api/token answered 403 Forbidden")),
        (
            vec![Reply::Respond(response(200, "t")), Reply::Respond(response(404, "none"))],
            format!(r#"{at}/meta-data/iam/security-credentials/ answered 404 Not Found: "none""#),
        ),
        (
            vec![Reply::Respond(response(200, "t")), Reply::Respond(response(200, "\n"))],
            format!("{at}/meta-data/iam/security-credentials/ lists no IAM role"),
        ),
        (
            imds_script(&failing.to_string()).into(),
            format!(
                "{at}/meta-data/iam/security-credentials/my-role answered with code `AssumeRoleUnauthorizedAccess`"
            ),
        ),
        (vec![Reply::Fail(Fail::Io)], format!("{at}/api/token: io error: scripted transport failure")),
    ];
    for (script, expected) in cases {
        let provider = ImdsProvider::with_http_client(FakeHttp::new(script).shared());
        let err = block_on(provider.provide_credentials()).unwrap_err();
        assert_eq!(failure(&err), expected);
        assert_no_secret(&chain(&err));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// ProcessProvider and credential_process in profiles

fn process_json(version: i64, expires_in: Option<Duration>) -> String {
    let mut doc = serde_json::json!({
        "Version": version,
        "AccessKeyId": "AKID-PROCESS",
        "SecretAccessKey": "SECRET-FROM-SOURCE",
        "SessionToken": "TOKEN-FROM-SOURCE",
    });
    if let Some(e) = expires_in {
        doc["Expiration"] = aws_smithy_types::DateTime::from(SystemTime::now() + e)
            .fmt(aws_smithy_types::date_time::Format::DateTime)
            .unwrap()
            .into();
    }
    doc.to_string()
}

/// A shell command printing a file's contents.
fn cat(file: &TempFile) -> String {
    format!("cat '{}'", file.path().display())
}

#[cfg(unix)]
#[test]
fn process_reads_version_1_output() {
    let out = TempFile::new("process-out.json", &process_json(1, Some(Duration::from_secs(1200))));
    let c = block_on(ProcessProvider::new(cat(&out)).provide_credentials()).unwrap();
    assert_eq!((c.access_key_id(), c.session_token()), ("AKID-PROCESS", Some("TOKEN-FROM-SOURCE")));
    assert_expires_in(&c, Duration::from_secs(1200));
    let out = TempFile::new("process-out.json", &process_json(1, None));
    assert_eq!(block_on(ProcessProvider::new(cat(&out)).provide_credentials()).unwrap().expiry(), None);
}

#[cfg(unix)]
#[test]
fn process_failures_say_why_without_the_output() {
    let v2 = TempFile::new("process-v2.json", &process_json(2, None));
    let cases = [
        (cat(&v2), "credential_process output must have `Version: 1`"),
        (format!("{}; exit 3", cat(&v2)), "credential_process failed (exit status: 3)"),
        ("echo not json".to_owned(), "credential_process answered with an unreadable document ("),
        ("head -c 1100000 /dev/zero".to_owned(), "credential_process wrote more than 1048576 bytes and was killed"),
    ];
    for (command, expected) in cases {
        let provider = ProcessProvider::new(command);
        let err = block_on(provider.provide_credentials()).unwrap_err();
        let text = failure(&err);
        assert!(text.starts_with(expected), "{text}");
        assert_no_secret(&text);
        assert_eq!(format!("{provider:?}"), "ProcessProvider");
    }
}

/// Whether process `pid` is gone (or only a zombie left for its new parent to collect).
#[cfg(target_os = "linux")]
fn process_is_gone(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        // The state follows the command name in parentheses.
        Ok(stat) => stat.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_credential_process_that_does_not_finish_in_time_is_killed_with_what_it_started() {
    // The shell writes its own pid and that of the `sleep` it starts, then waits; it would take 30 s.
    let pids = TempFile::new("process-pids", "");
    let command = format!("sleep 30 & echo $$ $! > '{}'; wait", pids.path().display());
    let provider = ProcessProvider::new(command).with_timeout(Duration::from_millis(500));
    let err = block_on(provider.provide_credentials()).unwrap_err();
    assert_eq!(failure(&err), "credential_process did not finish within 500ms and was killed");
    let written = std::fs::read_to_string(pids.path()).unwrap();
    let pids: Vec<&str> = written.split_whitespace().collect();
    assert_eq!(pids.len(), 2, "{written:?}");
    // The shell is collected before the error returns; the `sleep` gets its SIGKILL at the same time, but the kernel
    // may take a moment to finish it.
    assert!(process_is_gone(pids[0]), "the shell {} is still running", pids[0]);
    let mut waited = 0;
    while !process_is_gone(pids[1]) && waited < 100 {
        std::thread::sleep(Duration::from_millis(20));
        waited += 1;
    }
    assert!(process_is_gone(pids[1]), "the sleep {} is still running", pids[1]);
}

#[test]
fn credential_process_waits_a_minute_by_default() {
    assert_eq!(CREDENTIAL_PROCESS_TIMEOUT, Duration::from_secs(60));
}

#[cfg(unix)]
#[test]
fn profile_uses_credential_process_when_it_has_no_static_keys() {
    let env = EnvGuard::clean();
    let out = TempFile::new("profile-process.json", &process_json(1, Some(Duration::from_secs(900))));
    let config = TempFile::new(
        "config",
        &format!("[profile proc]\ncredential_process = {}\n[profile both]\naws_access_key_id = AKID-STATIC\naws_secret_access_key = S\ncredential_process = {}\n", cat(&out), cat(&out)),
    );
    env.config_file(&config);
    env.set("AWS_PROFILE", "proc");
    let c = block_on(ProfileProvider::default().provide_credentials()).unwrap();
    assert_eq!(c.access_key_id(), "AKID-PROCESS");
    let c = block_on(DefaultChain::new().provide_credentials()).unwrap();
    assert_eq!(c.access_key_id(), "AKID-PROCESS");
    env.set("AWS_PROFILE", "both");
    assert_eq!(block_on(ProfileProvider::default().provide_credentials()).unwrap().access_key_id(), "AKID-STATIC");
}

#[cfg(unix)]
#[test]
fn a_failing_credential_process_ends_the_chain() {
    let env = EnvGuard::clean();
    env.remove("AWS_EC2_METADATA_DISABLED");
    let config = TempFile::new("config", "[default]\ncredential_process = exit 7\n");
    env.config_file(&config);
    // Instance metadata would answer, but is not asked.
    let http = FakeHttp::new(imds_script(&document("AKID-IMDS", Duration::from_secs(900))));
    let chain = DefaultChain::with_http_client(http.shared());
    let err = block_on(chain.provide_credentials()).unwrap_err();
    assert_eq!(failure(&err), "credential_process failed (exit status: 7)");
    assert_eq!(http.count(), 0);
}

// ---------------------------------------------------------------------------------------------------------------
// CachedProvider

/// What a [`Counting`] provider answers: credentials, or the reason it has none.
type Answer = Result<Credentials, &'static str>;

/// A provider answering from a list, counting its calls, optionally taking a second per call.
#[derive(Debug, Clone)]
struct Counting {
    calls: Arc<AtomicUsize>,
    answers: Arc<std::sync::Mutex<Vec<Answer>>>,
    delay: Option<Duration>,
}

impl Counting {
    fn new(answers: Vec<Answer>) -> Self {
        Counting { calls: Arc::default(), answers: Arc::new(std::sync::Mutex::new(answers)), delay: None }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if let Some(d) = self.delay {
                tokio::time::sleep(d).await;
            }
            self.answers.lock().unwrap()[n].clone().map_err(CredentialsError::not_loaded)
        })
    }
}

fn expiring(id: &str, expires_in: Duration) -> Answer {
    Ok(Credentials::new(id, "S", Some("T".into()), Some(SystemTime::now() + expires_in), "tests"))
}

#[test]
fn cache_refreshes_a_few_minutes_before_expiry() {
    block_on_paused(async {
        let inner =
            Counting::new(vec![expiring("A1", Duration::from_secs(3600)), expiring("A2", Duration::from_secs(3600))]);
        let mut cache = CachedProvider::new(inner.clone());
        cache.jitter = || 0.0;
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "A1");
        tokio::time::advance(Duration::from_secs(3600) - REFRESH_BEFORE_EXPIRY - Duration::from_secs(10)).await;
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "A1");
        assert_eq!(inner.calls(), 1);
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "A2");
        assert_eq!(inner.calls(), 2);
    });
}

#[test]
fn the_refresh_margin_is_five_minutes_or_half_the_lifetime_less_up_to_a_fifth() {
    let hour = Duration::from_secs(3600);
    assert_eq!(refresh_margin(hour, 0.0), REFRESH_BEFORE_EXPIRY);
    assert_eq!(refresh_margin(Duration::from_secs(600), 0.0), REFRESH_BEFORE_EXPIRY);
    assert_eq!(refresh_margin(Duration::from_secs(120), 0.0), Duration::from_secs(60));
    assert_eq!(refresh_margin(Duration::from_secs(120), 0.5), Duration::from_secs(54));
    assert_eq!(refresh_margin(hour, 1.0), Duration::from_secs(240));
    assert_eq!(refresh_margin(Duration::ZERO, 0.3), Duration::ZERO);
}

#[test]
fn short_lived_credentials_are_fetched_once_for_many_concurrent_callers_and_again_after_half_their_life() {
    block_on_paused(async {
        // Two-minute credentials from a source that takes 300 ms, as a slow container endpoint.
        let mut inner = Counting::new(vec![
            expiring("S1", Duration::from_secs(120)),
            expiring("S2", Duration::from_secs(120)),
            Err("asked a third time"),
        ]);
        inner.delay = Some(Duration::from_millis(300));
        let cache = CachedProvider::new(inner.clone());
        let start = tokio::time::Instant::now();
        let results = futures_join_all((0..50).map(|_| cache.provide_credentials())).await;
        assert!(results.iter().all(|r| r.as_ref().unwrap().access_key_id() == "S1"));
        assert_eq!(inner.calls(), 1);
        assert_eq!(start.elapsed(), Duration::from_millis(300), "every caller waited for the one fetch");
        // Before the refresh point (a minute before expiry, moved later by at most 12 s of jitter): from the cache.
        tokio::time::advance(Duration::from_secs(59)).await;
        let results = futures_join_all((0..50).map(|_| cache.provide_credentials())).await;
        assert!(results.iter().all(|r| r.as_ref().unwrap().access_key_id() == "S1"));
        assert_eq!(inner.calls(), 1);
        // After it: one more fetch, shared again.
        tokio::time::advance(Duration::from_secs(14)).await;
        let results = futures_join_all((0..50).map(|_| cache.provide_credentials())).await;
        assert!(results.iter().all(|r| r.as_ref().unwrap().access_key_id() == "S2"));
        assert_eq!(inner.calls(), 2);
    });
}

#[test]
fn expired_credentials_are_never_given_out_even_after_a_failed_refresh() {
    block_on_paused(async {
        let inner = Counting::new(vec![expiring("X1", Duration::from_secs(20)), Err("down"), Err("still down")]);
        let mut cache = CachedProvider::new(inner.clone());
        cache.jitter = || 0.0;
        cache.provide_credentials().await.unwrap();
        // Refreshed at 10 s (half of 20): the source fails, the cached credentials serve until they expire.
        tokio::time::advance(Duration::from_secs(11)).await;
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "X1");
        tokio::time::advance(Duration::from_secs(8)).await;
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "X1");
        assert_eq!(inner.calls(), 2, "the failing source is asked again at the expiry, not before");
        // At 20 s they have expired (the retry after a failure would only come at 41 s): the source's error.
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(
            chain(&cache.provide_credentials().await.unwrap_err()),
            "the credential provider was not enabled: still down"
        );
        assert_eq!(inner.calls(), 3);
    });
}

#[test]
fn cache_keeps_credentials_without_expiry_for_a_while() {
    block_on_paused(async {
        let inner = Counting::new(vec![Ok(credentials("B1", "S", None)), Ok(credentials("B2", "S", None))]);
        let cache = CachedProvider::new(inner.clone());
        cache.provide_credentials().await.unwrap();
        tokio::time::advance(CACHE_WITHOUT_EXPIRY - Duration::from_secs(1)).await;
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "B1");
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "B2");
    });
}

#[test]
fn concurrent_callers_share_one_refresh() {
    block_on_paused(async {
        let mut inner = Counting::new(vec![expiring("C1", Duration::from_secs(3600))]);
        inner.delay = Some(Duration::from_secs(1));
        let cache = CachedProvider::new(inner.clone());
        let calls = (0..8).map(|_| cache.provide_credentials());
        let results = futures_join_all(calls).await;
        assert!(results.iter().all(|r| r.as_ref().unwrap().access_key_id() == "C1"));
        assert_eq!(inner.calls(), 1);
    });
}

#[test]
fn fresh_cached_credentials_are_given_at_once_even_while_a_refresh_is_under_way() {
    block_on_paused(async {
        let inner = Counting::new(vec![expiring("D1", Duration::from_secs(3600))]);
        let cache = CachedProvider::new(inner.clone());
        cache.provide_credentials().await.unwrap();
        // The refresh lock held (as by a refresh that has not finished): fresh credentials do not wait for it.
        let _refreshing = cache.refresh.lock().await;
        let mut call = cache.provide_credentials();
        let waker = std::task::Waker::noop();
        let polled =
            std::future::Future::poll(std::pin::Pin::new(&mut call), &mut std::task::Context::from_waker(waker));
        let std::task::Poll::Ready(Ok(credentials)) = polled else { panic!("the cached credentials waited") };
        assert_eq!(credentials.access_key_id(), "D1");
        assert_eq!(inner.calls(), 1);
    });
}

/// Poll every future on the current task until all are done (no extra dependency for `join_all`).
async fn futures_join_all<F: std::future::Future + Unpin>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut pending: Vec<Option<F>> = futures.map(Some).collect();
    let mut out: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (slot, result) in pending.iter_mut().zip(out.iter_mut()) {
            if let Some(f) = slot {
                match std::pin::Pin::new(f).poll(cx) {
                    std::task::Poll::Ready(v) => {
                        *result = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}

#[test]
fn failed_refresh_uses_unexpired_credentials_then_fails() {
    block_on_paused(async {
        let gone = || Err("source gone");
        let inner = Counting::new(vec![expiring("D1", Duration::from_secs(600)), gone(), gone()]);
        let cache = CachedProvider::new(inner.clone());
        cache.provide_credentials().await.unwrap();
        // Past the refresh time, before expiry: the refresh fails, the cached credentials still serve.
        tokio::time::advance(Duration::from_secs(400)).await;
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "D1");
        // The failing source is not asked again at once.
        tokio::time::advance(RETRY_FAILED_REFRESH - Duration::from_secs(1)).await;
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "D1");
        assert_eq!(inner.calls(), 2);
        // Expired: the error.
        tokio::time::advance(Duration::from_secs(200)).await;
        assert_eq!(
            chain(&cache.provide_credentials().await.unwrap_err()),
            "the credential provider was not enabled: source gone"
        );
        assert_eq!(inner.calls(), 3);
    });
}

#[test]
fn errors_are_not_cached() {
    block_on_paused(async {
        let inner = Counting::new(vec![Err("not yet"), Ok(credentials("E1", "S", None))]);
        let cache = CachedProvider::new(inner.clone());
        assert!(cache.provide_credentials().await.is_err());
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "E1");
    });
}

// ---------------------------------------------------------------------------------------------------------------
// DefaultChain

#[test]
fn default_chain_uses_container_credentials_after_the_profile() {
    let env = EnvGuard::clean();
    env.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
    env.remove("AWS_EC2_METADATA_DISABLED");
    // Container credentials configured: instance metadata is not asked, even when they fail.
    let http = FakeHttp::new([Reply::Respond(response(200, &document("AKID-CHAIN-ECS", Duration::from_secs(900))))]);
    let chain = DefaultChain::with_http_client(http.shared());
    assert_eq!(block_on(chain.provide_credentials()).unwrap().access_key_id(), "AKID-CHAIN-ECS");
    let http = FakeHttp::new([Reply::Respond(response(500, ""))]);
    let chain = DefaultChain::with_http_client(http.shared());
    assert_eq!(
        failure(&block_on(chain.provide_credentials()).unwrap_err()),
        "container credentials: http://169.254.170.2/v2/credentials/x answered 500 Internal Server Error"
    );
    assert_eq!(http.count(), 1);
}

#[test]
fn default_chain_ends_with_instance_metadata() {
    let env = EnvGuard::clean();
    env.remove("AWS_EC2_METADATA_DISABLED");
    let http = FakeHttp::new(imds_script(&document("AKID-CHAIN-IMDS", Duration::from_secs(900))));
    let chain = DefaultChain::with_http_client(http.shared());
    assert_eq!(block_on(chain.provide_credentials()).unwrap().access_key_id(), "AKID-CHAIN-IMDS");
}

#[test]
fn default_chain_with_nothing_names_every_source() {
    let env = EnvGuard::clean();
    env.remove("AWS_EC2_METADATA_DISABLED");
    let http = FakeHttp::new([Reply::Fail(Fail::Io)]);
    let sources = DefaultChain::with_http_client(http.shared());
    let err = block_on(sources.provide_credentials()).unwrap_err();
    assert!(matches!(err, CredentialsError::CredentialsNotLoaded(_)), "{err:?}");
    let skipped = "the credential provider was not enabled: no credentials: AWS_ACCESS_KEY_ID and \
                   AWS_SECRET_ACCESS_KEY are not set, profile `default` is not in the shared config or credentials \
                   file, no container credentials endpoint is set";
    let imds = "instance metadata: http://169.254.169.254/latest/api/token: io error: scripted transport failure";
    assert_eq!(chain(&err), format!("{skipped}: {imds}"));
    // Instance metadata backs off: the next call sends nothing, and says why.
    let err = chain(&block_on(sources.provide_credentials()).unwrap_err());
    assert_eq!(err, format!("{skipped}: instance metadata failed recently and is not asked again for 60s ({imds})"));
    assert_eq!(http.count(), 1);
    // Disabled, it is not asked and is one more source skipped.
    env.set("AWS_EC2_METADATA_DISABLED", "true");
    let err = chain(&block_on(sources.provide_credentials()).unwrap_err());
    assert_eq!(err, format!("{skipped}, instance metadata is disabled by AWS_EC2_METADATA_DISABLED"));
}

#[test]
fn default_chain_skips_half_configured_keys_after_saying_so_and_reports_them_when_nothing_else_works() {
    let env = EnvGuard::clean();
    env.set("AWS_ACCESS_KEY_ID", "AKID-HALF");
    let file = TempFile::new("credentials", "[default]\naws_secret_access_key = SECRET-FROM-SOURCE\n");
    env.credentials_file(&file);
    let err = block_on(DefaultChain::with_http_client(FakeHttp::new([]).shared()).provide_credentials()).unwrap_err();
    assert_eq!(
        chain(&err),
        "the credential provider was not enabled: no credentials: environment: AWS_ACCESS_KEY_ID is set but \
         AWS_SECRET_ACCESS_KEY is not, profile `default`: aws_secret_access_key is set but aws_access_key_id is not, \
         no container credentials endpoint is set, instance metadata is disabled by AWS_EC2_METADATA_DISABLED"
    );
    assert_no_secret(&format!("{err:?}"));
}

#[test]
fn the_default_configuration_caches_the_chain() {
    let env = EnvGuard::clean();
    env.set("AWS_ACCESS_KEY_ID", "AKID-CACHED");
    env.set("AWS_SECRET_ACCESS_KEY", "SECRET-CACHED");
    let config = crate::config::Config::builder().build();
    block_on(async {
        assert_eq!(config.credentials.provide_credentials().await.unwrap().access_key_id(), "AKID-CACHED");
        env.set("AWS_ACCESS_KEY_ID", "AKID-CHANGED");
        assert_eq!(config.credentials.provide_credentials().await.unwrap().access_key_id(), "AKID-CACHED");
    });
    assert!(format!("{:?}", config.credentials).contains("CachedProvider"), "{:?}", config.credentials);
}

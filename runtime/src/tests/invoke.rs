//! Tests of `invoke`: retry classification, and the attempt loop against a scripted transport.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use std::error::Error as _;
use std::time::{Duration, SystemTime};

use aws_smithy_async::time::StaticTimeSource;
use aws_smithy_types::retry::ErrorKind;

use crate::config::retry::RetryConfig;
use crate::config::{Config, Region};
use crate::credentials::{future, CredentialsError, ProvideCredentials};
use crate::endpoint_lib::{Endpoint, ResolveError};
use crate::error::{ErrorResponse, ProvideErrorMetadata as _, RequestId as _, SdkError};
use crate::invoke::*;
use crate::tests::support::invoke;

use super::support::*;

fn meta(status: u16, code: Option<&str>) -> ErrorResponse {
    ErrorResponse { status, code: code.map(str::to_owned), ..Default::default() }
}

// ---------------------------------------------------------------------------------------------------------------
// is_retryable

#[test]
fn retry_classification() {
    assert!(is_retryable(&meta(400, Some("ThrottlingException"))));
    assert!(is_retryable(&meta(500, Some("InternalFailure"))));
    assert!(is_retryable(&meta(503, Some("Whatever"))));
    assert!(is_retryable(&meta(429, Some("Whatever"))));
    assert!(!is_retryable(&meta(400, Some("ValidationException"))));
    assert!(!is_retryable(&meta(404, Some("ResourceNotFound"))));
}

#[test]
fn every_throttling_code_is_retryable_whatever_the_status() {
    for code in [
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
    ] {
        assert!(is_retryable(&meta(400, Some(code))), "{code}");
    }
}

#[test]
fn every_transient_code_is_retryable_whatever_the_status() {
    for code in ["RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable"]
    {
        assert!(is_retryable(&meta(400, Some(code))), "{code}");
    }
}

#[test]
fn gateway_statuses_are_retryable_without_a_code() {
    for status in [429, 500, 502, 503, 504] {
        assert!(is_retryable(&meta(status, None)), "{status}");
    }
}

#[test]
fn other_statuses_without_a_retryable_code_are_not_retryable() {
    for status in [400, 401, 403, 404, 409, 413, 501, 505] {
        assert!(!is_retryable(&meta(status, None)), "{status}");
    }
}

#[test]
fn throttling_is_a_throttling_code_or_http_429() {
    assert!(is_throttling(&meta(400, Some("ThrottlingException"))));
    assert!(is_throttling(&meta(503, Some("SlowDown"))));
    assert!(is_throttling(&meta(429, None)));
    assert!(!is_throttling(&meta(503, Some("ServiceUnavailable"))));
    assert!(!is_throttling(&meta(500, None)));
    assert!(!is_throttling(&meta(400, Some("ValidationException"))));
}

#[test]
fn codes_are_matched_exactly() {
    assert!(!is_retryable(&meta(400, Some("throttlingexception"))));
    assert!(!is_retryable(&meta(400, Some("ThrottlingExceptionX"))));
    assert!(!is_retryable(&meta(400, Some(""))));
}

// ---------------------------------------------------------------------------------------------------------------
// The request on the wire

async fn call_once() -> Seen {
    let http = FakeHttp::new([Reply::Respond(response(200, "{}"))]);
    invoke(&handle(&http), op(), br#"{"Name":"n"}"#.to_vec()).await.unwrap();
    let mut seen = http.requests();
    assert_eq!(seen.len(), 1);
    seen.remove(0)
}

#[tokio::test(start_paused = true)]
async fn request_is_a_post_to_the_root_of_the_resolved_endpoint() {
    let req = call_once().await;
    assert_eq!(req.method, http::Method::POST);
    assert_eq!(req.uri.path(), "/");
    assert_eq!(req.uri.to_string(), "https://svc.example.com/");
    assert_eq!(req.header("host"), Some("svc.example.com"));
}

#[tokio::test(start_paused = true)]
async fn request_names_the_operation_and_the_content_type() {
    let req = call_once().await;
    assert_eq!(req.header("x-amz-target"), Some("Svc.Op"));
    assert_eq!(req.header("content-type"), Some("application/x-amz-json-1.1"));
}

#[tokio::test(start_paused = true)]
async fn request_carries_the_services_user_agent() {
    let req = call_once().await;
    assert_eq!(req.header("user-agent"), Some(USER_AGENT));
}

#[tokio::test(start_paused = true)]
async fn request_body_is_passed_through_unchanged() {
    let req = call_once().await;
    assert_eq!(req.body, br#"{"Name":"n"}"#);
}

#[tokio::test(start_paused = true)]
async fn request_is_signed_with_sigv4_for_the_region_and_signing_name() {
    let req = call_once().await;
    let auth = req.header("authorization").expect("an authorization header");
    let date = req.header("x-amz-date").expect("an x-amz-date header");
    assert_eq!(date.len(), 16, "{date}"); // 20240102T030405Z
    let scope = format!("AWS4-HMAC-SHA256 Credential=AKID/{}/us-east-1/{SIGNING_NAME}/aws4_request, ", &date[..8]);
    assert!(auth.starts_with(&scope), "{auth}");
    let signed = auth.split("SignedHeaders=").nth(1).and_then(|s| s.split(',').next()).expect("SignedHeaders");
    let signed: Vec<&str> = signed.split(';').collect();
    for h in ["content-type", "host", "x-amz-date", "x-amz-target"] {
        assert!(signed.contains(&h), "{h} is not signed: {auth}");
    }
    let signature = auth.split("Signature=").nth(1).expect("Signature");
    assert_eq!(signature.len(), 64);
    assert!(signature.bytes().all(|b| b.is_ascii_hexdigit()));
}

/// The `authorization` aws-sigv4 gives a request as it was sent, signed with these keys at its `x-amz-date`: every
/// header it carries but those signing adds (`authorization`, `x-amz-date`, `x-amz-security-token`) and those added
/// after signing (`amz-sdk-*`) is handed to aws-sigv4, `user-agent` included.
fn expected_authorization(seen: &Seen, id: &str, secret: &str, token: Option<&str>) -> String {
    let date = seen.header("x-amz-date").expect("x-amz-date");
    let text =
        format!("{}-{}-{}T{}:{}:{}Z", &date[..4], &date[4..6], &date[6..8], &date[9..11], &date[11..13], &date[13..15]);
    let time = aws_smithy_types::DateTime::from_str(&text, aws_smithy_types::date_time::Format::DateTime).unwrap();
    let identity = aws_smithy_runtime_api::client::identity::Identity::from(credentials(id, secret, token));
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(SIGNING_NAME)
        .time(SystemTime::try_from(time).unwrap())
        .settings(aws_sigv4::http_request::SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let added = ["authorization", "x-amz-date", "x-amz-security-token", "amz-sdk-invocation-id", "amz-sdk-request"];
    let headers = seen.headers.iter().filter(|(k, _)| !added.contains(&k.as_str()));
    assert!(seen.headers.contains_key("user-agent"), "the request has a user-agent to hand to the signer");
    let signable = aws_sigv4::http_request::SignableRequest::new(
        seen.method.as_str(),
        seen.uri.to_string(),
        headers.map(|(k, v)| (k.as_str(), v.to_str().unwrap())),
        aws_sigv4::http_request::SignableBody::Bytes(&seen.body),
    )
    .unwrap();
    let (instructions, _) = aws_sigv4::http_request::sign(signable, &params).unwrap().into_parts();
    let (headers, _) = instructions.into_parts();
    let auth = headers.iter().find(|h| h.name() == "authorization").expect("aws-sigv4 signs with a header");
    auth.value().to_owned()
}

#[tokio::test(start_paused = true)]
async fn the_signature_is_aws_sigv4s_over_the_headers_sent() {
    // The signer is not handed the headers aws-sigv4 leaves out (user-agent): the signature must not change.
    let req = call_once().await;
    assert_eq!(req.header("authorization").unwrap(), expected_authorization(&req, "AKID", "SECRET", None));
}

#[derive(Debug, Default)]
struct RotatingSecret(Arc<AtomicUsize>);

impl ProvideCredentials for RotatingSecret {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        future::ProvideCredentials::ready(Ok(credentials("AKID", &format!("SECRET{n}"), Some(&format!("T{n}")))))
    }
}

#[tokio::test(start_paused = true)]
async fn each_attempt_signs_with_the_credentials_it_was_given_even_under_the_same_key_id() {
    // The identity made from credentials is kept while they stay the same: new ones (here the same key id with
    // another secret and token) must sign the next attempt.
    let http = FakeHttp::new([
        Reply::Respond(error_response(503, "ServiceUnavailable", "x", "r1")),
        Reply::Respond(response(200, "{}")),
        Reply::Respond(response(200, "{}")),
    ]);
    let mut config = config(&http).build();
    config.credentials = crate::config::SharedCredentialsProvider::new(RotatingSecret::default());
    let handle = Handle::new(config, &SERVICE);
    invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
    invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
    let seen = http.requests();
    for (i, req) in seen.iter().enumerate() {
        let n = i + 1;
        assert_eq!(req.header("x-amz-security-token"), Some(format!("T{n}").as_str()));
        let expected = expected_authorization(req, "AKID", &format!("SECRET{n}"), Some(&format!("T{n}")));
        assert_eq!(req.header("authorization").unwrap(), expected, "attempt {n}");
    }
}

#[tokio::test(start_paused = true)]
async fn the_secret_key_never_goes_on_the_wire() {
    let req = call_once().await;
    for (name, value) in &req.headers {
        assert!(!value.to_str().unwrap().contains("SECRET"), "{name} shows the secret");
    }
    assert!(req.header("x-amz-security-token").is_none());
}

#[tokio::test(start_paused = true)]
async fn a_session_token_is_sent_as_x_amz_security_token() {
    let http = FakeHttp::new([Reply::Respond(response(200, "{}"))]);
    let config = config(&http).credentials_provider(credentials("AKID", "SECRET", Some("TOKEN-123"))).build();
    invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(http.requests()[0].header("x-amz-security-token"), Some("TOKEN-123"));
}

#[tokio::test(start_paused = true)]
async fn endpoint_base_path_and_port_are_kept() {
    for (endpoint, uri, host) in [
        ("https://proxy.example.com/base/", "https://proxy.example.com/base/", "proxy.example.com"),
        ("https://proxy.example.com/base", "https://proxy.example.com/base/", "proxy.example.com"),
        ("http://localhost:4566", "http://localhost:4566/", "localhost:4566"),
    ] {
        let http = FakeHttp::new([Reply::Respond(response(200, "{}"))]);
        let config = config(&http).endpoint_url(endpoint).build();
        invoke(&Handle::new(config, &CONFIGURED_ENDPOINT_SERVICE), op(), b"{}".to_vec()).await.unwrap();
        let req = &http.requests()[0];
        assert_eq!(req.uri.to_string(), uri, "{endpoint}");
        assert_eq!(req.header("host"), Some(host), "{endpoint}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding a success

#[tokio::test(start_paused = true)]
async fn a_success_is_decoded() {
    let http = FakeHttp::new([Reply::Respond(response(200, r#"{"Name":"x","Count":3,"Unknown":true}"#))]);
    let out = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(out, Out { name: Some("x".into()), count: Some(3), request_id: None });
}

#[tokio::test(start_paused = true)]
async fn the_output_carries_the_request_id() {
    let ok = http::Response::builder().status(200).header("x-amzn-RequestId", "req-out-1").body(b"{}".to_vec());
    let http = FakeHttp::new([Reply::Respond(ok.unwrap())]);
    let out = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(out.request_id(), Some("req-out-1"));
}

#[tokio::test(start_paused = true)]
async fn errors_carry_the_request_id() {
    let http = FakeHttp::new([Reply::Respond(error_response(400, "ValidationException", "bad", "req-err-1"))]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-err-1"));
    let undecodable = http::Response::builder().status(200).header("x-amzn-RequestId", "req-bad-1").body(b"[".to_vec());
    let http = FakeHttp::new([Reply::Respond(undecodable.unwrap())]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-bad-1"));
    let http = FakeHttp::new([Reply::Fail(Fail::Io)]);
    let handle = Handle::new(config(&http).retry_config(RetryConfig::disabled()).build(), &SERVICE);
    let err = invoke(&handle, op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(err.request_id(), None);
}

#[tokio::test(start_paused = true)]
async fn an_empty_success_body_decodes_as_an_empty_object() {
    for body in ["", "  \n"] {
        let http = FakeHttp::new([Reply::Respond(response(200, body))]);
        let out = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap();
        assert_eq!(out, Out::default(), "{body:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn any_2xx_status_is_a_success() {
    let http = FakeHttp::new([Reply::Respond(response(204, ""))]);
    assert_eq!(invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap(), Out::default());
}

#[tokio::test(start_paused = true)]
async fn an_undecodable_success_is_a_response_error_and_not_retried() {
    let bad = http::Response::builder().status(200).header("x-amzn-requestid", "rid-7").body(b"{not json".to_vec());
    let http = FakeHttp::new([Reply::Respond(bad.unwrap()), Reply::Respond(response(200, "{}"))]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(err.request_id(), Some("rid-7"));
    assert!(err.source().is_some_and(|s| !s.to_string().is_empty()), "the decoder's message is the cause");
    let SdkError::ResponseError(e) = err else { panic!("expected a response error, got {err:?}") };
    assert_eq!(e.raw().status().as_u16(), 200);
    assert_eq!(e.raw().body().bytes(), Some(&b"{not json"[..]));
    assert_eq!(http.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_success_of_the_wrong_shape_is_a_response_error() {
    let http = FakeHttp::new([Reply::Respond(response(200, r#"{"Count":"three"}"#))]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// Service errors and retries

#[tokio::test(start_paused = true)]
async fn a_503_then_a_200_succeeds_after_one_retry() {
    let http = FakeHttp::new([
        Reply::Respond(error_response(503, "ServiceUnavailable", "later", "r1")),
        Reply::Respond(response(200, r#"{"Name":"ok"}"#)),
    ]);
    let out = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(out.name.as_deref(), Some("ok"));
    assert_eq!(http.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_validation_error_is_not_retried_and_carries_its_metadata() {
    let http = FakeHttp::new([
        Reply::Respond(error_response(400, "ValidationException", "Name is too long", "req-123")),
        Reply::Respond(response(200, "{}")),
    ]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(http.count(), 1);
    assert_eq!((err.code(), err.message()), (Some("ValidationException"), Some("Name is too long")));
    assert_eq!(err.request_id(), Some("req-123"));
    let SdkError::ServiceError(e) = err else { panic!("expected a service error, got {err:?}") };
    assert_eq!(e.raw().status().as_u16(), 400);
    assert_eq!(e.err().request_id(), Some("req-123"));
    // The body says `message`; the modeled error's member is `Message`: the message is put there.
    let OpError::Validation(v) = e.err() else { panic!("expected the modeled error, got {:?}", e.err()) };
    assert_eq!(v.message.as_deref(), Some("Name is too long"));
}

#[tokio::test(start_paused = true)]
async fn an_unmodeled_error_is_unhandled_with_its_metadata() {
    let http = FakeHttp::new([Reply::Respond(error_response(403, "AccessDeniedException", "no", "req-9"))]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(403));
    let OpError::Unhandled(u) = err.into_service_error() else { panic!("expected an unhandled error") };
    assert_eq!((u.code(), u.message(), u.request_id()), (Some("AccessDeniedException"), Some("no"), Some("req-9")));
    assert_eq!(http.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn throttling_errors_with_status_400_are_retried() {
    for code in ["ThrottlingException", "TooManyRequestsException", "ProvisionedThroughputExceededException"] {
        let http = FakeHttp::new([
            Reply::Respond(error_response(400, code, "slow down", "r1")),
            Reply::Respond(response(200, "{}")),
        ]);
        invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap();
        assert_eq!(http.count(), 2, "{code}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_throttling_code_in_the_error_type_header_is_retried() {
    let throttled = http::Response::builder()
        .status(400)
        .header("X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/")
        .body(Vec::new())
        .unwrap();
    let http = FakeHttp::new([Reply::Respond(throttled), Reply::Respond(response(200, "{}"))]);
    invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(http.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_gateway_error_with_a_non_json_body_is_retried() {
    let http =
        FakeHttp::new([Reply::Respond(response(502, "<html>Bad Gateway</html>")), Reply::Respond(response(200, "{}"))]);
    invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(http.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let http = FakeHttp::new([
        Reply::Respond(error_response(503, "ServiceUnavailable", "first", "r1")),
        Reply::Respond(error_response(503, "ServiceUnavailable", "second", "r2")),
        Reply::Respond(error_response(500, "InternalFailure", "third", "r3")),
        Reply::Respond(response(200, "{}")),
    ]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(http.count(), 3);
    assert_eq!(http.unused(), 1);
    assert_eq!((err.code(), err.message(), err.request_id()), (Some("InternalFailure"), Some("third"), Some("r3")));
    let SdkError::ServiceError(e) = err else { panic!("expected a service error, got {err:?}") };
    assert_eq!(e.raw().status().as_u16(), 500);
}

#[tokio::test(start_paused = true)]
async fn max_attempts_is_configurable() {
    let script = (0..6).map(|i| Reply::Respond(error_response(503, "ServiceUnavailable", "x", &format!("r{i}"))));
    let http = FakeHttp::new(script);
    let config = config(&http).retry_config(RetryConfig::standard().with_max_attempts(5)).build();
    let err = invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(http.count(), 5);
    assert_eq!(err.into_service_error().to_string(), "ServiceUnavailable: x");
}

#[tokio::test(start_paused = true)]
async fn disabled_retries_make_a_single_attempt() {
    let http = FakeHttp::new([
        Reply::Respond(error_response(503, "ServiceUnavailable", "x", "r1")),
        Reply::Respond(response(200, "{}")),
    ]);
    let config = config(&http).retry_config(RetryConfig::disabled()).build();
    let err = invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap_err();
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    assert_eq!(http.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn retries_resend_the_same_body_freshly_signed() {
    let http = FakeHttp::new([
        Reply::Respond(error_response(503, "ServiceUnavailable", "x", "r1")),
        Reply::Fail(Fail::Io),
        Reply::Respond(response(200, "{}")),
    ]);
    invoke(&handle(&http), op(), br#"{"Name":"again"}"#.to_vec()).await.unwrap();
    let seen = http.requests();
    assert_eq!(seen.len(), 3);
    for req in &seen {
        assert_eq!(req.body, br#"{"Name":"again"}"#);
        assert_eq!(req.header("x-amz-target"), Some("Svc.Op"));
        assert!(req.header("authorization").is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 ")));
    }
}

/// The headers of a request but those signing and the attempt number make anew for each attempt, in order.
fn attempt_invariant_headers(seen: &Seen) -> Vec<(String, Vec<u8>)> {
    let own = ["x-amz-date", "authorization", "amz-sdk-request"];
    let mut headers: Vec<(String, Vec<u8>)> = seen
        .headers
        .iter()
        .filter(|(k, _)| !own.contains(&k.as_str()))
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
    headers.sort();
    headers
}

#[tokio::test(start_paused = true)]
async fn a_retry_sends_the_first_attempts_request_again_but_for_the_signature_and_the_attempt_number() {
    // Without interceptors, the first attempt sends the request the call made and a retry makes it again: every
    // attempt must still carry the same method, URI, body and headers (the invocation id included), with only the
    // signature's and `amz-sdk-request` its own.
    let http = FakeHttp::new([unavailable(), Reply::Fail(Fail::Io), ok()]);
    let times = StaticTimeSource::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let config = config(&http).time_source(times).build();
    invoke(&Handle::new(config, &SERVICE), op(), br#"{"Name":"again"}"#.to_vec()).await.unwrap();
    let seen = http.requests();
    assert_eq!(seen.len(), 3);
    let first = &seen[0];
    for headers in ["content-type", "x-amz-target", "user-agent", "host", "content-length", "amz-sdk-invocation-id"] {
        assert!(first.header(headers).is_some(), "{headers} missing from {:?}", first.headers);
    }
    for (i, again) in seen.iter().enumerate().skip(1) {
        assert_eq!(again.method, first.method, "attempt {}", i + 1);
        assert_eq!(again.uri, first.uri, "attempt {}", i + 1);
        assert_eq!(again.body, first.body, "attempt {}", i + 1);
        assert_eq!(attempt_invariant_headers(again), attempt_invariant_headers(first), "attempt {}", i + 1);
        // At the same signing time, the same request gives the same signature: nothing signed differs.
        assert_eq!(again.header("authorization"), first.header("authorization"), "attempt {}", i + 1);
    }
    let numbers: Vec<_> = seen.iter().map(|s| s.header("amz-sdk-request").unwrap().to_owned()).collect();
    assert_eq!(numbers, ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]);
}

#[tokio::test(start_paused = true)]
async fn a_retry_of_a_compressed_request_is_compressed_too() {
    const GZIP_OP: Operation = Operation { compress: Some(crate::compression::gzip_if_large), ..OP };
    let http = FakeHttp::new([unavailable(), ok()]);
    let config = config(&http).request_min_compression_size_bytes(16).build();
    let body = format!(r#"{{"Name":"{}"}}"#, "a".repeat(2_000)).into_bytes();
    let handle = Handle::new(config, &SERVICE);
    crate::fluent::typed::<Out, OpError>(run(&handle, None, &GZIP_OP, Box::new(body.clone()), None, None).await)
        .unwrap();
    let seen = http.requests();
    assert_eq!(seen.len(), 2);
    for (i, attempt) in seen.iter().enumerate() {
        assert_eq!(attempt.header("content-encoding"), Some("gzip"), "attempt {}", i + 1);
        assert!(attempt.body.len() < body.len() / 10, "attempt {}: {} bytes", i + 1, attempt.body.len());
        assert_eq!(attempt.header("content-length"), Some(attempt.body.len().to_string().as_str()));
    }
    assert_eq!(seen[1].body, seen[0].body);
    assert_eq!(attempt_invariant_headers(&seen[1]), attempt_invariant_headers(&seen[0]));
}

// ---------------------------------------------------------------------------------------------------------------
// Transport errors

#[tokio::test(start_paused = true)]
async fn io_and_timeout_failures_are_retried() {
    for kind in [Fail::Io, Fail::Timeout] {
        let http = FakeHttp::new([Reply::Fail(kind), Reply::Respond(response(200, r#"{"Count":1}"#))]);
        let out = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap();
        assert_eq!(out.count, Some(1), "{kind:?}");
        assert_eq!(http.count(), 2, "{kind:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn other_failures_the_transport_calls_transient_or_server_errors_are_retried() {
    for kind in [ErrorKind::TransientError, ErrorKind::ServerError] {
        let http = FakeHttp::new([Reply::Fail(Fail::Other(Some(kind))), Reply::Respond(response(200, "{}"))]);
        invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap();
        assert_eq!(http.count(), 2, "{kind:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn user_and_other_transport_failures_are_not_retried() {
    for kind in [Fail::User, Fail::Other(None), Fail::Other(Some(ErrorKind::ClientError))] {
        let http = FakeHttp::new([Reply::Fail(kind), Reply::Respond(response(200, "{}"))]);
        let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
        let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
        assert_eq!((e.is_user(), e.is_other()), (kind == Fail::User, kind != Fail::User), "{kind:?}");
        assert_eq!(http.count(), 1, "{kind:?}");
        assert_eq!(http.unused(), 1, "{kind:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn transient_transport_failures_give_up_at_max_attempts() {
    let http = FakeHttp::new([
        Reply::Fail(Fail::Io),
        Reply::Fail(Fail::Io),
        Reply::Fail(Fail::Timeout),
        Reply::Respond(response(200, "{}")),
    ]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
    assert!(e.is_timeout(), "the last failure: {err:?}");
    assert_eq!(http.count(), 3);
    assert_eq!(chain(&err), "dispatch failure: timeout: scripted transport failure");
}

#[tokio::test(start_paused = true)]
async fn a_response_larger_than_the_cap_fails_the_attempt_without_retry() {
    let huge = vec![b' '; crate::http::DEFAULT_MAX_RESPONSE_SIZE + 1];
    let http = FakeHttp::new([
        Reply::Respond(http::Response::builder().status(200).body(huge).unwrap()),
        Reply::Respond(response(200, "{}")),
    ]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
    assert!(e.is_other(), "{err:?}");
    assert!(chain(&err).contains("over the max_response_size limit of 67108864 bytes"), "{}", chain(&err));
    assert_eq!(http.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_response_of_exactly_the_cap_is_read() {
    let mut body = vec![b' '; crate::http::DEFAULT_MAX_RESPONSE_SIZE];
    body[0] = b'{';
    body[crate::http::DEFAULT_MAX_RESPONSE_SIZE - 1] = b'}';
    let http = FakeHttp::new([Reply::Respond(http::Response::builder().status(200).body(body).unwrap())]);
    assert_eq!(invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap(), Out::default());
}

// ---------------------------------------------------------------------------------------------------------------
// Construction errors: nothing is sent

#[tokio::test(start_paused = true)]
async fn no_region_is_a_construction_error_and_nothing_is_sent() {
    let http = FakeHttp::new([Reply::Respond(response(200, "{}"))]);
    let config = Config::builder().credentials_provider(credentials("AKID", "SECRET", None)).http_client(http.clone());
    let err = invoke(&Handle::new(config.build(), &SERVICE), op(), b"{}".to_vec()).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "expected a construction failure, got {err:?}");
    assert_eq!(chain(&err), "failed to construct request: no region is configured");
    assert_eq!(http.count(), 0);
}

fn rejecting_resolver(_: &Config) -> Result<Endpoint, ResolveError> {
    Err(ResolveError::new("FIPS is not supported in this partition"))
}

static REJECTING_SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "Svc",
    signing_name: SIGNING_NAME,
    user_agent: USER_AGENT,
    protocol: &PROTOCOL,
    resolve_endpoint: rejecting_resolver,
};

#[tokio::test(start_paused = true)]
async fn an_endpoint_resolution_error_is_a_construction_error_and_nothing_is_sent() {
    let http = FakeHttp::new([Reply::Respond(response(200, "{}"))]);
    let err = invoke(&Handle::new(config(&http).build(), &REJECTING_SERVICE), op(), b"{}".to_vec()).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "expected a construction failure, got {err:?}");
    let resolve = err.source().and_then(|s| s.downcast_ref::<ResolveError>()).expect("the resolver's error");
    assert_eq!(resolve.message(), "FIPS is not supported in this partition");
    assert_eq!(http.count(), 0);
}

#[tokio::test(start_paused = true)]
async fn an_invalid_endpoint_url_is_a_construction_error_and_nothing_is_sent() {
    for endpoint in ["https://bad host.example.com", "/no/host"] {
        let http = FakeHttp::new([Reply::Respond(response(200, "{}"))]);
        let config = config(&http).endpoint_url(endpoint).build();
        let err = invoke(&Handle::new(config, &CONFIGURED_ENDPOINT_SERVICE), op(), b"{}".to_vec()).await.unwrap_err();
        assert!(matches!(err, SdkError::ConstructionFailure(_)), "{endpoint}: {err:?}");
        assert!(chain(&err).contains(endpoint), "{endpoint}: {}", chain(&err));
        assert_eq!(http.count(), 0, "{endpoint}");
    }
}

#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Err(CredentialsError::not_loaded("the vault is locked")))
    }
}

#[tokio::test(start_paused = true)]
async fn a_credentials_error_is_a_construction_error_and_nothing_is_sent() {
    let http = FakeHttp::new([Reply::Respond(response(200, "{}"))]);
    let config = config(&http).credentials_provider(NoCredentials).build();
    let err = invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "expected a construction failure, got {err:?}");
    let source = err.source().and_then(|s| s.downcast_ref::<CredentialsError>()).expect("the provider's error");
    assert!(matches!(source, CredentialsError::CredentialsNotLoaded(_)), "{source:?}");
    assert!(chain(&err).ends_with(": the vault is locked"), "{}", chain(&err));
    assert_eq!(http.count(), 0);
}

#[derive(Debug, Default)]
struct CountingCredentials(Arc<AtomicUsize>);

impl ProvideCredentials for CountingCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        future::ProvideCredentials::ready(Ok(credentials(&format!("AKID{n}"), "SECRET", None)))
    }
}

#[tokio::test(start_paused = true)]
async fn credentials_are_asked_for_before_each_attempt() {
    let asked = Arc::new(AtomicUsize::new(0));
    let http = FakeHttp::new([
        Reply::Respond(error_response(503, "ServiceUnavailable", "x", "r1")),
        Reply::Respond(response(200, "{}")),
    ]);
    // The configuration's provider (past the cache a built configuration puts in front of it) is asked before each
    // attempt, so that an attempt never signs with credentials the provider has replaced.
    let mut config = config(&http).build();
    config.credentials = crate::config::SharedCredentialsProvider::new(CountingCredentials(asked.clone()));
    invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 2);
    let seen = http.requests();
    assert!(seen[0].header("authorization").unwrap().contains("Credential=AKID1/"));
    assert!(seen[1].header("authorization").unwrap().contains("Credential=AKID2/"));
}

#[tokio::test(start_paused = true)]
async fn a_configured_provider_is_asked_once_for_both_attempts_through_the_cache() {
    let asked = Arc::new(AtomicUsize::new(0));
    let http = FakeHttp::new([
        Reply::Respond(error_response(503, "ServiceUnavailable", "x", "r1")),
        Reply::Respond(response(200, "{}")),
    ]);
    let config = config(&http).credentials_provider(CountingCredentials(asked.clone())).build();
    invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    assert!(http.requests().iter().all(|r| r.header("authorization").unwrap().contains("Credential=AKID1/")));
}

// ---------------------------------------------------------------------------------------------------------------
// Handle

#[test]
fn handle_keeps_the_configuration_and_service() {
    let http = FakeHttp::default();
    let handle = handle(&http);
    assert!(std::ptr::eq(handle.service, &SERVICE));
    assert_eq!(handle.config.region(), Some(&Region::new("us-east-1")));
    assert_eq!(handle.user_agent, USER_AGENT);
}

/// How many times [`counted_endpoint`] resolved an endpoint.
static RESOLVED: AtomicUsize = AtomicUsize::new(0);

fn counted_endpoint(_: &Config) -> Result<Endpoint, ResolveError> {
    RESOLVED.fetch_add(1, Ordering::SeqCst);
    Ok(Endpoint::new(ENDPOINT))
}

/// [`SERVICE`], counting its endpoint resolutions.
static COUNTED_SERVICE: ServiceInfo = ServiceInfo {
    sdk_id: "Svc",
    signing_name: SIGNING_NAME,
    user_agent: USER_AGENT,
    protocol: &PROTOCOL,
    resolve_endpoint: counted_endpoint,
};

#[tokio::test(start_paused = true)]
async fn a_handle_resolves_its_endpoint_once_and_each_call_with_a_host_prefix_for_itself() {
    let http = FakeHttp::new((0..4).map(|_| Reply::Respond(response(200, "{}"))));
    let handle = Handle::new(config(&http).build(), &COUNTED_SERVICE);
    invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
    invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(RESOLVED.load(Ordering::SeqCst), 1);
    let prefixed = || Op { host_prefix: Some("foo.".to_owned()) };
    invoke(&handle, prefixed(), b"{}".to_vec()).await.unwrap();
    invoke(&handle, prefixed(), b"{}".to_vec()).await.unwrap();
    assert_eq!(RESOLVED.load(Ordering::SeqCst), 3);
    let hosts: Vec<_> = http.requests().iter().map(|r| r.header("host").unwrap().to_owned()).collect();
    assert_eq!(hosts, ["svc.example.com", "svc.example.com", "foo.svc.example.com", "foo.svc.example.com"]);
}

#[test]
fn host_prefixes_go_before_the_host_and_must_be_dns_labels() {
    assert_eq!(prefixed_url("https://example.com", "foo.").unwrap(), "https://foo.example.com");
    assert_eq!(prefixed_url("https://example.com/custom", "foo.bar.").unwrap(), "https://foo.bar.example.com/custom");
    assert_eq!(prefixed_url("http://127.0.0.1:9000", "a-1.").unwrap(), "http://a-1.127.0.0.1:9000");
    for bad in ["foo", "foo..", ".", "foo/.", "a b.", "évé."] {
        assert!(prefixed_url("https://example.com", bad).is_err(), "{bad}");
    }
    assert!(prefixed_url("example.com", "foo.").is_err());
}

#[test]
fn the_handle_asks_the_http_client_for_a_connector_with_the_configured_timeouts() {
    let http = FakeHttp::default();
    let _ = handle(&http);
    assert_eq!(http.settings(), [(Some(Duration::from_millis(3100)), None)]);
    let http = FakeHttp::default();
    let timeouts = crate::config::timeout::TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(1))
        .read_timeout(Duration::from_secs(2))
        .build();
    let _ = Handle::new(config(&http).timeout_config(timeouts).build(), &SERVICE);
    assert_eq!(http.settings(), [(Some(Duration::from_secs(1)), Some(Duration::from_secs(2)))]);
}

#[tokio::test(start_paused = true)]
async fn the_app_name_follows_the_user_agent() {
    let http = FakeHttp::new([Reply::Respond(response(200, "{}"))]);
    let config = config(&http).app_name(crate::config::AppName::new("my-app").unwrap()).build();
    invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(http.requests()[0].header("user-agent"), Some("svc-client/1.2.3 app/my-app"));
}

// ---------------------------------------------------------------------------------------------------------------
// The signing time and idempotency tokens

#[tokio::test(start_paused = true)]
async fn the_signing_time_comes_from_the_configured_time_source() {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000); // 2023-11-14T22:13:20Z
    let http = FakeHttp::new([
        Reply::Respond(error_response(503, "ServiceUnavailable", "x", "r1")),
        Reply::Respond(response(200, "{}")),
    ]);
    let config = config(&http).time_source(StaticTimeSource::new(at)).build();
    invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap();
    let seen = http.requests();
    for req in &seen {
        assert_eq!(req.header("x-amz-date"), Some("20231114T221320Z"));
        let auth = req.header("authorization").unwrap();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKID/20231114/us-east-1/svcsigning/aws4_request"),
            "{auth}"
        );
    }
    // The same request at the same time is the same signature.
    assert_eq!(seen[0].header("authorization"), seen[1].header("authorization"));
}

#[tokio::test(start_paused = true)]
async fn without_a_time_source_requests_are_signed_with_the_system_clock() {
    let before = aws_smithy_types::DateTime::from(SystemTime::now()).secs();
    let req = call_once().await;
    let after = aws_smithy_types::DateTime::from(SystemTime::now()).secs();
    let date = req.header("x-amz-date").unwrap();
    let signed = aws_smithy_types::DateTime::from_str(
        &format!(
            "{}-{}-{}T{}:{}:{}Z",
            &date[0..4],
            &date[4..6],
            &date[6..8],
            &date[9..11],
            &date[11..13],
            &date[13..15]
        ),
        aws_smithy_types::date_time::Format::DateTime,
    )
    .unwrap()
    .secs();
    assert!(before <= signed && signed <= after, "{date}");
}

#[test]
fn an_idempotency_token_is_a_version_4_uuid() {
    for _ in 0..1000 {
        let token = idempotency_token();
        let groups: Vec<&str> = token.split('-').collect();
        assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{token}");
        assert!(token.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{token}");
        assert!(groups[2].starts_with('4'), "version 4: {token}");
        assert!(groups[3].starts_with(['8', '9', 'a', 'b']), "RFC 4122 variant: {token}");
    }
}

#[test]
fn hex_digits_are_the_lower_case_hexadecimal_of_a_word() {
    let mut values =
        vec![0, 1, 9, 10, 15, 16, 0x9a, 0xa9, 0xffff_ffff, 0x0123_4567, 0x89ab_cdef, 0xfedc_ba98, 0x8000_0000];
    values.extend((0..32).map(|i| 1u32 << i));
    values.extend((0..10_000).map(|_| fastrand::u32(..)));
    for x in values {
        let digits = crate::invoke::hex_digits(x);
        assert_eq!(std::str::from_utf8(&digits).unwrap(), format!("{x:08x}"));
    }
}

#[test]
fn idempotency_tokens_differ_between_calls() {
    let tokens: std::collections::HashSet<String> = (0..1000).map(|_| idempotency_token()).collect();
    assert_eq!(tokens.len(), 1000);
}

#[test]
fn idempotency_tokens_use_every_random_bit() {
    // Over many tokens, each of the 122 random bits is sometimes 0 and sometimes 1; the 6 fixed ones never change.
    let (mut ones, mut zeros) = (0u128, 0u128);
    for _ in 0..200 {
        let bits = u128::from_str_radix(&idempotency_token().replace('-', ""), 16).unwrap();
        ones |= bits;
        zeros |= !bits;
    }
    let varying = ones & zeros;
    assert_eq!(varying.count_ones(), 122, "{varying:032x}");
}

// ---------------------------------------------------------------------------------------------------------------
// The AWS SDKs' headers: amz-sdk-invocation-id and amz-sdk-request

fn unavailable() -> Reply {
    Reply::Respond(error_response(503, "ServiceUnavailable", "later", "r"))
}

fn ok() -> Reply {
    Reply::Respond(response(200, "{}"))
}

/// The `amz-sdk-request` header of each request.
fn request_info(http: &FakeHttp) -> Vec<String> {
    http.requests().iter().map(|r| r.header("amz-sdk-request").expect("amz-sdk-request").to_owned()).collect()
}

/// The `amz-sdk-invocation-id` header of each request.
fn invocation_ids(http: &FakeHttp) -> Vec<String> {
    http.requests()
        .iter()
        .map(|r| r.header("amz-sdk-invocation-id").expect("amz-sdk-invocation-id").to_owned())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn every_attempt_of_a_call_carries_the_calls_invocation_id_and_its_own_number() {
    let http = FakeHttp::new([unavailable(), Reply::Fail(Fail::Io), ok(), ok()]);
    let handle = handle(&http);
    invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
    invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(request_info(&http), ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3", "attempt=1; max=3"]);
    let ids = invocation_ids(&http);
    assert_eq!(ids[0], ids[1]);
    assert_eq!(ids[0], ids[2]);
    assert_ne!(ids[0], ids[3], "each call has an invocation id of its own");
    for id in &ids {
        let groups: Vec<&str> = id.split('-').collect();
        assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{id}");
        assert!(id.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{id}");
        assert!(groups[2].starts_with('4') && groups[3].starts_with(['8', '9', 'a', 'b']), "a version 4 UUID: {id}");
    }
}

#[tokio::test(start_paused = true)]
async fn invocation_ids_differ_between_calls() {
    let http = FakeHttp::new((0..200).map(|_| ok()));
    let handle = handle(&http);
    for _ in 0..200 {
        invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
    }
    let ids: std::collections::HashSet<String> = invocation_ids(&http).into_iter().collect();
    assert_eq!(ids.len(), 200);
}

#[tokio::test(start_paused = true)]
async fn the_sdk_headers_are_added_after_signing() {
    // As aws-sdk-rust does: they change from one attempt to the next, and are not part of the signature.
    let req = call_once().await;
    assert!(req.header("amz-sdk-invocation-id").is_some() && req.header("amz-sdk-request").is_some());
    let auth = req.header("authorization").unwrap();
    let signed = auth.split("SignedHeaders=").nth(1).and_then(|s| s.split(',').next()).unwrap();
    assert!(!signed.contains("amz-sdk"), "{auth}");
    assert!(signed.split(';').any(|h| h == "x-amz-target"), "{auth}");
}

#[tokio::test(start_paused = true)]
async fn max_is_the_configured_most_attempts_in_every_mode() {
    for (retry, expected) in [
        (RetryConfig::disabled(), "attempt=1; max=1"),
        (RetryConfig::standard().with_max_attempts(5), "attempt=1; max=5"),
        (RetryConfig::adaptive(), "attempt=1; max=3"),
        (RetryConfig::adaptive().with_max_attempts(7), "attempt=1; max=7"),
    ] {
        let http = FakeHttp::new([ok()]);
        let config = config(&http).retry_config(retry.clone()).build();
        invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap();
        assert_eq!(request_info(&http), [expected], "{retry:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn attempts_past_the_tenth_are_numbered_too() {
    let http = FakeHttp::new((0..11).map(|_| unavailable()).chain([ok()]));
    let config = config(&http).retry_config(RetryConfig::standard().with_max_attempts(12)).build();
    invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap();
    let expected: Vec<String> = (1..=12).map(|n| format!("attempt={n}; max=12")).collect();
    assert_eq!(request_info(&http), expected);
}

/// A configuration on a fixed clock, 2024-01-02T03:04:05Z, with this read timeout.
fn at_a_fixed_time(http: &FakeHttp, read_timeout: Option<Duration>) -> Handle {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645);
    let mut timeouts = crate::config::timeout::TimeoutConfig::builder();
    timeouts.set_read_timeout(read_timeout);
    let config = config(http).time_source(StaticTimeSource::new(at)).timeout_config(timeouts.build());
    Handle::new(config.build(), &SERVICE)
}

/// A 503 with this `date` header.
fn unavailable_at(date: &str) -> Reply {
    let mut r = error_response(503, "ServiceUnavailable", "later", "r");
    r.headers_mut().insert("date", date.parse().unwrap());
    Reply::Respond(r)
}

#[tokio::test(start_paused = true)]
async fn after_a_dated_response_the_attempt_announces_when_the_client_gives_up_on_it() {
    // As aws-sdk-rust: the time now, plus the read timeout, plus how far the service's clock is ahead (10 s), in
    // whole seconds. The first attempt has no service clock to go by.
    let http = FakeHttp::new([unavailable_at("Tue, 02 Jan 2024 03:04:15 GMT"), unavailable(), ok()]);
    invoke(&at_a_fixed_time(&http, Some(Duration::from_millis(5500))), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(
        request_info(&http),
        ["attempt=1; max=3", "ttl=20240102T030420Z; attempt=2; max=3", "ttl=20240102T030420Z; attempt=3; max=3"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_service_clock_behind_the_clients_adds_nothing_to_the_ttl() {
    let http = FakeHttp::new([unavailable_at("Tue, 02 Jan 2024 03:00:00 GMT"), ok()]);
    invoke(&at_a_fixed_time(&http, Some(Duration::from_secs(30))), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(request_info(&http), ["attempt=1; max=3", "ttl=20240102T030435Z; attempt=2; max=3"]);
}

#[tokio::test(start_paused = true)]
async fn without_a_read_timeout_or_a_dated_response_there_is_no_ttl() {
    for (reply, read_timeout) in [
        (unavailable_at("Tue, 02 Jan 2024 03:04:15 GMT"), None),
        (unavailable(), Some(Duration::from_secs(5))),
        (unavailable_at("not a date"), Some(Duration::from_secs(5))),
    ] {
        let http = FakeHttp::new([reply, ok()]);
        invoke(&at_a_fixed_time(&http, read_timeout), op(), b"{}".to_vec()).await.unwrap();
        assert_eq!(request_info(&http), ["attempt=1; max=3", "attempt=2; max=3"]);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Reconnect mode: the connection of a transient failure is poisoned

fn reuse_all() -> RetryConfig {
    RetryConfig::standard().with_reconnect_mode(crate::config::retry::ReconnectMode::ReuseAllConnections)
}

#[tokio::test(start_paused = true)]
async fn by_default_a_transient_failure_poisons_the_connection_of_its_attempt() {
    // 5xx, I/O failures and the transport's timeouts, as aws-sdk-rust's ReconnectOnTransientError; the last attempt's
    // too, though nothing follows it on this call.
    let http = FakeHttp::new([unavailable(), Reply::Fail(Fail::Io), Reply::Fail(Fail::Timeout)]);
    invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(http.captured(), [true, true, true]);
    assert_eq!(http.poisoned(), [0, 1, 2]);
}

#[tokio::test(start_paused = true)]
async fn throttling_errors_final_errors_and_successes_leave_the_connection_alone() {
    let http = FakeHttp::new([
        Reply::Respond(error_response(400, "ThrottlingException", "slow down", "r")),
        ok(),
        Reply::Respond(error_response(400, "ValidationException", "no", "r")),
    ]);
    let handle = handle(&http);
    invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
    invoke(&handle, op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(http.captured(), [true, true, true]);
    assert_eq!(http.poisoned(), Vec::<usize>::new());
}

#[tokio::test(start_paused = true)]
async fn an_attempt_timeout_poisons_the_connection_it_gave_up_on() {
    let http = FakeHttp::new([Reply::Hang, ok()]);
    let timeouts =
        crate::config::timeout::TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(1)).build();
    let config = config(&http).timeout_config(timeouts).build();
    invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(http.poisoned(), [0]);
}

#[tokio::test(start_paused = true)]
async fn reuse_all_connections_captures_and_poisons_nothing() {
    let http = FakeHttp::new([unavailable(), Reply::Fail(Fail::Io), ok()]);
    let config = config(&http).retry_config(reuse_all()).build();
    invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(http.captured(), [false, false, false]);
    assert_eq!(http.poisoned(), Vec::<usize>::new());
}

#[test]
fn an_attempts_request_is_a_copy_of_the_base_with_room_for_the_added_headers() {
    let mut base = http::Request::new(bytes::Bytes::from_static(b"{\"A\":1}"));
    *base.method_mut() = http::Method::PUT;
    *base.uri_mut() = "https://svc.example.com/a?b=c".parse().unwrap();
    *base.version_mut() = http::Version::HTTP_10;
    base.extensions_mut().insert(7u32);
    for (name, value) in [("x-one", "1"), ("x-two", "2"), ("x-one", "again"), ("content-type", "t")] {
        base.headers_mut().append(http::HeaderName::from_static(name), http::HeaderValue::from_static(value));
    }
    let copy = attempt_request(&base);
    assert_eq!(copy.method(), base.method());
    assert_eq!(copy.uri(), base.uri());
    assert_eq!(copy.version(), base.version());
    assert_eq!(copy.body(), base.body());
    assert_eq!(copy.extensions().get::<u32>(), Some(&7));
    let pairs = |r: &http::Request<bytes::Bytes>| -> Vec<(String, String)> {
        r.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned())).collect()
    };
    assert_eq!(pairs(&copy), pairs(&base));
    assert_eq!(copy.headers().get_all("x-one").iter().collect::<Vec<_>>(), ["1", "again"]);
    assert!(copy.headers().capacity() >= base.headers().len() + ADDED_HEADERS, "{}", copy.headers().capacity());
}

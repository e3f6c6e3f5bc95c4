//! Tests of `error`: the protocol's `ErrorResponse`, `Unhandled`, the payloads and methods of `SdkError`
//! (`into_service_error`, `raw_response`, `ProvideErrorMetadata`, `RequestId`), `Display` and `source`, and the
//! conversion to aws-sdk-rust's own `SdkError`.

use std::error::Error as _;

use aws_smithy_types::body::SdkBody;

use crate::error::*;
use crate::http::HttpResponse;
use crate::validation::{Path, ValidationError, Violations};

use super::support::{chain, Fail, OpError, ValidationException};

fn full_response() -> ErrorResponse {
    ErrorResponse {
        status: 400,
        code: Some("ValidationException".into()),
        message: Some("Name is too long".into()),
        request_id: Some("req-1".into()),
        error_type: None,
        summary: String::new(),
    }
}

/// A raw response with a status and, when given, an `x-amzn-RequestId`.
fn raw(status: u16, request_id: Option<&str>) -> HttpResponse {
    let mut r = HttpResponse::new(status.try_into().unwrap(), SdkBody::from("{}"));
    if let Some(id) = request_id {
        r.headers_mut().insert("x-amzn-RequestId", id.to_owned());
    }
    r
}

fn unhandled_service_error() -> SdkError<OpError> {
    SdkError::service_error(OpError::Unhandled(Unhandled::from_response(full_response())), raw(400, Some("req-1")))
}

fn construction() -> SdkError<OpError> {
    SdkError::construction_failure("no region is configured")
}

fn validation_error() -> ValidationError {
    let mut v = Violations::new();
    v.required(&Path::Root.field("Name"));
    v.into_result("CreateInput").unwrap_err()
}

/// One error of each kind, and the line `Display` gives it.
fn one_of_each() -> Vec<(SdkError<OpError>, &'static str)> {
    vec![
        (construction(), "failed to construct request"),
        (SdkError::timeout_error("the attempt timed out after 5s"), "request has timed out"),
        (SdkError::dispatch_failure(Fail::Io.error()), "dispatch failure"),
        (SdkError::response_error("expected value", raw(200, Some("req-r"))), "response error"),
        (unhandled_service_error(), "service error"),
        (SdkError::Validation(validation_error()), "invalid input, not sent"),
    ]
}

// ---------------------------------------------------------------------------------------------------------------
// ErrorResponse and Unhandled

#[test]
fn error_response_accessors() {
    let m = full_response();
    assert_eq!(
        (m.status(), m.code(), m.message(), m.request_id()),
        (400, Some("ValidationException"), Some("Name is too long"), Some("req-1"))
    );
}

#[test]
fn the_error_type_is_the_code_unless_the_response_names_another_shape() {
    assert_eq!(full_response().error_type(), Some("ValidationException"));
    let query = ErrorResponse { error_type: Some("CustomCodeError".into()), ..full_response() };
    assert_eq!((query.code(), query.error_type()), (Some("ValidationException"), Some("CustomCodeError")));
    assert_eq!(ErrorResponse::default().error_type(), None);
}

#[test]
fn error_response_metadata_has_code_message_and_request_id() {
    let meta = full_response().into_metadata();
    assert_eq!(meta.code(), Some("ValidationException"));
    assert_eq!(meta.message(), Some("Name is too long"));
    assert_eq!(meta.extra("aws_request_id"), Some("req-1"));
    assert_eq!(ErrorResponse { status: 503, ..Default::default() }.into_metadata(), ErrorMetadata::default());
}

#[test]
fn unhandled_exposes_the_metadata() {
    use crate::error::RequestId as _;
    let u = Unhandled::from_response(full_response());
    assert_eq!(
        (u.code(), u.message(), u.request_id()),
        (Some("ValidationException"), Some("Name is too long"), Some("req-1"))
    );
    assert_eq!(u.meta(), &full_response().into_metadata());
}

#[test]
fn unhandled_display_is_code_and_message() {
    assert_eq!(Unhandled::from_response(full_response()).to_string(), "ValidationException: Name is too long");
    let no_message = ErrorResponse { message: None, ..full_response() };
    assert_eq!(Unhandled::from_response(no_message).to_string(), "ValidationException");
    let bare = Unhandled::from_response(ErrorResponse { status: 500, ..Default::default() });
    assert_eq!(bare.to_string(), "unhandled error without a code");
}

#[test]
fn unhandled_without_a_code_says_what_arrived() {
    let summary = describe_response(503, Some("text/html"), b"<html>Service Unavailable</html>");
    let u = Unhandled::from_response(ErrorResponse { status: 503, summary, ..Default::default() });
    assert_eq!(
        u.to_string(),
        r#"no recognisable error in the response: HTTP 503, content-type text/html, body "<html>Service Unavailable</html>""#
    );
    assert!(u.source().is_none());
    assert_eq!((u.code(), u.message()), (None, None));
}

#[test]
fn a_described_response_is_bounded_escaped_and_whole_characters() {
    assert_eq!(describe_response(500, None, b""), "HTTP 500, no content-type, empty body");
    assert_eq!(
        describe_response(502, Some("text/plain"), b"a\"b\x01\n"),
        r#"HTTP 502, content-type text/plain, body "a\"b\u{1}\n""#
    );
    // Invalid UTF-8 is replaced.
    assert_eq!(describe_response(200, None, b"\xff!"), "HTTP 200, no content-type, body \"\u{fffd}!\"");
    // A long body: the first EXCERPT_BYTES bytes and the length.
    let long = "x".repeat(10_000);
    let d = describe_response(200, Some("application/json"), long.as_bytes());
    let expected = format!(
        r#"HTTP 200, content-type application/json, body (10000 bytes) begins "{}""#,
        "x".repeat(EXCERPT_BYTES)
    );
    assert_eq!(d, expected);
    // A character cut by the end of the excerpt is left out, not replaced.
    let mut cut = "y".repeat(EXCERPT_BYTES - 1);
    cut.push_str("é and more");
    let d = describe_response(200, None, cut.as_bytes());
    assert!(d.ends_with(&format!("begins \"{}\"", "y".repeat(EXCERPT_BYTES - 1))), "{d}");
    // A hostile content type is cut and escaped too.
    let d = describe_response(200, Some(&"t\n".repeat(500)), b"{}");
    assert!(d.len() < 300 && !d.contains('\n'), "{d}");
}

#[test]
fn unhandled_from_a_response_is_described_by_its_metadata_alone() {
    let u = Unhandled::from_response(full_response());
    assert_eq!(u.to_string(), "ValidationException: Name is too long");
    assert!(u.source().is_none(), "nothing to repeat: {u:?}");
}

#[test]
fn unhandled_from_another_failure_keeps_it_as_its_cause() {
    let u = Unhandled::new("connection reset".into(), None);
    assert_eq!(u.to_string(), "unhandled error");
    assert_eq!(u.meta(), &ErrorMetadata::default());
    assert_eq!(u.source().map(|s| s.to_string()).as_deref(), Some("connection reset"));
    let meta = ErrorMetadata::builder().code("Teapot").message("short and stout").build();
    let u = Unhandled::new("418".into(), Some(meta));
    assert_eq!(u.to_string(), "Teapot: short and stout");
    assert_eq!(u.source().map(|s| s.to_string()).as_deref(), Some("418"));
}

// ---------------------------------------------------------------------------------------------------------------
// The payloads

#[test]
fn a_service_error_gives_the_error_and_the_raw_response() {
    let e = unhandled_service_error();
    let SdkError::ServiceError(s) = e else { panic!("a service error") };
    assert_eq!(s.err().code(), Some("ValidationException"));
    assert_eq!(s.raw().status().as_u16(), 400);
    assert_eq!(s.raw().headers().get("x-amzn-requestid"), Some("req-1"));
    let SdkError::ServiceError(s) = unhandled_service_error() else { unreachable!() };
    assert_eq!(s.into_raw().status().as_u16(), 400);
    let SdkError::ServiceError(s) = unhandled_service_error() else { unreachable!() };
    assert!(matches!(s.into_err(), OpError::Unhandled(_)));
}

#[test]
fn a_response_error_keeps_the_raw_response() {
    let SdkError::<OpError>::ResponseError(e) = SdkError::response_error("bad JSON", raw(201, Some("r"))) else {
        panic!("a response error")
    };
    assert_eq!(e.raw().status().as_u16(), 201);
    assert_eq!(e.raw().body().bytes(), Some(&b"{}"[..]));
    assert_eq!(e.into_raw().headers().get("x-amzn-requestid"), Some("r"));
}

#[test]
fn a_dispatch_failure_says_which_kind_of_transport_error_caused_it() {
    use aws_smithy_types::retry::ErrorKind;
    for (fail, io, timeout, user, other) in [
        (Fail::Io, true, false, false, false),
        (Fail::Timeout, false, true, false, false),
        (Fail::User, false, false, true, false),
        (Fail::Other(None), false, false, false, true),
        (Fail::Other(Some(ErrorKind::TransientError)), false, false, false, true),
    ] {
        let SdkError::<OpError>::DispatchFailure(d) = SdkError::dispatch_failure(fail.error()) else { unreachable!() };
        assert_eq!((d.is_io(), d.is_timeout(), d.is_user(), d.is_other()), (io, timeout, user, other), "{fail:?}");
        let connector = d.as_connector_error().expect("the transport's error");
        assert_eq!(connector.source().map(|s| s.to_string()).as_deref(), Some("scripted transport failure"));
    }
    let SdkError::<OpError>::DispatchFailure(d) =
        SdkError::dispatch_failure(Fail::Other(Some(ErrorKind::ServerError)).error())
    else {
        unreachable!()
    };
    assert_eq!(d.as_connector_error().and_then(|c| c.as_other()), Some(ErrorKind::ServerError));
}

// ---------------------------------------------------------------------------------------------------------------
// SdkError's methods

#[test]
fn as_service_error_is_the_operation_error_of_service_errors_only() {
    let e = unhandled_service_error();
    assert_eq!(e.as_service_error().and_then(|u| u.code()), Some("ValidationException"));
    for (other, _) in one_of_each().into_iter().filter(|(e, _)| !matches!(e, SdkError::ServiceError(_))) {
        assert!(other.as_service_error().is_none(), "{other:?}");
    }
}

#[test]
fn into_service_error_gives_the_modeled_error() {
    let modeled = OpError::Validation(ValidationException { message: Some("bad".into()), meta: Default::default() });
    let e: SdkError<OpError> = SdkError::service_error(modeled, raw(400, None));
    let OpError::Validation(v) = e.into_service_error() else { panic!("the modeled error") };
    assert_eq!(v.message.as_deref(), Some("bad"));
}

#[test]
fn into_service_error_turns_every_other_failure_into_the_unhandled_variant() {
    for (e, line) in one_of_each().into_iter().filter(|(e, _)| !matches!(e, SdkError::ServiceError(_))) {
        let shown = format!("{e:?}");
        let OpError::Unhandled(u) = e.into_service_error() else { panic!("{shown}: the unhandled variant") };
        // The cause is the whole `SdkError`, so nothing is lost; there is no metadata to give.
        let cause = u.source().and_then(|s| s.downcast_ref::<SdkError<OpError>>()).expect("the SdkError is the cause");
        assert_eq!(cause.to_string(), line);
        assert_eq!(u.meta(), &ErrorMetadata::default(), "{shown}");
        assert_eq!(u.to_string(), "unhandled error");
    }
}

#[test]
fn into_service_error_of_a_construction_failure_keeps_the_reason_in_the_chain() {
    let u = construction().into_service_error();
    assert_eq!(chain(&u), "unhandled error: failed to construct request: no region is configured");
}

#[test]
fn raw_response_is_there_for_service_and_response_errors_only() {
    for (e, line) in one_of_each() {
        let status = e.raw_response().map(|r| r.status().as_u16());
        let expected = match line {
            "service error" => Some(400),
            "response error" => Some(200),
            _ => None,
        };
        assert_eq!(status, expected, "{line}");
    }
}

#[test]
fn map_service_error_maps_the_operation_error_and_keeps_the_rest() {
    let mapped = unhandled_service_error().map_service_error(|e| e.to_string());
    assert_eq!(mapped.as_service_error().map(String::as_str), Some("ValidationException: Name is too long"));
    assert_eq!(mapped.raw_response().map(|r| r.status().as_u16()), Some(400));
    for (e, line) in one_of_each() {
        assert_eq!(e.map_service_error(|e| e.to_string()).to_string(), line);
    }
}

#[test]
fn into_source_is_the_cause() {
    for (e, _) in one_of_each() {
        let expected = e.source().map(|s| s.to_string());
        assert_eq!(e.into_source().ok().map(|s| s.to_string()), expected);
    }
}

#[test]
fn provide_error_metadata_is_the_service_errors_and_empty_otherwise() {
    let e = unhandled_service_error();
    assert_eq!((e.code(), e.message()), (Some("ValidationException"), Some("Name is too long")));
    for (e, line) in one_of_each().into_iter().filter(|(e, _)| !matches!(e, SdkError::ServiceError(_))) {
        assert_eq!(e.meta(), &ErrorMetadata::default(), "{line}");
        assert_eq!(e.code(), None, "{line}");
    }
}

#[test]
fn the_request_id_comes_from_the_raw_response_header() {
    use crate::error::RequestId as _;
    assert_eq!(unhandled_service_error().request_id(), Some("req-1"));
    // The header, not the error's metadata: a service error whose response has no header has no request id.
    let e: SdkError<OpError> =
        SdkError::service_error(OpError::Unhandled(Unhandled::from_response(full_response())), raw(400, None));
    assert_eq!(e.request_id(), None);
    let e: SdkError<OpError> = SdkError::response_error("bad", raw(200, Some("req-resp")));
    assert_eq!(e.request_id(), Some("req-resp"));
    // The header's name is matched whatever its case.
    let mut r = raw(500, None);
    r.headers_mut().insert("X-AMZN-REQUESTID", "req-upper");
    assert_eq!(SdkError::<OpError>::response_error("bad", r).request_id(), Some("req-upper"));
    for (e, line) in one_of_each().into_iter().filter(|(e, _)| e.raw_response().is_none()) {
        assert_eq!(e.request_id(), None, "{line}");
    }
}

#[test]
fn raw_responses_made_by_the_runtime_keep_status_headers_and_body() {
    let r = http::Response::builder()
        .status(503)
        .header("x-amzn-RequestId", "req-raw")
        .header("x-amzn-errortype", "ServiceUnavailable")
        .body(bytes::Bytes::from_static(b"{\"message\":\"later\"}"))
        .unwrap();
    let converted = crate::http::raw_response(&r);
    assert_eq!(converted.status().as_u16(), 503);
    assert_eq!(converted.headers().get("x-amzn-requestid"), Some("req-raw"));
    assert_eq!(converted.headers().get("x-amzn-errortype"), Some("ServiceUnavailable"));
    assert_eq!(converted.body().bytes(), Some(&b"{\"message\":\"later\"}"[..]));
    // A header value that is not text is left out; the others stay.
    let binary = http::Response::builder()
        .status(200)
        .header("x-binary", http::HeaderValue::from_bytes(&[0xff, 0xfe]).unwrap())
        .header("x-text", "t")
        .body(bytes::Bytes::new())
        .unwrap();
    let converted = crate::http::raw_response(&binary);
    assert_eq!((converted.headers().get("x-binary"), converted.headers().get("x-text")), (None, Some("t")));
}

// ---------------------------------------------------------------------------------------------------------------
// Display, source and DisplayErrorContext

#[test]
fn display_is_one_line_naming_the_kind_of_failure() {
    for (e, line) in one_of_each() {
        assert_eq!(e.to_string(), line);
    }
}

#[test]
fn source_is_the_cause() {
    let causes = [
        "no region is configured",
        "the attempt timed out after 5s",
        "io error",
        "expected value",
        "ValidationException: Name is too long",
    ];
    for ((e, _), cause) in one_of_each().into_iter().zip(causes) {
        assert_eq!(e.source().map(|s| s.to_string()).as_deref(), Some(cause), "{e:?}");
    }
}

#[test]
fn the_source_of_a_validation_error_is_the_validation_error() {
    let e: SdkError<OpError> = validation_error().into();
    assert!(matches!(e, SdkError::Validation(_)));
    let source = e.source().unwrap();
    assert!(source.downcast_ref::<ValidationError>().is_some());
    assert_eq!(
        source.to_string(),
        "1 invalid value in CreateInput:\n  - Name: is required but was not set\nThese checks follow the model this \
crate was generated from. If the service accepts the input, skip this kind of check for one request with \
`.config_override(config::ConfigOverride::new().skip_constraint(validation::ConstraintKind::Required))` on the \
request builder."
    );
}

#[test]
fn the_source_of_a_service_error_is_the_operation_error() {
    use crate::error::RequestId as _;
    let e = unhandled_service_error();
    let source = e.source().unwrap();
    let op = source.downcast_ref::<OpError>().expect("the source is the operation's error");
    assert_eq!(op.request_id(), Some("req-1"));
}

#[test]
fn a_dispatch_failure_chains_to_the_transport_cause() {
    let e: SdkError<OpError> = SdkError::dispatch_failure(Fail::Io.error());
    let transport = e.source().unwrap();
    assert!(transport.downcast_ref::<ConnectorError>().is_some());
    assert_eq!(transport.source().map(|s| s.to_string()).as_deref(), Some("scripted transport failure"));
}

#[test]
fn display_error_context_prints_the_cause_chain() {
    let e: SdkError<OpError> = SdkError::dispatch_failure(Fail::Io.error());
    let shown = DisplayErrorContext(&e).to_string();
    assert!(shown.starts_with("dispatch failure: io error: scripted transport failure"), "{shown}");
    let shown = DisplayErrorContext(&unhandled_service_error()).to_string();
    assert!(shown.starts_with("service error: ValidationException: Name is too long ("), "{shown}");
    let shown = DisplayErrorContext(&construction()).to_string();
    assert!(shown.starts_with("failed to construct request: no region is configured"), "{shown}");
}

// ---------------------------------------------------------------------------------------------------------------
// Conversions

#[test]
fn into_aws_sdk_rusts_sdk_error_keeps_every_variant() {
    use aws_smithy_runtime_api::client::result::SdkError as Aws;
    for (e, line) in one_of_each() {
        let cause = e.source().map(|s| s.to_string());
        let aws: Aws<OpError, HttpResponse> = e.into();
        let expected = if line == "invalid input, not sent" { "failed to construct request" } else { line };
        assert_eq!(aws.to_string(), expected);
        assert_eq!(aws.source().map(|s| s.to_string()), cause, "{line}");
    }
    let aws: Aws<OpError, HttpResponse> = unhandled_service_error().into();
    assert_eq!(aws.raw_response().map(|r| r.status().as_u16()), Some(400));
    assert_eq!(aws.into_service_error().code(), Some("ValidationException"));
}

#[test]
fn a_validation_error_becomes_a_construction_failure_of_aws_sdk_rust() {
    use aws_smithy_runtime_api::client::result::SdkError as Aws;
    let aws: Aws<OpError, HttpResponse> = SdkError::<OpError>::Validation(validation_error()).into();
    let Aws::ConstructionFailure(_) = &aws else { panic!("a construction failure: {aws:?}") };
    let source = aws.into_source().unwrap();
    let v = source.downcast_ref::<ValidationError>().expect("the ValidationError is the source");
    assert_eq!(v.violations().len(), 1);
}

#[test]
fn a_build_error_is_a_construction_failure() {
    let e: SdkError<OpError> = BuildError::missing_field("pipeline_name", "it is required by CreatePipeline").into();
    assert!(matches!(e, SdkError::ConstructionFailure(_)));
    assert_eq!(e.source().unwrap().to_string(), "pipeline_name was missing: it is required by CreatePipeline");
}

/// A modeled error as generated code defines one: its own `Display` (code and message member) and metadata.
#[derive(Debug)]
struct Modeled {
    message: Option<String>,
    meta: ErrorMetadata,
}

impl std::fmt::Display for Modeled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ResourceNotFound: {}", self.message.as_deref().unwrap_or("-"))
    }
}

impl std::error::Error for Modeled {}

fn view_of(e: &Modeled) -> ErrorView<'_> {
    ErrorView::Modeled { error: e, meta: &e.meta, code: "ResourceNotFound", message: e.message.as_deref() }
}

#[test]
fn the_view_of_a_modeled_error_prefers_the_metadata_and_falls_back_on_the_shape() {
    let from_response = Modeled { message: Some("member".into()), meta: full_response().into_metadata() };
    let v = view_of(&from_response);
    assert_eq!((v.code(), v.message()), (Some("ValidationException"), Some("Name is too long")));
    assert_eq!(v.meta(), &full_response().into_metadata());
    // Built without metadata (as a test builds one): the shape's code and the message member.
    let built = Modeled { message: Some("member".into()), meta: ErrorMetadata::default() };
    let v = view_of(&built);
    assert_eq!((v.code(), v.message()), (Some("ResourceNotFound"), Some("member")));
    assert_eq!(v.meta(), &ErrorMetadata::default());
    let bare = Modeled { message: None, meta: ErrorMetadata::default() };
    assert_eq!((view_of(&bare).code(), view_of(&bare).message()), (Some("ResourceNotFound"), None));
}

#[test]
fn the_view_of_a_modeled_error_prints_it_and_is_its_source() {
    let e = Modeled { message: Some("no such pipeline".into()), meta: full_response().into_metadata() };
    let v = view_of(&e);
    // The error's own text, not the metadata's.
    assert_eq!(v.to_string(), "ResourceNotFound: no such pipeline");
    let source = v.source().expect("a modeled error is the source");
    assert_eq!(source.to_string(), "ResourceNotFound: no such pipeline");
    assert!(std::ptr::addr_eq(source as *const dyn std::error::Error, &e as *const Modeled));
}

#[test]
fn the_view_of_the_unhandled_error_is_the_unhandled_error() {
    let u = Unhandled::from_response(full_response());
    let v = ErrorView::Unhandled(&u);
    assert_eq!((v.code(), v.message(), v.meta()), (u.code(), u.message(), u.meta()));
    assert_eq!(v.to_string(), "ValidationException: Name is too long");
    // The unhandled error's own cause, as the enum prints the unhandled error itself.
    assert!(v.source().is_none());
    let with_cause = Unhandled::new("connection reset".into(), None);
    let v = ErrorView::Unhandled(&with_cause);
    assert_eq!(v.to_string(), "unhandled error");
    assert_eq!(v.source().map(|s| s.to_string()).as_deref(), Some("connection reset"));
    assert_eq!((v.code(), v.message()), (None, None));
}

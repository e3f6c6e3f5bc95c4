//! Tests of `error` and of the transport's error types: accessors, `Display` and `source`.

use std::error::Error as _;
use std::time::Duration;

use crate::error::*;
use crate::http::{TimeoutError, TransportError, TransportErrorKind};
use crate::validation::{Path, Violations};

fn full_meta() -> ErrorMetadata {
    ErrorMetadata {
        status: 400,
        code: Some("ValidationException".into()),
        message: Some("Name is too long".into()),
        request_id: Some("req-1".into()),
        error_type: None,
    }
}

fn service_error(meta: ErrorMetadata) -> SdkError<Unhandled> {
    SdkError::Service(ServiceError::new(Unhandled::new(meta.clone()), meta))
}

// ---------------------------------------------------------------------------------------------------------------
// ErrorMetadata and Unhandled

#[test]
fn error_metadata_accessors() {
    let m = full_meta();
    assert_eq!(
        (m.status(), m.code(), m.message(), m.request_id()),
        (400, Some("ValidationException"), Some("Name is too long"), Some("req-1"))
    );
}

#[test]
fn error_metadata_display_shows_everything_it_has() {
    assert_eq!(full_meta().to_string(), "ValidationException: Name is too long (HTTP 400, request id req-1)");
}

#[test]
fn error_metadata_display_without_code_message_or_request_id() {
    assert_eq!(ErrorMetadata { status: 503, ..Default::default() }.to_string(), "unknown error (HTTP 503)");
}

#[test]
fn unhandled_exposes_the_metadata() {
    let u = Unhandled::new(full_meta());
    assert_eq!(
        (u.status(), u.code(), u.message(), u.request_id()),
        (400, Some("ValidationException"), Some("Name is too long"), Some("req-1"))
    );
}

#[test]
fn unhandled_display_is_code_and_message() {
    assert_eq!(Unhandled::new(full_meta()).to_string(), "ValidationException: Name is too long");
    let bare = Unhandled::new(ErrorMetadata { status: 500, ..Default::default() });
    assert_eq!(bare.to_string(), "unknown error");
}

// ---------------------------------------------------------------------------------------------------------------
// ServiceError and SdkError accessors

#[test]
fn service_error_gives_the_error_and_the_metadata() {
    let e = ServiceError::new("modeled", full_meta());
    assert_eq!(*e.err(), "modeled");
    assert_eq!(e.meta(), &full_meta());
    assert_eq!(e.into_err(), "modeled");
}

#[test]
fn sdk_error_service_accessors() {
    let e = service_error(full_meta());
    assert_eq!(e.as_service_error().and_then(|u| u.code()), Some("ValidationException"));
    assert_eq!(e.into_service_error().map(|u| u.status()), Some(400));
    let other: SdkError<Unhandled> = SdkError::Construction(ConstructionError::new("no region"));
    assert!(other.as_service_error().is_none());
    assert!(other.into_service_error().is_none());
}

// ---------------------------------------------------------------------------------------------------------------
// SdkError Display

#[test]
fn sdk_error_display_of_a_service_error_has_status_request_id_and_error() {
    assert_eq!(
        service_error(full_meta()).to_string(),
        "service error (HTTP 400, request id req-1): ValidationException: Name is too long"
    );
}

#[test]
fn sdk_error_display_of_a_service_error_without_request_id() {
    let meta = ErrorMetadata { request_id: None, ..full_meta() };
    assert_eq!(service_error(meta).to_string(), "service error (HTTP 400): ValidationException: Name is too long");
}

#[test]
fn sdk_error_display_of_construction_response_timeout_and_dispatch() {
    let e: SdkError<Unhandled> = SdkError::Construction(ConstructionError::new("no region is configured"));
    assert_eq!(e.to_string(), "cannot build the request: no region is configured");
    let e: SdkError<Unhandled> =
        SdkError::Response(ResponseError { status: 200, request_id: None, message: "expected value".into() });
    assert_eq!(e.to_string(), "cannot decode the response (HTTP 200): expected value");
    let e: SdkError<Unhandled> = SdkError::Timeout(TimeoutError { after: Duration::from_secs(5) });
    assert_eq!(e.to_string(), "the request timed out after 5s");
    let e: SdkError<Unhandled> = SdkError::Dispatch(TransportError::new(TransportErrorKind::Connect, "refused"));
    assert_eq!(e.to_string(), "cannot connect: refused");
}

#[test]
fn sdk_error_display_of_a_validation_error() {
    let mut v = Violations::new();
    v.required(&Path::Root.field("Name"));
    let e: SdkError<Unhandled> = SdkError::Validation(v.into_result("CreateInput").unwrap_err());
    assert_eq!(
        e.to_string(),
        "invalid input, not sent: 1 invalid value in CreateInput:\n  - Name: is required but was not set\nThese checks \
follow the model this crate was generated from. If the service accepts the input, skip this kind of check for one \
request with `.config_override(config::ConfigOverride::new().skip_constraint(validation::ConstraintKind::Required))` \
on the request builder."
    );
}

// ---------------------------------------------------------------------------------------------------------------
// SdkError source

#[test]
fn sdk_error_source_is_the_inner_error() {
    let cases: Vec<(SdkError<Unhandled>, String)> = vec![
        (SdkError::Construction(ConstructionError::new("c")), "c".into()),
        (SdkError::Timeout(TimeoutError { after: Duration::from_secs(1) }), "the request timed out after 1s".into()),
        (SdkError::Dispatch(TransportError::new(TransportErrorKind::Io, "reset")), "connection failed: reset".into()),
        (
            SdkError::Response(ResponseError { status: 201, request_id: None, message: "m".into() }),
            "cannot decode the response (HTTP 201): m".into(),
        ),
        (service_error(full_meta()), "ValidationException: Name is too long".into()),
    ];
    for (e, inner) in cases {
        assert_eq!(e.source().map(|s| s.to_string()), Some(inner), "{e:?}");
    }
}

#[test]
fn sdk_error_source_of_a_service_error_is_the_operation_error() {
    let e = service_error(full_meta());
    let source = e.source().unwrap();
    let u = source.downcast_ref::<Unhandled>().expect("the source is the Unhandled error");
    assert_eq!(u.request_id(), Some("req-1"));
}

#[test]
fn a_dispatch_error_chains_to_the_transport_cause() {
    let e: SdkError<Unhandled> = SdkError::Dispatch(TransportError::new(TransportErrorKind::Io, "broken pipe"));
    let transport = e.source().unwrap();
    assert_eq!(transport.source().map(|s| s.to_string()).as_deref(), Some("broken pipe"));
}

// ---------------------------------------------------------------------------------------------------------------
// Other error types

#[test]
fn response_error_accessors() {
    let e = ResponseError { status: 200, request_id: Some("r".into()), message: "m".into() };
    assert_eq!((e.status(), e.request_id()), (200, Some("r")));
}

#[test]
fn construction_error_display_is_its_message() {
    assert_eq!(ConstructionError::new("cannot sign").to_string(), "cannot sign");
}

#[test]
fn build_error_names_the_missing_member() {
    let e = BuildError::missing_field("pipeline_name", "it is required by CreatePipeline");
    assert_eq!(e.to_string(), "pipeline_name was missing: it is required by CreatePipeline");
}

#[test]
fn transport_error_kinds_display_and_transience() {
    for (kind, what, transient) in [
        (TransportErrorKind::Connect, "cannot connect: x", true),
        (TransportErrorKind::Io, "connection failed: x", true),
        (TransportErrorKind::Other, "transport error: x", false),
    ] {
        let e = TransportError::new(kind, "x");
        assert_eq!(e.kind(), kind);
        assert_eq!(e.to_string(), what);
        assert_eq!(e.is_transient(), transient, "{kind:?}");
        assert_eq!(e.source().map(|s| s.to_string()).as_deref(), Some("x"));
    }
}

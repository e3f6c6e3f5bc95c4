//! Tests of reading and decoding responses: one buffer per response (the transport's read, the raw response of an
//! error), the size limit, what a response that cannot be decoded says, and error chains that say each thing once.

// `SdkError` carries the raw response, as aws-sdk-rust's does: large, like theirs.
#![allow(clippy::result_large_err)]

use std::collections::VecDeque;
use std::error::Error as _;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;

use crate::config::retry::RetryConfig;
use crate::error::{BoxError, DecodeError, SdkError};
use crate::http::{read_body, ResponseTooLarge, SdkBody};
use crate::invoke::Handle;
use crate::tests::support::invoke;

use super::support::*;

/// A body that arrives in these chunks (an `Err` fails the read there).
struct Chunks(VecDeque<Result<Bytes, &'static str>>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        Poll::Ready(self.get_mut().0.pop_front().map(|c| c.map(http_body::Frame::data).map_err(Into::into)))
    }
}

fn chunked(parts: &[&str]) -> SdkBody {
    SdkBody::from_body_1_x(Chunks(parts.iter().map(|p| Ok(Bytes::copy_from_slice(p.as_bytes()))).collect()))
}

/// The `ResponseTooLarge` behind a transport error.
fn too_large(e: &crate::error::ConnectorError) -> &ResponseTooLarge {
    e.source().and_then(|s| s.downcast_ref::<ResponseTooLarge>()).expect("a ResponseTooLarge")
}

/// The segments of an error chain, each of which must be said once.
fn assert_no_repeated_segment(chain: &str) {
    let segments: Vec<&str> = chain.split(": ").collect();
    for (i, s) in segments.iter().enumerate() {
        assert!(!segments[i + 1..].contains(s), "`{s}` is repeated in {chain}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a body

#[tokio::test]
async fn chunks_are_joined_into_one_buffer() {
    let body = read_body(chunked(&["{\"a\"", ":1", "}"]), Some(7), 100).await.unwrap();
    assert_eq!(&body[..], b"{\"a\":1}");
    let body = read_body(chunked(&["ab", "", "cd", "e"]), None, 100).await.unwrap();
    assert_eq!(&body[..], b"abcde");
    assert!(read_body(chunked(&[]), None, 100).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_body_in_one_chunk_is_kept_without_a_copy() {
    let original = Bytes::from(vec![b'x'; 4096]);
    let body = read_body(SdkBody::from(original.clone()), Some(4096), 1 << 20).await.unwrap();
    assert_eq!(body.as_ptr(), original.as_ptr());
}

#[tokio::test]
async fn a_declared_length_over_the_limit_fails_before_reading() {
    let unread = SdkBody::from_body_1_x(Chunks(VecDeque::from([Err("the body was read")])));
    let e = read_body(unread, Some(101), 100).await.unwrap_err();
    assert!(e.is_other(), "{e:?}");
    assert_eq!((too_large(&e).limit(), too_large(&e).declared_length()), (100, Some(101)));
    assert_eq!(
        too_large(&e).to_string(),
        "the response declares a body of 101 bytes, over the max_response_size limit of 100 bytes; nothing was read"
    );
}

#[tokio::test]
async fn reading_stops_as_soon_as_the_limit_is_passed() {
    let body = SdkBody::from_body_1_x(Chunks(VecDeque::from([
        Ok(Bytes::from(vec![b' '; 60])),
        Ok(Bytes::from(vec![b' '; 60])),
        Err("read past the limit"),
    ])));
    let e = read_body(body, None, 100).await.unwrap_err();
    assert_eq!(
        too_large(&e).to_string(),
        "the response body is over the max_response_size limit of 100 bytes; reading stopped after 120 bytes"
    );
    assert_eq!(read_body(chunked(&["0123456789"]), None, 10).await.unwrap().len(), 10);
    assert_eq!(read_body(chunked(&["01234", "56789"]), Some(10), 10).await.unwrap().len(), 10);
}

#[tokio::test]
async fn a_failed_read_is_an_io_failure_with_its_cause() {
    let body = SdkBody::from_body_1_x(Chunks(VecDeque::from([Ok(Bytes::from_static(b"{")), Err("connection lost")])));
    let e = read_body(body, None, 100).await.unwrap_err();
    assert!(e.is_io(), "{e:?}");
    assert_eq!(chain(&e), "io error: connection lost");
}

#[test]
fn the_raw_response_shares_the_body() {
    let response = http::Response::builder().status(500).body(Bytes::from(vec![b'x'; 1000])).unwrap();
    let raw = crate::http::raw_response(&response);
    assert_eq!(raw.body().bytes().map(<[u8]>::as_ptr), Some(response.body().as_ptr()));
}

// ---------------------------------------------------------------------------------------------------------------
// The limit through a call

fn limited(http: &FakeHttp, limit: usize) -> Handle {
    Handle::new(config(http).max_response_size(limit).build(), &SERVICE)
}

#[tokio::test(start_paused = true)]
async fn the_configured_limit_applies_to_any_client_and_is_not_retried() {
    let http = FakeHttp::new([Reply::Respond(response(200, &" ".repeat(101))), Reply::Respond(response(200, "{}"))]);
    let err = invoke(&limited(&http, 100), op(), b"{}".to_vec()).await.unwrap_err();
    let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
    assert_eq!(too_large(e.as_connector_error().unwrap()).limit(), 100);
    assert_eq!(
        chain(&err),
        "dispatch failure: other: the response body is over the max_response_size limit of 100 bytes; reading \
         stopped after 101 bytes"
    );
    assert_eq!(http.count(), 1);
    let http = FakeHttp::new([Reply::Respond(response(200, &" ".repeat(100)))]);
    invoke(&limited(&http, 100), op(), b"{}".to_vec()).await.unwrap();
}

#[test]
fn the_limit_defaults_to_64_mib_and_survives_to_builder() {
    let config = crate::config::Config::builder().build();
    assert_eq!(config.max_response_size(), 64 * 1024 * 1024);
    let config = config.to_builder().max_response_size(5).build();
    assert_eq!(config.to_builder().build().max_response_size(), 5);
}

// ---------------------------------------------------------------------------------------------------------------
// Responses that cannot be decoded

fn html(status: u16, body: &str) -> Response {
    http::Response::builder().status(status).header("content-type", "text/html").body(body.as_bytes().to_vec()).unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_2xx_that_is_not_json_names_the_operation_status_and_body() {
    let http = FakeHttp::new([Reply::Respond(html(200, "<html>maintenance</html>"))]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    let text = chain(&err);
    assert!(
        text.starts_with(
            r#"response error: cannot decode the Op response (HTTP 200, content-type text/html, body "<html>maintenance</html>"): invalid JSON"#
        ),
        "{text}"
    );
    assert_no_repeated_segment(&text);
    let decode = err.source().and_then(|s| s.downcast_ref::<DecodeError>()).expect("a DecodeError");
    assert_eq!((decode.operation(), decode.status()), ("Op", 200));
}

#[tokio::test(start_paused = true)]
async fn a_2xx_that_is_json_but_not_an_object_is_a_response_error() {
    for (body, found) in [("[1]", "an array"), ("null", "null"), ("\"s\"", "a string"), ("{} 1", "a number")] {
        let http = FakeHttp::new([Reply::Respond(response(200, body))]);
        let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
        assert!(matches!(err, SdkError::ResponseError(_)), "{body}: {err:?}");
        let text = chain(&err);
        assert!(text.contains(found) && text.contains("the Op response (HTTP 200"), "{body}: {text}");
    }
}

#[tokio::test(start_paused = true)]
async fn the_excerpt_of_a_large_body_is_bounded() {
    let big = format!("<html>{}</html>", "\u{1}".repeat(1 << 20));
    let http = FakeHttp::new([Reply::Respond(html(200, &big))]);
    let err = invoke(&handle(&http), op(), b"{}".to_vec()).await.unwrap_err();
    let text = chain(&err);
    assert!(text.len() < 2000, "{} bytes", text.len());
    assert!(text.contains(&format!("body ({} bytes) begins \"<html>\\u{{1}}", big.len())), "{text}");
    // Debug (which DisplayErrorContext appends) does not print the whole body either.
    let debug = format!("{err:?}");
    assert!(debug.len() < 4000, "{} bytes", debug.len());
    let context = crate::error::DisplayErrorContext(&err).to_string();
    assert!(context.len() < 6000, "{} bytes", context.len());
}

#[tokio::test(start_paused = true)]
async fn a_5xx_without_a_recognisable_error_says_what_arrived() {
    let http = FakeHttp::new([Reply::Respond(html(502, "<html><h1>502 Bad Gateway</h1></html>"))]);
    let handle = Handle::new(config(&http).retry_config(RetryConfig::disabled()).build(), &SERVICE);
    let err = invoke(&handle, op(), b"{}".to_vec()).await.unwrap_err();
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    assert_eq!(
        chain(&err),
        r#"service error: no recognisable error in the response: HTTP 502, content-type text/html, body "<html><h1>502 Bad Gateway</h1></html>""#
    );
    // The raw response is the whole of it.
    assert_eq!(err.raw_response().and_then(|r| r.body().bytes()).map(<[u8]>::len), Some(37));
}

#[tokio::test(start_paused = true)]
async fn an_empty_5xx_says_so() {
    let http = FakeHttp::new([Reply::Respond(response(503, ""))]);
    let handle = Handle::new(config(&http).retry_config(RetryConfig::disabled()).build(), &SERVICE);
    let err = invoke(&handle, op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(
        chain(&err),
        "service error: no recognisable error in the response: HTTP 503, no content-type, empty body"
    );
}

//! Tests of `http`: the default transport (hyper over rustls) against loopback sockets, with real I/O: a whole
//! call, its read timeout and a refused connection, each as the attempt loop sees it.

#![cfg(feature = "rustls")]

use std::error::Error as _;
use std::time::Duration;

use crate::config::retry::RetryConfig;
use crate::config::timeout::TimeoutConfig;
use crate::config::{Config, Region};
use crate::error::SdkError;
use crate::http::{TransportError, TransportErrorKind};
use crate::invoke::Handle;
use crate::tests::support::invoke;

use super::support::*;

/// A client of the configured-endpoint service at `url` over the default transport, without retries.
fn default_transport_client(url: &str, timeouts: TimeoutConfig) -> Handle {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials("AKID", "SECRET", None))
        .endpoint_url(url)
        .retry_config(RetryConfig::disabled())
        .timeout_config(timeouts)
        .build();
    Handle::new(config, &CONFIGURED_ENDPOINT_SERVICE)
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

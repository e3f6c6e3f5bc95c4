//! Tests of `http`: the default transport (hyper over rustls) against loopback sockets, with real I/O: a whole
//! call, its read timeout and a refused connection, each as the attempt loop sees it.

#![cfg(feature = "rustls")]

use std::time::Duration;

use crate::config::retry::RetryConfig;
use crate::config::timeout::TimeoutConfig;
use crate::config::{Config, Region};
use crate::error::SdkError;
use crate::invoke::{invoke, Handle};

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
    });
}

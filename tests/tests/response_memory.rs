//! The memory a large response costs, measured with a counting global allocator (a test binary of its own, since the
//! allocator is global): a 200 MB body streamed in 64 KiB chunks, as hyper delivers it, through the generated
//! client. The transport reads it into one buffer, the decoder reads that buffer in place, and the raw response of
//! an error shares it; the peak of live heap over the call stays under 1.5 times the body.
//!
//! `realloc` is counted as the change in size: the system allocator grows blocks this large in place (`mremap`), so
//! a growing buffer never holds its old and new copies at once.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use sagemaker_pipelines::error::SdkError;
use sagemaker_pipelines::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, HttpResponse,
    RuntimeComponents, SdkBody, SharedHttpConnector,
};
use sagemaker_pipelines::Client;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const SIZE: usize = 200_000_000;
const CHUNK: usize = 64 * 1024;

/// A body of `SIZE` bytes made of `head`, filler and `tail`, produced chunk by chunk (never held whole).
struct Generated {
    head: Bytes,
    tail: Bytes,
    sent: usize,
}

impl http_body::Body for Generated {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if this.sent == SIZE {
            return Poll::Ready(None);
        }
        let (from, to) = (this.sent, (this.sent + CHUNK).min(SIZE));
        let mut chunk = vec![b'x'; to - from];
        let tail_at = SIZE - this.tail.len();
        for at in from..to.min(this.head.len()) {
            chunk[at - from] = this.head[at];
        }
        for at in from.max(tail_at)..to {
            chunk[at - from] = this.tail[at - tail_at];
        }
        this.sent += chunk.len();
        Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from(chunk)))))
    }
}

/// A response to stream: status, content type, head and tail of the body, and whether it declares its length.
type Planned = (u16, &'static str, &'static str, &'static str, bool);

/// Answers each request with the next of its responses.
#[derive(Debug, Clone)]
struct Streaming(std::sync::Arc<std::sync::Mutex<VecDeque<Planned>>>);

impl HttpClient for Streaming {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Streaming {
    fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
        let (status, content_type, head, tail, declared) = self.0.lock().unwrap().pop_front().expect("a response");
        let body =
            Generated { head: Bytes::from_static(head.as_bytes()), tail: Bytes::from_static(tail.as_bytes()), sent: 0 };
        let mut response = HttpResponse::new(status.try_into().unwrap(), SdkBody::from_body_1_x(body));
        response.headers_mut().insert("content-type", content_type);
        if declared {
            response.headers_mut().insert("content-length", SIZE.to_string());
        }
        HttpConnectorFuture::ready(Ok(response))
    }
}

fn client_of(responses: Vec<Planned>) -> Client {
    let config = project_tests::raw::config()
        .endpoint_url("https://api.sagemaker.example.com")
        .retry_config(sagemaker_pipelines::config::retry::RetryConfig::disabled())
        .max_response_size(256 * 1024 * 1024)
        .http_client(Streaming(std::sync::Arc::new(std::sync::Mutex::new(responses.into()))))
        .build();
    Client::from_conf(config)
}

/// Run `call` and give its result and the peak of live heap above what was live before it, in multiples of `SIZE`.
fn peak_of<T>(call: impl std::future::Future<Output = T>) -> (T, f64) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = runtime.block_on(call);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    (result, peak as f64 / SIZE as f64)
}

// One test, so that the measurements do not overlap.
#[test]
fn a_200_mb_response_peaks_under_one_and_a_half_times_its_size() {
    // A 2xx whose bulk is a member the client does not know (skipped in place), declared and not.
    let head = r#"{"PipelineSummaries":[{"PipelineName":"p"}],"Padding":""#;
    for declared in [true, false] {
        let client = client_of(vec![(200, "application/x-amz-json-1.1", head, "\"}", declared)]);
        let (out, peak) = peak_of(client.list_pipelines().send());
        let out = out.unwrap();
        assert_eq!(out.pipeline_summaries().len(), 1);
        eprintln!("2xx, 200 MB, content-length declared: {declared}: peak {peak:.3}x");
        assert!(peak < 1.5, "peak {peak:.3}x the body (declared length: {declared})");
    }

    // A 502 from a proxy: an HTML page, kept whole as the raw response of the error.
    let client = client_of(vec![(502, "text/html", "<html><body>", "</body></html>", true)]);
    let (err, peak) = peak_of(client.list_pipelines().send());
    let err = err.unwrap_err();
    eprintln!("502 HTML, 200 MB: peak {peak:.3}x");
    assert!(matches!(err, SdkError::ServiceError(_)), "{err}");
    assert_eq!(err.raw_response().and_then(|r| r.body().bytes()).map(<[u8]>::len), Some(SIZE));
    assert!(peak < 1.5, "peak {peak:.3}x the body");
    drop(err);

    // A 2xx that is not JSON: a response error, with the body as its raw response.
    let client = client_of(vec![(200, "text/html", "<html>", "</html>", true)]);
    let (err, peak) = peak_of(client.list_pipelines().send());
    let err = err.unwrap_err();
    eprintln!("2xx HTML, 200 MB: peak {peak:.3}x");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err}");
    assert!(peak < 1.5, "peak {peak:.3}x the body");
}

//! The memory a large response costs, measured with a counting global allocator (a test binary of its own, since the
//! allocator is global): bodies of 200 MB (and 60 MB, under the default size limit) streamed in 64 KiB chunks, as
//! hyper delivers them, through the generated client. The transport reads a body into one buffer, the decoder reads
//! that buffer in place, and the raw response of an error shares it; an error keeps at most 64 KiB of its message
//! (the rest is in the raw response), so a huge message is not copied. The peak of live heap over the call stays
//! under 1.5 times the body, for outputs, for error responses without a code, and for modeled and unmodeled errors
//! whose bulk is their message.
//!
//! `realloc` is counted as the change in size: the system allocator grows blocks this large in place (`mremap`), so
//! a growing buffer never holds its old and new copies at once.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use sagemaker_pipelines::error::ProvideErrorMetadata;
use sagemaker_pipelines::error::SdkError;
use sagemaker_pipelines::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, HttpResponse,
    RuntimeComponents, SdkBody, SharedHttpConnector,
};
use sagemaker_pipelines::operation::describe_pipeline::DescribePipelineError;
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
/// A body under the default `max_response_size` (64 MiB).
const UNDER_DEFAULT: usize = 60_000_000;
const CHUNK: usize = 64 * 1024;

/// A body of `size` bytes made of `head`, filler and `tail`, produced chunk by chunk (never held whole).
struct Generated {
    head: Bytes,
    tail: Bytes,
    size: usize,
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
        if this.sent == this.size {
            return Poll::Ready(None);
        }
        let (from, to) = (this.sent, (this.sent + CHUNK).min(this.size));
        let mut chunk = vec![b'x'; to - from];
        let tail_at = this.size - this.tail.len();
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

/// A response to stream: status, content type, head and tail of the body, its size, and whether it declares it.
#[derive(Debug, Clone, Copy)]
struct Planned {
    status: u16,
    content_type: &'static str,
    head: &'static str,
    tail: &'static str,
    size: usize,
    declared: bool,
}

/// A response of `SIZE` bytes that declares its length.
fn planned(status: u16, content_type: &'static str, head: &'static str, tail: &'static str) -> Planned {
    Planned { status, content_type, head, tail, size: SIZE, declared: true }
}

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
        let plan = self.0.lock().unwrap().pop_front().expect("a response");
        let body = Generated {
            head: Bytes::from_static(plan.head.as_bytes()),
            tail: Bytes::from_static(plan.tail.as_bytes()),
            size: plan.size,
            sent: 0,
        };
        let mut response = HttpResponse::new(plan.status.try_into().unwrap(), SdkBody::from_body_1_x(body));
        response.headers_mut().insert("content-type", plan.content_type);
        if plan.declared {
            response.headers_mut().insert("content-length", plan.size.to_string());
        }
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// A client that answers with `responses` in turn, reading bodies up to 256 MiB.
fn client_of(responses: Vec<Planned>) -> Client {
    client_with_limit(responses, Some(256 * 1024 * 1024))
}

/// A client that answers with `responses` in turn, reading bodies up to `limit` (the default when `None`).
fn client_with_limit(responses: Vec<Planned>, limit: Option<usize>) -> Client {
    let mut config = project_tests::raw::config()
        .endpoint_url("https://api.sagemaker.example.com")
        .retry_config(sagemaker_pipelines::config::retry::RetryConfig::disabled())
        .http_client(Streaming(std::sync::Arc::new(std::sync::Mutex::new(responses.into()))));
    if let Some(limit) = limit {
        config = config.max_response_size(limit);
    }
    Client::from_conf(config.build())
}

/// Run `call` and give its result and the peak of live heap above what was live before it, in multiples of `size`.
fn peak_of<T>(size: usize, call: impl std::future::Future<Output = T>) -> (T, f64) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = runtime.block_on(call);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    (result, peak as f64 / size as f64)
}

// One test, so that the measurements do not overlap.
#[test]
fn a_huge_response_or_error_message_peaks_under_one_and_a_half_times_its_size() {
    // A 2xx whose bulk is a member the client does not know (skipped in place), declared and not.
    let head = r#"{"PipelineSummaries":[{"PipelineName":"p"}],"Padding":""#;
    for declared in [true, false] {
        let plan = Planned { declared, ..planned(200, "application/x-amz-json-1.1", head, "\"}") };
        let (out, peak) = peak_of(SIZE, client_of(vec![plan]).list_pipelines().send());
        let out = out.unwrap();
        assert_eq!(out.pipeline_summaries().len(), 1);
        eprintln!("2xx, 200 MB, content-length declared: {declared}: peak {peak:.3}x");
        assert!(peak < 1.5, "peak {peak:.3}x the body (declared length: {declared})");
    }

    // A 502 from a proxy: an HTML page, kept whole as the raw response of the error.
    let client = client_of(vec![planned(502, "text/html", "<html><body>", "</body></html>")]);
    let (err, peak) = peak_of(SIZE, client.list_pipelines().send());
    let err = err.unwrap_err();
    eprintln!("502 HTML, 200 MB: peak {peak:.3}x");
    assert!(matches!(err, SdkError::ServiceError(_)), "{err}");
    assert_eq!(err.raw_response().and_then(|r| r.body().bytes()).map(<[u8]>::len), Some(SIZE));
    assert!(peak < 1.5, "peak {peak:.3}x the body");
    drop(err);

    // A 2xx that is not JSON: a response error, with the body as its raw response.
    let client = client_of(vec![planned(200, "text/html", "<html>", "</html>")]);
    let (err, peak) = peak_of(SIZE, client.list_pipelines().send());
    let err = err.unwrap_err();
    eprintln!("2xx HTML, 200 MB: peak {peak:.3}x");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err}");
    assert!(peak < 1.5, "peak {peak:.3}x the body");
    drop(err);

    // Error responses whose bulk is the message: a modeled error (its `Message` member and the metadata's message)
    // and one the operation does not declare (the metadata's message only), at 200 MB and under the default limit.
    let modeled = r#"{"__type":"com.amazonaws.sagemaker#ResourceNotFound","Message":""#;
    let unmodeled = r#"{"__type":"ValidationException","message":""#;
    for (size, limit) in [(SIZE, Some(256 * 1024 * 1024)), (UNDER_DEFAULT, None)] {
        let plan = Planned { size, ..planned(400, "application/x-amz-json-1.1", modeled, "\"}") };
        let client = client_with_limit(vec![plan], limit);
        let (err, peak) = peak_of(size, client.describe_pipeline().pipeline_name("p").send());
        let err = err.unwrap_err();
        eprintln!("400 ResourceNotFound, {size} bytes, mostly its message: peak {peak:.3}x");
        let SdkError::ServiceError(service) = &err else { panic!("{err:?}") };
        let DescribePipelineError::ResourceNotFound(e) = service.err() else { panic!("{err:?}") };
        check_cut_message(e.message(), size - modeled.len() - 2);
        check_cut_message(e.meta().message(), size - modeled.len() - 2);
        assert_eq!(err.raw_response().and_then(|r| r.body().bytes()).map(<[u8]>::len), Some(size));
        assert!(peak < 1.5, "peak {peak:.3}x the body");
        drop(err);

        let plan = Planned { size, ..planned(400, "application/x-amz-json-1.1", unmodeled, "\"}") };
        let client = client_with_limit(vec![plan], limit);
        let (err, peak) = peak_of(size, client.describe_pipeline().pipeline_name("p").send());
        let err = err.unwrap_err();
        eprintln!("400 ValidationException (not modeled), {size} bytes, mostly its message: peak {peak:.3}x");
        let SdkError::ServiceError(service) = &err else { panic!("{err:?}") };
        let DescribePipelineError::Unhandled(e) = service.err() else { panic!("{err:?}") };
        assert_eq!(e.meta().code(), Some("ValidationException"));
        check_cut_message(e.meta().message(), size - unmodeled.len() - 2);
        assert_eq!(err.raw_response().and_then(|r| r.body().bytes()).map(<[u8]>::len), Some(size));
        assert!(peak < 1.5, "peak {peak:.3}x the body");
    }
}

/// A message of `whole` bytes of `x` is kept up to the 64 KiB the crate documents, and says it was cut.
fn check_cut_message(message: Option<&str>, whole: usize) {
    const KEPT: usize = 64 * 1024;
    let note = format!("… [cut: the first {KEPT} of {whole} bytes are kept; the raw response has the whole body]");
    let message = message.expect("a message");
    assert_eq!(message.len(), KEPT + note.len());
    assert!(message[..KEPT].bytes().all(|b| b == b'x'));
    assert_eq!(&message[KEPT..], note);
}

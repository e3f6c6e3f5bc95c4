//! Tests of `pagination`: a scripted `fetch` records the tokens it is sent and answers with pages in order.

// `SdkError` carries the raw response, as aws-sdk-rust's does: large, like theirs.
#![allow(clippy::result_large_err)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::credentials::BoxFuture;
use crate::error::SdkError;
use crate::pagination::{ItemStream, PageStream};

/// A page: its items and the token it returns.
#[derive(Debug, Clone, PartialEq)]
struct Page {
    items: Vec<u32>,
    next: Option<&'static str>,
}

/// One page or the error fetching it.
type PageResult = Result<Page, SdkError<String>>;

type Fetch = Arc<dyn Fn(Option<String>) -> BoxFuture<'static, PageResult> + Send + Sync>;

/// The tokens a fetch was called with, in order.
type Sent = Arc<Mutex<Vec<Option<String>>>>;

fn page(items: &[u32], next: Option<&'static str>) -> PageResult {
    Ok(Page { items: items.to_vec(), next })
}

fn failure(message: &str) -> PageResult {
    Err(SdkError::construction_failure(message.to_owned()))
}

/// A fetch answering from a script, and the tokens it was called with.
fn scripted(pages: Vec<PageResult>) -> (Fetch, Sent) {
    let script = Arc::new(Mutex::new(VecDeque::from(pages)));
    let sent = Arc::new(Mutex::new(Vec::new()));
    let record = sent.clone();
    let fetch: Fetch = Arc::new(move |token| {
        record.lock().unwrap().push(token);
        let next = script.lock().unwrap().pop_front().expect("fetched more pages than scripted");
        Box::pin(async move { next })
    });
    (fetch, sent)
}

fn token_of(p: &Page) -> Option<&str> {
    p.next
}

fn items_of(p: Page) -> Vec<u32> {
    p.items
}

fn pages(script: Vec<PageResult>) -> (PageStream<Page, String>, Sent) {
    let (fetch, sent) = scripted(script);
    (PageStream::new(None, token_of, fetch), sent)
}

fn assert_tokens(sent: &Mutex<Vec<Option<String>>>, expected: &[Option<&str>]) {
    let sent = sent.lock().unwrap();
    let sent: Vec<Option<&str>> = sent.iter().map(Option::as_deref).collect();
    assert_eq!(sent, expected);
}

// ---------------------------------------------------------------------------------------------------------------
// PageStream

#[tokio::test]
async fn pages_follow_the_tokens_until_there_is_none() {
    let (mut stream, sent) = pages(vec![page(&[1], Some("a")), page(&[2], Some("b")), page(&[3], None)]);
    assert_eq!(stream.next().await.unwrap().unwrap().items, [1]);
    assert_eq!(stream.next().await.unwrap().unwrap().items, [2]);
    assert_eq!(stream.next().await.unwrap().unwrap().items, [3]);
    assert!(stream.next().await.is_none());
    assert!(stream.next().await.is_none());
    assert_tokens(&sent, &[None, Some("a"), Some("b")]);
}

#[tokio::test]
async fn the_first_request_carries_the_starting_token() {
    let (fetch, sent) = scripted(vec![page(&[1], None)]);
    let mut stream = PageStream::new(Some("resume-here".to_owned()), token_of, fetch);
    stream.next().await.unwrap().unwrap();
    assert!(stream.next().await.is_none());
    assert_tokens(&sent, &[Some("resume-here")]);
}

#[tokio::test]
async fn an_empty_token_ends_the_pages() {
    let (mut stream, sent) = pages(vec![page(&[1], Some("a")), page(&[2], Some(""))]);
    assert!(stream.next().await.unwrap().is_ok());
    assert!(stream.next().await.unwrap().is_ok());
    assert!(stream.next().await.is_none());
    assert_eq!(sent.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_token_equal_to_the_one_sent_ends_the_pages() {
    let (mut stream, sent) = pages(vec![page(&[1], Some("same")), page(&[2], Some("same"))]);
    assert_eq!(stream.next().await.unwrap().unwrap().items, [1]);
    // The page with the repeated token is still returned; only the next request is not made.
    assert_eq!(stream.next().await.unwrap().unwrap().items, [2]);
    assert!(stream.next().await.is_none());
    assert_tokens(&sent, &[None, Some("same")]);
}

#[tokio::test]
async fn a_token_seen_earlier_but_not_just_sent_is_followed() {
    let (mut stream, sent) =
        pages(vec![page(&[], Some("a")), page(&[], Some("b")), page(&[], Some("a")), page(&[], None)]);
    let mut n = 0;
    while let Some(p) = stream.next().await {
        p.unwrap();
        n += 1;
    }
    assert_eq!(n, 4);
    assert_tokens(&sent, &[None, Some("a"), Some("b"), Some("a")]);
}

#[tokio::test]
async fn an_error_is_returned_and_ends_the_pages() {
    let (mut stream, sent) = pages(vec![page(&[1], Some("a")), failure("boom"), page(&[3], None)]);
    assert!(stream.next().await.unwrap().is_ok());
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert!(format!("{err:?}").contains("boom"), "{err:?}");
    assert!(stream.next().await.is_none());
    assert_eq!(sent.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn collect_gathers_every_page() {
    let (stream, _) = pages(vec![page(&[1], Some("a")), page(&[2, 3], None)]);
    let all: Vec<PageResult> = stream.collect().await;
    let all: Vec<Page> = all.into_iter().map(Result::unwrap).collect();
    assert_eq!(all, [Page { items: vec![1], next: Some("a") }, Page { items: vec![2, 3], next: None }]);
}

#[tokio::test]
async fn collect_into_a_result_stops_at_the_first_error() {
    let (stream, sent) = pages(vec![page(&[1], Some("a")), failure("boom"), page(&[3], None)]);
    let all: Result<Vec<Page>, SdkError<String>> = stream.collect().await;
    assert!(matches!(all, Err(SdkError::ConstructionFailure(_))));
    assert_eq!(sent.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn collect_keeps_the_pages_before_an_error() {
    let (stream, _) = pages(vec![page(&[1], Some("a")), failure("boom")]);
    let all: Vec<PageResult> = stream.collect().await;
    assert_eq!(all.len(), 2);
    assert!(all[0].is_ok() && all[1].is_err());
}

// ---------------------------------------------------------------------------------------------------------------
// ItemStream

fn items(script: Vec<PageResult>) -> (ItemStream<Page, u32, String>, Sent) {
    let (pages, sent) = pages(script);
    (ItemStream::new(pages, items_of), sent)
}

#[tokio::test]
async fn items_of_every_page_come_in_order() {
    let (mut stream, _) = items(vec![page(&[1, 2], Some("a")), page(&[3], Some("b")), page(&[4, 5], None)]);
    let mut got = Vec::new();
    while let Some(item) = stream.next().await {
        got.push(item.unwrap());
    }
    assert_eq!(got, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn empty_pages_are_skipped() {
    let (stream, sent) =
        items(vec![page(&[], Some("a")), page(&[], Some("b")), page(&[7], Some("c")), page(&[], None)]);
    let got: Result<Vec<u32>, _> = stream.collect().await;
    assert_eq!(got.unwrap(), [7]);
    assert_eq!(sent.lock().unwrap().len(), 4);
}

#[tokio::test]
async fn no_items_at_all() {
    let (mut stream, _) = items(vec![page(&[], None)]);
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn items_before_an_error_are_returned_then_the_error_then_nothing() {
    let (mut stream, sent) = items(vec![page(&[1, 2], Some("a")), failure("boom"), page(&[3], None)]);
    assert_eq!(stream.next().await.unwrap().unwrap(), 1);
    assert_eq!(stream.next().await.unwrap().unwrap(), 2);
    assert!(stream.next().await.unwrap().is_err());
    assert!(stream.next().await.is_none());
    assert_eq!(sent.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn item_collect_stops_at_the_first_error() {
    let (stream, _) = items(vec![page(&[1], Some("a")), failure("boom"), page(&[3], None)]);
    let all: Vec<Result<u32, SdkError<String>>> = stream.collect().await;
    assert_eq!(all.len(), 2);
    assert_eq!(*all[0].as_ref().unwrap(), 1);
    assert!(all[1].is_err());
}

#[tokio::test]
async fn item_collect_into_a_result() {
    let (stream, _) = items(vec![page(&[1, 2], Some("a")), page(&[3], None)]);
    let all: Result<Vec<u32>, SdkError<String>> = stream.collect().await;
    assert_eq!(all.unwrap(), [1, 2, 3]);
}

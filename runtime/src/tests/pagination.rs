//! Tests of `pagination`: a scripted `fetch` records the tokens it is sent and answers with pages in order.

// `SdkError` carries the raw response, as aws-sdk-rust's does: large, like theirs.
#![allow(clippy::result_large_err)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::credentials::BoxFuture;
use crate::pagination::{items, pages, PaginationStream};

/// A page: its items and the token it returns.
#[derive(Debug, Clone, PartialEq)]
struct Page {
    items: Vec<u32>,
    next: Option<&'static str>,
}

/// The error type is whatever the fetch returns; the streams never look inside it.
#[derive(Debug, Clone, PartialEq)]
struct Failure(&'static str);

/// One page or the error fetching it.
type PageResult = Result<Page, Failure>;

/// The tokens a fetch was called with, in order.
type Sent = Arc<Mutex<Vec<Option<String>>>>;

fn page(items: &[u32], next: Option<&'static str>) -> PageResult {
    Ok(Page { items: items.to_vec(), next })
}

fn failure(message: &'static str) -> PageResult {
    Err(Failure(message))
}

/// A fetch answering from a script, and the tokens it was called with.
fn scripted(script: Vec<PageResult>) -> (impl Fn(Option<String>) -> BoxFuture<'static, PageResult> + Send, Sent) {
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let sent = Arc::new(Mutex::new(Vec::new()));
    let record = sent.clone();
    let fetch = move |token: Option<String>| -> BoxFuture<'static, PageResult> {
        record.lock().unwrap().push(token);
        let next = script.lock().unwrap().pop_front().expect("fetched more pages than scripted");
        Box::pin(async move { next })
    };
    (fetch, sent)
}

fn token_of(p: &Page) -> Option<&str> {
    p.next
}

fn is_empty(p: &Page) -> bool {
    p.items.is_empty()
}

fn items_of(p: Page) -> Vec<u32> {
    p.items
}

fn page_stream(
    first: Option<&str>,
    stop_on_duplicate_token: bool,
    script: Vec<PageResult>,
) -> (PaginationStream<PageResult>, Sent) {
    let (fetch, sent) = scripted(script);
    (pages(first.map(str::to_owned), stop_on_duplicate_token, token_of, Some(is_empty), fetch), sent)
}

fn default_pages(script: Vec<PageResult>) -> (PaginationStream<PageResult>, Sent) {
    page_stream(None, true, script)
}

fn assert_tokens(sent: &Mutex<Vec<Option<String>>>, expected: &[Option<&str>]) {
    let sent = sent.lock().unwrap();
    let sent: Vec<Option<&str>> = sent.iter().map(Option::as_deref).collect();
    assert_eq!(sent, expected);
}

// ---------------------------------------------------------------------------------------------------------------
// Pages

#[tokio::test]
async fn pages_follow_the_tokens_until_there_is_none() {
    let (mut stream, sent) = default_pages(vec![page(&[1], Some("a")), page(&[2], Some("b")), page(&[3], None)]);
    assert_eq!(stream.next().await.unwrap().unwrap().items, [1]);
    assert_eq!(stream.next().await.unwrap().unwrap().items, [2]);
    assert_eq!(stream.next().await.unwrap().unwrap().items, [3]);
    assert!(stream.next().await.is_none());
    assert!(stream.next().await.is_none());
    assert_tokens(&sent, &[None, Some("a"), Some("b")]);
}

#[tokio::test]
async fn nothing_is_sent_until_the_stream_is_polled() {
    let (stream, sent) = default_pages(vec![page(&[1], None)]);
    assert_tokens(&sent, &[]);
    drop(stream);
    assert_tokens(&sent, &[]);
}

#[tokio::test]
async fn a_dropped_stream_fetches_no_further_page() {
    let (mut stream, sent) = default_pages(vec![page(&[1], Some("a")), page(&[2], Some("b"))]);
    stream.next().await.unwrap().unwrap();
    drop(stream);
    assert_tokens(&sent, &[None]);
}

#[tokio::test]
async fn the_first_request_carries_the_starting_token() {
    let (mut stream, sent) = page_stream(Some("resume-here"), true, vec![page(&[1], None)]);
    stream.next().await.unwrap().unwrap();
    assert!(stream.next().await.is_none());
    assert_tokens(&sent, &[Some("resume-here")]);
}

#[tokio::test]
async fn an_empty_token_ends_the_pages() {
    let (mut stream, sent) = default_pages(vec![page(&[1], Some("a")), page(&[2], Some(""))]);
    assert!(stream.next().await.unwrap().is_ok());
    assert!(stream.next().await.unwrap().is_ok());
    assert!(stream.next().await.is_none());
    assert_eq!(sent.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_token_equal_to_the_one_sent_ends_the_pages() {
    let (mut stream, sent) = default_pages(vec![page(&[1], Some("same")), page(&[2], Some("same"))]);
    assert_eq!(stream.next().await.unwrap().unwrap().items, [1]);
    // The page with the repeated token is still returned; only the next request is not made.
    assert_eq!(stream.next().await.unwrap().unwrap().items, [2]);
    assert!(stream.next().await.is_none());
    assert_tokens(&sent, &[None, Some("same")]);
}

#[tokio::test]
async fn the_starting_token_returned_again_ends_the_pages() {
    let (mut stream, sent) = page_stream(Some("t"), true, vec![page(&[1], Some("t"))]);
    assert_eq!(stream.next().await.unwrap().unwrap().items, [1]);
    assert!(stream.next().await.is_none());
    assert_tokens(&sent, &[Some("t")]);
}

#[tokio::test]
async fn a_repeated_token_is_followed_when_asked_to() {
    let (stream, sent) = page_stream(
        None,
        false,
        vec![page(&[1], Some("same")), page(&[2], Some("same")), page(&[3], Some("same")), page(&[4], None)],
    );
    let all = stream.try_collect().await.unwrap();
    assert_eq!(all.iter().map(|p| p.items[0]).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_tokens(&sent, &[None, Some("same"), Some("same"), Some("same")]);
}

#[tokio::test]
async fn a_token_seen_earlier_in_the_run_ends_the_pages() {
    // A, B, A, B, …: the third page's token was sent before; that page is yielded, and nothing more is fetched.
    let (stream, sent) = default_pages(vec![page(&[1], Some("a")), page(&[2], Some("b")), page(&[3], Some("a"))]);
    let all = stream.try_collect().await.unwrap();
    assert_eq!(all.iter().map(|p| p.items[0]).collect::<Vec<_>>(), [1, 2, 3]);
    assert_tokens(&sent, &[None, Some("a"), Some("b")]);
}

#[tokio::test]
async fn a_loop_of_any_length_ends_the_pages() {
    let tokens = ["t0", "t1", "t2", "t3", "t4", "t5", "t6"];
    let mut script: Vec<PageResult> = tokens.iter().map(|t| page(&[1], Some(t))).collect();
    script.push(page(&[1], Some("t2")));
    let (stream, sent) = default_pages(script);
    assert_eq!(stream.try_collect().await.unwrap().len(), tokens.len() + 1);
    assert_eq!(sent.lock().unwrap().len(), tokens.len() + 1);
}

#[tokio::test]
async fn the_starting_token_returned_later_ends_the_pages() {
    let (stream, sent) = page_stream(Some("s"), true, vec![page(&[1], Some("a")), page(&[2], Some("s"))]);
    assert_eq!(stream.try_collect().await.unwrap().len(), 2);
    assert_tokens(&sent, &[Some("s"), Some("a")]);
}

#[tokio::test]
async fn a_repeating_loop_is_followed_when_asked_to() {
    let (stream, sent) = page_stream(
        None,
        false,
        vec![page(&[1], Some("a")), page(&[2], Some("b")), page(&[3], Some("a")), page(&[4], None)],
    );
    assert_eq!(stream.try_collect().await.unwrap().len(), 4);
    assert_tokens(&sent, &[None, Some("a"), Some("b"), Some("a")]);
}

/// `n` pages without items, each with a fresh token, then a page with an item and no token.
fn empty_pages_then_an_item(n: usize) -> Vec<PageResult> {
    let tokens: Vec<&'static str> = (0..n).map(|i| &*Box::leak(format!("t{i}").into_boxed_str())).collect();
    let mut script: Vec<PageResult> = tokens.into_iter().map(|t| page(&[], Some(t))).collect();
    script.push(page(&[9], None));
    script
}

#[tokio::test]
async fn empty_pages_with_tokens_are_followed_up_to_the_limit() {
    use crate::pagination::MAX_CONSECUTIVE_EMPTY_PAGES;
    // One fewer than the limit: the item after them is reached.
    let (stream, _) = item_stream(empty_pages_then_an_item(MAX_CONSECUTIVE_EMPTY_PAGES - 1));
    assert_eq!(stream.try_collect().await.unwrap(), [9]);
    // At the limit the pages end; the last page is yielded with its token, to resume from.
    let (stream, sent) = default_pages(empty_pages_then_an_item(MAX_CONSECUTIVE_EMPTY_PAGES));
    let all = stream.try_collect().await.unwrap();
    assert_eq!(all.len(), MAX_CONSECUTIVE_EMPTY_PAGES);
    let last = format!("t{}", MAX_CONSECUTIVE_EMPTY_PAGES - 1);
    assert_eq!(all.last().unwrap().next, Some(&*last));
    assert_eq!(sent.lock().unwrap().len(), MAX_CONSECUTIVE_EMPTY_PAGES);
}

#[tokio::test]
async fn a_page_with_items_resets_the_count_of_empty_pages() {
    use crate::pagination::MAX_CONSECUTIVE_EMPTY_PAGES;
    let mut script = empty_pages_then_an_item(MAX_CONSECUTIVE_EMPTY_PAGES - 1);
    script.pop();
    script.push(page(&[5], Some("full")));
    let more = empty_pages_then_an_item(MAX_CONSECUTIVE_EMPTY_PAGES - 1);
    // Fresh tokens for the second run of empty pages.
    script.extend(more.into_iter().map(|p| {
        p.map(|mut p| {
            p.next = p.next.map(|t| &*Box::leak(format!("u{t}").into_boxed_str()));
            p
        })
    }));
    let (stream, _) = item_stream(script);
    assert_eq!(stream.try_collect().await.unwrap(), [5, 9]);
}

#[tokio::test]
async fn empty_pages_are_followed_without_limit_when_asked_to() {
    use crate::pagination::MAX_CONSECUTIVE_EMPTY_PAGES;
    let (stream, _) = page_stream(None, false, empty_pages_then_an_item(MAX_CONSECUTIVE_EMPTY_PAGES + 5));
    assert_eq!(stream.try_collect().await.unwrap().len(), MAX_CONSECUTIVE_EMPTY_PAGES + 6);
}

#[tokio::test]
async fn without_an_items_test_empty_pages_are_not_counted() {
    let (fetch, _) = scripted(empty_pages_then_an_item(crate::pagination::MAX_CONSECUTIVE_EMPTY_PAGES + 5));
    let stream = pages(None, true, token_of, None, fetch);
    assert_eq!(stream.try_collect().await.unwrap().len(), crate::pagination::MAX_CONSECUTIVE_EMPTY_PAGES + 6);
}

#[tokio::test]
async fn an_error_is_returned_and_ends_the_pages() {
    let (mut stream, sent) = default_pages(vec![page(&[1], Some("a")), failure("boom"), page(&[3], None)]);
    assert!(stream.next().await.unwrap().is_ok());
    assert_eq!(stream.next().await.unwrap().unwrap_err(), Failure("boom"));
    assert!(stream.next().await.is_none());
    assert_eq!(sent.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn try_next_gives_pages_then_none() {
    let (mut stream, _) = default_pages(vec![page(&[1], Some("a")), page(&[2], None)]);
    assert_eq!(stream.try_next().await.unwrap().unwrap().items, [1]);
    assert_eq!(stream.try_next().await.unwrap().unwrap().items, [2]);
    assert_eq!(stream.try_next().await.unwrap(), None);
}

#[tokio::test]
async fn try_next_gives_the_error() {
    let (mut stream, _) = default_pages(vec![failure("boom")]);
    assert_eq!(stream.try_next().await, Err(Failure("boom")));
    assert_eq!(stream.try_next().await, Ok(None));
}

#[tokio::test]
async fn collect_gathers_every_page() {
    let (stream, _) = default_pages(vec![page(&[1], Some("a")), page(&[2, 3], None)]);
    let all: Vec<PageResult> = stream.collect().await;
    let all: Vec<Page> = all.into_iter().map(Result::unwrap).collect();
    assert_eq!(all, [Page { items: vec![1], next: Some("a") }, Page { items: vec![2, 3], next: None }]);
}

#[tokio::test]
async fn collect_into_a_result_stops_at_the_first_error() {
    let (stream, sent) = default_pages(vec![page(&[1], Some("a")), failure("boom"), page(&[3], None)]);
    let all: Result<Vec<Page>, Failure> = stream.collect().await;
    assert_eq!(all, Err(Failure("boom")));
    assert_eq!(sent.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn try_collect_is_collect_into_a_result() {
    let (stream, _) = default_pages(vec![page(&[1], Some("a")), page(&[2], None)]);
    assert_eq!(stream.try_collect().await.unwrap().len(), 2);
    let (stream, _) = default_pages(vec![page(&[1], Some("a")), failure("boom")]);
    assert_eq!(stream.try_collect().await, Err(Failure("boom")));
}

#[tokio::test]
async fn collect_keeps_the_pages_before_an_error() {
    let (stream, _) = default_pages(vec![page(&[1], Some("a")), failure("boom")]);
    let all: Vec<PageResult> = stream.collect().await;
    assert_eq!(all.len(), 2);
    assert!(all[0].is_ok() && all[1].is_err());
}

#[test]
fn the_streams_are_send() {
    fn send<T: Send>(_: &T) {}
    let (stream, _) = default_pages(vec![]);
    send(&stream);
    send(&items(stream, items_of));
}

// ---------------------------------------------------------------------------------------------------------------
// Items

fn item_stream(script: Vec<PageResult>) -> (PaginationStream<Result<u32, Failure>>, Sent) {
    let (pages, sent) = default_pages(script);
    (items(pages, items_of), sent)
}

#[tokio::test]
async fn items_of_every_page_come_in_order() {
    let (mut stream, _) = item_stream(vec![page(&[1, 2], Some("a")), page(&[3], Some("b")), page(&[4, 5], None)]);
    let mut got = Vec::new();
    while let Some(item) = stream.next().await {
        got.push(item.unwrap());
    }
    assert_eq!(got, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn empty_pages_are_skipped() {
    let (stream, sent) =
        item_stream(vec![page(&[], Some("a")), page(&[], Some("b")), page(&[7], Some("c")), page(&[], None)]);
    assert_eq!(stream.try_collect().await.unwrap(), [7]);
    assert_eq!(sent.lock().unwrap().len(), 4);
}

#[tokio::test]
async fn no_items_at_all() {
    let (mut stream, _) = item_stream(vec![page(&[], None)]);
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn items_before_an_error_are_returned_then_the_error_then_nothing() {
    let (mut stream, sent) = item_stream(vec![page(&[1, 2], Some("a")), failure("boom"), page(&[3], None)]);
    assert_eq!(stream.try_next().await, Ok(Some(1)));
    assert_eq!(stream.try_next().await, Ok(Some(2)));
    assert_eq!(stream.try_next().await, Err(Failure("boom")));
    assert!(stream.next().await.is_none());
    assert_eq!(sent.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn item_collect_stops_at_the_first_error() {
    let (stream, _) = item_stream(vec![page(&[1], Some("a")), failure("boom"), page(&[3], None)]);
    let all: Vec<Result<u32, Failure>> = stream.collect().await;
    assert_eq!(all, [Ok(1), Err(Failure("boom"))]);
}

#[tokio::test]
async fn item_collect_into_a_result() {
    let (stream, _) = item_stream(vec![page(&[1, 2], Some("a")), page(&[3], None)]);
    let all: Result<Vec<u32>, Failure> = stream.collect().await;
    assert_eq!(all.unwrap(), [1, 2, 3]);
}

#[tokio::test]
async fn items_of_a_map_come_as_pairs() {
    fn entries_of(p: Page) -> std::collections::BTreeMap<String, u32> {
        p.items.into_iter().map(|i| (format!("k{i}"), i)).collect()
    }
    let (pages, _) = default_pages(vec![page(&[2, 1], Some("a")), page(&[3], None)]);
    let all = items(pages, entries_of).try_collect().await.unwrap();
    assert_eq!(all, [("k1".to_owned(), 1), ("k2".to_owned(), 2), ("k3".to_owned(), 3)]);
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens that are maps (DynamoDB's `ExclusiveStartKey` / `LastEvaluatedKey`)

type Key = std::collections::HashMap<String, u32>;

/// The start keys a fetch was called with, in order.
type SentKeys = Arc<Mutex<Vec<Option<Key>>>>;

/// A page whose next token is a map.
#[derive(Debug, Clone, PartialEq)]
struct KeyPage {
    n: u32,
    next: Option<Key>,
}

fn key(pairs: &[(&str, u32)]) -> Key {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn key_pages(
    first: Option<Key>,
    stop_on_duplicate_token: bool,
    script: Vec<KeyPage>,
) -> (PaginationStream<Result<KeyPage, Failure>>, SentKeys) {
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let sent = Arc::new(Mutex::new(Vec::new()));
    let record = sent.clone();
    let fetch = move |token: Option<Key>| -> BoxFuture<'static, Result<KeyPage, Failure>> {
        record.lock().unwrap().push(token);
        let next = script.lock().unwrap().pop_front().expect("fetched more pages than scripted");
        Box::pin(async move { Ok(next) })
    };
    let token_of: fn(&KeyPage) -> Option<&Key> = |p| p.next.as_ref();
    (pages(first, stop_on_duplicate_token, token_of, None, fetch), sent)
}

#[tokio::test]
async fn map_tokens_are_followed_until_there_is_none() {
    let a = key(&[("id", 1)]);
    let b = key(&[("id", 2), ("sort", 7)]);
    let (stream, sent) = key_pages(
        None,
        true,
        vec![
            KeyPage { n: 1, next: Some(a.clone()) },
            KeyPage { n: 2, next: Some(b.clone()) },
            KeyPage { n: 3, next: None },
        ],
    );
    let all = stream.try_collect().await.unwrap();
    assert_eq!(all.iter().map(|p| p.n).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(*sent.lock().unwrap(), [None, Some(a), Some(b)]);
}

#[tokio::test]
async fn an_empty_map_token_ends_the_pages() {
    let (stream, sent) = key_pages(None, true, vec![KeyPage { n: 1, next: Some(Key::new()) }]);
    assert_eq!(stream.try_collect().await.unwrap().len(), 1);
    assert_eq!(sent.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_map_token_equal_to_the_one_sent_ends_the_pages_unless_asked_to_follow() {
    let a = key(&[("id", 1)]);
    let script = vec![KeyPage { n: 1, next: Some(a.clone()) }, KeyPage { n: 2, next: Some(a.clone()) }];
    let (stream, sent) = key_pages(Some(key(&[("id", 0)])), true, script.clone());
    // The page with the repeated token is yielded; no request follows it.
    assert_eq!(stream.try_collect().await.unwrap().len(), 2);
    assert_eq!(*sent.lock().unwrap(), [Some(key(&[("id", 0)])), Some(a.clone())]);
    let mut script = script;
    script.push(KeyPage { n: 3, next: None });
    let (stream, sent) = key_pages(None, false, script);
    assert_eq!(stream.try_collect().await.unwrap().len(), 3);
    assert_eq!(*sent.lock().unwrap(), [None, Some(a.clone()), Some(a)]);
}

//! Paginators: the pages of a paginated operation, following the output token until the service stops returning
//! one, and the items inside those pages.
//!
//! Both are [`PaginationStream`]s, the stream type aws-sdk-rust's paginators return (from `aws-smithy-async`):
//! `next().await` gives the next page or item (`None` after the last), `try_next().await` the same as a
//! `Result<Option<_>, _>`, and `collect::<Result<Vec<_>, _>>().await` or `try_collect().await` all of them, stopping
//! at the first error. Nothing is sent until the stream is first polled, and an error ends the stream.
//!
//! # When the pages end
//!
//! The pages end after a page without a next token (or with an empty one) and after an error. Two more rules keep a
//! service that never stops from keeping a program busy forever; both are on while the paginator's
//! `stop_on_duplicate_token` is `true` (the default), and each yields the page it stops at:
//!
//! - **A token seen before in the same run** (the starting token included) ends the pages: following it would
//!   fetch pages already fetched, in a loop of any length (`A, A, …` or `A, B, A, B, …`). aws-sdk-rust's
//!   paginators compare a token with the previous one only, so they catch the first loop but not the second; this
//!   crate keeps every token of the run, which costs memory linear in the number of pages (a few dozen bytes each).
//! - **[`MAX_CONSECUTIVE_EMPTY_PAGES`] pages in a row without items**, each with a next token, end the pages.
//!   SageMaker's list calls may answer a page with no items and a token (the service filters after it reads, so a
//!   filter that matches nothing yet still returns pages), so empty pages are followed; but a service that answers
//!   empty pages with fresh tokens indefinitely would otherwise never end. The limit is high so that a legitimate
//!   scan is not cut short: a thousand pages of up to 100 records each is 100,000 records a filter skipped without a
//!   match, and about two minutes of requests at 100 ms each. The last page yielded still carries its next token, so
//!   a caller who wants to go on can resume from it; the stop is logged as a warning.
//!
//! `stop_on_duplicate_token(false)` turns both rules off, for an operation that is polled for new results and may
//! repeat a token or answer empty pages: the stream then ends only without a token, or when it is dropped.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::future::Future;

use aws_smithy_async::future::pagination_stream::fn_stream::FnStream;
pub use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_async::future::pagination_stream::TryFlatMap;

/// How many pages in a row may come without items (each with a next token) before the pages end; see the
/// [module documentation](self) for why this number.
pub const MAX_CONSECUTIVE_EMPTY_PAGES: usize = 1000;

/// A pagination token: a string, as nearly every paginated operation has, or a map (DynamoDB's `Query` and `Scan`
/// page by the key to start after, `ExclusiveStartKey` / `LastEvaluatedKey`). A token that is empty ends the pages.
pub trait PageToken: ToOwned + Send + Sync + 'static
where
    Self::Owned: Send + 'static,
{
    /// Whether the token is empty (which ends the pages, as no token does).
    fn is_empty(&self) -> bool;
    /// The token as a string, when it is one: such tokens are remembered for the whole run, so that a token seen
    /// at any earlier page ends the pages. Other tokens are compared with the previous token only, as aws-sdk-rust
    /// compares every token.
    fn as_key(&self) -> Option<&str>;
    /// Whether the token equals another (used for tokens without a key).
    fn same(&self, other: &Self) -> bool;
}

impl PageToken for str {
    fn is_empty(&self) -> bool {
        str::is_empty(self)
    }
    fn as_key(&self) -> Option<&str> {
        Some(self)
    }
    fn same(&self, other: &Self) -> bool {
        self == other
    }
}

impl<V> PageToken for std::collections::HashMap<String, V>
where
    V: Clone + PartialEq + Send + Sync + 'static,
{
    fn is_empty(&self) -> bool {
        std::collections::HashMap::is_empty(self)
    }
    fn as_key(&self) -> Option<&str> {
        None
    }
    fn same(&self, other: &Self) -> bool {
        self == other
    }
}

/// The pages of a paginated operation: `fetch(token)` sends one request with that token (`None`: as the input has
/// it), `token_of` reads the next token from a page, and `is_empty` (for operations whose pages have a list or map
/// of items) says whether a page has none.
///
/// The first request carries `first_token`. The stream ends after a page without a next token (or with an empty
/// one), after an error, and, when `stop_on_duplicate_token` is set, after a page whose next token was seen before
/// in this run (the starting token included; for a token that is no string ([`PageToken::as_key`]), the token the
/// page was asked with), or after [`MAX_CONSECUTIVE_EMPTY_PAGES`] pages in a row without items. The page it stops
/// at is still yielded.
pub(crate) fn pages<O, E, F, Fut, T>(
    first_token: Option<T::Owned>,
    stop_on_duplicate_token: bool,
    token_of: fn(&O) -> Option<&T>,
    is_empty: Option<fn(&O) -> bool>,
    fetch: F,
) -> PaginationStream<Result<O, E>>
where
    O: Send + 'static,
    E: Send + 'static,
    T: PageToken + ?Sized,
    T::Owned: Clone + Send + 'static,
    F: Fn(Option<T::Owned>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<O, E>> + Send,
{
    PaginationStream::new(FnStream::new(move |tx| {
        Box::pin(async move {
            let mut token = first_token;
            let mut seen: HashSet<String> =
                token.iter().filter_map(|t| Borrow::<T>::borrow(t).as_key().map(str::to_owned)).collect();
            let mut empty_in_a_row = 0usize;
            loop {
                let result = fetch(token.clone()).await;
                let next = match &result {
                    Ok(page) => {
                        let next = token_of(page).filter(|t| !t.is_empty());
                        if stop_on_duplicate_token {
                            empty_in_a_row = match is_empty {
                                Some(is_empty) if is_empty(page) => empty_in_a_row + 1,
                                _ => 0,
                            };
                            let sent = token.as_ref().map(Borrow::<T>::borrow);
                            next_of(next, sent, &mut seen, empty_in_a_row)
                        } else {
                            next.map(T::to_owned)
                        }
                    }
                    Err(_) => None,
                };
                // The receiving end was dropped: nobody wants more pages.
                if tx.send(result).await.is_err() {
                    return;
                }
                match next {
                    Some(next) => token = Some(next),
                    None => return,
                }
            }
        })
    }))
}

/// The token to follow, under the rules of a paginator that stops on repeats: none when it was seen before in this
/// run (a token without a key: when it is the token just sent), or when too many pages in a row had no items.
fn next_of<T: PageToken + ?Sized>(
    next: Option<&T>,
    sent: Option<&T>,
    seen: &mut HashSet<String>,
    empty_in_a_row: usize,
) -> Option<T::Owned>
where
    T::Owned: Send + 'static,
{
    let next = next?;
    let repeated = match next.as_key() {
        Some(key) => seen.contains(key),
        None => sent.is_some_and(|sent| next.same(sent)),
    };
    if repeated {
        tracing::debug!(pages = seen.len(), "the next token was seen before in this run: no more pages");
        return None;
    }
    if empty_in_a_row >= MAX_CONSECUTIVE_EMPTY_PAGES {
        tracing::warn!(
            pages = empty_in_a_row,
            "pages without items kept coming with a next token; stopping (the last page has the token to resume from)"
        );
        return None;
    }
    if let Some(key) = next.as_key() {
        seen.insert(key.to_owned());
    }
    Some(next.to_owned())
}

/// The items of every page of `pages`, in order: `items_of` takes them out of a page. An error fetching a page is
/// yielded after the items of the pages before it, and ends the stream.
#[allow(dead_code)] // Used only by models with a paginator that names its items.
pub(crate) fn items<O, T, E, I>(
    pages: PaginationStream<Result<O, E>>,
    items_of: fn(O) -> I,
) -> PaginationStream<Result<T, E>>
where
    O: Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
    I: IntoIterator<Item = T> + Send + 'static,
    I::IntoIter: Send,
{
    TryFlatMap::new(pages).flat_map(items_of)
}

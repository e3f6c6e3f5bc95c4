//! Paginators: the pages of a paginated operation, following the output token until the service stops returning
//! one, and the items inside those pages.
//!
//! Both are [`PaginationStream`]s, the stream type aws-sdk-rust's paginators return (from `aws-smithy-async`):
//! `next().await` gives the next page or item (`None` after the last), `try_next().await` the same as a
//! `Result<Option<_>, _>`, and `collect::<Result<Vec<_>, _>>().await` or `try_collect().await` all of them, stopping
//! at the first error. Nothing is sent until the stream is first polled, and an error ends the stream.

use std::future::Future;

use aws_smithy_async::future::pagination_stream::fn_stream::FnStream;
pub use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_async::future::pagination_stream::TryFlatMap;

/// The pages of a paginated operation: `fetch(token)` sends one request with that token (`None`: as the input has
/// it), and `token_of` reads the next token from a page.
///
/// The first request carries `first_token`. The stream ends after a page without a next token (or with an empty
/// one), after an error, and, when `stop_on_duplicate_token` is set, after a page whose next token equals the token
/// its own request carried: following it would fetch the same page forever. That page is still yielded.
pub(crate) fn pages<O, E, F, Fut>(
    first_token: Option<String>,
    stop_on_duplicate_token: bool,
    token_of: fn(&O) -> Option<&str>,
    fetch: F,
) -> PaginationStream<Result<O, E>>
where
    O: Send + 'static,
    E: Send + 'static,
    F: Fn(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<O, E>> + Send,
{
    PaginationStream::new(FnStream::new(move |tx| {
        Box::pin(async move {
            let mut token = first_token;
            loop {
                let result = fetch(token.clone()).await;
                let next = match &result {
                    Ok(page) => match token_of(page).filter(|t| !t.is_empty()) {
                        Some(next) if stop_on_duplicate_token && token.as_deref() == Some(next) => None,
                        next => next.map(str::to_owned),
                    },
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

/// The items of every page of `pages`, in order: `items_of` takes them out of a page. An error fetching a page is
/// yielded after the items of the pages before it, and ends the stream.
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

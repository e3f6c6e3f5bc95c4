//! Paginators: a stream of pages that follows the output token until the service stops returning one, and a
//! stream of the items inside those pages.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::credentials::BoxFuture;
use crate::error::SdkError;

type Fetch<O, E> = Arc<dyn Fn(Option<String>) -> BoxFuture<'static, Result<O, SdkError<E>>> + Send + Sync>;

/// The pages of a paginated operation. `next().await` returns the next page, or `None` after the last.
pub struct PageStream<O, E> {
    fetch: Fetch<O, E>,
    token_of: fn(&O) -> Option<&str>,
    token: Option<String>,
    done: bool,
}

impl<O, E> PageStream<O, E> {
    pub(crate) fn new(first_token: Option<String>, token_of: fn(&O) -> Option<&str>, fetch: Fetch<O, E>) -> Self {
        PageStream { fetch, token_of, token: first_token, done: false }
    }

    /// The next page; `None` once the service returned no further token (or after an error).
    pub async fn next(&mut self) -> Option<Result<O, SdkError<E>>> {
        if self.done {
            return None;
        }
        let result = (self.fetch)(self.token.clone()).await;
        match &result {
            Ok(page) => {
                let next = (self.token_of)(page).filter(|t| !t.is_empty()).map(str::to_owned);
                // A token equal to the one just sent would repeat the same page forever.
                if next.is_none() || next == self.token {
                    self.done = true;
                }
                self.token = next;
            }
            Err(_) => self.done = true,
        }
        Some(result)
    }

    /// Every remaining page, stopping at the first error.
    pub async fn collect<C: FromIterator<Result<O, SdkError<E>>>>(mut self) -> C {
        let mut all = Vec::new();
        while let Some(page) = self.next().await {
            all.push(page);
        }
        all.into_iter().collect()
    }
}

/// The items of every page, in order.
pub struct ItemStream<O, T, E> {
    pages: PageStream<O, E>,
    items_of: fn(O) -> Vec<T>,
    buffer: VecDeque<T>,
}

impl<O, T, E> ItemStream<O, T, E> {
    pub(crate) fn new(pages: PageStream<O, E>, items_of: fn(O) -> Vec<T>) -> Self {
        ItemStream { pages, items_of, buffer: VecDeque::new() }
    }

    /// The next item; `None` after the last item of the last page.
    pub async fn next(&mut self) -> Option<Result<T, SdkError<E>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next().await? {
                Ok(page) => self.buffer.extend((self.items_of)(page)),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Every remaining item, stopping at the first error.
    pub async fn collect<C: FromIterator<Result<T, SdkError<E>>>>(mut self) -> C {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            let stop = item.is_err();
            all.push(item);
            if stop {
                break;
            }
        }
        all.into_iter().collect()
    }
}

//! Independent work spread over all cores, with results in input order, so the output never depends on which
//! thread finishes first.

use crate::error::{Error, Result};

/// How many worker threads to use: the machine's parallelism, at most 8.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8)
}

/// Apply `f` to every item, item `i` on worker `i % workers()`, and return the results in input order. A worker
/// that panics is an internal error, not a panic of the caller.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Result<Vec<R>> {
    let n = workers().min(items.len()).max(1);
    let f = &f;
    let mut indexed: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|w| {
                scope.spawn(move || {
                    items
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % n == w)
                        .map(|(i, item)| (i, f(item)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join())
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(|v| v.into_iter().flatten().collect())
    })
    .map_err(|_| Error::new("internal error: a generator thread panicked"))?;
    indexed.sort_by_key(|(i, _)| *i);
    Ok(indexed.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_input_order() {
        let items: Vec<u32> = (0..100).collect();
        assert_eq!(super::map(&items, |x| x * 2).unwrap(), items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |x| *x).unwrap().is_empty());
    }
}

//! Request compression (`@requestCompression`): bodies of operations that accept gzip are compressed when they are
//! at least the configured size, and the request says so in `Content-Encoding`. Only crates whose model has such an
//! operation get this module and its `flate2` dependency.

use std::io::Write as _;

/// The body gzip-compressed, or `None` when it is smaller than `min_size` (then it is sent as it is).
#[allow(dead_code)] // Passed in only by operations with `@requestCompression`.
pub(crate) fn gzip_if_large(body: &[u8], min_size: usize) -> Option<Vec<u8>> {
    if body.len() < min_size {
        return None;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 2), flate2::Compression::default());
    // Writing into a `Vec` cannot fail.
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

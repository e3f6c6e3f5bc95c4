//! Tests of `compression` and of compressed requests in the attempt loop's configuration.

use std::io::Read as _;

use crate::compression::gzip_if_large;
use crate::config::Config;

#[test]
fn bodies_below_the_minimum_are_left_alone() {
    assert_eq!(gzip_if_large(b"small", 6), None);
    assert_eq!(gzip_if_large(&[], 0).map(|g| g.is_empty()), Some(false), "an empty body at a zero minimum is gzipped");
}

#[test]
fn large_bodies_are_gzip_streams_of_the_same_bytes() {
    let body: Vec<u8> = (0..20_000u32).map(|i| (i % 7) as u8 + b'a').collect();
    let gzipped = gzip_if_large(&body, 10_240).expect("at least the minimum");
    assert_eq!(&gzipped[..2], [0x1f, 0x8b], "gzip magic");
    assert!(gzipped.len() < body.len() / 10, "repetitive text compresses");
    let mut back = Vec::new();
    flate2::read::GzDecoder::new(&gzipped[..]).read_to_end(&mut back).unwrap();
    assert_eq!(back, body);
}

#[test]
fn the_configuration_sets_or_disables_the_minimum() {
    let default = Config::builder().build();
    assert_eq!(default.request_min_compression_size(), Some(10_240));
    let custom = Config::builder().request_min_compression_size_bytes(128).build();
    assert_eq!(custom.request_min_compression_size(), Some(128));
    let capped = Config::builder().request_min_compression_size_bytes(u32::MAX).build();
    assert_eq!(capped.request_min_compression_size(), Some(10_485_760));
    let off = Config::builder().disable_request_compression(true).build();
    assert_eq!(off.request_min_compression_size(), None);
}

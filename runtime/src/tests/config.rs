//! Tests of `config`.

use std::time::Duration;

use crate::config::*;

#[test]
fn backoff_doubles_up_to_the_cap_and_scales_with_jitter() {
    let r = RetryConfig::standard();
    assert_eq!(r.backoff(1, 1.0), Duration::from_secs(1));
    assert_eq!(r.backoff(2, 1.0), Duration::from_secs(2));
    assert_eq!(r.backoff(3, 1.0), Duration::from_secs(4));
    assert_eq!(r.backoff(10, 1.0), Duration::from_secs(20));
    assert_eq!(r.backoff(2, 0.5), Duration::from_secs(1));
    assert_eq!(r.backoff(40, 0.0), Duration::ZERO);
}

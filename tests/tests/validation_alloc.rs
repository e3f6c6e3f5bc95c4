//! Validating a valid input allocates nothing (after the first call has compiled the patterns it uses).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn validating_a_valid_input_does_not_allocate() {
    let input = project_tests::full_start_pipeline_execution();
    assert_eq!(input.validate(), Ok(()));
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..100 {
        assert!(input.validate().is_ok());
    }
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert_eq!(after - before, 0, "validation of a valid input allocated");

    // An invalid input allocates to describe what is wrong (the counter is live).
    let mut bad = input.clone();
    bad.pipeline_version_id = Some(0);
    assert!(bad.validate().is_err());
    assert!(ALLOCATIONS.load(Ordering::Relaxed) > after);
}

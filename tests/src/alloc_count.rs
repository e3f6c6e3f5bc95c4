//! Counting the allocations of the current thread, for tests that check an operation stays linear in its input's size
//! (counts are deterministic; times are not). A test binary installs it as its allocator:
//! `#[global_allocator] static GLOBAL: project_tests::alloc_count::Counting = project_tests::alloc_count::Counting;`
//! and reads [`allocated`] before and after the work it measures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting each thread's allocations and bytes allocated.
pub struct Counting;

thread_local! {
    static ALLOCATED: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

// SAFETY: every call is passed on to the system allocator unchanged; only a thread-local counter is updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // `try_with`: a thread being torn down has no counter, and needs none.
        let _ = ALLOCATED.try_with(|c| {
            let (n, bytes) = c.get();
            c.set((n + 1, bytes + layout.size() as u64));
        });
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

/// Allocations and bytes allocated by this thread so far (zero unless [`Counting`] is the global allocator).
pub fn allocated() -> (u64, u64) {
    ALLOCATED.with(Cell::get)
}

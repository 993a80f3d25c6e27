//! For unit tests only: the allocator of the library's test binary counts the bytes each
//! thread holds, so a test can bound the peak memory of one piece of work (tests run on
//! threads of their own, and each counts only its own).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static HELD: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grew(n: usize) {
    let _ = HELD.try_with(|h| {
        let now = h.get() + n;
        h.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

fn shrank(n: usize) {
    let _ = HELD.try_with(|h| h.set(h.get().saturating_sub(n)));
}

// SAFETY: every call is passed to the system allocator unchanged; only counters are updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // the old and the new block are both held while the contents move
        grew(new_size);
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        shrank(layout.size());
        moved
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Runs `work` and returns its result with the most bytes this thread held beyond what it held
/// before.
pub fn peak_during<R>(work: impl FnOnce() -> R) -> (R, usize) {
    let base = HELD.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = work();
    (out, PEAK.with(Cell::get) - base)
}

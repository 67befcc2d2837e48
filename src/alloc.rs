//! A small allocator for the wasm build (feature `small-alloc`): power-of-two size classes, one
//! free list each, memory from `memory.grow`.
//!
//! The page allocates a few kilobytes over its life; dlmalloc's code (4.7 KB of wasm) would cost
//! every visitor more than its better packing saves. Freed blocks are kept for their size class,
//! so repeated calls reuse memory instead of growing it.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65_536;
/// 16 bytes: room for the free-list link, and the alignment `malloc` promises.
const MIN_CLASS: u32 = 4;

/// The allocator; `#[global_allocator]` in the wasm build with the `small-alloc` feature.
pub struct SizeClassAlloc(UnsafeCell<State>);

struct State {
    /// Heads of the free lists, by class (block size `1 << class`); a free block's first word
    /// links to the next one.
    free: [*mut u8; usize::BITS as usize],
    /// The unused rest of the last memory grown: `next..end`.
    next: usize,
    end: usize,
}

// wasm32 without threads: only one thread ever touches the state.
unsafe impl Sync for SizeClassAlloc {}

impl SizeClassAlloc {
    pub const fn new() -> Self {
        SizeClassAlloc(UnsafeCell::new(State {
            free: [null_mut(); usize::BITS as usize],
            next: 0,
            end: 0,
        }))
    }
}

impl Default for SizeClassAlloc {
    fn default() -> Self {
        Self::new()
    }
}

/// The class of a layout: blocks are a power of two at least as large as its size and its
/// alignment, and are naturally aligned, so any block of a class suits any layout of it.
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    Some(size.checked_next_power_of_two()?.trailing_zeros() as usize)
}

/// `n` rounded up to a multiple of `align` (a power of two), saturating at the top.
fn align_up(n: usize, align: usize) -> usize {
    n.saturating_add(align - 1) & !(align - 1)
}

unsafe impl GlobalAlloc for SizeClassAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            return null_mut();
        };
        let state = &mut *self.0.get();
        let head = state.free[class];
        if !head.is_null() {
            state.free[class] = *head.cast::<*mut u8>();
            return head;
        }
        let size = 1usize << class;
        // Natural alignment up to a page; memory.grow hands out whole pages, so `end` is always
        // page-aligned and an aligned start never lies beyond it.
        let align = size.min(PAGE);
        let mut start = align_up(state.next, align);
        if start.checked_add(size).is_none_or(|stop| stop > state.end) {
            let pages = size.div_ceil(PAGE);
            let previous = core::arch::wasm32::memory_grow(0, pages);
            if previous == usize::MAX {
                return null_mut();
            }
            let base = previous * PAGE;
            if base != state.end {
                // Someone else grew the memory in between: start afresh in the new pages.
                state.next = base;
            }
            state.end = base.saturating_add(pages * PAGE);
            start = align_up(state.next, align);
            if start.checked_add(size).is_none_or(|stop| stop > state.end) {
                return null_mut(); // only at the 4 GiB edge of the address space
            }
        }
        state.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(class) = class_of(layout) {
            let state = &mut *self.0.get();
            *ptr.cast::<*mut u8>() = state.free[class];
            state.free[class] = ptr;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if class_of(layout) == class_of(new_layout) {
            // The block already has room (strings grow by doubling: this is the common case).
            return ptr;
        }
        let grown = self.alloc(new_layout);
        if !grown.is_null() {
            core::ptr::copy_nonoverlapping(ptr, grown, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        grown
    }
}

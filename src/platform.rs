//! Where the C library under the release binary is too slow, and what stands in for it.
//!
//! `make report` builds a static binary on musl, not glibc: glibc's start-up asks the CPU
//! about its features and caches with 68 CPUID instructions, and in a virtual machine each
//! is a trip to the hypervisor (6.4 µs on the project's machines, 0.44 ms of a 2 ms build);
//! musl asks nothing. musl's malloc and memcpy, though, are slow for what a build does most,
//! 12,000 allocations and 14,000 copies of mostly short strings: the allocator is dlmalloc,
//! a heap per thread, and memcpy and memmove are `memmove.c`, which build.rs links in place
//! of musl's (`rep movsq` there costs more to start than a short copy takes).

#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: allocator::Arenas = allocator::Arenas::new();

/// dlmalloc heaps, one per thread (up to [`ARENAS`](allocator::ARENAS) threads), so that the
/// workers of `gongwen build DIR…` do not take turns at one heap: with a single heap two
/// workers built 1,000 reports in 2.4 s, slower than one worker alone (1.5 s).
#[cfg(any(target_env = "musl", test))]
mod allocator {
    use std::alloc::{GlobalAlloc, Layout};
    use std::cell::Cell;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Mutex, MutexGuard, PoisonError};

    use dlmalloc::Dlmalloc;

    pub const ARENAS: usize = 16;

    /// Bytes in front of each block: the number of the arena that owns it sits in the last
    /// word, so a block freed on another thread goes back to its own heap. A block aligned to
    /// more than this has as many bytes in front as its alignment.
    const HEADER: usize = 16;

    pub struct Arenas {
        heaps: [Mutex<Dlmalloc>; ARENAS],
        next: AtomicUsize,
    }

    thread_local! {
        /// This thread's arena, chosen at its first allocation.
        static ARENA: Cell<Option<usize>> = const { Cell::new(None) };
    }

    impl Arenas {
        pub const fn new() -> Self {
            Arenas {
                heaps: [const { Mutex::new(Dlmalloc::new()) }; ARENAS],
                next: AtomicUsize::new(0),
            }
        }

        fn mine(&self) -> usize {
            ARENA
                .try_with(|arena| {
                    arena.get().unwrap_or_else(|| {
                        let chosen = self.next.fetch_add(1, Ordering::Relaxed) % ARENAS;
                        arena.set(Some(chosen));
                        chosen
                    })
                })
                .unwrap_or(0)
        }

        /// SAFETY: as for [`GlobalAlloc::alloc`].
        unsafe fn make(&self, layout: Layout, zeroed: bool) -> *mut u8 {
            let offset = offset(layout);
            let Some(size) = layout.size().checked_add(offset) else {
                return std::ptr::null_mut();
            };
            let arena = self.mine();
            let mut heap = self.heap(arena);
            unsafe {
                let block = if zeroed {
                    heap.calloc(size, offset)
                } else {
                    heap.malloc(size, offset)
                };
                hand_out(block, offset, arena)
            }
        }

        fn heap(&self, arena: usize) -> MutexGuard<'_, Dlmalloc> {
            // Nothing panics with a heap's lock held, so a poisoned lock still guards a sound heap.
            self.heaps[arena]
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        }
    }

    fn offset(layout: Layout) -> usize {
        layout.align().max(HEADER)
    }

    /// SAFETY: `block` must be a block of `offset` or more bytes from one of the heaps.
    unsafe fn hand_out(block: *mut u8, offset: usize, arena: usize) -> *mut u8 {
        if block.is_null() {
            return block;
        }
        unsafe {
            let user = block.add(offset);
            user.cast::<usize>().sub(1).write(arena);
            user
        }
    }

    /// The arena and the block behind a pointer [`hand_out`] gave.
    /// SAFETY: `user` must have come from [`hand_out`] with this `offset`.
    unsafe fn take_back(user: *mut u8, offset: usize) -> (usize, *mut u8) {
        unsafe { (user.cast::<usize>().sub(1).read(), user.sub(offset)) }
    }

    // SAFETY: every block is `offset` bytes more than asked for and aligned to `offset`, a
    // multiple of the layout's alignment, so the caller's part is aligned and the owner's
    // number lies inside the block; each block goes back to the heap that made it, with the
    // size and alignment it was made with.
    unsafe impl GlobalAlloc for Arenas {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            unsafe { self.make(layout, false) }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            unsafe { self.make(layout, true) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            let offset = offset(layout);
            unsafe {
                let (arena, block) = take_back(ptr, offset);
                self.heap(arena).free(block, layout.size() + offset, offset);
            }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let offset = offset(layout);
            let Some(size) = new_size.checked_add(offset) else {
                return std::ptr::null_mut();
            };
            unsafe {
                let (arena, block) = take_back(ptr, offset);
                let moved = self
                    .heap(arena)
                    .realloc(block, layout.size() + offset, offset, size);
                hand_out(moved, offset, arena)
            }
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod memmove_tests {
    unsafe extern "C" {
        fn __wrap_memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8;
        fn __wrap_memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8;
    }

    /// Every length to 300 (and some beyond) from every source offset to every destination
    /// offset within 70 bytes of each other, overlapping either way, against `copy_within`.
    #[test]
    fn memmove_matches_copy_within() {
        let pattern: Vec<u8> = (0..1200u32).map(|i| (i * 131 + 7) as u8).collect();
        let lengths = (0..=300).chain([511, 512, 513, 1000]);
        for n in lengths {
            for from in 0..70 {
                for to in 0..70 {
                    let mut expected = pattern.clone();
                    expected.copy_within(from..from + n, to);
                    let mut actual = pattern.clone();
                    let base = actual.as_mut_ptr();
                    // SAFETY: both ranges lie inside `actual` (70 + 1000 < 1200).
                    let returned = unsafe { __wrap_memmove(base.add(to), base.add(from), n) };
                    assert_eq!(returned, base.wrapping_add(to));
                    assert!(
                        actual == expected,
                        "memmove of {n} bytes from {from} to {to}"
                    );
                }
            }
        }
    }

    #[test]
    fn memcpy_copies_between_buffers() {
        for n in 0..=200 {
            let source: Vec<u8> = (0..n).map(|i| (i * 7 + 1) as u8).collect();
            let mut target = vec![0u8; n + 2];
            // SAFETY: `target` has room for n bytes after its first; the buffers are distinct.
            unsafe { __wrap_memcpy(target.as_mut_ptr().add(1), source.as_ptr(), n) };
            assert_eq!(&target[1..=n], &source[..]);
            assert_eq!(
                (target[0], target[n + 1]),
                (0, 0),
                "wrote outside {n} bytes"
            );
        }
    }
}

#[cfg(test)]
mod allocator_tests {
    use std::alloc::{GlobalAlloc, Layout};

    use super::allocator::Arenas;

    /// A block's bytes, written when it is made: its number and place.
    fn fill(block: *mut u8, size: usize, seed: usize) {
        for i in 0..size {
            // SAFETY: the block has `size` bytes.
            unsafe { block.add(i).write((seed * 31 + i) as u8) };
        }
    }

    fn holds(block: *const u8, size: usize, seed: usize) -> bool {
        // SAFETY: the block has `size` bytes.
        (0..size).all(|i| unsafe { block.add(i).read() } == (seed * 31 + i) as u8)
    }

    /// Four threads make blocks of many sizes and alignments, grow and shrink them, and
    /// hand half of them to the next thread to free; every block keeps its bytes and its
    /// alignment, and the heaps stay usable.
    #[test]
    fn arenas_survive_threads_that_free_each_others_blocks() {
        static ARENAS: Arenas = Arenas::new();
        const THREADS: usize = 4;
        let (senders, receivers): (Vec<_>, Vec<_>) = (0..THREADS)
            .map(|_| std::sync::mpsc::channel::<(usize, Layout, usize)>())
            .unzip();
        std::thread::scope(|scope| {
            for (t, inbox) in receivers.into_iter().enumerate() {
                let neighbour = senders[(t + 1) % THREADS].clone();
                scope.spawn(move || {
                    let mut kept = Vec::new();
                    for n in 0..2000 {
                        let seed = t * 10_000 + n;
                        let size = [1, 7, 16, 24, 100, 4096, 70_000][n % 7] + n % 13;
                        let align = [1, 8, 16, 64, 4096][n % 5];
                        let layout = Layout::from_size_align(size, align).unwrap();
                        // SAFETY: the layout has a non-zero size.
                        let mut block = unsafe { ARENAS.alloc(layout) };
                        assert!(!block.is_null());
                        assert_eq!(block as usize % align, 0, "alignment {align}");
                        fill(block, size, seed);
                        let mut layout = layout;
                        if n % 3 == 0 {
                            let grown = size * 2 + 5;
                            // SAFETY: `block` came from ARENAS with `layout`.
                            block = unsafe { ARENAS.realloc(block, layout, grown) };
                            assert!(holds(block, size, seed), "realloc kept the bytes");
                            assert_eq!(block as usize % align, 0, "alignment after realloc");
                            layout = Layout::from_size_align(grown, align).unwrap();
                            fill(block, grown, seed);
                        }
                        let entry = (block as usize, layout, seed);
                        if n % 2 == 0 {
                            neighbour.send(entry).unwrap();
                        } else {
                            kept.push(entry);
                        }
                    }
                    drop(neighbour);
                    for (block, layout, seed) in kept.into_iter().chain(inbox.iter().take(1000)) {
                        assert!(holds(block as *const u8, layout.size(), seed));
                        // SAFETY: each block came from ARENAS with this layout, freed once.
                        unsafe { ARENAS.dealloc(block as *mut u8, layout) };
                    }
                });
            }
        });
        let zeroed = Layout::from_size_align(300, 32).unwrap();
        // SAFETY: a non-zero size; the block is freed with its layout.
        unsafe {
            let block = ARENAS.alloc_zeroed(zeroed);
            assert!((0..300).all(|i| block.add(i).read() == 0));
            ARENAS.dealloc(block, zeroed);
        }
    }
}

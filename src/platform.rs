//! Where the C library under the release binary is too slow, and what stands in for it.
//!
//! `make report` builds a static binary on musl, not glibc: glibc's start-up asks the CPU
//! about its features and caches with 68 CPUID instructions, and in a virtual machine each
//! is a trip to the hypervisor (6.4 µs on the project's machines, 0.44 ms of a 2 ms build);
//! musl asks nothing. musl's malloc and memcpy, though, are slow for what a build does most,
//! 12,000 allocations and 14,000 copies of mostly short strings: the allocator is dlmalloc,
//! and memcpy and memmove are `memmove.c`, which build.rs links in place of musl's
//! (`rep movsq` there costs more to start than a short copy takes).

#[cfg(target_env = "musl")]
mod allocator {
    use std::alloc::{GlobalAlloc, Layout};
    use std::sync::{Mutex, MutexGuard, PoisonError};

    use dlmalloc::Dlmalloc;

    #[global_allocator]
    static ALLOCATOR: Allocator = Allocator(Mutex::new(Heap(Dlmalloc::new())));

    /// dlmalloc behind std's mutex (a futex: one atomic each way when uncontended; dlmalloc's
    /// own global lock is musl's pthread mutex, which costs more).
    struct Allocator(Mutex<Heap>);

    struct Heap(Dlmalloc);

    // SAFETY: the heap's pointers are only used with the mutex held, by one thread at a time.
    unsafe impl Send for Heap {}

    impl Allocator {
        fn heap(&self) -> MutexGuard<'_, Heap> {
            // Nothing panics with the lock held, so a poisoned lock still guards a sound heap.
            self.0.lock().unwrap_or_else(PoisonError::into_inner)
        }
    }

    // SAFETY: each call forwards to dlmalloc under the lock with the layout it was given.
    unsafe impl GlobalAlloc for Allocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            unsafe { self.heap().0.malloc(layout.size(), layout.align()) }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            unsafe { self.heap().0.calloc(layout.size(), layout.align()) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { self.heap().0.free(ptr, layout.size(), layout.align()) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            unsafe {
                self.heap()
                    .0
                    .realloc(ptr, layout.size(), layout.align(), new_size)
            }
        }
    }
}

#[cfg(test)]
mod tests {
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

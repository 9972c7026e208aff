/* memcpy and memmove for gongwen's musl builds (src/platform.rs says why).
 *
 * Copies of up to 64 bytes load everything before storing anything, so they are correct
 * for any overlap. Longer copies move 32 bytes a step, forwards unless the destination
 * starts inside the source; the last (or, backwards, the first) 32 bytes are loaded before
 * the loop and stored after it, which covers the uneven rest.
 * Built with -ffreestanding -fno-builtin: the compiler must not turn these loops back into
 * calls to memcpy, which the linker points here. */

#include <stddef.h>
#include <stdint.h>

/* Unaligned 16-, 8- and 4-byte pieces that may alias anything. */
typedef unsigned char v16 __attribute__((vector_size(16), aligned(1), may_alias));
typedef uint64_t u64 __attribute__((aligned(1), may_alias));
typedef uint32_t u32 __attribute__((aligned(1), may_alias));

static void copy_short(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n > 32) {
		v16 a = *(const v16 *)s, b = *(const v16 *)(s + 16);
		v16 c = *(const v16 *)(s + n - 32), e = *(const v16 *)(s + n - 16);
		*(v16 *)d = a;
		*(v16 *)(d + 16) = b;
		*(v16 *)(d + n - 32) = c;
		*(v16 *)(d + n - 16) = e;
	} else if (n >= 16) {
		v16 a = *(const v16 *)s, b = *(const v16 *)(s + n - 16);
		*(v16 *)d = a;
		*(v16 *)(d + n - 16) = b;
	} else if (n >= 8) {
		u64 a = *(const u64 *)s, b = *(const u64 *)(s + n - 8);
		*(u64 *)d = a;
		*(u64 *)(d + n - 8) = b;
	} else if (n >= 4) {
		u32 a = *(const u32 *)s, b = *(const u32 *)(s + n - 4);
		*(u32 *)d = a;
		*(u32 *)(d + n - 4) = b;
	} else if (n > 0) {
		/* Bytes 0, n/2 and n-1 cover every byte of 1 to 3. */
		unsigned char a = s[0], b = s[n / 2], c = s[n - 1];
		d[0] = a;
		d[n / 2] = b;
		d[n - 1] = c;
	}
}

void *__wrap_memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (n <= 64) {
		copy_short(d, s, n);
		return dst;
	}
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		/* Forwards: the destination ends before the source or starts before it, so each
		 * step reads source bytes that no earlier step has written. */
		v16 c = *(const v16 *)(s + n - 32), e = *(const v16 *)(s + n - 16);
		for (size_t i = 0; i < n - 32; i += 32) {
			v16 a = *(const v16 *)(s + i), b = *(const v16 *)(s + i + 16);
			*(v16 *)(d + i) = a;
			*(v16 *)(d + i + 16) = b;
		}
		*(v16 *)(d + n - 32) = c;
		*(v16 *)(d + n - 16) = e;
	} else {
		/* Backwards: the destination starts inside the source. */
		v16 a = *(const v16 *)s, b = *(const v16 *)(s + 16);
		for (size_t i = n; i > 32; i -= 32) {
			v16 c = *(const v16 *)(s + i - 32), e = *(const v16 *)(s + i - 16);
			*(v16 *)(d + i - 32) = c;
			*(v16 *)(d + i - 16) = e;
		}
		*(v16 *)d = a;
		*(v16 *)(d + 16) = b;
	}
	return dst;
}

void *__wrap_memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	return __wrap_memmove(dst, src, n);
}

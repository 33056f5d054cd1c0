/* bigarray.c - the large arrays of the organisation model (customers, the active list):
 * anonymous memory mappings, zero-filled and mapped by the system only where they are
 * written, aligned on and advised as huge pages (2 MiB) so that a visit that lands
 * anywhere in a base of millions of customers does not pay a page-table walk. A memory
 * hint, nothing else: the model would be the same with calloc and realloc, only slower.
 * Linux; elsewhere it falls back to calloc/realloc. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bigarray.h"
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE_PAGE ((size_t)2 << 20)

#if defined(__linux__)
/* The mapping of a block: whole pages. */
static size_t mapped(size_t bytes)
{
    size_t page = 4096;
    return (bytes + page - 1) / page * page;
}
#endif

void *kn_big_alloc(size_t bytes)
{
    if (bytes == 0)
        bytes = 1;
#if defined(__linux__)
    /* start on a huge-page boundary: map one huge page more, unmap what is before and
     * after the aligned block */
    size_t len = mapped(bytes);
    char *p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    char *a = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (a > p)
        munmap(p, (size_t)(a - p));
    size_t tail = (size_t)(p + len + HUGE_PAGE - (a + len));
    if (tail)
        munmap(a + len, tail);
#if defined(MADV_HUGEPAGE)
    (void)madvise(a, len, MADV_HUGEPAGE); /* a hint: failure changes nothing */
#endif
    return a;
#else
    return calloc(1, bytes);
#endif
}

void *kn_big_grow(void *p, size_t old_bytes, size_t new_bytes)
{
    if (!p)
        return kn_big_alloc(new_bytes);
#if defined(__linux__)
    /* a new aligned block, and the old pages moved (not copied) to its start: growing
     * a base of millions costs page-table updates, not a copy of every record and not
     * a fresh page for each; a copy only if the system refuses the move */
    char *q = kn_big_alloc(new_bytes);
    if (!q)
        return NULL;
    size_t len = mapped(old_bytes);
    if (mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, q) == MAP_FAILED) {
        memcpy(q, p, old_bytes);
        kn_big_free(p, old_bytes);
    }
    return q;
#else
    char *q = realloc(p, new_bytes);
    if (q && new_bytes > old_bytes)
        memset(q + old_bytes, 0, new_bytes - old_bytes);
    return q;
#endif
}

void kn_big_free(void *p, size_t bytes)
{
    if (!p)
        return;
#if defined(__linux__)
    munmap(p, mapped(bytes ? bytes : 1));
#else
    (void)bytes;
    free(p);
#endif
}

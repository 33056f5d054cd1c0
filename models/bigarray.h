/* bigarray.h - zero-filled large arrays that grow in place (see bigarray.c). */
#ifndef KONING_BIGARRAY_H
#define KONING_BIGARRAY_H

#include <stddef.h>

/* A zero-filled block of `bytes`, NULL on failure. Free with kn_big_free(p, bytes). */
void *kn_big_alloc(size_t bytes);
/* Block p of old_bytes grown to new_bytes (> old_bytes), the new part zero-filled; it
 * may move. NULL on failure (p is kept). */
void *kn_big_grow(void *p, size_t old_bytes, size_t new_bytes);
/* Release block p of `bytes` (NULL: nothing). */
void kn_big_free(void *p, size_t bytes);

#endif

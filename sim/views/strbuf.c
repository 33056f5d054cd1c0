/* strbuf.c - the growable text buffer (API in strbuf.h). */
#include "strbuf.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KN_SB_FIRST 4096 /* bytes of the first allocation */

int kn_sb_reserve(kn_strbuf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (extra > SIZE_MAX - 1 - b->n) {
        b->oom = 1;
        return -1;
    }
    size_t need = b->n + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : KN_SB_FIRST;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->oom = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

void kn_sb_put(kn_strbuf *b, const char *s, size_t len)
{
    if (kn_sb_reserve(b, len))
        return;
    if (len)
        memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

void kn_sb_puts(kn_strbuf *b, const char *s)
{
    kn_sb_put(b, s, strlen(s));
}

void kn_sb_vprintf(kn_strbuf *b, const char *fmt, va_list ap)
{
    if (b->oom)
        return;
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0)
        b->oom = 1;
    else if (kn_sb_reserve(b, (size_t)len) == 0) {
        vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
        b->n += (size_t)len;
    }
}

void kn_sb_printf(kn_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kn_sb_vprintf(b, fmt, ap);
    va_end(ap);
}

void kn_sb_free(kn_strbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->n = b->cap = 0;
    b->oom = 0;
}

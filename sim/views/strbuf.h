/* strbuf.h - a growable text buffer, shared by the writers of scripts and pages
 * (plot.c, htmlreport.c).
 *
 * Start from a zeroed struct: `kn_strbuf b = {0};`. Once anything has been written
 * (even zero bytes), s is allocated and NUL-terminated, and n counts the bytes before
 * the NUL. A failed allocation (or a printf format that cannot be formatted) sets oom;
 * from then on every write is ignored, so a writer may go on and check oom once at the
 * end. The text written before the failure stays NUL-terminated. kn_sb_free releases s
 * and zeroes the struct, so it can be used again.
 */
#ifndef KONING_STRBUF_H
#define KONING_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct kn_strbuf {
    char *s;
    size_t n, cap;
    int oom; /* 1 after a failed write: later writes are ignored */
} kn_strbuf;

/* Room for `extra` more bytes and the NUL after them: 0, or -1 (oom set, or already
 * set). Writing into the room directly is allowed; the writer keeps s[n] a NUL. */
int kn_sb_reserve(kn_strbuf *b, size_t extra);

/* Append len bytes of s (which need not be NUL-terminated). */
void kn_sb_put(kn_strbuf *b, const char *s, size_t len);

/* Append the string s. */
void kn_sb_puts(kn_strbuf *b, const char *s);

/* Append formatted text. */
void kn_sb_printf(kn_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kn_sb_vprintf(kn_strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Release the text and zero the buffer. */
void kn_sb_free(kn_strbuf *b);

#endif

/* yamlread.c - helpers shared by the YAML readers of scenario and sweep files; see
 * yamlread.h. */
#define _POSIX_C_SOURCE 200809L
#include "yamlread.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

kn_yr_loc kn_yr_loc_of(const yaml_node_t *n)
{
    kn_yr_loc l = { n->start_mark.line + 1, n->start_mark.column + 1 };
    return l;
}

/* Line and column of byte `offset` of text (for reader errors, which have no mark). */
static kn_yr_loc offset_loc(const char *text, size_t len, size_t offset)
{
    kn_yr_loc l = { 1, 1 };
    for (size_t i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n') {
            l.line++;
            l.col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            l.col++;
        }
    }
    return l;
}

/* ---- reading and parsing --------------------------------------------------------- */

static kn_status too_large(const char *path, size_t max_bytes, const char *what, kn_error *err)
{
    return kn_error_set(err, KN_ESCENARIO, "%s: larger than %zu MiB; not a %s file", path,
                        max_bytes >> 20, what);
}

kn_status kn_yr_read_file(const char *path, size_t max_bytes, const char *what, char **text,
                          size_t *len, kn_error *err)
{
    /* Opened without blocking, then read blocking: a FIFO that nobody writes reads as
     * empty instead of waiting forever, one that is written (a shell's <(...)) reads. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    int fl = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
        kn_status rc = kn_error_set(err, KN_EIO, "%s: cannot open: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return rc;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        kn_status rc = kn_error_set(err, KN_EIO, "%s: cannot open: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int read_errno = 0;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max_bytes) {
                free(buf);
                fclose(f);
                return too_large(path, max_bytes, what, err);
            }
            size_t ncap = cap ? 2 * cap : 65536;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(f);
                return kn_error_set(err, KN_ENOMEM, "%s: out of memory", path);
            }
            buf = nb;
            cap = ncap;
        }
        errno = 0;
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            read_errno = errno;
            break;
        }
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return kn_error_set(err, KN_EIO, "%s: cannot read: %s", path,
                            strerror(read_errno ? read_errno : EIO));
    }
    fclose(f);
    if (n > max_bytes) {
        free(buf);
        return too_large(path, max_bytes, what, err);
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return KN_OK;
}

/* The fault of a parser that failed, with where and what for a syntax error. */
static kn_yr_fault parser_fault(const yaml_parser_t *ps, const char *text, size_t len,
                                kn_yr_problem *pb)
{
    if (ps->error == YAML_MEMORY_ERROR)
        return KN_YR_NOMEM_PARSING;
    pb->problem = ps->problem ? ps->problem : "malformed YAML";
    pb->context[0] = '\0';
    if (ps->error == YAML_READER_ERROR) {
        pb->at = offset_loc(text, len, ps->problem_offset);
        if (ps->problem_value != -1)
            snprintf(pb->context, sizeof pb->context, " (0x%02X)", (unsigned)ps->problem_value);
    } else {
        pb->at.line = ps->problem_mark.line + 1;
        pb->at.col = ps->problem_mark.column + 1;
        if (ps->context)
            snprintf(pb->context, sizeof pb->context, " (%s at line %zu)", ps->context,
                     (size_t)ps->context_mark.line + 1);
    }
    return KN_YR_SYNTAX;
}

/* The first pass: syntax errors and nesting deeper than max_depth, from the events. */
static kn_yr_fault check_syntax(const char *text, size_t len, int max_depth, kn_yr_problem *pb)
{
    yaml_parser_t ps;
    yaml_event_t ev;
    kn_yr_fault f = KN_YR_OK;
    int depth = 0;
    if (!yaml_parser_initialize(&ps))
        return KN_YR_NOMEM;
    yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
    for (;;) {
        if (!yaml_parser_parse(&ps, &ev)) {
            f = parser_fault(&ps, text, len, pb);
            break;
        }
        yaml_event_type_t type = ev.type;
        kn_yr_loc at = { ev.start_mark.line + 1, ev.start_mark.column + 1 };
        yaml_event_delete(&ev);
        if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
            if (++depth > max_depth) {
                pb->at = at;
                f = KN_YR_TOO_DEEP;
                break;
            }
        } else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
            depth--;
        } else if (type == YAML_STREAM_END_EVENT) {
            break;
        }
    }
    yaml_parser_delete(&ps);
    return f;
}

kn_yr_fault kn_yr_parse(const char *text, size_t len, int max_depth, yaml_document_t *doc,
                        kn_yr_problem *pb)
{
    yaml_parser_t ps;
    yaml_document_t extra;
    kn_yr_fault f = check_syntax(text, len, max_depth, pb);
    if (f != KN_YR_OK)
        return f;
    if (!yaml_parser_initialize(&ps))
        return KN_YR_NOMEM;
    yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
    if (!yaml_parser_load(&ps, doc)) { /* libyaml has freed the document */
        f = parser_fault(&ps, text, len, pb);
        yaml_parser_delete(&ps);
        return f;
    }
    /* a second document (or junk after the first) is an error too */
    if (!yaml_parser_load(&ps, &extra)) {
        f = parser_fault(&ps, text, len, pb);
    } else {
        const yaml_node_t *r2 = yaml_document_get_root_node(&extra);
        if (r2) {
            pb->at = kn_yr_loc_of(r2);
            f = KN_YR_TWO_DOCS;
        }
        yaml_document_delete(&extra);
    }
    yaml_parser_delete(&ps);
    if (f != KN_YR_OK)
        yaml_document_delete(doc);
    return f;
}

/* ---- values in messages ---------------------------------------------------------- */

const char *kn_yr_show(char *buf, size_t cap, const char *s, size_t len, size_t max)
{
    if (max + 4 > cap)
        max = cap - 4;
    size_t n = len <= max ? len : max;
    if (n < len)
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        buf[i] = (char)(ch < 0x20 || ch == 0x7F ? '?' : ch);
    }
    if (n < len)
        memcpy(buf + n, "...", 4);
    else
        buf[n] = '\0';
    return buf;
}

int kn_yr_is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    return len == 0 || (len == 1 && s[0] == '~') ||
           (len == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

const char *kn_yr_describe(const yaml_node_t *n, char *buf, size_t cap)
{
    char v[KN_YR_SHOW_MAX + 8];
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a sequence";
    case YAML_SCALAR_NODE:
        if (kn_yr_is_null(n))
            return "nothing";
        snprintf(buf, cap, "'%s'",
                 kn_yr_show(v, sizeof v, (const char *)n->data.scalar.value,
                            n->data.scalar.length, KN_YR_SHOW_MAX));
        return buf;
    case YAML_NO_NODE:
        break;
    }
    return "nothing";
}

/* ---- names ----------------------------------------------------------------------- */

/* Levenshtein distance of a[0..na) and b[0..nb), nb <= KN_YR_SUGGEST_MAX. */
static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[KN_YR_SUGGEST_MAX + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* The last dotted component of s[0..n). */
static const char *last_part(const char *s, size_t n)
{
    for (size_t i = n; i > 0; i--)
        if (s[i - 1] == '.')
            return s + i;
    return s;
}

const char *kn_yr_suggest(const char *u, const char *const *cands, size_t n, int prefixes,
                          size_t *len)
{
    size_t nu = strlen(u), best = SIZE_MAX, found_len = 0;
    const char *found = NULL;
    if (nu == 0 || nu > KN_YR_SUGGEST_MAX)
        return NULL;
    const char *ulast = last_part(u, nu);
    size_t nulast = nu - (size_t)(ulast - u);
    for (size_t i = 0; i < n; i++) {
        const char *c = cands[i];
        for (size_t end = 0;; end++) {
            if (c[end] != '\0' && !(prefixes && c[end] == '.'))
                continue;
            /* candidate: c[0..end), a prefix or the whole candidate */
            if (end <= KN_YR_SUGGEST_MAX) {
                size_t d = edit_distance(u, nu, c, end);
                const char *clast = last_part(c, end);
                size_t nclast = end - (size_t)(clast - c);
                if (d > 1 && nclast == nulast && memcmp(clast, ulast, nulast) == 0)
                    d = 1;
                if (d < best && d > 0) {
                    best = d;
                    found = c;
                    found_len = end;
                }
            }
            if (c[end] == '\0')
                break;
        }
    }
    size_t limit = nu / 3 > 1 ? nu / 3 : 1;
    if (best > limit)
        return NULL;
    if (len)
        *len = found_len;
    return found;
}

void kn_yr_base_name(const char *path, const char *fallback, char *out, size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    const char *dot = strrchr(b, '.');
    if (dot && dot != b)
        n = (size_t)(dot - b);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)b[n] & 0xC0) == 0x80)
            n--;
    }
    if (n == 0) {
        snprintf(out, cap, "%s", fallback);
        return;
    }
    memcpy(out, b, n);
    out[n] = '\0';
}

/* error.h - koning's error codes and the detail record every fallible call fills.
 *
 * Errors are values: a function that can fail returns a kn_status and, when it is
 * given a kn_error, writes a one-line human message into it naming the file, line,
 * key and reason where they are known ("s.yaml:4:9: key 'staff.employees': must be >= 1").
 */
#ifndef KONING_ERROR_H
#define KONING_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kn_status {
    KN_OK = 0,        /* success */
    KN_EINVAL = 1,    /* a parameter out of its valid range, or an inconsistent set */
    KN_ENOMEM = 2,    /* an allocation failed */
    KN_EIO = 3,       /* a file could not be read or written */
    KN_ESCENARIO = 4, /* a scenario file or override is malformed or invalid */
    KN_ESIM = 5,      /* a simulation (child process) failed */
    KN_EUSAGE = 6     /* bad command-line usage */
} kn_status;

#define KN_ERROR_MSG_MAX 1024

/* Detail of the last error: code and a one-line message. Zero-initialise before use. */
typedef struct kn_error {
    kn_status code;
    char msg[KN_ERROR_MSG_MAX];
} kn_error;

/* Short static description of a status code; never NULL. */
const char *kn_strerror(kn_status code);

/* Fill err (if not NULL) with code and a printf-style message; returns code.
 * A NULL err is allowed: the status is still returned. */
kn_status kn_error_set(kn_error *err, kn_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* v written in the fewest significant digits (15 to 17) that read back to v, as
 * messages and written files show numbers; ".nan", ".inf", "-.inf" (YAML spellings) for
 * the others. Returns buf. */
const char *kn_format_number(char *buf, size_t cap, double v);

/* Propagate a failing status from an expression. */
#define KN_CHECK(expr)                      \
    do {                                    \
        kn_status kn_check_rc_ = (expr);    \
        if (kn_check_rc_ != KN_OK)          \
            return kn_check_rc_;            \
    } while (0)

#ifdef __cplusplus
}
#endif
#endif

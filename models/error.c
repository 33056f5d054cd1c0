/* error.c - kn_strerror and kn_error_set: the one place error messages are formatted. */
#include <stdio.h>
#include "koning/error.h"

const char *kn_strerror(kn_status code)
{
    switch (code) {
    case KN_OK: return "success";
    case KN_EINVAL: return "invalid parameter";
    case KN_ENOMEM: return "out of memory";
    case KN_EIO: return "input/output error";
    case KN_ESCENARIO: return "invalid scenario";
    case KN_ESIM: return "simulation failed";
    case KN_EUSAGE: return "bad usage";
    }
    return "unknown error";
}

kn_status kn_error_set(kn_error *err, kn_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

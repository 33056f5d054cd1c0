/* error.c - kn_strerror, kn_error_set and kn_format_number: the one place error messages
 * are formatted. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

const char *kn_format_number(char *buf, size_t cap, double v)
{
    if (isnan(v))
        return snprintf(buf, cap, ".nan"), buf;
    if (isinf(v))
        return snprintf(buf, cap, "%s", v > 0 ? ".inf" : "-.inf"), buf;
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

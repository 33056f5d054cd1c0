/* verdict.c - placeholder until the verdict lands (being written). */
#include "verdict.h"
kn_status kn_verdict_from_file(const kn_h5r *r, const kn_h5r_study *s, kn_verdict *v,
                               kn_error *err)
{
    (void)r; (void)s; (void)v;
    return kn_error_set(err, KN_EINVAL, "verdict not built yet");
}
void kn_verdict_print(FILE *f, const kn_h5r_study *s, const kn_verdict *v) { (void)f; (void)s; (void)v; }

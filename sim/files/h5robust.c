/* h5robust.c - the robust datasets of a results file (h5robust.h, docs/robust.md): three
 * dimensions (world, policy, uncertain), the worlds' values, the policies, the scenario's
 * world and policy, and the per-world mean outcomes, all in the root group like the rest
 * of the file. Written into the file being rebuilt, before it is closed, so that every
 * version of the file on disk has them.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include "h5out_int.h"
#include "h5robust.h"

/* A contiguous dataset of rank 1 or 2 on the given dimension scales, written in one go. */
static kn_status put(kn_h5 *h, const char *name, hid_t ftype, hid_t mtype, int rank,
                     const hid_t *dims, const hsize_t *size, const void *data, const char *units,
                     const char *long_name, kn_error *err)
{
    kn_h5i_dsspec d = {name, ftype, rank, {size[0], rank > 1 ? size[1] : 0},
                       {size[0], rank > 1 ? size[1] : 0}, {0, 0}, 0, ftype == H5T_IEEE_F64LE,
                       units, long_name};
    hid_t did = kn_h5i_ds_create(h->file, &d);
    kn_status rc = KN_OK;
    if (did < 0)
        return kn_h5i_fail(err, h->path, "cannot create dataset '%s'", name);
    for (int i = 0; i < rank && rc == KN_OK; i++)
        if (!kn_h5i_attach(did, dims[i], (unsigned)i))
            rc = kn_h5i_fail(err, h->path, "cannot attach dimensions to dataset '%s'", name);
    if (rc == KN_OK && size[0] > 0 && (rank < 2 || size[1] > 0) &&
        H5Dwrite(did, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        rc = kn_h5i_fail(err, h->path, "cannot write dataset '%s'", name);
    kn_h5i_close_id(&did);
    return rc;
}

static kn_status dim(kn_h5 *h, const char *name, size_t n, const char *long_name, hid_t *out,
                     kn_error *err)
{
    int32_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        idx[i] = (int32_t)i;
    kn_h5i_dsspec d = {name, H5T_STD_I32LE, 1, {n, 0}, {n, 0}, {0, 0}, 0, 0, "1", long_name};
    kn_status rc = kn_h5i_make_dim(h, &d, H5T_NATIVE_INT32, n ? idx : NULL, out, err);
    free(idx);
    return rc;
}

kn_status kn_h5_robust_write(kn_h5 *h, const kn_h5_robust *r, kn_error *err)
{
    hid_t dw = H5I_INVALID_HID, dp = H5I_INVALID_HID, du = H5I_INVALID_HID;
    size_t W = r->n_worlds, P = r->n_policies, K = r->n_keys, S = h->n_scenarios;
    int32_t *sw = malloc((S ? S : 1) * sizeof *sw), *sp = malloc((S ? S : 1) * sizeof *sp);
    kn_h5i_quiet q = kn_h5i_quiet_begin();
    kn_status rc = KN_OK;
    if (!sw || !sp) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    if (S != W * P) {
        rc = kn_error_set(err, KN_EINVAL, "%s: %zu scenarios are not %zu worlds x %zu policies",
                          h->path, S, W, P);
        goto done;
    }
    if ((rc = dim(h, "world", W, "index of the world (a draw of the uncertain magnitudes)", &dw, err)) != KN_OK ||
        (rc = dim(h, "policy", P, "index of the policy (a scenario file of the study)", &dp, err)) != KN_OK ||
        (rc = dim(h, "uncertain", K, "index of the uncertain magnitude", &du, err)) != KN_OK)
        goto done;
    for (size_t s = 0; s < S; s++) {
        sw[s] = (int32_t)(s / P);
        sp[s] = (int32_t)(s % P);
    }
    hsize_t nS[1] = {S}, nP[1] = {P}, nK[1] = {K}, nW[1] = {W}, nWK[2] = {W, K}, nWP[2] = {W, P};
    hid_t dS[1] = {H5I_INVALID_HID}, dPd[1] = {dp}, dK[1] = {du}, dW[1] = {dw}, dWK[2] = {dw, du},
          dWP[2] = {dw, dp};
    if ((dS[0] = H5Dopen2(h->file, "scenario", H5P_DEFAULT)) < 0) {
        rc = kn_h5i_fail(err, h->path, "cannot open dimension 'scenario'");
        goto done;
    }
    rc = put(h, "scenario_world", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dS, nS, sw, "1",
             "the world of the scenario (index into dimension world)", err);
    if (rc == KN_OK)
        rc = put(h, "scenario_policy", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dS, nS, sp, "1",
                 "the policy of the scenario (index into dimension policy)", err);
    H5Dclose(dS[0]);
    if (rc == KN_OK)
        rc = put(h, "policy_name", h->strtype, h->strtype, 1, dPd, nP, r->policy_name, "",
                 "the policy's scenario name", err);
    if (rc == KN_OK)
        rc = put(h, "policy_file", h->strtype, h->strtype, 1, dPd, nP, r->policy_file, "",
                 "the policy's scenario file", err);
    if (rc == KN_OK)
        rc = put(h, "uncertain_key", h->strtype, h->strtype, 1, dK, nK, r->key, "",
                 "the uncertain magnitude's scenario key", err);
    if (rc == KN_OK)
        rc = put(h, "uncertain_distribution", h->strtype, h->strtype, 1, dK, nK, r->spread, "",
                 "how worlds spread the magnitude over its range: uniform, log_uniform, integer", err);
    if (rc == KN_OK)
        rc = put(h, "uncertain_source", h->strtype, h->strtype, 1, dK, nK, r->source, "",
                 "the reason or source of the range", err);
    if (rc == KN_OK)
        rc = put(h, "uncertain_low", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, dK, nK, r->low, "",
                 "low end of the range", err);
    if (rc == KN_OK)
        rc = put(h, "uncertain_high", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, dK, nK, r->high, "",
                 "high end of the range", err);
    if (rc == KN_OK)
        rc = put(h, "world_value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dWK, nWK, r->value, "",
                 "the magnitude's value in the world (units: docs/scenarios.md)", err);
    if (rc == KN_OK)
        rc = put(h, "world_unit", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dWK, nWK, r->unit, "1",
                 "the world's position in the range, 0 = low, 1 = high (the design's unit cube)", err);
    if (rc == KN_OK)
        rc = put(h, "world_block", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dW, nW, r->block, "1",
                 "design block: Saltelli 0 = A, 1 = B, 2 + i = A with column i from B; Morris: "
                 "trajectory; Latin hypercube: 0", err);
    for (int m = 0; m < KN_H5_ROBUST_METRICS && rc == KN_OK; m++) {
        char name[96], ln[200];
        const kn_metric_info *mi = NULL;
        for (int j = 0; j < KN_METRIC_COUNT; j++)
            if (!strcmp(kn_metric_describe(j)->name, r->metric[m]))
                mi = kn_metric_describe(j);
        snprintf(name, sizeof name, "world_%s", r->metric[m]);
        snprintf(ln, sizeof ln, "mean %s of the policy in the world over its successful replications",
                 r->metric[m]);
        rc = put(h, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dWP, nWP, r->outcome[m],
                 mi ? mi->unit : "", ln, err);
    }
    const struct { const char *name, *value; } text[] = {
        {"robust_design", r->design},
        {"robust_uncertainty_file", r->uncertainty_file ? r->uncertainty_file : ""},
        {"robust_uncertainty", r->uncertainty_text ? r->uncertainty_text : ""},
        {"robust_pairs", r->pairs ? r->pairs : ""}};
    for (size_t i = 0; i < 4 && rc == KN_OK; i++)
        if (!kn_h5i_attr_text(h->file, text[i].name, text[i].value))
            rc = kn_h5i_fail(err, h->path, "cannot write attribute '%s'", text[i].name);
    const struct { const char *name; double value; } num[] = {
        {"robust_design_size", r->design_size}, {"robust_levels", r->levels},
        {"robust_status_quo", (double)r->status_quo}, {"robust_switch_after", r->switch_after},
        {"robust_seed", (double)r->seed}};
    for (size_t i = 0; i < 5 && rc == KN_OK; i++)
        if (!kn_h5i_attr_double(h->file, num[i].name, num[i].value))
            rc = kn_h5i_fail(err, h->path, "cannot write attribute '%s'", num[i].name);
done:
    kn_h5i_close_id(&du);
    kn_h5i_close_id(&dp);
    kn_h5i_close_id(&dw);
    kn_h5i_quiet_end(q);
    free(sw);
    free(sp);
    return rc;
}

/* plot.c - placeholder until the plotter lands (being written). */
#include <stdio.h>
#include <string.h>
#include "plot.h"
const char kn_plot_usage[] = "usage: koning plot FILE.h5 [-o DIR]\n";
kn_status kn_plot_file(const char *h5path, const char *dir, const kn_plot_opts *opts,
                       kn_plot_list *made, kn_error *err)
{
    (void)dir; (void)opts; (void)made;
    return kn_error_set(err, KN_EIO, "%s: plotting not built yet", h5path);
}
void kn_plot_list_free(kn_plot_list *l) { (void)l; }
char *kn_plot_quote(const char *s, char *out, size_t cap) { (void)s; if (cap) out[0] = 0; return out; }
int kn_plot_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }

/* htmlreport_charts.c - the charts of `koning report` (declared in htmlreport_int.h).
 *
 * The plotter (plot.h) draws the charts of the results file as SVG into a temporary
 * directory; the section reads each one back and embeds it in the page as a base64 data
 * URI, with its title and caption, so that the page loads nothing from outside it. The
 * directory (.koning-report-PID-XXXXXX beside the page, locked while in use) and
 * everything in it is removed by hr_report_free; a report killed before that leaves
 * it, and the next report into the same directory removes it (nothing in $TMPDIR).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "htmlreport_int.h"

/* ---- drawing --------------------------------------------------------------------------- */

#define CHART_DIR_PREFIX ".koning-report-"

/* Remove the files in directory fd (flat: the plotter's files) and the directory
 * `name` itself, in parent. */
static void remove_dir(int parent, const char *name, int fd)
{
    int dup_fd = dup(fd);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d && dup_fd >= 0)
        close(dup_fd);
    for (struct dirent *e; d && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlinkat(fd, e->d_name, 0);
    if (d)
        closedir(d);
    unlinkat(parent, name, AT_REMOVEDIR);
}

/* Remove the chart directories that killed reports left in dir: those of a process that
 * is gone (the pid in the name) whose lock nobody holds. */
static void remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t pl = strlen(CHART_DIR_PREFIX);
    for (struct dirent *e; (e = readdir(d));) {
        if (strncmp(e->d_name, CHART_DIR_PREFIX, pl))
            continue;
        long pid = strtol(e->d_name + pl, NULL, 10);
        if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its report may still be running */
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            remove_dir(dirfd(d), e->d_name, fd);
        close(fd);
    }
    closedir(d);
}

kn_status hr_charts_draw(report *R, const kn_report_opts *opts, kn_error *err)
{
    char page[PATH_MAX], parent[PATH_MAX], tmpl[PATH_MAX + 64];
    snprintf(page, sizeof page, "%s", R->out);
    snprintf(parent, sizeof parent, "%s", opts && opts->tmpdir ? opts->tmpdir : dirname(page));
    remove_stale(parent);
    if (snprintf(tmpl, sizeof tmpl, "%s/" CHART_DIR_PREFIX "%ld-XXXXXX", parent,
                 (long)getpid()) >= (int)sizeof tmpl)
        return kn_error_set(err, KN_EIO, "%s: path too long", parent);
    if (!mkdtemp(tmpl))
        return kn_error_set(err, KN_EIO, "%s: cannot make a directory for the charts: %s", tmpl,
                            strerror(errno));
    if (!(R->chart_dir = strdup(tmpl))) {
        rmdir(tmpl);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    /* held while the report runs: no other report takes the directory for a stale one */
    R->chart_fd = open(tmpl, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (R->chart_fd >= 0)
        flock(R->chart_fd, LOCK_EX);
    kn_plot_opts po = {KN_PLOT_SVG, opts ? opts->max_runs : 0, NULL, 1};
    return kn_plot_file(R->path, R->chart_dir, &po, &R->charts, err);
}

void hr_charts_free(report *R)
{
    if (!R->chart_dir)
        return;
    if (R->chart_fd >= 0) {
        remove_dir(AT_FDCWD, R->chart_dir, R->chart_fd);
        close(R->chart_fd);
    }
    rmdir(R->chart_dir);
    free(R->chart_dir);
    R->chart_dir = NULL;
}

/* ---- the section ----------------------------------------------------------------------- */

static void b_base64(buf *b, const unsigned char *d, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        q[0] = tab[(v >> 18) & 63];
        q[1] = tab[(v >> 12) & 63];
        q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? tab[v & 63] : '=';
        kn_sb_put(b, q, 4);
    }
}

kn_status hr_sec_charts(buf *b, const report *R, kn_error *err)
{
    if (!R->charts.n)
        return KN_OK;
    kn_sb_puts(b, "<section id=\"charts\">\n<h2>Charts</h2>\n");
    for (size_t i = 0; i < R->charts.n; i++) {
        const kn_plot_chart *c = &R->charts.chart[i];
        if (!c->name[0] || strchr(c->name, '/') || c->name[0] == '.')
            return kn_error_set(err, KN_EIO, "chart %zu: bad name '%s'", i, c->name);
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s.svg", R->chart_dir, c->name);
        FILE *f = fopen(path, "rb");
        if (!f)
            return kn_error_set(err, KN_EIO, "%s: cannot read chart: %s", path, strerror(errno));
        buf img = {0};
        char chunk[65536];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
            kn_sb_put(&img, chunk, got);
        int bad = ferror(f);
        fclose(f);
        if (bad || img.oom || !img.n) {
            const char *why = img.oom ? ": out of memory" : !img.n && !bad ? ": empty" : "";
            kn_sb_free(&img); /* zeroes img */
            return kn_error_set(err, KN_EIO, "%s: cannot read chart%s", path, why);
        }
        kn_sb_printf(b, "<figure id=\"chart-%zu\"><img src=\"data:image/svg+xml;base64,", i + 1);
        b_base64(b, (const unsigned char *)img.s, img.n);
        kn_sb_free(&img);
        kn_sb_puts(b, "\" alt=\"");
        hr_esc(b, c->title);
        kn_sb_puts(b, "\">\n<figcaption><b>");
        hr_esc(b, c->title);
        kn_sb_puts(b, ".</b> ");
        hr_esc(b, c->caption);
        kn_sb_puts(b, "</figcaption></figure>\n");
    }
    kn_sb_puts(b, "</section>\n");
    return KN_OK;
}

/* plot.c - `koning plot`: the charts of a results file, drawn by one gnuplot process.
 *
 * The file is read with the read-only reader (h5read.h). Every chart NAME becomes
 * NAME.dat (plain columns, described in a header comment), NAME.gp (a complete gnuplot
 * script that reads NAME.dat by a relative path and writes the images) and the images
 * NAME.png / .svg / .pdf. The script text is written to NAME.gp and sent, unchanged, to
 * gnuplot, which runs with the output directory as its working directory, so the
 * directory name never reaches gnuplot at all.
 *
 * Safety: every string that comes from the results file (scenario names, keys, the file
 * path in comments) enters a script only as a single-quoted gnuplot string made by
 * kn_plot_quote (no escapes, no backquote substitution, no macros are expanded inside
 * single quotes; control characters become spaces so a string cannot end a line), and
 * all text is drawn with enhanced mode off. No string from the file goes into a file
 * name or a data line.
 *
 * gnuplot is driven through a pipe: popen("cd DIR && exec gnuplot >OUT 2>ERR", "w"),
 * every word single-quoted for sh. We write the scripts to its stdin (SIGPIPE ignored
 * meanwhile, so a gnuplot that died is an error, not a crash); after each chart we ask
 * it to print a token on stdout (a temporary file), so a chart is reported only once its
 * images are complete; its stderr (another temporary file) holds its error messages.
 */
#define _GNU_SOURCE
#include "plot.h"
#include "koning/stats.h"
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "h5read.h"
#include "strbuf.h"

#define DEFAULT_MAX_RUNS 40
#define EXIT_FAIL 1
#define EXIT_INPUT 2
#define BLOCK_ROWS 256 /* runs read at once from a [run, period] series */
#define DISPLAY_CHARS 40 /* longest scenario name shown whole in legends and on axes */
#define DISPLAY_MAX (4 * DISPLAY_CHARS + 8)

const char kn_plot_usage[] =
    "usage: koning plot FILE.h5 [-o DIR] [--format png,svg,pdf] [--max-runs N] [--only NAME,...]\n"
    "                   [--quiet]\n"
    "\n"
    "Draw the charts of a results file with gnuplot (docs/plots.md). For each chart NAME\n"
    "it writes NAME.png, NAME.svg and NAME.pdf, the data NAME.dat and the gnuplot script\n"
    "NAME.gp that redraws them (`cd DIR && gnuplot NAME.gp`), so any chart can be restyled.\n"
    "Organisation files get time series per policy (mean, confidence band of the mean,\n"
    "faint individual runs, warm-up shaded), a summary and small multiples; queue files\n"
    "time series of waiting, abandonment and utilisation and a summary; sweeps response\n"
    "curves and heatmaps over the varied keys. The results file is only read.\n"
    "\n"
    "  -o, --output DIR    output directory (default: FILE without .h5, plus -plots/)\n"
    "  --format LIST       images to write, comma-separated: png, svg, pdf (default all;\n"
    "                      PDF is skipped with a note where gnuplot lacks pdfcairo)\n"
    "  --max-runs N        faint individual runs per scenario (default 40; 0 or none: no runs)\n"
    "  --only LIST         draw only these charts, comma-separated names (e.g. retention,summary)\n"
    "  -q, --quiet         print nothing on stdout\n"
    "\n"
    "gnuplot (5.x, with the cairo terminals; Debian: apt-get install gnuplot-nox) must be\n"
    "on PATH, or named by the environment variable KONING_GNUPLOT (a program path).\n"
    "Exit status: 0 charts written, 1 gnuplot missing or failing, or an output file could\n"
    "not be written, 2 bad options, a file that is not a koning results file, or an\n"
    "output directory that cannot be created.\n";

/* ---- growable text --------------------------------------------------------------------- */

typedef kn_strbuf sbuf; /* strbuf.h */

/* s as a single-quoted gnuplot string */
static void sb_quote(sbuf *b, const char *s)
{
    size_t room = 2 * strlen(s) + 3;
    if (kn_sb_reserve(b, room))
        return;
    kn_plot_quote(s, b->s + b->n, room);
    b->n += strlen(b->s + b->n);
}

char *kn_plot_quote(const char *s, char *out, size_t cap)
{
    if (!out || cap == 0)
        return out;
    if (cap < 3) {
        out[0] = '\0';
        return out;
    }
    size_t k = 0;
    out[k++] = '\'';
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        size_t need = *p == '\'' ? 2 : 1;
        if (k + need + 2 > cap) {
            /* cut short: never leave half a UTF-8 sequence */
            if ((*p & 0xC0) == 0x80) {
                while (k > 1 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
                    k--;
                if (k > 1 && (unsigned char)out[k - 1] >= 0xC0)
                    k--;
            }
            break;
        }
        if (*p == '\'') {
            out[k++] = '\'';
            out[k++] = '\'';
        } else {
            out[k++] = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
        }
    }
    out[k++] = '\'';
    out[k] = '\0';
    return out;
}

/* Copy at most cap-1 bytes of s into out, not cutting a UTF-8 sequence, control
 * characters as spaces. */
static void copy_text(char *out, size_t cap, const char *s)
{
    size_t k = 0, len = strlen(s);
    if (len >= cap) {
        len = cap - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    for (; k < len; k++) {
        unsigned char ch = (unsigned char)s[k];
        out[k] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
    }
    out[k] = '\0';
}

/* Characters (not bytes) of UTF-8 text. */
static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The names shown in legends and on axes: a name of more than DISPLAY_CHARS characters
 * loses the start all names share (up to a space or '[', so a sweep point
 * "study [a=1, b=2]" keeps "b=2]"), and what is still too long is cut, with an ellipsis. */
static void display_names(char *const *names, size_t n, char (*out)[DISPLAY_MAX])
{
    size_t common = 0;
    if (n >= 2) {
        common = strlen(names[0]);
        for (size_t s = 1; s < n; s++) {
            size_t k = 0;
            while (k < common && names[s][k] == names[0][k])
                k++;
            common = k;
        }
        while (common > 0 && names[0][common - 1] != ' ' && names[0][common - 1] != '[')
            common--;
    }
    for (size_t s = 0; s < n; s++) {
        const char *nm = names[s];
        char buf[DISPLAY_MAX * 2];
        if (utf8_len(nm) > DISPLAY_CHARS && common > 0 && nm[common])
            snprintf(buf, sizeof buf, "\xE2\x80\xA6%s", nm + common);
        else
            snprintf(buf, sizeof buf, "%s", nm);
        if (utf8_len(buf) > DISPLAY_CHARS) {
            size_t k = 0, chars = 0;
            while (buf[k] && chars < DISPLAY_CHARS - 1) {
                k++;
                while (((unsigned char)buf[k] & 0xC0) == 0x80)
                    k++;
                chars++;
            }
            snprintf(buf + k, sizeof buf - k, "\xE2\x80\xA6");
        }
        copy_text(out[s], DISPLAY_MAX, buf);
    }
}

/* ---- colours --------------------------------------------------------------------------- */

/* The shipped policies (the presets in scenarios/) by name: the Okabe-Ito colours, which stay
 * apart for the common colour-vision deficiencies; the status quo is dark grey. */
static const struct {
    const char *name, *rgb;
} preset_colour[] = {
    {"organisation", "#4D4D4D"},          {"customer-always-right", "#D55E00"},
    {"employees-first", "#0072B2"},       {"investigate-first", "#009E73"},
    {"king-while-behaving", "#CC79A7"},   {"best-customers-first", "#E69F00"},
    {"fire-bad-customers", "#56B4E9"},
};

/* Any other scenario, by its index: Paul Tol's colour-blind-safe "muted" colours,
 * none of which is a preset's, so a custom scenario never takes a policy's colour. */
static const char *const other_colour[] = {"#332288", "#CC6677", "#117733", "#882255",
                                           "#44AA99", "#999933", "#AA4499", "#88CCEE"};

const char *kn_plot_colour(const char *scenario_name, size_t index)
{
    if (scenario_name)
        for (size_t i = 0; i < sizeof preset_colour / sizeof preset_colour[0]; i++)
            if (!strcmp(scenario_name, preset_colour[i].name))
                return preset_colour[i].rgb;
    return other_colour[index % (sizeof other_colour / sizeof other_colour[0])];
}

/* ---- the gnuplot process --------------------------------------------------------------- */

typedef struct gp_proc {
    FILE *pipe;        /* popen: gnuplot's stdin */
    int outfd;         /* temporary file: gnuplot's stdout (answers) */
    int errfd;         /* temporary file: gnuplot's stderr */
    char outpath[PATH_MAX], errpath[PATH_MAX];
    off_t out_seen;    /* bytes of outfd already read */
    off_t err_seen;    /* bytes of errfd already looked at */
    unsigned asked;    /* number of the last question */
    char want[32];     /* prefix of the awaited answer line, "KN_ANSWER 3 " */
    char line[256];    /* the stdout line being read */
    size_t line_n;
    int line_long;     /* that line overflowed line[]: not an answer */
    int replied;       /* the awaited answer arrived */
    char reply[128];
    int status;        /* pclose's status once closed, else -1 */
    struct sigaction old_pipe; /* SIGPIPE ignored while gnuplot runs: a dead gnuplot is EPIPE */
    int sig_saved;
} gp_proc;

static void gp_init(gp_proc *g)
{
    memset(g, 0, sizeof *g);
    g->outfd = g->errfd = -1;
    g->status = -1;
}

/* Find an executable: a name with '/' as is, else along PATH. out gets an absolute path
 * (gnuplot starts in the output directory). Returns 0 when found. */
static int find_program(const char *name, char *out, size_t cap)
{
    struct stat st;
    char buf[PATH_MAX];
    if (!*name)
        return -1;
    if (strchr(name, '/')) {
        if (stat(name, &st) || !S_ISREG(st.st_mode) || access(name, X_OK) || !realpath(name, buf))
            return -1;
        snprintf(out, cap, "%s", buf);
        return 0;
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;;) {
        const char *e = strchr(p, ':');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int n = len ? snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p, name)
                    : snprintf(buf, sizeof buf, "./%s", name);
        if (n > 0 && (size_t)n < sizeof buf && !stat(buf, &st) && S_ISREG(st.st_mode) &&
            !access(buf, X_OK)) {
            char abs[PATH_MAX];
            if (realpath(buf, abs)) {
                snprintf(out, cap, "%s", abs);
                return 0;
            }
        }
        if (!e)
            break;
        p = e + 1;
    }
    return -1;
}

static void gp_take_lines(gp_proc *g, const char *buf, size_t n)
{
    size_t want = strlen(g->want);
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            g->line[g->line_n] = '\0';
            if (!g->line_long && want && !strncmp(g->line, g->want, want)) {
                snprintf(g->reply, sizeof g->reply, "%s", g->line + want);
                g->replied = 1;
            }
            g->line_n = 0;
            g->line_long = 0;
        } else if (g->line_n + 1 < sizeof g->line) {
            g->line[g->line_n++] = buf[i];
        } else {
            g->line_long = 1;
        }
    }
}

/* Read what gnuplot printed on stdout since the last look. */
static void gp_read_answers(gp_proc *g)
{
    char tmp[4096];
    for (;;) {
        ssize_t r = pread(g->outfd, tmp, sizeof tmp, g->out_seen);
        if (r <= 0)
            return;
        g->out_seen += r;
        gp_take_lines(g, tmp, (size_t)r);
    }
}

/* Send len bytes to gnuplot; with want_reply, then wait for the awaited answer line.
 * Waiting polls the pipe with no events: it sleeps 2 ms at a time and wakes at once
 * with POLLERR when gnuplot has gone (the read end of the pipe closed).
 * Returns 0, or -1 when gnuplot is gone. */
static int gp_pump(gp_proc *g, const char *buf, size_t len, int want_reply)
{
    if (!g->pipe)
        return -1;
    if ((len && fwrite(buf, 1, len, g->pipe) != len) || fflush(g->pipe) != 0)
        return -1;
    while (want_reply) {
        gp_read_answers(g);
        if (g->replied)
            return 0;
        struct pollfd p = {fileno(g->pipe), 0, 0};
        int n = poll(&p, 1, 2);
        if (n < 0 && errno != EINTR)
            return -1;
        if (n > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL))) {
            gp_read_answers(g);
            return g->replied ? 0 : -1;
        }
    }
    return 0;
}

static int gp_send(gp_proc *g, const char *text)
{
    return gp_pump(g, text, strlen(text), 0);
}

/* Ask gnuplot to print the string expression expr; the answer (without the prefix) goes
 * into g->reply. Doubles as a barrier: every command sent before has run. */
static int gp_ask(gp_proc *g, const char *expr)
{
    char cmd[512];
    g->asked++;
    snprintf(g->want, sizeof g->want, "KN_ANSWER %u ", g->asked);
    g->replied = 0;
    g->reply[0] = '\0';
    snprintf(cmd, sizeof cmd, "set print '-'\nprint '%s'.(%s)\nset print\n", g->want, expr);
    return gp_pump(g, cmd, strlen(cmd), 1);
}

/* s as one word for sh: in single quotes, each ' written as '\'' (nothing is expanded). */
static void sh_quote(sbuf *b, const char *s)
{
    kn_sb_printf(b, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            kn_sb_printf(b, "'\\''");
        else
            kn_sb_printf(b, "%c", *p);
    }
    kn_sb_printf(b, "'");
}

static int temp_file(char *path, size_t cap)
{
    const char *td = getenv("TMPDIR");
    if (!td || !*td || strlen(td) > cap - 32)
        td = "/tmp";
    snprintf(path, cap, "%s/koning-gnuplot-XXXXXX", td);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0) {
        snprintf(path, cap, "/tmp/koning-gnuplot-XXXXXX");
        fd = mkostemp(path, O_CLOEXEC);
    }
    return fd;
}

/* Start gnuplot through popen: `cd DIR && exec PROG >OUT 2>ERR`, every word quoted for
 * sh, so gnuplot runs in the output directory (scripts use relative names, as the .gp
 * files do), answers into one temporary file and reports errors into another. */
static kn_status gp_start(gp_proc *g, const char *prog, const char *dir, kn_error *err)
{
    if ((g->outfd = temp_file(g->outpath, sizeof g->outpath)) < 0 ||
        (g->errfd = temp_file(g->errpath, sizeof g->errpath)) < 0)
        return kn_error_set(err, KN_EIO, "cannot create a temporary file for gnuplot: %s",
                            strerror(errno));
    sbuf cmd = {0};
    kn_sb_printf(&cmd, "cd ");
    sh_quote(&cmd, dir);
    kn_sb_printf(&cmd, " && exec ");
    sh_quote(&cmd, prog);
    kn_sb_printf(&cmd, " >");
    sh_quote(&cmd, g->outpath);
    kn_sb_printf(&cmd, " 2>");
    sh_quote(&cmd, g->errpath);
    if (cmd.oom) {
        kn_sb_free(&cmd);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    g->sig_saved = sigaction(SIGPIPE, &ign, &g->old_pipe) == 0;
    fflush(NULL); /* nothing of ours is written twice by the child */
    g->pipe = popen(cmd.s, "we");
    int e = errno;
    kn_sb_free(&cmd);
    if (!g->pipe)
        return kn_error_set(err, KN_EIO, "cannot start gnuplot: %s", strerror(e));
    return KN_OK;
}

/* New text gnuplot wrote on stderr since the last look: the first error line into err_line
 * (returns 1 when there is one); warnings are echoed to our stderr. */
static int gp_errors(gp_proc *g, char *err_line, size_t cap, int all_lines)
{
    struct stat st;
    int found = 0;
    if (g->errfd < 0 || fstat(g->errfd, &st) || st.st_size <= g->err_seen)
        return 0;
    size_t n = (size_t)(st.st_size - g->err_seen);
    if (n > 65536)
        n = 65536;
    char *buf = malloc(n + 1);
    if (!buf)
        return 0;
    ssize_t r = pread(g->errfd, buf, n, g->err_seen);
    if (r <= 0) {
        free(buf);
        return 0;
    }
    buf[r] = '\0';
    g->err_seen += r;
    char *save = NULL, *first = NULL;
    for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        while (*l == ' ' || *l == '\t' || *l == '\r')
            l++;
        if (!*l || !strcmp(l, "^"))
            continue;
        if (!first)
            first = l;
        if (strstr(l, "warning:")) {
            fprintf(stderr, "koning plot: gnuplot %s\n", l);
            continue;
        }
        const char *at = strstr(l, "line ");
        if (!found && at && at[5] >= '0' && at[5] <= '9' && strchr(at, ':')) {
            copy_text(err_line, cap, l);
            found = 1;
        }
    }
    if (!found && all_lines && first) {
        copy_text(err_line, cap, first);
        found = 1;
    }
    free(buf);
    return found;
}

/* Close gnuplot's input, let it finish, and reap it (pclose). Returns its wait status,
 * or -1. */
static int gp_finish(gp_proc *g)
{
    if (g->pipe) {
        g->status = pclose(g->pipe);
        g->pipe = NULL;
    }
    return g->status;
}

static void gp_cleanup(gp_proc *g)
{
    gp_finish(g);
    if (g->sig_saved) {
        sigaction(SIGPIPE, &g->old_pipe, NULL);
        g->sig_saved = 0;
    }
    for (int i = 0; i < 2; i++) {
        int *fd = i ? &g->errfd : &g->outfd;
        const char *path = i ? g->errpath : g->outpath;
        if (*fd >= 0) {
            close(*fd);
            unlink(path);
        }
        *fd = -1;
    }
}

/* ---- what is drawn --------------------------------------------------------------------- */

typedef struct metric_desc {
    const char *name;     /* chart name and, unless summary says otherwise, the metric */
    const char *series;   /* [run, period] dataset */
    const char *summary;  /* base of the <metric>_mean / _ci_low / _ci_high datasets */
    const char *title;    /* chart title */
    const char *label;    /* short name for panels */
    const char *axis;     /* axis label, with the unit */
    const char *unit;     /* unit for data headers */
    const char *short_axis; /* axis label of a small panel */
    int per_week;         /* a count or sum per period, drawn per week */
    int share;            /* lies in [0, 1] */
    int nonneg;           /* never negative */
    int lower_better;     /* for heatmaps: lowest is best */
    int hide_runs;        /* individual runs are noise (0 or a spike a period): not drawn */
    double rolling_days;  /* > 0: each run drawn as its trailing mean over this many days */
} metric_desc;

static const metric_desc m_retention = {
    "retention", "retention_by_period", "retention", "Customer retention", "retention",
    "customers kept (share per year)", "share per year", "retention (share/year)",
    0, 1, 1, 0, 0, 0.0};
static const metric_desc m_quality = {
    "service_quality", "service_quality_by_period", "service_quality", "Service quality",
    "service quality", "perceived service quality (0 to 1)", "0 to 1", "quality (0-1)",
    0, 1, 1, 0, 0, 0.0};
static const metric_desc m_turnover = {
    "staff_turnover", "staff_turnover_by_period", "staff_turnover",
    "Staff turnover (trailing 13 weeks)", "staff turnover",
    "quits per employee per year, trailing 13 weeks", "quits per employee per year",
    "turnover (1/year)", 0, 0, 1, 1, 1, 91.0};
static const metric_desc m_morale = {
    "mean_morale", "mean_morale_by_period", "mean_morale", "Staff morale", "morale",
    "mean morale of employees (0 to 1)", "0 to 1", "morale (0-1)",
    0, 1, 1, 0, 0, 0.0};
static const metric_desc m_exhaustion = {
    "mean_exhaustion", "mean_exhaustion_by_period", "mean_exhaustion", "Staff exhaustion",
    "exhaustion", "mean exhaustion of employees (0 to 1)", "0 to 1", "exhaustion (0-1)",
    0, 1, 1, 1, 0, 0.0};
static const metric_desc m_complaints = {
    "complaints", "complaints_by_period", "complaints_per_week", "Complaints", "complaints",
    "complaints per week", "per week", "complaints per week",
    1, 0, 1, 1, 0, 0.0};
static const metric_desc m_profit = {
    "profit", "profit_by_period", "profit", "Profit", "profit", "profit (money units per week)",
    "money units per week", "profit per week",
    1, 0, 0, 0, 0, 0.0};
static const metric_desc m_p_wait = {
    "p_wait", "p_wait_by_period", "p_wait", "Share of arrivals who waited", "P(wait)",
    "share of arrivals who waited", "share of arrivals", "P(wait)",
    0, 1, 1, 1, 0, 0.0};
static const metric_desc m_wait = {
    "mean_wait_minutes", "mean_wait_minutes_by_period", "mean_wait_minutes", "Mean wait",
    "mean wait", "mean wait in queue (minutes)", "minutes", "mean wait (min)",
    0, 0, 1, 1, 0, 0.0};
static const metric_desc m_p_abandon = {
    "p_abandon", "p_abandon_by_period", "p_abandon", "Share of arrivals who abandoned",
    "P(abandon)", "share of arrivals who abandoned", "share of arrivals", "P(abandon)",
    0, 1, 1, 1, 0, 0.0};
static const metric_desc m_util = {
    "utilization", "utilization_by_period", "utilization", "Utilisation", "utilisation",
    "utilisation (share of staffed time serving)", "share of staffed time", "utilisation",
    0, 1, 1, 0, 0, 0.0};

static const metric_desc *const org_headline[4] = {&m_retention, &m_quality, &m_turnover, &m_profit};
static const metric_desc *const queue_headline[4] = {&m_p_wait, &m_wait, &m_p_abandon, &m_util};

enum chart_kind { CH_SERIES, CH_SUMMARY, CH_MULTIPLES, CH_SWEEP, CH_HEATMAP };

typedef struct chart_plan {
    char name[128];
    int kind;
    const metric_desc *m[4];
    size_t nm;
    size_t key; /* CH_SWEEP: the varied key on the x axis */
} chart_plan;

/* A varied key of a sweep. */
typedef struct sweep_key {
    char *name;
    char unit[64];
    double *v;        /* [n_scen] the key's value per scenario */
    double *distinct; /* sorted distinct finite values */
    size_t nd;
    size_t *at;       /* [n_scen] index of the scenario's value in distinct, SIZE_MAX for NaN */
    size_t pos;       /* where the key appears in the scenario name (the sweep's order) */
} sweep_key;

typedef struct plot_ctx {
    kn_h5r *r;
    kn_h5r_study st;
    const char *h5path;
    const char *dir;
    unsigned formats;
    char png_term[16];
    size_t max_runs;
    int quiet;
    gp_proc gp;
    char (*colour)[8];
    char (*disp)[DISPLAY_MAX]; /* the names shown in legends and on axes (long ones shortened) */
    size_t *n_ok;          /* successful runs per scenario */
    size_t n_ok_min, n_ok_max;
    double tscale;         /* days per x unit */
    const char *tunit;     /* "weeks", "days", "hours" */
    double warmup;         /* days, the largest of the scenarios' */
    double horizon;        /* days */
    double xmax;           /* days: the end of the last period drawn */
    size_t p_draw;         /* periods drawn: all, or all but a short last one */
    double cut_days;       /* length of the last period when it is not drawn, else 0 */
    sweep_key *keys;       /* a sweep's varied keys, in the sweep's order */
    size_t nkeys;
    int grid;              /* the varied keys form a full grid */
    kn_plot_list *made;
    kn_error *err;
    int exit_class;        /* EXIT_INPUT or EXIT_FAIL when a step fails */
    int gp_gone;           /* gnuplot stopped answering */
} plot_ctx;

static kn_status fail_input(plot_ctx *c, kn_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static kn_status fail_input(plot_ctx *c, kn_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[KN_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->exit_class = EXIT_INPUT;
    return kn_error_set(c->err, code, "%s", msg);
}

static kn_status fail_run(plot_ctx *c, kn_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static kn_status fail_run(plot_ctx *c, kn_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[KN_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->exit_class = EXIT_FAIL;
    return kn_error_set(c->err, code, "%s", msg);
}


/* ---- per-period statistics of a series ------------------------------------------------ */

static int cmp_double(const void *a, const void *b);

typedef struct series {
    const metric_desc *m;
    int ok;             /* 0: missing or no finite value */
    size_t S, P, R;     /* scenarios, periods, faint runs kept at most per scenario */
    double *mean, *lo, *hi, *cnt; /* [S * P] */
    double *runs;       /* [S * R * P] */
    size_t *nruns;      /* [S] faint runs kept */
    size_t *run_row;    /* [S * R] their rows in the run table */
    double ymin, ymax;  /* over the means and bands, and the 5-95 % of the faint runs' values */
} series;

static void series_free(series *s)
{
    free(s->mean);
    free(s->lo);
    free(s->hi);
    free(s->cnt);
    free(s->runs);
    free(s->nruns);
    free(s->run_row);
    memset(s, 0, sizeof *s);
}

/* Length in days of period p of scenario s (the last may be shorter; 0 past the end). */
static double period_len(const plot_ctx *c, size_t s, size_t p)
{
    double end = c->st.period_end[p], start = p ? c->st.period_end[p - 1] : 0.0;
    if (isfinite(c->st.days[s]) && c->st.days[s] < end)
        end = c->st.days[s];
    return end > start ? end - start : 0.0;
}

/* Mean, Student-t interval and count per (scenario, period) over the successful runs,
 * in one pass over the run table (Welford's update), and the first R runs of each
 * scenario for the faint lines. */
/* Replace row[p] by the mean of the row's finite values over the periods that end in the
 * trailing window (end of p - days, end of p], weighted by period length (the window is
 * shorter at the start of the run). Quits are rare events: a week's turnover is 0 or a
 * spike, while a quarter's, annualised, is what HR reports. */
static void trailing_mean(const plot_ctx *c, size_t s, double *row, size_t P, double days)
{
    const double *end = c->st.period_end;
    double *out = malloc(P * sizeof *out);
    if (!out)
        return;
    for (size_t p = 0; p < P; p++) {
        double sum = 0.0, w = 0.0;
        for (size_t q = p + 1; q-- > 0 && end[q] > end[p] - days - 1e-9;) {
            double len = period_len(c, s, q);
            if (isfinite(row[q]) && len > 0.0) {
                sum += row[q] * len;
                w += len;
            }
        }
        out[p] = w > 0.0 ? sum / w : NAN;
    }
    memcpy(row, out, P * sizeof *row);
    free(out);
}

static kn_status series_load(plot_ctx *c, const metric_desc *m, series *ss)
{
    const kn_h5r_study *st = &c->st;
    size_t S = st->n_scen, P = st->n_period;
    size_t R = c->max_runs < c->n_ok_max ? c->max_runs : c->n_ok_max; /* faint runs kept */
    memset(ss, 0, sizeof *ss);
    ss->m = m;
    ss->S = S;
    ss->P = P;
    ss->R = R;
    if (!P || !kn_h5r_exists(c->r, m->series))
        return KN_OK;
    size_t SP = S * P;
    double *m2 = calloc(SP, sizeof *m2), *buf = malloc((size_t)BLOCK_ROWS * P * sizeof *buf);
    ss->mean = calloc(SP, sizeof *ss->mean);
    ss->lo = malloc(SP * sizeof *ss->lo);
    ss->hi = malloc(SP * sizeof *ss->hi);
    ss->cnt = calloc(SP, sizeof *ss->cnt);
    size_t nrun_vals = S * R * P, nrun_rows = S * R;
    ss->runs = malloc((nrun_vals > 0 ? nrun_vals : 1) * sizeof *ss->runs);
    ss->nruns = calloc(S, sizeof *ss->nruns);
    ss->run_row = calloc(nrun_rows > 0 ? nrun_rows : 1, sizeof *ss->run_row);
    kn_status rc = KN_OK;
    if (!m2 || !buf || !ss->mean || !ss->lo || !ss->hi || !ss->cnt || !ss->runs || !ss->nruns ||
        !ss->run_row) {
        rc = fail_run(c, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t row0 = 0; row0 < st->n_run; row0 += BLOCK_ROWS) {
        size_t nrows = st->n_run - row0 < BLOCK_ROWS ? st->n_run - row0 : BLOCK_ROWS;
        if ((rc = kn_h5r_rows(c->r, m->series, row0, nrows, buf, c->err)) != KN_OK) {
            c->exit_class = EXIT_INPUT;
            goto done;
        }
        for (size_t i = 0; i < nrows; i++) {
            size_t run = row0 + i;
            if (!st->run_ok[run])
                continue;
            size_t s = (size_t)st->run_scenario[run];
            double *row = buf + i * P;
            if (m->per_week)
                for (size_t p = 0; p < P; p++) {
                    double len = period_len(c, s, p);
                    row[p] = len > 0.0 ? row[p] * 7.0 / len : NAN;
                }
            if (m->rolling_days > 0.0)
                trailing_mean(c, s, row, P, m->rolling_days);
            for (size_t p = 0; p < P; p++) {
                double v = row[p];
                if (!isfinite(v))
                    continue;
                size_t k = s * P + p;
                double n = ++ss->cnt[k], d = v - ss->mean[k];
                ss->mean[k] += d / n;
                m2[k] += d * (v - ss->mean[k]);
            }
            if (ss->nruns[s] < R) {
                memcpy(ss->runs + (s * R + ss->nruns[s]) * P, row, P * sizeof *row);
                ss->run_row[s * R + ss->nruns[s]] = run;
                ss->nruns[s]++;
            }
        }
    }
    ss->ymin = INFINITY;
    ss->ymax = -INFINITY;
    double tn = 0.0, t = NAN; /* the last quantile computed, reused while n repeats */
    for (size_t k = 0; k < SP; k++) {
        double n = ss->cnt[k];
        if (n < 1.0) {
            ss->mean[k] = ss->lo[k] = ss->hi[k] = NAN;
            continue;
        }
        ss->ok = 1;
        if (n < 2.0) {
            ss->lo[k] = ss->hi[k] = NAN;
        } else {
            if (n != tn) {
                t = kn_t_quantile(0.5 + st->level / 2.0, n - 1.0);
                tn = n;
            }
            double hw = t * sqrt(m2[k] / (n - 1.0)) / sqrt(n);
            ss->lo[k] = ss->mean[k] - hw;
            ss->hi[k] = ss->mean[k] + hw;
        }
        double vals[3] = {ss->mean[k], ss->lo[k], ss->hi[k]};
        for (int j = 0; j < 3 && k % P < c->p_draw; j++)
            if (isfinite(vals[j])) {
                ss->ymin = fmin(ss->ymin, vals[j]);
                ss->ymax = fmax(ss->ymax, vals[j]);
            }
    }
    /* the faint runs count for the y range only between their 5 % and 95 % quantiles:
     * a few wild runs (or the 0-or-spike weeks of staff turnover) are clipped rather
     * than squeezing the means into a corner */
    size_t nv = 0;
    double *vals = malloc((nrun_vals > 0 ? nrun_vals : 1) * sizeof *vals);
    if (!vals) {
        rc = fail_run(c, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < ss->nruns[s] * P; j++) {
            double v = ss->runs[s * R * P + j];
            if (isfinite(v) && j % P < c->p_draw)
                vals[nv++] = v;
        }
    if (nv && !m->hide_runs) {
        qsort(vals, nv, sizeof *vals, cmp_double);
        ss->ymin = fmin(ss->ymin, vals[(size_t)(0.05 * (double)(nv - 1))]);
        ss->ymax = fmax(ss->ymax, vals[(size_t)ceil(0.95 * (double)(nv - 1))]);
    }
    free(vals);
done:
    free(m2);
    free(buf);
    if (rc != KN_OK)
        series_free(ss);
    return rc;
}

/* ---- output files ---------------------------------------------------------------------- */

static void path_join(char *out, size_t cap, const char *dir, const char *name)
{
    size_t len = strlen(dir);
    snprintf(out, cap, "%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", name);
}

static kn_status open_out(plot_ctx *c, const char *file, FILE **f)
{
    char path[PATH_MAX];
    path_join(path, sizeof path, c->dir, file);
    if (!(*f = fopen(path, "w")))
        return fail_run(c, KN_EIO, "%s: cannot write: %s", path, strerror(errno));
    return KN_OK;
}

static kn_status close_out(plot_ctx *c, const char *file, FILE *f)
{
    char path[PATH_MAX];
    path_join(path, sizeof path, c->dir, file);
    int bad = fflush(f) != 0 || ferror(f);
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad)
        return fail_run(c, KN_EIO, "%s: cannot write: %s", path, strerror(e ? e : EIO));
    return KN_OK;
}

static void put_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, " %.17g", v);
    else
        fputs(" NaN", f);
}

/* Values as people read them on a chart: 47371, 0.718, 1.11. */
static void fmt_value(char *out, size_t cap, double v)
{
    if (!isfinite(v))
        snprintf(out, cap, "n/a");
    else if (fabs(v) >= 1000.0)
        snprintf(out, cap, "%.0f", v);
    else
        snprintf(out, cap, "%.3g", v);
}

/* ---- the scripts ----------------------------------------------------------------------- */

static const char *format_list(unsigned formats, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%s%s%s%s", formats & KN_PLOT_PNG ? "png" : "",
             (formats & KN_PLOT_PNG) && (formats & (KN_PLOT_SVG | KN_PLOT_PDF)) ? " " : "",
             formats & KN_PLOT_SVG ? "svg" : "",
             (formats & KN_PLOT_SVG) && (formats & KN_PLOT_PDF) ? " " : "",
             formats & KN_PLOT_PDF ? "pdf" : "");
    return buf;
}

/* The head of every script: provenance, the settings shared by all charts, the
 * scenarios' names and colours as variables. */
static void gp_head(plot_ctx *c, sbuf *b, const char *name)
{
    char fl[32];
    kn_sb_printf(b, "# %s.gp - drawn by koning plot from ", name);
    sb_quote(b, c->h5path);
    kn_sb_printf(b, ".\n# Redraw (after editing this script or %s.dat): gnuplot %s.gp, in this "
                    "directory.\n# The columns of %s.dat are described in its header.\n",
                 name, name, name);
    kn_sb_printf(b, "formats = '%s'  # images written: any of png svg pdf\n",
                 format_list(c->formats, fl, sizeof fl));
    kn_sb_printf(b, "datafile = '%s.dat'\n", name);
    kn_sb_printf(b, "set encoding utf8\n"
                    "set border 3 linewidth 1.2 linecolor rgb '#404040'\n"
                    "set tics nomirror out scale 0.6 textcolor rgb '#202020'\n"
                    "set grid xtics ytics linewidth 1 linecolor rgb '#E4E4E4' dashtype solid\n"
                    "set grid back\n"
                    "fmtv(v) = abs(v) >= 1000 ? sprintf('%%.0f', v) : sprintf('%%.3g', v)\n");
}

/* Per scenario: nameN (legend text), colourN, faintN (the colour, mostly transparent). */
static void gp_scenario_vars(plot_ctx *c, sbuf *b)
{
    /* the faint runs: the more there are, the fainter each (opacity 0.3 to 0.1) */
    size_t drawn = c->max_runs < c->n_ok_max ? c->max_runs : c->n_ok_max;
    double opacity = drawn ? 4.0 / (double)drawn : 0.3;
    opacity = opacity > 0.3 ? 0.3 : opacity < 0.1 ? 0.1 : opacity;
    unsigned alpha = (unsigned)lround(255.0 * (1.0 - opacity));
    kn_sb_printf(b,
                 "# the scenarios: legend text, colour (one colour per policy in every chart) and\n"
                 "# the colour of its individual runs (#AARRGGBB, AA = transparency)\n");
    for (size_t s = 0; s < c->st.n_scen; s++) {
        kn_sb_printf(b, "name%zu = ", s + 1);
        sb_quote(b, c->disp[s]);
        kn_sb_printf(b, "\ncolour%zu = '%s'; faint%zu = '#%02X%s'\n", s + 1, c->colour[s], s + 1,
                     alpha, c->colour[s] + 1);
    }
}

/* runsN: whether the faint runs of panel block N are drawn. */
static void gp_runs_vars(sbuf *b, const series *ss, size_t n)
{
    kn_sb_printf(b, "# individual runs (faint lines): 1 draws them, 0 hides them\n");
    for (size_t i = 0; i < n; i++)
        kn_sb_printf(b, "runs%zu = %d  # %s\n", i + 1, !ss[i].m->hide_runs, ss[i].m->series);
}

/* Open the loop over the image formats; the chart's drawing commands follow. */
static void gp_loop_open(plot_ctx *c, sbuf *b, const char *name, int w, int h)
{
    int fs = 15;
    kn_sb_printf(b, "do for [fmt in formats] {\n");
    kn_sb_printf(b, "  if (fmt eq 'png') { set terminal %s size %d,%d font 'Sans,%d' noenhanced "
                    "linewidth 1.2 }\n",
                 c->png_term, w, h, fs);
    /* the same proportions in every format: gnuplot's svg terminal draws text at 3/4 of
     * pngcairo's size, and pdfcairo's text matches pngcairo's on a page of 1/142 inch a
     * pixel (both measured with gnuplot 5.4) */
    kn_sb_printf(b, "  if (fmt eq 'svg') { set terminal svg size %d,%d fontscale 1.3333 font 'Sans,%d' "
                    "noenhanced linewidth 1.2 background '#FFFFFF' }\n",
                 w, h, fs);
    kn_sb_printf(b, "  if (fmt eq 'pdf') { set terminal pdfcairo size %.2fin,%.2fin font 'Sans,%d' "
                    "noenhanced linewidth 1.2 }\n",
                 w / 142.0, h / 142.0, fs);
    kn_sb_printf(b, "  set output '%s.'.fmt\n", name);
}

static void gp_loop_close(sbuf *b)
{
    kn_sb_printf(b, "  unset output\n}\n");
}

/* The right edge of a plot with a legend beside it: room for the longest entry (about
 * 11 px a character at the 15-point font of a 1200 px wide page, plus the line sample),
 * and the legend anchored just right of the plot. */
static double gp_key_right(sbuf *b, const char *indent, size_t maxchars)
{
    double w = (80.0 + 11.0 * (double)maxchars) / 1200.0;
    double right = 0.975 - w;
    right = right < 0.55 ? 0.55 : right > 0.85 ? 0.85 : right;
    kn_sb_printf(b, "%sset key at screen %.4f, screen 0.9 left top vertical Left reverse samplen 2 "
                    "spacing 1.3 noenhanced\n",
                 indent, right + 0.015);
    return right;
}

static size_t max_name_len(const plot_ctx *c)
{
    size_t n = 4;
    for (size_t s = 0; s < c->st.n_scen; s++)
        n = utf8_len(c->disp[s]) > n ? utf8_len(c->disp[s]) : n;
    return n;
}

/* A caption line at the bottom of the page. */
static void gp_caption(sbuf *b, const char *indent, const char *caption)
{
    kn_sb_printf(b, "%sset label 99 ", indent);
    sb_quote(b, caption);
    size_t len = strlen(caption);
    kn_sb_printf(b, " at screen 0.5, screen 0.022 center font ',%d' textcolor rgb '#505050' "
                    "noenhanced\n", len > 195 ? 8 : len > 175 ? 9 : len > 160 ? 10 : 11);
}

static void gp_title(sbuf *b, const char *indent, const char *title)
{
    kn_sb_printf(b, "%sset label 98 ", indent);
    sb_quote(b, title);
    kn_sb_printf(b, " at screen 0.5, screen 0.965 center font ',19' noenhanced\n");
}

/* "organisation vs customer-always-right vs employees-first", or "7 scenarios". */
static void scenario_list(const plot_ctx *c, char *out, size_t cap)
{
    size_t S = c->st.n_scen, len = 0;
    for (size_t s = 0; s < S; s++)
        len += strlen(c->st.scen_name[s]) + 4;
    if (S == 1) {
        copy_text(out, cap, c->st.scen_name[0]);
    } else if (S <= 4 && len < 80) {
        out[0] = '\0';
        for (size_t s = 0; s < S; s++) {
            size_t k = strlen(out);
            snprintf(out + k, cap - k, "%s%s", s ? " vs " : "", c->st.scen_name[s]);
        }
        copy_text(out, cap, out);
    } else {
        snprintf(out, cap, "%zu scenarios", S);
    }
}

static void runs_phrase(const plot_ctx *c, char *out, size_t cap, const char *per)
{
    if (c->n_ok_min == c->n_ok_max)
        snprintf(out, cap, "mean of %zu runs per %s", c->n_ok_min, per);
    else
        snprintf(out, cap, "mean of %zu to %zu runs per %s", c->n_ok_min, c->n_ok_max, per);
}

static void level_phrase(const plot_ctx *c, char *out, size_t cap)
{
    snprintf(out, cap, "%g %%", round(c->st.level * 1000.0) / 10.0);
}

static void time_caption(const plot_ctx *c, const series *ss, int hidden_runs, char *out,
                         size_t cap)
{
    char runs[96], lv[16];
    runs_phrase(c, runs, sizeof runs, "scenario");
    level_phrase(c, lv, sizeof lv);
    size_t faint = 0;
    for (size_t s = 0; s < ss->S; s++)
        faint = ss->nruns[s] > faint ? ss->nruns[s] : faint;
    int k = snprintf(out, cap, "%s; band: %s CI of the mean", runs, lv);
    if (faint && ss->m->hide_runs && k > 0 && (size_t)k < cap)
        k += snprintf(out + k, cap - (size_t)k, "; individual runs in the .dat, not drawn");
    if (faint && !ss->m->hide_runs && k > 0 && (size_t)k < cap)
        k += snprintf(out + k, cap - (size_t)k, "; faint lines: individual runs (%zu per scenario%s)",
                      faint, hidden_runs ? ", not for turnover" : "");
    if (c->warmup > 0.0 && k > 0 && (size_t)k < cap)
        k += snprintf(out + k, cap - (size_t)k, "; grey: warm-up (%g days)", c->warmup);
    if (ss->m->per_week && k > 0 && (size_t)k < cap)
        k += snprintf(out + k, cap - (size_t)k, "; totals per period shown per week");
    if (c->cut_days > 0.0 && k > 0 && (size_t)k < cap)
        snprintf(out + k, cap - (size_t)k, "; last %g-day period not drawn", c->cut_days);
}

/* ---- a chart's end: the files, the drawing, the list ----------------------------------- */

static int wanted(const char *only, const char *name)
{
    if (!only || !*only)
        return 1;
    size_t len = strlen(name);
    for (const char *p = only; *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == len && !strncmp(p, name, len))
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

/* 1 when an image gnuplot wrote is whole: it ends as its format ends (gnuplot does not
 * report a full disk, it leaves a short file). */
static int image_complete(const char *path, const char *tail)
{
    char buf[64];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    long from = size > (long)sizeof buf ? size - (long)sizeof buf : 0;
    size_t n = size > 0 && fseek(f, from, SEEK_SET) == 0 ? fread(buf, 1, sizeof buf, f) : 0;
    fclose(f);
    return n > 0 && memmem(buf, n, tail, strlen(tail)) != NULL;
}

static kn_status chart_done(plot_ctx *c, const char *name, sbuf *gp, const char *title,
                            const char *caption)
{
    char file[160];
    FILE *f;
    if (gp->oom)
        return fail_run(c, KN_ENOMEM, "out of memory");
    snprintf(file, sizeof file, "%s.gp", name);
    KN_CHECK(open_out(c, file, &f));
    fwrite(gp->s, 1, gp->n, f);
    KN_CHECK(close_out(c, file, f));
    char errl[512];
    if (gp_send(&c->gp, "reset session\n") || gp_send(&c->gp, gp->s) || gp_ask(&c->gp, "'ok'")) {
        /* gnuplot is gone: the caller reaps it and reports why */
        c->gp_gone = 1;
        return fail_run(c, KN_EIO, "gnuplot stopped while drawing %s", name);
    }
    if (gp_errors(&c->gp, errl, sizeof errl, 0))
        return fail_run(c, KN_EIO, "gnuplot failed: %s (drawing %s)", errl, name);
    static const struct {
        unsigned bit;
        const char *ext, *tail;
    } img[] = {{KN_PLOT_PNG, "png", "IEND"}, {KN_PLOT_SVG, "svg", "</svg>"}, {KN_PLOT_PDF, "pdf", "%%EOF"}};
    for (size_t i = 0; i < sizeof img / sizeof img[0]; i++) {
        if (!(c->formats & img[i].bit))
            continue;
        char path[PATH_MAX];
        snprintf(file, sizeof file, "%s.%s", name, img[i].ext);
        path_join(path, sizeof path, c->dir, file);
        if (!image_complete(path, img[i].tail))
            return fail_run(c, KN_EIO, "%s: gnuplot could not write the whole image (disk full?)",
                            path);
    }
    kn_plot_list *l = c->made;
    if (l) {
        kn_plot_chart *nc = realloc(l->chart, (l->n + 1) * sizeof *nc);
        if (!nc)
            return fail_run(c, KN_ENOMEM, "out of memory");
        l->chart = nc;
        kn_plot_chart *ch = &l->chart[l->n++];
        memset(ch, 0, sizeof *ch);
        copy_text(ch->name, sizeof ch->name, name);
        copy_text(ch->title, sizeof ch->title, title);
        copy_text(ch->caption, sizeof ch->caption, caption);
    }
    if (!c->quiet) {
        size_t dl = strlen(c->dir);
        printf("wrote %s%s%s.{%s%s%sdat,gp}\n", c->dir, dl && c->dir[dl - 1] == '/' ? "" : "/", name,
               c->formats & KN_PLOT_PNG ? "png," : "", c->formats & KN_PLOT_SVG ? "svg," : "",
               c->formats & KN_PLOT_PDF ? "pdf," : "");
        fflush(stdout);
    }
    return KN_OK;
}

static void skip_note(const plot_ctx *c, const char *name, const char *why)
{
    if (!c->quiet) {
        printf("skipped %s: %s\n", name, why);
        fflush(stdout);
    }
}

/* ---- time series ----------------------------------------------------------------------- */

/* Columns of scenario s in a series block: mean, ci_low, ci_high, n, then the runs. */
static size_t series_col(const series *ss, size_t s)
{
    size_t col = 3;
    for (size_t q = 0; q < s; q++)
        col += 4 + ss->nruns[q];
    return col;
}

static void series_dat_header(plot_ctx *c, FILE *f, const series *ss)
{
    sbuf h = {0};
    char lv[16];
    level_phrase(c, lv, sizeof lv);
    kn_sb_printf(&h,
                 "# column 1: period_end_days (days): end of the period, days since the start\n");
    kn_sb_printf(&h, "# column 2: time_%s (%s): the same, the x axis\n", c->tunit, c->tunit);
    for (size_t s = 0; s < ss->S; s++) {
        size_t col = series_col(ss, s);
        kn_sb_printf(&h, "# scenario %zu, ", s + 1);
        sb_quote(&h, c->st.scen_name[s]);
        kn_sb_printf(&h, " (%zu successful runs):\n", c->n_ok[s]);
        kn_sb_printf(&h, "#   column %zu: s%zu_mean (%s): mean over the runs\n", col, s + 1, ss->m->unit);
        kn_sb_printf(&h, "#   column %zu: s%zu_ci_low (%s), column %zu: s%zu_ci_high: %s Student-t "
                         "interval of the mean\n", col + 1, s + 1, ss->m->unit, col + 2, s + 1, lv);
        kn_sb_printf(&h, "#   column %zu: s%zu_n (runs): runs with a value in the period\n", col + 3, s + 1);
        if (ss->nruns[s]) {
            kn_sb_printf(&h,
                         "#   columns %zu-%zu: s%zu_run1..s%zu_run%zu (%s): individual runs, rows",
                         col + 4, col + 3 + ss->nruns[s], s + 1, s + 1, ss->nruns[s], ss->m->unit);
            for (size_t k = 0; k < ss->nruns[s]; k++)
                kn_sb_printf(&h, " %zu", ss->run_row[s * ss->R + k]);
            kn_sb_printf(&h, " of the run table\n");
        }
    }
    kn_sb_printf(&h, "# period_end_days time_%s", c->tunit);
    for (size_t s = 0; s < ss->S; s++) {
        kn_sb_printf(&h, " s%zu_mean s%zu_ci_low s%zu_ci_high s%zu_n", s + 1, s + 1, s + 1, s + 1);
        for (size_t k = 0; k < ss->nruns[s]; k++)
            kn_sb_printf(&h, " s%zu_run%zu", s + 1, k + 1);
    }
    kn_sb_printf(&h, "\n");
    if (h.s)
        fputs(h.s, f);
    kn_sb_free(&h);
}

static void series_dat_block(plot_ctx *c, FILE *f, const series *ss)
{
    for (size_t p = 0; p < ss->P; p++) {
        double t = c->st.period_end[p];
        fprintf(f, "%.17g", t);
        put_num(f, t / c->tscale);
        for (size_t s = 0; s < ss->S; s++) {
            size_t k = s * ss->P + p;
            put_num(f, ss->mean[k]);
            put_num(f, ss->lo[k]);
            put_num(f, ss->hi[k]);
            fprintf(f, " %.0f", ss->cnt[k]);
            for (size_t j = 0; j < ss->nruns[s]; j++) {
                double v = ss->runs[(s * ss->R + j) * ss->P + p];
                if (isfinite(v))
                    fprintf(f, " %.10g", v);
                else
                    fputs(" NaN", f);
            }
        }
        fputc('\n', f);
    }
}

/* The warm-up: a grey rectangle behind the data and a small label. */
static void gp_warmup(plot_ctx *c, sbuf *b, const char *indent, int label)
{
    if (!(c->warmup > 0.0))
        return;
    double w = c->warmup / c->tscale;
    kn_sb_printf(b, "%sset object 1 rectangle from 0, graph 0 to %.10g, graph 1 behind "
                    "fillcolor rgb '#E3E3E3' fillstyle solid 1.0 noborder\n",
                 indent, w);
    if (label && c->warmup >= 0.12 * c->xmax) /* room inside the grey band */
        kn_sb_printf(b, "%sset label 1 'warm-up' at %.10g, graph 0.97 center font ',11' "
                        "textcolor rgb '#707070'\n",
                     indent, w / 2.0);
    else if (label) /* a narrow band: the label beside it */
        kn_sb_printf(b, "%sset label 1 'warm-up' at %.10g, graph 0.97 left offset character 0.4, 0 "
                        "font ',11' textcolor rgb '#707070'\n",
                     indent, w);
    else
        kn_sb_printf(b, "%sunset label 1\n", indent);
}

/* The plot command of one series panel: faint runs, then bands, then the means. `only`
 * is a scenario index, or SIZE_MAX for all. */
static void gp_series_plot(sbuf *b, const series *ss, size_t block, size_t only,
                           int titles)
{
    const char *sep = "  plot ";
    const char *next = ", \\\n       ";
    const char *style = ss->P <= 16 ? "linespoints pointtype 7 pointsize 0.9" : "lines";
    for (size_t s = 0; s < ss->S; s++) {
        if ((only != SIZE_MAX && s != only) || !ss->nruns[s])
            continue;
        size_t col = series_col(ss, s);
        kn_sb_printf(b, "%sfor [k=%zu:(runs%zu ? %zu : 0)] datafile index %zu using 2:k with lines "
                        "linewidth 0.8 linecolor rgb faint%zu notitle",
                     sep, col + 4, block + 1, col + 3 + ss->nruns[s], block, s + 1);
        sep = next;
    }
    for (size_t s = 0; s < ss->S; s++) {
        if (only != SIZE_MAX && s != only)
            continue;
        size_t col = series_col(ss, s);
        kn_sb_printf(b, "%sdatafile index %zu using 2:%zu:%zu with filledcurves fillcolor rgb "
                        "colour%zu fillstyle transparent solid 0.25 noborder notitle",
                     sep, block, col + 1, col + 2, s + 1);
        sep = next;
    }
    for (size_t s = 0; s < ss->S; s++) {
        if (only != SIZE_MAX && s != only)
            continue;
        size_t col = series_col(ss, s);
        kn_sb_printf(b, "%sdatafile index %zu using 2:%zu with %s linewidth 3 linecolor rgb colour%zu ",
                     sep, block, col, style, s + 1);
        if (titles)
            kn_sb_printf(b, "title name%zu noenhanced", s + 1);
        else
            kn_sb_printf(b, "notitle");
        sep = next;
    }
    kn_sb_printf(b, "\n");
}

static double nice_step(double lo, double hi, int n);

/* gnuplot's autoscaled y range, kept where the metric can lie */
static const char *y_auto(const metric_desc *m)
{
    return m->share ? "[0<*:*<1]" : m->nonneg ? "[0<*:*]" : "[*:*]";
}

/* y range of a panel: the data's, padded, shares kept in [0, 1]. */
static void y_range(const metric_desc *m, double lo, double hi, double *out_lo, double *out_hi)
{
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0.0;
        hi = 1.0;
    }
    double pad = (hi - lo) * 0.03;
    if (pad <= 0.0)
        pad = fabs(hi) > 0.0 ? fabs(hi) * 0.05 : 0.05;
    lo -= pad;
    hi += pad;
    /* out to whole tic steps, as gnuplot's autoscale does: clean ends on the axis */
    double step = nice_step(lo, hi, 5);
    if (step > 0.0) {
        lo = floor(lo / step) * step;
        hi = ceil(hi / step) * step;
    }
    if (m->nonneg && lo < 0.0)
        lo = 0.0;
    if (m->share) {
        if (lo < 0.0)
            lo = 0.0;
        if (hi > 1.0)
            hi = 1.0;
        if (hi <= lo)
            hi = lo + 0.05;
    }
    *out_lo = lo;
    *out_hi = hi;
}

static void gp_time_axis(plot_ctx *c, sbuf *b, const char *indent, int label)
{
    kn_sb_printf(b, "%sset xrange [0:%.10g]\n", indent, c->xmax / c->tscale);
    if (label)
        kn_sb_printf(b, "%sset xlabel 'time (%s since the start)'\n", indent, c->tunit);
    else
        kn_sb_printf(b, "%sunset xlabel\n", indent);
}

/* A time-series chart: one metric (one panel) or two stacked panels. */
static kn_status chart_series(plot_ctx *c, const chart_plan *pl)
{
    series ss[2];
    memset(ss, 0, sizeof ss);
    kn_status rc = KN_OK;
    FILE *f = NULL;
    sbuf b = {0};
    char title[256], caption[512], list[200], file[160];
    for (size_t i = 0; i < pl->nm; i++) {
        if ((rc = series_load(c, pl->m[i], &ss[i])) != KN_OK)
            goto done;
        if (!ss[i].ok) {
            char why[160];
            snprintf(why, sizeof why, "no values of %s in the file", pl->m[i]->series);
            skip_note(c, pl->name, why);
            goto done;
        }
    }
    scenario_list(c, list, sizeof list);
    if (pl->nm == 2)
        snprintf(title, sizeof title, "Staff morale and exhaustion: %s", list);
    else
        snprintf(title, sizeof title, "%s: %s", pl->m[0]->title, list);
    copy_text(title, sizeof title, title);
    time_caption(c, &ss[0], 0, caption, sizeof caption);

    snprintf(file, sizeof file, "%s.dat", pl->name);
    if ((rc = open_out(c, file, &f)) != KN_OK)
        goto done;
    fprintf(f, "# %s.dat - written by koning plot: per period, ", pl->name);
    for (size_t i = 0; i < pl->nm; i++)
        fprintf(f, "%s%s%s", i ? " and " : "", pl->m[i]->series, pl->m[i]->per_week ? " per week" : "");
    fprintf(f, " over the successful runs of each scenario.\n");
    if (pl->nm == 2)
        fprintf(f, "# Two blocks (gnuplot index 0: %s, index 1: %s), each with these columns.\n",
                pl->m[0]->series, pl->m[1]->series);
    fprintf(f, "# NaN: no value (no run, or fewer than 2 runs for the interval).\n");
    series_dat_header(c, f, &ss[0]);
    for (size_t i = 0; i < pl->nm; i++) {
        if (i)
            fputs("\n\n", f);
        series_dat_block(c, f, &ss[i]);
    }
    rc = close_out(c, file, f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    gp_head(c, &b, pl->name);
    gp_scenario_vars(c, &b);
    gp_runs_vars(&b, ss, pl->nm);
    gp_loop_open(c, &b, pl->name, 1200, pl->nm == 2 ? 900 : 750);
    gp_title(&b, "  ", title);
    gp_caption(&b, "  ", caption);
    double right = gp_key_right(&b, "  ", max_name_len(c));
    if (pl->nm == 1) {
        double lo, hi;
        y_range(pl->m[0], ss[0].ymin, ss[0].ymax, &lo, &hi);
        gp_warmup(c, &b, "  ", 1);
        gp_time_axis(c, &b, "  ", 1);
        kn_sb_printf(&b, "  set ylabel '%s'\n", pl->m[0]->axis);
        kn_sb_printf(&b, "  set yrange [%.10g:%.10g]\n", lo, hi);
        kn_sb_printf(&b, "  set tmargin at screen 0.9; set bmargin at screen 0.15\n"
                         "  set lmargin at screen 0.105; set rmargin at screen %.4f\n", right);
        gp_series_plot(&b, &ss[0], 0, SIZE_MAX, 1);
    } else {
        kn_sb_printf(&b, "  set multiplot\n");
        for (size_t i = 0; i < 2; i++) {
            double top = i ? 0.515 : 0.9, bottom = i ? 0.13 : 0.545;
            gp_warmup(c, &b, "  ", i == 0);
            gp_time_axis(c, &b, "  ", i == 1);
            if (i == 0)
                kn_sb_printf(&b, "  set format x ''\n");
            else
                kn_sb_printf(&b, "  set format x '%% h'\n  unset key\n");
            double lo, hi;
            y_range(pl->m[i], ss[i].ymin, ss[i].ymax, &lo, &hi);
            kn_sb_printf(&b, "  set ylabel '%s'\n  set yrange [%.10g:%.10g]\n",
                         pl->m[i]->short_axis, lo, hi);
            kn_sb_printf(&b, "  set tmargin at screen %.3f; set bmargin at screen %.3f\n"
                             "  set lmargin at screen 0.105; set rmargin at screen %.4f\n",
                         top, bottom, right);
            gp_series_plot(&b, &ss[i], i, SIZE_MAX, i == 0);
            if (i == 0)
                kn_sb_printf(&b, "  unset label 98; unset label 99\n");
        }
        kn_sb_printf(&b, "  unset multiplot\n");
    }
    gp_loop_close(&b);
    rc = chart_done(c, pl->name, &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    for (size_t i = 0; i < 2; i++)
        series_free(&ss[i]);
    return rc;
}

/* ---- small multiples: rows = metrics, columns = scenarios -------------------------------- */

static kn_status chart_multiples(plot_ctx *c, const chart_plan *pl)
{
    series ss[4];
    memset(ss, 0, sizeof ss);
    kn_status rc = KN_OK;
    FILE *f = NULL;
    sbuf b = {0};
    size_t nm = 0, S = c->st.n_scen;
    const metric_desc *ms[4];
    char title[256], caption[512], list[200];
    for (size_t i = 0; i < pl->nm; i++) {
        if ((rc = series_load(c, pl->m[i], &ss[nm])) != KN_OK)
            goto done;
        if (ss[nm].ok)
            ms[nm++] = pl->m[i];
        else
            series_free(&ss[nm]);
    }
    if (!nm) {
        skip_note(c, pl->name, "no time series in the file");
        goto done;
    }
    scenario_list(c, list, sizeof list);
    snprintf(title, sizeof title, "Side by side, one y scale per row: %s", list);
    copy_text(title, sizeof title, title);
    int hidden = 0;
    for (size_t i = 0; i < nm; i++)
        hidden |= ms[i]->hide_runs;
    time_caption(c, &ss[0], hidden, caption, sizeof caption);
    if ((rc = open_out(c, "small_multiples.dat", &f)) != KN_OK)
        goto done;
    fprintf(f, "# small_multiples.dat - written by koning plot: per period, over the successful "
               "runs of each scenario,\n# %zu blocks (gnuplot index 0..%zu):", nm, nm - 1);
    for (size_t i = 0; i < nm; i++)
        fprintf(f, " %zu: %s%s;", i, ms[i]->series, ms[i]->per_week ? " per week" : "");
    fprintf(f, " each with these columns\n# (the units are those of the block's series). "
               "NaN: no value.\n");
    series_dat_header(c, f, &ss[0]);
    for (size_t i = 0; i < nm; i++) {
        if (i)
            fputs("\n\n", f);
        series_dat_block(c, f, &ss[i]);
    }
    rc = close_out(c, "small_multiples.dat", f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    int w = S <= 4 ? 1200 : (int)(240 * S + 160), h = 950;
    double left = 0.115, right = 0.99, top = 0.86, bottom = 0.14;
    double gx = 0.012, gy = 0.025;
    double pw = (right - left - gx * (double)(S - 1)) / (double)S;
    double ph = (top - bottom - gy * (double)(nm - 1)) / (double)nm;
    if (S > 4) {
        left = 0.115 * 1200.0 / w;
        pw = (right - left - gx * (double)(S - 1)) / (double)S;
    }
    gp_head(c, &b, "small_multiples");
    gp_scenario_vars(c, &b);
    gp_runs_vars(&b, ss, nm);
    gp_loop_open(c, &b, "small_multiples", w, h);
    kn_sb_printf(&b, "  set multiplot\n");
    gp_title(&b, "  ", title);
    gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  unset key\n");
    for (size_t i = 0; i < nm; i++) {
        double lo, hi;
        y_range(ms[i], ss[i].ymin, ss[i].ymax, &lo, &hi);
        for (size_t s = 0; s < S; s++) {
            double x0 = left + (double)s * (pw + gx), y1 = top - (double)i * (ph + gy);
            kn_sb_printf(&b, "  # %s, scenario %zu\n", ms[i]->label, s + 1);
            kn_sb_printf(&b, "  set lmargin at screen %.4f; set rmargin at screen %.4f\n"
                             "  set tmargin at screen %.4f; set bmargin at screen %.4f\n",
                         x0, x0 + pw, y1, y1 - ph);
            gp_warmup(c, &b, "  ", 0);
            gp_time_axis(c, &b, "  ", i == nm - 1 && s == S / 2);
            kn_sb_printf(&b, "  set format x %s\n", i == nm - 1 ? "'% h'" : "''");
            kn_sb_printf(&b, "  set yrange [%.10g:%.10g]\n", lo, hi);
            if (nice_step(lo, hi, 4) > 0.0)
                kn_sb_printf(&b, "  set ytics %.10g\n", nice_step(lo, hi, 4));
            if (s == 0)
                kn_sb_printf(&b, "  set format y '%% h'\n  set ylabel '%s' font ',13'\n",
                             ms[i]->short_axis);
            else
                kn_sb_printf(&b, "  set format y ''\n  unset ylabel\n");
            if (i == 0)
                kn_sb_printf(&b, "  set title name%zu font ',13' noenhanced\n", s + 1);
            else
                kn_sb_printf(&b, "  unset title\n");
            kn_sb_printf(&b, "  set xtics font ',11'; set ytics font ',11'\n");
            gp_series_plot(&b, &ss[i], i, s, 0);
            if (i == 0 && s == 0)
                kn_sb_printf(&b, "  unset label 98; unset label 99\n");
        }
    }
    kn_sb_printf(&b, "  unset multiplot\n  unset title\n");
    gp_loop_close(&b);
    rc = chart_done(c, "small_multiples", &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    for (size_t i = 0; i < 4; i++)
        series_free(&ss[i]);
    return rc;
}

/* ---- summary: mean and CI per scenario over the observation window ---------------------- */

typedef struct summary_col {
    const metric_desc *m;
    double *mean, *lo, *hi; /* [S] or NULL when missing */
} summary_col;

static int load_summary(plot_ctx *c, const char *base, double **mean, double **lo, double **hi)
{
    char name[160];
    size_t rows, cols;
    double **dst[3] = {mean, lo, hi};
    static const char *const suffix[3] = {"_mean", "_ci_low", "_ci_high"};
    *mean = *lo = *hi = NULL;
    int any = 0;
    for (int j = 0; j < 3; j++) {
        snprintf(name, sizeof name, "%s%s", base, suffix[j]);
        if (!kn_h5r_exists(c->r, name) ||
            kn_h5r_doubles(c->r, name, dst[j], &rows, &cols, NULL) != KN_OK ||
            rows != c->st.n_scen || cols != 1) {
            for (int q = 0; q < 3; q++) {
                free(*dst[q]);
                *dst[q] = NULL;
            }
            return 0;
        }
    }
    for (size_t s = 0; s < c->st.n_scen; s++)
        if (isfinite((*mean)[s]))
            any = 1;
    if (!any) {
        for (int q = 0; q < 3; q++) {
            free(*dst[q]);
            *dst[q] = NULL;
        }
    }
    return any;
}

/* About four round tic steps over [lo, hi]. */
static double nice_step(double lo, double hi, int n)
{
    double span = hi - lo;
    if (!(span > 0.0))
        return 0.0;
    double raw = span / n, mag = pow(10.0, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0) * mag;
}

static kn_status chart_summary(plot_ctx *c, const chart_plan *pl)
{
    summary_col col[4];
    memset(col, 0, sizeof col);
    size_t nm = 0, S = c->st.n_scen;
    kn_status rc = KN_OK;
    FILE *f = NULL;
    sbuf b = {0};
    char title[256], caption[512], list[200], runs[96], lv[16];
    for (size_t i = 0; i < pl->nm; i++) {
        col[nm].m = pl->m[i];
        if (load_summary(c, pl->m[i]->summary, &col[nm].mean, &col[nm].lo, &col[nm].hi)) {
            nm++;
        } else if (!c->quiet) {
            printf("summary: no panel for %s (no values of %s_mean in the file)\n",
                   pl->m[i]->label, pl->m[i]->summary);
        }
    }
    if (!nm) {
        skip_note(c, pl->name, "no summary datasets (<metric>_mean) in the file");
        goto done;
    }
    scenario_list(c, list, sizeof list);
    snprintf(title, sizeof title, "Headline metrics: %s", list);
    copy_text(title, sizeof title, title);
    runs_phrase(c, runs, sizeof runs, "scenario");
    level_phrase(c, lv, sizeof lv);
    if (c->warmup > 0.0)
        snprintf(caption, sizeof caption, "Over the observation window (after the %g-day warm-up): "
                 "%s; bars: %s CI of the mean", c->warmup, runs, lv);
    else
        snprintf(caption, sizeof caption, "Over the whole run: %s; bars: %s CI of the mean", runs, lv);

    if ((rc = open_out(c, "summary.dat", &f)) != KN_OK)
        goto done;
    fprintf(f, "# summary.dat - written by koning plot: per scenario, the mean of each metric over "
               "its successful runs\n# and the ends of its %s Student-t confidence interval "
               "(from the file's <metric>_mean, _ci_low, _ci_high).\n", lv);
    fprintf(f, "# column 1: row (0 = top); column 2: colour (0xRRGGBB as an integer)\n");
    for (size_t i = 0; i < nm; i++)
        fprintf(f, "# columns %zu-%zu: %s_mean, %s_ci_low, %s_ci_high (%s)\n", 3 + 3 * i, 5 + 3 * i,
                col[i].m->summary, col[i].m->summary, col[i].m->summary, col[i].m->unit);
    {
        sbuf h = {0};
        for (size_t s = 0; s < S; s++) {
            kn_sb_printf(&h, "# row %zu: ", s);
            sb_quote(&h, c->st.scen_name[s]);
            kn_sb_printf(&h, " (%zu successful runs)\n", c->n_ok[s]);
        }
        if (h.s)
            fputs(h.s, f);
        kn_sb_free(&h);
    }
    fprintf(f, "# row colour");
    for (size_t i = 0; i < nm; i++)
        fprintf(f, " %s_mean %s_ci_low %s_ci_high", col[i].m->summary, col[i].m->summary,
                col[i].m->summary);
    fputc('\n', f);
    for (size_t s = 0; s < S; s++) {
        fprintf(f, "%zu %ld", s, strtol(c->colour[s] + 1, NULL, 16));
        for (size_t i = 0; i < nm; i++) {
            put_num(f, col[i].mean[s]);
            put_num(f, col[i].lo[s]);
            put_num(f, col[i].hi[s]);
        }
        fputc('\n', f);
    }
    rc = close_out(c, "summary.dat", f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    size_t maxlen = 4;
    for (size_t s = 0; s < S; s++)
        maxlen = utf8_len(c->disp[s]) > maxlen ? utf8_len(c->disp[s]) : maxlen;
    double left = 0.03 + 0.0085 * (double)(maxlen > 40 ? 40 : maxlen), right = 0.965;
    double gap = 0.035, pw = (right - left - gap * (double)(nm - 1)) / (double)nm;
    int h = S <= 2 ? 560 : S <= 6 ? 750 : (int)(750 + 55 * (S - 6));
    gp_head(c, &b, "summary");
    gp_scenario_vars(c, &b);
    gp_loop_open(c, &b, "summary", 1200, h);
    kn_sb_printf(&b, "  set multiplot\n");
    gp_title(&b, "  ", title);
    gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  unset key\n  set yrange [%.1f:-0.6]\n  set grid noxtics ytics\n", (double)S - 0.4);
    for (size_t i = 0; i < nm; i++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t s = 0; s < S; s++) {
            double v[3] = {col[i].mean[s], col[i].lo[s], col[i].hi[s]};
            for (int j = 0; j < 3; j++)
                if (isfinite(v[j])) {
                    lo = fmin(lo, v[j]);
                    hi = fmax(hi, v[j]);
                }
        }
        double pad = (hi - lo) * 0.25;
        if (!(pad > 0.0))
            pad = fabs(hi) > 0.0 ? fabs(hi) * 0.05 : 0.05;
        lo -= pad;
        hi += pad;
        if (col[i].m->nonneg)
            lo = fmax(lo, 0.0);
        if (col[i].m->share)
            hi = fmin(hi, 1.0);
        /* as many tics as their labels leave room for (about 9 px a character) */
        char l1[32], l2[32];
        snprintf(l1, sizeof l1, "%.4g", lo);
        snprintf(l2, sizeof l2, "%.4g", hi);
        size_t chars = strlen(l1) > strlen(l2) ? strlen(l1) : strlen(l2);
        int ntics = (int)(pw * 1200.0 / (7.5 * (double)(chars + 3)));
        double step = nice_step(lo, hi, ntics < 2 ? 2 : ntics > 4 ? 4 : ntics);
        double x0 = left + (double)i * (pw + gap);
        kn_sb_printf(&b, "  # %s\n", col[i].m->label);
        kn_sb_printf(&b, "  set lmargin at screen %.4f; set rmargin at screen %.4f\n"
                         "  set tmargin at screen %.4f; set bmargin at screen %.4f\n",
                     x0, x0 + pw, 1.0 - 135.0 / h, 120.0 / h);
        kn_sb_printf(&b, "  set title '%s' font ',15'\n  set xlabel '%s' font ',12'\n", col[i].m->label,
                     col[i].m->unit);
        kn_sb_printf(&b, "  set xrange [%.10g:%.10g]\n", lo, hi);
        if (step > 0.0)
            kn_sb_printf(&b, "  set xtics %.10g font ',12'\n", step);
        if (i == 0) {
            kn_sb_printf(&b, "  set ytics (");
            for (size_t s = 0; s < S; s++) {
                kn_sb_printf(&b, "%s", s ? ", " : "");
                sb_quote(&b, c->disp[s]);
                kn_sb_printf(&b, " %zu", s);
            }
            kn_sb_printf(&b, ") scale 0 font ',14'\n");
        } else {
            kn_sb_printf(&b, "  set ytics 1 format '' scale 0\n");
        }
        kn_sb_printf(&b, "  plot datafile using %zu:1:%zu:%zu:2 with xerrorbars linecolor rgb variable "
                         "pointtype 7 pointsize 2 linewidth 2.5 notitle, \\\n"
                         "       datafile using %zu:1:(fmtv($%zu)) with labels offset 0,1.1 "
                         "font ',12' notitle\n",
                     3 + 3 * i, 4 + 3 * i, 5 + 3 * i, 3 + 3 * i, 3 + 3 * i);
        if (i == 0)
            kn_sb_printf(&b, "  unset label 98; unset label 99\n");
    }
    kn_sb_printf(&b, "  unset multiplot\n  unset title\n");
    gp_loop_close(&b);
    rc = chart_done(c, "summary", &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    for (size_t i = 0; i < 4; i++) {
        free(col[i].mean);
        free(col[i].lo);
        free(col[i].hi);
    }
    return rc;
}

/* ---- sweeps ---------------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void sweep_keys_free(plot_ctx *c)
{
    for (size_t i = 0; i < c->nkeys; i++) {
        free(c->keys[i].name);
        free(c->keys[i].v);
        free(c->keys[i].distinct);
        free(c->keys[i].at);
    }
    free(c->keys);
    c->keys = NULL;
    c->nkeys = 0;
}

static int cmp_key_pos(const void *a, const void *b)
{
    const sweep_key *x = a, *y = b;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The numeric scenario keys whose values differ between scenarios, in the order the
 * sweep names them (scenario names read "study [k1=v1, k2=v2]"). */
static kn_status sweep_find_keys(plot_ctx *c)
{
    char **names = NULL;
    size_t n = 0, S = c->st.n_scen;
    kn_status rc = kn_h5r_scenario_keys(c->r, &names, &n, c->err);
    if (rc != KN_OK) {
        c->exit_class = EXIT_INPUT;
        return rc;
    }
    c->keys = calloc(n ? n : 1, sizeof *c->keys);
    if (!c->keys) {
        kn_h5r_free_strings(names, n);
        return fail_run(c, KN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        double *v = NULL;
        size_t rows, cols;
        if (kn_h5r_doubles(c->r, names[i], &v, &rows, &cols, NULL) != KN_OK || rows != S ||
            cols != 1) {
            free(v);
            continue;
        }
        double *d = malloc(S * sizeof *d);
        size_t nd = 0;
        for (size_t s = 0; d && s < S; s++)
            if (isfinite(v[s]))
                d[nd++] = v[s];
        if (d && nd)
            qsort(d, nd, sizeof *d, cmp_double);
        size_t u = 0;
        for (size_t j = 0; d && j < nd; j++)
            if (!u || d[j] != d[u - 1])
                d[u++] = d[j];
        if (!d || u < 2) {
            free(d);
            free(v);
            continue;
        }
        sweep_key *k = &c->keys[c->nkeys++];
        k->name = names[i];
        names[i] = NULL;
        k->v = v;
        k->distinct = d;
        k->nd = u;
        k->at = malloc(S * sizeof *k->at);
        if (!k->at)
            rc = fail_run(c, KN_ENOMEM, "out of memory");
        for (size_t s = 0; k->at && s < S; s++) {
            k->at[s] = SIZE_MAX;
            for (size_t j = 0; j < u && isfinite(v[s]); j++)
                if (d[j] == v[s])
                    k->at[s] = j;
        }
        char pat[300];
        snprintf(pat, sizeof pat, "%s=", k->name);
        const char *hit = S ? strstr(c->st.scen_name[0], pat) : NULL;
        k->pos = hit ? (size_t)(hit - c->st.scen_name[0]) : SIZE_MAX - c->nkeys;
        char *unit = NULL;
        if (kn_h5r_attr_text(c->r, k->name, "units", &unit, NULL) == KN_OK) {
            copy_text(k->unit, sizeof k->unit, unit);
            free(unit);
        }
    }
    kn_h5r_free_strings(names, n);
    if (rc != KN_OK)
        return rc;
    /* stable by position: qsort is not stable, but positions are distinct */
    qsort(c->keys, c->nkeys, sizeof *c->keys, cmp_key_pos);
    /* a full grid: every combination of the distinct values exactly once */
    size_t prod = 1;
    c->grid = c->nkeys >= 1;
    for (size_t i = 0; i < c->nkeys && c->grid; i++) {
        if (prod > S / c->keys[i].nd + 1)
            c->grid = 0;
        prod *= c->keys[i].nd;
    }
    if (c->grid && prod != S)
        c->grid = 0;
    if (c->grid) {
        unsigned char *seen = calloc(S, 1);
        if (!seen)
            return fail_run(c, KN_ENOMEM, "out of memory");
        for (size_t s = 0; s < S && c->grid; s++) {
            size_t idx = 0;
            for (size_t i = 0; i < c->nkeys; i++) {
                if (c->keys[i].at[s] == SIZE_MAX) {
                    c->grid = 0;
                    break;
                }
                idx = idx * c->keys[i].nd + c->keys[i].at[s];
            }
            if (c->grid && seen[idx]++)
                c->grid = 0;
        }
        free(seen);
    }
    return KN_OK;
}

static void key_file_part(const char *key, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *p = key; *p && k + 1 < cap; p++)
        out[k++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                           *p == '_' || *p == '-'
                       ? *p
                       : '-';
    out[k] = '\0';
}

/* "customers.mix.rude" or "staff.employees (1)" -> axis text, quoted into b */
static void sb_key_axis(sbuf *b, const sweep_key *k)
{
    char text[400];
    if (k->unit[0] && strcmp(k->unit, "1"))
        snprintf(text, sizeof text, "%s (%s)", k->name, k->unit);
    else
        snprintf(text, sizeof text, "%s", k->name);
    sb_quote(b, text);
}

static void sweep_runs_caption(plot_ctx *c, char *out, size_t cap, const char *rest)
{
    char runs[96], lv[16];
    runs_phrase(c, runs, sizeof runs, "point");
    level_phrase(c, lv, sizeof lv);
    snprintf(out, cap, "%s, over the observation window; %s", runs, rest);
    char *p = strstr(out, "LEVEL");
    if (p) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(p - out), out, lv, p + 5);
        copy_text(out, cap, tmp);
    }
}

static kn_status chart_sweep(plot_ctx *c, const chart_plan *pl)
{
    const metric_desc *m = pl->m[0];
    const sweep_key *kx = &c->keys[pl->key];
    size_t S = c->st.n_scen;
    double *mean = NULL, *lo = NULL, *hi = NULL;
    size_t *order = NULL;
    kn_status rc = KN_OK;
    FILE *f = NULL;
    sbuf b = {0};
    char title[256], caption[512], file[160];
    if (!load_summary(c, m->summary, &mean, &lo, &hi)) {
        skip_note(c, pl->name, "no values of this metric in the file");
        return KN_OK;
    }
    /* lines: exactly two varied keys on a grid; one key: one line; else points */
    int lines = c->nkeys == 1 || (c->nkeys == 2 && c->grid);
    const sweep_key *ko = c->nkeys == 2 && c->grid ? &c->keys[1 - pl->key] : NULL;
    size_t groups = ko ? ko->nd : 1;
    order = malloc(S * sizeof *order);
    if (!order) {
        rc = fail_run(c, KN_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(title, sizeof title, "%s against %s", m->title, kx->name);
    copy_text(title, sizeof title, title);
    if (ko)
        sweep_runs_caption(c, caption, sizeof caption, "band: LEVEL CI of the mean; one line per "
                           "value of the other varied key");
    else if (lines)
        sweep_runs_caption(c, caption, sizeof caption, "band: LEVEL CI of the mean");
    else
        sweep_runs_caption(c, caption, sizeof caption, "bars: LEVEL CI of the mean; every point "
                           "of the sweep (the other varied keys differ between points)");

    snprintf(file, sizeof file, "%s.dat", pl->name);
    if ((rc = open_out(c, file, &f)) != KN_OK)
        goto done;
    {
        sbuf h = {0};
        kn_sb_printf(&h, "# %s.dat - written by koning plot: %s (%s) of each sweep point against ",
                     pl->name, m->summary, m->unit);
        sb_quote(&h, kx->name);
        kn_sb_printf(&h,
                     ".\n# column 1: the key's value; column 2: %s_mean; columns 3-4: %s_ci_low, "
                     "%s_ci_high; column 5: successful runs; column 6: scenario index (0-based)\n",
                     m->summary, m->summary, m->summary);
        if (ko) {
            kn_sb_printf(&h, "# %zu blocks (gnuplot index 0..%zu), one per value of ", groups, groups - 1);
            sb_quote(&h, ko->name);
            kn_sb_printf(&h, ":");
            for (size_t g = 0; g < groups; g++)
                kn_sb_printf(&h, " %zu: %.10g;", g, ko->distinct[g]);
            kn_sb_printf(&h, "\n");
        }
        kn_sb_printf(&h, "# x mean ci_low ci_high n scenario\n");
        if (h.s)
            fputs(h.s, f);
        kn_sb_free(&h);
    }
    for (size_t g = 0; g < groups; g++) {
        size_t n = 0;
        for (size_t s = 0; s < S; s++)
            if (kx->at[s] != SIZE_MAX && (!ko || ko->at[s] == g))
                order[n++] = s;
        /* by x (insertion sort: sweeps are small) */
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && kx->v[order[j]] < kx->v[order[j - 1]]; j--) {
                size_t t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        if (g)
            fputs("\n\n", f);
        for (size_t i = 0; i < n; i++) {
            size_t s = order[i];
            fprintf(f, "%.15g", kx->v[s]);
            put_num(f, mean[s]);
            put_num(f, lo[s]);
            put_num(f, hi[s]);
            fprintf(f, " %zu %zu\n", c->n_ok[s], s);
        }
    }
    rc = close_out(c, file, f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    gp_head(c, &b, pl->name);
    gp_loop_open(c, &b, pl->name, 1200, 750);
    gp_title(&b, "  ", title);
    gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  set xlabel ");
    sb_key_axis(&b, kx);
    kn_sb_printf(&b, " noenhanced\n  set ylabel '%s'\n", m->axis);
    double span = kx->distinct[kx->nd - 1] - kx->distinct[0];
    kn_sb_printf(&b, "  set xrange [%.10g:%.10g]\n", kx->distinct[0] - 0.04 * span,
                 kx->distinct[kx->nd - 1] + 0.04 * span);
    if (kx->nd <= 12) {
        kn_sb_printf(&b, "  set xtics (");
        for (size_t j = 0; j < kx->nd; j++)
            kn_sb_printf(&b, "%s'%g' %.15g", j ? ", " : "", kx->distinct[j], kx->distinct[j]);
        kn_sb_printf(&b, ")\n");
    }
    kn_sb_printf(&b, "  set tmargin at screen 0.9; set bmargin at screen 0.15\n");
    if (ko) {
        char longest[400];
        snprintf(longest, sizeof longest, "%s = %g", ko->name, ko->distinct[ko->nd - 1]);
        size_t len = strlen(longest);
        for (size_t g = 0; g < ko->nd; g++) {
            snprintf(longest, sizeof longest, "%s = %g", ko->name, ko->distinct[g]);
            len = strlen(longest) > len ? strlen(longest) : len;
        }
        double right = gp_key_right(&b, "  ", len);
        kn_sb_printf(&b, "  set lmargin at screen 0.105; set rmargin at screen %.4f\n", right);
    } else
        kn_sb_printf(&b,
                     "  set lmargin at screen 0.105; set rmargin at screen 0.96\n  unset key\n");
    kn_sb_printf(&b, "  set yrange %s\n", y_auto(m));
    const char *sep = "  plot ", *next = ", \\\n       ";
    for (size_t g = 0; g < groups; g++) {
        const char *col = kn_plot_colour(NULL, ko ? g : 0);
        if (lines)
            kn_sb_printf(&b,
                         "%sdatafile index %zu using 1:3:4 with filledcurves fillcolor rgb '%s' "
                         "fillstyle transparent solid 0.2 noborder notitle",
                         sep, g, col);
        else
            kn_sb_printf(&b,
                         "%sdatafile index %zu using 1:2:3:4 with yerrorbars linecolor rgb '%s' "
                         "pointtype 7 pointsize 1.3 linewidth 1.5 notitle",
                         sep, g, col);
        sep = next;
    }
    for (size_t g = 0; lines && g < groups; g++) {
        const char *col = kn_plot_colour(NULL, ko ? g : 0);
        kn_sb_printf(&b, "%sdatafile index %zu using 1:2 with linespoints linewidth 3 pointtype 7 "
                         "pointsize 1.2 linecolor rgb '%s' ",
                     sep, g, col);
        if (ko) {
            char text[400];
            snprintf(text, sizeof text, "%s = %g", ko->name, ko->distinct[g]);
            kn_sb_printf(&b, "title ");
            sb_quote(&b, text);
            kn_sb_printf(&b, " noenhanced");
        } else {
            kn_sb_printf(&b, "notitle");
        }
    }
    kn_sb_printf(&b, "\n");
    gp_loop_close(&b);
    rc = chart_done(c, pl->name, &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    free(order);
    free(mean);
    free(lo);
    free(hi);
    return rc;
}

/* viridis, sampled: the heatmap palette and the text colour that reads on it */
static const char *const viridis[] = {"#440154", "#3B528B", "#21918C", "#5EC962", "#FDE725"};

static kn_status chart_heatmap(plot_ctx *c, const chart_plan *pl)
{
    const metric_desc *m = pl->m[0];
    const sweep_key *kx = &c->keys[0], *ky = &c->keys[1];
    size_t S = c->st.n_scen, nx = kx->nd, ny = ky->nd;
    double *mean = NULL, *lo = NULL, *hi = NULL, *cell = NULL, *cnt = NULL;
    kn_status rc = KN_OK;
    FILE *f = NULL;
    sbuf b = {0};
    char title[256], caption[512], file[160];
    if (!load_summary(c, m->summary, &mean, &lo, &hi)) {
        skip_note(c, pl->name, "no values of this metric in the file");
        return KN_OK;
    }
    cell = calloc(nx * ny, sizeof *cell);
    cnt = calloc(nx * ny, sizeof *cnt);
    if (!cell || !cnt) {
        rc = fail_run(c, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < S; s++) {
        if (kx->at[s] == SIZE_MAX || ky->at[s] == SIZE_MAX || !isfinite(mean[s]))
            continue;
        size_t k = ky->at[s] * nx + kx->at[s];
        cell[k] += mean[s];
        cnt[k] += 1.0;
    }
    double vmin = INFINITY, vmax = -INFINITY;
    for (size_t k = 0; k < nx * ny; k++) {
        cell[k] = cnt[k] > 0.0 ? cell[k] / cnt[k] : NAN;
        if (isfinite(cell[k])) {
            vmin = fmin(vmin, cell[k]);
            vmax = fmax(vmax, cell[k]);
        }
    }
    if (!isfinite(vmin)) {
        skip_note(c, pl->name, "no values of this metric in the file");
        goto done;
    }
    snprintf(title, sizeof title, "%s over %s and %s", m->title, kx->name, ky->name);
    copy_text(title, sizeof title, title);
    {
        char runs[96];
        runs_phrase(c, runs, sizeof runs, "point");
        snprintf(caption, sizeof caption, "Cells: %s%s; outlined and joined: the best %s for each "
                 "%s (%s %s; ties: all outlined)", runs,
                 c->nkeys > 2 ? ", averaged over the other varied keys" : "", ky->name, kx->name,
                 m->lower_better ? "lowest" : "highest", m->label);
        copy_text(caption, sizeof caption, caption);
    }
    snprintf(file, sizeof file, "%s.dat", pl->name);
    if ((rc = open_out(c, file, &f)) != KN_OK)
        goto done;
    {
        sbuf h = {0};
        kn_sb_printf(&h, "# %s.dat - written by koning plot: %s_mean (%s) over the grid of ",
                     pl->name, m->summary, m->unit);
        sb_quote(&h, kx->name);
        kn_sb_printf(&h, " (x) and ");
        sb_quote(&h, ky->name);
        kn_sb_printf(&h, " (y)%s.\n", c->nkeys > 2 ? ", each cell the mean over the other varied keys" : "");
        kn_sb_printf(&h,
                     "# block 0 (gnuplot index 0), one line per cell, a blank line between rows:\n"
                     "#   column 1: x index, 2: y index, 3: mean, 4: x value, 5: y value, "
                     "6: text colour (0xRRGGBB as an integer), 7: value as printed\n"
                     "# block 1 (index 1): the best cell of each column (%s is best), the line;\n"
                     "#   a blank line where a column's best is tied\n"
                     "# block 2 (index 2): every best cell, ties included, the outlines\n"
                     "#   blocks 1 and 2: column 1: x index, 2: y index, 3: mean, 4: x value, "
                     "5: y value\n",
                     m->lower_better ? "lowest" : "highest");
        kn_sb_printf(&h, "# xi yi mean x y textcolour label\n");
        if (h.s)
            fputs(h.s, f);
        kn_sb_free(&h);
    }
    for (size_t j = 0; j < ny; j++) {
        for (size_t i = 0; i < nx; i++) {
            double v = cell[j * nx + i];
            double t = vmax > vmin ? (v - vmin) / (vmax - vmin) : 0.5;
            char lab[32];
            fmt_value(lab, sizeof lab, v);
            fprintf(f, "%zu %zu", i, j);
            put_num(f, v);
            fprintf(f, " %.15g %.15g %s %s\n", kx->distinct[i], ky->distinct[j],
                    isfinite(v) && t > 0.62 ? "0" : "16777215", lab);
        }
        fputc('\n', f);
    }
    /* block 1: the line through the best cell of each column (a column whose best is
     * tied breaks the line); block 2: every best cell, ties included, outlined */
    for (int pass = 1; pass <= 2; pass++) {
        int wrote = 0, gap = 0;
        fputs("\n", f);
        for (size_t i = 0; i < nx; i++) {
            size_t best = SIZE_MAX, ties = 0;
            for (size_t j = 0; j < ny; j++) {
                double v = cell[j * nx + i];
                if (!isfinite(v))
                    continue;
                if (best == SIZE_MAX ||
                    (m->lower_better ? v < cell[best * nx + i] : v > cell[best * nx + i])) {
                    best = j;
                    ties = 1;
                } else if (v == cell[best * nx + i]) {
                    ties++;
                }
            }
            if (best == SIZE_MAX || (pass == 1 && ties > 1)) {
                gap = wrote;
                continue;
            }
            if (gap)
                fputc('\n', f);
            gap = 0;
            for (size_t j = best; j < ny; j++) {
                if (cell[j * nx + i] != cell[best * nx + i])
                    continue;
                fprintf(f, "%zu %zu", i, j);
                put_num(f, cell[j * nx + i]);
                fprintf(f, " %.15g %.15g\n", kx->distinct[i], ky->distinct[j]);
                wrote = 1;
                if (pass == 1)
                    break;
            }
        }
        fputc('\n', f);
    }
    rc = close_out(c, file, f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    gp_head(c, &b, pl->name);
    kn_sb_printf(&b, "set palette defined (0 '%s', 1 '%s', 2 '%s', 3 '%s', 4 '%s')\n", viridis[0],
                 viridis[1], viridis[2], viridis[3], viridis[4]);
    gp_loop_open(c, &b, pl->name, 1200, 750);
    gp_title(&b, "  ", title);
    gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  set xlabel ");
    sb_key_axis(&b, kx);
    kn_sb_printf(&b, " noenhanced\n  set ylabel ");
    sb_key_axis(&b, ky);
    kn_sb_printf(&b, " noenhanced\n  set cblabel '%s'\n", m->axis);
    kn_sb_printf(&b, "  set xrange [-0.5:%.1f]; set yrange [-0.5:%.1f]\n", (double)nx - 0.5,
                 (double)ny - 0.5);
    double pad = vmax > vmin ? 0.0 : (fabs(vmin) > 0.0 ? fabs(vmin) * 0.05 : 0.05);
    kn_sb_printf(&b, "  set cbrange [%.10g:%.10g]\n", vmin - pad, vmax + pad);
    kn_sb_printf(&b, "  set xtics (");
    for (size_t i = 0; i < nx; i++)
        kn_sb_printf(&b, "%s'%g' %zu", i ? ", " : "", kx->distinct[i], i);
    kn_sb_printf(&b, ") scale 0\n  set ytics (");
    for (size_t j = 0; j < ny; j++)
        kn_sb_printf(&b, "%s'%g' %zu", j ? ", " : "", ky->distinct[j], j);
    kn_sb_printf(&b, ") scale 0\n  unset grid\n  set border 0\n");
    kn_sb_printf(&b, "  set tmargin at screen 0.9; set bmargin at screen 0.2\n"
                     "  set lmargin at screen 0.1; set rmargin at screen 0.84\n"
                     "  set key at screen 0.5, screen 0.075 center horizontal noenhanced\n");
    char best_text[400];
    snprintf(best_text, sizeof best_text, "%s with the %s %s", ky->name,
             m->lower_better ? "lowest" : "highest", m->label);
    int fsz = nx * ny <= 30 ? 14 : nx * ny <= 80 ? 11 : 9;
    kn_sb_printf(&b,
                 "  best = '#FF2D6F'  # the colour of the best cells and the line through them\n"
                 "  plot datafile index 0 using 1:2:3 with image notitle, \\\n"
                 "       datafile index 2 using 1:2:(0.47):(0.47) with boxxyerror fillstyle empty "
                 "linecolor rgb best linewidth 4 notitle, \\\n"
                 "       datafile index 1 using 1:2 with linespoints linewidth 3 pointtype 7 "
                 "pointsize 1.3 linecolor rgb best title ");
    sb_quote(&b, best_text);
    kn_sb_printf(&b, " noenhanced, \\\n"
                     "       datafile index 0 using 1:($2+0.24):7:6 with labels textcolor rgb variable "
                     "font ',%d' notitle\n",
                 fsz);
    gp_loop_close(&b);
    rc = chart_done(c, pl->name, &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    free(mean);
    free(lo);
    free(hi);
    free(cell);
    free(cnt);
    return rc;
}

/* ---- planning -------------------------------------------------------------------------- */

typedef struct plan_list {
    chart_plan *p;
    size_t n, cap;
} plan_list;

static chart_plan *plan_add(plan_list *l, int kind, const char *name)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        chart_plan *np = realloc(l->p, cap * sizeof *np);
        if (!np)
            return NULL;
        l->p = np;
        l->cap = cap;
    }
    chart_plan *p = &l->p[l->n++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    snprintf(p->name, sizeof p->name, "%s", name);
    return p;
}

static kn_status make_plan(plot_ctx *c, plan_list *l)
{
    int sweep = !strcmp(c->st.kind, "sweep") && c->nkeys > 0;
    const metric_desc *const *head = c->st.organisation ? org_headline : queue_headline;
    chart_plan *p;
    if (!sweep) {
        static const metric_desc *const org_series[] = {&m_retention, &m_quality, &m_turnover,
                                                        NULL, &m_complaints, &m_profit};
        if (c->st.organisation) {
            for (size_t i = 0; i < sizeof org_series / sizeof org_series[0]; i++) {
                if (!org_series[i]) {
                    if (!(p = plan_add(l, CH_SERIES, "morale_exhaustion")))
                        return fail_run(c, KN_ENOMEM, "out of memory");
                    p->m[0] = &m_morale;
                    p->m[1] = &m_exhaustion;
                    p->nm = 2;
                    continue;
                }
                if (!(p = plan_add(l, CH_SERIES, org_series[i]->name)))
                    return fail_run(c, KN_ENOMEM, "out of memory");
                p->m[0] = org_series[i];
                p->nm = 1;
            }
        } else {
            for (size_t i = 0; i < 4; i++) {
                if (!(p = plan_add(l, CH_SERIES, head[i]->name)))
                    return fail_run(c, KN_ENOMEM, "out of memory");
                p->m[0] = head[i];
                p->nm = 1;
            }
        }
        if (!(p = plan_add(l, CH_SUMMARY, "summary")))
            return fail_run(c, KN_ENOMEM, "out of memory");
        memcpy(p->m, head, sizeof p->m);
        p->nm = 4;
        if (c->st.organisation) {
            if (!(p = plan_add(l, CH_MULTIPLES, "small_multiples")))
                return fail_run(c, KN_ENOMEM, "out of memory");
            memcpy(p->m, head, sizeof p->m);
            p->nm = 4;
        }
        return KN_OK;
    }
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < c->nkeys; k++) {
            char name[128], kf[100];
            key_file_part(c->keys[k].name, kf, sizeof kf);
            snprintf(name, sizeof name, "sweep_%s_vs_%s", head[i]->name, kf);
            if (!(p = plan_add(l, CH_SWEEP, name)))
                return fail_run(c, KN_ENOMEM, "out of memory");
            p->m[0] = head[i];
            p->nm = 1;
            p->key = k;
        }
    if (c->nkeys >= 2 && c->grid)
        for (size_t i = 0; i < 4; i++) {
            char name[128];
            snprintf(name, sizeof name, "heatmap_%s", head[i]->name);
            if (!(p = plan_add(l, CH_HEATMAP, name)))
                return fail_run(c, KN_ENOMEM, "out of memory");
            p->m[0] = head[i];
            p->nm = 1;
        }
    return KN_OK;
}

/* ---- the whole run --------------------------------------------------------------------- */

static int mkdir_p(const char *dir)
{
    char buf[PATH_MAX];
    struct stat st;
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) && errno != EEXIST)
        return -1;
    if (stat(buf, &st))
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    if (access(buf, W_OK | X_OK))
        return -1;
    return 0;
}

static kn_status gnuplot_gone(plot_ctx *c, kn_status rc)
{
    char errl[512] = "";
    int status = gp_finish(&c->gp);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return fail_run(c, KN_EIO, "gnuplot not found on PATH; install it (Debian: apt-get install "
                                   "gnuplot-nox)");
    if (gp_errors(&c->gp, errl, sizeof errl, 1))
        return fail_run(c, KN_EIO, "gnuplot failed: %s", errl);
    if (WIFEXITED(status))
        return fail_run(c, KN_EIO, "gnuplot failed: it ended early (exit status %d)", WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return fail_run(c, KN_EIO, "gnuplot failed: killed by signal %d", WTERMSIG(status));
    return rc != KN_OK ? rc : fail_run(c, KN_EIO, "gnuplot failed");
}

static kn_status plot_run(plot_ctx *c, const char *h5path, const char *dir_in,
                          const kn_plot_opts *opts)
{
    kn_status rc;
    plan_list plan = {0};
    char dirbuf[PATH_MAX], prog[PATH_MAX];
    c->h5path = h5path;
    c->formats = opts && opts->formats ? opts->formats : KN_PLOT_PNG | KN_PLOT_SVG | KN_PLOT_PDF;
    c->quiet = opts ? opts->quiet : 0;
    c->max_runs = !opts || opts->max_runs == 0 ? DEFAULT_MAX_RUNS
                  : opts->max_runs < 0         ? 0
                                               : (size_t)opts->max_runs;
    if ((rc = kn_h5r_open(&c->r, h5path, c->err)) != KN_OK ||
        (rc = kn_h5r_study_load(c->r, &c->st, c->err)) != KN_OK) {
        c->exit_class = rc == KN_ENOMEM ? EXIT_FAIL : EXIT_INPUT;
        return rc;
    }
    const kn_h5r_study *st = &c->st;
    size_t S = st->n_scen;
    if (!S)
        return fail_input(c, KN_EIO, "%s: the file has no scenarios", h5path);

    /* the output directory: FILE without .h5, plus -plots */
    if (dir_in && *dir_in) {
        c->dir = dir_in;
    } else {
        size_t len = strlen(h5path);
        if (len > 3 && !strcmp(h5path + len - 3, ".h5"))
            len -= 3;
        if (len + 8 >= sizeof dirbuf)
            return fail_input(c, KN_EUSAGE, "%s: path too long", h5path);
        snprintf(dirbuf, sizeof dirbuf, "%.*s-plots", (int)len, h5path);
        c->dir = dirbuf;
    }

    c->colour = calloc(S, sizeof *c->colour);
    c->disp = calloc(S, sizeof *c->disp);
    c->n_ok = calloc(S, sizeof *c->n_ok);
    if (!c->colour || !c->disp || !c->n_ok)
        return fail_run(c, KN_ENOMEM, "out of memory");
    display_names(st->scen_name, S, c->disp);
    for (size_t s = 0; s < S; s++)
        snprintf(c->colour[s], sizeof c->colour[s], "%s", kn_plot_colour(st->scen_name[s], s));
    for (size_t i = 0; i < st->n_run; i++)
        if (st->run_ok[i])
            c->n_ok[st->run_scenario[i]]++;
    c->n_ok_min = SIZE_MAX;
    for (size_t s = 0; s < S; s++) {
        c->n_ok_min = c->n_ok[s] < c->n_ok_min ? c->n_ok[s] : c->n_ok_min;
        c->n_ok_max = c->n_ok[s] > c->n_ok_max ? c->n_ok[s] : c->n_ok_max;
    }
    c->horizon = 0.0;
    c->warmup = 0.0;
    for (size_t s = 0; s < S; s++) {
        if (isfinite(st->days[s]))
            c->horizon = fmax(c->horizon, st->days[s]);
        if (isfinite(st->warmup_days[s]))
            c->warmup = fmax(c->warmup, st->warmup_days[s]);
    }
    if (!(c->horizon > 0.0))
        c->horizon = st->n_period ? st->period_end[st->n_period - 1] : 1.0;
    /* a last period much shorter than the others (365 days = 52 weeks and 1 day) gives a
     * wild last point: it stays in the data but is not drawn */
    c->p_draw = st->n_period;
    c->xmax = st->n_period ? st->period_end[st->n_period - 1] : c->horizon;
    if (st->n_period >= 2) {
        double last = c->horizon - st->period_end[st->n_period - 2];
        if (last > 0.0 && last < 0.5 * st->period_end[0]) {
            c->p_draw = st->n_period - 1;
            c->xmax = st->period_end[st->n_period - 2];
            c->cut_days = last;
        }
    }
    c->tscale = c->horizon >= 56.0 ? 7.0 : c->horizon >= 2.0 ? 1.0 : 1.0 / 24.0;
    c->tunit = c->horizon >= 56.0 ? "weeks" : c->horizon >= 2.0 ? "days" : "hours";

    if (!strcmp(st->kind, "sweep") && (rc = sweep_find_keys(c)) != KN_OK)
        return rc;
    if ((rc = make_plan(c, &plan)) != KN_OK)
        goto done;
    if (opts && opts->only && *opts->only) {
        for (const char *p = opts->only; *p;) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p), i;
            for (i = 0; i < plan.n; i++)
                if (strlen(plan.p[i].name) == len && !strncmp(plan.p[i].name, p, len))
                    break;
            if (i == plan.n) {
                sbuf names = {0};
                for (size_t j = 0; j < plan.n; j++)
                    kn_sb_printf(&names, "%s%s", j ? ", " : "", plan.p[j].name);
                rc = fail_input(c, KN_EUSAGE, "option '--only': no chart '%.*s' for %s (its charts: %s)",
                                (int)(len > 100 ? 100 : len), p, h5path, names.s ? names.s : "none");
                free(names.s);
                goto done;
            }
            if (!e)
                break;
            p = e + 1;
        }
    }

    /* gnuplot before anything is written */
    const char *gpname = getenv("KONING_GNUPLOT");
    if (!gpname || !*gpname)
        gpname = "gnuplot";
    if (find_program(gpname, prog, sizeof prog)) {
        if (strcmp(gpname, "gnuplot"))
            rc = fail_run(c, KN_EIO, "gnuplot not found: KONING_GNUPLOT is '%s', not an executable "
                                     "program", gpname);
        else
            rc = fail_run(c, KN_EIO, "gnuplot not found on PATH; install it (Debian: apt-get "
                                     "install gnuplot-nox)");
        goto done;
    }
    if (mkdir_p(c->dir)) {
        rc = fail_input(c, KN_EIO, "%s: cannot create the output directory: %s", c->dir, strerror(errno));
        goto done;
    }
    if ((rc = gp_start(&c->gp, prog, c->dir, c->err)) != KN_OK) {
        c->exit_class = EXIT_FAIL;
        goto done;
    }
    /* which terminals this gnuplot has */
    if (gp_ask(&c->gp, "sprintf('%d %d', strstrt(' '.GPVAL_TERMINALS.' ', ' pngcairo ') > 0, "
                       "strstrt(' '.GPVAL_TERMINALS.' ', ' pdfcairo ') > 0)")) {
        rc = gnuplot_gone(c, KN_OK);
        goto done;
    }
    {
        int has_png = 0, has_pdf = 0;
        if (sscanf(c->gp.reply, "%d %d", &has_png, &has_pdf) != 2) {
            rc = gnuplot_gone(c, KN_OK);
            goto done;
        }
        snprintf(c->png_term, sizeof c->png_term, "%s", has_png ? "pngcairo" : "png");
        if (!has_pdf && (c->formats & KN_PLOT_PDF)) {
            c->formats &= ~(unsigned)KN_PLOT_PDF;
            fprintf(stderr, "koning plot: note: this gnuplot has no pdfcairo terminal; PDF skipped\n");
        }
    }
    for (size_t i = 0; i < plan.n && rc == KN_OK; i++) {
        const chart_plan *pl = &plan.p[i];
        if (opts && !wanted(opts->only, pl->name))
            continue;
        switch (pl->kind) {
        case CH_SERIES: rc = chart_series(c, pl); break;
        case CH_SUMMARY: rc = chart_summary(c, pl); break;
        case CH_MULTIPLES: rc = chart_multiples(c, pl); break;
        case CH_SWEEP: rc = chart_sweep(c, pl); break;
        case CH_HEATMAP: rc = chart_heatmap(c, pl); break;
        default: break;
        }
    }
    if (rc == KN_OK) {
        int status = gp_finish(&c->gp);
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
            rc = gnuplot_gone(c, KN_OK);
    } else if (c->gp_gone) {
        rc = gnuplot_gone(c, rc); /* say what gnuplot said */
    }
done:
    gp_cleanup(&c->gp);
    free(plan.p);
    return rc;
}

static kn_status plot_file_impl(const char *h5path, const char *dir, const kn_plot_opts *opts,
                                kn_plot_list *made, kn_error *err, int *exit_class)
{
    kn_error local = {0};
    plot_ctx c;
    memset(&c, 0, sizeof c);
    gp_init(&c.gp);
    c.err = err ? err : &local;
    c.made = made;
    c.exit_class = EXIT_FAIL;
    if (made) {
        made->chart = NULL;
        made->n = 0;
    }
    kn_status rc = plot_run(&c, h5path, dir, opts);
    if (exit_class)
        *exit_class = c.exit_class;
    sweep_keys_free(&c);
    free(c.colour);
    free(c.disp);
    free(c.n_ok);
    kn_h5r_study_free(&c.st);
    kn_h5r_close(c.r);
    if (rc != KN_OK && made)
        kn_plot_list_free(made);
    return rc;
}

kn_status kn_plot_file(const char *h5path, const char *dir, const kn_plot_opts *opts,
                       kn_plot_list *made, kn_error *err)
{
    return plot_file_impl(h5path, dir, opts, made, err, NULL);
}

void kn_plot_list_free(kn_plot_list *l)
{
    if (!l)
        return;
    free(l->chart);
    l->chart = NULL;
    l->n = 0;
}

/* ---- the command line ------------------------------------------------------------------ */

static int parse_formats(const char *s, unsigned *out)
{
    unsigned f = 0;
    for (const char *p = s;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 3 && !strncmp(p, "png", 3))
            f |= KN_PLOT_PNG;
        else if (len == 3 && !strncmp(p, "svg", 3))
            f |= KN_PLOT_SVG;
        else if (len == 3 && !strncmp(p, "pdf", 3))
            f |= KN_PLOT_PDF;
        else
            return -1;
        if (!e)
            break;
        p = e + 1;
    }
    *out = f;
    return f ? 0 : -1;
}

int kn_plot_main(int argc, char **argv)
{
    enum { OPT_FORMAT = 256, OPT_MAX_RUNS, OPT_ONLY };
    static const struct option lopts[] = {
        {"output", required_argument, 0, 'o'},      {"format", required_argument, 0, OPT_FORMAT},
        {"max-runs", required_argument, 0, OPT_MAX_RUNS}, {"only", required_argument, 0, OPT_ONLY},
        {"quiet", no_argument, 0, 'q'},             {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    kn_plot_opts o = {0};
    const char *dir = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "o:qh", lopts, NULL)) != -1) {
        switch (ch) {
        case 'o': dir = optarg; break;
        case 'q': o.quiet = 1; break;
        case OPT_FORMAT:
            if (parse_formats(optarg, &o.formats)) {
                fprintf(stderr, "koning plot: option '--format': expected a comma-separated list of "
                                "png, svg, pdf, got '%s'\n", optarg);
                return EXIT_INPUT;
            }
            break;
        case OPT_MAX_RUNS: {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (!strcmp(optarg, "none")) {
                o.max_runs = -1;
            } else if (*optarg && !*end && !errno && v >= 0 && v <= 100000) {
                o.max_runs = v == 0 ? -1 : (int)v;
            } else {
                fprintf(stderr, "koning plot: option '--max-runs': expected an integer in [0, 100000] "
                                "or none, got '%s'\n", optarg);
                return EXIT_INPUT;
            }
            break;
        }
        case OPT_ONLY: o.only = optarg; break;
        case 'h': fputs(kn_plot_usage, stdout); return 0;
        default: fputs(kn_plot_usage, stderr); return EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "koning plot: expected one results FILE.h5\n%s", kn_plot_usage);
        return EXIT_INPUT;
    }
    kn_error err = {0};
    int cls = EXIT_FAIL;
    if (plot_file_impl(argv[optind], dir, &o, NULL, &err, &cls) != KN_OK) {
        fprintf(stderr, "koning plot: %s\n", err.msg);
        return cls;
    }
    return 0;
}

/* plot_pipe.c - the gnuplot process of `koning plot`: start it, feed it scripts, ask it
 * questions, read its errors, stop it.
 *
 * gnuplot is driven through a pipe: popen("cd DIR && exec gnuplot >&5 2>&6", "w"),
 * every word single-quoted for sh. We write the scripts to its stdin (SIGPIPE ignored
 * meanwhile, so a gnuplot that died is an error, not a crash); after each chart we ask
 * it to print a token on stdout (a temporary file), so a chart is reported only once its
 * images are complete; its stderr (another temporary file) holds its error messages.
 * Both temporary files have no name (O_TMPFILE, or removed as soon as made): gnuplot
 * inherits their descriptors, and nothing is left in $TMPDIR however koning ends, even
 * by SIGKILL. A stop asked for (stop.h) ends the wait for an answer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "plot_int.h"
#include "stop.h"
#include "tables.h"

void kn_pl_gp_init(gp_proc *g)
{
    memset(g, 0, sizeof *g);
    g->outfd = g->errfd = -1;
    g->status = -1;
}

/* Find an executable: a name with '/' as is, else along PATH. out gets an absolute path
 * (gnuplot starts in the output directory). Returns 0 when found. */
int kn_pl_find_program(const char *name, char *out, size_t cap)
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
        if (kn_stop_requested())
            return -1;
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

int kn_pl_gp_send(gp_proc *g, const char *text)
{
    return gp_pump(g, text, strlen(text), 0);
}

/* Ask gnuplot to print the string expression expr; the answer (without the prefix) goes
 * into g->reply. Doubles as a barrier: every command sent before has run. */
int kn_pl_gp_ask(gp_proc *g, const char *expr)
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

/* An unnamed temporary file in dir: O_TMPFILE where the file system has it, else one
 * made with a name and removed at once. */
static int anon_file_in(const char *dir)
{
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/koning-gnuplot-XXXXXX", dir) >= (int)sizeof path)
        return -1;
    if ((fd = mkostemp(path, O_CLOEXEC)) >= 0)
        unlink(path);
    return fd;
}

static int anon_file(void)
{
    const char *td = getenv("TMPDIR");
    int fd = td && *td ? anon_file_in(td) : -1;
    return fd >= 0 ? fd : anon_file_in("/tmp");
}

/* Start gnuplot through popen: `cd DIR && exec PROG >&OUT 2>&ERR`, every word quoted for
 * sh, so gnuplot runs in the output directory (scripts use relative names, as the .gp
 * files do), answers into one temporary file and reports errors into another (both
 * inherited as descriptors OUT and ERR). */
kn_status kn_pl_gp_start(gp_proc *g, const char *prog, const char *dir, kn_error *err)
{
    if ((g->outfd = anon_file()) < 0 || (g->errfd = anon_file()) < 0)
        return kn_error_set(err, KN_EIO, "cannot create a temporary file for gnuplot: %s",
                            strerror(errno));
    sbuf cmd = {0};
    kn_sb_printf(&cmd, "cd ");
    sh_quote(&cmd, dir);
    kn_sb_printf(&cmd, " && exec ");
    sh_quote(&cmd, prog);
    for (int i = 0; i < 2; i++) { /* sh (dash) redirects from descriptors 0 to 9 only */
        int fd = i ? g->errfd : g->outfd;
        if (fd <= 9)
            kn_sb_printf(&cmd, " %d>&%d", i + 1, fd);
        else
            kn_sb_printf(&cmd, " %d>/proc/self/fd/%d", i + 1, fd);
    }
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
    /* the shell inherits the two files (only for the moment of popen) */
    fcntl(g->outfd, F_SETFD, 0);
    fcntl(g->errfd, F_SETFD, 0);
    g->pipe = popen(cmd.s, "we");
    int e = errno;
    fcntl(g->outfd, F_SETFD, FD_CLOEXEC);
    fcntl(g->errfd, F_SETFD, FD_CLOEXEC);
    kn_sb_free(&cmd);
    if (!g->pipe)
        return kn_error_set(err, KN_EIO, "cannot start gnuplot: %s", strerror(e));
    return KN_OK;
}

/* New text gnuplot wrote on stderr since the last look: the first error line into err_line
 * (returns 1 when there is one); warnings are echoed to our stderr. */
int kn_pl_gp_errors(gp_proc *g, char *err_line, size_t cap, int all_lines)
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
            char safe[KN_TTY_MAX];
            fprintf(stderr, "koning plot: gnuplot %s\n", kn_tty_text(safe, sizeof safe, l));
            continue;
        }
        const char *at = strstr(l, "line ");
        if (!found && at && at[5] >= '0' && at[5] <= '9' && strchr(at, ':')) {
            kn_pl_copy_text(err_line, cap, l);
            found = 1;
        }
    }
    if (!found && all_lines && first) {
        kn_pl_copy_text(err_line, cap, first);
        found = 1;
    }
    free(buf);
    return found;
}

/* Close gnuplot's input, let it finish, and reap it (pclose). Returns its wait status,
 * or -1. */
int kn_pl_gp_finish(gp_proc *g)
{
    if (g->pipe) {
        g->status = pclose(g->pipe);
        g->pipe = NULL;
    }
    return g->status;
}

void kn_pl_gp_cleanup(gp_proc *g)
{
    kn_pl_gp_finish(g);
    if (g->sig_saved) {
        sigaction(SIGPIPE, &g->old_pipe, NULL);
        g->sig_saved = 0;
    }
    for (int i = 0; i < 2; i++) {
        int *fd = i ? &g->errfd : &g->outfd;
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
    }
}

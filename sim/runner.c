/* runner.c - fork one child per replication, collect results through pipes.
 *
 * A child runs exactly one SimGrid simulation and writes one fixed-size message (its
 * status, result and error text) to its pipe, then _exits. The parent keeps up to
 * `jobs` children running, polls their pipes, and reaps them; a child that dies
 * before its message is complete is reported with its exit status or signal.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "engine.h"
#include "koning/runner.h"

typedef struct child_msg {
    int status; /* kn_status of the child's simulation */
    kn_rep_result result;
    char msg[KN_ERROR_MSG_MAX];
} child_msg;

typedef struct slot {
    pid_t pid;
    int fd;          /* read end of the child's pipe, -1 when free */
    int index;       /* position in results[] */
    size_t got;      /* bytes of msg received so far */
    child_msg msg;
} slot;

int kn_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static void run_child(int fd, const kn_scenario *sc, uint64_t stream, uint64_t rep)
{
    /* Nothing of the child may reach the parent's stdout (it may be JSON). */
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
        dup2(devnull, STDOUT_FILENO);
        close(devnull);
    }
    child_msg m;
    memset(&m, 0, sizeof m);
    kn_error err = {0};
    m.status = kn_engine_run(sc, stream, rep, &m.result, &err);
    memcpy(m.msg, err.msg, sizeof m.msg);
    _exit(write_all(fd, &m, sizeof m) == 0 ? 0 : 3);
}

static kn_status start_child(slot *s, const slot *slots, int nslots, const kn_scenario *sc,
                             uint64_t stream, uint64_t rep, int index, kn_error *err)
{
    int p[2];
    if (pipe(p) != 0)
        return kn_error_set(err, KN_ESIM, "replication %llu: pipe: %s",
                            (unsigned long long)rep, strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return kn_error_set(err, KN_ESIM, "replication %llu: fork: %s",
                            (unsigned long long)rep, strerror(errno));
    }
    if (pid == 0) {
        close(p[0]);
        for (int i = 0; i < nslots; i++) /* siblings' pipes are not ours */
            if (slots[i].fd >= 0)
                close(slots[i].fd);
        run_child(p[1], sc, stream, rep);
    }
    close(p[1]);
    s->pid = pid;
    s->fd = p[0];
    s->index = index;
    s->got = 0;
    return KN_OK;
}

/* Reap a finished child and turn its message (or its death) into a status. */
static kn_status finish_child(slot *s, uint64_t rep, kn_rep_result *results, kn_error *err)
{
    int wstatus = 0;
    while (waitpid(s->pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    close(s->fd);
    s->fd = -1;
    if (s->got == sizeof s->msg) {
        if (s->msg.status == KN_OK) {
            results[s->index] = s->msg.result;
            return KN_OK;
        }
        s->msg.msg[KN_ERROR_MSG_MAX - 1] = '\0';
        return kn_error_set(err, KN_ESIM, "replication %llu: %s", (unsigned long long)rep,
                            s->msg.msg);
    }
    if (WIFSIGNALED(wstatus))
        return kn_error_set(err, KN_ESIM, "replication %llu: simulation process killed by signal %d (%s)",
                            (unsigned long long)rep, WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
    return kn_error_set(err, KN_ESIM, "replication %llu: simulation process exited with status %d "
                        "without a result", (unsigned long long)rep,
                        WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
}

kn_status kn_run_replications(const kn_scenario *sc, uint64_t scenario_stream, uint64_t first,
                              int count, int jobs, kn_rep_result *results, kn_error *err)
{
    if (count < 1)
        return kn_error_set(err, KN_EINVAL, "replications must be >= 1, got %d", count);
    if (jobs < 1)
        return kn_error_set(err, KN_EINVAL, "--jobs must be >= 1, got %d", jobs);
    if (jobs > count)
        jobs = count;
    slot *slots = calloc((size_t)jobs, sizeof *slots);
    struct pollfd *pfd = calloc((size_t)jobs, sizeof *pfd);
    if (!slots || !pfd) {
        free(slots);
        free(pfd);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    for (int i = 0; i < jobs; i++)
        slots[i].fd = -1;

    kn_status first_failure = KN_OK;
    kn_error ferr = {0};
    int next = 0, running = 0;
    while (next < count || running > 0) {
        /* Fill free slots, unless starting children has failed already. */
        for (int i = 0; i < jobs && next < count && first_failure == KN_OK; i++) {
            if (slots[i].fd >= 0)
                continue;
            kn_status rc = start_child(&slots[i], slots, jobs, sc, scenario_stream,
                                       first + (uint64_t)next, next, &ferr);
            if (rc != KN_OK) {
                first_failure = rc;
                break;
            }
            next++;
            running++;
        }
        if (first_failure != KN_OK && running == 0)
            break;
        if (running == 0)
            continue;
        int n = 0;
        for (int i = 0; i < jobs; i++) {
            pfd[i].fd = slots[i].fd; /* poll ignores negative fds */
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
            n++;
        }
        if (poll(pfd, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            first_failure = kn_error_set(&ferr, KN_ESIM, "poll: %s", strerror(errno));
            break;
        }
        for (int i = 0; i < jobs; i++) {
            slot *s = &slots[i];
            if (s->fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t r = read(s->fd, (char *)&s->msg + s->got, sizeof s->msg - s->got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r > 0) {
                s->got += (size_t)r;
                if (s->got < sizeof s->msg)
                    continue;
            }
            kn_error cerr = {0};
            kn_status rc = finish_child(s, first + (uint64_t)s->index, results, &cerr);
            running--;
            if (rc != KN_OK && first_failure == KN_OK) {
                first_failure = rc;
                ferr = cerr;
            }
        }
    }
    /* Only reached with children still running if poll failed: do not leave zombies. */
    for (int i = 0; i < jobs; i++) {
        if (slots[i].fd >= 0) {
            kill(slots[i].pid, SIGKILL);
            waitpid(slots[i].pid, NULL, 0);
            close(slots[i].fd);
        }
    }
    free(slots);
    free(pfd);
    if (first_failure != KN_OK && err)
        *err = ferr;
    return first_failure;
}

/* stop.h - stopping when asked to: SIGINT (Ctrl-C), SIGTERM and SIGHUP.
 *
 * Once kn_stop_catch has run, those signals no longer kill koning at once: they set a
 * flag that the long loops check (the runner of simulations, the MPI coordinator, the
 * plotter), which then stop, clean up (simulation processes, half-drawn charts,
 * temporary files; a study's finished runs stay in its journal) and return. The
 * command line then dies of the same signal (kn_stop_obey), so the shell sees what it
 * expects: exit status 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
 * SIGKILL cannot be caught; docs/failure-modes.md says what it leaves.
 */
#ifndef KONING_STOP_H
#define KONING_STOP_H

#include <sys/types.h>

/* Catch SIGINT, SIGTERM and SIGHUP from now on (system calls other than poll restart). */
void kn_stop_catch(void);

/* The signal that asked to stop, 0 if none. */
int kn_stop_requested(void);

/* In a child process just after fork (`parent`: the pid of the process that forked):
 * the default actions again, so that Ctrl-C and SIGTERM kill it at once; and SIGKILL
 * when its parent dies, so that no simulation outlives the koning that started it. */
void kn_stop_child(pid_t parent);

/* If a stop was requested, die of that signal now (the default action restored);
 * otherwise return. Call once everything is cleaned up. */
void kn_stop_obey(void);

#endif

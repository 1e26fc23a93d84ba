/*
 * cli_pipe.h -- the item pipeline of `newsgate check` and `submit`: a
 * ring of items read but not yet taken, checker threads that check
 * them ahead with states of their own (an engine each, made on the
 * checker's thread), and, for submit, a filer thread that files them in
 * order.  The command says how a checker is made and how it checks one
 * item (ng__pipe_work); items come out in input order.  cli_check.c and
 * cli_submit.c read and collect outcomes; cli_pipe.c runs the threads.
 */
#ifndef NG_CLI_PIPE_H
#define NG_CLI_PIPE_H

#include <stddef.h>
#include "newsgate.h"

/* Items a pipeline holds at most (read, checked or being checked). */
#define NG__PIPE_DEPTH 32

/* Checker threads a pipeline runs at most. */
#define NG__PIPE_CHECKERS 8

typedef struct ng__pipe ng__pipe;

/* What a command's checkers do.  Each function is called with the `ud`
 * given to ng__pipe_start. */
typedef struct ng__pipe_work {
    /* Makes a checker's state (its engine, and what else it checks
     * with), on that checker's thread, so engines load side by side.
     * Returns it, or NULL (quietly) when it cannot be made. */
    void *(*start)(void *ud);
    /* Checks one item with a state from `start` (or the caller's own,
     * see ng__pipe_help).  Returns its verdict, or NULL when the check
     * failed: whoever takes the item then checks it again, which
     * reports the error. */
    ng_verdict *(*check)(void *ud, void *state, ng_item *it);
    /* Frees a state made by `start`. */
    void (*stop)(void *ud, void *state);
} ng__pipe_work;

/* A new, empty pipeline without threads: until ng__pipe_start, taken
 * items come back unchecked.  Returns NULL on no memory. */
ng__pipe *ng__pipe_new(void);

/* The checkers a command runs: $NEWSGATE_CHECKERS when set (tests use it
 * to make checks end out of order on any machine), else one a
 * processor; from 1 to NG__PIPE_CHECKERS. */
int ng__pipe_checkers_wanted(void);

/* Starts `n` checker threads (at most NG__PIPE_CHECKERS) doing `w`
 * (both `w` and `ud` must outlive the pipeline).  A checker whose state
 * cannot be made ends; with none left, taken items come back unchecked
 * (or are checked by ng__pipe_help).  Returns the number of threads
 * started (0: none could start). */
int ng__pipe_start(ng__pipe *p, int n, const ng__pipe_work *w, void *ud);

/* Items held (not yet taken). */
size_t ng__pipe_count(ng__pipe *p);

/* Adds `it` (the pipeline owns it) behind the others; the caller makes
 * sure fewer than NG__PIPE_DEPTH are held. */
void ng__pipe_put(ng__pipe *p, ng_item *it);

/* Checks the oldest item no checker has claimed, on the calling thread
 * with `state` (the caller's own, for `w->check`), as a checker would:
 * a thread that would wait for the checkers works instead.  Needs
 * ng__pipe_start first (for `w`; it may have started no thread).
 * Returns 1, or 0 when every item held is claimed. */
int ng__pipe_help(ng__pipe *p, void *state);

/* Takes the oldest item with its verdict (NULL when it was not checked
 * ahead, or its check failed: check it from scratch); both become the
 * caller's.  With `wait`, waits for its check (no checker: takes it
 * unchecked); without, takes it only when its check is done.
 * Returns 1, or 0 when none was taken. */
int ng__pipe_take(ng__pipe *p, int wait, ng_item **it, ng_verdict **v);

/* Files one item taken from the pipeline with its first-pass verdict
 * (NULL: none; both become the function's), on the filer thread;
 * returns an outcome, negative to stop filing. */
typedef int (*ng__pipe_file_fn)(void *ud, ng_item *it, ng_verdict *v);

/* Starts the filer thread: from here on it takes the items, in order,
 * and files each with `file` (called with `ud`, which must outlive the
 * pipeline), so the thread that adds them only reads and collects
 * outcomes; ng__pipe_take must not be called any more.  Returns 0, or
 * -1 when the thread cannot start (items are then taken as before). */
int ng__pipe_start_filer(ng__pipe *p, ng__pipe_file_fn file, void *ud);

/* The filer thread's next outcome, in the order of the items.  With
 * `wait`, waits for one while items are held or being filed.  Returns 1,
 * or 0 when none is ready (with `wait`: none will come; the filer thread
 * is idle, so its file function's state may be used until the next
 * ng__pipe_put). */
int ng__pipe_outcome(ng__pipe *p, int wait, int *outcome);

/* Stops the threads (the filer after the item it is filing), frees the
 * items still held and the checkers' states. */
void ng__pipe_free(ng__pipe *p);

#endif

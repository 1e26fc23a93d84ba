/*
 * cli_submit_pipe.h -- the threads of `newsgate submit`'s pipeline: a
 * ring of items read but not yet filed, checker threads, each with its
 * own engine, that run ng_submit_check on them ahead of the filer, and
 * the filer thread that files them in order.  cli_submit.c reads,
 * collects outcomes and says how to file; cli_submit_pipe.c runs it.
 */
#ifndef NG_CLI_SUBMIT_PIPE_H
#define NG_CLI_SUBMIT_PIPE_H

#include <stddef.h>
#include "newsgate.h"

/* Items a pipeline holds at most (read, checked or being checked). */
#define NG__PIPE_DEPTH 32

/* Checker threads a pipeline runs at most. */
#define NG__PIPE_CHECKERS 8

typedef struct ng__pipe ng__pipe;

/* A new, empty pipeline without threads: until ng__pipe_start, taken
 * items come back unchecked.  Returns NULL on no memory. */
ng__pipe *ng__pipe_new(void);

/* Makes a checker's engine, called on that checker's thread (so engines
 * load side by side, not on the filer's); returns 0 and sets *e, or
 * non-zero (the error printed) when it cannot. */
typedef int (*ng__pipe_engine_fn)(void *ud, ng_engine **e);

/* Starts `n` checker threads (at most NG__PIPE_CHECKERS), each with an
 * engine from `make` (called with `ud`, which must outlive the
 * pipeline) for items filed into `into` (see ng_engine_files_into; only
 * its backend is looked at).  A checker whose engine cannot be made
 * ends; with none left, taken items come back unchecked.  Returns the
 * number of threads started (0: none could start). */
int ng__pipe_start(ng__pipe *p, int n, ng__pipe_engine_fn make, void *ud,
                   const ng_store *into);

/* Items held (not yet taken). */
size_t ng__pipe_count(ng__pipe *p);

/* Adds `it` (the pipeline owns it) behind the others; the caller makes
 * sure fewer than NG__PIPE_DEPTH are held. */
void ng__pipe_put(ng__pipe *p, ng_item *it);

/* Takes the oldest item with its first-pass verdict (NULL when it was
 * not checked ahead, or its check failed: file it from scratch); both
 * become the caller's.  With `wait`, waits for its check (no checker:
 * takes it unchecked); without, takes it only when its check is done.
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
 * items still held and the engines. */
void ng__pipe_free(ng__pipe *p);

#endif

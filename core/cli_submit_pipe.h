/*
 * cli_submit_pipe.h -- the checking half of `newsgate submit`'s pipeline:
 * a ring of items read but not yet filed, and a checker thread with its
 * own engine that runs ng_submit_check on them ahead of the filer.
 * cli_submit.c reads and files; cli_submit_pipe.c checks.
 */
#ifndef NG_CLI_SUBMIT_PIPE_H
#define NG_CLI_SUBMIT_PIPE_H

#include <stddef.h>
#include "newsgate.h"

/* Items a pipeline holds at most (read, checked or being checked). */
#define NG__PIPE_DEPTH 32

typedef struct ng__pipe ng__pipe;

/* A new, empty pipeline without a thread: until ng__pipe_start, taken
 * items come back unchecked.  Returns NULL on no memory. */
ng__pipe *ng__pipe_new(void);

/* Checked items waiting to be filed from which the checker also makes
 * their stored form (compression) for the filer: with fewer, the filer
 * is waiting for the checker and makes it itself. */
#define NG__PIPE_AHEAD 2

/* Starts the checker thread on engine `e` (the pipeline owns it from
 * here, also on failure) for items filed into `into` (see
 * ng_engine_files_into; only its backend is looked at).  Returns 0, or
 * -1 when the thread cannot start (the pipeline then stays without
 * one). */
int ng__pipe_start(ng__pipe *p, ng_engine *e, const ng_store *into);

/* Items held. */
size_t ng__pipe_count(const ng__pipe *p);

/* Adds `it` (the pipeline owns it) behind the others; the caller makes
 * sure fewer than NG__PIPE_DEPTH are held. */
void ng__pipe_put(ng__pipe *p, ng_item *it);

/* Takes the oldest item with its first-pass verdict (NULL when it was
 * not checked ahead, or its check failed: file it from scratch); both
 * become the caller's.  With `wait`, waits for its check (no thread: takes
 * it unchecked); without, takes it only when its check is done.  Returns
 * 1, or 0 when none was taken. */
int ng__pipe_take(ng__pipe *p, int wait, ng_item **it, ng_verdict **v);

/* Stops the thread, frees the items still held and the engine. */
void ng__pipe_free(ng__pipe *p);

#endif

/*
 * learn.h -- the spam learner: a Bayesian text classifier that moderators
 * train by their decisions (docs/spam.md explains the method).
 *
 * An item becomes a set of 64-bit token hashes (XXH3): its case-folded
 * words, each pair of neighbouring words, and the hosts its links point
 * to.  The store keeps, per token, how many spam and ham items contained
 * it, and which items (by a hash of their normalized text) were learned
 * as what, so learning an item twice does not count twice and relearning
 * it as the other class moves its counts.  Classification reads an
 * in-memory table of those counts (open addressing on the token hashes),
 * loaded from the store once and reloaded only when the store's learner
 * generation changes: no query per token.
 *
 * Token probabilities are Robinson's f(w); they are combined with
 * Fisher's chi-square method as SpamBayes does.  Below NG__LEARN_MIN
 * learned items of either class the learner has no opinion.
 *
 * Return convention: NG_OK or an NG_E* code, as everywhere in core/.
 */
#ifndef NG_LEARN_H
#define NG_LEARN_H

#include <stddef.h>
#include <stdint.h>
#include "newsgate.h"
#include "store.h"   /* ng__learn_state, ng__learn_row, ng__token_fn */

/* Items of each class needed before the learner gives an opinion. */
#define NG__LEARN_MIN 10

/* The tokens of one item: unique hashes, in no particular order. */
typedef struct ng__tokens {
    uint64_t *v;
    size_t n, cap;
    uint64_t *set;     /* scratch open-addressing set for uniqueness */
    size_t setcap;
} ng__tokens;

/* Fills `t` with the unique tokens of `it` (words and pairs of the
 * item's cached folded words, link hosts).  `t` is reused between calls
 * and freed with ng__tokens_free.  Returns NG_OK or NG_ENOMEM. */
int ng__learn_tokens(ng_item *it, ng__tokens *t);
void ng__tokens_free(ng__tokens *t);

/* The key an item is learned under: a hash of its normalized text.
 * Returns NG_OK or NG_ENOMEM. */
int ng__learn_key(ng_item *it, uint64_t *key);

/* The in-memory token table. */
typedef struct ng__toktable ng__toktable;

/* Creates an empty table (no opinion until filled).  Returns NULL when
 * out of memory. */
ng__toktable *ng__toktable_new(void);
void ng__toktable_free(ng__toktable *t);

/* Adds `spam`/`ham` to a token's counts (used by loading and the bench
 * tool).  Returns NG_OK or NG_ENOMEM. */
int ng__toktable_add(ng__toktable *t, uint64_t token, uint32_t spam,
                     uint32_t ham);

/* Sets the number of learned items of each class. */
void ng__toktable_set_totals(ng__toktable *t, int64_t nspam, int64_t nham);

/* Number of distinct tokens held. */
size_t ng__toktable_size(const ng__toktable *t);

/* Empties the table and reads every token of the store into it, with
 * the store's learner state.  Returns NG_OK or an error code (message on
 * the store handle). */
int ng__toktable_load(ng__toktable *t, ng_store *s, ng__learn_state *st);

/* The spam probability of a token set, in [0, 1], or -1 when the learner
 * has too few items of either class to have an opinion. */
double ng__toktable_classify(const ng__toktable *t, const ng__tokens *tok);

/* 1 when the learner has items enough of both classes to have an opinion
 * (ng__toktable_classify then does not return -1), else 0: without one
 * an item's tokens need not be made at all. */
int ng__toktable_ready(const ng__toktable *t);

/* The learner's state of a store (generation and counts).  Returns NG_OK
 * or an error code. */
int ng__learn_state_of(ng_store *s, ng__learn_state *st);

/* Learns `it` as spam (1) or ham (0) inside the caller's open write
 * transaction.  *changed: 0 it was already learned as that class, 1
 * learned, 2 moved from the other class.  Returns NG_OK or an error. */
int ng__learn_item(ng_store *s, ng_item *it, int spam, int *changed);

/* Learns stored item `id` (its item JSON read back through the backend)
 * as spam or ham inside the caller's open write transaction; *changed as
 * for ng__learn_item.  Returns NG_OK, NG_ENOTFOUND or an error. */
int ng__learn_stored(ng_store *s, int64_t id, int spam, int *changed);

#endif

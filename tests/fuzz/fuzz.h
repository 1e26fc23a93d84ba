/*
 * fuzz.h -- what every fuzz target of tests/fuzz/ shares: the libFuzzer
 * entry points, and a few helpers to cut one input into parts.
 *
 * Each fuzz_*.c file is one target.  `make fuzz` links it with libFuzzer
 * (clang -fsanitize=fuzzer,address,undefined); `make test` links the
 * same file with replay.c, a plain main() that runs the target once on
 * every file of its seed corpus and regression inputs, so every input
 * that ever crashed a target stays a test of the normal build.
 */
#ifndef NG_FUZZ_H
#define NG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs the target on data[0..size).  Returns 0 (libFuzzer's contract);
 * a defect shows as a crash, a sanitizer report or an abort(). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Called once before the first input, with the program's arguments.
 * Returns 0.  Every target defines it (replay.c calls it too). */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Reports a broken property of the code under test with `what` on
 * stderr and aborts, so libFuzzer keeps the input. */
void ng_fuzz_fail(const char *what);

/* Copies data[0..size) into a new NUL-terminated string; aborts when out
 * of memory (a fuzz input is small). */
char *ng_fuzz_str(const uint8_t *data, size_t size);

typedef struct ng_verdict ng_verdict;

/* Checks a verdict's hits (spans in order), serialises it as JSON and
 * as text (aborting when either fails) and frees it. */
void ng_fuzz_verdict(ng_verdict *v);

/* A small deterministic generator of numbers, seeded from the input, for
 * choices a target makes (chunk sizes). */
typedef struct ng_fuzz_rng {
    uint32_t s;
} ng_fuzz_rng;

/* The next number in [0, n) (n > 0). */
uint32_t ng_fuzz_next(ng_fuzz_rng *g, uint32_t n);

#endif

/*
 * replay.c -- runs a fuzz target without libFuzzer: a plain main() that
 * feeds the target every file named on the command line (a directory
 * stands for the files in it), once each.  `make test` builds one such
 * binary per target with the normal compiler and runs it over the
 * target's seed corpus and its regression inputs (tests/fuzz/regress/),
 * so the asan and valgrind runs of the suite cover them too.
 *
 *   replay FILE|DIR...    exit 0 when every input ran, 1 when one could
 *                         not be read (a defect aborts the process)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Runs the target on the file at `path`.  Returns 0, or -1 when it
 * cannot be read. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, got;

    if (!f) {
        perror(path);
        return -1;
    }
    do {
        if (len == cap) {
            char *nb = realloc(buf, cap ? cap * 2 : 4096);
            if (!nb) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb, cap = cap ? cap * 2 : 4096;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
    free(buf);
    return 0;
}

/* Runs every regular file of directory `dir`, in no particular order.
 * Returns the number run, or -1 on an error. */
static int run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    if (!d) {
        perror(dir);
        return -1;
    }
    while ((de = readdir(d))) {
        char path[4096];
        struct stat st;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (run_file(path) != 0) {
            closedir(d);
            return -1;
        }
        n++;
    }
    closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    int total = 0;

    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        int n;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        n = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]) + 1;
        if (n < 0)
            return 1;
        total += n;
    }
    printf("%d inputs ran\n", total);
    return 0;
}

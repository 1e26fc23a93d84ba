/*
 * errors.c -- names and messages of error codes, from the one table in
 * newsgate.h, and the few helpers every caller needs.
 */
#include <stdlib.h>

#include "newsgate.h"

const char *ng_strerror(int code)
{
    switch (code) {
#define NG_ERRNO_MSG(name, num, msg) case num: return msg;
    NG_ERRNO_MAP(NG_ERRNO_MSG)
#undef NG_ERRNO_MSG
    case NG_DONE: return "no more items";
    default: return "unknown error";
    }
}

const char *ng_strerror_name(int code)
{
    switch (code) {
#define NG_ERRNO_NAME(name, num, msg) case num: return "NG_" #name;
    NG_ERRNO_MAP(NG_ERRNO_NAME)
#undef NG_ERRNO_NAME
    case NG_DONE: return "NG_DONE";
    default: return "NG_UNKNOWN";
    }
}

const char *ng_action_name(ng_action a)
{
    switch (a) {
    case NG_ACCEPT: return "accept";
    case NG_REVIEW: return "review";
    case NG_REJECT: return "reject";
    }
    return "unknown";
}

void ng_free(void *p)
{
    free(p);
}

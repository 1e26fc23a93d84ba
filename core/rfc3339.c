/*
 * rfc3339.c -- the one RFC 3339 parser and formatter (ng_time_parse and
 * ng_time_format of newsgate.h).  Every time the library or the CLI reads
 * or prints goes through here; it uses no libc time zone machinery
 * (strptime, timegm, gmtime), so it behaves the same everywhere and for
 * any year 0..9999.
 */
#include <stdio.h>
#include <string.h>

#include "newsgate.h"

/* Reads exactly n digits at *s; returns the value or -1. */
static int digits(const char **s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return -1;
        v = v * 10 + (**s - '0');
    }
    return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The date of a day count (the inverse of days_from_civil). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* Reads the zone at s ("Z" or "+HH:MM"); sets *off in seconds east.
 * Returns 0 when the zone ends the string, else -1. */
static int zone(const char *s, int *off)
{
    int sign, oh, om;
    if (*s == 'Z' || *s == 'z')
        return s[1] ? -1 : 0;
    if (*s != '+' && *s != '-')
        return -1;
    sign = *s++ == '+' ? 1 : -1;
    if ((oh = digits(&s, 2)) < 0 || oh > 23 || *s++ != ':'
        || (om = digits(&s, 2)) < 0 || om > 59 || *s)
        return -1;
    *off = sign * (oh * 3600 + om * 60);
    return 0;
}

int ng_time_parse(const char *s, int64_t *unix_seconds)
{
    int y, mo = 0, d = 0, h = 0, mi = 0, sec = 0, off = 0;
    if (!unix_seconds)
        return NG_EINVAL;
    *unix_seconds = 0;
    if (!s)
        return NG_EINVAL;
    y = digits(&s, 4);
    if (y < 0 || *s++ != '-' || (mo = digits(&s, 2)) < 1 || mo > 12
        || *s++ != '-' || (d = digits(&s, 2)) < 1
        || d > days_in_month(y, mo)
        || (*s != 'T' && *s != 't' && *s != ' ') || !*s++
        || (h = digits(&s, 2)) < 0 || h > 23 || *s++ != ':'
        || (mi = digits(&s, 2)) < 0 || mi > 59 || *s++ != ':'
        || (sec = digits(&s, 2)) < 0 || sec > 60)
        return NG_EINVAL;
    if (*s == '.') {
        if (*++s < '0' || *s > '9')
            return NG_EINVAL;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    if (zone(s, &off) < 0)
        return NG_EINVAL;
    *unix_seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60
        + sec - off;
    return NG_OK;
}

int ng_time_format(int64_t t, char *buf, size_t len)
{
    int64_t days, y, rem;
    int m, d, n;
    if (!buf || len == 0)
        return NG_EINVAL;
    buf[0] = '\0';
    days = t / 86400;
    rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        return NG_EINVAL;
    n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d,
                 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
    if (n < 0 || (size_t)n >= len) {
        buf[0] = '\0';
        return NG_EINVAL;
    }
    return NG_OK;
}

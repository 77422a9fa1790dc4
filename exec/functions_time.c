/*
** exec/functions_time.c — time and math scalar functions, registered
** through exec_fn_find() (functions.c).
**
** Time (all UTC, timestamps are microseconds since the epoch):
**   EXTRACT_<F>(ts) for F in YEAR QUARTER MONTH WEEK DAY HOUR MINUTE SECOND
**   MILLISECOND MICROSECOND DOW ISODOW DOY EPOCH, also DAYOFWEEK DAYOFYEAR
**   DAYOFMONTH (the planner maps EXTRACT(F FROM
**   ts) to these), and YEAR QUARTER MONTH WEEK DAYOFMONTH DAYOFWEEK
**   DAYOFYEAR HOUR MINUTE SECOND. All return BIGINT. Choices:
**     SECOND is the whole second (0-59); MILLISECOND is the seconds field
**     in milliseconds (second * 1000 + ms, as in PostgreSQL/Calcite);
**     MICROSECOND likewise in microseconds; DOW and DAYOFWEEK are 1
**     (Sunday) to 7 (Saturday) as in Flink, ISODOW 1 (Monday) to 7
**     (Sunday); WEEK is the ISO week; EPOCH
**     is whole seconds since the epoch (floor), and also takes an
**     INTERVAL (its whole seconds, truncated).
**   DATE_FORMAT(ts or VARCHAR, fmt) -> VARCHAR with Java/Flink pattern
**     letters: y M d H h m s S (fraction of second: SSS ms, SSSSSS us) E
**     a D, 'quoted text', '' for a quote; MMM/MMMM and E../EEEE give
**     English names. A VARCHAR first argument is parsed as a timestamp.
**   TO_TIMESTAMP(s[, fmt]) -> TIMESTAMP; without fmt the timestamp
**     literal syntax, with fmt the same letters as DATE_FORMAT.
**   FROM_UNIXTIME(seconds[, fmt]) -> VARCHAR, default 'yyyy-MM-dd
**     HH:mm:ss'. UNIX_TIMESTAMP([ts | s[, fmt]]) -> BIGINT seconds (floor;
**     no argument: the processing time). NOW(), CURRENT_TIMESTAMP,
**     LOCALTIMESTAMP, PROCTIME() -> ctx->now.
**   Unparseable text gives NULL.
** Math: ABS, SIGN, ROUND(x[, d]) (half away from zero; BIGINT stays
**   BIGINT, negative d rounds to tens, hundreds...), FLOOR, CEIL, CEILING
**   (BIGINT stays BIGINT), MOD (= %), POWER/POW, SQRT, EXP, LN, LOG10
**   (DOUBLE; a domain error such as SQRT(-1) gives NULL).
*/
#include <math.h>
#include <string.h>

#include "exec/exec.h"
#include "exec/functions_int.h"

#define IMPL(name)                                                     \
  static void name(exec_eval_ctx *ctx, int n, const exec_vec *const *aArg, \
                   int nArg, exec_vec *out)

#define US_PER_SEC 1000000LL
#define US_PER_DAY 86400000000LL

static int any_null_type(int nArg, const uint8_t *aType) {
  for (int i = 0; i < nArg; i++) {
    if (aType[i] == WEIR_NULL_TYPE) return 1;
  }
  return 0;
}

/* Floor division and its remainder for possibly negative a. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

/* See functions_int.h. */
void exec_tm_split(int64_t us, exec_tm *t) {
  int64_t days = us / US_PER_DAY, rem = us % US_PER_DAY;
  if (rem < 0) {   /* floor, without overflowing near INT64_MIN */
    rem += US_PER_DAY;
    days--;
  }
  int64_t y;
  unsigned m, d;
  common_civil_from_days(days, &y, &m, &d);
  t->year = y;
  t->month = (int)m;
  t->day = (int)d;
  t->usec = (int)(rem % US_PER_SEC);
  int64_t secs = rem / US_PER_SEC;
  t->hour = (int)(secs / 3600);
  t->minute = (int)(secs / 60 % 60);
  t->second = (int)(secs % 60);
  /* 1970-01-01 was a Thursday (4). */
  t->dow = (int)(((days % 7) + 11) % 7);
  t->doy = (int)(days - common_days_from_civil(y, 1, 1)) + 1;
}

/* Weeks (52 or 53) in ISO year y. */
static int iso_weeks_in_year(int64_t y) {
  int64_t p = ((y + floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400))
               % 7 + 7) % 7;
  int64_t y1 = y - 1;
  int64_t q = ((y1 + floor_div(y1, 4) - floor_div(y1, 100) +
                floor_div(y1, 400)) % 7 + 7) % 7;
  return 52 + (p == 4 || q == 3);
}

/* ISO 8601 week number of t (weeks start on Monday; week 1 holds the
** year's first Thursday). */
static int iso_week(const exec_tm *t) {
  int wday = (t->dow + 6) % 7;   /* Monday 0 */
  int w = (t->doy - wday + 9) / 7;
  if (w < 1) return iso_weeks_in_year(t->year - 1);
  if (w > iso_weeks_in_year(t->year)) return 1;
  return w;
}

/* ---- EXTRACT ------------------------------------------------------------ */

enum {
  F_YEAR, F_QUARTER, F_MONTH, F_WEEK, F_DAY, F_HOUR, F_MINUTE, F_SECOND,
  F_MILLISECOND, F_MICROSECOND, F_DOW, F_DOY, F_EPOCH, F_ISODOW
};

static int64_t tm_field(int f, int64_t us) {
  exec_tm t;
  if (f == F_EPOCH) return floor_div(us, US_PER_SEC);
  exec_tm_split(us, &t);
  switch (f) {
    case F_YEAR: return t.year;
    case F_QUARTER: return (t.month - 1) / 3 + 1;
    case F_MONTH: return t.month;
    case F_WEEK: return iso_week(&t);
    case F_DAY: return t.day;
    case F_HOUR: return t.hour;
    case F_MINUTE: return t.minute;
    case F_SECOND: return t.second;
    case F_MILLISECOND: return t.second * 1000LL + t.usec / 1000;
    case F_MICROSECOND: return t.second * US_PER_SEC + t.usec;
    case F_DOW: return t.dow + 1;
    case F_DOY: return t.doy;
    case F_ISODOW: return (t.dow + 6) % 7 + 1;
  }
  return 0;
}

static void extract_vec(int f, int n, const exec_vec *in, exec_vec *out) {
  for (int i = 0; i < n; i++) {
    out->null[i] = in->null[i] != 0;
    if (out->null[i]) continue;
    if (in->type == WEIR_INTERVAL) {
      out->v.i64[i] = in->v.i64[i] / US_PER_SEC;
    } else {
      out->v.i64[i] = tm_field(f, in->v.i64[i]);
    }
  }
}

#define EXTRACT_FN(F)                                                  \
  IMPL(extract_impl_##F) { extract_vec(F, n, aArg[0], out); }          \
  static int bind_extract_##F(int nArg, const uint8_t *aType,          \
                              uint8_t *pRet, exec_fn_impl *pImpl,      \
                              const char **pzErr) {                    \
    *pRet = WEIR_BIGINT;                                               \
    *pImpl = extract_impl_##F;                                         \
    if (aType[0] == WEIR_NULL_TYPE) *pImpl = exec_impl_null;           \
    else if (aType[0] == WEIR_INTERVAL && F == F_EPOCH) return 0;      \
    else if (aType[0] != WEIR_TIMESTAMP) {                             \
      *pzErr = "EXTRACT expects TIMESTAMP";                            \
      return 1;                                                        \
    }                                                                  \
    return 0;                                                          \
  }
EXTRACT_FN(F_YEAR)
EXTRACT_FN(F_QUARTER)
EXTRACT_FN(F_MONTH)
EXTRACT_FN(F_WEEK)
EXTRACT_FN(F_DAY)
EXTRACT_FN(F_HOUR)
EXTRACT_FN(F_MINUTE)
EXTRACT_FN(F_SECOND)
EXTRACT_FN(F_MILLISECOND)
EXTRACT_FN(F_MICROSECOND)
EXTRACT_FN(F_DOW)
EXTRACT_FN(F_DOY)
EXTRACT_FN(F_EPOCH)
EXTRACT_FN(F_ISODOW)

/* ---- patterns ----------------------------------------------------------- */

static const char *azMonth[] = {
  "January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December"};
static const char *azDay[] = {
  "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
  "Saturday"};

/* Append v zero-padded to at least w digits. */
static char *put_num(char *z, int64_t v, int w) {
  char t[24];
  int k = 0;
  int bNeg = v < 0;
  uint64_t u = bNeg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    t[k++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  while (k < w && k < 20) t[k++] = '0';
  if (bNeg) *z++ = '-';
  while (k) *z++ = t[--k];
  return z;
}

/* See functions_int.h. */
exec_str exec_ts_format_pattern(exec_sbuf *b, int64_t us, const exec_str *fmt) {
  exec_tm t;
  exec_tm_split(us, &t);
  /* Each pattern byte yields at most 24 bytes (a month name, a number). */
  char *z0 = exec_sbuf_room(b, (size_t)fmt->n * 24 + 8);
  char *z = z0;
  const char *p = fmt->p;
  uint32_t i = 0;
  while (i < fmt->n) {
    char c = p[i];
    if (c == '\'') {
      i++;
      if (i < fmt->n && p[i] == '\'') {
        *z++ = '\'';
        i++;
        continue;
      }
      while (i < fmt->n) {
        if (p[i] == '\'') {
          if (i + 1 < fmt->n && p[i + 1] == '\'') {
            *z++ = '\'';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        *z++ = p[i++];
      }
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      *z++ = c;
      i++;
      continue;
    }
    int w = 0;
    while (i < fmt->n && p[i] == c) {
      w++;
      i++;
    }
    const char *zName = NULL;
    switch (c) {
      case 'y':
        z = w == 2 ? put_num(z, ((t.year % 100) + 100) % 100, 2)
                   : put_num(z, t.year, w);
        break;
      case 'M':
        if (w >= 3) zName = azMonth[t.month - 1];
        else z = put_num(z, t.month, w);
        break;
      case 'd': z = put_num(z, t.day, w); break;
      case 'D': z = put_num(z, t.doy, w); break;
      case 'H': z = put_num(z, t.hour, w); break;
      case 'h': z = put_num(z, (t.hour + 11) % 12 + 1, w); break;
      case 'm': z = put_num(z, t.minute, w); break;
      case 's': z = put_num(z, t.second, w); break;
      case 'S': {
        char f[7];
        put_num(f, t.usec, 6);
        for (int k = 0; k < w; k++) *z++ = k < 6 ? f[k] : '0';
        break;
      }
      case 'E': zName = azDay[t.dow]; break;
      case 'a': zName = t.hour < 12 ? "AM" : "PM"; break;
      default:
        for (int k = 0; k < w; k++) *z++ = c;
        break;
    }
    if (zName) {
      size_t m = strlen(zName);
      if (w < 4 && c != 'a') m = 3;
      memcpy(z, zName, m);
      z += m;
    }
  }
  return exec_sbuf_commit(b, (size_t)(z - z0));
}

/* Read up to nMax (at least 1) digits from s at *pi into *pv. */
static int read_num(const exec_str *s, uint32_t *pi, int nMax, int64_t *pv) {
  int k = 0;
  int64_t v = 0;
  while (*pi < s->n && k < nMax && s->p[*pi] >= '0' && s->p[*pi] <= '9') {
    v = v * 10 + (s->p[*pi] - '0');
    (*pi)++;
    k++;
  }
  *pv = v;
  return k ? 0 : 1;
}

/* Parse s with pattern fmt (letters as in DATE_FORMAT). 0 on success. */
static int ts_parse_pattern(const exec_str *s, const exec_str *fmt,
                            int64_t *pUs) {
  int64_t y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0, frac = 0;
  int bPm = -1, bH12 = 0;
  uint32_t i = 0, j = 0;
  const char *p = fmt->p;
  while (i < fmt->n) {
    char c = p[i];
    if (c == '\'') {
      i++;
      while (i < fmt->n) {
        if (p[i] == '\'') {
          if (i + 1 < fmt->n && p[i + 1] == '\'') i++;
          else {
            i++;
            break;
          }
        }
        if (j >= s->n || s->p[j] != p[i]) return 1;
        i++;
        j++;
      }
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      if (j >= s->n || s->p[j] != c) return 1;
      i++;
      j++;
      continue;
    }
    int w = 0;
    while (i < fmt->n && p[i] == c) {
      w++;
      i++;
    }
    /* A single letter reads a variable number of digits. */
    int nMax = w == 1 ? 2 : w;
    int64_t v = 0;
    switch (c) {
      case 'y':
        if (read_num(s, &j, w == 1 ? 9 : w, &v)) return 1;
        y = w == 2 ? 2000 + v : v;
        break;
      case 'M':
        if (w >= 3) {
          int k;
          for (k = 0; k < 12; k++) {
            size_t m = w == 3 ? 3 : strlen(azMonth[k]);
            if (j + m <= s->n &&
                common_strnicmp(s->p + j, azMonth[k], m) == 0) {
              j += (uint32_t)m;
              break;
            }
          }
          if (k == 12) return 1;
          mo = k + 1;
        } else {
          if (read_num(s, &j, nMax, &mo)) return 1;
        }
        break;
      case 'd':
        if (read_num(s, &j, nMax, &d)) return 1;
        break;
      case 'H':
        if (read_num(s, &j, nMax, &h)) return 1;
        break;
      case 'h':
        if (read_num(s, &j, nMax, &h)) return 1;
        bH12 = 1;
        break;
      case 'm':
        if (read_num(s, &j, nMax, &mi)) return 1;
        break;
      case 's':
        if (read_num(s, &j, nMax, &sec)) return 1;
        break;
      case 'S': {
        uint32_t j0 = j;
        if (read_num(s, &j, w, &v)) return 1;
        for (uint32_t k = j - j0; k < 6; k++) v *= 10;
        for (uint32_t k = j - j0; k > 6; k--) v /= 10;
        frac = v;
        break;
      }
      case 'a':
        if (j + 2 > s->n) return 1;
        if (common_strnicmp(s->p + j, "AM", 2) == 0) bPm = 0;
        else if (common_strnicmp(s->p + j, "PM", 2) == 0) bPm = 1;
        else return 1;
        j += 2;
        break;
      default:
        return 1;
    }
  }
  if (j != s->n) return 1;
  if (bH12) {
    if (h < 1 || h > 12) return 1;
    h %= 12;
    if (bPm == 1) h += 12;
  } else if (bPm == 1 && h < 12) {
    h += 12;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
      sec > 60) {
    return 1;
  }
  if (y < -290000 || y > 290000) return 1;
  int64_t days = common_days_from_civil(y, (unsigned)mo, (unsigned)d);
  *pUs = ((days * 24 + h) * 60 + mi) * 60 * US_PER_SEC + sec * US_PER_SEC +
         frac;
  return 0;
}

static const exec_str default_fmt = {"yyyy-MM-dd HH:mm:ss", 19};

/* Timestamp of row i of v: a TIMESTAMP, or VARCHAR text parsed with
** fmt (NULL: the literal syntax). Returns 0, or 1 when NULL/unparseable. */
static int row_ts(const exec_vec *v, int i, const exec_vec *fmt,
                  int64_t *pUs) {
  if (v->null[i] || (fmt && fmt->null[i])) return 1;
  if (v->type == WEIR_TIMESTAMP) {
    *pUs = v->v.i64[i];
    return 0;
  }
  const exec_str *s = &v->v.s[i];
  if (fmt) return ts_parse_pattern(s, &fmt->v.s[i], pUs);
  return common_ts_parse(s->p, s->n, pUs) != 0;
}

IMPL(date_format_impl) {
  exec_sbuf b = {ctx->pScratch, NULL, 0};
  for (int i = 0; i < n; i++) {
    int64_t us;
    out->null[i] = (uint8_t)(row_ts(aArg[0], i, NULL, &us) ||
                             aArg[1]->null[i]);
    if (out->null[i]) continue;
    out->v.s[i] = exec_ts_format_pattern(&b, us, &aArg[1]->v.s[i]);
  }
}
static int bind_date_format(int nArg, const uint8_t *aType, uint8_t *pRet,
                            exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : date_format_impl;
  if ((aType[0] != WEIR_TIMESTAMP && aType[0] != WEIR_VARCHAR &&
       aType[0] != WEIR_NULL_TYPE) ||
      (aType[1] != WEIR_VARCHAR && aType[1] != WEIR_NULL_TYPE)) {
    *pzErr = "DATE_FORMAT expects (TIMESTAMP, VARCHAR)";
    return 1;
  }
  return 0;
}

IMPL(to_timestamp_impl) {
  for (int i = 0; i < n; i++) {
    int64_t us = 0;
    out->null[i] = (uint8_t)row_ts(aArg[0], i, nArg > 1 ? aArg[1] : NULL,
                                   &us);
    out->v.i64[i] = us;
  }
}
static int bind_to_timestamp(int nArg, const uint8_t *aType, uint8_t *pRet,
                             exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_TIMESTAMP;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : to_timestamp_impl;
  for (int k = 0; k < nArg; k++) {
    if (aType[k] != WEIR_VARCHAR && aType[k] != WEIR_NULL_TYPE) {
      *pzErr = "TO_TIMESTAMP expects VARCHAR";
      return 1;
    }
  }
  return 0;
}

IMPL(from_unixtime_impl) {
  exec_sbuf b = {ctx->pScratch, NULL, 0};
  const int64_t lim = INT64_MAX / US_PER_SEC;
  for (int i = 0; i < n; i++) {
    int64_t s = aArg[0]->v.i64[i];
    out->null[i] = (uint8_t)(aArg[0]->null[i] || (nArg > 1 &&
                             aArg[1]->null[i]) || s > lim || s < -lim);
    if (out->null[i]) continue;
    out->v.s[i] = exec_ts_format_pattern(
      &b, s * US_PER_SEC, nArg > 1 ? &aArg[1]->v.s[i] : &default_fmt);
  }
}
static int bind_from_unixtime(int nArg, const uint8_t *aType,
                              uint8_t *pRet, exec_fn_impl *pImpl,
                              const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : from_unixtime_impl;
  if ((aType[0] != WEIR_BIGINT && aType[0] != WEIR_NULL_TYPE) ||
      (nArg > 1 && aType[1] != WEIR_VARCHAR && aType[1] != WEIR_NULL_TYPE)) {
    *pzErr = "FROM_UNIXTIME expects (BIGINT[, VARCHAR])";
    return 1;
  }
  return 0;
}

IMPL(unix_timestamp_impl) {
  for (int i = 0; i < n; i++) {
    int64_t us = ctx->now;
    out->null[i] = nArg ? (uint8_t)row_ts(aArg[0], i,
                                          nArg > 1 ? aArg[1] : NULL, &us)
                        : 0;
    out->v.i64[i] = floor_div(us, US_PER_SEC);
  }
}
static int bind_unix_timestamp(int nArg, const uint8_t *aType,
                               uint8_t *pRet, exec_fn_impl *pImpl,
                               const char **pzErr) {
  *pRet = WEIR_BIGINT;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : unix_timestamp_impl;
  if ((nArg > 0 && aType[0] != WEIR_TIMESTAMP && aType[0] != WEIR_VARCHAR &&
       aType[0] != WEIR_NULL_TYPE) ||
      (nArg > 1 && (aType[0] == WEIR_TIMESTAMP ||
                    (aType[1] != WEIR_VARCHAR &&
                     aType[1] != WEIR_NULL_TYPE)))) {
    *pzErr = "UNIX_TIMESTAMP expects ([TIMESTAMP | VARCHAR[, VARCHAR]])";
    return 1;
  }
  return 0;
}

IMPL(now_impl) {
  for (int i = 0; i < n; i++) {
    out->null[i] = 0;
    out->v.i64[i] = ctx->now;
  }
}
static int bind_now(int nArg, const uint8_t *aType, uint8_t *pRet,
                    exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_TIMESTAMP;
  *pImpl = now_impl;
  return 0;
}

/* ---- math --------------------------------------------------------------- */

IMPL(abs_i64) {
  for (int i = 0; i < n; i++) {
    int64_t x = aArg[0]->v.i64[i];
    out->null[i] = aArg[0]->null[i];
    out->v.i64[i] = x < 0 ? (int64_t)((uint64_t)0 - (uint64_t)x) : x;
  }
}
IMPL(abs_f64) {
  for (int i = 0; i < n; i++) {
    out->null[i] = aArg[0]->null[i];
    out->v.f64[i] = fabs(aArg[0]->v.f64[i]);
  }
}
IMPL(sign_i64) {
  for (int i = 0; i < n; i++) {
    int64_t x = aArg[0]->v.i64[i];
    out->null[i] = aArg[0]->null[i];
    out->v.i64[i] = (x > 0) - (x < 0);
  }
}
IMPL(sign_f64) {
  for (int i = 0; i < n; i++) {
    double x = aArg[0]->v.f64[i];
    out->null[i] = aArg[0]->null[i];
    out->v.f64[i] = (x > 0) - (x < 0);
  }
}
IMPL(ident_impl) {
  memcpy(out->null, aArg[0]->null, (size_t)n);
  memcpy(out->v.p, aArg[0]->v.p, exec_type_size(out->type) * (size_t)n);
}
IMPL(floor_f64) {
  for (int i = 0; i < n; i++) {
    out->null[i] = aArg[0]->null[i];
    out->v.f64[i] = floor(aArg[0]->v.f64[i]);
  }
}
IMPL(ceil_f64) {
  for (int i = 0; i < n; i++) {
    out->null[i] = aArg[0]->null[i];
    out->v.f64[i] = ceil(aArg[0]->v.f64[i]);
  }
}

/* Round half away from zero, forgiving the representation error of
** decimal halves such as 2.675 * 100 = 267.49999999999997. */
static double round_half_away(double y) {
  double t = trunc(y);
  double fr = fabs(y - t);
  if (fabs(fr - 0.5) < 1e-9 * (fabs(y) > 1 ? fabs(y) : 1)) {
    return t + (y < 0 ? -1.0 : 1.0);
  }
  return round(y);
}

IMPL(round_f64) {
  for (int i = 0; i < n; i++) {
    int64_t d = nArg > 1 ? aArg[1]->v.i64[i] : 0;
    double x = aArg[0]->v.f64[i];
    out->null[i] = (uint8_t)(aArg[0]->null[i] || (nArg > 1 &&
                                                  aArg[1]->null[i]));
    if (out->null[i]) continue;
    if (d > 300 || !isfinite(x)) {
      out->v.f64[i] = x;
    } else if (d < -300) {
      out->v.f64[i] = 0.0;
    } else {
      double sc = pow(10.0, (double)d);
      double y = x * sc;
      out->v.f64[i] = isfinite(y) ? round_half_away(y) / sc : x;
    }
  }
}
IMPL(round_i64) {
  for (int i = 0; i < n; i++) {
    int64_t d = nArg > 1 ? aArg[1]->v.i64[i] : 0;
    int64_t x = aArg[0]->v.i64[i];
    out->null[i] = (uint8_t)(aArg[0]->null[i] || (nArg > 1 &&
                                                  aArg[1]->null[i]));
    if (out->null[i]) continue;
    if (d >= 0) {
      out->v.i64[i] = x;
    } else if (d < -18) {
      out->v.i64[i] = 0;
    } else {
      int64_t p = 1;
      for (int64_t k = 0; k < -d; k++) p *= 10;
      int64_t q = x / p, r = x % p;
      if (r >= p - r) q++;
      else if (-r >= p + r) q--;
      out->v.i64[i] = (int64_t)((uint64_t)q * (uint64_t)p);
    }
  }
}

static int bind_num1(const char *zMsg, int nArg, const uint8_t *aType,
                     uint8_t *pRet, exec_fn_impl *pImpl, exec_fn_impl xInt,
                     exec_fn_impl xDbl, const char **pzErr) {
  int a = aType[0];
  *pRet = (uint8_t)a;
  if (a == WEIR_NULL_TYPE || any_null_type(nArg, aType)) {
    *pRet = a == WEIR_NULL_TYPE ? WEIR_DOUBLE : (uint8_t)a;
    *pImpl = exec_impl_null;
  } else if (a == WEIR_BIGINT) {
    *pImpl = xInt;
  } else if (a == WEIR_DOUBLE) {
    *pImpl = xDbl;
  } else {
    *pzErr = zMsg;
    return 1;
  }
  for (int k = 1; k < nArg; k++) {
    if (aType[k] != WEIR_BIGINT && aType[k] != WEIR_NULL_TYPE) {
      *pzErr = zMsg;
      return 1;
    }
  }
  return 0;
}
static int bind_abs(int nArg, const uint8_t *aType, uint8_t *pRet,
                    exec_fn_impl *pImpl, const char **pzErr) {
  if (aType[0] == WEIR_INTERVAL) {
    *pRet = WEIR_INTERVAL;
    *pImpl = abs_i64;
    return 0;
  }
  return bind_num1("ABS expects a number", nArg, aType, pRet, pImpl,
                   abs_i64, abs_f64, pzErr);
}
static int bind_sign(int nArg, const uint8_t *aType, uint8_t *pRet,
                     exec_fn_impl *pImpl, const char **pzErr) {
  return bind_num1("SIGN expects a number", nArg, aType, pRet, pImpl,
                   sign_i64, sign_f64, pzErr);
}
static int bind_floor(int nArg, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  return bind_num1("FLOOR expects a number", nArg, aType, pRet, pImpl,
                   ident_impl, floor_f64, pzErr);
}
static int bind_ceil(int nArg, const uint8_t *aType, uint8_t *pRet,
                     exec_fn_impl *pImpl, const char **pzErr) {
  return bind_num1("CEIL expects a number", nArg, aType, pRet, pImpl,
                   ident_impl, ceil_f64, pzErr);
}
static int bind_round(int nArg, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  return bind_num1("ROUND expects (number[, BIGINT])", nArg, aType, pRet,
                   pImpl, round_i64, round_f64, pzErr);
}
static int bind_mod(int nArg, const uint8_t *aType, uint8_t *pRet,
                    exec_fn_impl *pImpl, const char **pzErr) {
  const exec_fn *f = exec_fn_find("%");
  return f->xBind(nArg, aType, pRet, pImpl, pzErr);
}

/* DOUBLE functions of one or two DOUBLE (or BIGINT) arguments; a NaN
** result (domain error) is NULL. */
#define MATH_FN(name, EXPR)                                            \
  IMPL(name##_impl) {                                                  \
    const double *a = exec_vec_f64(ctx, n, aArg[0]);                   \
    const double *b = nArg > 1 ? exec_vec_f64(ctx, n, aArg[1]) : a;    \
    for (int i = 0; i < n; i++) {                                      \
      double r = (EXPR);                                               \
      (void)b;                                                         \
      out->null[i] = (uint8_t)(aArg[0]->null[i] ||                     \
                               (nArg > 1 && aArg[1]->null[i]) ||       \
                               isnan(r));                              \
      out->v.f64[i] = out->null[i] ? 0.0 : r;                          \
    }                                                                  \
  }                                                                    \
  static int bind_##name(int nArg, const uint8_t *aType, uint8_t *pRet, \
                         exec_fn_impl *pImpl, const char **pzErr) {    \
    *pRet = WEIR_DOUBLE;                                               \
    *pImpl = any_null_type(nArg, aType) ? exec_impl_null : name##_impl; \
    for (int k = 0; k < nArg; k++) {                                   \
      if (aType[k] != WEIR_BIGINT && aType[k] != WEIR_DOUBLE &&        \
          aType[k] != WEIR_NULL_TYPE) {                                \
        *pzErr = #name " expects numbers";                             \
        return 1;                                                      \
      }                                                                \
    }                                                                  \
    return 0;                                                          \
  }
MATH_FN(power, pow(a[i], b[i]))
MATH_FN(sqrt, a[i] < 0 ? NAN : sqrt(a[i]))
MATH_FN(exp, exp(a[i]))
MATH_FN(ln, a[i] <= 0 ? NAN : log(a[i]))
MATH_FN(log10, a[i] <= 0 ? NAN : log10(a[i]))

const exec_fn exec_fns_time[] = {
  {"EXTRACT_YEAR", 1, 1, bind_extract_F_YEAR},
  {"EXTRACT_QUARTER", 1, 1, bind_extract_F_QUARTER},
  {"EXTRACT_MONTH", 1, 1, bind_extract_F_MONTH},
  {"EXTRACT_WEEK", 1, 1, bind_extract_F_WEEK},
  {"EXTRACT_DAY", 1, 1, bind_extract_F_DAY},
  {"EXTRACT_HOUR", 1, 1, bind_extract_F_HOUR},
  {"EXTRACT_MINUTE", 1, 1, bind_extract_F_MINUTE},
  {"EXTRACT_SECOND", 1, 1, bind_extract_F_SECOND},
  {"EXTRACT_MILLISECOND", 1, 1, bind_extract_F_MILLISECOND},
  {"EXTRACT_MICROSECOND", 1, 1, bind_extract_F_MICROSECOND},
  {"EXTRACT_DOW", 1, 1, bind_extract_F_DOW},
  {"EXTRACT_DOY", 1, 1, bind_extract_F_DOY},
  {"EXTRACT_EPOCH", 1, 1, bind_extract_F_EPOCH},
  {"EXTRACT_ISODOW", 1, 1, bind_extract_F_ISODOW},
  {"EXTRACT_DAYOFWEEK", 1, 1, bind_extract_F_DOW},
  {"EXTRACT_DAYOFYEAR", 1, 1, bind_extract_F_DOY},
  {"EXTRACT_DAYOFMONTH", 1, 1, bind_extract_F_DAY},
  {"YEAR", 1, 1, bind_extract_F_YEAR},
  {"QUARTER", 1, 1, bind_extract_F_QUARTER},
  {"MONTH", 1, 1, bind_extract_F_MONTH},
  {"WEEK", 1, 1, bind_extract_F_WEEK},
  {"DAYOFMONTH", 1, 1, bind_extract_F_DAY},
  {"DAYOFWEEK", 1, 1, bind_extract_F_DOW},
  {"DAYOFYEAR", 1, 1, bind_extract_F_DOY},
  {"HOUR", 1, 1, bind_extract_F_HOUR},
  {"MINUTE", 1, 1, bind_extract_F_MINUTE},
  {"SECOND", 1, 1, bind_extract_F_SECOND},
  {"DATE_FORMAT", 2, 2, bind_date_format},
  {"TO_TIMESTAMP", 1, 2, bind_to_timestamp},
  {"FROM_UNIXTIME", 1, 2, bind_from_unixtime},
  {"UNIX_TIMESTAMP", 0, 2, bind_unix_timestamp},
  {"NOW", 0, 0, bind_now},
  {"CURRENT_TIMESTAMP", 0, 0, bind_now},
  {"LOCALTIMESTAMP", 0, 0, bind_now},
  {"PROCTIME", 0, 0, bind_now},
  {"ABS", 1, 1, bind_abs},
  {"SIGN", 1, 1, bind_sign},
  {"ROUND", 1, 2, bind_round},
  {"FLOOR", 1, 1, bind_floor},
  {"CEIL", 1, 1, bind_ceil},
  {"CEILING", 1, 1, bind_ceil},
  {"MOD", 2, 2, bind_mod},
  {"POWER", 2, 2, bind_power},
  {"POW", 2, 2, bind_power},
  {"SQRT", 1, 1, bind_sqrt},
  {"EXP", 1, 1, bind_exp},
  {"LN", 1, 1, bind_ln},
  {"LOG10", 1, 1, bind_log10},
  {NULL, 0, 0, NULL}
};

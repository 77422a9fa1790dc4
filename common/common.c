/*
** common/common.c — the counting allocator, arenas, string buffers and
** position helpers declared in common.h. Used by every module.
*/
#include "common/common.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

/* Each allocation carries a 16-byte header recording its size. */
#define HDR 16
static _Atomic int64_t g_mem_used;

static void oom(void) {
  fprintf(stderr, "weir: out of memory\n");
  abort();
}

void *common_malloc(size_t n) {
  char *p = malloc(n + HDR);
  if (!p) oom();
  *(size_t *)p = n;
  atomic_fetch_add(&g_mem_used, (int64_t)n);
  return p + HDR;
}

void *common_calloc(size_t n, size_t size) {
  void *p = common_malloc(n * size);
  memset(p, 0, n * size);
  return p;
}

void *common_realloc(void *p, size_t n) {
  if (!p) return common_malloc(n);
  char *h = (char *)p - HDR;
  size_t old = *(size_t *)h;
  char *q = realloc(h, n + HDR);
  if (!q) oom();
  *(size_t *)q = n;
  atomic_fetch_add(&g_mem_used, (int64_t)n - (int64_t)old);
  return q + HDR;
}

void common_free(void *p) {
  if (!p) return;
  char *h = (char *)p - HDR;
  atomic_fetch_sub(&g_mem_used, (int64_t) * (size_t *)h);
  free(h);
}

char *common_strdup(const char *z) {
  return z ? common_strndup(z, strlen(z)) : NULL;
}

char *common_strndup(const char *z, size_t n) {
  char *p = common_malloc(n + 1);
  memcpy(p, z, n);
  p[n] = 0;
  return p;
}

int64_t common_mem_used(void) { return atomic_load(&g_mem_used); }

/* ---- arena ------------------------------------------------------------ */
struct common_arena_block {
  common_arena_block *pNext;
  size_t cap, used;
  _Alignas(16) char a[];
};

void common_arena_init(common_arena *a, size_t nBlock) {
  a->pHead = NULL;
  a->nBlock = nBlock ? nBlock : 8192;
  a->nUsed = 0;
}

void *common_arena_alloc(common_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  common_arena_block *b = a->pHead;
  if (!b || b->cap - b->used < n) {
    size_t cap = n > a->nBlock ? n : a->nBlock;
    common_arena_block *nb = common_malloc(sizeof(*nb) + cap);
    nb->cap = cap;
    nb->used = 0;
    if (b && n > a->nBlock) {
      /* A big one-off: keep the current block on top for small allocs. */
      nb->pNext = b->pNext;
      b->pNext = nb;
    } else {
      nb->pNext = b;
      a->pHead = nb;
    }
    b = nb;
  }
  void *p = b->a + b->used;
  b->used += n;
  a->nUsed += n;
  return p;
}

void *common_arena_zalloc(common_arena *a, size_t n) {
  void *p = common_arena_alloc(a, n);
  memset(p, 0, n);
  return p;
}

char *common_arena_strndup(common_arena *a, const char *z, size_t n) {
  char *p = common_arena_alloc(a, n + 1);
  memcpy(p, z, n);
  p[n] = 0;
  return p;
}

char *common_arena_strdup(common_arena *a, const char *z) {
  return z ? common_arena_strndup(a, z, strlen(z)) : NULL;
}

char *common_arena_printf(common_arena *a, const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  int n = vsnprintf(NULL, 0, zFmt, ap);
  va_end(ap);
  char *p = common_arena_alloc(a, (size_t)n + 1);
  va_start(ap, zFmt);
  vsnprintf(p, (size_t)n + 1, zFmt, ap);
  va_end(ap);
  return p;
}

void common_arena_reset(common_arena *a) {
  common_arena_block *b = a->pHead;
  if (!b) return;
  /* Keep the largest-capacity first block; free the others. */
  common_arena_block *p = b->pNext;
  while (p) {
    common_arena_block *n = p->pNext;
    common_free(p);
    p = n;
  }
  b->pNext = NULL;
  b->used = 0;
  a->nUsed = 0;
}

void common_arena_free(common_arena *a) {
  common_arena_block *p = a->pHead;
  while (p) {
    common_arena_block *n = p->pNext;
    common_free(p);
    p = n;
  }
  a->pHead = NULL;
  a->nUsed = 0;
}

/* ---- string buffer ---------------------------------------------------- */
void common_buf_init(common_buf *b) { memset(b, 0, sizeof(*b)); }

static void buf_grow(common_buf *b, size_t need) {
  if (b->n + need + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap * 2 : 64;
  while (cap < b->n + need + 1) cap *= 2;
  b->z = common_realloc(b->z, cap);
  b->cap = cap;
}

void common_buf_append(common_buf *b, const char *z, size_t n) {
  buf_grow(b, n);
  memcpy(b->z + b->n, z, n);
  b->n += n;
  b->z[b->n] = 0;
}

void common_buf_puts(common_buf *b, const char *z) {
  common_buf_append(b, z, strlen(z));
}

void common_buf_putc(common_buf *b, char c) { common_buf_append(b, &c, 1); }

void common_buf_vprintf(common_buf *b, const char *zFmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, zFmt, ap2);
  va_end(ap2);
  buf_grow(b, (size_t)n);
  vsnprintf(b->z + b->n, (size_t)n + 1, zFmt, ap);
  b->n += (size_t)n;
}

void common_buf_printf(common_buf *b, const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  common_buf_vprintf(b, zFmt, ap);
  va_end(ap);
}

void common_buf_reset(common_buf *b) {
  b->n = 0;
  if (b->z) b->z[0] = 0;
}

void common_buf_free(common_buf *b) {
  common_free(b->z);
  memset(b, 0, sizeof(*b));
}

char *common_buf_detach(common_buf *b) {
  char *z = b->z;
  if (!z) z = common_strdup("");
  memset(b, 0, sizeof(*b));
  return z;
}

char *common_vmprintf(const char *zFmt, va_list ap) {
  common_buf b;
  common_buf_init(&b);
  common_buf_vprintf(&b, zFmt, ap);
  return common_buf_detach(&b);
}

char *common_mprintf(const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  char *z = common_vmprintf(zFmt, ap);
  va_end(ap);
  return z;
}

/* ---- positions -------------------------------------------------------- */
void common_line_col(const char *zText, int iOff, int *pLine, int *pCol) {
  int line = 1, col = 1;
  for (int i = 0; i < iOff && zText[i]; i++) {
    if (zText[i] == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  *pLine = line;
  *pCol = col;
}

void common_caret(common_buf *b, const char *zText, int iOff) {
  int start = iOff;
  int len = (int)strlen(zText);
  if (start > len) start = len;
  while (start > 0 && zText[start - 1] != '\n') start--;
  int end = start;
  while (end < len && zText[end] != '\n') end++;
  /* A long line shows a window of it around the offending byte. */
  enum { BEFORE = 120, AFTER = 120 };
  int bCutL = 0, bCutR = 0;
  if (iOff - start > BEFORE) {
    start = iOff - BEFORE;
    bCutL = 1;
  }
  if (end - iOff - 1 > AFTER) {
    end = iOff + 1 + AFTER;
    bCutR = 1;
  }
  common_buf_append(b, bCutL ? "  ..." : "  ", bCutL ? 5 : 2);
  common_buf_append(b, zText + start, (size_t)(end - start));
  if (bCutR) common_buf_append(b, "...", 3);
  common_buf_append(b, bCutL ? "\n     " : "\n  ", bCutL ? 6 : 3);
  for (int i = start; i < iOff && i < end; i++)
    common_buf_putc(b, zText[i] == '\t' ? '\t' : ' ');
  common_buf_puts(b, "^");
}

/*
** The value of a duration option such as 'idle.timeout' in microseconds:
** digits, optional spaces, then a unit (ms, s/sec/second(s),
** min/minute(s), h/hour(s); none = milliseconds), or -1 when z is not one
** (or overflows).
*/
int64_t common_duration_us(const char *z) {
  static const struct {
    const char *zUnit;
    int64_t us;
  } aUnit[] = {
      {"", 1000},          {"ms", 1000},           {"s", 1000000},
      {"sec", 1000000},    {"second", 1000000},    {"seconds", 1000000},
      {"min", 60000000},   {"minute", 60000000},   {"minutes", 60000000},
      {"h", 3600000000LL}, {"hour", 3600000000LL}, {"hours", 3600000000LL}};
  int64_t v = 0;
  if (!z || *z < '0' || *z > '9') return -1;
  for (; *z >= '0' && *z <= '9'; z++) {
    if (v > INT64_MAX / 10 / 3600000000LL) return -1;
    v = v * 10 + (*z - '0');
  }
  while (*z == ' ') z++;
  for (size_t i = 0; i < sizeof(aUnit) / sizeof(aUnit[0]); i++) {
    if (common_stricmp(z, aUnit[i].zUnit) == 0) return v * aUnit[i].us;
  }
  return -1;
}

/* ---- misc ------------------------------------------------------------- */
int common_edit_distance(const char *a, const char *b) {
  int la = (int)strlen(a), lb = (int)strlen(b);
  if (la > 64 || lb > 64) return 99;
  int prev[65], cur[65];
  for (int j = 0; j <= lb; j++) prev[j] = j;
  for (int i = 1; i <= la; i++) {
    cur[0] = i;
    for (int j = 1; j <= lb; j++) {
      int cost = tolower((unsigned char)a[i - 1]) !=
                 tolower((unsigned char)b[j - 1]);
      int v = prev[j - 1] + cost;
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      cur[j] = v;
    }
    memcpy(prev, cur, sizeof(int) * (size_t)(lb + 1));
  }
  return prev[lb];
}

int common_stricmp(const char *a, const char *b) { return strcasecmp(a, b); }

int common_strnicmp(const char *a, const char *b, size_t n) {
  return strncasecmp(a, b, n);
}

uint64_t common_hash(const void *p, size_t n, uint64_t seed) {
  return XXH3_64bits_withSeed(p, n, seed);
}

/* ---- time ------------------------------------------------------------- */
/* Howard Hinnant's civil-date algorithms (public domain description). */
int64_t common_days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

void common_civil_from_days(int64_t z, int64_t *py, unsigned *pm,
                            unsigned *pd) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = (int64_t)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *py = y + (m <= 2);
  *pm = m;
  *pd = d;
}

static int digits(const char *z, size_t n, size_t *pi, int k, int *pv) {
  int v = 0;
  for (int j = 0; j < k; j++) {
    if (*pi >= n || z[*pi] < '0' || z[*pi] > '9') return -1;
    v = v * 10 + (z[(*pi)++] - '0');
  }
  *pv = v;
  return 0;
}

/* The fraction after a '.' at z[*pi]: up to 6 digits kept (as us). */
static int frac_us(const char *z, size_t n, size_t *pi, int64_t *pFrac) {
  size_t i = *pi + 1;
  int nd = 0;
  int64_t frac = 0;
  while (i < n && z[i] >= '0' && z[i] <= '9') {
    if (nd < 6) {
      frac = frac * 10 + (z[i] - '0');
      nd++;
    }
    i++;
  }
  if (nd == 0) return -1;
  while (nd++ < 6) frac *= 10;
  *pi = i;
  *pFrac = frac;
  return 0;
}

/* Two digits at z, or -1. */
static int dig2(const char *z) {
  unsigned a = (unsigned)(z[0] - '0'), b = (unsigned)(z[1] - '0');
  return a < 10 && b < 10 ? (int)(a * 10 + b) : -1;
}

/* Is y-m-d a day of the (proleptic Gregorian) calendar? */
static int date_ok(int y, int m, int d) {
  static const unsigned char a[12] = {31, 28, 31, 30, 31, 30,
                                      31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return 0;
  int bLeap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  return d <= (m == 2 && bLeap ? 29 : a[m - 1]);
}

/* The end of a timestamp after its last field at z[i]: 'Z' and spaces. */
static int ts_tail_ok(const char *z, size_t n, size_t i) {
  if (i < n && z[i] == 'Z') i++;
  while (i < n && z[i] == ' ') i++;
  return i == n;
}

int common_ts_parse(const char *z, size_t n, int64_t *pUs) {
  size_t i = 0;
  int y, mo, d, h = 0, mi = 0, s = 0;
  int64_t frac = 0;
  /* Rows in time order mostly share their minute: the last
  ** 'YYYY-MM-DD HH:MM' read in the usual layout is kept with its time,
  ** and a row that starts with it only has its seconds read. */
  static _Thread_local char tlMin[16];
  static _Thread_local int64_t tlMinUs = INT64_MIN;
  if (n >= 19 && tlMinUs != INT64_MIN && memcmp(z, tlMin, 16) == 0 &&
      z[16] == ':' && (s = dig2(z + 17)) >= 0 && s <= 60) {
    i = 19;
    if (i < n && z[i] == '.' && frac_us(z, n, &i, &frac)) return -1;
    if (!ts_tail_ok(z, n, i)) return -1;
    *pUs = tlMinUs + s * 1000000LL + frac;
    return 0;
  }
  /* The usual layout, 'YYYY-MM-DD HH:MM:SS', read at fixed places. */
  int bFixed = 0;
  if (n >= 19 && z[4] == '-' && z[7] == '-' && (z[10] == ' ' || z[10] == 'T') &&
      z[13] == ':' && z[16] == ':') {
    static const unsigned char aAt[7] = {0, 2, 5, 8, 11, 14, 17};
    int a[7], bad = 0;
    for (int k = 0; k < 7; k++) bad |= a[k] = dig2(z + aAt[k]);
    if (bad >= 0) {
      y = a[0] * 100 + a[1];
      mo = a[2];
      d = a[3];
      h = a[4];
      mi = a[5];
      s = a[6];
      i = 19;
      if (i < n && z[i] == '.' && frac_us(z, n, &i, &frac)) return -1;
      if (!date_ok(y, mo, d)) return -1;
      if (h > 23 || mi > 59 || s > 60) return -1;
      bFixed = 1;
    }
  }
  if (!bFixed) {
    while (i < n && z[i] == ' ') i++;
    if (digits(z, n, &i, 4, &y) || i >= n || z[i++] != '-') return -1;
    if (digits(z, n, &i, 2, &mo) || i >= n || z[i++] != '-') return -1;
    if (digits(z, n, &i, 2, &d)) return -1;
    if (!date_ok(y, mo, d)) return -1;
    if (i < n && (z[i] == ' ' || z[i] == 'T')) {
      i++;
      if (digits(z, n, &i, 2, &h) || i >= n || z[i++] != ':') return -1;
      if (digits(z, n, &i, 2, &mi)) return -1;
      if (i < n && z[i] == ':') {
        i++;
        if (digits(z, n, &i, 2, &s)) return -1;
        if (i < n && z[i] == '.' && frac_us(z, n, &i, &frac)) return -1;
      }
      if (h > 23 || mi > 59 || s > 60) return -1;
    }
  }
  if (!ts_tail_ok(z, n, i)) return -1;
  int64_t minUs = (common_days_from_civil(y, (unsigned)mo, (unsigned)d) * 1440 +
                   h * 60 + mi) * 60000000LL;
  if (bFixed) {
    memcpy(tlMin, z, 16);
    tlMinUs = minUs;
  }
  *pUs = minUs + s * 1000000LL + frac;
  return 0;
}

static char *put2(char *z, unsigned v) {
  z[0] = (char)('0' + v / 10);
  z[1] = (char)('0' + v % 10);
  return z + 2;
}

/* Hand-written (no snprintf): sinks format a timestamp per output row. */
int common_ts_format(char *zOut, int64_t us) {
  int64_t secs = us / 1000000, frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  /* Rows in a batch mostly share a date and often a second: keep the
  ** last few seconds formatted (per thread, direct-mapped by the second,
  ** so a row's window_start and window_end keep theirs; years 0..9999,
  ** the 19-byte form). */
  static _Thread_local struct {
    int64_t secs;
    char z[19];
  } tlSec[8] = {{INT64_MIN, {0}}, {INT64_MIN, {0}}, {INT64_MIN, {0}},
                {INT64_MIN, {0}}, {INT64_MIN, {0}}, {INT64_MIN, {0}},
                {INT64_MIN, {0}}, {INT64_MIN, {0}}};
  char *z = zOut;
  int iC = (int)(secs & 7);
  if (tlSec[iC].secs == secs) {
    memcpy(z, tlSec[iC].z, 19);
    z += 19;
  } else {
    int64_t y;
    unsigned m, d;
    common_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
      z += snprintf(z, 16, "%04lld", (long long)y);
    } else {
      z = put2(z, (unsigned)(y / 100));
      z = put2(z, (unsigned)(y % 100));
    }
    *z++ = '-';
    z = put2(z, m);
    *z++ = '-';
    z = put2(z, d);
    *z++ = ' ';
    z = put2(z, (unsigned)(rem / 3600));
    *z++ = ':';
    z = put2(z, (unsigned)(rem / 60 % 60));
    *z++ = ':';
    z = put2(z, (unsigned)(rem % 60));
    if (z - zOut == 19) {
      memcpy(tlSec[iC].z, zOut, 19);
      tlSec[iC].secs = secs;
    }
  }
  if (frac) {
    int nDigit = frac % 1000 == 0 ? 3 : 6;
    int64_t f = nDigit == 3 ? frac / 1000 : frac;
    *z++ = '.';
    for (int i = nDigit - 1; i >= 0; i--) {
      z[i] = (char)('0' + f % 10);
      f /= 10;
    }
    z += nDigit;
  }
  *z = 0;
  return (int)(z - zOut);
}

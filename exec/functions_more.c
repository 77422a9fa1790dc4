/*
** exec/functions_more.c — scalar functions beyond the foundation list,
** for the Flink / NEXMark queries people bring: IF, GREATEST, LEAST,
** INSTR, LOCATE, POSITION, LEFT, RIGHT, LPAD, RPAD, INITCAP, REPEAT,
** REVERSE, SPLIT_INDEX, REGEXP / REGEXP_LIKE, REGEXP_EXTRACT,
** REGEXP_REPLACE and DATE_TRUNC. Registered through exec_fn_find().
**
** Semantics (Flink's unless noted):
**   IF(c, a, b) is CASE WHEN c THEN a ELSE b END.
**   GREATEST/LEAST are NULL when any argument is NULL.
**   Positions count UTF-8 characters from 1; 0 means not found.
**   INSTR(s, sub) (SQLite order), LOCATE(sub, s[, from]),
**   POSITION(sub, s) (the planner's spelling of POSITION(sub IN s)).
**   LPAD/RPAD(s, len, pad) truncate s to len characters when longer; an
**   empty pad leaves s as it is; a negative len gives NULL.
**   SPLIT_INDEX(s, delim, i): the i-th (from 0) piece, NULL past the end.
**   Regular expressions are POSIX extended (regcomp(3)), not Java's:
**   no \d or lazy quantifiers. REGEXP_EXTRACT(s, re[, g]) returns group g
**   (default 1, or 0 when re has no group), NULL when nothing matches;
**   REGEXP_REPLACE(s, re, r) replaces every match, with $0-$9 in r
**   standing for groups. An invalid pattern is a runtime error.
**   DATE_TRUNC(unit, ts) with unit 'year' 'quarter' 'month' 'week'
**   (Monday) 'day' 'hour' 'minute' 'second' 'millisecond' (any case), as
**   in PostgreSQL; an unknown unit gives NULL.
*/
#include <math.h>
#include <regex.h>
#include <string.h>

#include "exec/exec.h"
#include "exec/functions_int.h"

#define IMPL(name)                                                     \
  static void name(exec_eval_ctx *ctx, int n, const exec_vec *const *aArg, \
                   int nArg, exec_vec *out)

static int any_null_type(int nArg, const uint8_t *aType) {
  for (int i = 0; i < nArg; i++) {
    if (aType[i] == WEIR_NULL_TYPE) return 1;
  }
  return 0;
}

/* Nonzero if row i of any argument is NULL. */
static int any_null_row(const exec_vec *const *aArg, int nArg, int i) {
  for (int k = 0; k < nArg; k++) {
    if (aArg[k]->null[i]) return 1;
  }
  return 0;
}

/* Check argument types against zSig: 'S' VARCHAR, 'I' BIGINT, 'T'
** TIMESTAMP, per position (the last letter repeats). */
static int check_sig(const char *zSig, int nArg, const uint8_t *aType,
                     const char *zMsg, const char **pzErr) {
  size_t nSig = strlen(zSig);
  for (int k = 0; k < nArg; k++) {
    char c = zSig[(size_t)k < nSig ? (size_t)k : nSig - 1];
    int want = c == 'S' ? WEIR_VARCHAR : c == 'I' ? WEIR_BIGINT
                                                  : WEIR_TIMESTAMP;
    if (aType[k] != want && aType[k] != WEIR_NULL_TYPE) {
      *pzErr = zMsg;
      return 1;
    }
  }
  return 0;
}

static int utf8_len(unsigned char c) {
  if (c < 0xC0) return 1;
  if (c < 0xE0) return 2;
  if (c < 0xF0) return 3;
  return 4;
}
static int64_t utf8_count(const char *z, uint32_t n) {
  int64_t k = 0;
  for (uint32_t i = 0; i < n; i++) k += ((unsigned char)z[i] & 0xC0) != 0x80;
  return k;
}
/* Byte offset of character iChar (clamped to n). */
static uint32_t utf8_offset(const char *z, uint32_t n, int64_t iChar) {
  uint32_t i = 0;
  while (iChar > 0 && i < n) {
    i += (uint32_t)utf8_len((unsigned char)z[i]);
    iChar--;
  }
  return i < n ? i : n;
}

/* Byte offset of the first occurrence of f in s at or after byte iFrom,
** or -1. */
static int64_t find_bytes(exec_str s, exec_str f, uint32_t iFrom) {
  if (f.n == 0) return iFrom <= s.n ? (int64_t)iFrom : -1;
  for (uint32_t i = iFrom; i + f.n <= s.n; i++) {
    if (s.p[i] == f.p[0] && memcmp(s.p + i, f.p, f.n) == 0) return i;
  }
  return -1;
}

/* ---- IF, GREATEST, LEAST ----------------------------------------------- */

static int bind_if(int nArg, const uint8_t *aType, uint8_t *pRet,
                   exec_fn_impl *pImpl, const char **pzErr) {
  return exec_fn_find("CASE")->xBind(nArg, aType, pRet, pImpl, pzErr);
}

static void extreme(int n, const exec_vec *const *aArg, int nArg,
                    exec_vec *out, int bGreatest) {
  for (int i = 0; i < n; i++) {
    if (any_null_row(aArg, nArg, i)) {
      out->null[i] = 1;
      continue;
    }
    int best = 0;
    for (int k = 1; k < nArg; k++) {
      int c = exec_slot_cmp(aArg[k], i, aArg[best], i);
      if (bGreatest ? c > 0 : c < 0) best = k;
    }
    exec_slot_copy(out, i, aArg[best], i);
  }
}
IMPL(greatest_impl) { extreme(n, aArg, nArg, out, 1); }
IMPL(least_impl) { extreme(n, aArg, nArg, out, 0); }

static int bind_extreme(int nArg, const uint8_t *aType, uint8_t *pRet,
                        exec_fn_impl *pImpl, exec_fn_impl x,
                        const char **pzErr) {
  int t = WEIR_NULL_TYPE;
  for (int k = 0; k < nArg; k++) {
    int u = exec_types_unify(t, aType[k]);
    if (u < 0) {
      *pzErr = "GREATEST/LEAST arguments have incompatible types";
      return 1;
    }
    t = u;
  }
  *pRet = (uint8_t)t;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : x;
  return 0;
}
static int bind_greatest(int nArg, const uint8_t *aType, uint8_t *pRet,
                         exec_fn_impl *pImpl, const char **pzErr) {
  return bind_extreme(nArg, aType, pRet, pImpl, greatest_impl, pzErr);
}
static int bind_least(int nArg, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  return bind_extreme(nArg, aType, pRet, pImpl, least_impl, pzErr);
}

/* ---- positions ---------------------------------------------------------- */

/* Character position (1-based) of sub in s from character iFrom (1-based),
** 0 when absent. */
static int64_t position(exec_str s, exec_str sub, int64_t iFrom) {
  if (iFrom < 1) return 0;
  uint32_t b0 = utf8_offset(s.p, s.n, iFrom - 1);
  if (iFrom - 1 > utf8_count(s.p, s.n)) return 0;
  int64_t at = find_bytes(s, sub, b0);
  if (at < 0) return 0;
  return utf8_count(s.p, (uint32_t)at) + 1;
}

/* aArg order: iHay, iNeedle; optional from. */
static void position_vec(int n, const exec_vec *const *aArg, int nArg,
                         exec_vec *out, int iHay, int iNeedle) {
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    int64_t iFrom = nArg > 2 ? aArg[2]->v.i64[i] : 1;
    out->v.i64[i] = position(aArg[iHay]->v.s[i], aArg[iNeedle]->v.s[i],
                             iFrom);
  }
}
IMPL(instr_impl) { position_vec(n, aArg, nArg, out, 0, 1); }
IMPL(locate_impl) { position_vec(n, aArg, nArg, out, 1, 0); }

static int bind_instr(int nArg, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BIGINT;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : instr_impl;
  return check_sig("S", nArg, aType, "INSTR expects VARCHAR", pzErr);
}
static int bind_locate(int nArg, const uint8_t *aType, uint8_t *pRet,
                       exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BIGINT;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : locate_impl;
  return check_sig("SSI", nArg, aType,
                   "LOCATE expects (VARCHAR, VARCHAR[, BIGINT])", pzErr);
}

/* ---- LEFT, RIGHT, LPAD, RPAD, REPEAT, REVERSE, INITCAP ------------------- */

IMPL(left_impl) {
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    exec_str s = aArg[0]->v.s[i];
    int64_t k = aArg[1]->v.i64[i];
    out->v.s[i].p = s.p;
    out->v.s[i].n = k <= 0 ? 0 : utf8_offset(s.p, s.n, k);
  }
}
IMPL(right_impl) {
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    exec_str s = aArg[0]->v.s[i];
    int64_t k = aArg[1]->v.i64[i], nc = utf8_count(s.p, s.n);
    uint32_t b = k <= 0 ? s.n : k >= nc ? 0 : utf8_offset(s.p, s.n, nc - k);
    out->v.s[i].p = s.p + b;
    out->v.s[i].n = s.n - b;
  }
}
static int bind_left_right(int nArg, const uint8_t *aType, uint8_t *pRet,
                           exec_fn_impl *pImpl, exec_fn_impl x,
                           const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : x;
  return check_sig("SI", nArg, aType, "LEFT/RIGHT expect (VARCHAR, BIGINT)",
                   pzErr);
}
static int bind_left(int nArg, const uint8_t *aType, uint8_t *pRet,
                     exec_fn_impl *pImpl, const char **pzErr) {
  return bind_left_right(nArg, aType, pRet, pImpl, left_impl, pzErr);
}
static int bind_right(int nArg, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  return bind_left_right(nArg, aType, pRet, pImpl, right_impl, pzErr);
}

/* Longest string these functions build (1 MiB), to bound REPEAT/LPAD. */
#define MAX_BUILT (1 << 20)

static void pad_vec(exec_eval_ctx *ctx, int n, const exec_vec *const *aArg,
                    int nArg, exec_vec *out, int bLeft) {
  exec_sbuf sb = {ctx->pScratch, NULL, 0};
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    exec_str s = aArg[0]->v.s[i], pad = aArg[2]->v.s[i];
    int64_t len = aArg[1]->v.i64[i], nc = utf8_count(s.p, s.n);
    if (len < 0 || len > MAX_BUILT) {
      out->null[i] = 1;
      continue;
    }
    if (len <= nc || pad.n == 0) {
      out->v.s[i].p = s.p;
      out->v.s[i].n = len <= nc ? utf8_offset(s.p, s.n, len) : s.n;
      continue;
    }
    int64_t nPad = len - nc;
    char *z = exec_sbuf_room(&sb, (size_t)nPad * pad.n + s.n);
    size_t m = 0;
    if (!bLeft) {
      memcpy(z, s.p, s.n);
      m = s.n;
    }
    /* nPad characters cycling through pad. */
    uint32_t j = 0;
    for (int64_t k = 0; k < nPad; k++) {
      int l = utf8_len((unsigned char)pad.p[j]);
      if (j + (uint32_t)l > pad.n) l = (int)(pad.n - j);
      memcpy(z + m, pad.p + j, (size_t)l);
      m += (size_t)l;
      j += (uint32_t)l;
      if (j >= pad.n) j = 0;
    }
    if (bLeft) {
      memcpy(z + m, s.p, s.n);
      m += s.n;
    }
    out->v.s[i] = exec_sbuf_commit(&sb, m);
  }
}
IMPL(lpad_impl) { pad_vec(ctx, n, aArg, nArg, out, 1); }
IMPL(rpad_impl) { pad_vec(ctx, n, aArg, nArg, out, 0); }
static int bind_lpad(int nArg, const uint8_t *aType, uint8_t *pRet,
                     exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : lpad_impl;
  return check_sig("SIS", nArg, aType,
                   "LPAD expects (VARCHAR, BIGINT, VARCHAR)", pzErr);
}
static int bind_rpad(int nArg, const uint8_t *aType, uint8_t *pRet,
                     exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : rpad_impl;
  return check_sig("SIS", nArg, aType,
                   "RPAD expects (VARCHAR, BIGINT, VARCHAR)", pzErr);
}

IMPL(repeat_impl) {
  exec_sbuf sb = {ctx->pScratch, NULL, 0};
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    exec_str s = aArg[0]->v.s[i];
    int64_t k = aArg[1]->v.i64[i];
    if (k <= 0 || s.n == 0) {
      out->v.s[i] = (exec_str){"", 0};
      continue;
    }
    if (k > MAX_BUILT / s.n) {
      out->null[i] = 1;
      continue;
    }
    char *z = exec_sbuf_room(&sb, (size_t)k * s.n);
    for (int64_t j = 0; j < k; j++) memcpy(z + (size_t)j * s.n, s.p, s.n);
    out->v.s[i] = exec_sbuf_commit(&sb, (size_t)k * s.n);
  }
}
static int bind_repeat(int nArg, const uint8_t *aType, uint8_t *pRet,
                       exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : repeat_impl;
  return check_sig("SI", nArg, aType, "REPEAT expects (VARCHAR, BIGINT)",
                   pzErr);
}

IMPL(reverse_impl) {
  exec_sbuf sb = {ctx->pScratch, NULL, 0};
  for (int i = 0; i < n; i++) {
    out->null[i] = aArg[0]->null[i] != 0;
    if (out->null[i]) continue;
    exec_str s = aArg[0]->v.s[i];
    char *z = exec_sbuf_room(&sb, s.n ? s.n : 1);
    uint32_t j = 0;
    while (j < s.n) {
      uint32_t l = (uint32_t)utf8_len((unsigned char)s.p[j]);
      if (j + l > s.n) l = s.n - j;
      memcpy(z + s.n - j - l, s.p + j, l);
      j += l;
    }
    out->v.s[i] = exec_sbuf_commit(&sb, s.n);
  }
}
IMPL(initcap_impl) {
  exec_sbuf sb = {ctx->pScratch, NULL, 0};
  for (int i = 0; i < n; i++) {
    out->null[i] = aArg[0]->null[i] != 0;
    if (out->null[i]) continue;
    exec_str s = aArg[0]->v.s[i];
    char *z = exec_sbuf_room(&sb, s.n ? s.n : 1);
    int bStart = 1;
    for (uint32_t j = 0; j < s.n; j++) {
      char c = s.p[j];
      int bAlnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
      if (bStart && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
      else if (!bStart && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      z[j] = c;
      bStart = !bAlnum;
    }
    out->v.s[i] = exec_sbuf_commit(&sb, s.n);
  }
}
static int bind_reverse(int nArg, const uint8_t *aType, uint8_t *pRet,
                        exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : reverse_impl;
  return check_sig("S", nArg, aType, "REVERSE expects VARCHAR", pzErr);
}
static int bind_initcap(int nArg, const uint8_t *aType, uint8_t *pRet,
                        exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : initcap_impl;
  return check_sig("S", nArg, aType, "INITCAP expects VARCHAR", pzErr);
}

/* ---- SPLIT_INDEX -------------------------------------------------------- */

IMPL(split_index_impl) {
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    exec_str s = aArg[0]->v.s[i], d = aArg[1]->v.s[i];
    int64_t k = aArg[2]->v.i64[i];
    if (k < 0 || d.n == 0) {
      out->null[i] = 1;
      continue;
    }
    uint32_t b = 0;
    for (;;) {
      int64_t at = find_bytes(s, d, b);
      uint32_t e = at < 0 ? s.n : (uint32_t)at;
      if (k == 0) {
        out->v.s[i].p = s.p + b;
        out->v.s[i].n = e - b;
        break;
      }
      if (at < 0) {
        out->null[i] = 1;
        break;
      }
      b = e + d.n;
      k--;
    }
  }
}
static int bind_split_index(int nArg, const uint8_t *aType, uint8_t *pRet,
                            exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : split_index_impl;
  return check_sig("SSI", nArg, aType,
                   "SPLIT_INDEX expects (VARCHAR, VARCHAR, BIGINT)", pzErr);
}

/* ---- regular expressions ---------------------------------------------- */

/* The last compiled pattern, reused while rows repeat it. */
typedef struct re_cache {
  int bValid;
  exec_str pat;
  regex_t re;
} re_cache;

/* The compiled regex for pattern p, or NULL (error set in ctx). */
static regex_t *re_get(exec_eval_ctx *ctx, re_cache *c, exec_str p) {
  if (c->bValid && c->pat.n == p.n &&
      (p.n == 0 || memcmp(c->pat.p, p.p, p.n) == 0)) {
    return &c->re;
  }
  if (c->bValid) regfree(&c->re);
  c->bValid = 0;
  char *z = common_arena_alloc(ctx->pScratch, p.n + 1);
  if (p.n) memcpy(z, p.p, p.n);
  z[p.n] = 0;
  if (regcomp(&c->re, z, REG_EXTENDED)) {
    if (!ctx->zErr) ctx->zErr = "invalid regular expression";
    return NULL;
  }
  c->bValid = 1;
  c->pat = (exec_str){z, p.n};
  return &c->re;
}

/* Match re against s[from..] (REG_STARTEND: no NUL needed). */
static int rx_match(regex_t *re, exec_str s, uint32_t from, regmatch_t *m,
                    size_t nm, int eflags) {
  m[0].rm_so = (regoff_t)from;
  m[0].rm_eo = (regoff_t)s.n;
  return regexec(re, s.p ? s.p : "", nm, m, eflags | REG_STARTEND) == 0;
}

IMPL(regexp_impl) {
  re_cache c = {0};
  regmatch_t m[1];
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    regex_t *re = re_get(ctx, &c, aArg[1]->v.s[i]);
    if (!re) {
      out->null[i] = 1;
      continue;
    }
    out->v.b[i] = (uint8_t)rx_match(re, aArg[0]->v.s[i], 0, m, 1, 0);
  }
  if (c.bValid) regfree(&c.re);
}
IMPL(regexp_extract_impl) {
  re_cache c = {0};
  regmatch_t m[10];
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    regex_t *re = re_get(ctx, &c, aArg[1]->v.s[i]);
    int64_t g = nArg > 2 ? aArg[2]->v.i64[i] : (re && re->re_nsub ? 1 : 0);
    exec_str s = aArg[0]->v.s[i];
    if (!re || g < 0 || g > 9 || (size_t)g > re->re_nsub ||
        !rx_match(re, s, 0, m, 10, 0) || m[g].rm_so < 0) {
      out->null[i] = 1;
      continue;
    }
    out->v.s[i].p = s.p + m[g].rm_so;
    out->v.s[i].n = (uint32_t)(m[g].rm_eo - m[g].rm_so);
  }
  if (c.bValid) regfree(&c.re);
}
IMPL(regexp_replace_impl) {
  re_cache c = {0};
  regmatch_t m[10];
  common_buf b;
  common_buf_init(&b);
  exec_sbuf sb = {ctx->pScratch, NULL, 0};
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    regex_t *re = re_get(ctx, &c, aArg[1]->v.s[i]);
    if (!re) {
      out->null[i] = 1;
      continue;
    }
    exec_str s = aArg[0]->v.s[i], r = aArg[2]->v.s[i];
    uint32_t from = 0;
    common_buf_reset(&b);
    while (from <= s.n &&
           rx_match(re, s, from, m, 10, from ? REG_NOTBOL : 0)) {
      common_buf_append(&b, s.p + from, (size_t)m[0].rm_so - from);
      for (uint32_t j = 0; j < r.n; j++) {
        if (r.p[j] == '$' && j + 1 < r.n && r.p[j + 1] >= '0' &&
            r.p[j + 1] <= '9') {
          int g = r.p[++j] - '0';
          if ((size_t)g <= re->re_nsub && m[g].rm_so >= 0) {
            common_buf_append(&b, s.p + m[g].rm_so,
                              (size_t)(m[g].rm_eo - m[g].rm_so));
          }
        } else {
          common_buf_putc(&b, r.p[j]);
        }
      }
      if (m[0].rm_eo == m[0].rm_so) {
        /* Empty match: copy one character and move on. */
        if ((uint32_t)m[0].rm_eo >= s.n) {
          from = s.n + 1;
          break;
        }
        common_buf_putc(&b, s.p[m[0].rm_eo]);
        from = (uint32_t)m[0].rm_eo + 1;
      } else {
        from = (uint32_t)m[0].rm_eo;
      }
    }
    if (from < s.n) common_buf_append(&b, s.p + from, s.n - from);
    char *z = exec_sbuf_room(&sb, b.n ? b.n : 1);
    if (b.n) memcpy(z, b.z, b.n);
    out->v.s[i] = exec_sbuf_commit(&sb, b.n);
  }
  common_buf_free(&b);
  if (c.bValid) regfree(&c.re);
}
static int bind_regexp(int nArg, const uint8_t *aType, uint8_t *pRet,
                       exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BOOLEAN;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : regexp_impl;
  return check_sig("S", nArg, aType, "REGEXP expects VARCHAR", pzErr);
}
static int bind_regexp_extract(int nArg, const uint8_t *aType,
                               uint8_t *pRet, exec_fn_impl *pImpl,
                               const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : regexp_extract_impl;
  return check_sig("SSI", nArg, aType,
                   "REGEXP_EXTRACT expects (VARCHAR, VARCHAR[, BIGINT])",
                   pzErr);
}
static int bind_regexp_replace(int nArg, const uint8_t *aType,
                               uint8_t *pRet, exec_fn_impl *pImpl,
                               const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : regexp_replace_impl;
  return check_sig("S", nArg, aType, "REGEXP_REPLACE expects VARCHAR",
                   pzErr);
}

/* ---- DATE_TRUNC --------------------------------------------------------- */

IMPL(date_trunc_impl) {
  static const char *azUnit[] = {"microsecond", "millisecond", "second",
                                 "minute", "hour", "day", "week", "month",
                                 "quarter", "year"};
  static const int64_t aUs[] = {1, 1000, 1000000, 60000000LL,
                                3600000000LL, 86400000000LL};
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    exec_str u = aArg[0]->v.s[i];
    int64_t us = aArg[1]->v.i64[i];
    int k;
    for (k = 0; k < COMMON_ARRAY_SIZE(azUnit); k++) {
      if (strlen(azUnit[k]) == u.n &&
          common_strnicmp(u.p, azUnit[k], u.n) == 0) {
        break;
      }
    }
    if (k == COMMON_ARRAY_SIZE(azUnit)) {
      out->null[i] = 1;
      continue;
    }
    if (k < COMMON_ARRAY_SIZE(aUs)) {
      int64_t r = us % aUs[k];
      if (r < 0) r += aUs[k];
      out->null[i] = us < INT64_MIN + r;   /* would leave the range */
      out->v.i64[i] = out->null[i] ? 0 : us - r;
      continue;
    }
    exec_tm t;
    exec_tm_split(us, &t);
    int64_t days;
    if (k == 6) {   /* week: back to Monday */
      int64_t d0 = us / 86400000000LL - (us % 86400000000LL < 0);
      days = d0 - (t.dow + 6) % 7;
    } else {
      int m = k == 7 ? t.month : k == 8 ? (t.month - 1) / 3 * 3 + 1 : 1;
      days = common_days_from_civil(t.year, (unsigned)m, 1);
    }
    out->null[i] = (uint8_t)__builtin_mul_overflow(days, 86400000000LL,
                                                   &out->v.i64[i]);
  }
}
static int bind_date_trunc(int nArg, const uint8_t *aType, uint8_t *pRet,
                           exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_TIMESTAMP;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : date_trunc_impl;
  return check_sig("ST", nArg, aType,
                   "DATE_TRUNC expects (VARCHAR, TIMESTAMP)", pzErr);
}

/* ---- CONCAT_WS, TO_TIMESTAMP_LTZ, TRUNCATE ------------------------------ */

/* CONCAT_WS(sep, a, ...): NULL when sep is NULL; NULL arguments are
** skipped; non-VARCHAR arguments are converted as CAST does. */
IMPL(concat_ws_impl) {
  const exec_vec **aS = common_arena_alloc(ctx->pScratch,
                                           sizeof(*aS) * (size_t)nArg);
  for (int k = 0; k < nArg; k++) {
    aS[k] = aArg[k];
    if (aArg[k]->type != WEIR_VARCHAR) {
      exec_vec *t = exec_vec_new(ctx->pScratch, WEIR_VARCHAR);
      exec_cast(ctx, n, aArg[k], t);
      aS[k] = t;
    }
  }
  exec_sbuf sb = {ctx->pScratch, NULL, 0};
  for (int i = 0; i < n; i++) {
    out->null[i] = aS[0]->null[i] != 0;
    if (out->null[i]) continue;
    exec_str sep = aS[0]->v.s[i];
    size_t m = 0;
    int nPart = 0;
    for (int k = 1; k < nArg; k++) {
      if (aS[k]->null[i]) continue;
      m += aS[k]->v.s[i].n + (nPart++ ? sep.n : 0);
    }
    char *z = exec_sbuf_room(&sb, m ? m : 1);
    size_t j = 0;
    nPart = 0;
    for (int k = 1; k < nArg; k++) {
      if (aS[k]->null[i]) continue;
      exec_str x = aS[k]->v.s[i];
      if (nPart++ && sep.n) {
        memcpy(z + j, sep.p, sep.n);
        j += sep.n;
      }
      if (x.n) memcpy(z + j, x.p, x.n);
      j += x.n;
    }
    out->v.s[i] = exec_sbuf_commit(&sb, j);
  }
}
static int bind_concat_ws(int nArg, const uint8_t *aType, uint8_t *pRet,
                          exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = aType[0] == WEIR_NULL_TYPE ? exec_impl_null : concat_ws_impl;
  return 0;
}

/* TO_TIMESTAMP_LTZ(n[, precision]): n seconds (precision 0) or
** milliseconds (3, the default) since the epoch; other precisions and
** out-of-range values give NULL. */
IMPL(to_timestamp_ltz_impl) {
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    int64_t p = nArg > 1 ? aArg[1]->v.i64[i] : 3;
    int64_t x = aArg[0]->v.i64[i];
    int64_t mul = p == 0 ? 1000000 : p == 3 ? 1000 : 0;
    if (!mul || x > INT64_MAX / mul || x < INT64_MIN / mul) {
      out->null[i] = 1;
      continue;
    }
    out->v.i64[i] = x * mul;
  }
}
static int bind_to_timestamp_ltz(int nArg, const uint8_t *aType,
                                 uint8_t *pRet, exec_fn_impl *pImpl,
                                 const char **pzErr) {
  *pRet = WEIR_TIMESTAMP;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null
                                      : to_timestamp_ltz_impl;
  return check_sig("I", nArg, aType,
                   "TO_TIMESTAMP_LTZ expects (BIGINT[, BIGINT])", pzErr);
}

/* TRUNCATE(x[, d]): x cut toward zero to d decimals (d < 0: to tens,
** hundreds...). BIGINT stays BIGINT. */
IMPL(truncate_f64) {
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    double x = aArg[0]->v.f64[i];
    int64_t d = nArg > 1 ? aArg[1]->v.i64[i] : 0;
    if (d > 300 || !isfinite(x)) {
      out->v.f64[i] = x;
    } else if (d < -300) {
      out->v.f64[i] = 0.0;
    } else {
      double sc = pow(10.0, (double)d), y = x * sc;
      out->v.f64[i] = isfinite(y) ? trunc(y) / sc : x;
    }
  }
}
IMPL(truncate_i64) {
  for (int i = 0; i < n; i++) {
    out->null[i] = (uint8_t)any_null_row(aArg, nArg, i);
    if (out->null[i]) continue;
    int64_t x = aArg[0]->v.i64[i], d = nArg > 1 ? aArg[1]->v.i64[i] : 0;
    if (d >= 0) {
      out->v.i64[i] = x;
    } else if (d < -18) {
      out->v.i64[i] = 0;
    } else {
      int64_t p = 1;
      for (int64_t k = 0; k < -d; k++) p *= 10;
      out->v.i64[i] = x / p * p;
    }
  }
}
static int bind_truncate(int nArg, const uint8_t *aType, uint8_t *pRet,
                         exec_fn_impl *pImpl, const char **pzErr) {
  int a = aType[0];
  *pRet = a == WEIR_NULL_TYPE ? WEIR_DOUBLE : (uint8_t)a;
  *pImpl = a == WEIR_BIGINT ? truncate_i64 : truncate_f64;
  if (any_null_type(nArg, aType)) *pImpl = exec_impl_null;
  if ((a != WEIR_BIGINT && a != WEIR_DOUBLE && a != WEIR_NULL_TYPE) ||
      (nArg > 1 && aType[1] != WEIR_BIGINT && aType[1] != WEIR_NULL_TYPE)) {
    *pzErr = "TRUNCATE expects (number[, BIGINT])";
    return 1;
  }
  return 0;
}

const exec_fn exec_fns_more[] = {
  {"IF", 3, 3, bind_if},
  {"GREATEST", 1, -1, bind_greatest},
  {"LEAST", 1, -1, bind_least},
  {"INSTR", 2, 2, bind_instr},
  {"LOCATE", 2, 3, bind_locate},
  {"POSITION", 2, 2, bind_locate},
  {"LEFT", 2, 2, bind_left},
  {"RIGHT", 2, 2, bind_right},
  {"LPAD", 3, 3, bind_lpad},
  {"RPAD", 3, 3, bind_rpad},
  {"REPEAT", 2, 2, bind_repeat},
  {"REVERSE", 1, 1, bind_reverse},
  {"INITCAP", 1, 1, bind_initcap},
  {"SPLIT_INDEX", 3, 3, bind_split_index},
  {"REGEXP", 2, 2, bind_regexp},
  {"REGEXP_LIKE", 2, 2, bind_regexp},
  {"REGEXP_EXTRACT", 2, 3, bind_regexp_extract},
  {"REGEXP_REPLACE", 3, 3, bind_regexp_replace},
  {"DATE_TRUNC", 2, 2, bind_date_trunc},
  {"CONCAT_WS", 2, -1, bind_concat_ws},
  {"TO_TIMESTAMP_LTZ", 1, 2, bind_to_timestamp_ltz},
  {"TRUNCATE", 1, 2, bind_truncate},
  {NULL, 0, 0, NULL}
};

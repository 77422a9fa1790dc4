/*
** exec/functions_str.c — string scalar functions: LOWER, UPPER, SUBSTR /
** SUBSTRING, LENGTH / CHAR_LENGTH, TRIM / LTRIM / RTRIM, CONCAT and ||,
** REPLACE, and the LIKE operator. Registered through exec_fn_find()
** (functions.c).
**
** Strings are bytes; LENGTH, SUBSTR and LIKE's "_" count UTF-8 characters
** (a byte that is not a continuation byte starts a character). LOWER and
** UPPER change ASCII letters only. Results that need new bytes get one
** allocation per batch in ctx->pScratch; TRIM and SUBSTR point into their
** input. CONCAT and || return NULL when any argument is NULL (as in
** Flink); non-VARCHAR arguments are converted as CAST(x AS VARCHAR) does.
** LIKE is case-sensitive, with % and _ and an optional one-character
** ESCAPE.
*/
#include <string.h>

#include "exec/exec.h"
#include "exec/functions_int.h"

#define IMPL(name)                                                     \
  static void name(exec_eval_ctx *ctx, int n, const exec_vec *const *aArg, \
                   int nArg, exec_vec *out)

/* Bytes of the UTF-8 character starting with lead byte c (1 for stray
** continuation bytes, so every walk makes progress). */
static int utf8_len(unsigned char c) {
  if (c < 0xC0) return 1;
  if (c < 0xE0) return 2;
  if (c < 0xF0) return 3;
  return 4;
}

/* Characters in s. */
static int64_t utf8_count(const exec_str *s) {
  int64_t k = 0;
  for (uint32_t i = 0; i < s->n; i++) {
    k += ((unsigned char)s->p[i] & 0xC0) != 0x80;
  }
  return k;
}

/* Byte offset of character iChar of s (s->n when past the end). */
static uint32_t utf8_offset(const exec_str *s, int64_t iChar) {
  uint32_t i = 0;
  while (iChar > 0 && i < s->n) {
    i += (uint32_t)utf8_len((unsigned char)s->p[i]);
    iChar--;
  }
  return i < s->n ? i : s->n;
}

/* Check that every argument in [iFrom, iTo) is VARCHAR or NULL. */
static int check_types(const char *zFn, int nArg, const uint8_t *aType,
                       int iFrom, int iTo, int type, const char **pzErr) {
  static const char *azMsg[] = {
    "function expects VARCHAR", "function expects BIGINT",
  };
  (void)zFn;
  for (int i = iFrom; i < iTo && i < nArg; i++) {
    if (aType[i] != type && aType[i] != WEIR_NULL_TYPE) {
      *pzErr = azMsg[type == WEIR_BIGINT];
      return 1;
    }
  }
  return 0;
}

/* Any NULL-literal argument makes a strict function's result NULL. */
static int any_null_type(int nArg, const uint8_t *aType) {
  for (int i = 0; i < nArg; i++) {
    if (aType[i] == WEIR_NULL_TYPE) return 1;
  }
  return 0;
}

/* ---- LOWER, UPPER ------------------------------------------------------- */

static void case_map(exec_eval_ctx *ctx, int n, const exec_vec *in,
                     exec_vec *out, int bUpper) {
  size_t nTotal = 0;
  for (int i = 0; i < n; i++) {
    if (!in->null[i]) nTotal += in->v.s[i].n;
  }
  char *z = common_arena_alloc(ctx->pScratch, nTotal ? nTotal : 1);
  for (int i = 0; i < n; i++) {
    out->null[i] = in->null[i] != 0;
    if (out->null[i]) continue;
    exec_str s = in->v.s[i];
    for (uint32_t k = 0; k < s.n; k++) {
      char c = s.p[k];
      if (bUpper && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
      if (!bUpper && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      z[k] = c;
    }
    out->v.s[i].p = z;
    out->v.s[i].n = s.n;
    z += s.n;
  }
}
IMPL(lower_impl) { case_map(ctx, n, aArg[0], out, 0); }
IMPL(upper_impl) { case_map(ctx, n, aArg[0], out, 1); }

static int bind_lower(int nArg, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : lower_impl;
  if (aType[0] != WEIR_VARCHAR && aType[0] != WEIR_NULL_TYPE) {
    *pzErr = "LOWER expects VARCHAR";
    return 1;
  }
  return 0;
}
static int bind_upper(int nArg, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : upper_impl;
  if (aType[0] != WEIR_VARCHAR && aType[0] != WEIR_NULL_TYPE) {
    *pzErr = "UPPER expects VARCHAR";
    return 1;
  }
  return 0;
}

/* ---- LENGTH ------------------------------------------------------------- */

IMPL(length_impl) {
  for (int i = 0; i < n; i++) {
    out->null[i] = aArg[0]->null[i] != 0;
    out->v.i64[i] = out->null[i] ? 0 : utf8_count(&aArg[0]->v.s[i]);
  }
}
static int bind_length(int nArg, const uint8_t *aType, uint8_t *pRet,
                       exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BIGINT;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : length_impl;
  if (aType[0] != WEIR_VARCHAR && aType[0] != WEIR_NULL_TYPE) {
    *pzErr = "LENGTH expects VARCHAR";
    return 1;
  }
  return 0;
}

/* ---- SUBSTR ------------------------------------------------------------- */

/*
** SUBSTR(s, start[, len]) with SQLite's rules, counting characters:
** 1-based start, a negative start counts from the end, start 0 eats one
** of len, a negative len takes the characters before start.
*/
IMPL(substr_impl) {
  const exec_vec *vs = aArg[0], *vp = aArg[1];
  const exec_vec *vl = nArg > 2 ? aArg[2] : NULL;
  const int64_t lim = (int64_t)1 << 40;
  for (int i = 0; i < n; i++) {
    if (vs->null[i] || vp->null[i] || (vl && vl->null[i])) {
      out->null[i] = 1;
      continue;
    }
    const exec_str *s = &vs->v.s[i];
    int64_t p1 = vp->v.i64[i], p2 = vl ? vl->v.i64[i] : lim;
    int bNeg = 0;
    if (p1 > lim) p1 = lim;
    if (p1 < -lim) p1 = -lim;
    if (p2 > lim) p2 = lim;
    if (p2 < -lim) p2 = -lim;
    if (p2 < 0) {
      p2 = -p2;
      bNeg = 1;
    }
    if (p1 < 0) {
      p1 += utf8_count(s);
      if (p1 < 0) {
        p2 += p1;
        if (p2 < 0) p2 = 0;
        p1 = 0;
      }
    } else if (p1 > 0) {
      p1--;
    } else if (p2 > 0) {
      p2--;
    }
    if (bNeg) {
      p1 -= p2;
      if (p1 < 0) {
        p2 += p1;
        p1 = 0;
      }
    }
    uint32_t b0 = utf8_offset(s, p1);
    exec_str rest = {s->p + b0, s->n - b0};
    uint32_t b1 = utf8_offset(&rest, p2);
    out->null[i] = 0;
    out->v.s[i].p = rest.p;
    out->v.s[i].n = b1;
  }
}
static int bind_substr(int nArg, const uint8_t *aType, uint8_t *pRet,
                       exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : substr_impl;
  if (aType[0] != WEIR_VARCHAR && aType[0] != WEIR_NULL_TYPE) {
    *pzErr = "SUBSTR expects VARCHAR";
    return 1;
  }
  if (check_types("SUBSTR", nArg, aType, 1, 3, WEIR_BIGINT, pzErr)) {
    *pzErr = "SUBSTR expects BIGINT start and length";
    return 1;
  }
  return 0;
}

/* ---- TRIM, LTRIM, RTRIM -------------------------------------------------- */

static int in_set(char c, const exec_str *set) {
  if (!set) return c == ' ';
  return set->n && memchr(set->p, c, set->n) != NULL;
}

static void trim_vec(int n, const exec_vec *const *aArg, int nArg,
                     exec_vec *out, int bLeft, int bRight) {
  for (int i = 0; i < n; i++) {
    if (aArg[0]->null[i] || (nArg > 1 && aArg[1]->null[i])) {
      out->null[i] = 1;
      continue;
    }
    const exec_str *set = nArg > 1 ? &aArg[1]->v.s[i] : NULL;
    exec_str s = aArg[0]->v.s[i];
    while (bLeft && s.n && in_set(s.p[0], set)) {
      s.p++;
      s.n--;
    }
    while (bRight && s.n && in_set(s.p[s.n - 1], set)) s.n--;
    out->null[i] = 0;
    out->v.s[i] = s;
  }
}
IMPL(trim_impl) { trim_vec(n, aArg, nArg, out, 1, 1); }
IMPL(ltrim_impl) { trim_vec(n, aArg, nArg, out, 1, 0); }
IMPL(rtrim_impl) { trim_vec(n, aArg, nArg, out, 0, 1); }

static int bind_trim_common(int nArg, const uint8_t *aType, uint8_t *pRet,
                            exec_fn_impl *pImpl, exec_fn_impl x,
                            const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : x;
  if (check_types("TRIM", nArg, aType, 0, nArg, WEIR_VARCHAR, pzErr)) {
    *pzErr = "TRIM expects VARCHAR";
    return 1;
  }
  return 0;
}
static int bind_trim(int nArg, const uint8_t *aType, uint8_t *pRet,
                     exec_fn_impl *pImpl, const char **pzErr) {
  return bind_trim_common(nArg, aType, pRet, pImpl, trim_impl, pzErr);
}
static int bind_ltrim(int nArg, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  return bind_trim_common(nArg, aType, pRet, pImpl, ltrim_impl, pzErr);
}
static int bind_rtrim(int nArg, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  return bind_trim_common(nArg, aType, pRet, pImpl, rtrim_impl, pzErr);
}

/* ---- CONCAT, || --------------------------------------------------------- */

IMPL(concat_impl) {
  const exec_vec *aStack[8];
  const exec_vec **aS = aStack;
  if (nArg > 8) {
    aS = common_arena_alloc(ctx->pScratch, sizeof(*aS) * (size_t)nArg);
  }
  for (int k = 0; k < nArg; k++) {
    aS[k] = aArg[k];
    if (aArg[k]->type != WEIR_VARCHAR) {
      exec_vec *t = exec_vec_new(ctx->pScratch, WEIR_VARCHAR);
      exec_cast(ctx, n, aArg[k], t);
      aS[k] = t;
    }
  }
  size_t nTotal = 0;
  for (int i = 0; i < n; i++) {
    int bNull = 0;
    size_t m = 0;
    for (int k = 0; k < nArg; k++) {
      bNull |= aS[k]->null[i];
      m += bNull ? 0 : aS[k]->v.s[i].n;
    }
    out->null[i] = bNull != 0;
    if (!bNull) nTotal += m;
  }
  char *z = common_arena_alloc(ctx->pScratch, nTotal ? nTotal : 1);
  for (int i = 0; i < n; i++) {
    if (out->null[i]) continue;
    out->v.s[i].p = z;
    for (int k = 0; k < nArg; k++) {
      exec_str s = aS[k]->v.s[i];
      if (s.n) memcpy(z, s.p, s.n);
      z += s.n;
    }
    out->v.s[i].n = (uint32_t)(z - out->v.s[i].p);
  }
}
static int bind_concat(int nArg, const uint8_t *aType, uint8_t *pRet,
                       exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : concat_impl;
  return 0;
}

/* ---- REPLACE ------------------------------------------------------------ */

/* Occurrences of f in s, left to right without overlap. */
static size_t count_occ(const exec_str *s, const exec_str *f) {
  size_t k = 0;
  if (!f->n) return 0;
  for (uint32_t i = 0; i + f->n <= s->n;) {
    if (memcmp(s->p + i, f->p, f->n) == 0) {
      k++;
      i += f->n;
    } else {
      i++;
    }
  }
  return k;
}

IMPL(replace_impl) {
  const exec_vec *vs = aArg[0], *vf = aArg[1], *vt = aArg[2];
  size_t nTotal = 0;
  for (int i = 0; i < n; i++) {
    out->null[i] = (vs->null[i] | vf->null[i] | vt->null[i]) != 0;
    if (out->null[i]) continue;
    size_t k = count_occ(&vs->v.s[i], &vf->v.s[i]);
    nTotal += vs->v.s[i].n + k * vt->v.s[i].n;
  }
  char *z = common_arena_alloc(ctx->pScratch, nTotal ? nTotal : 1);
  for (int i = 0; i < n; i++) {
    if (out->null[i]) continue;
    exec_str s = vs->v.s[i], f = vf->v.s[i], t = vt->v.s[i];
    char *z0 = z;
    uint32_t j = 0;
    while (j < s.n) {
      if (f.n && j + f.n <= s.n && memcmp(s.p + j, f.p, f.n) == 0) {
        if (t.n) memcpy(z, t.p, t.n);
        z += t.n;
        j += f.n;
      } else {
        *z++ = s.p[j++];
      }
    }
    out->v.s[i].p = z0;
    out->v.s[i].n = (uint32_t)(z - z0);
  }
}
static int bind_replace(int nArg, const uint8_t *aType, uint8_t *pRet,
                        exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_VARCHAR;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : replace_impl;
  if (check_types("REPLACE", nArg, aType, 0, 3, WEIR_VARCHAR, pzErr)) {
    *pzErr = "REPLACE expects VARCHAR";
    return 1;
  }
  return 0;
}

/* ---- LIKE --------------------------------------------------------------- */

/*
** Match s against LIKE pattern p (esc < 0: no escape character). Greedy
** with backtracking to the last %, so O(|s| * |p|) at worst.
*/
static int like_match(const exec_str *p, const exec_str *s, int esc) {
  const unsigned char *zp = (const unsigned char *)p->p;
  const unsigned char *zs = (const unsigned char *)s->p;
  uint32_t pi = 0, si = 0;
  uint32_t starP = UINT32_MAX, starS = 0;
  while (si < s->n) {
    if (pi < p->n) {
      int c = zp[pi];
      if (c == esc && pi + 1 < p->n) {
        if (zs[si] == zp[pi + 1]) {
          pi += 2;
          si++;
          continue;
        }
      } else if (c == '%') {
        while (pi < p->n && zp[pi] == '%') pi++;
        if (pi == p->n) return 1;
        starP = pi;
        starS = si;
        continue;
      } else if (c == '_') {
        si += (uint32_t)utf8_len(zs[si]);
        pi++;
        continue;
      } else if (c == zs[si]) {
        pi++;
        si++;
        continue;
      }
    }
    if (starP == UINT32_MAX) return 0;
    starS += (uint32_t)utf8_len(zs[starS]);
    si = starS;
    pi = starP;
  }
  while (pi < p->n && zp[pi] == '%') pi++;
  return pi == p->n && si == s->n;
}

IMPL(like_impl) {
  const exec_vec *vs = aArg[0], *vp = aArg[1];
  const exec_vec *ve = nArg > 2 ? aArg[2] : NULL;
  for (int i = 0; i < n; i++) {
    int esc = -1;
    if (vs->null[i] || vp->null[i] || (ve && ve->null[i])) {
      out->null[i] = 1;
      continue;
    }
    if (ve) {
      if (ve->v.s[i].n != 1) {
        if (!ctx->zErr) ctx->zErr = "LIKE ESCAPE must be one character";
        out->null[i] = 1;
        continue;
      }
      esc = (unsigned char)ve->v.s[i].p[0];
    }
    out->null[i] = 0;
    out->v.b[i] = (uint8_t)like_match(&vp->v.s[i], &vs->v.s[i], esc);
  }
}
static int bind_like(int nArg, const uint8_t *aType, uint8_t *pRet,
                     exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BOOLEAN;
  *pImpl = any_null_type(nArg, aType) ? exec_impl_null : like_impl;
  if (check_types("LIKE", nArg, aType, 0, nArg, WEIR_VARCHAR, pzErr)) {
    *pzErr = "LIKE expects VARCHAR";
    return 1;
  }
  return 0;
}

const exec_fn exec_fns_str[] = {
  {"LOWER", 1, 1, bind_lower},
  {"UPPER", 1, 1, bind_upper},
  {"SUBSTR", 2, 3, bind_substr},
  {"SUBSTRING", 2, 3, bind_substr},
  {"LENGTH", 1, 1, bind_length},
  {"CHAR_LENGTH", 1, 1, bind_length},
  {"CHARACTER_LENGTH", 1, 1, bind_length},
  {"TRIM", 1, 2, bind_trim},
  {"LTRIM", 1, 2, bind_ltrim},
  {"RTRIM", 1, 2, bind_rtrim},
  {"CONCAT", 1, -1, bind_concat},
  {"||", 2, 2, bind_concat},
  {"REPLACE", 3, 3, bind_replace},
  {"LIKE", 2, 3, bind_like},
  {NULL, 0, 0, NULL}
};

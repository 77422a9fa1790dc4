/*
** exec/agg.c — the Combine functions of GroupByKey + Combine: aggregate
** accumulators for COUNT(*), COUNT, SUM, MIN, MAX and AVG (each optionally
** DISTINCT, each optionally FILTERed), updated a vector at a time.
**
** Every accumulator supports add, merge (session merges) and remove (a
** retraction in the input). COUNT/SUM/AVG remove exactly; MIN/MAX keep the
** multiplicity of their extreme value and fail with a clear error only
** when the extreme itself is retracted away while other values remain
** (op_agg.c avoids that over a changelog input by asking for the DISTINCT
** form, which has the same value and retracts exactly).
** DISTINCT aggregates keep a value -> multiplicity set, from which any
** aggregate is computed at result time, so they retract exactly.
**
** Part of exec/, used by op_agg.c through exec/winstate.h.
*/
#include <stddef.h>
#include <string.h>
#include "exec/winstate.h"

/* ---- DISTINCT sets --------------------------------------------------------
** Open addressing; an entry whose count drops to 0 stays (counted as
** absent) until the set is reset. */
typedef struct dset_ent {
  uint64_t h;
  int64_t cnt;              /* 0 = slot empty when h == 0 && !used */
  union {
    int64_t i;
    double f;
    char *z;
  } v;
  uint32_t nZ;
  uint8_t used;
} dset_ent;

typedef struct exec_dset {
  int64_t nUsed, nSlot;
  dset_ent *a;
} exec_dset;

static int is_str(int t) { return t == WEIR_VARCHAR; }
static int is_dbl(int t) { return t == WEIR_DOUBLE; }

static uint64_t val_hash(int t, const exec_vec *v, int i) {
  if (is_str(t)) return common_hash(v->v.s[i].p, v->v.s[i].n, 7);
  if (is_dbl(t)) {
    double d = v->v.f64[i];
    if (d == 0) d = 0;      /* -0.0 and 0.0 are one value */
    return common_hash(&d, sizeof d, 7);
  }
  int64_t x = t == WEIR_BOOLEAN ? v->v.b[i] : v->v.i64[i];
  return common_hash(&x, sizeof x, 7);
}

static int dset_eq(int t, const dset_ent *e, const exec_vec *v, int i) {
  if (is_str(t)) {
    return e->nZ == v->v.s[i].n && memcmp(e->v.z, v->v.s[i].p, e->nZ) == 0;
  }
  if (is_dbl(t)) return e->v.f == v->v.f64[i];
  int64_t x = t == WEIR_BOOLEAN ? v->v.b[i] : v->v.i64[i];
  return e->v.i == x;
}

static void dset_grow(exec_dset *s, int64_t *pBytes) {
  int64_t n = s->nSlot ? s->nSlot * 2 : 8;
  dset_ent *a = common_calloc((size_t)n, sizeof(dset_ent));
  for (int64_t i = 0; i < s->nSlot; i++) {
    if (!s->a[i].used) continue;
    uint64_t k = s->a[i].h & (uint64_t)(n - 1);
    while (a[k].used) k = (k + 1) & (uint64_t)(n - 1);
    a[k] = s->a[i];
  }
  common_free(s->a);
  *pBytes += (n - s->nSlot) * (int64_t)sizeof(dset_ent);
  s->a = a;
  s->nSlot = n;
}

/* Add d (+1 or -1) to the multiplicity of value i of v in set s. */
static void dset_add(exec_dset *s, int t, const exec_vec *v, int i,
                     int64_t d, int64_t *pBytes) {
  if ((s->nUsed + 1) * 2 > s->nSlot) dset_grow(s, pBytes);
  uint64_t h = val_hash(t, v, i);
  uint64_t m = (uint64_t)s->nSlot - 1;
  uint64_t k = h & m;
  while (s->a[k].used) {
    if (s->a[k].h == h && dset_eq(t, &s->a[k], v, i)) {
      s->a[k].cnt += d;
      return;
    }
    k = (k + 1) & m;
  }
  dset_ent *e = &s->a[k];
  e->used = 1;
  e->h = h;
  e->cnt = d;
  if (is_str(t)) {
    e->nZ = v->v.s[i].n;
    e->v.z = common_malloc(e->nZ ? e->nZ : 1);
    memcpy(e->v.z, v->v.s[i].p, e->nZ);
    *pBytes += e->nZ ? e->nZ : 1;
  } else if (is_dbl(t)) {
    e->v.f = v->v.f64[i] == 0 ? 0 : v->v.f64[i];
  } else {
    e->v.i = t == WEIR_BOOLEAN ? v->v.b[i] : v->v.i64[i];
  }
  s->nUsed++;
}

static void dset_free(exec_dset *s, int t, int64_t *pBytes) {
  if (!s) return;
  for (int64_t i = 0; i < s->nSlot; i++) {
    if (s->a[i].used && is_str(t)) {
      *pBytes -= s->a[i].nZ ? s->a[i].nZ : 1;
      common_free(s->a[i].v.z);
    }
  }
  *pBytes -= s->nSlot * (int64_t)sizeof(dset_ent) + (int64_t)sizeof(*s);
  common_free(s->a);
  common_free(s);
}

static exec_dset *dset_new(int64_t *pBytes) {
  exec_dset *s = common_calloc(1, sizeof(*s));
  *pBytes += (int64_t)sizeof(*s);
  return s;
}

/* ---- layout -------------------------------------------------------------- */

/* The bytes of exec_acc an aggregate uses (its leading fields). */
static size_t acc_size(const exec_agg *g) {
  if (g->kind == AGG_COUNT_STAR || g->kind == AGG_COUNT || g->bDistinct) {
    return offsetof(exec_acc, n);
  }
  if (g->kind == AGG_SUM || g->kind == AGG_AVG) {
    return offsetof(exec_acc, nZ);
  }
  return sizeof(exec_acc);
}

/* Accumulator k of the block at base. */
#define ACC(L, base, k) ((exec_acc *)((char *)(base) + (L)->aOff[k]))

/* Describe the accumulators of the nAgg aggregates a. */
void exec_acc_layout_init(exec_acc_layout *L, int nAgg, const exec_agg *a) {
  L->nAgg = nAgg;
  L->aAgg = a;
  L->bDelta = 0;
  L->aOff = common_malloc(sizeof(size_t) * (size_t)(nAgg + 1));
  size_t off = 0;
  for (int k = 0; k < nAgg; k++) {
    L->aOff[k] = off;
    off += acc_size(&a[k]);
  }
  L->aOff[nAgg] = off;
  L->szAcc = off;
}

void exec_acc_layout_free(exec_acc_layout *L) {
  common_free(L->aOff);
  L->aOff = NULL;
}

/* Release what the accumulators own and return them to "no rows". */
void exec_acc_reset(const exec_acc_layout *L, exec_acc *aAcc,
                    int64_t *pBytes) {
  for (int k = 0; k < L->nAgg; k++) {
    const exec_agg *g = &L->aAgg[k];
    exec_acc *c = ACC(L, aAcc, k);
    if (g->bDistinct) {
      dset_free(c->v.pSet, g->argType, pBytes);
    } else if (is_str(g->argType) && c->v.z &&
               (g->kind == AGG_MIN || g->kind == AGG_MAX)) {
      *pBytes -= c->nZAlloc;
      common_free(c->v.z);
    }
    memset(c, 0, acc_size(g));
  }
}

/* Set a VARCHAR MIN/MAX accumulator to the string p[0..n). */
static void acc_set_str(exec_acc *c, const char *p, uint32_t n,
                        int64_t *pBytes) {
  if (n > c->nZAlloc || !c->v.z) {
    uint32_t na = n < 16 ? 16 : n;
    *pBytes += (int64_t)na - c->nZAlloc;
    common_free(c->v.z);
    c->v.z = common_malloc(na);
    c->nZAlloc = na;
  }
  memcpy(c->v.z, p, n);
  c->nZ = n;
}

static int str_cmp(const char *a, uint32_t na, const char *b, uint32_t nb) {
  int r = memcmp(a, b, na < nb ? na : nb);
  if (r) return r;
  return na < nb ? -1 : na > nb;
}

static const char *zMinMaxErr =
  "MIN/MAX cannot be updated by a retraction of its current extreme "
  "value (retracting input to MIN/MAX is only partly supported)";

/* MIN/MAX update of one value. bMax selects MAX; cmp < 0 means the new
** value is better (smaller for MIN, larger for MAX) than the current. */
#define MINMAX_STEP(cmpExpr, assignExpr)                                 \
  do {                                                                   \
    if (s > 0) {                                                         \
      if (c->n == 0) {                                                   \
        assignExpr;                                                      \
        c->nExt = 1;                                                     \
      } else {                                                           \
        int r_ = (cmpExpr);                                              \
        if (bMax) r_ = -r_;                                              \
        if (r_ < 0) {                                                    \
          assignExpr;                                                    \
          c->nExt = 1;                                                   \
        } else if (r_ == 0) {                                            \
          c->nExt++;                                                     \
        }                                                                \
      }                                                                  \
      c->n++;                                                            \
    } else {                                                             \
      int r_ = c->n ? (cmpExpr) : 0;                                     \
      c->n--;                                                            \
      if (c->n <= 0) {                                                   \
        c->n = 0;                                                        \
        c->nExt = 0;                                                     \
      } else if (r_ == 0 && --c->nExt == 0) {                            \
        *pzErr = zMinMaxErr;                                             \
        rc = 1;                                                          \
      }                                                                  \
    }                                                                    \
  } while (0)

static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

/* a + s*x with BIGINT's wrap-around on overflow (as in Flink; the
** arithmetic of exec/functions.c wraps the same way), without signed
** overflow in C. */
static int64_t wrap_add(int64_t a, int64_t s, int64_t x) {
  return (int64_t)((uint64_t)a + (uint64_t)s * (uint64_t)x);
}
static int cmp_f64(double a, double b) { return a < b ? -1 : a > b; }

/*
** Add or remove input rows to the accumulators: for each pair j, row
** aRow[j] of b goes into the accumulator block apAcc[j] with sign aSign[j]
** (+1 add, -1 remove; all +1 when aSign is NULL). The loops are per
** aggregate and per type, so no function pointer is called per row.
*/
int exec_acc_update(const exec_acc_layout *L, int n, exec_acc *const *apAcc,
                    const int *aRow, const int8_t *aSign,
                    const exec_batch *b, int64_t *pBytes,
                    const char **pzErr) {
  int rc = 0;
  for (int k = 0; k < L->nAgg; k++) {
    const exec_agg *g = &L->aAgg[k];
    const exec_vec *vf = g->iFilter >= 0 ? &b->aCol[g->iFilter] : NULL;
    const exec_vec *va = g->iArg >= 0 ? &b->aCol[g->iArg] : NULL;
    int t = g->argType;
    if (g->kind == AGG_COUNT_STAR || !va) {
      for (int j = 0; j < n; j++) {
        int r = aRow[j];
        if (vf && (vf->null[r] || !vf->v.b[r])) continue;
        ACC(L, apAcc[j], k)->v.i += aSign ? aSign[j] : 1;
      }
      continue;
    }
    if (g->bDistinct) {
      for (int j = 0; j < n; j++) {
        int r = aRow[j];
        if (vf && (vf->null[r] || !vf->v.b[r])) continue;
        if (va->null[r]) continue;
        exec_acc *c = ACC(L, apAcc[j], k);
        if (!c->v.pSet) c->v.pSet = dset_new(pBytes);
        dset_add(c->v.pSet, t, va, r, aSign ? aSign[j] : 1, pBytes);
      }
      continue;
    }
    switch (g->kind) {
      case AGG_COUNT:
        for (int j = 0; j < n; j++) {
          int r = aRow[j];
          if (vf && (vf->null[r] || !vf->v.b[r])) continue;
          if (va->null[r]) continue;
          ACC(L, apAcc[j], k)->v.i += aSign ? aSign[j] : 1;
        }
        break;
      case AGG_SUM:
      case AGG_AVG:
        if (is_dbl(t)) {
          for (int j = 0; j < n; j++) {
            int r = aRow[j];
            if (vf && (vf->null[r] || !vf->v.b[r])) continue;
            if (va->null[r]) continue;
            int s = aSign ? aSign[j] : 1;
            exec_acc *c = ACC(L, apAcc[j], k);
            c->v.f += s * va->v.f64[r];
            c->n += s;
            c->nAny++;
          }
        } else if (g->kind == AGG_AVG) {
          for (int j = 0; j < n; j++) {
            int r = aRow[j];
            if (vf && (vf->null[r] || !vf->v.b[r])) continue;
            if (va->null[r]) continue;
            int s = aSign ? aSign[j] : 1;
            exec_acc *c = ACC(L, apAcc[j], k);
            c->v.i = wrap_add(c->v.i, s,
                              t == WEIR_BOOLEAN ? va->v.b[r] : va->v.i64[r]);
            c->n += s;
            c->nAny++;
          }
        } else {
          const int64_t *x = va->v.i64;
          const uint8_t *nu = va->null;
          if (!vf && !aSign) {
            for (int j = 0; j < n; j++) {
              int r = aRow[j];
              if (nu[r]) continue;
              exec_acc *c = ACC(L, apAcc[j], k);
              c->v.i = wrap_add(c->v.i, 1, x[r]);
              c->n++;
              c->nAny++;
            }
          } else {
            for (int j = 0; j < n; j++) {
              int r = aRow[j];
              if (vf && (vf->null[r] || !vf->v.b[r])) continue;
              if (nu[r]) continue;
              int s = aSign ? aSign[j] : 1;
              exec_acc *c = ACC(L, apAcc[j], k);
              c->v.i = wrap_add(c->v.i, s, x[r]);
              c->n += s;
              c->nAny++;
            }
          }
        }
        break;
      case AGG_MIN:
      case AGG_MAX: {
        int bMax = g->kind == AGG_MAX;
        for (int j = 0; j < n; j++) {
          int r = aRow[j];
          if (vf && (vf->null[r] || !vf->v.b[r])) continue;
          if (va->null[r]) continue;
          int s = aSign ? aSign[j] : 1;
          exec_acc *c = ACC(L, apAcc[j], k);
          if (is_str(t)) {
            const exec_str *z = &va->v.s[r];
            MINMAX_STEP(str_cmp(z->p, z->n, c->v.z, c->nZ),
                        acc_set_str(c, z->p, z->n, pBytes));
          } else if (is_dbl(t)) {
            double x = va->v.f64[r];
            MINMAX_STEP(cmp_f64(x, c->v.f), c->v.f = x);
          } else {
            int64_t x = t == WEIR_BOOLEAN ? va->v.b[r] : va->v.i64[r];
            MINMAX_STEP(cmp_i64(x, c->v.i), c->v.i = x);
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return rc;
}

/* Merge accumulator block src into dst (for session merges and slices);
** src is unchanged. */
void exec_acc_merge(const exec_acc_layout *L, exec_acc *dst,
                    const exec_acc *src, int64_t *pBytes) {
  for (int k = 0; k < L->nAgg; k++) {
    const exec_agg *g = &L->aAgg[k];
    exec_acc *d = ACC(L, dst, k);
    const exec_acc *s = ACC(L, src, k);
    int t = g->argType;
    if (g->bDistinct && g->kind != AGG_COUNT_STAR) {
      if (!s->v.pSet) continue;
      if (!d->v.pSet) d->v.pSet = dset_new(pBytes);
      const exec_dset *ss = s->v.pSet;
      for (int64_t i = 0; i < ss->nSlot; i++) {
        const dset_ent *e = &ss->a[i];
        if (!e->used || e->cnt == 0) continue;
        /* Re-add through a one-row vector view of the entry. */
        exec_vec v;
        uint8_t nul = 0;
        exec_str zs;
        int64_t xi = e->v.i;
        double xf = e->v.f;
        uint8_t xb = (uint8_t)e->v.i;
        v.type = (uint8_t)t;
        v.null = &nul;
        if (is_str(t)) {
          zs.p = e->v.z;
          zs.n = e->nZ;
          v.v.s = &zs;
        } else if (is_dbl(t)) {
          v.v.f64 = &xf;
        } else if (t == WEIR_BOOLEAN) {
          v.v.b = &xb;
        } else {
          v.v.i64 = &xi;
        }
        dset_add(d->v.pSet, t, &v, 0, e->cnt, pBytes);
      }
      continue;
    }
    switch (g->kind) {
      case AGG_COUNT_STAR:
      case AGG_COUNT:
        d->v.i = wrap_add(d->v.i, 1, s->v.i);
        break;
      case AGG_SUM:
      case AGG_AVG:
        if (is_dbl(t)) d->v.f += s->v.f;
        else d->v.i = wrap_add(d->v.i, 1, s->v.i);
        d->n += s->n;
        d->nAny += s->nAny;
        break;
      case AGG_MIN:
      case AGG_MAX: {
        if (s->n == 0) break;
        int bMax = g->kind == AGG_MAX;
        int r;
        if (d->n == 0) r = -1;
        else if (is_str(t)) r = str_cmp(s->v.z, s->nZ, d->v.z, d->nZ);
        else if (is_dbl(t)) r = cmp_f64(s->v.f, d->v.f);
        else r = cmp_i64(s->v.i, d->v.i);
        if (bMax && d->n) r = -r;
        if (r < 0) {
          if (is_str(t)) acc_set_str(d, s->v.z, s->nZ, pBytes);
          else d->v = s->v;
          d->nExt = s->nExt;
        } else if (r == 0) {
          d->nExt += s->nExt;
        }
        d->n += s->n;
        break;
      }
    }
  }
}

/* Can every accumulator of L take src back out exactly (COUNT, and
** SUM/AVG over integers, none DISTINCT)? DOUBLE sums would drift. */
int exec_acc_invertible(const exec_acc_layout *L) {
  for (int k = 0; k < L->nAgg; k++) {
    const exec_agg *g = &L->aAgg[k];
    if (g->kind == AGG_COUNT_STAR) continue;
    if (g->bDistinct) return 0;
    if (g->kind == AGG_COUNT) continue;
    if ((g->kind == AGG_SUM || g->kind == AGG_AVG) && !is_dbl(g->argType)) {
      continue;
    }
    return 0;
  }
  return 1;
}

/* Take src (merged into dst earlier) back out of dst; only for layouts
** where exec_acc_invertible() holds. */
void exec_acc_unmerge(const exec_acc_layout *L, exec_acc *dst,
                      const exec_acc *src) {
  for (int k = 0; k < L->nAgg; k++) {
    exec_acc *d = ACC(L, dst, k);
    const exec_acc *s = ACC(L, src, k);
    d->v.i = wrap_add(d->v.i, -1, s->v.i);
    if (L->aAgg[k].kind == AGG_SUM || L->aAgg[k].kind == AGG_AVG) {
      d->n -= s->n;
      d->nAny -= s->nAny;
    }
  }
}

/* Aggregate over a DISTINCT set. */
static void dset_result(const exec_agg *g, const exec_dset *s,
                        exec_value *out) {
  int t = g->argType;
  int64_t nDist = 0, si = 0;
  double sf = 0;
  const dset_ent *best = NULL;
  for (int64_t i = 0; s && i < s->nSlot; i++) {
    const dset_ent *e = &s->a[i];
    if (!e->used || e->cnt <= 0) continue;
    nDist++;
    if (is_dbl(t)) sf += e->v.f;
    else if (!is_str(t)) si = wrap_add(si, 1, e->v.i);
    if (g->kind == AGG_MIN || g->kind == AGG_MAX) {
      int r = 0;
      if (!best) r = -1;
      else if (is_str(t)) r = str_cmp(e->v.z, e->nZ, best->v.z, best->nZ);
      else if (is_dbl(t)) r = cmp_f64(e->v.f, best->v.f);
      else r = cmp_i64(e->v.i, best->v.i);
      if (best && g->kind == AGG_MAX) r = -r;
      if (r < 0) best = e;
    }
  }
  out->isNull = 0;
  switch (g->kind) {
    case AGG_COUNT:
    case AGG_COUNT_STAR:
      out->u.i = nDist;
      return;
    case AGG_SUM:
      if (!nDist) break;
      if (out->type == WEIR_DOUBLE) out->u.f = is_dbl(t) ? sf : (double)si;
      else out->u.i = si;
      return;
    case AGG_AVG:
      if (!nDist) break;
      out->u.f = (is_dbl(t) ? sf : (double)si) / (double)nDist;
      return;
    case AGG_MIN:
    case AGG_MAX:
      if (!best) break;
      if (is_str(t)) {
        out->u.s.p = best->v.z;
        out->u.s.n = best->nZ;
      } else if (is_dbl(t)) {
        out->u.f = best->v.f;
      } else {
        out->u.i = best->v.i;
      }
      return;
  }
  out->isNull = 1;
}

/* The current value of aggregate iAgg (of type aAgg[iAgg].resType) from
** the accumulators aAcc. VARCHAR results point into the accumulator. */
void exec_acc_result(const exec_acc_layout *L, const exec_acc *aAcc,
                     int iAgg, exec_value *out) {
  const exec_agg *g = &L->aAgg[iAgg];
  const exec_acc *c = ACC(L, aAcc, iAgg);
  int t = g->argType;
  memset(out, 0, sizeof(*out));
  out->type = g->resType;
  if (g->bDistinct && g->kind != AGG_COUNT_STAR) {
    dset_result(g, c->v.pSet, out);
    return;
  }
  switch (g->kind) {
    case AGG_COUNT_STAR:
    case AGG_COUNT:
      out->u.i = c->v.i;
      return;
    case AGG_SUM:
      /* No values (or all retracted) is NULL; but a pane of deltas whose
      ** rows cancelled out in count has the sum of their values. */
      if (c->n <= 0 && !(L->bDelta && c->nAny > 0)) break;
      if (out->type == WEIR_DOUBLE) {
        out->u.f = is_dbl(t) ? c->v.f : (double)c->v.i;
      } else {
        out->u.i = is_dbl(t) ? (int64_t)c->v.f : c->v.i;
      }
      return;
    case AGG_AVG:
      if (c->n <= 0) break;
      out->u.f = (is_dbl(t) ? c->v.f : (double)c->v.i) / (double)c->n;
      if (out->type != WEIR_DOUBLE) out->u.i = (int64_t)out->u.f;
      return;
    case AGG_MIN:
    case AGG_MAX:
      if (c->n <= 0) break;
      if (is_str(t)) {
        out->u.s.p = c->v.z;
        out->u.s.n = c->nZ;
      } else if (is_dbl(t)) {
        out->u.f = c->v.f;
      } else {
        out->u.i = c->v.i;
      }
      return;
  }
  out->isNull = 1;
}

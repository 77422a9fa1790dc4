/*
** exec/vector.c — column vectors, batches and single values: the data
** that moves between operators (see exec/exec.h). Also the text rendering
** of values used by result printing, sinks and CAST(... AS VARCHAR).
**
** A vector is one allocation in an arena: the exec_vec header, the null
** bytes and EXEC_BATCH_CAP value slots. Batches are made of vectors of the
** same shape plus the op column.
**
** Text rules (exec_value_format):
**   NULL -> NULL, BOOLEAN -> TRUE / FALSE, BIGINT -> decimal,
**   DOUBLE -> shortest round-trip %g text, ".0" added to integral values
**            (2.0, 2.5, 0.1, 1e+20, NaN, Infinity, -Infinity),
**   VARCHAR -> its bytes, TIMESTAMP -> common_ts_format
**            ("2026-01-01 12:00:26", ".123" / ".123456" when set),
**   INTERVAL -> an SQL interval literal in the largest exact unit among
**            DAY, HOUR, MINUTE, SECOND ("INTERVAL '5' MINUTE",
**            "INTERVAL '1.5' SECOND", "INTERVAL '-3' DAY").
*/
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "exec/functions_int.h"

/*
** Size in bytes of one value slot of type. The NULL type gets the widest
** slot so that a vector of bare NULLs can be read as any type.
*/
size_t exec_type_size(int type) {
  switch (type) {
    case WEIR_BOOLEAN: return 1;
    case WEIR_BIGINT:
    case WEIR_TIMESTAMP:
    case WEIR_INTERVAL: return sizeof(int64_t);
    case WEIR_DOUBLE: return sizeof(double);
    default: return sizeof(exec_str);
  }
}

/* The SQL name of a type ("BIGINT"); "NULL" for the NULL literal type. */
const char *exec_type_name(int type) {
  switch (type) {
    case WEIR_NULL_TYPE: return "NULL";
    case WEIR_BOOLEAN: return "BOOLEAN";
    case WEIR_BIGINT: return "BIGINT";
    case WEIR_DOUBLE: return "DOUBLE";
    case WEIR_VARCHAR: return "VARCHAR";
    case WEIR_TIMESTAMP: return "TIMESTAMP";
    case WEIR_INTERVAL: return "INTERVAL";
    default: return "?";
  }
}

/* The changelog spelling of a row op: "+I", "-U", "+U", "-D". */
const char *exec_op_name(int op) {
  static const char *az[] = {"+I", "-U", "+U", "-D"};
  return op >= 0 && op < 4 ? az[op] : "??";
}

/* Lay a vector of type out in one block of memory p (see vec_bytes). */
static size_t vec_bytes(int type) {
  size_t nNull = (EXEC_BATCH_CAP + 15) & ~(size_t)15;
  return nNull + exec_type_size(type) * EXEC_BATCH_CAP;
}

static void vec_place(exec_vec *v, int type, char *p) {
  size_t nNull = (EXEC_BATCH_CAP + 15) & ~(size_t)15;
  v->type = (uint8_t)type;
  v->null = (uint8_t *)p;
  v->v.p = p + nNull;
  memset(v->null, 0, EXEC_BATCH_CAP);
}

/*
** Allocate a vector of type with EXEC_BATCH_CAP slots in arena a. The
** null bytes start at 0 (not NULL); the value slots are uninitialised
** except for the NULL type, whose slots are zeroed. Freed with the arena.
*/
exec_vec *exec_vec_new(common_arena *a, int type) {
  size_t nHdr = (sizeof(exec_vec) + 15) & ~(size_t)15;
  char *p = common_arena_alloc(a, nHdr + vec_bytes(type));
  exec_vec *v = (exec_vec *)p;
  vec_place(v, type, p + nHdr);
  if (type == WEIR_NULL_TYPE) {
    memset(v->v.p, 0, exec_type_size(type) * EXEC_BATCH_CAP);
  }
  return v;
}

/*
** Allocate a batch of nCol columns of types aType in arena a: n = 0, every
** op OP_INSERT, pHeap = a (so exec_batch_append_row can copy strings).
** Everything is freed with the arena.
*/
exec_batch *exec_batch_new(common_arena *a, int nCol, const uint8_t *aType) {
  exec_batch *b = common_arena_zalloc(a, sizeof(*b));
  b->nCol = nCol;
  b->aCol = common_arena_zalloc(a, sizeof(exec_vec) * (nCol ? nCol : 1));
  for (int i = 0; i < nCol; i++) {
    char *p = common_arena_alloc(a, vec_bytes(aType[i]));
    vec_place(&b->aCol[i], aType[i], p);
    if (aType[i] == WEIR_NULL_TYPE) {
      memset(b->aCol[i].v.p, 0, exec_type_size(aType[i]) * EXEC_BATCH_CAP);
    }
  }
  b->op = common_arena_alloc(a, EXEC_BATCH_CAP);
  memset(b->op, OP_INSERT, EXEC_BATCH_CAP);
  b->pHeap = a;
  return b;
}

/*
** Copy row iRow of src (values and op) into row dst->n of dst and
** increment dst->n. Strings are copied into dst->pHeap. The column types
** must match; dst must have room (dst->n < EXEC_BATCH_CAP).
*/
void exec_batch_append_row(exec_batch *dst, const exec_batch *src,
                           int iRow) {
  int j = dst->n;
  assert(j < EXEC_BATCH_CAP);
  for (int c = 0; c < dst->nCol && c < src->nCol; c++) {
    exec_vec *d = &dst->aCol[c];
    const exec_vec *s = &src->aCol[c];
    d->null[j] = s->null[iRow] ? 1 : 0;
    if (d->null[j]) continue;
    if (d->type == WEIR_VARCHAR && s->type == WEIR_VARCHAR) {
      exec_str x = s->v.s[iRow];
      char *p = NULL;
      if (x.n) {
        assert(dst->pHeap != NULL);
        p = common_arena_alloc(dst->pHeap, x.n);
        memcpy(p, x.p, x.n);
      }
      d->v.s[j].p = p ? p : "";
      d->v.s[j].n = x.n;
    } else if (d->type == s->type) {
      size_t sz = exec_type_size(d->type);
      memcpy((char *)d->v.p + sz * (size_t)j,
             (const char *)s->v.p + sz * (size_t)iRow, sz);
    } else {
      exec_slot_copy(d, j, s, iRow);
    }
  }
  dst->op[j] = src->op[iRow];
  dst->n = j + 1;
}

/*
** Read slot i of v into *out (type, null flag and value). Strings are not
** copied: out points at v's bytes.
*/
void exec_vec_get(const exec_vec *v, int i, exec_value *out) {
  memset(out, 0, sizeof(*out));
  out->type = v->type;
  out->isNull = v->null[i] != 0 || v->type == WEIR_NULL_TYPE;
  if (out->isNull) return;
  switch (v->type) {
    case WEIR_BOOLEAN: out->u.i = v->v.b[i] != 0; break;
    case WEIR_BIGINT:
    case WEIR_TIMESTAMP:
    case WEIR_INTERVAL: out->u.i = v->v.i64[i]; break;
    case WEIR_DOUBLE: out->u.f = v->v.f64[i]; break;
    case WEIR_VARCHAR: out->u.s = v->v.s[i]; break;
    default: out->isNull = 1; break;
  }
}

/* See functions_int.h. */
int exec_fmt_i64(char *zOut, int64_t v) {
  char t[24];
  int k = 0, n = 0;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    t[k++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) zOut[n++] = '-';
  while (k) zOut[n++] = t[--k];
  zOut[n] = 0;
  return n;
}

/* See functions_int.h. */
int exec_fmt_double(char *zOut, double f) {
  if (isnan(f)) return snprintf(zOut, EXEC_FMT_MAX, "NaN");
  if (isinf(f)) {
    return snprintf(zOut, EXEC_FMT_MAX, "%s", f < 0 ? "-Infinity"
                                                    : "Infinity");
  }
  int n = 0;
  for (int prec = 15; prec <= 17; prec++) {
    n = snprintf(zOut, EXEC_FMT_MAX, "%.*g", prec, f);
    if (strtod(zOut, NULL) == f) break;
  }
  if (!strpbrk(zOut, ".e")) {
    zOut[n++] = '.';
    zOut[n++] = '0';
    zOut[n] = 0;
  }
  return n;
}

/* See functions_int.h. */
int exec_fmt_interval(char *zOut, int64_t us) {
  static const struct { int64_t us; const char *zUnit; } aUnit[] = {
    {86400000000LL, "DAY"}, {3600000000LL, "HOUR"}, {60000000LL, "MINUTE"},
  };
  if (us != 0) {
    for (int k = 0; k < COMMON_ARRAY_SIZE(aUnit); k++) {
      if (us % aUnit[k].us == 0) {
        return snprintf(zOut, EXEC_FMT_MAX, "INTERVAL '%lld' %s",
                        (long long)(us / aUnit[k].us), aUnit[k].zUnit);
      }
    }
  }
  /* Seconds with an exact fraction; careful with INT64_MIN. */
  uint64_t a = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
  char zFrac[16] = "";
  uint64_t frac = a % 1000000;
  if (frac) {
    snprintf(zFrac, sizeof zFrac, ".%06llu", (unsigned long long)frac);
    int k = (int)strlen(zFrac);
    while (zFrac[k - 1] == '0') zFrac[--k] = 0;
  }
  return snprintf(zOut, EXEC_FMT_MAX, "INTERVAL '%s%llu%s' SECOND",
                  us < 0 ? "-" : "", (unsigned long long)(a / 1000000),
                  zFrac);
}

/*
** Append the text of value v to b the way results print (the rules are in
** this file's header comment). NULL prints as "NULL".
*/
void exec_value_format(common_buf *b, const exec_value *v) {
  char z[EXEC_FMT_MAX];
  int n;
  if (v->isNull || v->type == WEIR_NULL_TYPE) {
    common_buf_puts(b, "NULL");
    return;
  }
  switch (v->type) {
    case WEIR_BOOLEAN:
      common_buf_puts(b, v->u.i ? "TRUE" : "FALSE");
      break;
    case WEIR_BIGINT:
      n = exec_fmt_i64(z, v->u.i);
      common_buf_append(b, z, (size_t)n);
      break;
    case WEIR_DOUBLE:
      n = exec_fmt_double(z, v->u.f);
      common_buf_append(b, z, (size_t)n);
      break;
    case WEIR_VARCHAR:
      common_buf_append(b, v->u.s.n ? v->u.s.p : "", v->u.s.n);
      break;
    case WEIR_TIMESTAMP:
      n = common_ts_format(z, v->u.i);
      common_buf_append(b, z, (size_t)n);
      break;
    case WEIR_INTERVAL:
      n = exec_fmt_interval(z, v->u.i);
      common_buf_append(b, z, (size_t)n);
      break;
    default:
      common_buf_puts(b, "?");
      break;
  }
}

/* Parse a UTC timestamp (common_ts_parse rules); returns 0 on success. */
int exec_ts_parse(const char *z, size_t n, int64_t *pUs) {
  return common_ts_parse(z, n, pUs);
}

/* Format a timestamp (common_ts_format rules); returns the length. */
int exec_ts_format(char *zOut, int64_t us) {
  return common_ts_format(zOut, us);
}

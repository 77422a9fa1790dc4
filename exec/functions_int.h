/*
** exec/functions_int.h — what the vector, expression and scalar-function
** files of exec/ (vector.c, expr.c, functions*.c) share with each other
** and nobody else: value-to-text helpers, per-slot value access with type
** promotion, and the registries of the function families.
**
** Function implementations follow the exec_fn_impl contract: they write
** out->null[0..n) and the value slots of non-NULL rows, and allocate any
** new strings in ctx->pScratch (one allocation per batch where possible,
** never a malloc per row).
*/
#ifndef WEIR_EXEC_FUNCTIONS_INT_H
#define WEIR_EXEC_FUNCTIONS_INT_H

#include "exec/exec.h"

/* Longest text exec_fmt_double/exec_fmt_interval produce, NUL included. */
#define EXEC_FMT_MAX 64

/* Write a BIGINT in decimal (no printf); returns the length. zOut must
** hold 21 bytes. */
int exec_fmt_i64(char *zOut, int64_t v);
/* Write a DOUBLE the way weir prints it: the shortest of %.15g/%.16g/%.17g
** that reads back exactly, with ".0" appended when the text would
** otherwise look like an integer ("2.0", "2.5", "0.1", "1e+20"); NaN and
** infinities print as "NaN", "Infinity", "-Infinity". zOut must hold
** EXEC_FMT_MAX bytes. Returns the length. */
int exec_fmt_double(char *zOut, double f);
/* Write an INTERVAL (microseconds) as SQL interval literal text: the
** largest unit that divides it exactly among DAY, HOUR, MINUTE, else
** SECOND with a fraction trimmed of zeros: "INTERVAL '2' MINUTE",
** "INTERVAL '-1.5' SECOND". Returns the length. */
int exec_fmt_interval(char *zOut, int64_t us);

/* Rows of one value as a double (BIGINT/DOUBLE/BOOLEAN) or int64. */
double exec_slot_f64(const exec_vec *v, int i);
/* Compare slot i of a with slot j of b; both must be non-NULL and of
** comparable types (exec_types_comparable). Returns <0, 0, >0. */
int exec_slot_cmp(const exec_vec *a, int i, const exec_vec *b, int j);
/* Nonzero if values of types a and b can be compared (NULL type with
** anything, BIGINT with DOUBLE, otherwise equal types). */
int exec_types_comparable(int a, int b);
/* The common type of a and b for CASE/COALESCE-like unification, or -1 if
** none: NULL type yields the other; BIGINT and DOUBLE yield DOUBLE. */
int exec_types_unify(int a, int b);
/* Copy slot i of in (NULL or not) to slot j of out, converting BIGINT to
** DOUBLE when out is DOUBLE (the only promotion unify allows). */
void exec_slot_copy(exec_vec *out, int j, const exec_vec *in, int i);
/* The arguments as double arrays: v's own array when it is DOUBLE, else a
** converted copy in ctx->pScratch. */
const double *exec_vec_f64(exec_eval_ctx *ctx, int n, const exec_vec *v);

/* An implementation that makes every row NULL (for NULL-literal args). */
void exec_impl_null(exec_eval_ctx *ctx, int n, const exec_vec *const *aArg,
                    int nArg, exec_vec *out);

/* A bump writer for result strings: room comes from ctx->pScratch in
** chunks of at least EXEC_SBUF_CHUNK bytes, so writing many short strings
** costs a few allocations per batch, not one per row. */
#define EXEC_SBUF_CHUNK 16384
typedef struct exec_sbuf {
  common_arena *pArena;
  char *z;          /* next free byte */
  size_t nLeft;     /* bytes left at z */
} exec_sbuf;
/* Room for at least nNeed bytes; write, then exec_sbuf_commit(). */
static inline char *exec_sbuf_room(exec_sbuf *b, size_t nNeed) {
  if (b->nLeft < nNeed) {
    size_t n = nNeed > EXEC_SBUF_CHUNK ? nNeed : EXEC_SBUF_CHUNK;
    b->z = (char *)common_arena_alloc(b->pArena, n);
    b->nLeft = n;
  }
  return b->z;
}
/* Keep n bytes just written at the room; returns them as an exec_str. */
static inline exec_str exec_sbuf_commit(exec_sbuf *b, size_t n) {
  exec_str s = {b->z, (uint32_t)n};
  b->z += n;
  b->nLeft -= n;
  return s;
}

/* Time fields of a timestamp (UTC, proleptic Gregorian). */
typedef struct exec_tm {
  int64_t year;
  int month, day;           /* 1-12, 1-31 */
  int hour, minute, second; /* 0-23, 0-59, 0-59 */
  int usec;                 /* 0-999999 */
  int dow;                  /* 0 = Sunday .. 6 = Saturday */
  int doy;                  /* 1-366 */
} exec_tm;
void exec_tm_split(int64_t us, exec_tm *t);
/* Format us with a Java/Flink pattern (yyyy MM dd HH mm ss SSS ...) into
** b; returns the text. */
exec_str exec_ts_format_pattern(exec_sbuf *b, int64_t us, const exec_str *fmt);

/* The families' function tables (NULL-terminated by zName == NULL). */
extern const exec_fn exec_fns_core[];   /* functions.c */
extern const exec_fn exec_fns_str[];    /* functions_str.c */
extern const exec_fn exec_fns_time[];   /* functions_time.c (+ math) */
extern const exec_fn exec_fns_more[];   /* functions_more.c */

#endif

/*
** tests/unit/test_exec_expr_fuzz.c — robustness of every scalar function:
** each registered function is bound with every combination of argument
** types its xBind accepts (up to 3 arguments), then evaluated over batches
** of random and extreme values, with NULL rows whose value slots hold
** garbage. Under ASan/UBSan this finds out-of-bounds reads, overflow and
** bad float-to-int conversions. It also checks two invariants: the result
** vector has the bound type, and strict functions (all but a known list)
** return NULL on a row where any argument is NULL.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "tinytest.h"

#define NROW 64

static const char *azFn[] = {
  "+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">", ">=", "AND",
  "OR", "NOT", "NEG", "IS", "ISNOT", "ISNULL", "ISNOTNULL", "LIKE",
  "BETWEEN", "IN", "CASE", "COALESCE", "NULLIF", "LOWER", "UPPER", "SUBSTR",
  "LENGTH", "TRIM", "LTRIM", "RTRIM", "CONCAT", "REPLACE", "ABS", "ROUND",
  "FLOOR", "CEIL", "MOD", "POWER", "SQRT", "EXP", "LN", "LOG10", "SIGN",
  "EXTRACT_YEAR", "EXTRACT_QUARTER", "EXTRACT_MONTH", "EXTRACT_WEEK",
  "EXTRACT_DAY", "EXTRACT_HOUR", "EXTRACT_MINUTE", "EXTRACT_SECOND",
  "EXTRACT_MILLISECOND", "EXTRACT_MICROSECOND", "EXTRACT_DOW",
  "EXTRACT_ISODOW", "EXTRACT_DOY", "EXTRACT_EPOCH", "DATE_FORMAT",
  "TO_TIMESTAMP", "FROM_UNIXTIME", "UNIX_TIMESTAMP", "NOW", "IF",
  "GREATEST", "LEAST", "INSTR", "LOCATE", "LEFT", "RIGHT", "LPAD", "RPAD",
  "REPEAT", "REVERSE", "INITCAP", "SPLIT_INDEX", "REGEXP", "REGEXP_EXTRACT",
  "REGEXP_REPLACE", "DATE_TRUNC", "CONCAT_WS", "TO_TIMESTAMP_LTZ",
  "TRUNCATE", NULL};

/* Functions that may return a value although an argument is NULL. */
static const char *azNonStrict[] = {
  "AND", "OR", "IS", "ISNOT", "ISNULL", "ISNOTNULL", "IN", "CASE",
  "COALESCE", "NULLIF", "BETWEEN", "IF", "CONCAT_WS", NULL};

static int is_non_strict(const char *z) {
  for (int k = 0; azNonStrict[k]; k++) {
    if (!strcmp(z, azNonStrict[k])) return 1;
  }
  return 0;
}

static uint64_t g_seed = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void) {
  g_seed ^= g_seed << 13;
  g_seed ^= g_seed >> 7;
  g_seed ^= g_seed << 17;
  return g_seed;
}

static const char *azStr[] = {
  "", "a", "abc", "%", "_", "a%b_c", "h\xc3\xa9llo", "\xff\xfe", "  x  ",
  "2026-01-01 12:00:26", "2026-01-01", "yyyy-MM-dd HH:mm:ss.SSS", "42",
  "-1.5e3", "true", "((", "[0-9]+", "x*", "$1$9", "EEEE MMMM a h D",
  "'quoted''", "day", "week", "/", "a/b/c", "\xe2\x82\xac\xe2\x82\xac",
  "9999999999999999999999", "nan", "\\", "(a)(b)?",
};

static const int64_t aI64[] = {
  0, 1, -1, 2, 3, 7, 10, -10, 1000, 255, INT64_MAX, INT64_MIN,
  INT64_MAX - 1, INT64_MIN + 1, 1767268826, 1767268826000000LL, -86400,
  (int64_t)1 << 40, -((int64_t)1 << 40), 60000000,
};

/* Fill column v with random values of its type; null in ~1/5 rows whose
** slots get garbage bits. */
static void fill(exec_vec *v) {
  for (int i = 0; i < NROW; i++) {
    int bNull = rnd() % 5 == 0;
    v->null[i] = (uint8_t)bNull;
    uint64_t g = rnd();
    switch (v->type) {
      case WEIR_BOOLEAN:
        v->v.b[i] = bNull ? (uint8_t)g : (uint8_t)(g & 1);
        break;
      case WEIR_BIGINT:
      case WEIR_INTERVAL:
        v->v.i64[i] = bNull ? (int64_t)g
                            : aI64[rnd() % COMMON_ARRAY_SIZE(aI64)];
        break;
      case WEIR_TIMESTAMP:
        if (bNull) v->v.i64[i] = (int64_t)g;
        else if (rnd() % 8 == 0) v->v.i64[i] = aI64[rnd() % 14];
        else v->v.i64[i] = (int64_t)(rnd() % 20000000000000000ULL) -
                           5000000000000000LL;
        break;
      case WEIR_DOUBLE: {
        static const double aF[] = {0.0, -0.0, 1.5, -2.5, 1e300, -1e300,
                                    1e-300, 9.3e18, -9.3e18, 0.1, 100.0};
        double f;
        memcpy(&f, &g, sizeof f);
        if (!bNull) {
          int k = (int)(rnd() % 14);
          f = k < 11 ? aF[k] : k == 11 ? NAN : k == 12 ? INFINITY : -INFINITY;
        }
        v->v.f64[i] = f;
        break;
      }
      case WEIR_VARCHAR:
        if (bNull) {
          v->v.s[i].p = (const char *)(uintptr_t)0x10;   /* never read */
          v->v.s[i].n = (uint32_t)g;
        } else {
          const char *z = azStr[rnd() % COMMON_ARRAY_SIZE(azStr)];
          v->v.s[i].p = z;
          v->v.s[i].n = (uint32_t)strlen(z);
        }
        break;
    }
  }
}

TEST(fuzz_every_function) {
  static const uint8_t aAll[] = {WEIR_NULL_TYPE, WEIR_BOOLEAN, WEIR_BIGINT,
                                 WEIR_DOUBLE, WEIR_VARCHAR, WEIR_TIMESTAMP,
                                 WEIR_INTERVAL};
  const int nT = COMMON_ARRAY_SIZE(aAll);
  common_arena a;
  common_arena_init(&a, 1 << 20);
  exec_eval_ctx ctx = {&a, NULL, 1767268826000000LL};
  int nBound = 0, nBad = 0;
  for (int f = 0; azFn[f]; f++) {
    const exec_fn *fn = exec_fn_find(azFn[f]);
    CHECK(fn != NULL);
    int nMax = fn->nMaxArg < 0 || fn->nMaxArg > 3 ? 3 : fn->nMaxArg;
    for (int nArg = fn->nMinArg; nArg <= nMax; nArg++) {
      int nCombo = 1;
      for (int k = 0; k < nArg; k++) nCombo *= nT;
      for (int c = 0; c < nCombo; c++) {
        uint8_t aType[3] = {0, 0, 0};
        int x = c;
        for (int k = 0; k < nArg; k++) {
          aType[k] = aAll[x % nT];
          x /= nT;
        }
        uint8_t ret = 0xff;
        exec_fn_impl xImpl = NULL;
        const char *zErr = NULL;
        if (fn->xBind(nArg, aType, &ret, &xImpl, &zErr)) {
          CHECK(zErr != NULL);
          continue;
        }
        CHECK(xImpl != NULL);
        CHECK(ret <= WEIR_INTERVAL);
        nBound++;
        for (int rep = 0; rep < 20; rep++) {
          const exec_vec *aArg[3];
          exec_batch *b = exec_batch_new(&a, nArg ? nArg : 1, aType);
          b->n = NROW;
          for (int k = 0; k < nArg; k++) {
            if (aType[k] == WEIR_NULL_TYPE) {
              memset(b->aCol[k].null, 1, NROW);
            } else {
              fill(&b->aCol[k]);
            }
            aArg[k] = &b->aCol[k];
          }
          exec_vec *out = exec_vec_new(&a, ret);
          ctx.zErr = NULL;
          xImpl(&ctx, NROW, aArg, nArg, out);
          CHECK_EQ_INT(out->type, ret);
          if (is_non_strict(fn->zName)) continue;
          for (int i = 0; i < NROW; i++) {
            int bAnyNull = 0;
            for (int k = 0; k < nArg; k++) bAnyNull |= aArg[k]->null[i];
            if (bAnyNull && !out->null[i]) {
              nBad++;
              fprintf(stderr, "  %s: non-NULL result for a NULL argument\n",
                      fn->zName);
            }
            /* Produced text must be readable (ASan checks the bytes). */
            if (!out->null[i] && ret == WEIR_VARCHAR && out->v.s[i].n) {
              volatile char sum = 0;
              for (uint32_t j = 0; j < out->v.s[i].n; j++) {
                sum = (char)(sum + out->v.s[i].p[j]);
              }
              (void)sum;
            }
          }
        }
        common_arena_reset(&a);
      }
    }
  }
  printf("  %d type combinations bound and run\n", nBound);
  CHECK(nBound > 300);
  CHECK_EQ_INT(nBad, 0);
  common_arena_free(&a);
}

/* Casts between every pair of types on random and extreme values. */
TEST(fuzz_casts) {
  static const uint8_t aAll[] = {WEIR_NULL_TYPE, WEIR_BOOLEAN, WEIR_BIGINT,
                                 WEIR_DOUBLE, WEIR_VARCHAR, WEIR_TIMESTAMP,
                                 WEIR_INTERVAL};
  common_arena a;
  common_arena_init(&a, 1 << 20);
  exec_eval_ctx ctx = {&a, NULL, 0};
  for (int f = 0; f < COMMON_ARRAY_SIZE(aAll); f++) {
    for (int t = 0; t < COMMON_ARRAY_SIZE(aAll); t++) {
      for (int rep = 0; rep < 50; rep++) {
        exec_vec *in = exec_vec_new(&a, aAll[f]);
        if (aAll[f] == WEIR_NULL_TYPE) memset(in->null, 1, NROW);
        else fill(in);
        exec_vec *out = exec_vec_new(&a, aAll[t]);
        exec_cast(&ctx, NROW, in, out);
        for (int i = 0; i < NROW; i++) {
          if (in->null[i]) CHECK(out->null[i]);
          if (!exec_cast_supported(aAll[f], aAll[t])) CHECK(out->null[i]);
          if (!out->null[i] && aAll[t] == WEIR_VARCHAR) {
            /* Text output parses back for the exact types. */
            /* (timestamps only within years 0000-9999: the literal
            ** syntax has four-digit years) */
            if (aAll[f] == WEIR_BIGINT ||
                (aAll[f] == WEIR_TIMESTAMP &&
                 in->v.i64[i] >= -62167219200000000LL &&
                 in->v.i64[i] < 253402300800000000LL)) {
              exec_vec *back = exec_vec_new(&a, aAll[f]);
              exec_vec one = *out;
              one.null = out->null + i;
              one.v.s = out->v.s + i;
              exec_cast(&ctx, 1, &one, back);
              CHECK(!back->null[0]);
              CHECK(back->v.i64[0] == in->v.i64[i]);
            }
          }
        }
        common_arena_reset(&a);
      }
    }
  }
  common_arena_free(&a);
}

int main(int argc, char **argv) { return tt_main(argc, argv); }

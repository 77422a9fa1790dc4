/*
** engine/table.c — weir_table: a changelog applied to a table (see
** include/weir.h). Materialized views (mview.c) keep their contents in one;
** the server keeps one per query it started so a late subscriber gets the
** current result first.
**
** A row is stored encoded: per column a flag byte (0 NULL, 1 value) then
** 8 bytes (BOOLEAN, BIGINT, DOUBLE, TIMESTAMP, INTERVAL) or a 4-byte length
** and the bytes (VARCHAR). Equal rows have equal encodings, so one hash
** table of encodings with a multiplicity per entry applies +I/+U (count up)
** and -U/-D (count down). Entries are also on a doubly linked list in
** insertion order for scans.
*/
#include <string.h>

#include "engine/engine.h"

typedef struct tbl_row tbl_row;
struct tbl_row {
  uint64_t h;
  uint32_t n;             /* bytes of the encoding */
  int64_t nCopy;          /* multiplicity (>= 1) */
  tbl_row *pChain;        /* same hash bucket */
  tbl_row *pPrev, *pNext; /* insertion order */
  unsigned char a[];      /* the encoding */
};

struct weir_table {
  int nCol;
  char **azName;
  weir_type *aType;
  tbl_row **aSlot;
  uint64_t nSlot; /* power of two */
  int64_t nEntry; /* distinct rows */
  int64_t nRow;   /* rows counting copies */
  int64_t nByte;
  tbl_row *pFirst, *pLast;
  common_buf enc;   /* scratch encoding */
  weir_value *aVal; /* scratch decoding */
};

weir_table *weir_table_new(int ncol, const char *const *names,
                           const weir_type *types) {
  weir_table *t = common_calloc(1, sizeof(*t));
  t->nCol = ncol;
  t->azName = common_calloc((size_t)ncol + 1, sizeof(char *));
  t->aType = common_calloc((size_t)ncol + 1, sizeof(weir_type));
  t->aVal = common_calloc((size_t)ncol + 1, sizeof(weir_value));
  for (int i = 0; i < ncol; i++) {
    t->azName[i] = common_strdup(names && names[i] ? names[i] : "");
    t->aType[i] = types ? types[i] : WEIR_NULL_TYPE;
  }
  t->nSlot = 64;
  t->aSlot = common_calloc(t->nSlot, sizeof(tbl_row *));
  common_buf_init(&t->enc);
  return t;
}

void weir_table_free(weir_table *t) {
  if (!t) return;
  tbl_row *r = t->pFirst;
  while (r) {
    tbl_row *n = r->pNext;
    common_free(r);
    r = n;
  }
  for (int i = 0; i < t->nCol; i++) common_free(t->azName[i]);
  common_free(t->azName);
  common_free(t->aType);
  common_free(t->aVal);
  common_free(t->aSlot);
  common_buf_free(&t->enc);
  common_free(t);
}

int64_t weir_table_rows(const weir_table *t) {
  return t->nRow;
}
int64_t weir_table_bytes(const weir_table *t) {
  return t->nByte + (int64_t)(t->nSlot * sizeof(tbl_row *));
}
int weir_table_ncol(const weir_table *t) {
  return t->nCol;
}
const char *weir_table_col_name(const weir_table *t, int i) {
  return i >= 0 && i < t->nCol ? t->azName[i] : NULL;
}
weir_type weir_table_col_type(const weir_table *t, int i) {
  return i >= 0 && i < t->nCol ? t->aType[i] : WEIR_NULL_TYPE;
}

/* Encode values into t->enc following the table's column types. */
static void encode(weir_table *t, const weir_value *v) {
  common_buf *b = &t->enc;
  common_buf_reset(b);
  for (int i = 0; i < t->nCol; i++) {
    if (v[i].is_null || v[i].type == WEIR_NULL_TYPE) {
      common_buf_putc(b, 0);
      continue;
    }
    common_buf_putc(b, 1);
    weir_type ct = t->aType[i] == WEIR_NULL_TYPE ? v[i].type : t->aType[i];
    if (ct == WEIR_VARCHAR) {
      uint32_t n = v[i].type == WEIR_VARCHAR ? v[i].u.s.n : 0;
      common_buf_append(b, (const char *)&n, 4);
      if (n) common_buf_append(b, v[i].u.s.p, n);
    } else if (ct == WEIR_DOUBLE) {
      double f = v[i].type == WEIR_DOUBLE ? v[i].u.f : (double)v[i].u.i;
      if (f == 0) f = 0; /* -0.0 and 0.0 are one value */
      common_buf_append(b, (const char *)&f, 8);
    } else {
      int64_t x = v[i].u.i;
      if (ct == WEIR_BOOLEAN) x = x != 0;
      common_buf_append(b, (const char *)&x, 8);
    }
  }
}

/* Decode row r into t->aVal. */
static void decode(const weir_table *t, const tbl_row *r) {
  const unsigned char *p = r->a;
  for (int i = 0; i < t->nCol; i++) {
    weir_value *v = &t->aVal[i];
    memset(v, 0, sizeof(*v));
    v->type = t->aType[i];
    if (*p++ == 0) {
      v->is_null = 1;
      continue;
    }
    if (t->aType[i] == WEIR_VARCHAR) {
      memcpy(&v->u.s.n, p, 4);
      v->u.s.p = (const char *)p + 4;
      p += 4 + v->u.s.n;
    } else if (t->aType[i] == WEIR_DOUBLE) {
      memcpy(&v->u.f, p, 8);
      p += 8;
    } else {
      memcpy(&v->u.i, p, 8);
      p += 8;
    }
  }
}

static void grow(weir_table *t) {
  uint64_t nNew = t->nSlot * 2;
  tbl_row **aNew = common_calloc(nNew, sizeof(tbl_row *));
  for (tbl_row *r = t->pFirst; r; r = r->pNext) {
    uint64_t k = r->h & (nNew - 1);
    r->pChain = aNew[k];
    aNew[k] = r;
  }
  common_free(t->aSlot);
  t->aSlot = aNew;
  t->nSlot = nNew;
}

int weir_table_apply(weir_table *t, weir_op op, int ncol,
                     const weir_value *values) {
  if (ncol != t->nCol) return WEIR_ERROR;
  encode(t, values);
  const void *z = t->enc.z ? (const void *)t->enc.z : (const void *)"";
  uint32_t n = (uint32_t)t->enc.n;
  uint64_t h = common_hash(z, n, 0x77656972);
  tbl_row **pp = &t->aSlot[h & (t->nSlot - 1)];
  while (*pp &&
         !((*pp)->h == h && (*pp)->n == n && memcmp((*pp)->a, z, n) == 0))
    pp = &(*pp)->pChain;
  tbl_row *r = *pp;
  if (op == WEIR_OP_INSERT || op == WEIR_OP_UPDATE_AFTER) {
    if (r) {
      r->nCopy++;
    } else {
      r = common_malloc(sizeof(*r) + n);
      r->h = h;
      r->n = n;
      r->nCopy = 1;
      memcpy(r->a, z, n);
      r->pChain = NULL;
      *pp = r;
      r->pPrev = t->pLast;
      r->pNext = NULL;
      if (t->pLast)
        t->pLast->pNext = r;
      else
        t->pFirst = r;
      t->pLast = r;
      t->nEntry++;
      t->nByte += (int64_t)(sizeof(*r) + n);
      if ((uint64_t)t->nEntry > t->nSlot) grow(t);
    }
    t->nRow++;
    return WEIR_OK;
  }
  if (!r) return WEIR_ERROR;
  t->nRow--;
  if (--r->nCopy > 0) return WEIR_OK;
  *pp = r->pChain;
  if (r->pPrev)
    r->pPrev->pNext = r->pNext;
  else
    t->pFirst = r->pNext;
  if (r->pNext)
    r->pNext->pPrev = r->pPrev;
  else
    t->pLast = r->pPrev;
  t->nEntry--;
  t->nByte -= (int64_t)(sizeof(*r) + n);
  common_free(r);
  return WEIR_OK;
}

void weir_table_scan(const weir_table *t,
                     void (*x)(void *arg, int ncol, const weir_value *values),
                     void *arg) {
  for (const tbl_row *r = t->pFirst; r; r = r->pNext) {
    decode(t, r);
    for (int64_t k = 0; k < r->nCopy; k++) x(arg, t->nCol, t->aVal);
  }
}

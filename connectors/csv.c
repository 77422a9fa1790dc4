/*
** connectors/csv.c — the CSV record parser, plus the parse-state helpers
** shared with json.c (bad-record bookkeeping, text-to-value conversion).
**
** Sits under file_source.c, which hands it a buffer of bytes; records are
** parsed straight into an exec_batch. Only the columns marked in aNeeded
** are converted; VARCHAR values point into the buffer (zero copy) unless
** they contained doubled quotes, in which case they are unescaped into the
** batch's pHeap.
**
** The dialect: RFC 4180 (fields optionally in double quotes, "" inside
** quotes is a quote, quoted fields may span lines), '\n' or "\r\n" record
** ends, delimiter from 'csv.delimiter' (default ','). With 'csv.header'
** ('true' by default) the first line of every file names the columns:
** they are matched to the schema by name, case-insensitively; extra
** columns are ignored. A header that names none of the declared columns is
** a fatal error for the query (whatever 'format.on-error' says, and for
** every file of a glob): the file is not what the source declares, or has
** no header line. A declared column missing from a header that names
** others reads as NULL, with one warning per file on stderr; this is not
** fatal even when the query uses the column, so files written before a
** column was added can still be read alongside newer ones. Without a
** header, field i is column i. Blank lines are skipped.
**
** NULLs: an empty unquoted field is NULL for every type, VARCHAR included
** (like Flink's csv.null-literal with an empty literal); a quoted empty
** field ("") is the empty string for VARCHAR and NULL for other types.
** The file sink writes empty strings as "" so files round-trip.
**
** A record is bad -- skipped and counted, see conn_rd_bad -- when a field
** it needs does not convert to its column's type, when it contains a NUL
** byte (anywhere: NULs are looked for by memchr over a window of bytes
** at a time, not field by field), or when its number of fields differs
** from the header's (without a header: from the number of columns, when
** bExactFields is set, as the file source does; kafka values are not held
** to it and their missing trailing fields read as NULL). The fields of a
** line's tail that the query does not need are counted, not scanned.
** Invalid UTF-8 is not checked: VARCHAR values are bytes.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/conn_internal.h"

/*
** Initialise parse state r for schema sch (kept by reference), columns to
** parse aNeeded (NULL = all), format fmt (CONN_FMT_*), counters on src.
** CSV options default to ',' with a header. Release with conn_rd_clear.
*/
void conn_rd_init(conn_rd *r, const exec_schema *sch, const uint8_t *aNeeded,
                  int fmt, exec_source *src) {
  memset(r, 0, sizeof *r);
  r->sch = sch;
  r->aNeeded = aNeeded;
  r->fmt = fmt;
  r->cDelim = ',';
  r->bHeader = 1;
  r->src = src;
  r->zFile = "";
  r->iLine = 1;
  r->anName = common_malloc(sizeof(size_t) * (size_t)(sch->nCol + 1));
  for (int c = 0; c < sch->nCol; c++) r->anName[c] = strlen(sch->azName[c]);
}

/* Release what conn_rd_init and parsing allocated. */
void conn_rd_clear(conn_rd *r) {
  common_free(r->aFieldCol);
  common_free(r->aKeyHint);
  common_free(r->anName);
  common_free(r->zFatal);
  r->aFieldCol = NULL;
  r->aKeyHint = NULL;
  r->anName = NULL;
  r->zFatal = NULL;
}

/* The reader starts file zFile (kept by reference): line 1, header next. */
void conn_rd_new_file(conn_rd *r, const char *zFile) {
  r->zFile = zFile;
  r->iLine = 1;
  r->bHeaderDone = 0;
  r->nField = 0;
}

/*
** Count a malformed record at line iLine of the current file. The message
** "FILE:LINE: reason" goes to src->zLastBad and, for the first 10 bad
** records of a source and every 1000th after, to stderr. Under policy
** fail the same message becomes r->zFatal.
*/
void conn_rd_bad(conn_rd *r, int64_t iLine, const char *zFmt, ...) {
  char zReason[200];
  va_list ap;
  va_start(ap, zFmt);
  vsnprintf(zReason, sizeof zReason, zFmt, ap);
  va_end(ap);
  /* One log line per record: no raw control characters from the data. */
  for (char *z = zReason; *z; z++) {
    if ((unsigned char)*z < 0x20) *z = '?';
  }
  exec_source *src = r->src;
  char zMsg[sizeof src->zLastBad];
  snprintf(zMsg, sizeof zMsg, "%s:%lld: %s", r->zFile, (long long)iLine,
           zReason);
  memcpy(src->zLastBad, zMsg, sizeof zMsg);
  src->nBad++;
  if (r->bFail) {
    if (!r->zFatal) r->zFatal = common_strdup(zMsg);
    return;
  }
  if (src->nBad <= 10 || src->nBad % 1000 == 0) {
    fprintf(stderr, "weir: bad record skipped (%lld so far): %s\n",
            (long long)src->nBad, zMsg);
  }
}

/*
** Parse z[0..n) as a decimal integer with optional sign. Returns 0 and
** sets *pOut, or 1 on an empty string, a non-digit or overflow.
*/
int conn_parse_i64(const char *z, size_t n, int64_t *pOut) {
  size_t i = 0;
  int bNeg = 0;
  if (n && (z[0] == '-' || z[0] == '+')) {
    bNeg = z[0] == '-';
    i = 1;
  }
  if (i >= n) return 1;
  uint64_t v = 0;
  if (n - i <= 18) {
    for (; i < n; i++) {
      unsigned d = (unsigned)(unsigned char)z[i] - '0';
      if (d > 9) return 1;
      v = v * 10 + d;
    }
  } else {
    for (; i < n; i++) {
      unsigned d = (unsigned)(unsigned char)z[i] - '0';
      if (d > 9) return 1;
      if (v > (UINT64_MAX - d) / 10) return 1;
      v = v * 10 + d;
    }
    if (v > (uint64_t)INT64_MAX + (uint64_t)bNeg) return 1;
  }
  *pOut = bNeg ? (int64_t)(0 - v) : (int64_t)v;
  return 0;
}

/* Trim spaces and tabs around z[0..*pn). */
static const char *trim(const char *z, size_t *pn) {
  size_t n = *pn;
  while (n && (*z == ' ' || *z == '\t')) {
    z++;
    n--;
  }
  while (n && (z[n - 1] == ' ' || z[n - 1] == '\t')) n--;
  *pn = n;
  return z;
}

/*
** Convert text z[0..n) to the type of column iCol of b and store it at
** row iRow (clearing the NULL flag). VARCHAR keeps a pointer to z. Empty
** text is NULL for non-VARCHAR types. TIMESTAMP accepts the forms of
** common_ts_parse or an integer of epoch milliseconds; INTERVAL an
** integer of milliseconds; BOOLEAN true/false/t/f/yes/no/1/0. Returns 0,
** or 1 when the text is not a value of the type.
*/
int conn_field_set(exec_batch *b, int iCol, int iRow, const char *z, size_t n) {
  exec_vec *v = &b->aCol[iCol];
  if (v->type == WEIR_VARCHAR) {
    if (n > UINT32_MAX) return 1;
    v->v.s[iRow].p = z;
    v->v.s[iRow].n = (uint32_t)n;
    v->null[iRow] = 0;
    return 0;
  }
  z = trim(z, &n);
  if (n == 0) {
    v->null[iRow] = 1;
    return 0;
  }
  switch (v->type) {
    case WEIR_BIGINT:
      if (conn_parse_i64(z, n, &v->v.i64[iRow])) return 1;
      break;
    case WEIR_TIMESTAMP: {
      int64_t ms;
      if (common_ts_parse(z, n, &v->v.i64[iRow]) == 0) break;
      if (conn_parse_i64(z, n, &ms) || ms > INT64_MAX / 1000 ||
          ms < INT64_MIN / 1000) {
        return 1;
      }
      v->v.i64[iRow] = ms * 1000;
      break;
    }
    case WEIR_INTERVAL: {
      int64_t ms;
      if (conn_parse_i64(z, n, &ms) || ms > INT64_MAX / 1000 ||
          ms < INT64_MIN / 1000) {
        return 1;
      }
      v->v.i64[iRow] = ms * 1000;
      break;
    }
    case WEIR_DOUBLE: {
      char zBuf[64];
      char *zEnd;
      if (n >= sizeof zBuf) return 1;
      memcpy(zBuf, z, n);
      zBuf[n] = 0;
      double d = strtod(zBuf, &zEnd);
      if (zEnd != zBuf + n) return 1;
      v->v.f64[iRow] = d;
      break;
    }
    case WEIR_BOOLEAN:
      if ((n == 4 && common_strnicmp(z, "true", 4) == 0) ||
          (n == 1 && (z[0] == 't' || z[0] == 'T' || z[0] == '1')) ||
          (n == 3 && common_strnicmp(z, "yes", 3) == 0)) {
        v->v.b[iRow] = 1;
      } else if ((n == 5 && common_strnicmp(z, "false", 5) == 0) ||
                 (n == 1 && (z[0] == 'f' || z[0] == 'F' || z[0] == '0')) ||
                 (n == 2 && common_strnicmp(z, "no", 2) == 0)) {
        v->v.b[iRow] = 0;
      } else {
        return 1;
      }
      break;
    default:
      return 1;
  }
  v->null[iRow] = 0;
  return 0;
}

/* Report that z[0..n) is not a value of column iCol (shared wording). */
static void bad_value(conn_rd *r, int64_t iLine, int iCol, const char *z,
                      size_t n) {
  int nShow = n > 40 ? 40 : (int)n;
  conn_rd_bad(r, iLine, "column %s: '%.*s%s' is not a %s", r->sch->azName[iCol],
              nShow, z, n > 40 ? "..." : "", exec_type_name(r->sch->aType[iCol]));
}

/* One CSV field located in the buffer. */
typedef struct csv_field {
  const char *z; /* start of the text (inside the quotes if quoted) */
  size_t n;
  int bQuoted;
  int bEscaped; /* contains "" pairs to collapse */
} csv_field;

/*
** Scan one field starting at p (end of the available bytes: pEnd; end of
** the current line, excluding any '\r': *ppEol, which moves to the next
** '\n' (or pEnd) when a quoted field spans lines). Returns the position
** just after the field (at the delimiter or the line end), or NULL when a
** quoted field is not closed within the available bytes (or its closing
** quote is the last byte and more may follow, unless bEof). Counts the
** newlines inside quotes in *pnNl.
*/
static const char *csv_field_scan(const char *p, const char *pEnd,
                                  const char **ppEol, char cDelim, int bEof,
                                  csv_field *f, int *pnNl) {
  const char *pEol = *ppEol;
  f->bQuoted = 0;
  f->bEscaped = 0;
  if (p < pEol && *p == '"') {
    const char *q = p + 1;
    f->bQuoted = 1;
    f->z = q;
    for (;;) {
      const char *c = memchr(q, '"', (size_t)(pEnd - q));
      if (!c) return NULL;
      if (c + 1 == pEnd && !bEof) return NULL;
      if (c + 1 < pEnd && c[1] == '"') {
        f->bEscaped = 1;
        q = c + 2;
        continue;
      }
      f->n = (size_t)(c - f->z);
      q = c + 1;
      break;
    }
    if (q > pEol) {
      /* Newlines inside the quotes: the record ends on a later line. */
      for (const char *s = f->z; s < q; s++) {
        if (*s == '\n') (*pnNl)++;
      }
      const char *e = memchr(q, '\n', (size_t)(pEnd - q));
      *ppEol = pEol = e ? e : pEnd;
    }
    /* Text after the closing quote up to the delimiter is ignored. */
    while (q < pEol && *q != cDelim) q++;
    return q;
  }
  const char *q = p;
  while (q < pEol && *q != cDelim) q++;
  f->z = p;
  f->n = (size_t)(q - p);
  return q;
}

/* The first cDelim in [q, pStop), or pStop: an unquoted field's end.
** Eight bytes at a time where the line has them (the lowest byte of the
** word that equals cDelim: x ^ pattern has a zero byte there, which the
** classic (x - 0x01..) & ~x & 0x80.. test finds; bits above the first
** zero may be wrong, the lowest is not). */
static const char *delim_scan(const char *q, const char *pStop, char cDelim) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101ULL;
  const uint64_t highs = 0x8080808080808080ULL;
  const uint64_t pat = ones * (unsigned char)cDelim;
  while (pStop - q >= 8) {
    uint64_t x;
    memcpy(&x, q, 8);
    x ^= pat;
    uint64_t t = (x - ones) & ~x & highs;
    if (t) return q + (__builtin_ctzll(t) >> 3);
    q += 8;
  }
#endif
  while (q < pStop && *q != cDelim) q++;
  return q;
}

/* Bytes looked at per search for NUL bytes: small enough that a call
** handed a large buffer for one batch does not scan all of it, large
** enough that the memchr calls cost little per record. */
#define CSV_NUL_WINDOW 4096

/* The first NUL byte in [p, p + CSV_NUL_WINDOW) (within pEnd), or the end
** of that window: the bytes before the result hold no NUL. */
static const char *nul_scan(const char *p, const char *pEnd) {
  size_t n = (size_t)(pEnd - p);
  if (n > CSV_NUL_WINDOW) n = CSV_NUL_WINDOW;
  const char *q = memchr(p, 0, n);
  return q ? q : p + n;
}

/* The number of fields in [p, pEnd) (which starts a field), counted by
** their delimiters, or -1 when one of them starts with a quote (then the
** fields must go through csv_field_scan: quoted delimiters). */
static int count_fields(const char *p, const char *pEnd, char cDelim) {
  int nField = 1;
  if (p < pEnd && *p == '"') return -1;
  while ((p = memchr(p, cDelim, (size_t)(pEnd - p))) != NULL) {
    nField++;
    if (++p < pEnd && *p == '"') return -1;
  }
  return nField;
}

/* Unescape a quoted field with "" pairs into the batch heap. */
static const char *csv_unescape(exec_batch *b, const csv_field *f, size_t *pn) {
  char *z = common_arena_alloc(b->pHeap, f->n + 1);
  size_t n = 0;
  for (size_t i = 0; i < f->n; i++) {
    z[n++] = f->z[i];
    if (f->z[i] == '"' && i + 1 < f->n && f->z[i + 1] == '"') i++;
  }
  z[n] = 0;
  *pn = n;
  return z;
}

/* Is z[0..n) well-formed UTF-8 (structurally: lead and continuation
** bytes)? */
static int utf8_ok(const unsigned char *z, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned c = z[i++];
    int k;
    if (c < 0x80) {
      k = 0;
    } else if (c >= 0xC2 && c < 0xE0) {
      k = 1;
    } else if (c >= 0xE0 && c < 0xF0) {
      k = 2;
    } else if (c >= 0xF0 && c < 0xF5) {
      k = 3;
    } else {
      return 0;
    }
    if ((size_t)k > n - i) return 0;
    for (; k > 0; k--) {
      if ((z[i++] & 0xC0) != 0x80) return 0;
    }
  }
  return 1;
}

/* Append z[0..n) to m for a message: at most 40 bytes, control bytes as
** '?', and every byte >= 0x80 as '?' too unless z is valid UTF-8. */
static void put_name(common_buf *m, const char *z, size_t n) {
  size_t k = n > 40 ? 40 : n;
  while (k < n && k > 0 && ((unsigned char)z[k] & 0xC0) == 0x80) k--;
  int bUtf8 = utf8_ok((const unsigned char *)z, k);
  for (size_t i = 0; i < k; i++) {
    unsigned char c = (unsigned char)z[i];
    int bBad = c < 0x20 || c == 0x7f || (c >= 0x80 && !bUtf8);
    common_buf_putc(m, bBad ? '?' : (char)c);
  }
  if (k < n) common_buf_puts(m, "...");
}

/*
** Check the header just read against the schema. A header that names none
** of the declared columns means the file is not what the source declares
** (or has no header line): r->zFatal is set, naming the file, the declared
** columns and the header's. Declared columns missing from the header are
** reported once per file on stderr: they read as NULL.
*/
static void csv_header_check(conn_rd *r, const char *p, const char *pEol,
                             const char *pEnd) {
  const exec_schema *sch = r->sch;
  uint8_t aSeen[64];
  uint8_t *a = sch->nCol <= 64 ? aSeen : common_malloc((size_t)sch->nCol);
  int nMatch = 0, nMissing = 0;
  memset(a, 0, (size_t)sch->nCol);
  for (int i = 0; i < r->nField; i++) {
    int c = r->aFieldCol[i];
    if (c >= 0 && !a[c]) {
      a[c] = 1;
      nMatch++;
    }
  }
  common_buf m;
  common_buf_init(&m);
  if (nMatch == 0) {
    common_buf_printf(&m, "%s: the CSV header names none of the declared "
                      "columns (", r->zFile);
    for (int c = 0; c < sch->nCol; c++) {
      common_buf_printf(&m, "%s%s", c ? ", " : "", sch->azName[c]);
    }
    common_buf_puts(&m, "); it has: ");
    for (int i = 0; i < r->nField && i < 20; i++) {
      csv_field f;
      int nNl = 0;
      const char *q = csv_field_scan(p, pEnd, &pEol, r->cDelim, 1, &f, &nNl);
      if (!q) break;
      size_t n = f.n;
      const char *z = trim(f.z, &n);
      if (i) common_buf_puts(&m, ", ");
      put_name(&m, z, n);
      if (q >= pEol) break;
      p = q + 1;
    }
    if (r->nField > 20) common_buf_printf(&m, ", ... (%d)", r->nField);
    common_buf_puts(&m, " (a file without a header line needs "
                    "'csv.header' = 'false')");
    r->zFatal = common_buf_detach(&m);
  } else {
    for (int c = 0; c < sch->nCol; c++) {
      if (a[c]) continue;
      common_buf_printf(&m, "%s%s", nMissing ? ", " : "", sch->azName[c]);
      nMissing++;
    }
    if (nMissing) {
      fprintf(stderr, "weir: %s: %s %s %s not in the header; %s NULL\n",
              r->zFile, nMissing > 1 ? "columns" : "column", m.z,
              nMissing > 1 ? "are" : "is",
              nMissing > 1 ? "they read as" : "it reads as");
    }
    common_buf_free(&m);
  }
  if (a != aSeen) common_free(a);
}

/* Read the header line's fields [p, pEol) into r->aFieldCol, then check
** them (csv_header_check). */
static void csv_header(conn_rd *r, const char *p, const char *pEol,
                       const char *pEnd) {
  const exec_schema *sch = r->sch;
  const char *p0 = p, *pEol0 = pEol;
  int nField = 0;
  for (;;) {
    csv_field f;
    int nNl = 0;
    const char *q = csv_field_scan(p, pEnd, &pEol, r->cDelim, 1, &f, &nNl);
    if (!q) break;
    if (nField >= r->nFieldAlloc) {
      r->nFieldAlloc = r->nFieldAlloc ? r->nFieldAlloc * 2 : 16;
      r->aFieldCol =
          common_realloc(r->aFieldCol, sizeof(int) * (size_t)r->nFieldAlloc);
    }
    size_t n = f.n;
    const char *z = trim(f.z, &n);
    int iCol = -1;
    for (int c = 0; c < sch->nCol; c++) {
      if (strlen(sch->azName[c]) == n &&
          common_strnicmp(sch->azName[c], z, n) == 0) {
        iCol = c;
        break;
      }
    }
    r->aFieldCol[nField++] = iCol;
    if (q >= pEol) break;
    p = q + 1;
  }
  r->nField = nField;
  csv_header_check(r, p0, pEol0, pEnd);
}

/*
** Parse CSV records from z[0..n) into b; see conn_internal.h. Returns the
** bytes consumed (up to the end of the last complete record parsed).
*/
size_t conn_csv_parse(conn_rd *r, const char *z, size_t n, int bEof,
                      exec_batch *b) {
  const char *p = z, *pEnd = z + n;
  const exec_schema *sch = r->sch;
  const int nCol = sch->nCol;
  const char cDelim = r->cDelim;
  /* The last column we need, so the rest of a line can be skipped. */
  int iLastNeeded = -1;
  /* Fields every record must have: the header's, or the columns. */
  int nWant = 0;
  if (!r->bHeader && !r->bHeaderDone) {
    r->bHeaderDone = 1;
    r->nField = 0;
  }
  /* NUL bytes are looked for a window at a time, not field by field: no
  ** record that ends before pNul holds one. */
  const char *pNul = nul_scan(z, pEnd);
  while (p < pEnd && b->n < EXEC_BATCH_CAP && !r->zFatal) {
    const char *pEol = memchr(p, '\n', (size_t)(pEnd - p));
    if (!pEol) {
      if (!bEof) break;
      pEol = pEnd;
    }
    const char *pRec = p;
    int64_t iLine = r->iLine;
    /* Blank line. */
    if (pEol == p || (pEol == p + 1 && *p == '\r')) {
      r->iLine++;
      p = pEol < pEnd ? pEol + 1 : pEnd;
      continue;
    }
    if (!r->bHeaderDone) {
      const char *e = pEol;
      if (e > p && e[-1] == '\r') e--;
      if (e - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3; /* BOM */
      csv_header(r, p, e, pEnd);
      r->bHeaderDone = 1;
      r->iLine++;
      p = pEol < pEnd ? pEol + 1 : pEnd;
      if (pNul < p) pNul = nul_scan(p, pEnd);
      continue;
    }
    if (iLastNeeded < 0) {
      /* Computed once per call: the highest field index we must read. */
      nWant = r->nField ? r->nField : nCol;
      iLastNeeded = 0;
      int nF = r->nField ? r->nField : nCol;
      for (int f = 0; f < nF; f++) {
        int c = r->nField ? r->aFieldCol[f] : f;
        if (c >= 0 && c < nCol && (!r->aNeeded || r->aNeeded[c])) {
          iLastNeeded = f;
        }
      }
    }
    int iRow = b->n;
    for (int c = 0; c < nCol; c++) b->aCol[c].null[iRow] = 1;
    int bBad = 0, nNl = 0, iField = 0;
    const char *q = p;
    const char *pLineEnd = pEol;
    int bCr = pEol > p && pEol[-1] == '\r';
    const char *pStop = bCr ? pEol - 1 : pEol;
    for (;;) {
      csv_field f;
      const char *pFieldEnd = pStop;
      const char *e;
      if (q < pStop && *q == '"') {
        e = csv_field_scan(q, pEnd, &pFieldEnd, cDelim, bEof, &f, &nNl);
      } else {
        /* Unquoted (most fields): straight to the delimiter. */
        e = delim_scan(q, pStop, cDelim);
        f.z = q;
        f.n = (size_t)(e - q);
        f.bQuoted = 0;
        f.bEscaped = 0;
      }
      if (!e) {
        if (!bEof) goto need_more;
        conn_rd_bad(r, iLine, "unterminated quoted field");
        bBad = 1;
        pLineEnd = pEnd;
        break;
      }
      if (pFieldEnd != pStop) {
        /* A quoted field spanned lines: the record ends further on. */
        pLineEnd = pFieldEnd;
        if (pLineEnd == pEnd && !bEof) goto need_more;
        bCr = pLineEnd > e && pLineEnd[-1] == '\r';
        pStop = bCr ? pLineEnd - 1 : pLineEnd;
        if (e > pStop) e = pStop;
      }
      int c = r->nField ? (iField < r->nField ? r->aFieldCol[iField] : -1)
                        : (iField < nCol ? iField : -1);
      if (c >= 0 && (!r->aNeeded || r->aNeeded[c]) && (f.n > 0 || f.bQuoted)) {
        const char *zv = f.z;
        size_t nv = f.n;
        if (f.bEscaped) zv = csv_unescape(b, &f, &nv);
        exec_vec *v = &b->aCol[c];
        if (v->type == WEIR_VARCHAR && nv <= UINT32_MAX) {
          v->v.s[iRow].p = zv;          /* conn_field_set's, inline */
          v->v.s[iRow].n = (uint32_t)nv;
          v->null[iRow] = 0;
        } else if (conn_field_set(b, c, iRow, zv, nv)) {
          bad_value(r, iLine, c, zv, nv);
          bBad = 1;
          break;
        }
      }
      if (e >= pStop) break;
      q = e + 1;
      iField++;
      if (iField > iLastNeeded) {
        /* Nothing left to parse: count the remaining fields. */
        int nMore = count_fields(q, pStop, cDelim);
        if (nMore > 0) {
          iField += nMore - 1;
          break;
        }
      }
    }
    if (!bBad && iField + 1 != nWant && (r->nField || r->bExactFields)) {
      if (r->nField) {
        conn_rd_bad(r, iLine, "%d field%s, the header has %d", iField + 1,
                    iField ? "s" : "", nWant);
      } else {
        conn_rd_bad(r, iLine, "%d field%s, the source has %d column%s",
                    iField + 1, iField ? "s" : "", nWant,
                    nWant == 1 ? "" : "s");
      }
      bBad = 1;
    }
    r->iLine += 1 + nNl;
    p = pLineEnd < pEnd ? pLineEnd + 1 : pEnd;
    if (pNul < p) {
      /* The record reaches past the window (or holds its NUL). */
      if (*pNul == 0 || memchr(pNul, 0, (size_t)(p - pNul))) {
        if (!bBad) conn_rd_bad(r, iLine, "NUL byte in record");
        bBad = 1;
      }
      pNul = nul_scan(p, pEnd);
    }
    if (!bBad) {
      b->op[iRow] = OP_INSERT;
      b->n++;
    }
    continue;
  need_more:
    p = pRec;
    break;
  }
  return (size_t)(p - z);
}

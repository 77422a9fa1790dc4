/*
** connectors/format.c — writing rows as CSV or JSON lines, for the file
** sink (and anything else that prints records).
**
** Hot path of a stateless query into a file, so: the output buffer is
** grown once per row, integers are formatted by hand, strings are copied
** with a table lookup deciding quoting/escaping. Timestamps go through
** common_ts_format ('YYYY-MM-DD HH:MM:SS[.fff]'), doubles through "%.17g"
** (shortest of %.15g/%.17g that round-trips).
**
** CSV: NULL is an empty field; an empty string is written "" (so the CSV
** reader, which reads an empty unquoted field as NULL, round-trips both);
** fields holding the delimiter, a quote, CR or LF are quoted with ""
** doubling. JSON: {"op":"+I","col":value,...}; NULL is null; BOOLEAN
** true/false; TIMESTAMP a string; INTERVAL a number of microseconds.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/conn_internal.h"

/* Make room for n more bytes (plus NUL) in out. */
static inline void reserve(common_buf *out, size_t n) {
  if (out->n + n + 1 > out->cap) {
    size_t cap = out->cap ? out->cap * 2 : 256;
    while (cap < out->n + n + 1) cap *= 2;
    out->z = common_realloc(out->z, cap);
    out->cap = cap;
  }
}

/* Write v in decimal at z; returns the length (<= 20). */
static inline int fmt_i64(char *z, int64_t v) {
  char t[24];
  int n = 0, k = 0;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do {
    t[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) z[k++] = '-';
  while (n) z[k++] = t[--n];
  return k;
}

/* Write d; returns the length (<= 32). */
static int fmt_f64(char *z, double d) {
  char t[40];
  int n = snprintf(t, sizeof t, "%.15g", d);
  if (strtod(t, NULL) != d) n = snprintf(t, sizeof t, "%.17g", d);
  if (n > 32) n = 32;
  memcpy(z, t, (size_t)n);
  return n;
}

/* Append a non-string value of v at row i (not NULL). Returns 0, or 1 for
** VARCHAR (the caller writes strings). */
static int put_scalar(common_buf *out, const exec_vec *v, int i, int bJson) {
  switch (v->type) {
    case WEIR_BIGINT:
    case WEIR_INTERVAL:
      reserve(out, 24);
      out->n += (size_t)fmt_i64(out->z + out->n, v->v.i64[i]);
      return 0;
    case WEIR_DOUBLE: {
      double d = v->v.f64[i];
      reserve(out, 40);
      if (bJson && (d != d || d - d != 0)) {
        memcpy(out->z + out->n, "null", 4); /* NaN/inf are not JSON */
        out->n += 4;
      } else {
        out->n += (size_t)fmt_f64(out->z + out->n, d);
      }
      return 0;
    }
    case WEIR_BOOLEAN:
      reserve(out, 8);
      if (v->v.b[i]) {
        memcpy(out->z + out->n, "true", 4);
        out->n += 4;
      } else {
        memcpy(out->z + out->n, "false", 5);
        out->n += 5;
      }
      return 0;
    case WEIR_TIMESTAMP:
      reserve(out, 36);
      if (bJson) out->z[out->n++] = '"';
      out->n += (size_t)common_ts_format(out->z + out->n, v->v.i64[i]);
      if (bJson) out->z[out->n++] = '"';
      return 0;
    case WEIR_VARCHAR:
      return 1;
  }
  return 0;
}

/* Bytes that force CSV quoting (the delimiter is checked apart). */
static int csv_needs_quote(const char *z, uint32_t n, char cDelim) {
  for (uint32_t i = 0; i < n; i++) {
    char c = z[i];
    if (c == cDelim || c == '"' || c == '\n' || c == '\r') return 1;
  }
  return n == 0;
}

/* Append string z[0..n) as a CSV field. */
static void csv_put_str(common_buf *out, const char *z, uint32_t n,
                        char cDelim) {
  if (!csv_needs_quote(z, n, cDelim)) {
    reserve(out, n);
    memcpy(out->z + out->n, z, n);
    out->n += n;
    return;
  }
  reserve(out, (size_t)n * 2 + 2);
  char *o = out->z + out->n;
  *o++ = '"';
  for (uint32_t i = 0; i < n; i++) {
    if (z[i] == '"') *o++ = '"';
    *o++ = z[i];
  }
  *o++ = '"';
  out->n = (size_t)(o - out->z);
}

/*
** Append row iRow of b as a CSV record with delimiter cDelim, plus '\n'.
*/
void conn_format_csv_row_delim(common_buf *out, const exec_batch *b, int iRow,
                               char cDelim) {
  for (int c = 0; c < b->nCol; c++) {
    const exec_vec *v = &b->aCol[c];
    if (c > 0) {
      reserve(out, 1);
      out->z[out->n++] = cDelim;
    }
    if (v->type == WEIR_NULL_TYPE || v->null[iRow]) continue;
    if (put_scalar(out, v, iRow, 0)) {
      csv_put_str(out, v->v.s[iRow].p, v->v.s[iRow].n, cDelim);
    }
  }
  reserve(out, 1);
  out->z[out->n++] = '\n';
  out->z[out->n] = 0;
}

/*
** Append row iRow of b as a CSV record (',' delimiter, RFC 4180 quoting)
** plus '\n' to out.
*/
void conn_format_csv_row(common_buf *out, const exec_batch *b, int iRow) {
  conn_format_csv_row_delim(out, b, iRow, ',');
}

/* JSON escapes: 0 = copy as is, else the escape letter (or 'u'). */
static const char json_esc[256] = {
    ['"'] = '"',  ['\\'] = '\\', ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
    ['\r'] = 'r', ['\t'] = 't',  [0x00] = 'u', [0x01] = 'u', [0x02] = 'u',
    [0x03] = 'u', [0x04] = 'u',  [0x05] = 'u', [0x06] = 'u', [0x07] = 'u',
    [0x0b] = 'u', [0x0e] = 'u',  [0x0f] = 'u', [0x10] = 'u', [0x11] = 'u',
    [0x12] = 'u', [0x13] = 'u',  [0x14] = 'u', [0x15] = 'u', [0x16] = 'u',
    [0x17] = 'u', [0x18] = 'u',  [0x19] = 'u', [0x1a] = 'u', [0x1b] = 'u',
    [0x1c] = 'u', [0x1d] = 'u',  [0x1e] = 'u', [0x1f] = 'u',
};

/* Append z[0..n) as a JSON string (with quotes). */
static void json_put_str(common_buf *out, const char *z, size_t n) {
  reserve(out, n * 6 + 2);
  char *o = out->z + out->n;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    char e = json_esc[c];
    if (!e) {
      *o++ = (char)c;
    } else if (e != 'u') {
      *o++ = '\\';
      *o++ = e;
    } else {
      static const char hex[] = "0123456789abcdef";
      memcpy(o, "\\u00", 4);
      o[4] = hex[c >> 4];
      o[5] = hex[c & 15];
      o += 6;
    }
  }
  *o++ = '"';
  out->n = (size_t)(o - out->z);
}

/*
** Append row iRow of b as one JSON object plus '\n' to out: keys are the
** column names of sch, preceded by "op" ("+I", "-U", "+U", "-D") when bOp.
*/
void conn_format_json_row(common_buf *out, const exec_batch *b, int iRow,
                          const exec_schema *sch, int bOp) {
  reserve(out, 16);
  out->z[out->n++] = '{';
  int bFirst = 1;
  if (bOp) {
    static const char *const azOp[] = {"+I", "-U", "+U", "-D"};
    int op = b->op ? b->op[iRow] : OP_INSERT;
    memcpy(out->z + out->n, "\"op\":\"", 6);
    out->n += 6;
    memcpy(out->z + out->n, azOp[op & 3], 2);
    out->n += 2;
    out->z[out->n++] = '"';
    bFirst = 0;
  }
  for (int c = 0; c < b->nCol && c < sch->nCol; c++) {
    const exec_vec *v = &b->aCol[c];
    const char *zName = sch->azName[c];
    if (!bFirst) {
      reserve(out, 1);
      out->z[out->n++] = ',';
    }
    bFirst = 0;
    json_put_str(out, zName, strlen(zName));
    reserve(out, 8);
    out->z[out->n++] = ':';
    if (v->type == WEIR_NULL_TYPE || v->null[iRow]) {
      memcpy(out->z + out->n, "null", 4);
      out->n += 4;
      continue;
    }
    if (put_scalar(out, v, iRow, 1)) {
      json_put_str(out, v->v.s[iRow].p, v->v.s[iRow].n);
    }
  }
  reserve(out, 2);
  out->z[out->n++] = '}';
  out->z[out->n++] = '\n';
  out->z[out->n] = 0;
}

/*
** connectors/json.c — the JSON lines record parser: one flat object per
** line, parsed straight into an exec_batch.
**
** Why hand-written: libjansson (installed) was measured on the benchmark
** data (bench_gen_scores, 1M lines, json_loadb per line + two lookups,
** -O2) at about 0.69 million rows/s, far from the 5 million rows/s target;
** this flat scanner, which converts only the needed columns and points
** strings into the read buffer, parses the same data (5M lines, team and
** score needed, Release build) at about 13 million rows/s of CPU time,
** 12 million rows/s through the file source (test_connectors_bench).
**
** Accepted: {"key": value, ...} with values string, number, true, false,
** null. Keys are matched to the schema's columns by name (exactly, or
** failing that case-insensitively); unknown keys are skipped, whatever
** their value (nested objects and arrays included). A declared column
** whose value is an object or array is a bad record. Strings without
** escapes are delivered zero-copy; escaped ones (\" \\ \/ \b \f \n \r \t
** \uXXXX incl. surrogate pairs) are decoded into the batch's pHeap.
** Conversion to the column type is conn_field_set's (so "12" and 12 both
** read as BIGINT 12; a TIMESTAMP is a string such as '2026-01-01
** 12:00:26.123' or '2026-01-01T12:00:26Z', or a number of epoch
** milliseconds). Missing keys are NULL; blank lines are skipped.
** Only needed columns (aNeeded) are converted, so a bad value in a column
** no query reads is not noticed.
*/
#include <string.h>

#include "connectors/conn_internal.h"

/* Skip JSON whitespace. */
static inline const char *ws(const char *p, const char *e) {
  while (p < e && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
  return p;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Nonzero where a byte of x equals the byte repeated in m; the lowest set
** bit marks the first such byte exactly (SWAR). */
static inline uint64_t has_byte(uint64_t x, uint64_t m) {
  uint64_t y = x ^ m;
  return (y - 0x0101010101010101ull) & ~y & 0x8080808080808080ull;
}
#define JSON_SWAR 1
#endif

/* Scan a string whose opening quote is at p[-1]. Returns the position of
** the closing quote (or NULL if none before e); *pbEsc set if it holds
** backslash escapes. Eight bytes at a time where the CPU allows. */
static const char *str_scan(const char *p, const char *e, int *pbEsc) {
  *pbEsc = 0;
  for (;;) {
#ifdef JSON_SWAR
    while (e - p >= 8) {
      uint64_t x;
      memcpy(&x, p, 8);
      uint64_t t = has_byte(x, 0x2222222222222222ull) |
                   has_byte(x, 0x5c5c5c5c5c5c5c5cull);
      if (t) {
        p += __builtin_ctzll(t) >> 3;
        break;
      }
      p += 8;
    }
#endif
    while (p < e && *p != '"' && *p != '\\') p++;
    if (p >= e) return NULL;
    if (*p == '"') return p;
    *pbEsc = 1;
    p += 2;
  }
}

/* Parse 4 hex digits at p; -1 if not hex. */
static int hex4(const char *p) {
  int v = 0;
  for (int i = 0; i < 4; i++) {
    int c = p[i], d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return -1;
    v = v * 16 + d;
  }
  return v;
}

/* Decode the escaped string z[0..n) into zOut (room for n bytes; UTF-8
** never grows past the escape text). Returns the decoded length, or -1 on
** a bad escape. */
static long str_decode(const char *z, size_t n, char *zOut) {
  size_t i = 0, o = 0;
  while (i < n) {
    char c = z[i++];
    if (c != '\\') {
      zOut[o++] = c;
      continue;
    }
    if (i >= n) return -1;
    c = z[i++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        zOut[o++] = c;
        break;
      case 'b':
        zOut[o++] = '\b';
        break;
      case 'f':
        zOut[o++] = '\f';
        break;
      case 'n':
        zOut[o++] = '\n';
        break;
      case 'r':
        zOut[o++] = '\r';
        break;
      case 't':
        zOut[o++] = '\t';
        break;
      case 'u': {
        if (i + 4 > n) return -1;
        long cp = hex4(z + i);
        if (cp < 0) return -1;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= n && z[i] == '\\' &&
            z[i + 1] == 'u') {
          long lo = hex4(z + i + 2);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        if (cp < 0x80) {
          zOut[o++] = (char)cp;
        } else if (cp < 0x800) {
          zOut[o++] = (char)(0xC0 | (cp >> 6));
          zOut[o++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
          zOut[o++] = (char)(0xE0 | (cp >> 12));
          zOut[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
          zOut[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
          zOut[o++] = (char)(0xF0 | (cp >> 18));
          zOut[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
          zOut[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
          zOut[o++] = (char)(0x80 | (cp & 0x3F));
        }
        break;
      }
      default:
        return -1;
    }
  }
  return (long)o;
}

/* Skip a nested object/array starting at p ('{' or '['). Returns the
** position after it, or NULL if it does not close before e. */
static const char *skip_nested(const char *p, const char *e) {
  int depth = 0;
  while (p < e) {
    char c = *p++;
    if (c == '{' || c == '[') {
      depth++;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return p;
    } else if (c == '"') {
      int bEsc;
      p = str_scan(p, e, &bEsc);
      if (!p) return NULL;
      p++;
    }
  }
  return NULL;
}

/* Column of r's schema named z[0..n): exact match first, then
** case-insensitive. -1 if none. */
static int find_col(const conn_rd *r, const char *z, size_t n) {
  const exec_schema *sch = r->sch;
  for (int c = 0; c < sch->nCol; c++) {
    if (r->anName[c] == n && memcmp(sch->azName[c], z, n) == 0) return c;
  }
  for (int c = 0; c < sch->nCol; c++) {
    if (r->anName[c] == n && common_strnicmp(sch->azName[c], z, n) == 0) {
      return c;
    }
  }
  return -1;
}

/* Column for the key z[0..n) at position iKey of the object, using (and
** updating) the per-position guess from previous lines. */
static int key_col(conn_rd *r, int iKey, const char *z, size_t n) {
  if (iKey < r->nKeyHint) {
    int c = r->aKeyHint[iKey];
    if (c >= 0 && r->anName[c] == n && memcmp(r->sch->azName[c], z, n) == 0) {
      return c;
    }
  } else if (iKey < 64) {
    int nNew = iKey + 8;
    r->aKeyHint = common_realloc(r->aKeyHint, sizeof(int) * (size_t)nNew);
    for (int i = r->nKeyHint; i < nNew; i++) r->aKeyHint[i] = -1;
    r->nKeyHint = nNew;
  }
  int c = find_col(r, z, n);
  if (iKey < r->nKeyHint) r->aKeyHint[iKey] = c;
  return c;
}

/*
** Parse one object spanning [p, e) (a line without its '\n') into row
** iRow of b. Returns 0, or 1 after reporting the bad record.
*/
static int json_line(conn_rd *r, const char *p, const char *e, exec_batch *b,
                     int iRow, int64_t iLine) {
  const char *const pLine = p;
  const exec_schema *sch = r->sch;
  p = ws(p, e);
  if (p >= e || *p != '{') {
    conn_rd_bad(r, iLine, "invalid JSON: expected '{' at byte %d",
                (int)(p - pLine) + 1);
    return 1;
  }
  p = ws(p + 1, e);
  int iKey = 0;
  if (p < e && *p == '}') {
    p++;
    goto tail;
  }
  for (;;) {
    int bEsc;
    if (p >= e || *p != '"') {
      conn_rd_bad(r, iLine, "invalid JSON: expected a key at byte %d",
                  (int)(p - pLine) + 1);
      return 1;
    }
    const char *zKey = p + 1;
    const char *q = str_scan(zKey, e, &bEsc);
    if (!q) goto unterminated;
    size_t nKey = (size_t)(q - zKey);
    int c;
    if (bEsc) {
      char zBuf[256];
      long nDec = nKey < sizeof zBuf ? str_decode(zKey, nKey, zBuf) : -1;
      c = nDec < 0 ? -1 : find_col(r, zBuf, (size_t)nDec);
    } else {
      c = key_col(r, iKey, zKey, nKey);
    }
    iKey++;
    p = ws(q + 1, e);
    if (p >= e || *p != ':') {
      conn_rd_bad(r, iLine, "invalid JSON: expected ':' at byte %d",
                  (int)(p - pLine) + 1);
      return 1;
    }
    p = ws(p + 1, e);
    if (p >= e) goto unterminated;
    int bNeed = c >= 0 && (!r->aNeeded || r->aNeeded[c]);
    const char *zv;
    size_t nv;
    switch (*p) {
      case '"': {
        zv = p + 1;
        q = str_scan(zv, e, &bEsc);
        if (!q) goto unterminated;
        nv = (size_t)(q - zv);
        p = q + 1;
        if (!bNeed) break;
        if (bEsc) {
          char *zDec = common_arena_alloc(b->pHeap, nv + 1);
          long nDec = str_decode(zv, nv, zDec);
          if (nDec < 0) {
            conn_rd_bad(r, iLine, "column %s: invalid escape in string",
                        sch->azName[c]);
            return 1;
          }
          zDec[nDec] = 0;
          zv = zDec;
          nv = (size_t)nDec;
        }
        if (conn_field_set(b, c, iRow, zv, nv)) goto badvalue;
        break;
      }
      case '{':
      case '[':
        if (c >= 0) {
          conn_rd_bad(r, iLine, "column %s: nested %s is not a %s value",
                      sch->azName[c], *p == '{' ? "object" : "array",
                      sch->aType[c] == WEIR_VARCHAR ? "VARCHAR" : "scalar");
          return 1;
        }
        p = skip_nested(p, e);
        if (!p) goto unterminated;
        break;
      case 'n':
        if (e - p < 4 || memcmp(p, "null", 4)) goto badtoken;
        p += 4;
        if (bNeed) b->aCol[c].null[iRow] = 1;
        break;
      case 't':
      case 'f':
        zv = p;
        nv = *p == 't' ? 4 : 5;
        if ((size_t)(e - p) < nv ||
            memcmp(p, *p == 't' ? "true" : "false", nv)) {
          goto badtoken;
        }
        p += nv;
        if (bNeed && conn_field_set(b, c, iRow, zv, nv)) goto badvalue;
        break;
      default:
        if (*p != '-' && (*p < '0' || *p > '9')) goto badtoken;
        zv = p;
        p++;
        while (p < e && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' ||
                         *p == 'E' || *p == '+' || *p == '-')) {
          p++;
        }
        nv = (size_t)(p - zv);
        if (bNeed && conn_field_set(b, c, iRow, zv, nv)) goto badvalue;
        break;
    }
    p = ws(p, e);
    if (p < e && *p == ',') {
      p = ws(p + 1, e);
      continue;
    }
    if (p < e && *p == '}') {
      p++;
      break;
    }
    if (p >= e) goto unterminated;
    conn_rd_bad(r, iLine, "invalid JSON: expected ',' or '}' at byte %d",
                (int)(p - pLine) + 1);
    return 1;
  badvalue : {
    int nShow = nv > 40 ? 40 : (int)nv;
    conn_rd_bad(r, iLine, "column %s: '%.*s%s' is not a %s", sch->azName[c],
                nShow, zv, nv > 40 ? "..." : "",
                sch->aType[c] == WEIR_BIGINT      ? "BIGINT"
                : sch->aType[c] == WEIR_TIMESTAMP ? "TIMESTAMP"
                : sch->aType[c] == WEIR_DOUBLE    ? "DOUBLE"
                : sch->aType[c] == WEIR_BOOLEAN   ? "BOOLEAN"
                                                  : "value");
    return 1;
  }
  badtoken:
    conn_rd_bad(r, iLine, "invalid JSON: unexpected '%c' at byte %d", *p,
                (int)(p - pLine) + 1);
    return 1;
  }
tail:
  p = ws(p, e);
  if (p < e) {
    conn_rd_bad(r, iLine, "invalid JSON: text after the object at byte %d",
                (int)(p - pLine) + 1);
    return 1;
  }
  return 0;
unterminated:
  conn_rd_bad(r, iLine, "invalid JSON: line ends inside the object");
  return 1;
}

/*
** Parse JSON lines from z[0..n) into b; see conn_internal.h. Returns the
** bytes consumed (up to the end of the last complete line parsed).
*/
size_t conn_json_parse(conn_rd *r, const char *z, size_t n, int bEof,
                       exec_batch *b) {
  const char *p = z, *pEnd = z + n;
  const int nCol = r->sch->nCol;
  while (p < pEnd && b->n < EXEC_BATCH_CAP && !r->zFatal) {
    const char *pEol = memchr(p, '\n', (size_t)(pEnd - p));
    if (!pEol) {
      if (!bEof) break;
      pEol = pEnd;
    }
    int64_t iLine = r->iLine++;
    const char *s = ws(p, pEol);
    if (s < pEol) {
      int iRow = b->n;
      for (int c = 0; c < nCol; c++) b->aCol[c].null[iRow] = 1;
      if (json_line(r, p, pEol, b, iRow, iLine) == 0) {
        b->op[iRow] = OP_INSERT;
        b->n++;
      }
    }
    p = pEol < pEnd ? pEol + 1 : pEnd;
  }
  return (size_t)(p - z);
}

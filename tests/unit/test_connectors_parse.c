/*
** tests/unit/test_connectors_parse.c — the CSV and JSON lines record
** parsers of connectors/ at the buffer level: header mapping, quoting,
** escapes, NULLs, types, projection (aNeeded), bad records with their
** line numbers and reasons, and incomplete records at a buffer's end.
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connectors/conn_internal.h"
#include "tinytest.h"

/* The benchmark's schema plus a few more types. */
static char *azName[] = {"user_id", "team", "score", "ts", "ok", "ratio"};
static uint8_t aType[] = {WEIR_VARCHAR,   WEIR_VARCHAR, WEIR_BIGINT,
                          WEIR_TIMESTAMP, WEIR_BOOLEAN, WEIR_DOUBLE};
static exec_schema sch = {6, azName, aType};

typedef struct fixture {
  common_arena a;
  exec_batch *b;
  exec_source src;
  conn_rd rd;
} fixture;

static void fx_init(fixture *f, int fmt, const uint8_t *aNeeded) {
  memset(f, 0, sizeof *f);
  common_arena_init(&f->a, 65536);
  f->b = conn_batch_new(&f->a, &sch);
  conn_rd_init(&f->rd, &sch, aNeeded, fmt, &f->src);
  conn_rd_new_file(&f->rd, "t.data");
}

static void fx_free(fixture *f) {
  conn_rd_clear(&f->rd);
  common_arena_free(&f->a);
}

/* Render the batch: columns '|'-separated, NULL as NULL, one row a line. */
static const char *render(const exec_batch *b) {
  static common_buf out;
  common_buf_reset(&out);
  common_buf_puts(&out, "");
  for (int i = 0; i < b->n; i++) {
    for (int c = 0; c < b->nCol; c++) {
      const exec_vec *v = &b->aCol[c];
      if (c) common_buf_putc(&out, '|');
      if (v->null[i]) {
        common_buf_puts(&out, "NULL");
        continue;
      }
      char z[40];
      switch (v->type) {
        case WEIR_VARCHAR:
          common_buf_putc(&out, '[');
          common_buf_append(&out, v->v.s[i].p, v->v.s[i].n);
          common_buf_putc(&out, ']');
          break;
        case WEIR_BIGINT:
          common_buf_printf(&out, "%lld", (long long)v->v.i64[i]);
          break;
        case WEIR_TIMESTAMP:
          common_ts_format(z, v->v.i64[i]);
          common_buf_puts(&out, z);
          break;
        case WEIR_BOOLEAN:
          common_buf_puts(&out, v->v.b[i] ? "true" : "false");
          break;
        case WEIR_DOUBLE:
          common_buf_printf(&out, "%g", v->v.f64[i]);
          break;
      }
    }
    common_buf_putc(&out, '\n');
  }
  return out.z;
}

static size_t csv(fixture *f, const char *z, int bEof) {
  return conn_csv_parse(&f->rd, z, strlen(z), bEof, f->b);
}
static size_t json(fixture *f, const char *z, int bEof) {
  return conn_json_parse(&f->rd, z, strlen(z), bEof, f->b);
}

TEST(csv_header_maps_by_name) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  const char *z =
      "Score,extra,TEAM,user_id\n"
      "7,x,red,u1\n"
      "-12,y,blue,u2\n";
  CHECK_EQ_INT(csv(&f, z, 1), strlen(z));
  CHECK_EQ_STR(render(f.b),
               "[u1]|[red]|7|NULL|NULL|NULL\n"
               "[u2]|[blue]|-12|NULL|NULL|NULL\n");
  CHECK_EQ_INT(f.src.nBad, 0);
  CHECK_EQ_INT(f.rd.iLine, 4);
  fx_free(&f);
}

TEST(csv_header_with_bom) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  csv(&f, "\xEF\xBB\xBFuser_id,score\nu,3\n", 1);
  CHECK_EQ_STR(render(f.b), "[u]|NULL|3|NULL|NULL|NULL\n");
  fx_free(&f);
}

TEST(csv_types_and_nulls) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  const char *z =
      "user_id,team,score,ts,ok,ratio\n"
      "a,,3,2026-01-01 12:00:26.123,true,1.5\n"
      "\"\",\"\",,1767225600000,0,-2e3\n"
      "c,d,4,2026-01-01T00:00:01Z,F,\n";
  csv(&f, z, 1);
  CHECK_EQ_STR(render(f.b),
               "[a]|NULL|3|2026-01-01 12:00:26.123|true|1.5\n"
               "[]|[]|NULL|2026-01-01 00:00:00|false|-2000\n"
               "[c]|[d]|4|2026-01-01 00:00:01|false|NULL\n");
  CHECK_EQ_INT(f.src.nBad, 0);
  fx_free(&f);
}

TEST(csv_quotes_escapes_and_multiline) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  const char *z =
      "user_id,team,score\r\n"
      "\"a,b\",\"say \"\"hi\"\"\",1\r\n"
      "\"two\nlines\",t,2\r\n"
      "x,y,zz\r\n";
  csv(&f, z, 1);
  CHECK_EQ_STR(render(f.b),
               "[a,b]|[say \"hi\"]|1|NULL|NULL|NULL\n"
               "[two\nlines]|[t]|2|NULL|NULL|NULL\n");
  /* The bad row is on line 5: the quoted newline counts. */
  CHECK_EQ_INT(f.src.nBad, 1);
  CHECK_EQ_STR(f.src.zLastBad, "t.data:5: column score: 'zz' is not a BIGINT");
  fx_free(&f);
}

TEST(csv_bad_rows_skipped_with_line_numbers) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  const char *z =
      "user_id,team,score,ts\n"
      "a,t,1,2026-01-01 00:00:00\n"
      "b,t,abc,2026-01-01 00:00:00\n"
      "\n"
      "c,t,3,not a time\n"
      "d,t,4\n"
      "e,t,99999999999999999999\n";
  csv(&f, z, 1);
  /* Line 6 lacks a field. */
  CHECK_EQ_STR(render(f.b), "[a]|[t]|1|2026-01-01 00:00:00|NULL|NULL\n");
  CHECK_EQ_INT(f.src.nBad, 4);
  CHECK_EQ_STR(f.src.zLastBad,
               "t.data:7: column score: "
               "'99999999999999999999' is not a BIGINT");
  fx_free(&f);
  fx_init(&f, CONN_FMT_CSV, NULL);
  csv(&f, "user_id,team,score,ts\nb,t,abc,x\n", 1);
  CHECK_EQ_STR(f.src.zLastBad,
               "t.data:2: column score: 'abc' is not a "
               "BIGINT");
  fx_free(&f);
  fx_init(&f, CONN_FMT_CSV, NULL);
  csv(&f, "user_id,team,score,ts\nb,t,1,2026-13-01\n", 1);
  CHECK_EQ_STR(f.src.zLastBad,
               "t.data:2: column ts: '2026-13-01' is not a "
               "TIMESTAMP");
  fx_free(&f);
}

TEST(csv_fail_policy_stops_at_first_bad) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  f.rd.bFail = 1;
  const char *z = "user_id,score\na,1\nb,x\nc,3\n";
  size_t n = csv(&f, z, 1);
  CHECK(n < strlen(z));
  CHECK_EQ_INT(f.b->n, 1);
  CHECK(f.rd.zFatal != NULL);
  CHECK_EQ_STR(f.rd.zFatal, "t.data:3: column score: 'x' is not a BIGINT");
  fx_free(&f);
}

TEST(csv_projection_skips_unneeded_columns) {
  static const uint8_t aNeeded[] = {0, 1, 1, 0, 0, 0};
  fixture f;
  fx_init(&f, CONN_FMT_CSV, aNeeded);
  const char *z =
      "user_id,team,score,ts\n"
      "u1,t1,5,garbage\n"
      "u2,\"t,2\",6,\"x\"\"y\"\n";
  csv(&f, z, 1);
  /* ts is not needed, so its garbage is not noticed. */
  CHECK_EQ_STR(render(f.b),
               "NULL|[t1]|5|NULL|NULL|NULL\n"
               "NULL|[t,2]|6|NULL|NULL|NULL\n");
  CHECK_EQ_INT(f.src.nBad, 0);
  fx_free(&f);
}

TEST(csv_incomplete_record_waits) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  const char *z = "user_id,score\na,1\nb,2";
  size_t n = csv(&f, z, 0);
  CHECK_EQ_INT(n, strlen("user_id,score\na,1\n"));
  CHECK_EQ_INT(f.b->n, 1);
  /* An open quote spanning the end also waits. */
  const char *z2 = "c,3\n\"d\nstill";
  CHECK_EQ_INT(conn_csv_parse(&f.rd, z2, strlen(z2), 0, f.b), 4);
  CHECK_EQ_INT(f.b->n, 2);
  /* At EOF the last line without '\n' is a record. */
  const char *z3 = "e,5";
  CHECK_EQ_INT(conn_csv_parse(&f.rd, z3, 3, 1, f.b), 3);
  CHECK_EQ_INT(f.b->n, 3);
  /* An unterminated quote at EOF is a bad record. */
  const char *z4 = "\"f,6\n";
  conn_csv_parse(&f.rd, z4, strlen(z4), 1, f.b);
  CHECK_EQ_INT(f.b->n, 3);
  CHECK_CONTAINS(f.src.zLastBad, "unterminated quoted field");
  fx_free(&f);
}

TEST(csv_no_header_and_delimiter) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  f.rd.bHeader = 0;
  f.rd.bExactFields = 1; /* as the file source sets it */
  f.rd.cDelim = ';';
  csv(&f,
      "u;t;1\n"
      "v;w;2;2026-01-02;yes;0.25;extra\n"
      "x;y;3;2026-01-03;no;0.5\n"
      "z;;;;;\n",
      1);
  /* Without a header every record has one field per column. */
  CHECK_EQ_STR(render(f.b),
               "[x]|[y]|3|2026-01-03 00:00:00|false|0.5\n"
               "[z]|NULL|NULL|NULL|NULL|NULL\n");
  CHECK_EQ_INT(f.src.nBad, 2);
  CHECK_EQ_STR(f.src.zLastBad, "t.data:2: 7 fields, the source has 6 columns");
  CHECK(f.rd.zFatal == NULL);
  fx_free(&f);
}

/* Fields of every length from 0 to 40, with bytes >= 0x80 and bytes one
** off the delimiter around it, split where a byte-by-byte reading would
** (the unquoted scan reads eight bytes at a time). */
TEST(csv_field_split_every_length) {
  static const char cDelims[] = {',', ';', '|', '\t'};
  for (int d = 0; d < 4; d++) {
    char cD = cDelims[d];
    for (int n1 = 0; n1 <= 40; n1++) {
      fixture f;
      fx_init(&f, CONN_FMT_CSV, NULL);
      f.rd.bHeader = 0;
      char zLine[128], zA[48], zB[48];
      for (int k = 0; k < n1; k++) {
        /* 'a'.., a byte one above and one below the delimiter, UTF-8. */
        static const char az[] = "a\xc3\xa9\x7f";
        char c = k % 5 == 1 ? (char)(cD + 1)
                 : k % 5 == 2 ? (char)(cD - 1)
                 : az[k % 4];
        if (c == '"' || c == '\n' || c == '\r' || c == cD) c = 'x';
        zA[k] = c;
      }
      zA[n1] = 0;
      int n2 = 40 - n1;
      memset(zB, 'b', (size_t)n2);
      zB[n2] = 0;
      snprintf(zLine, sizeof zLine, "%s%c%s%c7\n", zA, cD, zB, cD);
      f.rd.cDelim = cD;
      csv(&f, zLine, 1);
      CHECK_EQ_INT(f.b->n, 1);
      if (f.b->n == 1) {
        const exec_vec *v0 = &f.b->aCol[0], *v1 = &f.b->aCol[1];
        if (n1 == 0) {
          CHECK(v0->null[0]);
        } else {
          CHECK_EQ_INT(v0->v.s[0].n, n1);
          CHECK(memcmp(v0->v.s[0].p, zA, (size_t)n1) == 0);
        }
        if (n2 == 0) {
          CHECK(v1->null[0]);
        } else {
          CHECK_EQ_INT(v1->v.s[0].n, n2);
        }
        CHECK_EQ_INT(f.b->aCol[2].v.i64[0], 7);
      }
      fx_free(&f);
    }
  }
}

TEST(csv_no_header_lenient_field_count) {
  /* Without bExactFields (kafka values): missing trailing fields are NULL
  ** and extra ones ignored. */
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  f.rd.bHeader = 0;
  csv(&f, "u,t,1\nv,w,2,2026-01-02,yes,0.25,extra\n", 1);
  CHECK_EQ_STR(render(f.b),
               "[u]|[t]|1|NULL|NULL|NULL\n"
               "[v]|[w]|2|2026-01-02 00:00:00|true|0.25\n");
  CHECK_EQ_INT(f.src.nBad, 0);
  fx_free(&f);
}

/* Run conn_csv_parse on z (at EOF) with stderr sent to a file; returns
** what was written to stderr. */
static const char *csv_stderr(fixture *f, const char *z) {
  static char zOut[1024];
  char zPath[] = "/tmp/weir_csv_stderr_XXXXXX";
  int fd = mkstemp(zPath);
  fflush(stderr);
  int fdSave = dup(2);
  dup2(fd, 2);
  csv(f, z, 1);
  fflush(stderr);
  dup2(fdSave, 2);
  close(fdSave);
  ssize_t n = pread(fd, zOut, sizeof zOut - 1, 0);
  zOut[n > 0 ? n : 0] = 0;
  close(fd);
  unlink(zPath);
  return zOut;
}

TEST(csv_header_naming_no_column_is_fatal) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  const char *z = "key,value,time\na,1,2026-01-01 00:00:00\n";
  csv(&f, z, 1);
  CHECK_EQ_INT(f.b->n, 0);
  CHECK(f.rd.zFatal != NULL);
  CHECK_EQ_STR(f.rd.zFatal,
               "t.data: the CSV header names none of the declared columns "
               "(user_id, team, score, ts, ok, ratio); it has: key, value, "
               "time (a file without a header line needs 'csv.header' = "
               "'false')");
  /* Even under 'skip', and the fatal error is not counted as a record. */
  CHECK_EQ_INT(f.src.nBad, 0);
  fx_free(&f);
  /* A headerless data file: its first line is taken for the header. */
  fx_init(&f, CONN_FMT_CSV, NULL);
  csv(&f, "u1,red,5,2026-01-01 00:00:00\nu2,blue,6,2026-01-01 00:00:01\n", 1);
  CHECK_EQ_INT(f.b->n, 0);
  CHECK_CONTAINS(f.rd.zFatal, "it has: u1, red, 5, 2026-01-01 00:00:00 (a "
                 "file without a header line");
  fx_free(&f);
  /* Binary junk: control bytes and invalid UTF-8 are shown as '?', names
  ** are cut at 40 bytes. */
  fx_init(&f, CONN_FMT_CSV, NULL);
  csv(&f,
      "\x01\xff\xfe"
      "ab,\"q\x02\",0123456789012345678901234567890123456789xyz"
      "\nmore\n", 1);
  CHECK_CONTAINS(f.rd.zFatal,
                 "it has: ???ab, q?, "
                 "0123456789012345678901234567890123456789... (a file");
  fx_free(&f);
  /* Valid UTF-8 names are kept. */
  fx_init(&f, CONN_FMT_CSV, NULL);
  csv(&f, "caf\xc3\xa9\n1\n", 1);
  CHECK_CONTAINS(f.rd.zFatal, "it has: caf\xc3\xa9 (a file");
  fx_free(&f);
}

TEST(csv_header_missing_columns_warn_once) {
  static const uint8_t aNeeded[] = {1, 0, 1, 1, 0, 0};
  fixture f;
  fx_init(&f, CONN_FMT_CSV, aNeeded);
  const char *zErr =
      csv_stderr(&f, "user_id,score,ok,ratio\na,1,t,2\nb,2,f,3\n");
  CHECK_EQ_STR(zErr,
               "weir: t.data: columns team, ts are not in the header; they "
               "read as NULL\n");
  CHECK_EQ_STR(render(f.b),
               "[a]|NULL|1|NULL|NULL|NULL\n"
               "[b]|NULL|2|NULL|NULL|NULL\n");
  CHECK(f.rd.zFatal == NULL);
  CHECK_EQ_INT(f.src.nBad, 0);
  /* More records of the same file: no new warning. */
  CHECK_EQ_STR(csv_stderr(&f, "c,3,t,4\n"), "");
  CHECK_EQ_INT(f.b->n, 3);
  /* The next file warns again, in the singular when one is missing. */
  conn_rd_new_file(&f.rd, "u.data");
  CHECK_EQ_STR(csv_stderr(&f, "user_id,team,score,ok,ratio\nd,x,4,t,5\n"),
               "weir: u.data: column ts is not in the header; it reads as "
               "NULL\n");
  CHECK_EQ_INT(f.b->n, 4);
  /* A complete header: silence. */
  conn_rd_new_file(&f.rd, "v.data");
  CHECK_EQ_STR(
      csv_stderr(&f, "RATIO,ok,ts,score,team,user_id\n1,t,2026-01-01,5,x,e\n"),
      "");
  CHECK_EQ_INT(f.b->n, 5);
  fx_free(&f);
}

TEST(csv_field_count_must_match_header) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  const char *z =
      "user_id,score,ts\n"
      "a,5,2026-01-01 12:00:40\n"
      "a,6\n"
      "a,7,2026-01-01 12:00:41,extra\n"
      "a,8,\n"
      "a\n"
      "\"a\nb\",9,2026-01-01 12:00:43,\"\"\n"
      "b,10,2026-01-01 12:00:42\n";
  csv(&f, z, 1);
  CHECK_EQ_STR(render(f.b),
               "[a]|NULL|5|2026-01-01 12:00:40|NULL|NULL\n"
               "[a]|NULL|8|NULL|NULL|NULL\n"
               "[b]|NULL|10|2026-01-01 12:00:42|NULL|NULL\n");
  CHECK_EQ_INT(f.src.nBad, 4);
  /* The multi-line record starts on line 7; the next is line 9. */
  CHECK_EQ_STR(f.src.zLastBad, "t.data:7: 4 fields, the header has 3");
  CHECK_EQ_INT(f.rd.iLine, 10);
  fx_free(&f);
  fx_init(&f, CONN_FMT_CSV, NULL);
  csv(&f, "user_id,score,ts\na,6\n", 1);
  CHECK_EQ_STR(f.src.zLastBad, "t.data:2: 2 fields, the header has 3");
  fx_free(&f);
  fx_init(&f, CONN_FMT_CSV, NULL);
  csv(&f, "user_id,score,ts\na\n", 1);
  CHECK_EQ_STR(f.src.zLastBad, "t.data:2: 1 field, the header has 3");
  fx_free(&f);
  /* Policy fail stops at a wrong field count like at any bad record. */
  fx_init(&f, CONN_FMT_CSV, NULL);
  f.rd.bFail = 1;
  csv(&f, "user_id,score\na,1\nb,2,3\nc,4\n", 1);
  CHECK_EQ_INT(f.b->n, 1);
  CHECK_EQ_STR(f.rd.zFatal, "t.data:3: 3 fields, the header has 2");
  fx_free(&f);
}

TEST(csv_field_count_with_projection) {
  /* Only team and score are parsed: the rest of each line is counted,
  ** not parsed (quoted or not). */
  static const uint8_t aNeeded[] = {0, 1, 1, 0, 0, 0};
  fixture f;
  fx_init(&f, CONN_FMT_CSV, aNeeded);
  const char *z =
      "user_id,team,score,ts,ok\n"
      "u1,t1,1,x,y\n"
      "u2,t2,2,x\n"
      "u3,t3,3,x,y,z\n"
      "u4,t4,4,\"x,y\",z\n"
      "u5,t5,5,\"x,y\"\n"
      "u6,t6,6,\"x\",\"y\",\"z\"\n"
      "u7,t7,7,,\n";
  csv(&f, z, 1);
  CHECK_EQ_STR(render(f.b),
               "NULL|[t1]|1|NULL|NULL|NULL\n"
               "NULL|[t4]|4|NULL|NULL|NULL\n"
               "NULL|[t7]|7|NULL|NULL|NULL\n");
  CHECK_EQ_INT(f.src.nBad, 4);
  CHECK_EQ_STR(f.src.zLastBad, "t.data:7: 6 fields, the header has 5");
  fx_free(&f);
}

TEST(csv_nul_byte_is_a_bad_record) {
  static const uint8_t aNeeded[] = {0, 1, 1, 0, 0, 0};
  fixture f;
  fx_init(&f, CONN_FMT_CSV, aNeeded);
  /* NULs in a needed field, in an unneeded one, in the unparsed tail, in
  ** a quoted field spanning lines, and two in one record. */
  static const char z[] =
      "user_id,team,score,ts\n"
      "a,t\0,1,x\n"
      "b\0,t,2,x\n"
      "c,t,3,x\0\n"
      "d,t,4,x\n"
      "\"e\n\0\",t,5,x\n"
      "f\0\0,t,6,x\n"
      "g,t,7,x\n";
  conn_csv_parse(&f.rd, z, sizeof z - 1, 1, f.b);
  CHECK_EQ_STR(render(f.b),
               "NULL|[t]|4|NULL|NULL|NULL\n"
               "NULL|[t]|7|NULL|NULL|NULL\n");
  CHECK_EQ_INT(f.src.nBad, 5);
  CHECK_EQ_STR(f.src.zLastBad, "t.data:8: NUL byte in record");
  fx_free(&f);
}

TEST(csv_nul_bytes_across_search_windows) {
  /* NULs are searched a window (4096 bytes) at a time: records crossing
  ** a window's end, NULs just before and after one, and a buffer handed
  ** over a batch at a time all find them. */
  common_buf in;
  common_buf_init(&in);
  common_buf_puts(&in, "user_id,score\n");
  int nNul = 0;
  for (int i = 0; i < 3000; i++) {
    size_t iStart = in.n;
    common_buf_printf(&in, "u%d,%d\n", i, i);
    /* A NUL in the user_id of the records near each 4096-byte mark of
    ** the buffer, and of one record in five hundred. */
    size_t j = iStart + 1 + (size_t)(i >= 10 && i % 2);
    if (j % 4096 < 12 || j % 4096 > 4086 || i % 500 == 7) {
      in.z[j] = 0;
      nNul++;
    }
  }
  CHECK(nNul > 10);
  for (int bPieces = 0; bPieces < 2; bPieces++) {
    fixture f;
    fx_init(&f, CONN_FMT_CSV, NULL);
    int nRows = 0;
    size_t off = 0;
    while (off < in.n) {
      f.b->n = 0;
      /* In pieces: a chunk of 1000 bytes at a time, not at EOF. */
      size_t n = bPieces && in.n - off > 1000 ? 1000 : in.n - off;
      size_t k = conn_csv_parse(&f.rd, in.z + off, n, off + n == in.n, f.b);
      CHECK(k > 0);
      off += k;
      nRows += f.b->n;
    }
    CHECK_EQ_INT(f.src.nBad, nNul);
    CHECK_EQ_INT(nRows, 3000 - nNul);
    CHECK_CONTAINS(f.src.zLastBad, "NUL byte in record");
    fx_free(&f);
  }
  /* A record across the end of the first window, with its NUL after it
  ** and only there. */
  common_buf_reset(&in);
  common_buf_puts(&in, "user_id,score\n");
  while (in.n + 4 <= 4090) common_buf_puts(&in, "a,1\n");
  size_t iNul = 4100;
  while (in.n < iNul + 5) common_buf_putc(&in, 'b');
  in.z[iNul] = 0;
  common_buf_puts(&in, ",2\nc,3\n");
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  conn_csv_parse(&f.rd, in.z, in.n, 1, f.b);
  CHECK_EQ_INT(f.src.nBad, 1);
  CHECK_CONTAINS(f.src.zLastBad, "NUL byte in record");
  CHECK_EQ_INT(f.b->n, (4090 - 14) / 4 + 1);
  fx_free(&f);
  common_buf_free(&in);
}

TEST(csv_batch_full_stops) {
  fixture f;
  fx_init(&f, CONN_FMT_CSV, NULL);
  common_buf in;
  common_buf_init(&in);
  common_buf_puts(&in, "score\n");
  for (int i = 0; i < EXEC_BATCH_CAP + 10; i++) {
    common_buf_printf(&in, "%d\n", i);
  }
  size_t n = conn_csv_parse(&f.rd, in.z, in.n, 1, f.b);
  CHECK_EQ_INT(f.b->n, EXEC_BATCH_CAP);
  CHECK(n < in.n);
  CHECK_EQ_INT(f.b->aCol[2].v.i64[EXEC_BATCH_CAP - 1], EXEC_BATCH_CAP - 1);
  f.b->n = 0;
  size_t n2 = conn_csv_parse(&f.rd, in.z + n, in.n - n, 1, f.b);
  CHECK_EQ_INT(n + n2, in.n);
  CHECK_EQ_INT(f.b->n, 10);
  CHECK_EQ_INT(f.b->aCol[2].v.i64[9], EXEC_BATCH_CAP + 9);
  common_buf_free(&in);
  fx_free(&f);
}

TEST(json_basic_types_and_order) {
  fixture f;
  fx_init(&f, CONN_FMT_JSON, NULL);
  const char *z =
      "{\"user_id\":\"u1\",\"team\":\"t045\",\"score\":7,"
      "\"ts\":\"2026-01-01 12:00:26.123\"}\n"
      "{ \"ts\" : 1767225600000 , \"SCORE\" : \"8\", \"ok\": true,"
      " \"ratio\": 2.5e1, \"other\": {\"a\": [1, \"}\"]}, \"team\": null }\n"
      "\n"
      "{}\r\n";
  CHECK_EQ_INT(json(&f, z, 1), strlen(z));
  CHECK_EQ_STR(render(f.b),
               "[u1]|[t045]|7|2026-01-01 12:00:26.123|NULL|NULL\n"
               "NULL|NULL|8|2026-01-01 00:00:00|true|25\n"
               "NULL|NULL|NULL|NULL|NULL|NULL\n");
  CHECK_EQ_INT(f.src.nBad, 0);
  fx_free(&f);
}

TEST(json_escapes_decoded) {
  fixture f;
  fx_init(&f, CONN_FMT_JSON, NULL);
  const char *z =
      "{\"user_id\":\"a\\\"b\\\\c\\/d\\n\",\"team\":\"\\u00e9\\ud83d\\ude00\","
      "\"t\\u0065am2\":1}\n";
  json(&f, z, 1);
  CHECK_EQ_INT(f.b->n, 1);
  CHECK_EQ_STR(
      render(f.b),
      "[a\"b\\c/d\n]|[\xc3\xa9\xf0\x9f\x98\x80]|NULL|NULL|NULL|NULL\n");
  fx_free(&f);
}

TEST(json_bad_records) {
  fixture f;
  fx_init(&f, CONN_FMT_JSON, NULL);
  const char *z =
      "{\"score\":1}\n"                     /* 1 ok */
      "{\"score\":\"abc\"}\n"               /* 2 bad type */
      "{\"score\":2\n"                      /* 3 unterminated */
      "not json\n"                          /* 4 */
      "{\"team\":[1,2]}\n"                  /* 5 nested for a column */
      "{\"score\":3} x\n"                   /* 6 trailing text */
      "{\"score\":1.5}\n"                   /* 7 not an integer */
      "{\"ts\":\"yesterday\"}\n"            /* 8 bad timestamp */
      "{\"score\":4,\"nest\":{\"x\":1}}\n"; /* 9 ok: unknown key */
  json(&f, z, 1);
  CHECK_EQ_INT(f.b->n, 2);
  CHECK_EQ_INT(f.b->aCol[2].v.i64[0], 1);
  CHECK_EQ_INT(f.b->aCol[2].v.i64[1], 4);
  CHECK_EQ_INT(f.src.nBad, 7);
  CHECK_EQ_STR(f.src.zLastBad,
               "t.data:8: column ts: 'yesterday' is not a TIMESTAMP");
  fx_free(&f);
  fx_init(&f, CONN_FMT_JSON, NULL);
  json(&f, "{\"score\":\"abc\"}\n", 1);
  CHECK_EQ_STR(f.src.zLastBad,
               "t.data:1: column score: 'abc' is not a "
               "BIGINT");
  fx_free(&f);
  fx_init(&f, CONN_FMT_JSON, NULL);
  json(&f, "{\"a\":1}\n{\"team\":{\"x\":1}}\n", 1);
  CHECK_CONTAINS(f.src.zLastBad, "t.data:2: column team: nested object");
  fx_free(&f);
  fx_init(&f, CONN_FMT_JSON, NULL);
  json(&f, "[1]\n", 1);
  CHECK_CONTAINS(f.src.zLastBad, "t.data:1: invalid JSON");
  fx_free(&f);
}

TEST(json_incomplete_line_waits) {
  fixture f;
  fx_init(&f, CONN_FMT_JSON, NULL);
  const char *z = "{\"score\":1}\n{\"score\":";
  CHECK_EQ_INT(json(&f, z, 0), 12);
  CHECK_EQ_INT(f.b->n, 1);
  CHECK_EQ_INT(f.src.nBad, 0);
  fx_free(&f);
}

TEST(json_projection) {
  static const uint8_t aNeeded[] = {0, 1, 1, 0, 0, 0};
  fixture f;
  fx_init(&f, CONN_FMT_JSON, aNeeded);
  json(&f, "{\"user_id\":\"u\",\"team\":\"t\",\"score\":5,\"ts\":\"bad\"}\n",
       1);
  CHECK_EQ_STR(render(f.b), "NULL|[t]|5|NULL|NULL|NULL\n");
  CHECK_EQ_INT(f.src.nBad, 0);
  fx_free(&f);
}

TEST(bad_record_log_is_rate_limited) {
  fixture f;
  fx_init(&f, CONN_FMT_JSON, NULL);
  common_buf in;
  common_buf_init(&in);
  for (int i = 0; i < 2500; i++) common_buf_puts(&in, "{\"score\":x}\n");
  char zLog[] = "/tmp/weir_conn_log_XXXXXX";
  int fd = mkstemp(zLog);
  CHECK(fd >= 0);
  fflush(stderr);
  int saved = dup(2);
  dup2(fd, 2);
  size_t off = 0;
  while (off < in.n) {
    f.b->n = 0;
    off += conn_json_parse(&f.rd, in.z + off, in.n - off, 1, f.b);
  }
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(fd);
  CHECK_EQ_INT(f.src.nBad, 2500);
  FILE *fl = fopen(zLog, "r");
  char zLine[512];
  int nLine = 0;
  while (fgets(zLine, sizeof zLine, fl)) {
    nLine++;
    if (nLine == 11) CHECK_CONTAINS(zLine, "(1000 so far): t.data:1000:");
  }
  fclose(fl);
  unlink(zLog);
  /* The first 10, then the 1000th and the 2000th. */
  CHECK_EQ_INT(nLine, 12);
  common_buf_free(&in);
  fx_free(&f);
}

/* Garbage in: never a crash, never an overread (ASan), always progress. */
TEST(random_bytes_never_crash) {
  uint64_t x = 88172645463325252ull;
  /* Thousands of bad records: keep their log lines out of the output. */
  int fdNull = open("/dev/null", O_WRONLY);
  if (fdNull >= 0) dup2(fdNull, 2);
  static const char alphabet[] = "\"\\,{}[]:\n\r ab1-.eEtrufnl\x80\xff\t";
  for (int fmt = CONN_FMT_CSV; fmt <= CONN_FMT_JSON; fmt++) {
    for (int round = 0; round < 300; round++) {
      fixture f;
      fx_init(&f, fmt, NULL);
      f.rd.bHeader = round & 1;
      char z[512];
      int n = 0;
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      n = (int)(x % (sizeof z - 32));
      /* Every other header round starts with a header that matches, so
      ** the records after it are parsed rather than stopped at a header
      ** naming no column. */
      if (fmt == CONN_FMT_CSV && (round & 3) == 3) {
        memcpy(z, "user_id,team,score\n", 19);
        n += 19;
      }
      for (int i = n > 19 && (round & 3) == 3 ? 19 : 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        z[i] = alphabet[x % (sizeof alphabet - 1)];
      }
      /* Copy to an exact-size heap block so ASan sees any overread. */
      char *p = common_malloc((size_t)n + 1);
      memcpy(p, z, (size_t)n);
      size_t off = 0;
      int nIter = 0;
      while (off < (size_t)n && nIter++ < 1000) {
        f.b->n = 0;
        size_t k =
            fmt == CONN_FMT_CSV
                ? conn_csv_parse(&f.rd, p + off, (size_t)n - off, 1, f.b)
                : conn_json_parse(&f.rd, p + off, (size_t)n - off, 1, f.b);
        off += k;
        if (f.rd.zFatal) break; /* a header naming no column */
        CHECK(k > 0);
      }
      if (!f.rd.zFatal) CHECK_EQ_INT(off, n);
      CHECK(f.rd.zFatal == NULL || (fmt == CONN_FMT_CSV && (round & 3) == 1));
      /* Not at EOF: whatever is consumed ends a line. */
      common_free(f.rd.zFatal);
      f.rd.zFatal = NULL;
      conn_rd_new_file(&f.rd, "t.data");
      f.b->n = 0;
      size_t k = fmt == CONN_FMT_CSV
                     ? conn_csv_parse(&f.rd, p, (size_t)n, 0, f.b)
                     : conn_json_parse(&f.rd, p, (size_t)n, 0, f.b);
      CHECK(k == 0 || p[k - 1] == '\n');
      common_free(p);
      fx_free(&f);
    }
  }
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}

/*
** connectors/conn_internal.h — what the files of connectors/ share with
** each other (not part of the module's contract, which is connectors.h).
**
** The record parsers (csv.c, json.c) work on a buffer of bytes handed to
** them by the file reader (file_source.c); they fill an exec_batch whose
** VARCHAR values point straight into that buffer (zero copy) unless a
** value had to be decoded (quotes, escapes), in which case it is copied
** into the batch's pHeap arena.
*/
#ifndef WEIR_CONN_INTERNAL_H
#define WEIR_CONN_INTERNAL_H

#include "connectors/connectors.h"

/* Record formats. */
#define CONN_FMT_CSV 1
#define CONN_FMT_JSON 2

/* Parse state of one reader: schema, projection, policy, position in the
** current file and the bad-record bookkeeping. */
typedef struct conn_rd {
  const exec_schema *sch;
  const uint8_t *aNeeded; /* per column: parse it (1) or deliver NULL */
  int fmt;                /* CONN_FMT_* */
  char cDelim;            /* CSV delimiter */
  int bHeader;            /* CSV: first line of each file is a header */
  int bExactFields;       /* CSV without header: one field per column
                          ** (with a header, as many as the header has,
                          ** always); else fewer or more are fine */
  int bFail;              /* 'format.on-error' = 'fail' */
  exec_source *src;       /* counters nBad / zLastBad live here */
  /* Position: set by the file reader when it switches files. */
  const char *zFile; /* name used in messages */
  int64_t iLine;     /* 1-based number of the next line to parse */
  int bHeaderDone;   /* CSV header of the current file consumed */
  int nField;        /* CSV: fields in the header */
  int *aFieldCol;    /* CSV: header field -> column, or -1 */
  int nFieldAlloc;
  size_t *anName; /* strlen of each column name */
  int *aKeyHint;  /* JSON: key position -> column guessed */
  int nKeyHint;
  /* Set when a record failed under 'fail' (a common_malloc'd message). */
  char *zFatal;
} conn_rd;

/* Initialise / release a parse state. */
void conn_rd_init(conn_rd *r, const exec_schema *sch, const uint8_t *aNeeded,
                  int fmt, exec_source *src);
void conn_rd_clear(conn_rd *r);
/* The reader moved to a new file (line 1, header not yet read). */
void conn_rd_new_file(conn_rd *r, const char *zFile);

/* Parse complete records from z[0..n) into b (appending at b->n, at most
** until b is full). A record is complete when it ends with '\n', or when
** bEof is set and the bytes run out. Returns the number of bytes consumed
** (always the end of a complete record). On a fatal error (policy fail)
** r->zFatal is set and parsing stops. */
size_t conn_csv_parse(conn_rd *r, const char *z, size_t n, int bEof,
                      exec_batch *b);
size_t conn_json_parse(conn_rd *r, const char *z, size_t n, int bEof,
                       exec_batch *b);

/* Record a malformed record at line iLine of the current file: count it,
** set src->zLastBad, log (rate limited), and under policy fail set
** r->zFatal. zFmt is the reason. */
void conn_rd_bad(conn_rd *r, int64_t iLine, const char *zFmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Convert the text z[0..n) (already unquoted/unescaped) to a value of
** column iCol of b at row iRow. VARCHAR values point at z (the caller
** guarantees z lives long enough). Returns 0, or 1 when the text is not a
** value of the column's type (the row is then bad). */
int conn_field_set(exec_batch *b, int iCol, int iRow, const char *z, size_t n);
/* Parse a decimal integer (optional sign); 0 on success. */
int conn_parse_i64(const char *z, size_t n, int64_t *pOut);

/* Allocate a batch with the columns of sch in arena a (EXEC_BATCH_CAP
** slots per vector, ops OP_INSERT, n = 0, pHeap = a). */
exec_batch *conn_batch_new(common_arena *a, const exec_schema *sch);

/* Open a `file` source (file_source.c); conn_source_open dispatches. */
exec_source *conn_file_source_open(const conn_options *o,
                                   const exec_schema *sch,
                                   const uint8_t *aNeeded, char **pzErr);
/* Format name ("csv" | "json") to CONN_FMT_*, or 0. */
int conn_format_code(const char *zFormat);

/* Option checking shared by every connector (options.c). conn_err sets
** *pzErr (when not NULL) to a formatted message and returns 1.
** conn_check_keys fails on a key of o not in azKnown (NULL-terminated)
** unless it starts with zPassPrefix, naming the closest known key and
** adding zHint to the message when given. */
int conn_err(char **pzErr, const char *zFmt, ...)
    __attribute__((format(printf, 2, 3)));
int conn_check_keys(const conn_options *o, const char *const *azKnown,
                    const char *zWhat, const char *zPassPrefix,
                    const char *zHint, char **pzErr);

/* Check the 'idle.timeout' / 'idle.advance' options every source may
** carry. Returns 0, or 1 with *pzErr. */
int conn_check_idle(const conn_options *o, char **pzErr);

/* conn_format_csv_row with delimiter cDelim. */
void conn_format_csv_row_delim(common_buf *out, const exec_batch *b, int iRow,
                               char cDelim);

/* Internal knobs for tests: the file reader's chunk size in bytes (0 =
** default 1 MiB) and its follow poll period in ms (0 = default 100). */
extern size_t conn_file_chunk;
extern unsigned conn_file_poll_ms;

#endif

/*
** repl/output.c — how `weir` prints what statements produce: the
** weir_callbacks of every statement point here.
**
** Modes (chosen with --mode or .mode, fixed for a query when it starts):
**   changelog  one line per row, op first: "+I | red | 10", after a header
**              line "op | team | total" printed when the query starts
**   table      rows are applied as a changelog (upsert: -U and -D remove
**              the matching row, +I and +U add one; a +U takes the place
**              of the row its -U removed) and the result is drawn as a box
**              table when the query ends
**   json       one object per row: {"op":"+I","team":"red","total":10}
**   csv        a header line, then rows; the op column comes first
**   auto       (scripts' default) a query over bounded inputs buffers its
**              rows and is drawn as a table when it ends; a query over an
**              unbounded input (it never ends by itself) prints changelog
**
** A query whose statement has returned while it keeps running is a
** background query: its rows arrive while later statements execute, and
** are tagged with its name: "[q1] +I | red | 10" (DESIGN.md §3).
**
** While a query blocks the interactive prompt, a status line on stderr
** shows its counters (rows in/out, watermark, lag, late rows dropped),
** redrawn with each row (counters re-read at most every 200 ms) and by a
** 500 ms timer on the loop; in table mode the table is redrawn in place
** (between batches, at most twice a second; its last rows when it is
** taller than the screen).
*/
#include "repl/repl.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

/* ---- rows ----------------------------------------------------------------*/

/* One formatted result row; cells live in the same allocation. */
typedef struct out_row {
  weir_op op;
  uint64_t hash;          /* of the cells, for upsert matching */
  int nCol;
  char *az[];             /* nCol cells, NUL-terminated */
} out_row;

/* Format v into b (reset first); returns b->z. */
static const char *format_value(common_buf *b, const weir_value *v) {
  char zBuf[128];
  common_buf_reset(b);
  int n = weir_value_format(zBuf, (int)sizeof zBuf, v);
  if (n < (int)sizeof zBuf) {
    common_buf_append(b, zBuf, (size_t)n);
  } else {
    char *z = common_malloc((size_t)n + 1);
    weir_value_format(z, n + 1, v);
    common_buf_append(b, z, (size_t)n);
    common_free(z);
  }
  if (!b->z) common_buf_puts(b, "");
  return b->z;
}

/* A copy of z with control characters spelled out (\n, \t, \xNN), so a
** cell stays on one line of a table or changelog. */
static char *display_text(const char *z) {
  common_buf b;
  common_buf_init(&b);
  for (; *z; z++) {
    unsigned char c = (unsigned char)*z;
    if (c == '\n')
      common_buf_puts(&b, "\\n");
    else if (c == '\t')
      common_buf_puts(&b, "\\t");
    else if (c == '\r')
      common_buf_puts(&b, "\\r");
    else if (c < 0x20 || c == 0x7f)
      common_buf_printf(&b, "\\x%02x", c);
    else
      common_buf_putc(&b, (char)c);
  }
  if (!b.z) common_buf_puts(&b, "");
  return common_buf_detach(&b);
}

/* Format a row for display; the caller frees it with common_free. */
static out_row *row_new(weir_op op, int nCol, const weir_value *aVal) {
  common_buf b;
  common_buf_init(&b);
  size_t nText = 0;
  char **az = common_calloc((size_t)nCol + 1, sizeof(char *));
  for (int i = 0; i < nCol; i++) {
    az[i] = display_text(format_value(&b, &aVal[i]));
    nText += strlen(az[i]) + 1;
  }
  common_buf_free(&b);
  out_row *r = common_malloc(sizeof(out_row) + (size_t)nCol * sizeof(char *) +
                             nText);
  r->op = op;
  r->nCol = nCol;
  r->hash = 0;
  char *p = (char *)&r->az[nCol];
  for (int i = 0; i < nCol; i++) {
    size_t n = strlen(az[i]) + 1;
    memcpy(p, az[i], n);
    r->az[i] = p;
    r->hash = common_hash(p, n, r->hash);
    p += n;
    common_free(az[i]);
  }
  common_free(az);
  return r;
}

static int row_equal(const out_row *a, const out_row *b) {
  if (a->hash != b->hash || a->nCol != b->nCol) return 0;
  for (int i = 0; i < a->nCol; i++)
    if (strcmp(a->az[i], b->az[i])) return 0;
  return 1;
}

/* ---- the upsert table ----------------------------------------------------*/

/* Rows in arrival order (NULL slots were removed), with a hash index from
** row content to slots so retractions find their row quickly. */
typedef struct out_table {
  out_row **aRow;
  int *aNext;             /* hash chain through slots, -1 ends */
  int nRow, nAlloc;       /* slots used / allocated */
  int nLive;
  int *aBucket;           /* first slot of each chain, -1 if none */
  int nBucket;            /* a power of two */
  int iPending;           /* slot emptied by the last -U, or -1 */
} out_table;

static void table_init(out_table *t) {
  memset(t, 0, sizeof(*t));
  t->iPending = -1;
}

static void table_free(out_table *t) {
  for (int i = 0; i < t->nRow; i++) common_free(t->aRow[i]);
  common_free(t->aRow);
  common_free(t->aNext);
  common_free(t->aBucket);
  table_init(t);
}

static void table_link(out_table *t, int iSlot) {
  int h = (int)(t->aRow[iSlot]->hash & (uint64_t)(t->nBucket - 1));
  t->aNext[iSlot] = t->aBucket[h];
  t->aBucket[h] = iSlot;
}

/* Drop empty slots and rebuild the index with room for growth. */
static void table_rebuild(out_table *t) {
  int n = 0;
  for (int i = 0; i < t->nRow; i++)
    if (t->aRow[i]) t->aRow[n++] = t->aRow[i];
  t->nRow = n;
  t->iPending = -1;
  int nBucket = 64;
  while (nBucket < 2 * n) nBucket *= 2;
  common_free(t->aBucket);
  t->aBucket = common_malloc((size_t)nBucket * sizeof(int));
  t->nBucket = nBucket;
  for (int i = 0; i < nBucket; i++) t->aBucket[i] = -1;
  for (int i = 0; i < n; i++) table_link(t, i);
}

static void table_append(out_table *t, out_row *r) {
  if (t->nRow == t->nAlloc) {
    t->nAlloc = t->nAlloc ? t->nAlloc * 2 : 16;
    t->aRow = common_realloc(t->aRow, (size_t)t->nAlloc * sizeof(out_row *));
    t->aNext = common_realloc(t->aNext, (size_t)t->nAlloc * sizeof(int));
  }
  t->aRow[t->nRow] = r;
  t->nRow++;
  t->nLive++;
  if (t->nBucket < 2 * t->nRow) {
    table_rebuild(t);   /* links every slot, the new one included */
  } else {
    table_link(t, t->nRow - 1);
  }
}

/* Remove the first live row equal to r; returns its slot or -1. */
static int table_remove(out_table *t, const out_row *r) {
  if (!t->nBucket) return -1;
  int h = (int)(r->hash & (uint64_t)(t->nBucket - 1));
  int *pLink = &t->aBucket[h];
  int iBest = -1, *pBest = NULL;
  /* Chains hold newer slots first; take the oldest equal row. */
  for (int i = *pLink; i >= 0; pLink = &t->aNext[i], i = *pLink) {
    if (row_equal(t->aRow[i], r)) {
      iBest = i;
      pBest = pLink;
    }
  }
  if (iBest < 0) return -1;
  *pBest = t->aNext[iBest];
  common_free(t->aRow[iBest]);
  t->aRow[iBest] = NULL;
  t->nLive--;
  return iBest;
}

/* Apply one changelog row; takes ownership of r. */
static void table_apply(out_table *t, out_row *r) {
  switch (r->op) {
    case WEIR_OP_INSERT:
      t->iPending = -1;
      table_append(t, r);
      break;
    case WEIR_OP_UPDATE_AFTER:
      if (t->iPending >= 0 && t->iPending < t->nRow &&
          !t->aRow[t->iPending]) {
        t->aRow[t->iPending] = r;
        t->nLive++;
        table_link(t, t->iPending);
      } else {
        table_append(t, r);
      }
      t->iPending = -1;
      break;
    case WEIR_OP_UPDATE_BEFORE:
    case WEIR_OP_DELETE:
      t->iPending = table_remove(t, r);
      if (r->op == WEIR_OP_DELETE) t->iPending = -1;
      common_free(r);
      break;
  }
  /* Too many holes: compact (only between an -U and its +U never). */
  if (t->iPending < 0 && t->nRow > 64 && t->nLive < t->nRow / 2)
    table_rebuild(t);
}

/* Display width of UTF-8 text: terminal columns (wcwidth) when the locale
** knows the characters (interactive use), else code points. */
static int text_width(const char *z) {
  int w = 0;
  if (MB_CUR_MAX > 1) {
    mbstate_t st;
    memset(&st, 0, sizeof(st));
    size_t n = strlen(z);
    const char *p = z;
    while (n > 0) {
      wchar_t wc;
      size_t k = mbrtowc(&wc, p, n, &st);
      if (k == (size_t)-1 || k == (size_t)-2) break;
      if (k == 0) k = 1;
      int cw = wcwidth(wc);
      w += cw < 0 ? 1 : cw;
      p += k;
      n -= k;
    }
    if (n == 0) return w;
    w = 0;
  }
  for (; *z; z++)
    if (((unsigned char)*z & 0xC0) != 0x80) w++;
  return w;
}

static void put_repeat(FILE *out, const char *z, int n) {
  for (int i = 0; i < n; i++) fputs(z, out);
}

static void box_rule(FILE *out, int nCol, const int *aW, const char *zL,
                     const char *zM, const char *zR) {
  fputs(zL, out);
  for (int j = 0; j < nCol; j++) {
    if (j) fputs(zM, out);
    put_repeat(out, "─", aW[j] + 2);
  }
  fputs(zR, out);
  fputc('\n', out);
}

static int type_is_numeric(weir_type t) {
  return t == WEIR_BIGINT || t == WEIR_DOUBLE;
}

/* Draw the live rows of t as a box table, then "(N rows)". With nShow > 0
** and more live rows than that, only the last nShow are drawn (column
** widths fitted to them) and the count line says so. */
static void table_render(FILE *out, const out_table *t, int nCol,
                         char *const *azCol, const weir_type *aType,
                         int nShow) {
  int nSkip = nShow > 0 && t->nLive > nShow ? t->nLive - nShow : 0;
  int *aW = common_calloc((size_t)nCol + 1, sizeof(int));
  for (int j = 0; j < nCol; j++) aW[j] = text_width(azCol[j]);
  for (int i = 0, k = 0; i < t->nRow; i++) {
    const out_row *r = t->aRow[i];
    if (!r || k++ < nSkip) continue;
    for (int j = 0; j < nCol && j < r->nCol; j++) {
      int w = text_width(r->az[j]);
      if (w > aW[j]) aW[j] = w;
    }
  }
  box_rule(out, nCol, aW, "┌", "┬", "┐");
  fputs("│", out);
  for (int j = 0; j < nCol; j++) {
    fprintf(out, " %s", azCol[j]);
    put_repeat(out, " ", aW[j] - text_width(azCol[j]));
    fputs(" │", out);
  }
  fputc('\n', out);
  box_rule(out, nCol, aW, "├", "┼", "┤");
  for (int i = 0, k = 0; i < t->nRow; i++) {
    const out_row *r = t->aRow[i];
    if (!r || k++ < nSkip) continue;
    fputs("│", out);
    for (int j = 0; j < nCol; j++) {
      const char *z = j < r->nCol ? r->az[j] : "";
      int pad = aW[j] - text_width(z);
      fputc(' ', out);
      if (type_is_numeric(aType[j]) && strcmp(z, "NULL")) {
        put_repeat(out, " ", pad);
        fputs(z, out);
      } else {
        fputs(z, out);
        put_repeat(out, " ", pad);
      }
      fputs(" │", out);
    }
    fputc('\n', out);
  }
  box_rule(out, nCol, aW, "└", "┴", "┘");
  if (nSkip)
    fprintf(out, "(%d rows, the last %d shown)\n", t->nLive, t->nLive - nSkip);
  else
    fprintf(out, "(%d row%s)\n", t->nLive, t->nLive == 1 ? "" : "s");
  common_free(aW);
}

/* ---- queries -------------------------------------------------------------*/

struct repl_query {
  weir_query *q;
  char zName[32];
  int nCol;
  char **azCol;
  weir_type *aType;
  repl_mode mode;         /* never AUTO once the query is in background */
  int bBackground;
  unsigned iExec;         /* the weir_exec that started it */
  int bDirty;             /* table changed since it was last drawn */
  int bMidUpdate;         /* the last row was a -U (its +U may follow) */
  int64_t iMidAt;         /* when that -U came */
  int64_t iStartUs;       /* when it started (repl_now_us) */
  out_table tab;          /* TABLE mode */
  out_row **aLog;         /* AUTO mode: rows as they came */
  int nLog, nLogAlloc;
  repl_query *pNext;
};

static repl_query *query_find(repl_ctx *ctx, weir_query *q) {
  for (repl_query *p = ctx->pQueries; p; p = p->pNext)
    if (p->q == q) return p;
  return NULL;
}

static void query_unlink_free(repl_ctx *ctx, repl_query *rq) {
  for (repl_query **pp = &ctx->pQueries; *pp; pp = &(*pp)->pNext) {
    if (*pp == rq) {
      *pp = rq->pNext;
      break;
    }
  }
  for (int i = 0; i < rq->nCol; i++) common_free(rq->azCol[i]);
  common_free(rq->azCol);
  common_free(rq->aType);
  table_free(&rq->tab);
  for (int i = 0; i < rq->nLog; i++) common_free(rq->aLog[i]);
  common_free(rq->aLog);
  common_free(rq);
}

static const char *op_text(weir_op op) {
  switch (op) {
    case WEIR_OP_INSERT: return "+I";
    case WEIR_OP_UPDATE_BEFORE: return "-U";
    case WEIR_OP_UPDATE_AFTER: return "+U";
    case WEIR_OP_DELETE: return "-D";
  }
  return "??";
}

static const char *op_color(weir_op op) {
  switch (op) {
    case WEIR_OP_INSERT: return "\033[32m";
    case WEIR_OP_UPDATE_AFTER: return "\033[36m";
    default: return "\033[31m";
  }
}

static void print_tag(repl_ctx *ctx, const repl_query *rq) {
  if (!rq->bBackground) return;
  if (ctx->bColor)
    printf("\033[2m[%s]\033[0m ", rq->zName);
  else
    printf("[%s] ", rq->zName);
}

static void changelog_header(repl_ctx *ctx, const repl_query *rq) {
  print_tag(ctx, rq);
  if (ctx->bColor) fputs("\033[1m", stdout);
  fputs("op", stdout);
  for (int i = 0; i < rq->nCol; i++) printf(" | %s", rq->azCol[i]);
  if (ctx->bColor) fputs("\033[0m", stdout);
  fputc('\n', stdout);
}

static void changelog_row(repl_ctx *ctx, const repl_query *rq,
                          const out_row *r) {
  print_tag(ctx, rq);
  if (ctx->bColor)
    printf("%s%s\033[0m", op_color(r->op), op_text(r->op));
  else
    fputs(op_text(r->op), stdout);
  for (int i = 0; i < r->nCol; i++) printf(" | %s", r->az[i]);
  fputc('\n', stdout);
}

static void json_string(common_buf *b, const char *z, size_t n) {
  common_buf_putc(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    switch (c) {
      case '"': common_buf_puts(b, "\\\""); break;
      case '\\': common_buf_puts(b, "\\\\"); break;
      case '\n': common_buf_puts(b, "\\n"); break;
      case '\r': common_buf_puts(b, "\\r"); break;
      case '\t': common_buf_puts(b, "\\t"); break;
      default:
        if (c < 0x20)
          common_buf_printf(b, "\\u%04x", c);
        else
          common_buf_putc(b, (char)c);
    }
  }
  common_buf_putc(b, '"');
}

static void json_row(repl_ctx *ctx, const repl_query *rq, weir_op op,
                     int nCol, const weir_value *aVal) {
  common_buf b, v;
  common_buf_init(&b);
  common_buf_init(&v);
  common_buf_putc(&b, '{');
  if (rq->bBackground) {
    common_buf_puts(&b, "\"query\":");
    json_string(&b, rq->zName, strlen(rq->zName));
    common_buf_putc(&b, ',');
  }
  common_buf_printf(&b, "\"op\":\"%s\"", op_text(op));
  for (int i = 0; i < nCol && i < rq->nCol; i++) {
    const weir_value *x = &aVal[i];
    common_buf_putc(&b, ',');
    json_string(&b, rq->azCol[i], strlen(rq->azCol[i]));
    common_buf_putc(&b, ':');
    if (x->is_null || x->type == WEIR_NULL_TYPE) {
      common_buf_puts(&b, "null");
    } else if (x->type == WEIR_BOOLEAN) {
      common_buf_puts(&b, x->u.i ? "true" : "false");
    } else if (x->type == WEIR_BIGINT) {
      common_buf_printf(&b, "%lld", (long long)x->u.i);
    } else if (x->type == WEIR_DOUBLE && x->u.f == x->u.f &&
               x->u.f - x->u.f == 0) {
      common_buf_puts(&b, format_value(&v, x));   /* finite */
    } else {
      const char *z = format_value(&v, x);
      json_string(&b, z, strlen(z));
    }
  }
  common_buf_puts(&b, "}\n");
  (void)ctx;
  fputs(b.z, stdout);
  common_buf_free(&b);
  common_buf_free(&v);
}

/* RFC 4180: quote fields holding a comma, quote or line break. */
static void csv_field(common_buf *b, const char *z) {
  if (!strpbrk(z, ",\"\r\n")) {
    common_buf_puts(b, z);
    return;
  }
  common_buf_putc(b, '"');
  for (; *z; z++) {
    if (*z == '"') common_buf_putc(b, '"');
    common_buf_putc(b, *z);
  }
  common_buf_putc(b, '"');
}

static void csv_header(const repl_query *rq) {
  common_buf b;
  common_buf_init(&b);
  common_buf_puts(&b, "op");
  for (int i = 0; i < rq->nCol; i++) {
    common_buf_putc(&b, ',');
    csv_field(&b, rq->azCol[i]);
  }
  common_buf_putc(&b, '\n');
  fputs(b.z, stdout);
  common_buf_free(&b);
}

static void csv_row(weir_op op, int nCol, const weir_value *aVal) {
  common_buf b, v;
  common_buf_init(&b);
  common_buf_init(&v);
  common_buf_puts(&b, op_text(op));
  for (int i = 0; i < nCol; i++) {
    common_buf_putc(&b, ',');
    if (!aVal[i].is_null) csv_field(&b, format_value(&v, &aVal[i]));
  }
  common_buf_putc(&b, '\n');
  fputs(b.z, stdout);
  common_buf_free(&b);
  common_buf_free(&v);
}

/* Draw rq's table; background tables carry a "[name]" caption. */
static void live_erase(repl_ctx *ctx);

static void query_draw_table(repl_ctx *ctx, repl_query *rq) {
  repl_output_prepare(ctx);
  live_erase(ctx);
  if (rq->bBackground) {
    if (ctx->bColor)
      printf("\033[2m[%s]\033[0m\n", rq->zName);
    else
      printf("[%s]\n", rq->zName);
  }
  table_render(stdout, &rq->tab, rq->nCol, rq->azCol, rq->aType, 0);
  rq->bDirty = 0;
  fflush(stdout);
}

/* ---- the status line -----------------------------------------------------*/

void repl_status_clear(repl_ctx *ctx) {
  if (!ctx->bStatusShown) return;
  fputs("\r\033[K", stderr);
  ctx->bStatusShown = 0;
}

void repl_output_prepare(repl_ctx *ctx) {
  repl_status_clear(ctx);
  if (ctx->bAtPrompt && !ctx->bPromptCleared) {
    fputs("\r\033[K", stdout);
    ctx->bPromptCleared = 1;
  }
}

static void status_text(repl_ctx *ctx, const repl_query *rq, char *z,
                        size_t n) {
  weir_query_stats st;
  weir_query_get_stats(rq->q, &st);
  char zWm[40] = "-", zLag[32] = "-";
  if (st.watermark == INT64_MAX) {
    strcpy(zWm, "+inf");
  } else if (st.watermark != INT64_MIN) {
    common_ts_format(zWm, st.watermark);
    double lag = (double)(repl_wall_us() - st.watermark) / 1e6;
    if (lag < 60 && lag > -60)
      snprintf(zLag, sizeof zLag, "%.1fs", lag);
    else if (lag < 3600 && lag > -3600)
      snprintf(zLag, sizeof zLag, "%lldm%02llds", (long long)lag / 60,
               llabs((long long)lag % 60));
    else if (lag < 86400 && lag > -86400)
      snprintf(zLag, sizeof zLag, "%.1fh", lag / 3600);
    else
      snprintf(zLag, sizeof zLag, "%.1fd", lag / 86400);
  }
  snprintf(z, n, "%s: %lld rows in, %lld out, watermark %s, lag %s, "
           "late dropped %lld", rq->zName, (long long)st.rows_in,
           (long long)st.rows_out, zWm, zLag, (long long)st.late_dropped);
  (void)ctx;
}

/* Redraw the status line of a foreground query; its counters are read at
** most every 200 ms unless bForce. */
static void status_draw(repl_ctx *ctx, const repl_query *rq, int bForce) {
  int64_t now = repl_now_us();
  if (bForce || !ctx->zStatus[0] || now - ctx->iStatusAt >= 200000) {
    status_text(ctx, rq, ctx->zStatus, sizeof ctx->zStatus - 24);
    strcat(ctx->zStatus, " (Ctrl-C stops)");
    ctx->iStatusAt = now;
  }
  int w = 79;
  struct winsize ws;
  if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) w = ws.ws_col - 1;
  fprintf(stderr, "\r\033[K\033[2m%.*s\033[0m", w, ctx->zStatus);
  ctx->bStatusShown = 1;
}

/* ---- the live table ------------------------------------------------------*/

/* A table-mode query blocking the interactive prompt is redrawn in place
** (at most every 500 ms) while it runs. It is drawn only between loop
** callbacks (from the check handle and the status timer), never while a
** batch of rows is being delivered, so an update's -U and +U are always
** both applied. A table taller than the screen shows its last rows. */

/* Erase the live table drawn last (the cursor is on the line below it). */
static void live_erase(repl_ctx *ctx) {
  if (!ctx->nLiveLines) return;
  fflush(stdout);
  printf("\033[%dA\r\033[J", ctx->nLiveLines);
  ctx->nLiveLines = 0;
}

/* Terminal lines that the text z takes on a screen nCols wide. */
static int screen_lines(const char *z, int nCols) {
  int n = 0;
  while (*z) {
    const char *e = strchr(z, '\n');
    size_t len = e ? (size_t)(e - z) : strlen(z);
    char *zLine = common_strndup(z, len);
    int w = text_width(zLine);
    common_free(zLine);
    n += w <= nCols ? 1 : (w + nCols - 1) / nCols;
    z += e ? len + 1 : len;
  }
  return n;
}

static void live_draw(repl_ctx *ctx, repl_query *rq) {
  int64_t now = repl_now_us();
  if (ctx->nLiveLines && now - ctx->iLiveAt < 500000) return;
  struct winsize ws;
  int nRows = 24, nCols = 80;
  if (ioctl(1, TIOCGWINSZ, &ws) == 0) {
    if (ws.ws_row > 0) nRows = ws.ws_row;
    if (ws.ws_col > 0) nCols = ws.ws_col;
  }
  /* The screen less the status line and the line it leaves free. */
  int nRoom = nRows - 2;
  int nShow = nRoom - 5;   /* rules, header and count take 5 lines */
  char *z = NULL;
  int nLines = 0;
  while (nShow >= 1) {
    size_t n = 0;
    FILE *f = open_memstream(&z, &n);
    if (!f) return;
    table_render(f, &rq->tab, rq->nCol, rq->azCol, rq->aType, nShow);
    fclose(f);
    nLines = screen_lines(z, nCols);
    if (nLines <= nRoom) break;
    free(z);
    z = NULL;
    nShow -= nLines - nRoom;
  }
  repl_status_clear(ctx);
  live_erase(ctx);
  ctx->iLiveAt = now;
  rq->bDirty = 0;
  if (!z) return;   /* cannot fit (a tiny screen): the status line only */
  fputs(z, stdout);
  free(z);
  ctx->nLiveLines = nLines;
  fflush(stdout);
}

/* The foreground table-mode query whose table may be redrawn now, or
** NULL. */
static repl_query *live_query(repl_ctx *ctx) {
  if (!ctx->bInExec || !ctx->bStatus || !ctx->bTtyOut) return NULL;
  for (repl_query *rq = ctx->pQueries; rq; rq = rq->pNext) {
    if (rq->bBackground || rq->iExec != ctx->iExec) continue;
    if (rq->mode != REPL_MODE_TABLE || !rq->bDirty) return NULL;
    /* Never between an update's -U and its +U (unless no +U came for a
    ** whole second). */
    if (rq->bMidUpdate && repl_now_us() - rq->iMidAt < 1000000) return NULL;
    return rq;
  }
  return NULL;
}

/* ---- callbacks -----------------------------------------------------------*/

static void cb_start(void *arg, weir_query *q, const char *name, int ncol,
                     const char *const *col_names,
                     const weir_type *col_types) {
  repl_ctx *ctx = arg;
  repl_query *rq = common_calloc(1, sizeof(*rq));
  rq->q = q;
  snprintf(rq->zName, sizeof rq->zName, "%s", name ? name : "?");
  rq->nCol = ncol;
  rq->azCol = common_calloc((size_t)ncol + 1, sizeof(char *));
  rq->aType = common_calloc((size_t)ncol + 1, sizeof(weir_type));
  for (int i = 0; i < ncol; i++) {
    rq->azCol[i] = common_strdup(col_names[i] ? col_names[i] : "?");
    rq->aType[i] = col_types[i];
  }
  rq->mode = ctx->mode;
  rq->iExec = ctx->iExec;
  rq->iStartUs = repl_now_us();
  rq->bBackground = !ctx->bInExec;
  /* AUTO draws a table when the query ends; one that never ends by
  ** itself (an unbounded input) streams its changelog instead. */
  if (rq->mode == REPL_MODE_AUTO &&
      (rq->bBackground || (!ctx->zRemote && !ctx->bSnapshot &&
                           !weir_query_is_bounded(q))))
    rq->mode = REPL_MODE_CHANGELOG;
  table_init(&rq->tab);
  repl_query **pp = &ctx->pQueries;
  while (*pp) pp = &(*pp)->pNext;
  *pp = rq;
  ctx->zStatus[0] = 0;
  repl_output_prepare(ctx);
  if (rq->mode == REPL_MODE_CHANGELOG) changelog_header(ctx, rq);
  if (rq->mode == REPL_MODE_CSV) csv_header(rq);
}

static void cb_row(void *arg, weir_query *q, weir_op op, int ncol,
                   const weir_value *values) {
  repl_ctx *ctx = arg;
  repl_query *rq = query_find(ctx, q);
  if (!rq) return;
  if (ncol > rq->nCol) ncol = rq->nCol;
  int bFore = !rq->bBackground && ctx->bInExec && ctx->bStatus;
  switch (rq->mode) {
    case REPL_MODE_AUTO: {
      if (rq->nLog == rq->nLogAlloc) {
        rq->nLogAlloc = rq->nLogAlloc ? rq->nLogAlloc * 2 : 64;
        rq->aLog = common_realloc(rq->aLog,
                                  (size_t)rq->nLogAlloc * sizeof(out_row *));
      }
      rq->aLog[rq->nLog++] = row_new(op, ncol, values);
      break;
    }
    case REPL_MODE_TABLE:
      table_apply(&rq->tab, row_new(op, ncol, values));
      rq->bDirty = 1;
      /* Drawn later (check handle, timer): more rows of the batch may
      ** follow, e.g. the +U of this -U. */
      rq->bMidUpdate = op == WEIR_OP_UPDATE_BEFORE;
      if (rq->bMidUpdate) rq->iMidAt = repl_now_us();
      break;
    case REPL_MODE_CHANGELOG: {
      out_row *r = row_new(op, ncol, values);
      repl_output_prepare(ctx);
      changelog_row(ctx, rq, r);
      common_free(r);
      break;
    }
    case REPL_MODE_JSON:
      repl_output_prepare(ctx);
      json_row(ctx, rq, op, ncol, values);
      break;
    case REPL_MODE_CSV:
      repl_output_prepare(ctx);
      csv_row(op, ncol, values);
      break;
  }
  if (bFore) {
    fflush(stdout);
    /* Quick queries finish without a status line. */
    if (ctx->bStatusShown || repl_now_us() - rq->iStartUs >= 300000)
      status_draw(ctx, rq, 0);
  }
}

static void cb_end(void *arg, weir_query *q, const weir_error *err) {
  repl_ctx *ctx = arg;
  repl_query *rq = query_find(ctx, q);
  if (!rq) {
    /* A query writing to a sink prints no rows (no on_start), but its
    ** failure is an error all the same. A bounded one runs inside its own
    ** statement, whose weir_exec reports it; a continuous one fails in
    ** the background: shown when it happens and counted for the exit
    ** code. (Remote handles are placeholders: left to remote.c.) */
    if (!err || !err->code || err->code == WEIR_INTERRUPTED || !q ||
        ctx->zRemote)
      return;
    const char *zMsg = err->message ? err->message : "query failed";
    if (ctx->bInExec && weir_query_is_bounded(q)) {
      if (!ctx->endErr.code) {
        ctx->endErr.code = err->code;
        ctx->endErr.message = common_strdup(zMsg);
      }
    } else {
      repl_error(ctx, "%s", zMsg);
      ctx->nBgErr++;
    }
    return;
  }
  int bFore = !rq->bBackground && ctx->bInExec && rq->iExec == ctx->iExec;
  int bSummary = bFore && (ctx->bStatusShown || ctx->nLiveLines);
  if (bSummary) status_text(ctx, rq, ctx->zStatus, sizeof ctx->zStatus);
  repl_status_clear(ctx);
  live_erase(ctx);
  if (rq->mode == REPL_MODE_AUTO) {
    for (int i = 0; i < rq->nLog; i++) {
      table_apply(&rq->tab, rq->aLog[i]);
      rq->aLog[i] = NULL;
    }
    rq->nLog = 0;
    rq->mode = REPL_MODE_TABLE;
    rq->bDirty = 1;
  }
  if (rq->mode == REPL_MODE_TABLE && (bFore || rq->bDirty))
    query_draw_table(ctx, rq);
  if (bSummary) {
    /* Leave the final counters on screen. */
    fflush(stdout);
    fprintf(stderr, "\033[2m%s\033[0m\n", ctx->zStatus);
  }
  if (err && err->code && err->code != WEIR_INTERRUPTED) {
    if (bFore) {
      /* weir_exec reports it too; keep it in case it returns OK. */
      if (!ctx->endErr.code) {
        ctx->endErr.code = err->code;
        ctx->endErr.message =
            common_strdup(err->message ? err->message : "query failed");
      }
    } else {
      repl_error(ctx, "%s", err->message ? err->message : "query failed");
      ctx->nBgErr++;
    }
  }
  query_unlink_free(ctx, rq);
  fflush(stdout);
}

static void cb_message(void *arg, const char *text) {
  repl_ctx *ctx = arg;
  if (!text) return;
  if (ctx->pCapture) {
    common_buf_puts(ctx->pCapture, text);
    common_buf_putc(ctx->pCapture, '\n');
    return;
  }
  repl_output_prepare(ctx);
  size_t n = strlen(text);
  fputs(text, stdout);
  if (n == 0 || text[n - 1] != '\n') fputc('\n', stdout);
  fflush(stdout);
}

/* ---- exported ------------------------------------------------------------*/

/* Every 500 ms: refresh the status line of the query blocking the prompt,
** even when it has no new rows. The timer is unreferenced, so it never
** keeps the loop alive; it fires while weir_exec runs the loop. */
static void on_status_timer(uv_timer_t *h) {
  repl_ctx *ctx = h->data;
  if (!ctx->bInExec || !ctx->bStatus) return;
  for (repl_query *rq = ctx->pQueries; rq; rq = rq->pNext) {
    if (rq->bBackground || rq->iExec != ctx->iExec) continue;
    if (repl_now_us() - rq->iStartUs < 300000) return;
    if (live_query(ctx) == rq)
      live_draw(ctx, rq);   /* rows that came since the last drawing */
    fflush(stdout);
    status_draw(ctx, rq, 1);
    return;
  }
}

/* After the callbacks of each loop iteration (whole batches of rows have
** been applied): redraw the live table if it changed, at most every
** 500 ms (live_draw throttles). */
static void on_live_check(uv_check_t *h) {
  repl_ctx *ctx = h->data;
  repl_query *rq = live_query(ctx);
  if (!rq || repl_now_us() - rq->iStartUs < 300000) return;
  int64_t at = ctx->iLiveAt;
  live_draw(ctx, rq);
  if (ctx->iLiveAt != at) {
    fflush(stdout);
    status_draw(ctx, rq, 0);
  }
}

void repl_output_init(repl_ctx *ctx, uv_loop_t *loop) {
  memset(&ctx->cb, 0, sizeof(ctx->cb));
  ctx->cb.arg = ctx;
  ctx->cb.on_start = cb_start;
  ctx->cb.on_row = cb_row;
  ctx->cb.on_end = cb_end;
  ctx->cb.on_message = cb_message;
  if (loop && ctx->bStatus) {
    uv_timer_init(loop, &ctx->statusTimer);
    ctx->statusTimer.data = ctx;
    uv_timer_start(&ctx->statusTimer, on_status_timer, 500, 500);
    uv_unref((uv_handle_t *)&ctx->statusTimer);
    uv_check_init(loop, &ctx->liveCheck);
    ctx->liveCheck.data = ctx;
    uv_check_start(&ctx->liveCheck, on_live_check);
    uv_unref((uv_handle_t *)&ctx->liveCheck);
    ctx->bStatusTimer = 1;
  }
}

void repl_output_close(repl_ctx *ctx) {
  if (!ctx->bStatusTimer) return;
  uv_timer_stop(&ctx->statusTimer);
  uv_close((uv_handle_t *)&ctx->statusTimer, NULL);
  uv_check_stop(&ctx->liveCheck);
  uv_close((uv_handle_t *)&ctx->liveCheck, NULL);
  ctx->bStatusTimer = 0;
}

void repl_output_exec_begin(repl_ctx *ctx) {
  ctx->iExec++;
  ctx->bInExec = 1;
  weir_error_clear(&ctx->endErr);
}

void repl_output_exec_end(repl_ctx *ctx) {
  ctx->bInExec = 0;
  repl_status_clear(ctx);
  for (repl_query *rq = ctx->pQueries; rq; rq = rq->pNext) {
    if (rq->bBackground) continue;
    if (rq->mode == REPL_MODE_AUTO) {
      /* Still running: a continuous query. Print what it has so far as a
      ** changelog, and its later rows the same way. */
      changelog_header(ctx, rq);
      for (int i = 0; i < rq->nLog; i++) {
        changelog_row(ctx, rq, rq->aLog[i]);
        common_free(rq->aLog[i]);
      }
      rq->nLog = 0;
      rq->mode = REPL_MODE_CHANGELOG;
    }
    rq->bBackground = 1;
  }
  for (repl_query *rq = ctx->pQueries; rq; rq = rq->pNext)
    if (rq->mode == REPL_MODE_TABLE && rq->bDirty) query_draw_table(ctx, rq);
  fflush(stdout);
}

void repl_output_finish(repl_ctx *ctx) {
  while (ctx->pQueries) {
    repl_query *rq = ctx->pQueries;
    rq->bBackground = 1;
    if (rq->mode == REPL_MODE_TABLE && rq->bDirty) query_draw_table(ctx, rq);
    query_unlink_free(ctx, rq);
  }
  weir_error_clear(&ctx->endErr);
  fflush(stdout);
}

int repl_mode_parse(const char *z) {
  static const char *az[] = {"auto", "changelog", "table", "json", "csv"};
  for (int i = 0; i < COMMON_ARRAY_SIZE(az); i++)
    if (!common_stricmp(z, az[i])) return i;
  return -1;
}

const char *repl_mode_name(repl_mode m) {
  static const char *az[] = {"auto", "changelog", "table", "json", "csv"};
  return (int)m >= 0 && (int)m < COMMON_ARRAY_SIZE(az) ? az[m] : "?";
}

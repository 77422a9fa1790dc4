/*
** repl/script.c — the statement runner under every way of using `weir`:
** `weir -f FILE`, `weir -c SQL`, piped stdin, .read, and the interactive
** loop (which feeds it lines through repl_input).
**
** Statements run one at a time with weir_exec(), each given the text of one
** statement (the loop continues from weir_exec's *tail).
** Dot commands are recognised between statements when '.' is the first
** character of a line.
**
** Positions: weir_exec reports line and column relative to the text it is
** given. Each statement is passed starting at the beginning of the line it
** starts on (earlier text on that line, already run, is blanked), so the
** column is the file's own and the line only needs the line number of that
** line added; the "line L, column C" in the message is rewritten to match.
*/
#include "repl/repl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parser/parser.h"

/* ---- lexing helpers ------------------------------------------------------*/

const char *repl_skip_space(const char *z, int *pbOpen) {
  if (pbOpen) *pbOpen = 0;
  for (;;) {
    while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r' ||
           *z == '\f' || *z == '\v')
      z++;
    if (z[0] == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
    } else if (z[0] == '/' && z[1] == '*') {
      const char *e = strstr(z + 2, "*/");
      if (!e) {
        if (pbOpen) *pbOpen = 1;
        return z + strlen(z);
      }
      z = e + 2;
    } else {
      return z;
    }
  }
}

const char *repl_stmt_end(const char *z) {
  while (*z) {
    char c = *z;
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char q = c == '[' ? ']' : c;
      z++;
      while (*z) {
        if (*z == q) {
          if (q != ']' && z[1] == q) {
            z += 2;   /* doubled quote */
            continue;
          }
          break;
        }
        z++;
      }
      if (*z) z++;
    } else if (c == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
    } else if (c == '/' && z[1] == '*') {
      const char *e = strstr(z + 2, "*/");
      z = e ? e + 2 : z + strlen(z);
    } else if (c == ';') {
      return z + 1;
    } else {
      z++;
    }
  }
  return z;
}

/* ---- errors --------------------------------------------------------------*/

void repl_error(repl_ctx *ctx, const char *zFmt, ...) {
  repl_output_prepare(ctx);
  fflush(stdout);
  va_list ap;
  va_start(ap, zFmt);
  common_buf b;
  common_buf_init(&b);
  common_buf_vprintf(&b, zFmt, ap);
  va_end(ap);
  if (ctx->bColor && ctx->bInteractive)
    fprintf(stderr, "\033[31mError:\033[0m %s\n", b.z ? b.z : "");
  else
    fprintf(stderr, "Error: %s\n", b.z ? b.z : "");
  common_buf_free(&b);
  fflush(stderr);
  ctx->nErr++;
}

/* Report err of a statement passed to weir_exec starting at line iLine of
** its file: "line L, column C" in the message is moved to the file's. */
static void report_exec_error(repl_ctx *ctx, const weir_error *err,
                              int iLine) {
  const char *zMsg = err->message ? err->message : "unknown error";
  if (err->line > 0) {
    char zOld[64];
    snprintf(zOld, sizeof zOld, "line %d, column %d", err->line,
             err->column);
    const char *p = strstr(zMsg, zOld);
    if (p) {
      repl_error(ctx, "%.*sline %d, column %d%s", (int)(p - zMsg), zMsg,
                 err->line + iLine - 1, err->column, p + strlen(zOld));
      return;
    }
  }
  repl_error(ctx, "%s", zMsg);
}

/* ---- one statement -------------------------------------------------------*/

/* Run the statement at zStart; zSql is where its line begins (line iLine
** of its file), the text given to weir_exec. *pzTail is set past it.
** Returns REPL_OK, REPL_ERR (an error, when errors stop the run) or
** REPL_INTR. */
static int exec_one(repl_ctx *ctx, const char *zSql, const char *zStart,
                    const char **pzTail, int iLine) {
  weir_error err;
  memset(&err, 0, sizeof(err));
  const char *zTail = NULL;
  /* Errors of this statement; a background query failing meanwhile is
  ** reported and counted but does not stop the script. */
  int nErr0 = ctx->nErr - ctx->nBgErr;
  int64_t t0 = repl_now_us();
  repl_output_exec_begin(ctx);
  repl_signal_exec_begin();
  int rc = ctx->zRemote ? repl_remote_exec(ctx, zSql, &zTail, &err)
                        : weir_exec(ctx->pEngine, zSql, &zTail, 1, &ctx->cb,
                                    &err);
  repl_signal_exec_end();
  repl_output_exec_end(ctx);
  int64_t t1 = repl_now_us();
  if (!zTail || zTail <= zStart) zTail = repl_stmt_end(zStart);
  *pzTail = zTail;
  if (rc == WEIR_INTERRUPTED) {
    /* Ctrl-C: the rest of the input is dropped too. */
    ctx->bInterrupted = 1;
    if (!ctx->bInteractive)
      repl_error(ctx, "%s", err.message ? err.message : "interrupted");
    weir_error_clear(&err);
    weir_error_clear(&ctx->endErr);
    return REPL_INTR;
  } else if (rc != WEIR_OK) {
    report_exec_error(ctx, &err, iLine);
  } else if (ctx->endErr.code) {
    repl_error(ctx, "%s", ctx->endErr.message);
  }
  weir_error_clear(&err);
  weir_error_clear(&ctx->endErr);
  if (ctx->bTimer) printf("Run Time: %.3f s\n", (double)(t1 - t0) / 1e6);
  if (ctx->nErr - ctx->nBgErr > nErr0 && ctx->bStopOnError) return REPL_ERR;
  return REPL_OK;
}

/* ---- scripts -------------------------------------------------------------*/

int repl_run_text(repl_ctx *ctx, const char *zText, int iLine0) {
  char *z = common_strdup(zText);
  const char *p = z;
  /* Cursor for line numbers: line iLine begins at zLine. */
  const char *zLine = z;
  int iLine = iLine0;
  int rc = REPL_OK;
  while (rc == REPL_OK) {
    int bOpen;
    const char *q = repl_skip_space(p, &bOpen);
    if (!*q && bOpen) {
      /* Only a comment that never closes is left: say so, as the parser
      ** would inside a statement. */
      const char *c = strstr(p, "/*");
      int iOff = (int)((c ? c : p) - z), iL, iC;
      common_line_col(z, iOff, &iL, &iC);
      common_buf b;
      common_buf_init(&b);
      common_caret(&b, z, iOff);
      repl_error(ctx, "line %d, column %d: unterminated comment\n%s",
                 iLine0 + iL - 1, iC, b.z);
      common_buf_free(&b);
      rc = ctx->bStopOnError ? REPL_ERR : REPL_OK;
      break;
    }
    if (!*q) break;
    while (zLine < q) {
      const char *nl = memchr(zLine, '\n', (size_t)(q - zLine));
      if (!nl) break;
      zLine = nl + 1;
      iLine++;
    }
    /* zLine is now the start of q's line. */
    if (*q == '.' && strspn(zLine, " \t") == (size_t)(q - zLine)) {
      const char *e = strchr(q, '\n');
      size_t n = e ? (size_t)(e - q) : strlen(q);
      char *zCmd = common_strndup(q, n);
      rc = repl_dot_command(ctx, zCmd);
      common_free(zCmd);
      p = q + n;
      continue;
    }
    /* Blank what precedes the statement on its line (already run). */
    for (char *w = (char *)zLine; w < q; w++)
      if (*w != '\t') *w = ' ';
    /* weir_exec gets this one statement only (ended where sqlite3_complete
    ** would end it), so the engine keeps just its text. */
    char *zEnd = (char *)repl_stmt_end(q);
    char cEnd = *zEnd;
    *zEnd = 0;
    const char *zTail = NULL;
    rc = exec_one(ctx, zLine, q, &zTail, iLine);
    *zEnd = cEnd;
    p = zTail < zEnd ? zTail : zEnd;
  }
  common_free(z);
  return rc;
}

/* A NUL byte would end the text there, silently: each is reported (line
** and column, iLine0 being z's first line) and read as a space, so
** nothing else is lost and positions stay right. */
static void nul_to_space(repl_ctx *ctx, char *z, size_t n, int iLine0) {
  for (char *p = memchr(z, 0, n); p; p = memchr(p, 0, n - (size_t)(p - z))) {
    *p = 0;
    int iL, iC;
    common_line_col(z, (int)(p - z), &iL, &iC);
    repl_error(ctx, "line %d, column %d: NUL byte in the input, read as a "
               "space", iLine0 + iL - 1, iC);
    *p = ' ';
  }
}

int repl_run_file(repl_ctx *ctx, const char *zPath) {
  FILE *f = fopen(zPath, "rb");
  if (!f) {
    repl_error(ctx, "cannot open \"%s\": %s", zPath, strerror(errno));
    return ctx->bStopOnError ? REPL_ERR : REPL_OK;
  }
  common_buf b;
  common_buf_init(&b);
  char aBuf[65536];
  size_t n;
  while ((n = fread(aBuf, 1, sizeof aBuf, f)) > 0)
    common_buf_append(&b, aBuf, n);
  fclose(f);
  const char *z = b.z ? b.z : "";
  if (b.z) nul_to_space(ctx, b.z, b.n, 1);
  if (!strncmp(z, "\xEF\xBB\xBF", 3)) z += 3;   /* a UTF-8 byte order mark */
  int rc = repl_run_text(ctx, z, 1);
  common_buf_free(&b);
  return rc;
}

/* ---- line input ----------------------------------------------------------*/

void repl_input_init(repl_input *in) {
  memset(in, 0, sizeof(*in));
  common_buf_init(&in->buf);
  in->iLine0 = 1;
}

void repl_input_free(repl_input *in) { common_buf_free(&in->buf); }

int repl_input_pending(const repl_input *in) {
  if (!in->buf.n) return 0;
  int bOpen;
  const char *e = repl_skip_space(in->buf.z, &bOpen);
  return bOpen || *e != 0;
}

void repl_input_clear(repl_input *in) {
  common_buf_reset(&in->buf);
  in->iLine0 = in->nLine + 1;
}

/* Run the pending text and start over. */
static int input_flush(repl_ctx *ctx, repl_input *in) {
  int rc = REPL_OK;
  if (repl_input_pending(in)) rc = repl_run_text(ctx, in->buf.z, in->iLine0);
  repl_input_clear(in);
  return rc;
}

int repl_input_line(repl_ctx *ctx, repl_input *in, const char *zLine) {
  int bStart = !repl_input_pending(in);
  if (bStart && in->bPerStatement) in->nLine = 0;
  in->nLine++;
  if (bStart) {
    /* Between statements: a dot command, or the start of a statement. */
    common_buf_reset(&in->buf);
    in->iLine0 = in->nLine;
    const char *p = zLine + strspn(zLine, " \t");
    if (*p == '.') {
      int rc = repl_dot_command(ctx, p);
      in->iLine0 = in->nLine + 1;
      return rc;
    }
  }
  common_buf_puts(&in->buf, zLine);
  common_buf_putc(&in->buf, '\n');
  if (parse_complete(in->buf.z)) return input_flush(ctx, in);
  return REPL_OK;
}

int repl_input_finish(repl_ctx *ctx, repl_input *in) {
  return input_flush(ctx, in);
}

int repl_run_stream(repl_ctx *ctx, FILE *f) {
  repl_input in;
  repl_input_init(&in);
  char *zLine = NULL;
  size_t nAlloc = 0;
  ssize_t n;
  int rc = REPL_OK;
  int iLine = 0;
  while (rc == REPL_OK && (n = getline(&zLine, &nAlloc, f)) >= 0) {
    iLine++;
    while (n > 0 && (zLine[n - 1] == '\n' || zLine[n - 1] == '\r'))
      zLine[--n] = 0;
    nul_to_space(ctx, zLine, (size_t)n, iLine);
    rc = repl_input_line(ctx, &in, zLine);
  }
  if (rc == REPL_OK) rc = repl_input_finish(ctx, &in);
  free(zLine);
  repl_input_free(&in);
  return rc;
}

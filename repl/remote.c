/*
** repl/remote.c — `weir --connect HOST:PORT`: the same REPL against a
** `weir serve` process. Each statement is POSTed to /v1/statements
** instead of going to weir_exec; messages, errors (with line and column)
** and the rows of a query come back through the same weir_callbacks the
** local engine would call, so every output mode of output.c works.
**
** A query still running on the server is followed through its changelog
** (GET /v1/queries/ID/changes, Server-Sent Events): under the server's
** real clock the statement blocks, printing rows as they arrive, until
** the query ends or Ctrl-C (which stops it on the server: DELETE); under
** its manual clock the stream stays open in the background and what has
** arrived is printed after each later statement, as locally. Statements
** are POSTed with ?owned=1, so a query this client follows is stopped by
** the server when the client goes away (docs/server.md, "Owned queries").
**
** HTTP responses are parsed with libhttp-parser and JSON with jansson.
** Query handles given to the callbacks are placeholders (output.c only
** compares them); the status line is off in this mode.
*/
#include <errno.h>
#include <http_parser.h>
#include <jansson.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "repl/repl.h"

/* One HTTP exchange or SSE stream on a socket. */
typedef struct rstream {
  repl_ctx *ctx;
  int fd;
  http_parser parser;
  int iStatus;
  int bDone;       /* message complete or connection closed */
  common_buf body; /* plain responses */
  int bSse;
  common_buf line;           /* SSE: the line being read */
  common_buf evName, evData; /* SSE: the event being read */
  /* Query streams. */
  char zId[32];
  weir_query *pHandle; /* placeholder handle given to callbacks */
  int nCol;
  weir_type *aType;
  int bEnded;
  struct rstream *pNext;
} rstream;

static rstream *g_pBackground; /* streams of queries left running */

/* ---- sockets --------------------------------------------------------------*/

static int remote_connect(repl_ctx *ctx, weir_error *err) {
  char zHost[256];
  const char *zAddr = ctx->zRemote;
  const char *p = strrchr(zAddr, ':');
  if (!p || (size_t)(p - zAddr) >= sizeof zHost) {
    err->code = WEIR_ERROR;
    err->message = common_strdup("--connect wants HOST:PORT");
    return -1;
  }
  memcpy(zHost, zAddr, (size_t)(p - zAddr));
  zHost[p - zAddr] = 0;
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(zHost, p + 1, &hints, &res);
  int fd = -1;
  for (struct addrinfo *a = rc ? NULL : res; a; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    if (fd >= 0) close(fd);
    fd = -1;
  }
  if (res) freeaddrinfo(res);
  if (fd < 0) {
    common_buf b;
    common_buf_init(&b);
    common_buf_printf(&b, "cannot connect to weir server %s: %s", zAddr,
                      rc ? gai_strerror(rc) : strerror(errno));
    err->code = WEIR_ERROR;
    err->message = common_buf_detach(&b);
  }
  return fd;
}

static int send_all(int fd, const char *z, size_t n) {
  while (n > 0) {
    ssize_t k = send(fd, z, n, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    z += k;
    n -= (size_t)k;
  }
  return 0;
}

/* Send a request; body may be NULL. */
static int send_request(repl_ctx *ctx, int fd, const char *zMethod,
                        const char *zPath, const char *zBody) {
  common_buf b;
  common_buf_init(&b);
  size_t n = zBody ? strlen(zBody) : 0;
  common_buf_printf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", zMethod, zPath,
                    ctx->zRemote);
  if (ctx->zToken)
    common_buf_printf(&b, "Authorization: Bearer %s\r\n", ctx->zToken);
  if (zBody)
    common_buf_printf(&b, "Content-Type: text/plain\r\nContent-Length: %zu\r\n",
                      n);
  common_buf_puts(&b, "\r\n");
  if (zBody) common_buf_append(&b, zBody, n);
  int rc = send_all(fd, b.z, b.n);
  common_buf_free(&b);
  return rc;
}

/* ---- SSE events -> callbacks
 * ------------------------------------------------*/

/* JSON value v of a column of type t as a weir_value (strings point into
** v). */
static void json_to_value(json_t *v, weir_type t, weir_value *w) {
  memset(w, 0, sizeof(*w));
  w->type = t;
  if (!v || json_is_null(v)) {
    w->is_null = 1;
    return;
  }
  switch (t) {
    case WEIR_BOOLEAN:
      w->u.i = json_is_true(v);
      break;
    case WEIR_BIGINT:
      w->u.i = (int64_t)json_integer_value(v);
      break;
    case WEIR_DOUBLE:
      w->u.f = json_number_value(v);
      break;
    case WEIR_TIMESTAMP: {
      const char *z = json_string_value(v);
      if (!z || common_ts_parse(z, strlen(z), &w->u.i)) w->is_null = 1;
      break;
    }
    default: {
      /* VARCHAR, and INTERVAL shown as the server formatted it. */
      w->type = WEIR_VARCHAR;
      w->u.s.p = json_string_value(v) ? json_string_value(v) : "";
      w->u.s.n = (uint32_t)json_string_length(v);
    }
  }
}

static weir_type type_from_name(const char *z) {
  static const char *az[] = {"NULL",    "BOOLEAN",   "BIGINT",  "DOUBLE",
                             "VARCHAR", "TIMESTAMP", "INTERVAL"};
  for (int i = 0; i < 7; i++)
    if (z && !strcmp(z, az[i])) return i == 6 ? WEIR_VARCHAR : (weir_type)i;
  return WEIR_VARCHAR;
}

/* on_start for query zId with columns aCols (JSON). */
static void query_start(rstream *s, json_t *aCols) {
  repl_ctx *ctx = s->ctx;
  s->nCol = (int)json_array_size(aCols);
  s->aType = common_calloc((size_t)s->nCol + 1, sizeof(weir_type));
  const char **az = common_calloc((size_t)s->nCol + 1, sizeof(char *));
  for (int i = 0; i < s->nCol; i++) {
    json_t *c = json_array_get(aCols, (size_t)i);
    az[i] = json_string_value(json_object_get(c, "name"));
    if (!az[i]) az[i] = "?";
    s->aType[i] = type_from_name(json_string_value(json_object_get(c, "type")));
  }
  if (!s->pHandle) s->pHandle = common_calloc(1, 16);
  if (ctx->cb.on_start)
    ctx->cb.on_start(ctx->cb.arg, s->pHandle, s->zId, s->nCol, az, s->aType);
  common_free(az);
}

static void query_row(rstream *s, weir_op op, json_t *aRow) {
  repl_ctx *ctx = s->ctx;
  weir_value *a = common_calloc((size_t)s->nCol + 1, sizeof(weir_value));
  for (int i = 0; i < s->nCol; i++)
    json_to_value(json_array_get(aRow, (size_t)i), s->aType[i], &a[i]);
  if (ctx->cb.on_row) ctx->cb.on_row(ctx->cb.arg, s->pHandle, op, s->nCol, a);
  common_free(a);
}

static void query_end(rstream *s, const char *zErr) {
  repl_ctx *ctx = s->ctx;
  if (s->bEnded) return;
  s->bEnded = 1;
  weir_error er = {0};
  if (zErr) {
    er.code = WEIR_RUNTIME;
    er.message = (char *)zErr;
  }
  if (ctx->cb.on_end)
    ctx->cb.on_end(ctx->cb.arg, s->pHandle, zErr ? &er : NULL);
}

static weir_op op_from_name(const char *z) {
  if (!z) return WEIR_OP_INSERT;
  if (!strcmp(z, "-U")) return WEIR_OP_UPDATE_BEFORE;
  if (!strcmp(z, "+U")) return WEIR_OP_UPDATE_AFTER;
  if (!strcmp(z, "-D")) return WEIR_OP_DELETE;
  return WEIR_OP_INSERT;
}

static void sse_event(rstream *s) {
  const char *zName = s->evName.n ? s->evName.z : "message";
  json_t *d = json_loadb(s->evData.z ? s->evData.z : "", s->evData.n, 0, NULL);
  if (d) {
    if (!strcmp(zName, "snapshot")) {
      json_t *aRows = json_object_get(d, "rows");
      for (size_t i = 0; i < json_array_size(aRows); i++)
        query_row(s, WEIR_OP_INSERT, json_array_get(aRows, i));
    } else if (!strcmp(zName, "change")) {
      query_row(s, op_from_name(json_string_value(json_object_get(d, "op"))),
                json_object_get(d, "row"));
    } else if (!strcmp(zName, "end")) {
      query_end(s, json_string_value(json_object_get(d, "error")));
    } else if (!strcmp(zName, "error")) {
      query_end(s, json_string_value(json_object_get(d, "reason")));
    }
    json_decref(d);
  }
  common_buf_reset(&s->evName);
  common_buf_reset(&s->evData);
}

static void sse_line(rstream *s) {
  const char *z = s->line.z ? s->line.z : "";
  size_t n = s->line.n;
  if (n == 0) {
    if (s->evData.n) sse_event(s);
    common_buf_reset(&s->evName);
    return;
  }
  if (n >= 6 && !memcmp(z, "event:", 6)) {
    common_buf_reset(&s->evName);
    common_buf_append(&s->evName, z + 6 + (z[6] == ' '), n - 6 - (z[6] == ' '));
  } else if (n >= 5 && !memcmp(z, "data:", 5)) {
    if (s->evData.n) common_buf_putc(&s->evData, '\n');
    common_buf_append(&s->evData, z + 5 + (z[5] == ' '), n - 5 - (z[5] == ' '));
  }
}

/* ---- http_parser callbacks ------------------------------------------------*/

static int on_headers_complete(http_parser *p) {
  rstream *s = p->data;
  s->iStatus = (int)p->status_code;
  return 0;
}

static int on_body(http_parser *p, const char *at, size_t n) {
  rstream *s = p->data;
  if (!s->bSse || s->iStatus != 200) {
    common_buf_append(&s->body, at, n);
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    if (at[i] == '\n') {
      if (s->line.n && s->line.z[s->line.n - 1] == '\r') s->line.n--;
      sse_line(s);
      common_buf_reset(&s->line);
    } else {
      common_buf_putc(&s->line, at[i]);
    }
  }
  return 0;
}

static int on_message_complete(http_parser *p) {
  rstream *s = p->data;
  s->bDone = 1;
  return 0;
}

static const http_parser_settings settings = {
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

static void stream_init(rstream *s, repl_ctx *ctx, int fd, int bSse) {
  memset(s, 0, sizeof(*s));
  s->ctx = ctx;
  s->fd = fd;
  s->bSse = bSse;
  http_parser_init(&s->parser, HTTP_RESPONSE);
  s->parser.data = s;
  common_buf_init(&s->body);
  common_buf_init(&s->line);
  common_buf_init(&s->evName);
  common_buf_init(&s->evData);
}

static void stream_free(rstream *s) {
  if (s->fd >= 0) close(s->fd);
  common_buf_free(&s->body);
  common_buf_free(&s->line);
  common_buf_free(&s->evName);
  common_buf_free(&s->evData);
  common_free(s->aType);
  common_free(s->pHandle);
}

/* Read from s for up to msTimeout (-1: until done). Returns 1 when the
** response is complete or the connection closed, 0 on timeout, -1 when
** Ctrl-C interrupted the wait. */
static int stream_pump(rstream *s, int msTimeout) {
  char a[65536];
  while (!s->bDone) {
    struct pollfd pfd = {s->fd, POLLIN, 0};
    int k = poll(&pfd, 1, msTimeout);
    if (k < 0 && errno == EINTR) {
      if (repl_signal_interrupted()) return -1;
      continue;
    }
    if (k == 0) return 0;
    ssize_t n = recv(s->fd, a, sizeof a, 0);
    if (n < 0 && errno == EINTR) {
      if (repl_signal_interrupted()) return -1;
      continue;
    }
    if (n <= 0) {
      http_parser_execute(&s->parser, &settings, a, 0);
      s->bDone = 1;
      break;
    }
    size_t m = http_parser_execute(&s->parser, &settings, a, (size_t)n);
    if (m != (size_t)n || HTTP_PARSER_ERRNO(&s->parser) != HPE_OK) {
      s->bDone = 1;
      break;
    }
    if (repl_signal_interrupted()) return -1;
  }
  return 1;
}

/* A plain request: returns the status (0 on failure) and *ppDoc, the
** parsed JSON body (or NULL). */
static int request(repl_ctx *ctx, const char *zMethod, const char *zPath,
                   const char *zBody, json_t **ppDoc, weir_error *err) {
  *ppDoc = NULL;
  int fd = remote_connect(ctx, err);
  if (fd < 0) return 0;
  rstream s;
  stream_init(&s, ctx, fd, 0);
  int rc = send_request(ctx, fd, zMethod, zPath, zBody);
  if (!rc) rc = stream_pump(&s, -1) == 1 ? 0 : -1;
  int iStatus = rc ? 0 : s.iStatus;
  if (iStatus)
    *ppDoc = json_loadb(s.body.z ? s.body.z : "", s.body.n, 0, NULL);
  else if (!err->code) {
    err->code = WEIR_ERROR;
    err->message = common_strdup("no response from the weir server");
  }
  stream_free(&s);
  return iStatus;
}

/* Open the changelog of query zId; NULL on failure. */
static rstream *open_changes(repl_ctx *ctx, const char *zId, json_t *aCols,
                             weir_error *err) {
  int fd = remote_connect(ctx, err);
  if (fd < 0) return NULL;
  rstream *s = common_calloc(1, sizeof(*s));
  stream_init(s, ctx, fd, 1);
  snprintf(s->zId, sizeof s->zId, "%s", zId);
  char zPath[96];
  snprintf(zPath, sizeof zPath, "/v1/queries/%s/changes", zId);
  if (send_request(ctx, fd, "GET", zPath, NULL)) {
    stream_free(s);
    common_free(s);
    err->code = WEIR_ERROR;
    err->message = common_strdup("cannot subscribe to the query's changes");
    return NULL;
  }
  query_start(s, aCols);
  return s;
}

/* Print what background streams have received; drop ended ones. */
static void drain_background(int msWait) {
  rstream **pp = &g_pBackground;
  while (*pp) {
    rstream *s = *pp;
    stream_pump(s, msWait);
    if (s->bDone && !s->bEnded) query_end(s, NULL);
    if (s->bEnded || s->bDone) {
      *pp = s->pNext;
      stream_free(s);
      common_free(s);
    } else {
      pp = &s->pNext;
    }
  }
}

static int code_from_name(const char *z) {
  if (z && !strcmp(z, "syntax")) return WEIR_SYNTAX;
  if (z && !strcmp(z, "plan")) return WEIR_PLAN;
  if (z && !strcmp(z, "runtime")) return WEIR_RUNTIME;
  return WEIR_ERROR;
}

/* ---- the statement
 * ----------------------------------------------------------*/

int repl_remote_exec(repl_ctx *ctx, const char *zSql, const char **pzTail,
                     weir_error *err) {
  *pzTail = zSql + strlen(zSql);
  drain_background(0);
  json_t *doc = NULL;
  /* owned=1: a query this client follows is stopped by the server when
  ** the client's stream goes away (killed, connection lost). */
  int iStatus =
      request(ctx, "POST", "/v1/statements?owned=1", zSql, &doc, err);
  if (!iStatus) return WEIR_ERROR;
  if (!doc) {
    err->code = WEIR_ERROR;
    common_buf b;
    common_buf_init(&b);
    common_buf_printf(&b, "weir server answered HTTP %d", iStatus);
    err->message = common_buf_detach(&b);
    return WEIR_ERROR;
  }
  int rc = WEIR_OK;
  json_t *aSt = json_object_get(doc, "statements");
  int bManual = json_is_true(json_object_get(doc, "manual_clock"));
  for (size_t i = 0; i < json_array_size(aSt) && rc == WEIR_OK; i++) {
    json_t *o = json_array_get(aSt, i);
    const char *zKind = json_string_value(json_object_get(o, "kind"));
    if (zKind && !strcmp(zKind, "message")) {
      const char *z = json_string_value(json_object_get(o, "message"));
      if (ctx->cb.on_message) ctx->cb.on_message(ctx->cb.arg, z ? z : "");
      continue;
    }
    const char *zId = json_string_value(json_object_get(o, "id"));
    const char *zState = json_string_value(json_object_get(o, "state"));
    json_t *aCols = json_object_get(o, "columns");
    if (!zId) continue;
    if (zState && strcmp(zState, "running")) {
      /* Ended already: its rows came with the response. */
      rstream s;
      stream_init(&s, ctx, -1, 0);
      snprintf(s.zId, sizeof s.zId, "%s", zId);
      query_start(&s, aCols);
      json_t *aRows = json_object_get(o, "rows");
      for (size_t k = 0; k < json_array_size(aRows); k++)
        query_row(&s, WEIR_OP_INSERT, json_array_get(aRows, k));
      query_end(&s, json_string_value(json_object_get(o, "error")));
      stream_free(&s);
      continue;
    }
    rstream *s = open_changes(ctx, zId, aCols, err);
    if (!s) {
      rc = WEIR_ERROR;
      break;
    }
    if (bManual) {
      s->pNext = g_pBackground;
      g_pBackground = s;
      continue;
    }
    /* Follow it until it ends or Ctrl-C. */
    int k = stream_pump(s, -1);
    if (k < 0) {
      json_t *d = NULL;
      weir_error e2 = {0};
      char zPath[96];
      snprintf(zPath, sizeof zPath, "/v1/queries/%s", zId);
      request(ctx, "DELETE", zPath, NULL, &d, &e2);
      json_decref(d);
      weir_error_clear(&e2);
      weir_error er = {WEIR_INTERRUPTED, NULL, 0, 0};
      if (ctx->cb.on_end && !s->bEnded)
        ctx->cb.on_end(ctx->cb.arg, s->pHandle, &er);
      s->bEnded = 1;
      common_buf b;
      common_buf_init(&b);
      common_buf_printf(&b, "query %s interrupted", zId);
      err->code = WEIR_INTERRUPTED;
      err->message = common_buf_detach(&b);
      rc = WEIR_INTERRUPTED;
    } else if (!s->bEnded) {
      query_end(s, "the weir server closed the stream");
    }
    stream_free(s);
    common_free(s);
  }
  json_t *e = json_object_get(doc, "error");
  if (e && rc == WEIR_OK) {
    rc = code_from_name(json_string_value(json_object_get(e, "code")));
    const char *z = json_string_value(json_object_get(e, "message"));
    err->code = rc;
    err->message = common_strdup(z ? z : "error");
    err->line = (int)json_integer_value(json_object_get(e, "line"));
    err->column = (int)json_integer_value(json_object_get(e, "column"));
  }
  json_decref(doc);
  /* Rows this statement caused in background queries. */
  if (g_pBackground) drain_background(50);
  return rc;
}

int repl_remote_view(repl_ctx *ctx, const char *zView, weir_error *err) {
  char zPath[512];
  snprintf(zPath, sizeof zPath, "/v1/views/%s", zView);
  json_t *doc = NULL;
  int iStatus = request(ctx, "GET", zPath, NULL, &doc, err);
  if (!iStatus) return WEIR_ERROR;
  if (iStatus != 200 || !doc) {
    const char *z = json_string_value(
        json_object_get(json_object_get(doc, "error"), "message"));
    common_buf b;
    common_buf_init(&b);
    common_buf_printf(&b, "%s", z ? z : "the weir server refused");
    err->code = WEIR_ERROR;
    err->message = common_buf_detach(&b);
    json_decref(doc);
    return WEIR_ERROR;
  }
  rstream s;
  stream_init(&s, ctx, -1, 0);
  snprintf(s.zId, sizeof s.zId, "%s", zView);
  query_start(&s, json_object_get(doc, "columns"));
  json_t *aRows = json_object_get(doc, "rows");
  for (size_t k = 0; k < json_array_size(aRows); k++)
    query_row(&s, WEIR_OP_INSERT, json_array_get(aRows, k));
  query_end(&s, NULL);
  stream_free(&s);
  json_decref(doc);
  return WEIR_OK;
}

void repl_remote_close(repl_ctx *ctx) {
  drain_background(0);
  while (g_pBackground) {
    rstream *s = g_pBackground;
    g_pBackground = s->pNext;
    stream_free(s);
    common_free(s);
  }
}

/*
** server/server.c — the network side of `weir serve`: a uv_tcp listener
** on the engine's loop, one srv_conn per connection parsed with
** libhttp-parser, responses, Server-Sent Event subscribers with bounded
** buffers, bearer-token checks, limits, and a clean stop on SIGTERM.
**
** Requests are never served inside the parser's callbacks: a complete
** request pauses its parser and stops reading, and the idle handle serves
** it (so a statement that runs the loop never sees a second request
** arrive in the middle of the first). The idle handle also flushes feeds:
** changes are formatted once per feed and each subscriber is sent one
** shared chunk per flush.
**
** A subscriber whose unsent bytes exceed cfg.nSubBuffer is detached from
** its feed, sent a final "event: error" naming the reason, and shut down;
** the engine and other subscribers never wait for it.
*/
#include "server/server.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct srv_conn {
  uv_tcp_t tcp;
  srv_server *pSrv;
  http_parser parser;
  common_buf in; /* bytes read, not yet parsed */
  size_t iIn;    /* parsed up to here */
  /* The request being parsed / served. */
  common_buf url;
  common_buf body;
  common_buf hField, hValue; /* the header being read */
  int bValue;                /* last header callback was a value */
  char *zAuth;               /* Authorization header */
  char *zPath, *zQuery;      /* split url */
  int bTooBig;
  int bExpect; /* Expect: 100-continue */
  int bReady; /* a complete request waits to be served */
  int bKeepAlive;
  int bReading;
  /* Output. */
  size_t nPending; /* bytes queued with uv_write, not written */
  int bClosing;    /* uv_close called */
  int bShutdown;   /* shutdown requested */
  /* SSE. */
  srv_feed *pFeed;
  srv_conn *pNextSub, *pPrevSub;
  int bSse;
  uint64_t iDrainUntil;    /* cut subscriber: force close after this */
  uint64_t iLastWrite;     /* uv_now() when output last made progress */
  size_t nLastQueue;       /* libuv's write queue size at that time */
  size_t nAllow; /* its snapshot's unwritten size: not held against it */
  srv_conn *pNext, *pPrev; /* all connections */
  srv_conn *pNextReady;
};

typedef struct write_req {
  uv_write_t req;
  srv_conn *c;
  srv_chunk *pChunk;
} write_req;

static void conn_close(srv_conn *c);
static void conn_process(srv_conn *c);
static void idle_start(srv_server *s);

/* ---- chunks and writes -------------------------------------------------- */

static srv_chunk *chunk_new(const char *z, size_t n) {
  srv_chunk *k = common_malloc(sizeof(*k) + n);
  k->nRef = 1;
  k->n = n;
  if (n) memcpy(k->z, z, n);
  return k;
}

static void chunk_unref(srv_chunk *k) {
  if (k && --k->nRef == 0) common_free(k);
}

static void on_written(uv_write_t *req, int status) {
  write_req *w = (write_req *)req;
  srv_conn *c = w->c;
  c->nPending -= w->pChunk->n;
  /* The snapshot is written: from now on every unsent byte counts. */
  c->nAllow = c->nAllow > w->pChunk->n ? c->nAllow - w->pChunk->n : 0;
  c->iLastWrite = uv_now(c->pSrv->loop);
  chunk_unref(w->pChunk);
  common_free(w);
  if (status < 0 && status != UV_ECANCELED) conn_close(c);
}

/* Queue chunk k (a new reference is taken) on c. */
static void conn_write(srv_conn *c, srv_chunk *k) {
  if (c->bClosing || c->bShutdown || !k->n) return;
  write_req *w = common_malloc(sizeof(*w));
  w->c = c;
  w->pChunk = k;
  k->nRef++;
  uv_buf_t b = uv_buf_init(k->z, (unsigned)k->n);
  c->nPending += k->n;
  if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_written)) {
    c->nPending -= k->n;
    chunk_unref(k);
    common_free(w);
    conn_close(c);
  }
}

static void conn_write_text(srv_conn *c, const char *z, size_t n) {
  srv_chunk *k = chunk_new(z, n);
  conn_write(c, k);
  chunk_unref(k);
}

/* ---- connection lifetime ---------------------------------------------------
 */

static void feed_detach(srv_conn *c) {
  srv_feed *f = c->pFeed;
  if (!f) return;
  if (c->pPrevSub)
    c->pPrevSub->pNextSub = c->pNextSub;
  else
    f->pSubs = c->pNextSub;
  if (c->pNextSub) c->pNextSub->pPrevSub = c->pPrevSub;
  c->pNextSub = c->pPrevSub = NULL;
  c->pFeed = NULL;
  f->nSubs--;
  c->pSrv->nSubscribers--;
  /* The stream that owns a query went away: stop the query (later, on the
  ** idle handle, never from inside an engine callback). */
  srv_query *sq = f->pQuery;
  if (sq && sq->pOwner == c) {
    sq->pOwner = NULL;
    if (!sq->bEnded) {
      sq->bOrphaned = 1;
      c->pSrv->bOrphans = 1;
      idle_start(c->pSrv);
    }
  }
}

static void request_reset(srv_conn *c) {
  common_buf_reset(&c->url);
  common_buf_reset(&c->body);
  common_buf_reset(&c->hField);
  common_buf_reset(&c->hValue);
  c->bValue = 0;
  common_free(c->zAuth);
  common_free(c->zPath);
  common_free(c->zQuery);
  c->zAuth = c->zPath = c->zQuery = NULL;
  c->bTooBig = 0;
  c->bExpect = 0;
}

static void on_closed(uv_handle_t *h) {
  srv_conn *c = h->data;
  srv_server *s = c->pSrv;
  if (c->pPrev)
    c->pPrev->pNext = c->pNext;
  else
    s->pConns = c->pNext;
  if (c->pNext) c->pNext->pPrev = c->pPrev;
  s->nConns--;
  request_reset(c);
  common_buf_free(&c->in);
  common_buf_free(&c->url);
  common_buf_free(&c->body);
  common_buf_free(&c->hField);
  common_buf_free(&c->hValue);
  common_free(c);
}

static void conn_close(srv_conn *c) {
  if (c->bClosing) return;
  c->bClosing = 1;
  feed_detach(c);
  c->bReady = 0;
  uv_close((uv_handle_t *)&c->tcp, on_closed);
}

static void on_shutdown(uv_shutdown_t *req, int status) {
  srv_conn *c = req->data;
  common_free(req);
  conn_close(c);
}

/* Close c once everything queued is written. */
static void conn_shutdown(srv_conn *c) {
  if (c->bClosing || c->bShutdown) return;
  c->bShutdown = 1;
  feed_detach(c);
  if (c->bReading) uv_read_stop((uv_stream_t *)&c->tcp);
  c->bReading = 0;
  uv_shutdown_t *req = common_malloc(sizeof(*req));
  req->data = c;
  if (uv_shutdown(req, (uv_stream_t *)&c->tcp, on_shutdown)) {
    common_free(req);
    conn_close(c);
  }
}

/* ---- responses ----------------------------------------------------------- */

static const char *status_text(int i) {
  switch (i) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 100:
      return "Continue";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
  }
  return "Status";
}

void srv_respond(srv_conn *c, int iStatus, const char *zType, const char *zBody,
                 size_t nBody, int bClose) {
  if (c->bClosing || c->bShutdown) return;
  if (!c->bKeepAlive) bClose = 1;
  common_buf b;
  common_buf_init(&b);
  common_buf_printf(&b,
                    "HTTP/1.1 %d %s\r\n"
                    "Content-Type: %s\r\n"
                    "Content-Length: %zu\r\n"
                    "Cache-Control: no-store\r\n"
                    "%s"
                    "%s"
                    "\r\n",
                    iStatus, status_text(iStatus), zType, nBody,
                    iStatus == 401 ? "WWW-Authenticate: Bearer\r\n" : "",
                    bClose ? "Connection: close\r\n" : "");
  if (c->parser.method != HTTP_HEAD) common_buf_append(&b, zBody, nBody);
  conn_write_text(c, b.z, b.n);
  common_buf_free(&b);
  if (bClose) conn_shutdown(c);
}

void srv_respond_json(srv_conn *c, int iStatus, json_t *pDoc) {
  char *z = srv_json_text(pDoc);
  json_decref(pDoc);
  size_t n = z ? strlen(z) : 0;
  char *z2 = malloc(n + 2);
  if (z) memcpy(z2, z, n);
  z2[n++] = '\n';
  srv_respond(c, iStatus, "application/json", z2, n, 0);
  free(z);
  free(z2);
}

void srv_respond_error(srv_conn *c, int iStatus, const char *zCode,
                       const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  char *z = common_vmprintf(zFmt, ap);
  va_end(ap);
  json_t *j = json_pack("{s:{s:s, s:s}}", "error", "code", zCode, "message",
                        z);
  common_free(z);
  srv_respond_json(c, iStatus, j);
}

/* ---- feeds and subscribers -------------------------------------------------
 */

void srv_feed_init(srv_feed *f, srv_server *s, int bView, const char *zName) {
  memset(f, 0, sizeof(*f));
  f->pSrv = s;
  f->bView = bView;
  f->zName = common_strdup(zName);
  common_buf_init(&f->pend);
}

static void feed_queue(srv_feed *f) {
  if (f->bQueued) return;
  f->bQueued = 1;
  f->pNextFlush = f->pSrv->pFlush;
  f->pSrv->pFlush = f;
  idle_start(f->pSrv);
}

void srv_feed_event(srv_feed *f, const char *zEvent, const char *zData) {
  f->nSeq++;
  if (!f->nSubs) return; /* nobody to tell; snapshots cover the rest */
  common_buf_printf(&f->pend, "id: %lld\nevent: %s\ndata: %s\n\n",
                    (long long)f->nSeq, zEvent, zData);
  feed_queue(f);
}

/* Cut subscriber c that fell too far behind. */
static void sub_cut(srv_conn *c, size_t nBehind) {
  srv_server *s = c->pSrv;
  s->nSlowCut++;
  feed_detach(c);
  char z[256];
  int n = snprintf(z, sizeof z,
                   "event: error\ndata: {\"reason\":\"slow subscriber: "
                   "%zu bytes unsent (limit %zu); disconnected\"}\n\n",
                   nBehind, s->cfg.nSubBuffer);
  conn_write_text(c, z, (size_t)n);
  /* It is closed once all of it, the error event last, is written; the
  ** sweep closes it early only if it stops reading (see on_sweep). */
  c->iDrainUntil = uv_now(s->loop) + 5000;
  c->iLastWrite = uv_now(s->loop);
  conn_shutdown(c);
}

void srv_feed_flush(srv_feed *f) {
  if (!f->pend.n) return;
  srv_chunk *k = chunk_new(f->pend.z, f->pend.n);
  common_buf_reset(&f->pend);
  srv_conn *c = f->pSubs;
  while (c) {
    srv_conn *n = c->pNextSub;
    if (c->nPending > f->pSrv->cfg.nSubBuffer + c->nAllow)
      sub_cut(c, c->nPending);
    else
      conn_write(c, k);
    c = n;
  }
  chunk_unref(k);
}

void srv_feed_end(srv_feed *f, const char *zData) {
  if (f->bEnded) return;
  f->bEnded = 1;
  f->zEnd = common_strdup(zData);
  srv_feed_event(f, "end", zData);
  srv_feed_flush(f);
  while (f->pSubs) conn_shutdown(f->pSubs);
}

void srv_feed_clear(srv_feed *f) {
  while (f->pSubs) conn_shutdown(f->pSubs);
  common_buf_free(&f->pend);
  common_free(f->zName);
  common_free(f->zEnd);
  f->zName = f->zEnd = NULL;
}

void srv_subscribe(srv_conn *c, srv_feed *f, const char *zSnapshot) {
  srv_server *s = c->pSrv;
  if (s->nSubscribers >= s->cfg.nMaxSubscribers) {
    srv_respond_error(c, 503, "too_many_subscribers",
                      "too many subscribers (limit %d)",
                      s->cfg.nMaxSubscribers);
    return;
  }
  /* Changes already applied to the snapshot must not reach c again. */
  srv_feed_flush(f);
  common_buf b;
  common_buf_init(&b);
  common_buf_puts(&b,
                  "HTTP/1.1 200 OK\r\n"
                  "Content-Type: text/event-stream\r\n"
                  "Cache-Control: no-store\r\n"
                  "Connection: keep-alive\r\n"
                  "X-Accel-Buffering: no\r\n"
                  "\r\n"
                  "retry: 2000\n\n");
  common_buf_printf(&b, "id: %lld\nevent: snapshot\ndata: %s\n\n",
                    (long long)f->nSeq, zSnapshot);
  if (f->bEnded && f->zEnd)
    common_buf_printf(&b, "event: end\ndata: %s\n\n", f->zEnd);
  conn_write_text(c, b.z, b.n);
  c->nAllow = b.n;
  common_buf_free(&b);
  c->bSse = 1;
  if (f->bEnded) {
    conn_shutdown(c);
    return;
  }
  c->pFeed = f;
  /* The first subscriber of a query POSTed with ?owned=1 owns it. */
  if (f->pQuery && f->pQuery->bOwned && !f->pQuery->bOwnerSeen) {
    f->pQuery->bOwnerSeen = 1;
    f->pQuery->pOwner = c;
  }
  c->pNextSub = f->pSubs;
  c->pPrevSub = NULL;
  if (f->pSubs) f->pSubs->pPrevSub = c;
  f->pSubs = c;
  f->nSubs++;
  s->nSubscribers++;
  /* An SSE stream is the connection's last response; keep reading so a
  ** closed socket is noticed, but ignore anything sent. */
}

/* ---- request accessors --------------------------------------------------- */

const char *srv_req_path(const srv_conn *c) {
  return c->zPath ? c->zPath : "/";
}
const char *srv_req_query(const srv_conn *c) {
  return c->zQuery ? c->zQuery : "";
}
int srv_req_method(const srv_conn *c) {
  return (int)c->parser.method;
}
const char *srv_req_body(const srv_conn *c, size_t *pn) {
  *pn = c->body.n;
  return c->body.z ? c->body.z : "";
}
srv_server *srv_conn_server(const srv_conn *c) {
  return c->pSrv;
}

/* ---- parsing ------------------------------------------------------------- */

static void header_done(srv_conn *c) {
  if (!c->hField.n) return;
  common_buf_putc(&c->hField, 0);
  common_buf_putc(&c->hValue, 0);
  if (!common_stricmp(c->hField.z, "expect") &&
      !common_stricmp(c->hValue.z, "100-continue"))
    c->bExpect = 1;
  if (!common_stricmp(c->hField.z, "authorization")) {
    common_free(c->zAuth);
    c->zAuth = common_strdup(c->hValue.z);
  }
  common_buf_reset(&c->hField);
  common_buf_reset(&c->hValue);
}

static int on_message_begin(http_parser *p) {
  srv_conn *c = p->data;
  request_reset(c);
  return 0;
}

static int on_url(http_parser *p, const char *at, size_t n) {
  srv_conn *c = p->data;
  common_buf_append(&c->url, at, n);
  return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t n) {
  srv_conn *c = p->data;
  if (c->bValue) header_done(c);
  c->bValue = 0;
  common_buf_append(&c->hField, at, n);
  return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t n) {
  srv_conn *c = p->data;
  c->bValue = 1;
  common_buf_append(&c->hValue, at, n);
  return 0;
}

static int on_headers_complete(http_parser *p) {
  srv_conn *c = p->data;
  header_done(c);
  if (p->content_length != ULLONG_MAX &&
      p->content_length > c->pSrv->cfg.nMaxRequest)
    c->bTooBig = 1;
  /* A client waiting for "100 Continue" (curl, for bodies over 1 KB) is
  ** told to send the body, unless it is too large (413 follows). */
  if (c->bExpect && !c->bTooBig && p->http_major == 1 && p->http_minor >= 1) {
    static const char zCont[] = "HTTP/1.1 100 Continue\r\n\r\n";
    conn_write_text(c, zCont, sizeof zCont - 1);
  }
  return 0;
}

static int on_body(http_parser *p, const char *at, size_t n) {
  srv_conn *c = p->data;
  if (c->bTooBig || c->body.n + n > c->pSrv->cfg.nMaxRequest) {
    c->bTooBig = 1;
    return 0;
  }
  common_buf_append(&c->body, at, n);
  return 0;
}

static int on_message_complete(http_parser *p) {
  srv_conn *c = p->data;
  c->bReady = 1;
  c->bKeepAlive = http_should_keep_alive(p);
  http_parser_pause(p, 1);
  return 0;
}

static const http_parser_settings settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

/* ---- serving ------------------------------------------------------------- */

/* Constant-time comparison of the presented token. */
static int token_ok(const char *zGiven, const char *zWant) {
  if (!zGiven) return 0;
  size_t n = strlen(zWant), m = strlen(zGiven);
  unsigned d = (unsigned)(n ^ m);
  for (size_t i = 0; i < m; i++)
    d |= (unsigned)(zGiven[i] ^ zWant[i % (n ? n : 1)]);
  return d == 0;
}

/* The token of ?token=... in the query string (EventSource cannot send
** headers), or NULL. Returned text is common_malloc'd. */
static char *query_token(const char *zQuery) {
  const char *p = zQuery;
  while (p && *p) {
    if (!strncmp(p, "token=", 6)) {
      const char *e = strchr(p, '&');
      return common_strndup(p + 6, e ? (size_t)(e - p - 6) : strlen(p + 6));
    }
    p = strchr(p, '&');
    if (p) p++;
  }
  return NULL;
}

static int authorised(srv_conn *c) {
  const char *zWant = c->pSrv->cfg.zToken;
  if (!zWant) return 1;
  if (c->zAuth && !common_strnicmp(c->zAuth, "Bearer ", 7) &&
      token_ok(c->zAuth + 7, zWant))
    return 1;
  char *z = query_token(srv_req_query(c));
  int ok = z && token_ok(z, zWant);
  common_free(z);
  return ok;
}

static void respond_and_close(srv_conn *c, int iStatus, const char *zCode,
                              const char *zMsg) {
  c->bKeepAlive = 0;
  srv_respond_error(c, iStatus, zCode, "%s", zMsg);
}

/* Serve the complete request waiting on c. */
static void conn_serve(srv_conn *c) {
  srv_server *s = c->pSrv;
  c->bReady = 0;
  s->nRequests++;
  common_buf_putc(&c->url, 0);
  struct http_parser_url u;
  http_parser_url_init(&u);
  const char *zUrl = c->url.z;
  if (http_parser_parse_url(zUrl, strlen(zUrl), 0, &u) ||
      !(u.field_set & (1 << UF_PATH))) {
    srv_respond_error(c, 400, "bad_request", "malformed request target");
    return;
  }
  c->zPath = common_strndup(zUrl + u.field_data[UF_PATH].off,
                            u.field_data[UF_PATH].len);
  if (u.field_set & (1 << UF_QUERY))
    c->zQuery = common_strndup(zUrl + u.field_data[UF_QUERY].off,
                               u.field_data[UF_QUERY].len);
  if (c->bTooBig) {
    respond_and_close(c, 413, "too_large", "request too large");
    return;
  }
  /* The dashboard's files carry no data and must load before its token
  ** field can be filled in: only /v1/ and /metrics need the token. */
  int bData = !strncmp(c->zPath, "/v1", 3) || !strncmp(c->zPath, "/metrics", 8);
  if (bData && !authorised(c)) {
    srv_respond_error(c, 401, "unauthorized", "missing or wrong bearer token");
    return;
  }
  srv_route(c);
}

/* Parse what has been read; serve a complete request unless a statement
** is running (then the idle handle serves it later). */
static void conn_process(srv_conn *c) {
  srv_server *s = c->pSrv;
  while (!c->bClosing && !c->bShutdown) {
    if (c->bReady) {
      if (s->bInExec) {
        idle_start(s);
        break;
      }
      conn_serve(c);
      if (c->bClosing || c->bShutdown || c->bSse) break;
      http_parser_pause(&c->parser, 0);
      continue;
    }
    if (c->bSse) {
      /* Nothing more is read from a subscriber. */
      c->iIn = c->in.n;
      break;
    }
    size_t nAvail = c->in.n - c->iIn;
    if (!nAvail) break;
    size_t n =
        http_parser_execute(&c->parser, &settings, c->in.z + c->iIn, nAvail);
    enum http_errno en = HTTP_PARSER_ERRNO(&c->parser);
    c->iIn += n;
    if (en == HPE_PAUSED) continue;
    if (en != HPE_OK) {
      if (en == HPE_HEADER_OVERFLOW) {
        respond_and_close(c, 413, "too_large", "request header too large");
      } else {
        char z[160];
        snprintf(z, sizeof z, "malformed HTTP request: %s (%s)",
                 http_errno_name(en), http_errno_description(en));
        respond_and_close(c, 400, "bad_request", z);
      }
      break;
    }
    if (c->bTooBig && !c->bReady) {
      /* Do not wait for a body we will refuse. */
      respond_and_close(c, 413, "too_large", "request too large");
      break;
    }
    if (n < nAvail && !c->bReady) break;
  }
  if (c->iIn == c->in.n) {
    /* Give the read buffer back: most connections idle (subscribers). */
    common_buf_free(&c->in);
    common_buf_init(&c->in);
    c->iIn = 0;
  } else if (c->iIn > 0) {
    memmove(c->in.z, c->in.z + c->iIn, c->in.n - c->iIn);
    c->in.n -= c->iIn;
    c->iIn = 0;
  }
  /* Backpressure: no reading while a request waits to be served. */
  if (c->bReady && c->bReading && !c->bClosing && !c->bShutdown) {
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->bReading = 0;
  }
}

static void on_alloc(uv_handle_t *h, size_t n, uv_buf_t *buf) {
  srv_conn *c = h->data;
  if (c->in.cap < c->in.n + 65537) {
    c->in.cap = c->in.n + 65537;
    c->in.z = common_realloc(c->in.z, c->in.cap);
  }
  *buf = uv_buf_init(c->in.z + c->in.n, (unsigned)(c->in.cap - c->in.n - 1));
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf) {
  srv_conn *c = st->data;
  if (n < 0) {
    conn_close(c);
    return;
  }
  if (n == 0) return;
  c->in.n += (size_t)n;
  conn_process(c);
}

static void conn_read_start(srv_conn *c) {
  if (c->bReading || c->bClosing || c->bShutdown || c->bReady) return;
  if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0)
    c->bReading = 1;
}

static void on_connection(uv_stream_t *server, int status) {
  srv_server *s = server->data;
  if (status < 0) return;
  srv_conn *c = common_calloc(1, sizeof(*c));
  c->pSrv = s;
  uv_tcp_init(s->loop, &c->tcp);
  c->tcp.data = c;
  common_buf_init(&c->in);
  common_buf_init(&c->url);
  common_buf_init(&c->body);
  common_buf_init(&c->hField);
  common_buf_init(&c->hValue);
  http_parser_init(&c->parser, HTTP_REQUEST);
  c->parser.data = c;
  c->bKeepAlive = 1;
  c->pNext = s->pConns;
  if (s->pConns) s->pConns->pPrev = c;
  s->pConns = c;
  s->nConns++;
  if (uv_accept(server, (uv_stream_t *)&c->tcp)) {
    conn_close(c);
    return;
  }
  uv_tcp_nodelay(&c->tcp, 1);
  if (s->nConns > s->cfg.nMaxConns || s->bStopping) {
    respond_and_close(c, 503, "too_many_connections", "too many connections");
    return;
  }
  conn_read_start(c);
}

/* ---- the idle handle: flush feeds, serve waiting requests ---------------- */

static void on_idle(uv_idle_t *h) {
  srv_server *s = h->data;
  if (s->bInExec) return;
  if (s->bOrphans) {
    s->bOrphans = 0;
    srv_stop_orphans(s);
  }
  while (s->pFlush) {
    srv_feed *f = s->pFlush;
    s->pFlush = f->pNextFlush;
    f->bQueued = 0;
    srv_feed_flush(f);
  }
  for (srv_conn *c = s->pConns; c; c = c->pNext) {
    if (c->bReady && !c->bClosing && !c->bShutdown) {
      conn_process(c);
      /* Serving may have run the loop; start over next time. */
      idle_start(s);
      return;
    }
    /* Read again (subscribers too, so a hang-up is noticed at once). */
    if (!c->bReady && !c->bReading) conn_read_start(c);
  }
  uv_idle_stop(&s->idle);
  s->bIdle = 0;
}

static void idle_start(srv_server *s) {
  if (s->bIdle) return;
  s->bIdle = 1;
  uv_idle_start(&s->idle, on_idle);
}

/* Every second: SSE heartbeats (every 15 s) and force-closing cut
** subscribers that never drained. */
static void on_sweep(uv_timer_t *t) {
  srv_server *s = t->data;
  uint64_t now = uv_now(s->loop);
  static const char zBeat[] = ": keepalive\n\n";
  int bBeat = (now / 1000) % 15 == 0;
  srv_conn *c = s->pConns;
  while (c) {
    srv_conn *n = c->pNext;
    /* A cut subscriber still reading is let finish (its last event says
    ** why it was cut); one that wrote nothing for 5 s is closed. */
    if (c->iDrainUntil) {
      /* Progress inside one large write (a snapshot) counts too. */
      size_t nQueue = uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp);
      if (nQueue != c->nLastQueue) c->iLastWrite = now;
      c->nLastQueue = nQueue;
    }
    if (c->iDrainUntil && now > c->iDrainUntil &&
        (c->nPending == 0 || now > c->iLastWrite + 5000))
      conn_close(c);
    else if (bBeat && c->pFeed && c->nPending == 0)
      conn_write_text(c, zBeat, sizeof zBeat - 1);
    c = n;
  }
}

/* ---- start and stop --------------------------------------------------------
 */

static void on_handle_closed(uv_handle_t *h) {
  (void)h;
}

static void server_stop(srv_server *s) {
  if (s->bStopping) return;
  s->bStopping = 1;
  fprintf(stderr, "weir serve: stopping\n");
  uv_close((uv_handle_t *)&s->listener, on_handle_closed);
  uv_signal_stop(&s->sigterm);
  uv_signal_stop(&s->sigint);
  /* Tell subscribers why their stream ends. */
  static const char zBye[] =
      "event: end\ndata: {\"state\":\"stopped\",\"reason\":\"server "
      "shutting down\"}\n\n";
  srv_conn *c = s->pConns;
  while (c) {
    srv_conn *n = c->pNext;
    if (c->bSse && !c->bShutdown) conn_write_text(c, zBye, sizeof zBye - 1);
    conn_shutdown(c);
    c = n;
  }
}

static void on_stop_timer(uv_timer_t *t) {
  uv_stop(t->loop);
}

static void on_signal(uv_signal_t *h, int signum) {
  srv_server *s = h->data;
  server_stop(s);
  /* Give goodbyes a moment to be written, then leave the loop. */
  uv_timer_start(&s->sweep, on_stop_timer, 200, 0);
  uv_ref((uv_handle_t *)&s->sweep);
}

/* Is zHost a loopback address? */
static int is_loopback(const char *zHost) {
  return !strncmp(zHost, "127.", 4) || !strcmp(zHost, "::1") ||
         !strcmp(zHost, "localhost");
}

int srv_run(const srv_config *cfg) {
  srv_server *s = common_calloc(1, sizeof(*s));
  s->cfg = *cfg;
  const char *zHost = cfg->zHost ? cfg->zHost : "127.0.0.1";
  if (!strcmp(zHost, "localhost")) zHost = "127.0.0.1";
  s->cfg.zHost = zHost;
  if (!is_loopback(zHost) && !(cfg->zToken && cfg->zToken[0])) {
    fprintf(stderr,
            "weir serve: refusing to listen on non-loopback address %s "
            "without --token\n",
            zHost);
    common_free(s);
    return 2;
  }
  if (cfg->zToken && !cfg->zToken[0]) s->cfg.zToken = NULL;
  uv_loop_t loop;
  if (uv_loop_init(&loop)) {
    common_free(s);
    return 1;
  }
  s->loop = &loop;
  signal(SIGPIPE, SIG_IGN);
  weir_error err = {0};
  if (weir_open(&s->pEngine, &loop, &err)) {
    fprintf(stderr, "weir serve: %s\n", err.message);
    weir_error_clear(&err);
    uv_loop_close(&loop);
    common_free(s);
    return 1;
  }
  srv_state_load(s);
  if (cfg->bDemo) srv_demo_start(s);
  uv_tcp_init(&loop, &s->listener);
  s->listener.data = s;
  struct sockaddr_storage addr;
  int rc = strchr(zHost, ':')
               ? uv_ip6_addr(zHost, cfg->iPort, (struct sockaddr_in6 *)&addr)
               : uv_ip4_addr(zHost, cfg->iPort, (struct sockaddr_in *)&addr);
  if (!rc) rc = uv_tcp_bind(&s->listener, (struct sockaddr *)&addr, 0);
  if (!rc) rc = uv_listen((uv_stream_t *)&s->listener, 4096, on_connection);
  if (rc) {
    fprintf(stderr, "weir serve: cannot listen on %s:%d: %s\n", zHost,
            cfg->iPort, uv_strerror(rc));
    uv_close((uv_handle_t *)&s->listener, on_handle_closed);
    weir_close(s->pEngine);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    common_free(s);
    return 1;
  }
  struct sockaddr_storage bound;
  int nLen = sizeof bound;
  uv_tcp_getsockname(&s->listener, (struct sockaddr *)&bound, &nLen);
  s->iPort = ntohs(bound.ss_family == AF_INET6
                       ? ((struct sockaddr_in6 *)&bound)->sin6_port
                       : ((struct sockaddr_in *)&bound)->sin_port);
  uv_idle_init(&loop, &s->idle);
  s->idle.data = s;
  uv_timer_init(&loop, &s->sweep);
  s->sweep.data = s;
  uv_timer_start(&s->sweep, on_sweep, 1000, 1000);
  uv_unref((uv_handle_t *)&s->sweep);
  uv_signal_init(&loop, &s->sigterm);
  s->sigterm.data = s;
  uv_signal_start(&s->sigterm, on_signal, SIGTERM);
  uv_signal_init(&loop, &s->sigint);
  s->sigint.data = s;
  uv_signal_start(&s->sigint, on_signal, SIGINT);
  fprintf(stderr, "weir serve: listening on http://%s:%d/%s\n",
          strchr(zHost, ':') ? "[::1]" : zHost, s->iPort,
          s->cfg.zToken ? " (bearer token required)" : "");
  if (cfg->zPortFile) {
    char zTmp[4096];
    snprintf(zTmp, sizeof zTmp, "%s.tmp", cfg->zPortFile);
    FILE *f = fopen(zTmp, "w");
    if (f) {
      fprintf(f, "%d\n", s->iPort);
      fclose(f);
      rename(zTmp, cfg->zPortFile);
    }
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  /* Stopped: the listener and connections are closing. */
  srv_api_close(s);
  weir_close(s->pEngine);
  s->pEngine = NULL;
  srv_conn *c = s->pConns;
  while (c) {
    srv_conn *n = c->pNext;
    conn_close(c);
    c = n;
  }
  uv_close((uv_handle_t *)&s->idle, on_handle_closed);
  uv_close((uv_handle_t *)&s->sweep, on_handle_closed);
  uv_close((uv_handle_t *)&s->sigterm, on_handle_closed);
  uv_close((uv_handle_t *)&s->sigint, on_handle_closed);
  uv_run(&loop, UV_RUN_DEFAULT);
  rc = uv_loop_close(&loop);
  if (rc) fprintf(stderr, "weir serve: loop not closed: %s\n", uv_strerror(rc));
  common_free(s->apQuery);
  common_free(s);
  fprintf(stderr, "weir serve: stopped\n");
  return 0;
}

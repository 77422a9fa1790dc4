/*
** server/server.h — `weir serve`: continuous queries over HTTP/1.1 + JSON,
** changelogs as Server-Sent Events, Prometheus metrics and a dashboard,
** all on the engine's single libuv loop. See docs/server.md.
**
** Files:
**   server.c  listener, connections (libhttp-parser), writes, limits,
**             subscribers and their bounded buffers, signals
**   api.c     the routes: /v1/statements, /v1/queries, /v1/views,
**             /metrics, the dashboard's files
**   json.c    weir values and rows as JSON (jansson)
**   main.c    command-line flags of `weir serve`
** The dashboard (server/web/) is compiled in as srv_web_files (generated
** by server/embed.cmake).
**
** The server uses only include/weir.h to talk to the engine.
*/
#ifndef WEIR_SERVER_H
#define WEIR_SERVER_H

#include <http_parser.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "common/common.h"
#include "weir.h"

/* Settings of one server (main.c fills them from flags). */
typedef struct srv_config {
  const char *zHost;     /* listen address, default 127.0.0.1 */
  int iPort;             /* default 7878; 0 picks a free port */
  const char *zToken;    /* required bearer token, or NULL */
  const char *zStateDir; /* where DDL is kept across restarts */
  size_t nMaxRequest;    /* bytes of one request (413 beyond) */
  int nMaxSubscribers;   /* concurrent SSE subscribers (503 beyond) */
  size_t nSubBuffer;     /* unsent bytes before a subscriber is cut */
  int nMaxConns;         /* open connections */
  const char *zPortFile; /* write the bound port here once listening */
  int bDemo;             /* start the demo source and two views */
} srv_config;

typedef struct srv_server srv_server;
typedef struct srv_conn srv_conn;
typedef struct srv_feed srv_feed;
typedef struct srv_query srv_query;

/* A refcounted byte string written to many connections at once. */
typedef struct srv_chunk {
  int nRef;
  size_t n;
  char z[];
} srv_chunk;

/* A changelog many subscribers follow: a server query's or a
** materialized view's. Changes are formatted once into `pend` and
** written to every subscriber when the loop next goes idle. */
struct srv_feed {
  srv_server *pSrv;
  int bView;           /* a materialized view's (else a query's) */
  char *zName;         /* query id or view name */
  srv_query *pQuery;   /* query feeds: the query */
  weir_view_sub *pSub; /* view feeds: the engine subscription */
  srv_conn *pSubs;     /* subscribers (linked by pNextSub) */
  int nSubs;
  common_buf pend; /* SSE events not yet written */
  int64_t nSeq;    /* events so far (SSE id) */
  int bEnded;
  char *zEnd;  /* the final event's data (JSON) */
  int bQueued; /* on the server's flush list */
  srv_feed *pNextFlush;
  srv_feed *pNext; /* all view feeds */
};

/* A query started through POST /v1/statements. */
struct srv_query {
  char zId[32];
  weir_query *q;      /* owned by the engine */
  weir_table *pTable; /* its result now (for snapshots) */
  srv_feed feed;
  int bEnded;
  char *zErr;
  int64_t iStartedUs;
  /* POSTed with ?owned=1: its first /changes subscriber owns it, and the
  ** query is stopped when that stream goes away. */
  int bOwned;
  int bOwnerSeen;
  srv_conn *pOwner; /* the owning stream while it lasts */
  int bOrphaned;    /* owner gone: stop it at the next idle */
};

struct srv_server {
  srv_config cfg;
  uv_loop_t *loop;
  weir_engine *pEngine;
  uv_tcp_t listener;
  uv_idle_t idle; /* flushes feeds, runs queued requests */
  int bIdle;
  uv_timer_t sweep; /* heartbeats, closes drained subscribers */
  uv_signal_t sigterm, sigint;
  int bStopping;
  int nConns;
  srv_conn *pConns;
  int nSubscribers;
  int bInExec;      /* inside weir_exec: requests wait */
  int bOrphans;     /* some query has bOrphaned set */
  srv_feed *pFlush; /* feeds with pending events */
  srv_feed *pViewFeeds;
  srv_query **apQuery; /* by the number in "q<N>" */
  int nQuery;
  int64_t nRequests;
  int64_t nSlowCut; /* subscribers cut for falling behind */
  int iPort;        /* the bound port */
};

/* ---- server.c ------------------------------------------------------------ */
/* Run `weir serve` with cfg until SIGTERM/SIGINT. Returns the exit code. */
int srv_run(const srv_config *cfg);
/* Queue a complete HTTP response on c (status line, headers, body). With
** bClose the connection is shut down once it is written. */
void srv_respond(srv_conn *c, int iStatus, const char *zType, const char *zBody,
                 size_t nBody, int bClose);
/* Respond with a JSON document (stolen) / a JSON error object. */
void srv_respond_json(srv_conn *c, int iStatus, json_t *pDoc);
void srv_respond_error(srv_conn *c, int iStatus, const char *zCode,
                       const char *zFmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Turn c into an SSE stream following feed f: the headers, then the
** snapshot (zSnapshot, the data of the first event), then f's changes.
** Responds 503 when there are too many subscribers. */
void srv_subscribe(srv_conn *c, srv_feed *f, const char *zSnapshot);
/* Append an SSE event to f (written at the next flush). */
void srv_feed_event(srv_feed *f, const char *zEvent, const char *zData);
/* Deliver f's pending events now (before a new subscriber's snapshot). */
void srv_feed_flush(srv_feed *f);
/* f ended: queue the final event zData (JSON) and close subscribers. */
void srv_feed_end(srv_feed *f, const char *zData);
void srv_feed_init(srv_feed *f, srv_server *s, int bView, const char *zName);
/* Detach every subscriber and free f's buffers. */
void srv_feed_clear(srv_feed *f);

/* The request being served on c. */
const char *srv_req_path(const srv_conn *c);  /* without the query */
const char *srv_req_query(const srv_conn *c); /* after '?', or "" */
int srv_req_method(const srv_conn *c);        /* HTTP_GET, ... */
const char *srv_req_body(const srv_conn *c, size_t *pn);
srv_server *srv_conn_server(const srv_conn *c);

/* ---- api.c --------------------------------------------------------------- */
/* Route the request on c (authorised already). */
void srv_route(srv_conn *c);
/* Replay zStateDir's catalog at start. */
void srv_state_load(srv_server *s);
/* --demo: the demo generator feeding `scores`, and views over it. */
void srv_demo_start(srv_server *s);
/* Stop the queries whose owning stream went away (bOrphaned). */
void srv_stop_orphans(srv_server *s);
/* Free the server's queries and view feeds (at shutdown). */
void srv_api_close(srv_server *s);

/* ---- json.c -------------------------------------------------------------- */
json_t *srv_value_json(const weir_value *v);
json_t *srv_row_json(int nCol, const weir_value *aVal);
json_t *srv_columns_json(int nCol, const char *const *azName,
                         const weir_type *aType);
/* json_dumps compact; the caller frees with free(). */
char *srv_json_text(const json_t *j);

/* ---- main.c -------------------------------------------------------------- */
/* `weir serve [flags]`: argv[0] is "serve". */
int srv_main(int argc, char **argv);

/* ---- generated: the dashboard's files ------------------------------------ */
typedef struct srv_web_file {
  const char *zPath; /* "/index.html" */
  const char *zType; /* Content-Type */
  const unsigned char *a;
  size_t n;
} srv_web_file;
extern const srv_web_file srv_web_files[]; /* ends with zPath NULL */

#endif

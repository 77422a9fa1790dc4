/*
** connectors/kafka_dev.c — `weir kafka-dev`: a local Kafka for trying weir
** and for its tests, since Debian ships no Kafka broker. It runs
** librdkafka's mock cluster (rdkafka_mock.h: an in-memory broker that
** speaks the real protocol — produce, fetch, list offsets, consumer
** groups, idempotent producers) and prints its bootstrap address.
**
**   weir kafka-dev [--port P] [--partitions N] [--topic T]... [--brokers B]
**
** Output: one line `bootstrap.servers=127.0.0.1:PORT` on stdout (flushed),
** then it runs until SIGINT or SIGTERM. Diagnostics go to stderr.
**
** The mock brokers listen on ports the kernel picks. With --port P a small
** TCP relay on 127.0.0.1:P forwards each connection to the first mock
** broker, so P can be chosen in advance (a test that starts a query before
** the broker, or restarts the broker on the same address). Clients only
** bootstrap through the relay: the brokers' metadata advertises their own
** addresses, which are loopback too.
**
** Topics named with --topic are created up front. --partitions N after a
** --topic T applies to T only (`--topic a --partitions 2 --topic b
** --partitions 3`); a --partitions before the first --topic is the count
** of every --topic without its own (default 1). Other topics are created
** on first use with the mock cluster's default partition count.
*/
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/kafka_int.h"

/* One relayed connection: the client's socket and ours to the broker. */
typedef struct dev_conn {
  uv_tcp_t client;
  uv_tcp_t broker;
  uv_connect_t connect;
  int nOpen; /* handles not yet closed */
  int bClosing;
} dev_conn;

typedef struct dev_write {
  uv_write_t req;
  uv_buf_t buf;
} dev_write;

static struct sockaddr_storage dev_broker_addr;

static void conn_closed(uv_handle_t *h) {
  dev_conn *c = h->data;
  if (--c->nOpen == 0) free(c);
}

static void conn_close(dev_conn *c) {
  if (c->bClosing) return;
  c->bClosing = 1;
  uv_close((uv_handle_t *)&c->client, conn_closed);
  uv_close((uv_handle_t *)&c->broker, conn_closed);
}

static void on_alloc(uv_handle_t *h, size_t n, uv_buf_t *buf) {
  (void)h;
  buf->base = malloc(n);
  buf->len = buf->base ? n : 0;
}

static void on_written(uv_write_t *req, int status) {
  dev_write *w = (dev_write *)req;
  (void)status;
  free(w->buf.base);
  free(w);
}

/* Bytes from one side go to the other. */
static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  dev_conn *c = s->data;
  if (n < 0 || c->bClosing) {
    free(buf->base);
    conn_close(c);
    return;
  }
  if (n == 0) {
    free(buf->base);
    return;
  }
  uv_stream_t *pTo = s == (uv_stream_t *)&c->client ? (uv_stream_t *)&c->broker
                                                    : (uv_stream_t *)&c->client;
  dev_write *w = malloc(sizeof *w);
  w->buf = uv_buf_init(buf->base, (unsigned)n);
  if (uv_write(&w->req, pTo, &w->buf, 1, on_written)) {
    free(buf->base);
    free(w);
    conn_close(c);
  }
}

static void on_broker_connected(uv_connect_t *req, int status) {
  dev_conn *c = req->data;
  if (status < 0 || c->bClosing) {
    conn_close(c);
    return;
  }
  uv_read_start((uv_stream_t *)&c->client, on_alloc, on_read);
  uv_read_start((uv_stream_t *)&c->broker, on_alloc, on_read);
}

static void on_accept(uv_stream_t *server, int status) {
  if (status < 0) return;
  dev_conn *c = calloc(1, sizeof *c);
  uv_tcp_init(server->loop, &c->client);
  uv_tcp_init(server->loop, &c->broker);
  c->client.data = c->broker.data = c;
  c->connect.data = c;
  c->nOpen = 2;
  if (uv_accept(server, (uv_stream_t *)&c->client) ||
      uv_tcp_connect(&c->connect, &c->broker,
                     (const struct sockaddr *)&dev_broker_addr,
                     on_broker_connected)) {
    conn_close(c);
  }
}

static void on_signal(uv_signal_t *h, int signum) {
  (void)signum;
  uv_stop(h->loop);
}

/* At exit: close every handle (relayed connections free themselves). */
static void dev_close_walk(uv_handle_t *h, void *pArg) {
  (void)pArg;
  if (uv_is_closing(h)) return;
  if (h->type == UV_TCP && h->data) {
    conn_close(h->data);
  } else {
    uv_close(h, NULL);
  }
}

static void dev_usage(void) {
  fprintf(stderr,
          "usage: weir kafka-dev [--port P] [--partitions N]"
          " [--topic T [--partitions N]]... [--brokers B]\n"
          "Runs an in-memory Kafka (librdkafka's mock cluster) on loopback\n"
          "and prints bootstrap.servers=HOST:PORT; stops on Ctrl-C.\n"
          "--partitions after --topic T applies to T; before any --topic,\n"
          "to every topic without its own (default 1).\n");
}

/* Parse a positive int option value; 0 on success. */
static int dev_int(const char *z, int lo, int hi, int *pOut) {
  char *zEnd;
  long v = z ? strtol(z, &zEnd, 10) : 0;
  if (!z || !*z || *zEnd || v < lo || v > hi) return 1;
  *pOut = (int)v;
  return 0;
}

/*
** The `weir kafka-dev` subcommand (argv[0] is "kafka-dev"). Runs the mock
** cluster until SIGINT/SIGTERM. Returns the process exit status: 0, 1 when
** the cluster or the relay cannot start, 2 for bad usage.
*/
int conn_kafka_dev_main(int argc, char **argv) {
  int nPart = 1, nBroker = 1, iPort = -1;
  const char **azTopic = calloc((size_t)argc + 1, sizeof(char *));
  int *aTopicPart = calloc((size_t)argc + 1, sizeof(int)); /* 0: nPart */
  int nTopic = 0;
  for (int i = 1; i < argc; i++) {
    const char *z = argv[i];
    const char *zVal = i + 1 < argc ? argv[i + 1] : NULL;
    int n;
    if (!strcmp(z, "--partitions") && !dev_int(zVal, 1, 10000, &n)) {
      /* The preceding --topic's, or the default before any. */
      if (nTopic > 0) {
        aTopicPart[nTopic - 1] = n;
      } else {
        nPart = n;
      }
      i++;
    } else if (!strcmp(z, "--brokers") && !dev_int(zVal, 1, 16, &nBroker)) {
      i++;
    } else if (!strcmp(z, "--port") && !dev_int(zVal, 0, 65535, &iPort)) {
      i++;
    } else if (!strcmp(z, "--topic") && zVal) {
      azTopic[nTopic++] = argv[++i];
    } else if (!strcmp(z, "-h") || !strcmp(z, "--help")) {
      dev_usage();
      free(azTopic);
      free(aTopicPart);
      return 0;
    } else {
      fprintf(stderr, "weir kafka-dev: bad argument '%s'\n", z);
      dev_usage();
      free(azTopic);
      free(aTopicPart);
      return 2;
    }
  }

  char zErr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", zErr, sizeof zErr);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, zErr, sizeof zErr);
  if (!rk) {
    fprintf(stderr, "weir kafka-dev: %s\n", zErr);
    free(azTopic);
    free(aTopicPart);
    return 1;
  }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, nBroker);
  if (!mc) {
    fprintf(stderr, "weir kafka-dev: cannot create the mock cluster\n");
    rd_kafka_destroy(rk);
    free(azTopic);
    free(aTopicPart);
    return 1;
  }
  for (int i = 0; i < nTopic; i++) {
    rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(
            mc, azTopic[i], aTopicPart[i] ? aTopicPart[i] : nPart, 1);
    if (err) {
      fprintf(stderr, "weir kafka-dev: topic %s: %s\n", azTopic[i],
              rd_kafka_err2str(err));
    }
  }
  const char *zBoot = rd_kafka_mock_cluster_bootstraps(mc);

  uv_loop_t loop;
  uv_loop_init(&loop);
  uv_tcp_t server;
  uv_signal_t sigInt, sigTerm;
  int rc = 0;
  char zAddr[128];
  snprintf(zAddr, sizeof zAddr, "%s", zBoot);
  if (iPort >= 0) {
    /* The relay: forward 127.0.0.1:iPort to the first broker. */
    char zHost[64];
    int iBrokerPort = 0;
    const char *zColon = strchr(zBoot, ':');
    size_t nHost = zColon ? (size_t)(zColon - zBoot) : 0;
    if (!zColon || nHost >= sizeof zHost) {
      fprintf(stderr, "weir kafka-dev: unexpected bootstraps '%s'\n", zBoot);
      rc = 1;
    } else {
      memcpy(zHost, zBoot, nHost);
      zHost[nHost] = 0;
      iBrokerPort = atoi(zColon + 1);
      uv_ip4_addr(zHost, iBrokerPort, (struct sockaddr_in *)&dev_broker_addr);
      struct sockaddr_in bind;
      uv_ip4_addr("127.0.0.1", iPort, &bind);
      uv_tcp_init(&loop, &server);
      server.data = NULL;
      int e = uv_tcp_bind(&server, (const struct sockaddr *)&bind, 0);
      if (!e) e = uv_listen((uv_stream_t *)&server, 128, on_accept);
      if (e) {
        fprintf(stderr, "weir kafka-dev: cannot listen on 127.0.0.1:%d: %s\n",
                iPort, uv_strerror(e));
        rc = 1;
      } else {
        struct sockaddr_in got;
        int nGot = sizeof got;
        uv_tcp_getsockname(&server, (struct sockaddr *)&got, &nGot);
        snprintf(zAddr, sizeof zAddr, "127.0.0.1:%d", ntohs(got.sin_port));
      }
    }
  }
  if (rc == 0) {
    uv_signal_init(&loop, &sigInt);
    uv_signal_init(&loop, &sigTerm);
    sigInt.data = sigTerm.data = NULL;
    uv_signal_start(&sigInt, on_signal, SIGINT);
    uv_signal_start(&sigTerm, on_signal, SIGTERM);
    printf("bootstrap.servers=%s\n", zAddr);
    fflush(stdout);
    fprintf(stderr,
            "weir kafka-dev: mock Kafka with %d broker(s) on %s; Ctrl-C "
            "stops it (all data is in memory)\n",
            nBroker, zAddr);
    uv_run(&loop, UV_RUN_DEFAULT);
  }
  uv_walk(&loop, dev_close_walk, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  free(azTopic);
  free(aTopicPart);
  return rc;
}

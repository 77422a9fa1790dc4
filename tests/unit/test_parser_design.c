/*
** tests/unit/test_parser_design.c — the examples of DESIGN.md §2 and §3,
** copied literally where they are complete SQL (the `...` placeholders of
** §2.1 are filled in, marked below), plus NEXMark-style queries. Each
** script is parsed statement by statement through the tail loop; every
** statement must parse, and its dump must parse again to the same dump
** (so the dump is faithful SQL).
*/
#include "parser/parser.h"
#include "tinytest.h"

/* Parse every statement of zScript; returns how many were parsed, or -1
** on the first error (printed). Each dump must round-trip. */
static int parse_script(const char *zScript) {
  const char *z = zScript;
  int n = 0;
  while (*z) {
    parse_result r;
    const char *zTail;
    if (parse_statement(&r, z, &zTail)) {
      common_buf b;
      common_buf_init(&b);
      parse_error_format(&b, z, &r.err);
      fprintf(stderr, "%s\n", b.z);
      common_buf_free(&b);
      parse_result_free(&r);
      return -1;
    }
    if (r.pStmt) {
      common_buf b1, b2;
      common_buf_init(&b1);
      common_buf_init(&b2);
      parse_stmt_dump(&b1, r.pStmt);
      parse_result r2;
      const char *zTail2;
      int rc = parse_statement(&r2, b1.z, &zTail2);
      if (rc) {
        parse_error_format(&b2, b1.z, &r2.err);
        fprintf(stderr, "dump does not parse: %s\n%s\n", b1.z, b2.z);
      } else {
        parse_stmt_dump(&b2, r2.pStmt);
        CHECK_EQ_STR(b2.z, b1.z);
      }
      CHECK_EQ_INT(rc, 0);
      parse_result_free(&r2);
      common_buf_free(&b1);
      common_buf_free(&b2);
      n++;
    }
    parse_result_free(&r);
    if (zTail == z) break;
    z = zTail;
  }
  return n;
}

TEST(design_2_1_ddl) {
  CHECK_EQ_INT(parse_script(
      "CREATE SOURCE scores (\n"
      "  user_id VARCHAR, team VARCHAR, score BIGINT, ts TIMESTAMP,\n"
      "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND\n"
      ") WITH (connector = 'kafka', topic = 'scores',\n"
      "        'bootstrap.servers' = '127.0.0.1:9092', format = 'json');\n"
      /* (...) filled in: */
      "CREATE SOURCE logs (line VARCHAR) WITH (connector = 'file', "
      "path = 'logs/*.csv',\n"
      "        format = 'csv', follow = 'true');      -- follow: keep "
      "tailing, unbounded\n"
      "CREATE SOURCE clicks (url VARCHAR) WITH (connector = 'memory');  "
      "-- fed by INSERT / the C API\n"
      "CREATE SINK team_totals_out FROM team_totals WITH (connector = "
      "'kafka', topic = 'totals');\n"
      "INSERT INTO some_sink SELECT team, score FROM scores;              "
      "-- Flink-style alternative\n"
      "CREATE VIEW v AS SELECT team FROM scores;                   "
      "-- named, composable\n"
      "CREATE MATERIALIZED VIEW mv AS SELECT team, SUM(score) FROM scores "
      "GROUP BY team;     -- runs continuously; its current\n"
      "                                               -- contents can be "
      "read at any time\n"), 7);
}

TEST(design_2_1_other_spellings) {
  CHECK_EQ_INT(parse_script(
      "CREATE STREAM s (a VARCHAR KEY, b INT) WITH (kafka_topic = 's', "
      "value_format = 'json');\n"
      "CREATE TABLE t (a VARCHAR, b INT, PRIMARY KEY (a) NOT ENFORCED) "
      "WITH (connector = 'kafka', topic = 't', format = 'upsert');\n"
      "SHOW SOURCES; SHOW VIEWS; SHOW QUERIES;\n"
      "DESCRIBE scores;\n"
      "DROP SOURCE scores; DROP VIEW IF EXISTS v;\n"
      "EXPLAIN SELECT team FROM scores;\n"
      "EXPLAIN ANALYZE SELECT team, COUNT(*) FROM scores GROUP BY team;\n"
      "CREATE SINK s3 FROM mv WITH (connector = 'kafka', topic = 'x', "
      "format = 'debezium-json');\n"
      "CREATE SOURCE f (a INT) WITH (connector = 'file', path = 'x.json', "
      "format = 'json', 'format.on-error' = 'skip', 'idle.timeout' = "
      "'5s', 'idle.advance' = 'true');\n"), 12);
}

TEST(design_2_2_windows) {
  CHECK_EQ_INT(parse_script(
      "SELECT window_start, window_end, team, SUM(score)\n"
      "FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE)           -- also "
      "TABLE(TUMBLE(TABLE scores, DESCRIPTOR(ts), ...))\n"
      "GROUP BY window_start, window_end, team;\n"
      "SELECT window_start, window_end, team, SUM(score)\n"
      "FROM TABLE(TUMBLE(TABLE scores, DESCRIPTOR(ts), INTERVAL '2' "
      "MINUTE))\n"
      "GROUP BY window_start, window_end, team;\n"
      "SELECT * FROM HOP(scores, ts, INTERVAL '1' MINUTE, INTERVAL '5' "
      "MINUTE)   -- slide, size\n;"
      "SELECT * FROM SESSION(scores, ts, INTERVAL '5' MINUTE)            "
      "        -- gap; sessions are per GROUP BY key\n;"
      "SELECT * FROM CUMULATE(scores, ts, INTERVAL '1' MINUTE, INTERVAL '1'"
      " HOUR) -- step, max size\n;"
      "SELECT team, TUMBLE_START(ts, INTERVAL '2' MINUTE), SUM(score)\n"
      "FROM scores GROUP BY team, TUMBLE(ts, INTERVAL '2' MINUTE);      "
      "-- also HOP(...), SESSION(...), *_START/*_END\n"
      "SELECT * FROM TUMBLE(data => TABLE bids, timecol =>\n"
      "DESCRIPTOR(ts), dur => INTERVAL '10' MINUTE);\n"
      "SELECT * FROM HOP(data => TABLE bids, timecol => DESCRIPTOR(ts), "
      "dur => INTERVAL '10' MINUTE, hopsize => INTERVAL '2' MINUTE);\n"
      "SELECT WINDOWSTART, WINDOWEND, k, COUNT(*) FROM s WINDOW TUMBLING "
      "(SIZE 1 HOUR, GRACE PERIOD 10\nMINUTES) GROUP BY k EMIT CHANGES;\n"
      "SELECT k, COUNT(*) FROM s WINDOW HOPPING (SIZE 1 HOUR, ADVANCE BY "
      "10 MINUTES) GROUP BY k;\n"
      "SELECT k, COUNT(*) FROM s WINDOW SESSION (60 SECONDS) GROUP BY k;\n"
      "SELECT window_start, COUNT(*) FROM TUMBLE(clicks, PROCTIME(), "
      "INTERVAL '1' MINUTE) GROUP BY window_start, window_end;\n"
      "SELECT * FROM TUMBLE(scores, ts, INTERVAL '1' HOUR, INTERVAL '15' "
      "MINUTE);\n"), 13);
}

TEST(design_2_3_emit) {
  CHECK_EQ_INT(parse_script(
      "SELECT team, COUNT(*) FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE) "
      "GROUP BY team, window_start, window_end\n"
      "EMIT STREAM AFTER WATERMARK AND EARLY EVERY INTERVAL '1' MINUTE AND "
      "LATE EVERY ROW ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT CHANGES;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT FINAL;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT ON WINDOW "
      "CLOSE;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT STREAM AFTER "
      "DELAY INTERVAL '6' MINUTE;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT AFTER WATERMARK"
      " AND AFTER DELAY INTERVAL '6' MINUTE;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT AFTER WINDOW "
      "CLOSE WITH DELAY INTERVAL '2' SECOND;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT PERIODIC "
      "INTERVAL '1' SECOND;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT ON UPDATE;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT PER EVENT;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT CHANGELOG;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT WITH DELAY "
      "INTERVAL '1' MINUTE BEFORE WATERMARK, WITHOUT DELAY AFTER "
      "WATERMARK;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT STREAM;\n"
      "SELECT team, COUNT(*) FROM scores GROUP BY team EMIT EARLY AFTER "
      "DELAY INTERVAL '10' SECOND LATE AFTER 3 ROWS GRACE PERIOD INTERVAL "
      "'1' MINUTE DISCARDING;\n"
      "CREATE VIEW late_aware WITH ('late.sink' = 'late_rows') AS SELECT "
      "team, COUNT(*) FROM scores GROUP BY team EMIT AFTER WATERMARK;\n"),
      15);
}

TEST(design_2_6_queries) {
  CHECK_EQ_INT(parse_script(
      "SELECT a.id, b.id FROM a, b WHERE a.ts BETWEEN b.ts - INTERVAL '1' "
      "MINUTE AND b.ts + INTERVAL '1' MINUTE;\n"
      "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY "
      "window_start, window_end ORDER BY price DESC) AS rownum FROM "
      "TUMBLE(bids, ts, INTERVAL '10' SECOND)) WHERE rownum <= 3;\n"
      "SELECT COUNT(DISTINCT user_id), COUNT(*) FILTER (WHERE score > 10) "
      "FROM scores GROUP BY team HAVING COUNT(*) > 1;\n"
      "SELECT l.window_start, l.k, r.v FROM TUMBLE(a, ts, INTERVAL '1' "
      "MINUTE) l JOIN TUMBLE(b, ts, INTERVAL '1' MINUTE) r ON l.k = r.k "
      "AND l.window_start = r.window_start;\n"
      "SELECT s.k, f.name FROM s LEFT JOIN file_table f ON s.k = f.k;\n"
      "SELECT op, pane_timing, pane_index, emit_time, undo, ptime, ver, "
      "team FROM scores;\n"), 6);
}

TEST(design_3_playground) {
  CHECK_EQ_INT(parse_script(
      "SET clock = 'manual';\n"
      "SET time = TIMESTAMP '2026-01-01 12:00:00';          -- processing "
      "time\n"
      "INSERT INTO scores VALUES ('julie','red',5,TIMESTAMP '2026-01-01 "
      "12:00:26');  -- one batch\n"
      "ADVANCE TIME TO TIMESTAMP '2026-01-01 12:05:39';     -- fires "
      "processing-time triggers due\n"
      "ADVANCE WATERMARK OF scores TO TIMESTAMP '2026-01-01 12:02:00';  -- "
      "fires watermark triggers\n"
      "STOP QUERY q1;\n"), 6);
}

TEST(nexmark_style) {
  CHECK_EQ_INT(parse_script(
      /* q0 */
      "SELECT auction, bidder, price, dateTime, extra FROM bid;\n"
      /* q1 */
      "SELECT auction, bidder, 0.908 * price as price, dateTime, extra "
      "FROM bid;\n"
      /* q2 */
      "SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0;\n"
      /* q3 */
      "SELECT P.name, P.city, P.state, A.id FROM auction AS A INNER JOIN "
      "person AS P on A.seller = P.id WHERE A.category = 10 and (P.state = "
      "'OR' OR P.state = 'ID' OR P.state = 'CA');\n"
      /* q5 */
      "SELECT AuctionBids.auction, AuctionBids.num FROM (SELECT auction, "
      "count(*) AS num, window_start AS starttime, window_end AS endtime "
      "FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' "
      "SECOND, INTERVAL '10' SECOND)) GROUP BY auction, window_start, "
      "window_end) AS AuctionBids JOIN (SELECT max(CountBids.num) AS "
      "maxn, CountBids.starttime, CountBids.endtime FROM (SELECT count(*) "
      "AS num, window_start AS starttime, window_end AS endtime FROM "
      "TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, "
      "INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end) "
      "AS CountBids GROUP BY CountBids.starttime, CountBids.endtime) AS "
      "MaxBids ON AuctionBids.starttime = MaxBids.starttime AND "
      "AuctionBids.endtime = MaxBids.endtime AND AuctionBids.num >= "
      "MaxBids.maxn;\n"
      /* q7 */
      "SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra from bid B "
      "JOIN (SELECT MAX(price) AS maxprice, window_end as dateTime FROM "
      "TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' "
      "SECOND)) GROUP BY window_start, window_end) B1 ON B.price = "
      "B1.maxprice WHERE B.dateTime BETWEEN B1.dateTime  - INTERVAL '10' "
      "SECOND AND B1.dateTime;\n"
      /* q9-like */
      "SELECT id, itemName, description FROM (SELECT A.*, B.auction, "
      "B.bidder, ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price "
      "DESC, B.dateTime ASC) AS rownum FROM auction A, bid B WHERE A.id = "
      "B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires) WHERE "
      "rownum <= 1;\n"
      /* q12-like: processing-time window */
      "SELECT bidder, count(*) as bid_count, window_start, window_end FROM "
      "TABLE(TUMBLE(TABLE bid, DESCRIPTOR(p_time), INTERVAL '10' SECOND)) "
      "GROUP BY bidder, window_start, window_end;\n"
      /* q15-like */
      "SELECT DATE_FORMAT(dateTime, 'yyyy-MM-dd') as `day`, count(*) AS "
      "total_bids, count(*) filter (where price < 10000) AS rank1_bids, "
      "count(distinct bidder) AS total_bidders, count(distinct bidder) "
      "filter (where price >= 1000000) AS rank3_bidders FROM bid GROUP BY "
      "DATE_FORMAT(dateTime, 'yyyy-MM-dd');\n"
      /* q14-like */
      "SELECT auction, bidder, 0.908 * price as price, CASE WHEN "
      "HOUR(dateTime) >= 8 AND HOUR(dateTime) <= 18 THEN 'dayTime' WHEN "
      "HOUR(dateTime) <= 6 OR HOUR(dateTime) >= 20 THEN 'nightTime' ELSE "
      "'otherTime' END AS bidTimeType, dateTime, extra FROM bid WHERE "
      "0.908 * price > 1000000 AND 0.908 * price < 50000000;\n"
      /* q21-like */
      "SELECT auction, bidder, price, channel, CASE WHEN lower(channel) = "
      "'apple' THEN '0' ELSE REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)',"
      " 2) END AS channel_id FROM bid where REGEXP_EXTRACT(url, "
      "'(&|^)channel_id=([^&]*)', 2) is not null or lower(channel) in "
      "('apple', 'google', 'facebook', 'baidu');\n"
      /* DDL with computed and metadata columns */
      "CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, "
      "channel VARCHAR, url VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR, "
      "p_time AS PROCTIME(), kts TIMESTAMP_LTZ(3) METADATA FROM "
      "'timestamp' VIRTUAL, WATERMARK FOR dateTime AS dateTime - INTERVAL "
      "'4' SECOND) WITH ('connector' = 'kafka', 'topic' = 'bid', "
      "'scan.startup.mode' = 'earliest-offset', 'format' = 'json');\n"),
      12);
}

int main(int argc, char **argv) { return tt_main(argc, argv); }

/*
** tests/unit/test_parser_emit.c — every EMIT spelling of DESIGN.md §2.3
** parses and is normalised into ast_emit as parser/ast.c documents: one
** test per spelling, checking every field of the result.
*/
#include "parser/parser.h"
#include "tinytest.h"

#define US_S INT64_C(1000000)

/* Parse "SELECT k, COUNT(*) FROM t GROUP BY k " + zEmit, which must
** succeed, and return a copy of its ast_emit. */
static ast_emit emit_of(const char *zEmit) {
  char zSql[512];
  snprintf(zSql, sizeof zSql, "SELECT k, COUNT(*) FROM t GROUP BY k %s",
           zEmit);
  parse_result r;
  const char *zTail;
  ast_emit e;
  memset(&e, 0, sizeof(e));
  int rc = parse_statement(&r, zSql, &zTail);
  if (rc) {
    common_buf b;
    common_buf_init(&b);
    parse_error_format(&b, zSql, &r.err);
    fprintf(stderr, "%s\n", b.z);
    common_buf_free(&b);
  }
  CHECK_EQ_INT(rc, 0);
  if (rc == 0) {
    CHECK(r.pStmt->pSelect->pEmit != NULL);
    if (r.pStmt->pSelect->pEmit) e = *r.pStmt->pSelect->pEmit;
  }
  parse_result_free(&r);
  return e;
}

/* The error message for an EMIT clause that must not parse (static). */
static const char *emit_err(const char *zEmit) {
  static char zMsg[256];
  char zSql[512];
  snprintf(zSql, sizeof zSql, "SELECT k FROM t GROUP BY k %s", zEmit);
  parse_result r;
  const char *zTail;
  CHECK_EQ_INT(parse_statement(&r, zSql, &zTail), 1);
  snprintf(zMsg, sizeof zMsg, "%s", r.err.zMsg ? r.err.zMsg : "");
  parse_result_free(&r);
  return zMsg;
}

#define CHECK_EMIT(e, st, ontime, ek, ea, lk, la, lness, acc) \
  do {                                                        \
    CHECK_EQ_INT((e).style, st);                              \
    CHECK_EQ_INT((e).bOnTime, ontime);                        \
    CHECK_EQ_INT((e).early, ek);                              \
    CHECK_EQ_INT((e).earlyArg, ea);                           \
    CHECK_EQ_INT((e).late, lk);                               \
    CHECK_EQ_INT((e).lateArg, la);                            \
    CHECK_EQ_INT((e).lateness, lness);                        \
    CHECK_EQ_INT((e).accum, acc);                             \
  } while (0)

TEST(no_emit_clause) {
  parse_result r;
  const char *zTail;
  CHECK_EQ_INT(parse_statement(&r, "SELECT k FROM t GROUP BY k", &zTail), 0);
  CHECK(r.pStmt->pSelect->pEmit == NULL);
  parse_result_free(&r);
}

TEST(emit_after_watermark) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_NONE, 0, ATR_NONE, 0, -1, AACC_DEFAULT);
}

TEST(emit_on_window_close) {
  ast_emit e = emit_of("EMIT ON WINDOW CLOSE");
  CHECK_EMIT(e, AEM_FINAL, 1, ATR_NONE, 0, ATR_NONE, 0, -1, AACC_DEFAULT);
}

TEST(emit_final) {
  ast_emit e = emit_of("EMIT FINAL");
  CHECK_EMIT(e, AEM_FINAL, 1, ATR_NONE, 0, ATR_NONE, 0, -1, AACC_DEFAULT);
}

TEST(emit_changes) {
  ast_emit e = emit_of("EMIT CHANGES");
  CHECK_EMIT(e, AEM_CHANGES, 0, ATR_EVERY_ROW, 0, ATR_NONE, 0, -1,
             AACC_RETRACTING);
}

TEST(emit_stream) {
  ast_emit e = emit_of("EMIT STREAM");
  CHECK_EMIT(e, AEM_STREAM, 0, ATR_EVERY_ROW, 0, ATR_NONE, 0, -1,
             AACC_RETRACTING);
}

TEST(emit_on_update) {
  ast_emit e = emit_of("EMIT ON UPDATE");
  CHECK_EMIT(e, AEM_CHANGES, 0, ATR_EVERY_ROW, 0, ATR_NONE, 0, -1,
             AACC_RETRACTING);
}

TEST(emit_per_event) {
  ast_emit e = emit_of("EMIT PER EVENT");
  CHECK_EMIT(e, AEM_CHANGES, 0, ATR_EVERY_ROW, 0, ATR_NONE, 0, -1,
             AACC_RETRACTING);
}

TEST(emit_changelog) {
  ast_emit e = emit_of("EMIT CHANGELOG");
  CHECK_EMIT(e, AEM_CHANGES, 0, ATR_EVERY_ROW, 0, ATR_NONE, 0, -1,
             AACC_RETRACTING);
}

TEST(emit_changes_accumulating_is_kept) {
  ast_emit e = emit_of("EMIT CHANGES ACCUMULATING");
  CHECK_EMIT(e, AEM_CHANGES, 0, ATR_EVERY_ROW, 0, ATR_NONE, 0, -1,
             AACC_ACCUMULATING);
}

TEST(emit_early_every_interval) {
  ast_emit e = emit_of("EMIT EARLY EVERY INTERVAL '1' MINUTE");
  CHECK_EMIT(e, AEM_PLAIN, 0, ATR_EVERY, 60 * US_S, ATR_NONE, 0, -1,
             AACC_DEFAULT);
}

TEST(emit_early_after_delay) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK EARLY AFTER DELAY "
                       "INTERVAL '30' SECOND");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_AFTER_DELAY, 30 * US_S, ATR_NONE, 0, -1,
             AACC_DEFAULT);
}

TEST(emit_early_after_rows) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK AND EARLY AFTER 100 ROWS");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_AFTER_ROWS, 100, ATR_NONE, 0, -1,
             AACC_DEFAULT);
}

TEST(emit_early_every_row) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK EARLY EVERY ROW");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_EVERY_ROW, 0, ATR_NONE, 0, -1,
             AACC_DEFAULT);
}

TEST(emit_late_every_row) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK LATE EVERY ROW "
                       "ALLOWED LATENESS INTERVAL '1' HOUR");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_NONE, 0, ATR_EVERY_ROW, 0, 3600 * US_S,
             AACC_DEFAULT);
}

TEST(emit_late_after_delay) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK AND LATE AFTER DELAY "
                       "INTERVAL '10' SECOND");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_NONE, 0, ATR_AFTER_DELAY, 10 * US_S, -1,
             AACC_DEFAULT);
}

TEST(emit_late_after_rows) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK LATE AFTER 5 ROWS");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_NONE, 0, ATR_AFTER_ROWS, 5, -1,
             AACC_DEFAULT);
}

TEST(emit_grace_period) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK GRACE PERIOD INTERVAL '2' "
                       "MINUTE");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_NONE, 0, ATR_NONE, 0, 120 * US_S,
             AACC_DEFAULT);
}

TEST(emit_accumulation_modes) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK DISCARDING");
  CHECK_EQ_INT(e.accum, AACC_DISCARDING);
  e = emit_of("EMIT AFTER WATERMARK ACCUMULATING");
  CHECK_EQ_INT(e.accum, AACC_ACCUMULATING);
  e = emit_of("EMIT AFTER WATERMARK RETRACTING");
  CHECK_EQ_INT(e.accum, AACC_RETRACTING);
}

TEST(emit_full_form) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK AND EARLY EVERY INTERVAL '1' "
                       "MINUTE AND LATE EVERY ROW ALLOWED LATENESS "
                       "INTERVAL '10' MINUTE ACCUMULATING");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_EVERY, 60 * US_S, ATR_EVERY_ROW, 0,
             600 * US_S, AACC_ACCUMULATING);
}

TEST(emit_triggers_without_watermark_have_no_ontime_pane) {
  ast_emit e = emit_of("EMIT EARLY EVERY INTERVAL '1' MINUTE LATE EVERY ROW");
  CHECK_EMIT(e, AEM_PLAIN, 0, ATR_EVERY, 60 * US_S, ATR_EVERY_ROW, 0, -1,
             AACC_DEFAULT);
}

TEST(emit_stream_after_delay) {
  ast_emit e = emit_of("EMIT STREAM AFTER DELAY INTERVAL '6' MINUTES");
  CHECK_EMIT(e, AEM_STREAM, 0, ATR_AFTER_DELAY, 360 * US_S, ATR_NONE, 0, -1,
             AACC_RETRACTING);
}

TEST(emit_after_watermark_and_after_delay) {
  ast_emit e = emit_of("EMIT AFTER WATERMARK AND AFTER DELAY "
                       "INTERVAL '1' MINUTE");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_AFTER_DELAY, 60 * US_S, ATR_NONE, 0, -1,
             AACC_DEFAULT);
}

TEST(emit_after_window_close) {
  ast_emit e = emit_of("EMIT AFTER WINDOW CLOSE");
  CHECK_EMIT(e, AEM_FINAL, 1, ATR_NONE, 0, ATR_NONE, 0, -1, AACC_DEFAULT);
}

TEST(emit_after_window_close_with_delay) {
  /* Proton: the window's one result waits for the watermark to pass its
  ** end + d (a close delay, not allowed lateness with late panes). */
  ast_emit e = emit_of("EMIT AFTER WINDOW CLOSE WITH DELAY 2 SECONDS");
  CHECK_EMIT(e, AEM_FINAL, 1, ATR_NONE, 0, ATR_NONE, 0, -1, AACC_DEFAULT);
  CHECK_EQ_INT(e.closeDelay, 2 * US_S);
  e = emit_of("EMIT AFTER WINDOW CLOSE WITH DELAY INTERVAL '1' MINUTE");
  CHECK_EQ_INT(e.closeDelay, 60 * US_S);
  e = emit_of("EMIT AFTER WINDOW CLOSE");
  CHECK_EQ_INT(e.closeDelay, 0);
  CHECK_CONTAINS(emit_err("EMIT AFTER WINDOW CLOSE ALLOWED LATENESS "
                          "INTERVAL '1' MINUTE WITH DELAY 2 SECONDS"),
                 "drop ALLOWED LATENESS");
  CHECK_CONTAINS(emit_err("EMIT AFTER WINDOW CLOSE WITH DELAY 2 SECONDS "
                          "GRACE PERIOD 1m"),
                 "drop ALLOWED LATENESS");
  /* An accumulation mode may follow the delay. */
  e = emit_of("EMIT AFTER WINDOW CLOSE WITH DELAY 5m RETRACTING");
  CHECK_EQ_INT(e.closeDelay, 5 * 60 * US_S);
  CHECK_EQ_INT(e.accum, AACC_RETRACTING);
  e = emit_of("EMIT AFTER WINDOW CLOSE WITH DELAY 5m ACCUMULATING");
  CHECK_EQ_INT(e.accum, AACC_ACCUMULATING);
  CHECK_CONTAINS(emit_err("EMIT AFTER WINDOW CLOSE WITH DELAY 5m EARLY "
                          "EVERY 1m"),
                 "no EARLY trigger");
}

/* Proton's shorthand intervals: digits with a unit glued on. */
TEST(emit_shorthand_intervals) {
  ast_emit e = emit_of("EMIT PERIODIC 2s");
  CHECK_EQ_INT(e.early, ATR_EVERY);
  CHECK_EQ_INT(e.earlyArg, 2 * US_S);
  e = emit_of("EMIT PERIODIC 500ms");
  CHECK_EQ_INT(e.earlyArg, 500000);
  e = emit_of("EMIT PERIODIC 1m");
  CHECK_EQ_INT(e.earlyArg, 60 * US_S);
  e = emit_of("EMIT PERIODIC 1H");
  CHECK_EQ_INT(e.earlyArg, 3600 * US_S);
  e = emit_of("EMIT AFTER WINDOW CLOSE WITH DELAY 1d");
  CHECK_EQ_INT(e.closeDelay, 86400 * US_S);
  e = emit_of("EMIT PERIODIC 250us");
  CHECK_EQ_INT(e.earlyArg, 250);
  /* Only those units, and only glued to the digits. */
  CHECK_CONTAINS(emit_err("EMIT PERIODIC 2sec"), "unrecognized token");
  CHECK_CONTAINS(emit_err("EMIT PERIODIC 2 s"), "syntax error");
  CHECK_CONTAINS(emit_err("EMIT PERIODIC 2.5s"), "unrecognized token");
}

TEST(emit_periodic) {
  /* Proton's PERIODIC shows the running result: ACCUMULATING unless said. */
  ast_emit e = emit_of("EMIT PERIODIC INTERVAL '5' SECOND");
  CHECK_EMIT(e, AEM_PLAIN, 0, ATR_EVERY, 5 * US_S, ATR_NONE, 0, -1,
             AACC_ACCUMULATING);
  e = emit_of("EMIT PERIODIC INTERVAL '5' SECOND DISCARDING");
  CHECK_EQ_INT(e.accum, AACC_DISCARDING);
  e = emit_of("EMIT PERIODIC 3 SECONDS");
  CHECK_EQ_INT(e.earlyArg, 3 * US_S);
}

TEST(emit_blink_delay_before_without_after) {
  ast_emit e = emit_of("EMIT WITH DELAY INTERVAL '1' MINUTE BEFORE "
                       "WATERMARK, WITHOUT DELAY AFTER WATERMARK");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_AFTER_DELAY, 60 * US_S, ATR_EVERY_ROW, 0,
             -1, AACC_DEFAULT);
}

TEST(emit_blink_other_combinations) {
  ast_emit e = emit_of("EMIT WITH DELAY '10' SECOND AFTER WATERMARK");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_NONE, 0, ATR_AFTER_DELAY, 10 * US_S, -1,
             AACC_DEFAULT);
  e = emit_of("EMIT WITHOUT DELAY BEFORE WATERMARK");
  CHECK_EMIT(e, AEM_PLAIN, 0, ATR_EVERY_ROW, 0, ATR_NONE, 0, -1,
             AACC_DEFAULT);
}

TEST(emit_ksqldb_limit_after_emit) {
  parse_result r;
  const char *zTail;
  CHECK_EQ_INT(parse_statement(&r, "SELECT * FROM s EMIT CHANGES LIMIT 3",
                               &zTail), 0);
  CHECK(r.pStmt->pSelect->pEmit != NULL);
  CHECK(r.pStmt->pSelect->pLimit != NULL);
  CHECK_EQ_INT(r.pStmt->pSelect->pLimit->iVal, 3);
  parse_result_free(&r);
}

TEST(emit_case_insensitive) {
  ast_emit e = emit_of("emit after watermark and early every interval '1' "
                       "minute discarding");
  CHECK_EMIT(e, AEM_PLAIN, 1, ATR_EVERY, 60 * US_S, ATR_NONE, 0, -1,
             AACC_DISCARDING);
}

TEST(emit_errors) {
  CHECK_CONTAINS(emit_err("EMIT FINAL EARLY EVERY ROW"), "no EARLY");
  CHECK_CONTAINS(emit_err("EMIT ON WINDOW CLOSE EARLY EVERY ROW"),
                 "ON WINDOW CLOSE");
  CHECK_CONTAINS(emit_err("EMIT ALLOWED LATENESS INTERVAL '1' HOUR "
                          "GRACE PERIOD 5m"),
                 "two allowed latenesses");
  CHECK_CONTAINS(emit_err("EMIT AFTER WATERMARK DISCARDING ACCUMULATING"),
                 "two accumulation");
  CHECK_CONTAINS(emit_err("EMIT EARLY EVERY INTERVAL '0' SECOND"),
                 "positive");
  CHECK_CONTAINS(emit_err("EMIT EARLY EVERY ROW EARLY AFTER 5 ROWS"),
                 "two EARLY");
  CHECK_CONTAINS(emit_err("EMIT WITH DELAY 5 SECONDS"), "WATERMARK");
  CHECK_CONTAINS(emit_err("EMIT BEFORE WATERMARK"), "WITH DELAY");
  CHECK_CONTAINS(emit_err("EMIT CHANGES FINAL"), "conflicting");
  CHECK_CONTAINS(emit_err("EMIT AFTER"), "unexpected end of input");
  CHECK_CONTAINS(emit_err("EMIT CHANGES LIMIT 1 LIMIT 2"), "syntax error");
}

int main(int argc, char **argv) { return tt_main(argc, argv); }

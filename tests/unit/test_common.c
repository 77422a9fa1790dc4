/*
** tests/unit/test_common.c — the counting allocator, arenas, buffers,
** positions and timestamp helpers of common/.
*/
#include "tinytest.h"
#include "common/common.h"

TEST(alloc_counts_bytes) {
  int64_t before = common_mem_used();
  char *p = common_malloc(1000);
  CHECK_EQ_INT(common_mem_used() - before, 1000);
  p = common_realloc(p, 3000);
  CHECK_EQ_INT(common_mem_used() - before, 3000);
  common_free(p);
  CHECK_EQ_INT(common_mem_used(), before);
}

TEST(arena_reset_keeps_one_block) {
  common_arena a;
  common_arena_init(&a, 256);
  for (int i = 0; i < 100; i++) {
    char *p = common_arena_alloc(&a, 100);
    CHECK(((uintptr_t)p & 15) == 0);
    memset(p, i, 100);
  }
  char *big = common_arena_alloc(&a, 10000);
  memset(big, 1, 10000);
  int64_t used = common_mem_used();
  common_arena_reset(&a);
  CHECK(common_mem_used() < used);
  CHECK_EQ_INT(a.nUsed, 0);
  CHECK_EQ_STR(common_arena_printf(&a, "%d-%s", 7, "x"), "7-x");
  common_arena_free(&a);
}

TEST(buf_printf_and_detach) {
  common_buf b;
  common_buf_init(&b);
  for (int i = 0; i < 1000; i++) common_buf_printf(&b, "%d,", i % 10);
  CHECK_EQ_INT(b.n, 2000);
  char *z = common_buf_detach(&b);
  CHECK(!strncmp(z, "0,1,2,", 6));
  common_free(z);
}

TEST(line_col_and_caret) {
  const char *z = "SELECT a\nFROM t\nWHERE b FORM c";
  int line, col;
  common_line_col(z, 24, &line, &col);
  CHECK_EQ_INT(line, 3);
  CHECK_EQ_INT(col, 9);
  common_buf b;
  common_buf_init(&b);
  common_caret(&b, z, 24);
  CHECK_EQ_STR(b.z, "  WHERE b FORM c\n          ^");
  common_buf_free(&b);
}

TEST(caret_window_on_long_lines) {
  common_buf b;
  common_buf_init(&b);
  char z[600];
  memset(z, 'a', sizeof z);
  z[sizeof z - 1] = 0;
  z[300] = 'X';
  common_caret(&b, z, 300);
  /* "  ..." + 120 before + X + 120 after + "...", caret under the X */
  char *nl = strchr(b.z, '\n');
  CHECK(nl != NULL);
  CHECK_EQ_INT(nl - b.z, 5 + 120 + 1 + 120 + 3);
  CHECK_EQ_INT(b.z[5 + 120], 'X');
  CHECK_EQ_INT(strlen(nl + 1), 5 + 120 + 1);
  CHECK_EQ_INT(nl[1 + 5 + 120], '^');
  common_buf_free(&b);
}

/* The duration rule of 'idle.timeout' and friends (planner and
** connectors alike). */
TEST(duration_values) {
  CHECK_EQ_INT(common_duration_us("250"), 250000);
  CHECK_EQ_INT(common_duration_us("500 ms"), 500000);
  CHECK_EQ_INT(common_duration_us("5s"), 5000000);
  CHECK_EQ_INT(common_duration_us("2 Minutes"), 120000000);
  CHECK_EQ_INT(common_duration_us("1 h"), 3600000000LL);
  CHECK_EQ_INT(common_duration_us("0"), 0);
  CHECK_EQ_INT(common_duration_us(""), -1);
  CHECK_EQ_INT(common_duration_us(" 5 s"), -1);
  CHECK_EQ_INT(common_duration_us("5 s "), -1);
  CHECK_EQ_INT(common_duration_us("1.5 s"), -1);
  CHECK_EQ_INT(common_duration_us("99999999999999999999 h"), -1);
  CHECK_EQ_INT(common_duration_us(NULL), -1);
}

TEST(edit_distance) {
  CHECK_EQ_INT(common_edit_distance("score", "scroe"), 2);
  CHECK_EQ_INT(common_edit_distance("team", "TEAM"), 0);
  CHECK_EQ_INT(common_edit_distance("", "abc"), 3);
}

TEST(timestamps_round_trip) {
  int64_t us;
  CHECK_EQ_INT(common_ts_parse("2026-01-01 12:00:26", 19, &us), 0);
  CHECK_EQ_INT(us, 1767268826000000LL);
  char z[32];
  common_ts_format(z, us);
  CHECK_EQ_STR(z, "2026-01-01 12:00:26");
  CHECK_EQ_INT(common_ts_parse("2026-01-01T12:00:26.123Z", 24, &us), 0);
  common_ts_format(z, us);
  CHECK_EQ_STR(z, "2026-01-01 12:00:26.123");
  CHECK_EQ_INT(common_ts_parse("1969-12-31 23:59:59.5", 21, &us), 0);
  CHECK_EQ_INT(us, -500000);
  common_ts_format(z, us);
  CHECK_EQ_STR(z, "1969-12-31 23:59:59.500");
  CHECK_EQ_INT(common_ts_parse("2024-02-29", 10, &us), 0);
  common_ts_format(z, us + 1);
  CHECK_EQ_STR(z, "2024-02-29 00:00:00.000001");
  CHECK(common_ts_parse("2026-13-01", 10, &us) != 0);
  CHECK(common_ts_parse("2026-01-01 12", 13, &us) != 0);
  CHECK(common_ts_parse("hello", 5, &us) != 0);
}

/* The full 'YYYY-MM-DD HH:MM:SS' layout is read at fixed places and the
** last date is kept (parse and format): the checks and the date must
** still follow every row. */
TEST(timestamps_fixed_layout_and_date_cache) {
  int64_t us, us2;
  CHECK(common_ts_parse("2026-13-01 00:00:00", 19, &us) != 0);
  /* Days that do not exist in their month. */
  CHECK(common_ts_parse("2026-02-29 00:00:00", 19, &us) != 0);
  CHECK(common_ts_parse("2026-02-30", 10, &us) != 0);
  CHECK(common_ts_parse("2026-04-31 08:00:00", 19, &us) != 0);
  CHECK(common_ts_parse("1900-02-29 08:00:00", 19, &us) != 0);
  CHECK_EQ_INT(common_ts_parse("2000-02-29 08:00:00", 19, &us), 0);
  CHECK_EQ_INT(common_ts_parse("2028-02-29", 10, &us), 0);
  CHECK_EQ_INT(common_ts_parse("2026-12-31 23:59:59", 19, &us), 0);
  CHECK(common_ts_parse("2026-01-32 00:00:00", 19, &us) != 0);
  CHECK(common_ts_parse("2026-01-01 24:00:00", 19, &us) != 0);
  CHECK(common_ts_parse("2026-01-01 12:60:00", 19, &us) != 0);
  CHECK(common_ts_parse("2026-0a-01 12:00:00", 19, &us) != 0);
  CHECK(common_ts_parse("2026-01-01 12:00:00.", 20, &us) != 0);
  CHECK(common_ts_parse("2026-01-01 12:00:00 x", 21, &us) != 0);
  CHECK_EQ_INT(common_ts_parse("2026-01-01 12:00:00 ", 20, &us), 0);
  CHECK_EQ_INT(common_ts_parse(" 2026-01-01 12:00:00", 20, &us2), 0);
  CHECK_EQ_INT(us, us2);
  /* Alternating dates: the kept date must not leak into the next row. */
  char z[32];
  CHECK_EQ_INT(common_ts_parse("2026-01-02 00:00:01.25", 22, &us), 0);
  CHECK_EQ_INT(common_ts_parse("2025-12-31 23:59:59", 19, &us2), 0);
  CHECK_EQ_INT(us - us2, 86400000000LL + 2250000);
  common_ts_format(z, us);
  CHECK_EQ_STR(z, "2026-01-02 00:00:01.250");
  common_ts_format(z, us2);
  CHECK_EQ_STR(z, "2025-12-31 23:59:59");
  common_ts_format(z, us2 + 1000000);
  CHECK_EQ_STR(z, "2026-01-01 00:00:00");
  common_ts_format(z, -1);
  CHECK_EQ_STR(z, "1969-12-31 23:59:59.999999");
  /* The kept minute: only the seconds of a row that starts with it are
  ** read, with the same checks. */
  int64_t base;
  CHECK_EQ_INT(common_ts_parse("2026-01-01 12:00:26", 19, &base), 0);
  CHECK_EQ_INT(common_ts_parse("2026-01-01 12:00:59.5", 21, &us), 0);
  CHECK_EQ_INT(us - base, 33500000);
  CHECK_EQ_INT(common_ts_parse("2026-01-01 12:00:00Z", 20, &us), 0);
  CHECK_EQ_INT(us - base, -26000000);
  CHECK(common_ts_parse("2026-01-01 12:00:61", 19, &us) != 0);
  CHECK(common_ts_parse("2026-01-01 12:00:3x", 19, &us) != 0);
  CHECK(common_ts_parse("2026-01-01 12:00:30 junk", 24, &us) != 0);
  CHECK(common_ts_parse("2026-01-01 12:00:30.", 20, &us) != 0);
  CHECK_EQ_INT(common_ts_parse("2026-01-01T12:00:26", 19, &us), 0);
  CHECK_EQ_INT(us, base);
  CHECK_EQ_INT(common_ts_parse("2026-01-01 12:01:26", 19, &us), 0);
  CHECK_EQ_INT(us - base, 60000000);
}

int main(int argc, char **argv) { return tt_main(argc, argv); }

/*
** bench/gen_scores.c — generate the benchmark's game events.
**
**   bench_gen_scores N out.csv out.jsonl
**
** writes N events twice: as CSV with the header `user_id,team,score,ts`
** and as JSON lines {"user_id":"u123","team":"t045","score":7,
** "ts":"2026-01-01 12:00:26.123"}. 1000 teams, ~100k users, scores 1..20,
** event time advancing ~1 ms per event from 2026-01-01 00:00:00 with up
** to 5 s of disorder. A fixed seed makes the files identical run to run.
** Standalone: needs no weir library.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64*: small, fast, deterministic. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng_next(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}
static unsigned rng_below(unsigned n) {
  return (unsigned)((rng_next() >> 33) % n);
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

/* Format epoch milliseconds (in 2026-01) as 'YYYY-MM-DD HH:MM:SS.mmm'. */
static int fmt_ts(char *z, int64_t ms) {
  int64_t secs = ms / 1000;
  int64_t days = secs / 86400, rem = secs % 86400;
  /* civil_from_days, inline */
  int64_t zd = days + 719468;
  int64_t era = (zd >= 0 ? zd : zd - 146096) / 146097;
  unsigned doe = (unsigned)(zd - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = (int64_t)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  return sprintf(z, "%04d-%02u-%02u %02d:%02d:%02d.%03d", (int)y, m, d,
                 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
                 (int)(ms % 1000));
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s N out.csv out.jsonl\n", argv[0]);
    return 2;
  }
  long long n = atoll(argv[1]);
  FILE *fc = fopen(argv[2], "w");
  FILE *fj = fopen(argv[3], "w");
  if (!fc || !fj || n < 0) {
    fprintf(stderr, "%s: cannot open output files\n", argv[0]);
    return 1;
  }
  static char bufc[1 << 20], bufj[1 << 20];
  setvbuf(fc, bufc, _IOFBF, sizeof bufc);
  setvbuf(fj, bufj, _IOFBF, sizeof bufj);
  fputs("user_id,team,score,ts\n", fc);
  int64_t t0 = days_from_civil(2026, 1, 1) * 86400000LL;
  int64_t t = t0;
  for (long long i = 0; i < n; i++) {
    t += 1;
    if (rng_below(8) == 0) t += rng_below(2);  /* ~1 ms per event */
    int64_t ts = t - (int64_t)rng_below(5001); /* up to 5 s disorder */
    if (ts < t0) ts = t0;
    unsigned user = rng_below(100000);
    unsigned team = rng_below(1000);
    unsigned score = 1 + rng_below(20);
    char zTs[40];
    fmt_ts(zTs, ts);
    fprintf(fc, "u%u,t%03u,%u,%s\n", user, team, score, zTs);
    fprintf(fj,
            "{\"user_id\":\"u%u\",\"team\":\"t%03u\",\"score\":%u,"
            "\"ts\":\"%s\"}\n",
            user, team, score, zTs);
  }
  if (fclose(fc) || fclose(fj)) {
    fprintf(stderr, "%s: write error\n", argv[0]);
    return 1;
  }
  return 0;
}

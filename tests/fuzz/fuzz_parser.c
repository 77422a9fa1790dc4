/*
** tests/fuzz/fuzz_parser.c — libFuzzer target for the parser stage: the
** input, as a NUL-terminated copy, is parsed statement by statement until
** the tail is empty; each statement's dump and each error's formatting
** are produced too. Run under ASan/UBSan by ./test (bounded time): no
** crash, no leak, and the counting allocator must be back where it was.
*/
#include "parser/parser.h"

/* The parser's sources are compiled into this target (rather than taken
** from libweir_parser.a) so that they get -fsanitize=fuzzer's coverage
** instrumentation; without it libFuzzer would mutate blindly. The archive
** members are then never pulled in, so nothing is defined twice. */
#include "parser/tokenize.c"
#include "parser/ast.c"
#include "parser/parser.c"
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunused-variable"
#pragma clang diagnostic ignored "-Wunused-but-set-variable"
#pragma clang diagnostic ignored "-Wsign-compare"
#pragma clang diagnostic ignored "-Wimplicit-fallthrough"
#pragma clang diagnostic ignored "-Wunused-parameter"
#include "parse.c"
#pragma clang diagnostic pop

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *aData, size_t nData);

int LLVMFuzzerTestOneInput(const uint8_t *aData, size_t nData) {
  int64_t nBefore = common_mem_used();
  char *zSql = malloc(nData + 1);
  if (!zSql) return 0;
  memcpy(zSql, aData, nData);
  zSql[nData] = 0;

  const char *z = zSql;
  for (int nStmt = 0; *z && nStmt < 10000; nStmt++) {
    parse_result r;
    const char *zTail = z;
    common_buf b;
    common_buf_init(&b);
    if (parse_statement(&r, z, &zTail)) {
      if (r.pStmt) abort();   /* an error never comes with a statement */
      parse_error_format(&b, z, &r.err);
    } else if (r.pStmt) {
      parse_stmt_dump(&b, r.pStmt);
    }
    common_buf_free(&b);
    parse_result_free(&r);
    if (zTail <= z || zTail > zSql + nData) abort();   /* must advance */
    z = zTail;
  }
  (void)parse_complete(zSql);
  free(zSql);
  if (common_mem_used() != nBefore) abort();   /* leaked through common_ */
  return 0;
}

/*
** tests/unit/test_server_json.c — how the server encodes weir values,
** rows and columns as JSON (server/json.c).
*/
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "tinytest.h"

static char *enc(weir_value v) {
  json_t *j = srv_value_json(&v);
  char *z = srv_json_text(j);
  json_decref(j);
  return z;
}

TEST(values) {
  weir_value v;
  memset(&v, 0, sizeof v);
  char *z;
  v.type = WEIR_BIGINT;
  v.u.i = -42;
  CHECK_EQ_STR(z = enc(v), "-42");
  free(z);
  v.is_null = 1;
  CHECK_EQ_STR(z = enc(v), "null");
  free(z);
  v.is_null = 0;
  v.type = WEIR_BOOLEAN;
  v.u.i = 1;
  CHECK_EQ_STR(z = enc(v), "true");
  free(z);
  v.type = WEIR_DOUBLE;
  v.u.f = 2.5;
  CHECK_EQ_STR(z = enc(v), "2.5");
  free(z);
  v.u.f = 1.0 / 0.0;
  CHECK_EQ_STR(z = enc(v), "null");
  free(z);
  v.type = WEIR_TIMESTAMP;
  v.u.i = 1704067205000000LL; /* 2024-01-01 00:00:05 */
  CHECK_EQ_STR(z = enc(v), "\"2024-01-01 00:00:05\"");
  free(z);
  v.type = WEIR_VARCHAR;
  v.u.s.p = "a\"b\n";
  v.u.s.n = 4;
  CHECK_EQ_STR(z = enc(v), "\"a\\\"b\\n\"");
  free(z);
  /* Not UTF-8: ASCII kept, the rest replaced. */
  v.u.s.p =
      "x\xff"
      "y";
  v.u.s.n = 3;
  CHECK_EQ_STR(z = enc(v),
               "\"x\xef\xbf\xbd"
               "y\"");
  free(z);
}

TEST(rows_and_columns) {
  const char *az[] = {"team", "n"};
  weir_type aT[] = {WEIR_VARCHAR, WEIR_BIGINT};
  json_t *j = srv_columns_json(2, az, aT);
  char *z = srv_json_text(j);
  CHECK_EQ_STR(z,
               "[{\"name\":\"team\",\"type\":\"VARCHAR\"},"
               "{\"name\":\"n\",\"type\":\"BIGINT\"}]");
  free(z);
  json_decref(j);
  CHECK_EQ_STR(weir_op_name(WEIR_OP_UPDATE_BEFORE), "-U");
  CHECK_EQ_STR(weir_op_name(WEIR_OP_DELETE), "-D");
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}

/*
** server/json.c — weir values, rows and column lists as JSON (jansson),
** the encoding of every API response and SSE event (docs/server.md):
** BOOLEAN true/false, BIGINT a number, DOUBLE a number (null when not
** finite), VARCHAR a string, TIMESTAMP and INTERVAL the text weir prints
** ("2024-01-01 00:00:05", "5 s"), NULL null.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"

/* A string that is not valid UTF-8 keeps its ASCII bytes; others become
** U+FFFD. */
static json_t *string_json(const char *z, size_t n) {
  json_t *j = json_stringn(z, n);
  if (j) return j;
  common_buf b;
  common_buf_init(&b);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if (c < 0x80)
      common_buf_putc(&b, (char)c);
    else
      common_buf_puts(&b, "\xef\xbf\xbd");
  }
  j = json_stringn(b.z ? b.z : "", b.n);
  common_buf_free(&b);
  return j ? j : json_string("");
}

json_t *srv_value_json(const weir_value *v) {
  if (v->is_null || v->type == WEIR_NULL_TYPE) return json_null();
  switch (v->type) {
    case WEIR_BOOLEAN:
      return json_boolean(v->u.i != 0);
    case WEIR_BIGINT:
      return json_integer((json_int_t)v->u.i);
    case WEIR_DOUBLE:
      return isfinite(v->u.f) ? json_real(v->u.f) : json_null();
    case WEIR_VARCHAR:
      return string_json(v->u.s.p, v->u.s.n);
    default: {
      char z[64];
      weir_value_format(z, sizeof z, v);
      return json_string(z);
    }
  }
}

json_t *srv_row_json(int nCol, const weir_value *aVal) {
  json_t *a = json_array();
  for (int i = 0; i < nCol; i++)
    json_array_append_new(a, srv_value_json(&aVal[i]));
  return a;
}

json_t *srv_columns_json(int nCol, const char *const *azName,
                         const weir_type *aType) {
  json_t *a = json_array();
  for (int i = 0; i < nCol; i++)
    json_array_append_new(a, json_pack("{s:s, s:s}", "name", azName[i], "type",
                                       weir_type_name(aType[i])));
  return a;
}

char *srv_json_text(const json_t *j) {
  return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
}

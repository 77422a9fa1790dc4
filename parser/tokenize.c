/*
** parser/tokenize.c — the hand-written SQL tokenizer, in SQLite's style.
**
** First step of the parser stage: parser.c calls parse_get_token() to cut
** the text into tokens and feeds them to the lemon grammar (parse.y).
** Keywords are recognised case-insensitively; the grammar lets the
** non-reserved ones fall back to identifiers.
*/
#include "parser/parse_int.h"
#include "parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct keyword {
  const char *zName;   /* upper case */
  int code;
} keyword;

/* Sorted by name for bsearch. */
static const keyword aKeyword[] = {
  {"ACCUMULATING", TK_ACCUMULATING}, {"ADVANCE", TK_ADVANCE},
  {"AFTER", TK_AFTER}, {"ALL", TK_ALL}, {"ALLOWED", TK_ALLOWED},
  {"ANALYZE", TK_ANALYZE}, {"AND", TK_AND}, {"AS", TK_AS}, {"ASC", TK_ASC},
  {"BEFORE", TK_BEFORE}, {"BETWEEN", TK_BETWEEN}, {"BY", TK_BY},
  {"CASE", TK_CASE}, {"CAST", TK_CAST}, {"CHANGELOG", TK_CHANGELOG},
  {"CHANGES", TK_CHANGES}, {"CLOSE", TK_CLOSE}, {"CREATE", TK_CREATE},
  {"CROSS", TK_JOIN_KW}, {"CURRENT", TK_CURRENT}, {"DAY", TK_UNIT},
  {"DAYS", TK_UNIT}, {"DELAY", TK_DELAY}, {"DESC", TK_DESC},
  {"DESCRIBE", TK_DESCRIBE}, {"DISCARDING", TK_DISCARDING},
  {"DISTINCT", TK_DISTINCT}, {"DROP", TK_DROP}, {"EARLY", TK_EARLY},
  {"ELSE", TK_ELSE}, {"EMIT", TK_EMIT}, {"END", TK_END},
  {"ENFORCED", TK_ENFORCED}, {"ESCAPE", TK_ESCAPE}, {"EVENT", TK_EVENT},
  {"EVERY", TK_EVERY}, {"EXISTS", TK_EXISTS}, {"EXPLAIN", TK_EXPLAIN},
  {"EXTRACT", TK_EXTRACT}, {"FALSE", TK_FALSE}, {"FILTER", TK_FILTER},
  {"FINAL", TK_FINAL}, {"FOLLOWING", TK_FOLLOWING}, {"FOR", TK_FOR},
  {"FROM", TK_FROM}, {"FULL", TK_JOIN_KW}, {"GRACE", TK_GRACE},
  {"GROUP", TK_GROUP}, {"HAVING", TK_HAVING}, {"HOUR", TK_UNIT},
  {"HOURS", TK_UNIT}, {"IF", TK_IF}, {"IN", TK_IN}, {"INNER", TK_JOIN_KW},
  {"INSERT", TK_INSERT}, {"INTERVAL", TK_INTERVAL}, {"INTO", TK_INTO},
  {"IS", TK_IS}, {"ISNULL", TK_ISNULL}, {"JOIN", TK_JOIN}, {"KEY", TK_KEY},
  {"LATE", TK_LATE}, {"LATENESS", TK_LATENESS}, {"LEFT", TK_JOIN_KW},
  {"LIKE", TK_LIKE_KW}, {"LIMIT", TK_LIMIT}, {"MATERIALIZED", TK_MATERIALIZED},
  {"METADATA", TK_METADATA}, {"MICROSECOND", TK_UNIT},
  {"MICROSECONDS", TK_UNIT}, {"MILLISECOND", TK_UNIT},
  {"MILLISECONDS", TK_UNIT}, {"MINUTE", TK_UNIT}, {"MINUTES", TK_UNIT},
  {"MONTH", TK_UNIT}, {"MONTHS", TK_UNIT}, {"NATURAL", TK_JOIN_KW},
  {"NOT", TK_NOT}, {"NOTNULL", TK_NOTNULL}, {"NULL", TK_NULL}, {"OF", TK_OF},
  {"OFFSET", TK_OFFSET}, {"ON", TK_ON}, {"OR", TK_OR}, {"ORDER", TK_ORDER},
  {"OUTER", TK_JOIN_KW}, {"OVER", TK_OVER}, {"PARTITION", TK_PARTITION},
  {"PER", TK_PER}, {"PERIOD", TK_PERIOD}, {"PERIODIC", TK_PERIODIC},
  {"PRECEDING", TK_PRECEDING}, {"PRIMARY", TK_PRIMARY}, {"QUERY", TK_QUERY},
  {"RANGE", TK_RANGE}, {"REPLACE", TK_REPLACE}, {"RETENTION", TK_RETENTION},
  {"RETRACTING", TK_RETRACTING}, {"RIGHT", TK_JOIN_KW}, {"ROW", TK_ROW},
  {"ROWS", TK_ROWS}, {"SECOND", TK_UNIT}, {"SECONDS", TK_UNIT},
  {"SELECT", TK_SELECT}, {"SET", TK_SET}, {"SHOW", TK_SHOW}, {"SINK", TK_SINK},
  {"SIZE", TK_SIZE}, {"SOURCE", TK_SOURCE}, {"STOP", TK_STOP},
  {"STREAM", TK_STREAM}, {"TABLE", TK_TABLE}, {"TERMINATE", TK_TERMINATE},
  {"THEN", TK_THEN}, {"TIME", TK_TIME}, {"TIMESTAMP", TK_TIMESTAMP},
  {"TO", TK_TO}, {"TRUE", TK_TRUE}, {"UNBOUNDED", TK_UNBOUNDED},
  {"UNION", TK_UNION}, {"UPDATE", TK_UPDATE}, {"USING", TK_USING},
  {"VALUES", TK_VALUES}, {"VIEW", TK_VIEW}, {"VIRTUAL", TK_VIRTUAL},
  {"WATERMARK", TK_WATERMARK}, {"WEEK", TK_UNIT}, {"WEEKS", TK_UNIT},
  {"WHEN", TK_WHEN}, {"WHERE", TK_WHERE}, {"WINDOW", TK_WINDOW},
  {"WITH", TK_WITH}, {"WITHOUT", TK_WITHOUT}, {"YEAR", TK_UNIT},
  {"YEARS", TK_UNIT},
};

static int keyword_cmp(const void *a, const void *b) {
  return strcmp((const char *)a, ((const keyword *)b)->zName);
}

/* Return the TK_ code of the keyword z[0..n-1] (any case), or TK_ID. */
int parse_keyword_code(const char *z, int n) {
  char zUp[16];
  if (n <= 0 || n >= (int)sizeof(zUp)) return TK_ID;
  for (int i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if (c >= 0x80) return TK_ID;
    zUp[i] = (char)toupper(c);
  }
  zUp[n] = 0;
  const keyword *k = bsearch(zUp, aKeyword, COMMON_ARRAY_SIZE(aKeyword),
                             sizeof(aKeyword[0]), keyword_cmp);
  return k ? k->code : TK_ID;
}

static int is_id_char(unsigned char c) {
  return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Is z[0..n) the unit of a shorthand interval: us, ms, s, m, h or d? */
int parse_unit_suffix(const char *z, int n) {
  static const char *const az[] = {"us", "ms", "s", "m", "h", "d"};
  for (int k = 0; k < COMMON_ARRAY_SIZE(az); k++) {
    if ((int)strlen(az[k]) == n && common_strnicmp(z, az[k], (size_t)n) == 0) {
      return 1;
    }
  }
  return 0;
}

/* Length of the token at z and its type in *pType; see parse_int.h. */
int parse_get_token(const unsigned char *z, int *pType, const char **pErr) {
  int i;
  unsigned char c = z[0];
  *pErr = NULL;
  switch (c) {
  case ' ': case '\t': case '\n': case '\f': case '\r': case '\v':
    for (i = 1; z[i] && isspace(z[i]); i++) {}
    *pType = TK_SPACE;
    return i;
  case '-':
    if (z[1] == '-') {
      for (i = 2; z[i] && z[i] != '\n'; i++) {}
      *pType = TK_SPACE;
      return i;
    }
    *pType = TK_MINUS;
    return 1;
  case '/':
    if (z[1] != '*') {
      *pType = TK_SLASH;
      return 1;
    }
    for (i = 2; z[i] && !(z[i] == '*' && z[i + 1] == '/'); i++) {}
    if (!z[i]) {
      *pType = TK_ILLEGAL;
      *pErr = "unterminated comment";
      return i;
    }
    *pType = TK_SPACE;
    return i + 2;
  case '(': *pType = TK_LP; return 1;
  case ')': *pType = TK_RP; return 1;
  case ';': *pType = TK_SEMI; return 1;
  case '+': *pType = TK_PLUS; return 1;
  case '*': *pType = TK_STAR; return 1;
  case '%': *pType = TK_REM; return 1;
  case ',': *pType = TK_COMMA; return 1;
  case '~': *pType = TK_BITNOT; return 1;
  case '=':
    if (z[1] == '>') { *pType = TK_ARROW; return 2; }
    *pType = TK_EQ;
    return z[1] == '=' ? 2 : 1;
  case '<':
    if (z[1] == '=') { *pType = TK_LE; return 2; }
    if (z[1] == '>') { *pType = TK_NE; return 2; }
    *pType = TK_LT;
    return 1;
  case '>':
    if (z[1] == '=') { *pType = TK_GE; return 2; }
    *pType = TK_GT;
    return 1;
  case '!':
    if (z[1] == '=') { *pType = TK_NE; return 2; }
    *pType = TK_ILLEGAL;
    *pErr = "unrecognized token";
    return 1;
  case '|':
    if (z[1] == '|') { *pType = TK_CONCAT; return 2; }
    *pType = TK_ILLEGAL;
    *pErr = "unrecognized token";
    return 1;
  case '\'': case '"': case '`': {
    unsigned char q = c;
    for (i = 1; z[i]; i++) {
      if (z[i] == q) {
        if (z[i + 1] == q) { i++; continue; }
        break;
      }
    }
    if (!z[i]) {
      *pType = TK_ILLEGAL;
      *pErr = q == '\'' ? "unterminated string"
                        : "unterminated quoted identifier";
      return i;
    }
    *pType = q == '\'' ? TK_STRING : TK_ID;
    return i + 1;
  }
  case '.':
    if (!isdigit(z[1])) { *pType = TK_DOT; return 1; }
    /* fall through: .5 is a number */
    /* FALLTHRU */
  case '0': case '1': case '2': case '3': case '4':
  case '5': case '6': case '7': case '8': case '9':
    *pType = TK_INTEGER;
    if (c == '0' && (z[1] == 'x' || z[1] == 'X') && isxdigit(z[2])) {
      for (i = 3; isxdigit(z[i]); i++) {}
    } else {
      for (i = 0; isdigit(z[i]); i++) {}
      if (z[i] == '.') {
        *pType = TK_FLOAT;
        for (i++; isdigit(z[i]); i++) {}
      }
      if ((z[i] == 'e' || z[i] == 'E') &&
          (isdigit(z[i + 1]) ||
           ((z[i + 1] == '+' || z[i + 1] == '-') && isdigit(z[i + 2])))) {
        *pType = TK_FLOAT;
        for (i += 2; isdigit(z[i]); i++) {}
      }
    }
    if (*pType == TK_INTEGER && c != '.' &&
        !(c == '0' && (z[1] == 'x' || z[1] == 'X'))) {
      /* Proton's shorthand intervals (2s, 500ms, 1m, 1h, 1d): the digits
      ** end here and the suffix is the next token (parse_unit_suffix). */
      int j = i;
      while (is_id_char(z[j])) j++;
      if (parse_unit_suffix((const char *)z + i, j - i)) return i;
    }
    if (is_id_char(z[i])) {
      /* 12abc is not a number followed by a name. */
      while (is_id_char(z[i])) i++;
      *pType = TK_ILLEGAL;
      *pErr = "unrecognized token";
    }
    return i;
  default:
    if (!is_id_char(c)) {
      *pType = TK_ILLEGAL;
      *pErr = "unrecognized token";
      return 1;
    }
    for (i = 1; is_id_char(z[i]); i++) {}
    *pType = parse_keyword_code((const char *)z, i);
    return i;
  }
}

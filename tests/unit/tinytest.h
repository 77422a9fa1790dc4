/*
** tests/unit/tinytest.h — the C unit test runner. Each test runs in its
** own forked process with a timeout, so a crash or hang in one is reported
** as that test's failure and the others still run.
**
**   TEST(name) { CHECK(1 + 1 == 2); CHECK_EQ_INT(a, b); CHECK_EQ_STR(x, y); }
**   int main(int argc, char **argv) { return tt_main(argc, argv); }
*/
#ifndef TINYTEST_H
#define TINYTEST_H
#include <stdint.h>
#include <string.h>

typedef void (*tt_fn)(void);
void tt_register(const char *zName, tt_fn x);
void tt_fail(const char *zFile, int line, const char *zMsg);
int tt_main(int argc, char **argv);

#define TEST(name)                                              \
  static void name(void);                                       \
  __attribute__((constructor)) static void reg_##name(void) {   \
    tt_register(#name, name);                                   \
  }                                                             \
  static void name(void)

#define CHECK(c)                                                \
  do {                                                          \
    if (!(c)) tt_fail(__FILE__, __LINE__, "CHECK(" #c ")");     \
  } while (0)
#define CHECK_EQ_INT(a, b)                                            \
  do {                                                                \
    long long a_ = (long long)(a), b_ = (long long)(b);               \
    if (a_ != b_) {                                                   \
      char m_[256];                                                   \
      snprintf(m_, sizeof m_, "%s == %s: %lld != %lld", #a, #b, a_, b_); \
      tt_fail(__FILE__, __LINE__, m_);                                \
    }                                                                 \
  } while (0)
#define CHECK_EQ_STR(a, b)                                            \
  do {                                                                \
    const char *a_ = (a), *b_ = (b);                                  \
    if (!a_ || !b_ || strcmp(a_, b_)) {                               \
      char m_[2048];                                                  \
      snprintf(m_, sizeof m_, "%s == %s:\n  got:  \"%s\"\n  want: \"%s\"", \
               #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");       \
      tt_fail(__FILE__, __LINE__, m_);                                \
    }                                                                 \
  } while (0)
#define CHECK_CONTAINS(hay, needle)                                   \
  do {                                                                \
    const char *h_ = (hay), *n_ = (needle);                           \
    if (!h_ || !strstr(h_, n_)) {                                     \
      char m_[2048];                                                  \
      snprintf(m_, sizeof m_, "\"%s\" does not contain \"%s\"",       \
               h_ ? h_ : "(null)", n_);                               \
      tt_fail(__FILE__, __LINE__, m_);                                \
    }                                                                 \
  } while (0)
#include <stdio.h>
#endif

/*
** tests/unit/tinytest.c — runs each registered test in a forked child with
** a 60 s alarm; prints one line per test and "N passed, N failed".
** Usage: test_x [name-substring]
*/
#include "tinytest.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TESTS 512
static struct { const char *zName; tt_fn x; } g_tests[MAX_TESTS];
static int g_n;

void tt_register(const char *zName, tt_fn x) {
  if (g_n < MAX_TESTS) {
    g_tests[g_n].zName = zName;
    g_tests[g_n].x = x;
    g_n++;
  }
}

void tt_fail(const char *zFile, int line, const char *zMsg) {
  fprintf(stderr, "  %s:%d: %s\n", zFile, line, zMsg);
  fflush(stderr);
  _exit(1);
}

int tt_main(int argc, char **argv) {
  int nPass = 0, nFail = 0;
  for (int i = 0; i < g_n; i++) {
    if (argc > 1 && !strstr(g_tests[i].zName, argv[1])) continue;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      alarm(60);
      g_tests[i].x();
      fflush(stdout);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (ok) {
      nPass++;
      printf("ok   %s\n", g_tests[i].zName);
    } else {
      nFail++;
      if (WIFSIGNALED(status))
        printf("FAIL %s (signal %d)\n", g_tests[i].zName, WTERMSIG(status));
      else
        printf("FAIL %s\n", g_tests[i].zName);
    }
  }
  printf("%d passed, %d failed\n", nPass, nFail);
  return nFail ? 1 : 0;
}

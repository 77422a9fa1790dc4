/*
** common/common.h — small foundations every module uses: the counting
** allocator, arenas (memory by lifetime), a growable string buffer and
** source-position helpers for error messages.
**
** Lifetimes: a statement arena holds an AST and its plan; a pipeline arena
** holds operator state; a batch scratch arena is reset after every push.
** Every byte goes through common_malloc so state size is observable.
*/
#ifndef WEIR_COMMON_H
#define WEIR_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

/* ---- counting allocator ------------------------------------------------ */
/* Abort on out-of-memory (a streaming engine cannot limp on). */
void *common_malloc(size_t n);
void *common_calloc(size_t n, size_t size);
void *common_realloc(void *p, size_t n);
void common_free(void *p);
char *common_strdup(const char *z);
char *common_strndup(const char *z, size_t n);
/* Bytes currently allocated through common_* (all threads). */
int64_t common_mem_used(void);

/* ---- arena -------------------------------------------------------------- */
typedef struct common_arena_block common_arena_block;
typedef struct common_arena {
  common_arena_block *pHead;   /* newest block first */
  size_t nBlock;               /* default block size */
  size_t nUsed;                /* bytes handed out since last reset */
} common_arena;

void common_arena_init(common_arena *a, size_t nBlock);
/* 16-byte aligned; never fails (aborts on OOM). Freed by reset/free. */
void *common_arena_alloc(common_arena *a, size_t n);
void *common_arena_zalloc(common_arena *a, size_t n);
char *common_arena_strdup(common_arena *a, const char *z);
char *common_arena_strndup(common_arena *a, const char *z, size_t n);
char *common_arena_printf(common_arena *a, const char *zFmt, ...);
/* Keep the first block, drop the rest, hand memory out again from zero. */
void common_arena_reset(common_arena *a);
void common_arena_free(common_arena *a);

/* ---- string buffer ------------------------------------------------------ */
typedef struct common_buf {
  char *z;       /* always NUL-terminated when n>0 or after any append */
  size_t n;      /* bytes used, excluding NUL */
  size_t cap;
} common_buf;
void common_buf_init(common_buf *b);
void common_buf_append(common_buf *b, const char *z, size_t n);
void common_buf_puts(common_buf *b, const char *z);
void common_buf_putc(common_buf *b, char c);
void common_buf_printf(common_buf *b, const char *zFmt, ...)
  __attribute__((format(printf, 2, 3)));
void common_buf_vprintf(common_buf *b, const char *zFmt, va_list ap);
void common_buf_reset(common_buf *b);   /* n = 0, keeps memory */
void common_buf_free(common_buf *b);
/* Hand the string to the caller (who frees it with common_free). */
char *common_buf_detach(common_buf *b);
/* A formatted string, never NULL; the caller frees it with common_free. */
char *common_mprintf(const char *zFmt, ...)
  __attribute__((format(printf, 1, 2)));
char *common_vmprintf(const char *zFmt, va_list ap);

/* ---- positions ---------------------------------------------------------- */
/* Line and column (both 1-based) of byte offset iOff in zText. */
void common_line_col(const char *zText, int iOff, int *pLine, int *pCol);
/* Append "line L, column C" context: the source line and a caret under
** byte iOff, to b. Used by parse and plan errors alike. */
void common_caret(common_buf *b, const char *zText, int iOff);

/* ---- time --------------------------------------------------------------- */
/* Parse 'YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]][Z]' or 'YYYY-MM-DD' (UTC) into
** microseconds since the epoch. Returns 0, or -1 if z is not such text. */
int common_ts_parse(const char *z, size_t n, int64_t *pUs);
/* Format us as 'YYYY-MM-DD HH:MM:SS' plus '.ffffff' trimmed of trailing
** zeros (milliseconds kept as 3 digits when only they are set). Writes at
** most 32 bytes including the NUL; returns the length. */
int common_ts_format(char *zOut, int64_t us);
/* Days since 1970-01-01 of a civil date, and back. */
int64_t common_days_from_civil(int64_t y, unsigned m, unsigned d);
void common_civil_from_days(int64_t z, int64_t *py, unsigned *pm,
                            unsigned *pd);

/* A duration option ('5 s', '500ms', '2 min', '1 h'; a bare number is
** milliseconds) in microseconds, or -1 when z is not one. Planner and
** connectors read 'idle.timeout' and friends with this one rule. */
int64_t common_duration_us(const char *z);

/* ---- misc --------------------------------------------------------------- */
/* Levenshtein distance, capped; used for "did you mean". */
int common_edit_distance(const char *a, const char *b);
/* Case-insensitive compare helpers. */
int common_stricmp(const char *a, const char *b);
int common_strnicmp(const char *a, const char *b, size_t n);
uint64_t common_hash(const void *p, size_t n, uint64_t seed);

#define COMMON_ARRAY_SIZE(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define COMMON_MIN(a, b) ((a) < (b) ? (a) : (b))
#define COMMON_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif

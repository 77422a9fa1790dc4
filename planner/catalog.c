/*
** planner/catalog.c — the catalog of sources, sinks and views that names
** in queries bind against, and the planner's error helpers.
**
** Part of the planner stage (parser -> planner -> exec -> connectors).
** Objects are kept in creation order (SHOW, DESCRIBE list them that way)
** and looked up case-insensitively, as SQL names are.
*/
#include <stdio.h>
#include <string.h>

#include "planner/plan_int.h"

struct plan_catalog {
  int nObj, nAlloc;
  plan_object **aObj;
};

/*
** Create an empty catalog. Free it with plan_catalog_free().
*/
plan_catalog *plan_catalog_new(void) {
  return common_calloc(1, sizeof(plan_catalog));
}

/*
** Free one catalog object, its strings and schema, and the engine's
** connector state through xFreeConn.
*/
void plan_object_free(plan_object *o) {
  int i;
  if (!o) return;
  if (o->pConn && o->xFreeConn) o->xFreeConn(o->pConn);
  common_free(o->zName);
  for (i = 0; i < o->schema.nCol; i++) common_free(o->schema.azName[i]);
  common_free(o->schema.azName);
  common_free(o->schema.aType);
  for (i = 0; i < o->nOpt; i++) {
    common_free(o->azKey[i]);
    common_free(o->azVal[i]);
  }
  common_free(o->azKey);
  common_free(o->azVal);
  common_free(o->zSql);
  common_free(o->zFrom);
  common_free(o);
}

/*
** Free the catalog and every object in it.
*/
void plan_catalog_free(plan_catalog *c) {
  int i;
  if (!c) return;
  for (i = 0; i < c->nObj; i++) plan_object_free(c->aObj[i]);
  common_free(c->aObj);
  common_free(c);
}

/*
** Find an object by case-insensitive name; NULL if there is none.
*/
plan_object *plan_catalog_find(plan_catalog *c, const char *zName) {
  int i;
  if (!c || !zName) return NULL;
  for (i = 0; i < c->nObj; i++) {
    if (common_stricmp(c->aObj[i]->zName, zName) == 0) return c->aObj[i];
  }
  return NULL;
}

/*
** Number of objects in the catalog.
*/
int plan_catalog_count(const plan_catalog *c) {
  return c ? c->nObj : 0;
}

/*
** The i-th object in creation order, or NULL when out of range.
*/
plan_object *plan_catalog_at(plan_catalog *c, int i) {
  if (!c || i < 0 || i >= c->nObj) return NULL;
  return c->aObj[i];
}

/*
** Append object o to the catalog; the catalog owns it from now on.
*/
void plan_catalog_add(plan_catalog *c, plan_object *o) {
  if (c->nObj == c->nAlloc) {
    c->nAlloc = c->nAlloc ? c->nAlloc * 2 : 8;
    c->aObj = common_realloc(c->aObj, sizeof(plan_object *) * c->nAlloc);
  }
  c->aObj[c->nObj++] = o;
}

/*
** Remove and free the object named zName. Returns 0 if it existed, 1 if
** not.
*/
int plan_catalog_drop(plan_catalog *c, const char *zName) {
  int i;
  if (!c || !zName) return 1;
  for (i = 0; i < c->nObj; i++) {
    if (common_stricmp(c->aObj[i]->zName, zName) == 0) {
      plan_object_free(c->aObj[i]);
      memmove(&c->aObj[i], &c->aObj[i + 1],
              sizeof(plan_object *) * (c->nObj - i - 1));
      c->nObj--;
      return 0;
    }
  }
  return 1;
}

/*
** Release the message of a plan error and reset it (safe to call twice).
*/
void plan_error_clear(plan_error *err) {
  if (!err) return;
  common_free(err->zMsg);
  err->zMsg = NULL;
  err->iPos = -1;
}

/*
** Record an error at byte offset iPos of the text being planned. The
** first error wins; later ones only bump the count. Inside a view's
** expansion, the position reported is the view reference's and the
** message names the view. Always returns 1 so callers can
** "return plan_err(...)".
*/
int plan_err(plan_ctx *p, int iPos, const char *zFmt, ...) {
  va_list ap;
  common_buf b;
  p->nErr++;
  if (p->err->zMsg) return 1;
  common_buf_init(&b);
  if (p->zInView) common_buf_printf(&b, "in view \"%s\": ", p->zInView);
  va_start(ap, zFmt);
  common_buf_vprintf(&b, zFmt, ap);
  va_end(ap);
  p->err->zMsg = common_buf_detach(&b);
  p->err->iPos = p->iOuterPos >= 0 ? p->iOuterPos : iPos;
  return 1;
}

/*
** Pick the candidate closest to zName by edit distance, provided it is
** close enough to be a plausible typo; NULL otherwise. Ties keep the
** first candidate.
*/
const char *plan_did_you_mean(const char *zName, const char *const *azCand,
                              int n) {
  int i, best = -1, bestD = 0;
  int len = (int)strlen(zName);
  int limit = len <= 3 ? 1 : (len <= 5 ? 2 : len / 3 + 1);
  for (i = 0; i < n; i++) {
    char zA[128], zB[128];
    int j, d;
    if (!azCand[i]) continue;
    /* compare case-insensitively */
    for (j = 0; zName[j] && j < 127; j++) {
      zA[j] = (char)((zName[j] >= 'A' && zName[j] <= 'Z') ? zName[j] + 32
                                                          : zName[j]);
    }
    zA[j] = 0;
    for (j = 0; azCand[i][j] && j < 127; j++) {
      char ch = azCand[i][j];
      zB[j] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
    }
    zB[j] = 0;
    if (strcmp(zA, zB) == 0) continue;
    d = common_edit_distance(zA, zB);
    if (d <= limit && (best < 0 || d < bestD)) {
      best = i;
      bestD = d;
    }
  }
  return best < 0 ? NULL : azCand[best];
}

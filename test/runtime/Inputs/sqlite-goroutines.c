/* Four goroutines insert into one in-memory SQLite database, built
 * threadsafe (its recursive pthread mutexes serialise them): used by
 * sqlite-goroutines.test. */
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>
#include "sqlite3.h"
static sqlite3 *db;
static gp_waitgroup_t wg;
static void worker(void *arg) {
  long id = (long)arg;
  char sql[200];
  for (int i = 0; i < 2000; i++) {
    snprintf(sql, sizeof sql, "INSERT INTO t(k, v) VALUES(%ld, %d);", id, i);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) { printf("error: %s\n", err); exit(1); }
  }
  gp_waitgroup_done(&wg);
}
static int print_row(void *p, int n, char **v, char **c) { printf("rows %s sum %s\n", v[0], v[1]); return 0; }
int main(void) {
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_exec(db, "CREATE TABLE t(k INTEGER, v INTEGER);", NULL, NULL, NULL);
  gp_waitgroup_add(&wg, 4);
  for (long i = 0; i < 4; i++) gp_go(worker, (void *)i);
  gp_waitgroup_wait(&wg);
  sqlite3_exec(db, "SELECT count(*), sum(v) FROM t;", print_row, NULL, NULL);
  return 0;
}

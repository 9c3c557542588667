-- bench.sql: a deterministic SQLite workload for the overhead benchmark:
-- bulk insert through a recursive CTE, index build, joins, aggregates,
-- LIKE scans, an update and a delete, in an in-memory database.
PRAGMA cache_size = 20000;
CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c REAL);
WITH RECURSIVE s(i, x) AS (
  SELECT 1, 12345
  UNION ALL
  SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM s WHERE i < 60000
)
INSERT INTO t SELECT i, x % 1000, printf('name-%08x-%d', x, i % 97), (x % 10007) / 7.0 FROM s;
CREATE INDEX t_a ON t(a);
CREATE INDEX t_b ON t(b);
CREATE TABLE u AS SELECT a, count(*) AS n, sum(c) AS sc FROM t GROUP BY a;
SELECT count(*), sum(n), round(sum(sc), 3) FROM u;
SELECT count(*) FROM t JOIN u ON t.a = u.a WHERE u.n > 55;
SELECT count(*) FROM t WHERE b LIKE '%-1_';
SELECT a, max(c), min(b) FROM t GROUP BY a ORDER BY 2 DESC LIMIT 3;
UPDATE t SET c = c * 2 WHERE a % 3 = 0;
DELETE FROM t WHERE a % 5 = 1;
SELECT count(*), round(sum(c), 3) FROM t;
SELECT substr(group_concat(b, ','), 1, 40) FROM (SELECT b FROM t ORDER BY b DESC LIMIT 500);

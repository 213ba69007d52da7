#!/usr/bin/env python3
"""DuckDB's time for the aggregation `smarketing import` does on the benchmark's CSV (the map
`stages: {leads: created, mql: mql_date, won: won_date}`, `channel: source`, `amount: amount`):
per month, the rows at each stage (in the month of that stage's date), revenue (the amounts of
the rows won that month), the median sales cycle (days from `created` to the won day, in the
won month) and the median days to MQL (in the MQL month); per month and channel, the stage
counts and revenue (a blank channel is "unknown").

Run by bench/run.py with the bench's own virtual environment (bench/.venv, which has the
`duckdb` package). Prints one JSON object: the seconds from connecting to the fetched result
(Python's start and `import duckdb` are not counted), DuckDB's version, and the figures, so
run.py can check that both tools computed the same numbers.

    bench/.venv/bin/python bench/duckdb_funnel.py rows.csv
"""
import json
import sys
import time

import duckdb

QUERY = """
WITH r AS (
  SELECT * FROM read_csv(?, header = true, columns = {
    'id': 'BIGINT', 'created': 'DATE', 'mql_date': 'DATE', 'won_date': 'TIMESTAMP',
    'source': 'VARCHAR', 'amount': 'DOUBLE'})
), ev AS (
  SELECT strftime(created, '%Y-%m') AS m, coalesce(nullif(source, ''), 'unknown') AS ch,
         1 AS leads, 0 AS mql, 0 AS won, 0.0 AS revenue, NULL::BIGINT AS cycle, NULL::BIGINT AS to_mql
  FROM r
  UNION ALL
  SELECT strftime(mql_date, '%Y-%m'), coalesce(nullif(source, ''), 'unknown'), 0, 1, 0, 0.0, NULL,
         CASE WHEN mql_date >= created THEN date_diff('day', created, mql_date) END
  FROM r WHERE mql_date IS NOT NULL
  UNION ALL
  SELECT strftime(won_date, '%Y-%m'), coalesce(nullif(source, ''), 'unknown'), 0, 0, 1,
         coalesce(amount, 0),
         CASE WHEN won_date::DATE >= created THEN date_diff('day', created, won_date::DATE) END, NULL
  FROM r WHERE won_date IS NOT NULL
)
SELECT m, ch, sum(leads), sum(mql), sum(won), sum(revenue), median(cycle), median(to_mql)
FROM ev GROUP BY GROUPING SETS ((m), (m, ch)) ORDER BY m, ch NULLS FIRST
"""


def main():
    path = sys.argv[1]
    start = time.perf_counter()
    con = duckdb.connect()
    result = con.execute(QUERY, [path]).fetchall()
    elapsed = time.perf_counter() - start
    months = {}
    for m, ch, leads, mql, won, revenue, cycle, to_mql in result:
        figures = {"leads": int(leads), "mql": int(mql), "won": int(won), "revenue": float(revenue)}
        if ch is None:
            figures["sales_cycle_days"] = None if cycle is None else float(cycle)
            figures["days_to_mql"] = None if to_mql is None else float(to_mql)
            months.setdefault(m, {}).update(figures)
        else:
            months.setdefault(m, {}).setdefault("by_channel", {})[ch] = figures
    print(json.dumps({"seconds": elapsed, "version": duckdb.__version__, "months": months}))


if __name__ == "__main__":
    main()

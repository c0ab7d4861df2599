"""The benchmark's summary: each target judged from the figures, empty lists not compared."""

from bench.summary import checks


def row(group, rps=100.0, p50=10.0, p95=20.0, queries=4, rows_shown=25, **extra):
    figures = {"rps": rps, "p50_ms": p50, "p95_ms": p95, "queries": queries, "rows_shown": rows_shown}
    return {"group": group, **figures, **extra}


def verdicts(runs):
    return {target: passed for target, passed, _detail in checks(runs)}


def test_a_directory_empty_at_fixture_size_is_not_compared_with_scale_one():
    runs = {
        "postgresql-fixtures": {"exchange": row("directory", rows_shown=0, p50=2.0)},
        "postgresql-scale1": {"exchange": row("directory", p50=10.0)},
    }
    judged = verdicts(runs)
    assert judged["postgresql: exchange p50 scale 1 vs fixtures"] is None
    assert "postgresql: exchange p50 scale 1 ≤ 1.3× fixtures" not in judged


def test_a_directory_slower_at_scale_or_running_more_queries_misses():
    runs = {
        "postgresql-fixtures": {"meetings": row("directory", p50=10.0, queries=4)},
        "postgresql-scale1": {"meetings": row("directory", p50=14.0, queries=12)},
    }
    judged = verdicts(runs)
    assert judged["postgresql: meetings p50 scale 1 ≤ 1.3× fixtures"] is False
    assert judged["postgresql: meetings queries constant in data size"] is False
    assert judged["postgresql scale 1: meetings ≤ 10 queries"] is False


def test_the_export_must_reach_100000_rows_and_start_within_a_second():
    export = {"group": "export", "rows": 99_999, "first_row_s": 0.5, "total_s": 20.0, "peak_rss_mb": 100.0}
    runs = {"postgresql-scale1": {"CSV export, dispatches": export}}
    assert list(verdicts(runs).values()) == [False]
    runs["postgresql-scale1"]["CSV export, dispatches"] = export | {"rows": 100_000}
    assert list(verdicts(runs).values()) == [True]


def test_search_latency_is_judged_saturated_and_one_request_at_a_time():
    search = row("search", p95=220.0, alone={"rps": 50.0, "p50_ms": 20.0, "p95_ms": 30.0, "p99_ms": 40.0})
    judged = verdicts({"postgresql-scale1": {"search 'labour'": search}})
    assert judged["postgresql scale 1: search 'labour' p95 ≤ 100 ms (saturated)"] is False
    assert judged["postgresql scale 1: search 'labour' p95 ≤ 100 ms (one at a time)"] is True


def test_an_import_of_ten_thousand_rows_is_judged_against_fifteen_seconds_and_the_admin_against_the_timeout():
    runs = {
        "sqlite-scale1": {
            "import 10,000 meetings (CSV)": {"group": "import", "seconds": 6.0, "rows_per_s": 1666, "peak_rss_mb": 120},
            "import 10,000 meetings (XLSX)": {"group": "import", "seconds": 16.0, "rows_per_s": 625, "peak_rss_mb": 9},
            "admin import 10,000 meetings (XLSX)": {
                "group": "import", "dry_run_s": 5.0, "confirm_s": 7.0, "status": 302, "peak_rss_mb": 140,
            },
        }
    }  # fmt: skip
    judged = verdicts(runs)
    assert judged["sqlite scale 1: import 10,000 meetings (CSV) ≤ 15 s"] is True
    assert judged["sqlite scale 1: import 10,000 meetings (XLSX) ≤ 15 s"] is False
    assert judged["sqlite scale 1: admin import 10,000 meetings (XLSX) each step < 30 s (worker timeout)"] is True

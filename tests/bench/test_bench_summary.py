"""The benchmark's summary: each target judged from the figures, empty lists not compared."""

from bench.summary import checks, comparison


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


def test_a_feed_showing_fewer_entries_at_fixture_size_is_not_compared_but_its_queries_are():
    runs = {
        "postgresql-fixtures": {"Atom, all dispatches": row("feed", rows_shown=8, p50=5.0, queries=4)},
        "postgresql-scale1": {"Atom, all dispatches": row("feed", rows_shown=50, p50=10.0, queries=5)},
    }
    judged = verdicts(runs)
    assert judged["postgresql: Atom, all dispatches p50 scale 1 vs fixtures"] is None
    assert judged["postgresql: Atom, all dispatches queries constant in data size"] is False
    runs["postgresql-fixtures"]["Atom, all dispatches"] = row("feed", rows_shown=50, p50=5.0, queries=5)
    judged = verdicts(runs)
    assert judged["postgresql: Atom, all dispatches p50 scale 1 ≤ 1.3× fixtures"] is False
    assert judged["postgresql: Atom, all dispatches queries constant in data size"] is True


def test_a_directory_slower_at_scale_or_running_more_queries_misses():
    runs = {
        "postgresql-fixtures": {"meetings": row("directory", p50=10.0, queries=4)},
        "postgresql-scale1": {"meetings": row("directory", p50=14.0, queries=12)},
    }
    judged = verdicts(runs)
    assert judged["postgresql: meetings p50 scale 1 ≤ 1.3× fixtures"] is False
    assert judged["postgresql: meetings queries constant in data size"] is False
    assert judged["postgresql scale 1: meetings ≤ 10 queries"] is False


def test_an_export_must_stream_ten_thousand_rows_a_second_in_flat_memory():
    export = {"group": "export", "rows": 85_000, "first_row_s": 0.5, "total_s": 20.0, "peak_rss_mb": 100.0}
    runs = {"postgresql-scale1": {"CSV export, dispatches": export}}
    assert list(verdicts(runs).values()) == [False]
    runs["postgresql-scale1"]["CSV export, dispatches"] = export | {"total_s": 8.0}
    assert list(verdicts(runs).values()) == [True]
    runs["postgresql-scale1"]["CSV export, dispatches"] = export | {"total_s": 8.0, "peak_rss_mb": 160.0}
    assert list(verdicts(runs).values()) == [False]


def test_an_export_of_few_rows_is_not_judged():
    export = {"group": "export", "rows": 200, "first_row_s": 0.1, "total_s": 1.0, "peak_rss_mb": 90.0}
    assert list(verdicts({"postgresql-scale1": {"CSV export, processes": export}}).values()) == [None]


def mixed(rps, **extra):
    return row("mixed", rps=rps, queries=0, rows_shown=None, urls=600, priming_statuses={"200": 600}, **extra)


def test_the_mixed_scenario_passes_when_writes_keep_half_the_throughput_and_show_at_once():
    busy = mixed(800.0, writes_ok=12, writes_failed=0, fresh_after_write=True)
    judged = verdicts({"postgresql-scale1": {"mixed, no writes": mixed(1500.0), "mixed, one write a second": busy}})
    assert judged["postgresql scale 1: mixed scenario over ≥ 500 distinct public URLs, all answering 200"] is True
    assert judged["postgresql scale 1: mixed scenario with a write a second ≥ 50% of without"] is True
    assert judged["postgresql scale 1: mixed scenario's writes succeed and show on the next request"] is True


def test_the_mixed_scenario_misses_when_writes_empty_the_cache_or_fail():
    busy = mixed(67.0, writes_ok=10, writes_failed=2, fresh_after_write=True)
    judged = verdicts({"postgresql-scale1": {"mixed, no writes": mixed(1541.0), "mixed, one write a second": busy}})
    assert judged["postgresql scale 1: mixed scenario with a write a second ≥ 50% of without"] is False
    assert judged["postgresql scale 1: mixed scenario's writes succeed and show on the next request"] is False


def test_the_mixed_scenario_needs_five_hundred_urls_all_answering():
    calm = mixed(1500.0) | {"urls": 499}
    judged = verdicts({"postgresql-scale1": {"mixed, no writes": calm}})
    assert judged["postgresql scale 1: mixed scenario over ≥ 500 distinct public URLs, all answering 200"] is False
    assert judged["postgresql scale 1: mixed scenario with a write a second"] is False


def test_an_admin_changelist_must_reach_half_its_public_directory_within_twelve_constant_queries():
    runs = {
        "postgresql-fixtures": {"admin: meetings": row("admin", queries=11)},
        "postgresql-scale1": {
            "meetings": row("directory", rps=40.0),
            "admin: meetings": row("admin", rps=19.0, queries=13),
            "admin: start page (secretariat)": row("start page", queries=12),
        },
    }
    judged = verdicts(runs)
    assert judged["postgresql scale 1: admin: meetings ≥ 0.5× its public directory uncached"] is False
    assert judged["postgresql scale 1: admin: meetings ≤ 12 queries"] is False
    assert judged["postgresql: admin: meetings queries constant in data size"] is False
    assert judged["postgresql scale 1: admin: start page (secretariat) ≤ 12 queries"] is True
    runs["postgresql-scale1"]["admin: meetings"] = row("admin", rps=20.0, queries=11)
    assert verdicts(runs)["postgresql scale 1: admin: meetings ≥ 0.5× its public directory uncached"] is True


def test_uncached_pages_and_feeds_are_held_to_eight_queries_and_p50_growth_of_one_point_three():
    runs = {
        "postgresql-fixtures": {
            "home": row("home", p50=10.0, queries=8),
            "Atom, all dispatches": row("feed", p50=10.0),
        },
        "postgresql-scale1": {
            "home": row("home", p50=13.0, queries=8),
            "Atom, all dispatches": row("feed", p50=14.0, queries=9),
        },
    }
    judged = verdicts(runs)
    assert judged["postgresql scale 1: home ≤ 8 queries"] is True
    assert judged["postgresql: home p50 scale 1 ≤ 1.3× fixtures"] is True
    assert judged["postgresql: home queries constant in data size"] is True
    assert judged["postgresql scale 1: Atom, all dispatches ≤ 8 queries"] is False
    assert judged["postgresql: Atom, all dispatches p50 scale 1 ≤ 1.3× fixtures"] is False


def test_search_latency_is_judged_one_at_a_time_and_as_served_and_the_uncached_queue_reported():
    search = row("search", p95=220.0, alone={"rps": 8.0, "p50_ms": 90.0, "p95_ms": 130.0, "p99_ms": 140.0})
    cached = row("cached", p95=12.0)
    runs = {"postgresql-scale1": {"search 'labour'": search, "search 'labour' (cached)": cached}}
    judged = verdicts(runs)
    assert judged["postgresql scale 1: search 'labour' p95 ≤ 100 ms one at a time after writes (issue 6)"] is False
    assert judged["postgresql scale 1: search 'labour' p95 ≤ 100 ms with 16 connections, as served (issue 6)"] is True
    queue = "postgresql scale 1: search 'labour' p95 uncached, 16 connections queueing for 2 workers (reported)"
    assert judged[queue] is None
    search["alone"]["p95_ms"] = 60.0
    assert verdicts(runs)["postgresql scale 1: search 'labour' p95 ≤ 100 ms one at a time after writes (issue 6)"]


def test_a_profile_listing_far_more_at_scale_one_is_not_compared_but_one_listing_about_as_much_is():
    runs = {
        "postgresql-fixtures": {"country": row("detail", rows_shown=20, p50=10.0, queries=7)},
        "postgresql-scale1": {"country": row("detail", rows_shown=58, p50=16.0, queries=7)},
    }
    judged = verdicts(runs)
    assert judged["postgresql: country p50 scale 1 vs fixtures"] is None
    assert judged["postgresql: country queries constant in data size"] is True
    runs["postgresql-scale1"]["country"] = row("detail", rows_shown=24, p50=16.0, queries=7)
    assert verdicts(runs)["postgresql: country p50 scale 1 ≤ 1.3× fixtures"] is False


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


def test_the_before_after_table_shows_export_rates_and_the_mixed_scenarios_ratio():
    before = {
        "postgresql-scale1": {
            "CSV export, dispatches": {"group": "export", "rows": 100_000, "total_s": 45.0, "peak_rss_mb": 110.0},
        }
    }
    after = {
        "postgresql-scale1": {
            "CSV export, dispatches": {
                "group": "export", "rows": 100_000, "rows_per_s": 12_500, "total_s": 8.0, "peak_rss_mb": 100.0,
            },
            "mixed, no writes": mixed(1500.0),
            "mixed, one write a second": mixed(900.0, writes_ok=10, writes_failed=0, fresh_after_write=True),
        }
    }  # fmt: skip
    table = comparison(before, after)
    assert "| CSV export, dispatches | 2,222 → 12,500 rows/s | 45.0 → 8.0 s for 100,000 rows | 110 → 100 MB |" in table
    assert "| mixed, no writes | — → 1,500 |" in table
    assert "| mixed: with writes / without | — → 60% | | |" in table


def test_a_page_with_no_request_completed_is_not_compared_across_sizes():
    runs = {
        "postgresql-fixtures": {"process profile": row("detail", p50=0.0)},
        "postgresql-scale1": {"process profile": row("detail", p50=800.0)},
    }
    assert verdicts(runs)["postgresql: process profile p50 scale 1 vs fixtures"] is None

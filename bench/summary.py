"""Print the benchmark figures side by side and check them against the performance targets.

Usage: python bench/summary.py bench/results   (reads every <db>-<size>.json there)
       python bench/summary.py bench/results --before other/results   (adds a before → after table)
"""

import json
import sys
from pathlib import Path

# Public directory -> the admin changelist of the same model.
DIRECTORY_ADMIN_PAIRS = {
    "processes": "admin: processes",
    "meetings": "admin: meetings",
    "documents": "admin: documents",
    "recommendations": "admin: recommendations",
    "focal points": "admin: focal points",
    "countries": "admin: countries",
    "exchange": "admin: dispatches",
}
MAX_DIRECTORY_QUERIES = 10
VERDICTS = {True: "PASS", False: "MISS", None: "N/A "}


def load(folder):
    runs = {}
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text())
        runs[path.stem] = {row["page"]: row for row in data["results"]} | {"_meta": data["meta"]}
    return runs


def table(runs):
    names = [name for name in runs]
    pages = []
    for run in runs.values():
        pages += [page for page in run if page != "_meta" and page not in pages]
    header = f"{'page':<34}" + "".join(f"{name:>26}" for name in names)
    lines = [header, " " * 34 + "".join(f"{'req/s  p50  p95  q':>26}" for _ in names), "-" * len(header)]
    for page in pages:
        if any(runs[name].get(page, {}).get("group") in ("export", "import") for name in names):
            continue  # not a load test: reported in the checks
        cells = []
        for name in names:
            row = runs[name].get(page)
            cells.append(
                f"{row['rps']:>8.0f} {row['p50_ms']:>5.0f} {row['p95_ms']:>5.0f} {row['queries']:>3}"
                if row
                else f"{'—':>20}"
            )
        lines.append(f"{page[:34]:<34}" + "".join(f"{cell:>26}" for cell in cells))
    return "\n".join(lines)


def checks(runs):
    """(target, passed, detail) for each target that the figures can answer."""
    results = []
    for db in ("postgresql", "sqlite"):
        large, small = runs.get(f"{db}-scale1"), runs.get(f"{db}-fixtures")
        if not large:
            continue
        for directory, admin_page in DIRECTORY_ADMIN_PAIRS.items():
            if directory in large and admin_page in large:
                ratio = large[directory]["rps"] / max(large[admin_page]["rps"], 0.1)
                results.append((f"{db} scale 1: {directory} ≥ 2× its admin changelist", ratio >= 2, f"{ratio:.1f}×"))
        for page, row in large.items():
            if page == "_meta" or row["group"] not in ("directory", "last page"):
                continue
            results.append(
                (
                    f"{db} scale 1: {page} ≤ {MAX_DIRECTORY_QUERIES} queries",
                    row["queries"] <= MAX_DIRECTORY_QUERIES,
                    str(row["queries"]),
                )
            )
            if small and page in small and small[page].get("rows_shown") == 0:
                # A list with no rows at fixture size (no real focal points or dispatches exist yet):
                # its p50 and query count measure an empty page, not the same work at a smaller size.
                results.append((f"{db}: {page} p50 scale 1 vs fixtures", None, "no rows at fixture size"))
            elif small and page in small:
                ratio = row["p50_ms"] / max(small[page]["p50_ms"], 0.01)
                results.append((f"{db}: {page} p50 scale 1 ≤ 1.3× fixtures", ratio <= 1.3, f"{ratio:.2f}×"))
                same = row["queries"] == small[page]["queries"]
                results.append(
                    (
                        f"{db}: {page} queries constant in data size",
                        same,
                        f"{small[page]['queries']} → {row['queries']}",
                    )
                )
        if "meetings" in large and "meetings, last page" in large:
            ratio = large["meetings, last page"]["p50_ms"] / max(large["meetings"]["p50_ms"], 0.01)
            results.append((f"{db} scale 1: last page p50 ≤ 1.5× first", ratio <= 1.5, f"{ratio:.2f}×"))
        bare = large.get("bare Django view, 20 KB")
        for page, row in large.items():
            if page == "_meta":
                continue
            if row["group"] == "cached" and bare:
                ratio = row["rps"] / max(bare["rps"], 0.1)
                results.append((f"{db} scale 1: {page} ≥ 25% of the bare view", ratio >= 0.25, f"{ratio:.0%}"))
            if "conditional_status" in row:
                status = row["conditional_status"]
                target = f"{db} scale 1: {page} answers 304 to a conditional request"
                results.append((target, status == 304, str(status)))
            if row["group"] == "export":
                first = row.get("first_row_s")
                results.append(
                    (
                        f"{db} scale 1: CSV export of ≥ 100,000 rows streams (first row ≤ 1 s, peak RSS < 150 MB)",
                        row["rows"] >= 100_000 and first is not None and first <= 1 and row["peak_rss_mb"] < 150,
                        f"{row['rows']:,} rows, first row after {first or 0:.2f} s, all after {row['total_s']:.1f} s, "
                        f"{row['peak_rss_mb']:.0f} MB",
                    )
                )
        for page, row in large.items():
            if page != "_meta" and row["group"] == "import":
                results.append(import_check(db, page, row))
        for page, row in large.items():
            if page != "_meta" and row["group"] == "search":
                saturated = f"{row['p95_ms']:.0f} ms with 16 connections queueing for 2 workers"
                results.append((f"{db} scale 1: {page} p95 ≤ 100 ms (saturated)", row["p95_ms"] <= 100, saturated))
                if "alone" in row:
                    alone = row["alone"]["p95_ms"]
                    results.append(
                        (f"{db} scale 1: {page} p95 ≤ 100 ms (one at a time)", alone <= 100, f"{alone:.0f} ms")
                    )
    return results


# Imports: a file of 10,000 meetings with validation, atomicity and history within 15 s; each
# step of the admin's import within a worker's timeout (gunicorn: 30 s).
IMPORT_TARGET_S = 15
WORKER_TIMEOUT_S = 30


def import_check(db, page, row):
    if "dry_run_s" in row:
        slowest = max(row["dry_run_s"], row["confirm_s"])
        return (
            f"{db} scale 1: {page} each step < {WORKER_TIMEOUT_S} s (worker timeout)",
            slowest < WORKER_TIMEOUT_S and row["status"] == 302,
            f"dry run {row['dry_run_s']:.1f} s, confirm {row['confirm_s']:.1f} s, peak RSS {row['peak_rss_mb']:.0f} MB",
        )
    return (
        f"{db} scale 1: {page} ≤ {IMPORT_TARGET_S} s",
        row["seconds"] <= IMPORT_TARGET_S and not row.get("errors"),
        f"{row['seconds']:.1f} s, {row['rows_per_s']:,.0f} rows/s, peak RSS {row['peak_rss_mb']:.0f} MB",
    )


def comparison(before, after):
    """Markdown: for each run (database and size), every page's req/s, p50 and queries before → after."""
    lines = []
    for name, run in after.items():
        old = before.get(name, {})
        header = "| page | req/s before → after | p50 ms before → after | queries |"
        lines += [f"### {name}", "", header, "|---|---|---|---|"]
        for page, row in run.items():
            if page == "_meta" or row["group"] == "export":
                continue
            if row["group"] == "import":
                was = old.get(page, {})
                if "seconds" in row:
                    lines.append(
                        f"| {page} | {was.get('rows_per_s', 0):,.0f} → {row['rows_per_s']:,.0f} rows/s | "
                        f"{was.get('seconds', 0):,.1f} → {row['seconds']:,.1f} s | "
                        f"{was.get('peak_rss_mb', 0):,.0f} → {row['peak_rss_mb']:,.0f} MB |"
                    )
                continue
            was = old.get(page) or old.get(page.removesuffix(" (cached)"))
            if was:
                lines.append(
                    f"| {page} | {was['rps']:,.0f} → {row['rps']:,.0f} | {was['p50_ms']:,.0f} → {row['p50_ms']:,.0f} "
                    f"| {was['queries']} → {row['queries']} |"
                )
            else:
                lines.append(f"| {page} | — → {row['rps']:,.0f} | — → {row['p50_ms']:,.0f} | {row['queries']} |")
        lines.append("")
    return "\n".join(lines)


def main(folder, before_folder=None):
    runs = load(folder)
    if not runs:
        sys.exit(f"No benchmark results in {folder}")
    print(table(runs))
    print()
    if before_folder:
        print(comparison(load(before_folder), runs))
    for target, passed, detail in checks(runs):
        print(f"{VERDICTS[passed]}  {target}: {detail}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    before = None
    if "--before" in arguments:
        index = arguments.index("--before")
        before = arguments[index + 1]
        del arguments[index : index + 2]
    main(arguments[0] if arguments else "bench/results", before)

"""Charts drawn on the server as SVG (no chart library, no script): the geometry here, the markup in
templates/includes/_bar_chart.html and _status_chart.html. Every chart ships with a table of its numbers."""

BAR_WIDTH = 640
BAR_HEIGHT = 190
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT = 16, 24, 8


def years_chart(counts):
    """A bar per year from the first year to the last (years without any count shown as 0).

    `counts` is [(year, count)]; returns {width, height, bars, ticks, rows} or None when empty.
    """
    counts = {year: count for year, count in counts if year is not None}
    if not counts:
        return None
    first, last = min(counts), max(counts)
    years = list(range(first, last + 1))
    highest = max(counts.values())
    plot_height = BAR_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = (BAR_WIDTH - 2 * MARGIN_LEFT) / len(years)
    width = max(step * 0.75, 1)
    label_every = 1 if len(years) <= 12 else 5 if len(years) <= 60 else 10
    bars, ticks = [], []
    for index, year in enumerate(years):
        count = counts.get(year, 0)
        height = plot_height * count / highest
        x = MARGIN_LEFT + index * step + (step - width) / 2
        bars.append(
            {
                "year": year,
                "count": count,
                "x": round(x, 1),
                "y": round(MARGIN_TOP + plot_height - height, 1),
                "width": round(width, 1),
                "height": round(height, 1),
                "label_x": round(x + width / 2, 1),
                "label_y": round(MARGIN_TOP + plot_height - height - 3, 1),
            }
        )
        if year % label_every == 0 or len(years) <= 12:
            ticks.append({"x": round(x + width / 2, 1), "label": year})
    return {
        "width": BAR_WIDTH,
        "height": BAR_HEIGHT,
        "baseline": MARGIN_TOP + plot_height,
        "tick_y": BAR_HEIGHT - 6,
        "show_values": len(years) <= 24,
        "bars": bars,
        "ticks": ticks,
        "rows": [(year, counts[year]) for year in sorted(counts)],
        "total": sum(counts.values()),
    }


def status_chart(segments):
    """A stacked horizontal bar of follow-up statuses: `segments` is [(key, label, count)]; None when all are 0."""
    total = sum(count for _key, _label, count in segments)
    if not total:
        return None
    x, parts = 0.0, []
    for key, label, count in segments:
        if not count:
            continue
        width = 1000 * count / total
        parts.append({"key": key, "label": label, "count": count, "x": round(x, 1), "width": round(width, 1)})
        x += width
    return {"segments": parts, "total": total}

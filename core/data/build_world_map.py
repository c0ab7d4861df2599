#!/usr/bin/env python
"""Build core/data/world-map.json, the projected country shapes of the portal's server-rendered maps.

Reads the vendored world-atlas 2.0.2 TopoJSON (Natural Earth 1:50m, public domain; world-atlas is
ISC-licensed: static/vendor/world-atlas-2.0.2/), projects it with the Equal Earth projection (equal
area: a choropleth does not inflate the north), simplifies each shared border once (Douglas–Peucker,
so neighbours keep a common edge), and writes one SVG path per country keyed by its ISO 3166-1
numeric code. States too small to see at this size get a dot as well. It also writes the grey base
map, static/maps/world.svg. Deterministic: run it again and the files are byte-identical.

    .venv/bin/python core/data/build_world_map.py
"""

import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "static" / "vendor" / "world-atlas-2.0.2" / "countries-50m.json"
OUTPUT = Path(__file__).resolve().parent / "world-map.json"
# The grey world every map draws first, as an image the browser caches; only the coloured States are inline.
BASE_SVG = ROOT / "static" / "maps" / "world.svg"

WIDTH = 1000
TOLERANCE = 0.45  # px: how far a simplified border may stray from the original
MIN_RING_AREA = 0.6  # px²: islands smaller than this are dropped
DOT_BELOW = 12.0  # px² (about 12,000 km²): a State whose shapes cover less than this is drawn as a dot
SOUTH_LIMIT = -58  # Antarctica and the Southern Ocean are left out

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
X_MAX = 2.7063
SCALE = WIDTH / (2 * X_MAX)


def equal_earth(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


TOP = equal_earth(0, 90)[1]
HEIGHT = round((TOP - equal_earth(0, SOUTH_LIMIT)[1]) * SCALE)


def to_px(lon, lat):
    x, y = equal_earth(lon, max(lat, SOUTH_LIMIT))
    return (x + X_MAX) * SCALE, (TOP - y) * SCALE


def simplify(points, tolerance):
    """Douglas–Peucker, iterative; the first and last points stay."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def decode_arcs(topology):
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(to_px(x * sx + tx, y * sy + ty))
        arcs.append(simplify(points, TOLERANCE))
    return arcs


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def area(points):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))) / 2


def path_of(rings):
    parts = []
    for points in rings:
        x0, y0 = round(points[0][0], 1), round(points[0][1], 1)
        moves = [f"M{x0:g} {y0:g}"]
        px, py = x0, y0
        for x, y in points[1:]:
            x, y = round(x, 1), round(y, 1)
            if (x, y) != (px, py):
                moves.append(f"{x - px:+.1f}{y - py:+.1f}".replace("+", " ").replace(".0 ", " ").strip())
                px, py = x, y
        parts.append(moves[0] + "l" + " ".join(moves[1:]) + "z")
    return "".join(parts)


def build():
    topology = json.loads(SOURCE.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    countries = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if code is None or code == "010":  # unrecognised areas have no ISO code; Antarctica is cropped
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings, total, box = [], 0.0, [math.inf, math.inf, -math.inf, -math.inf]
        for polygon in polygons:
            for ring in polygon:
                points = ring_points(ring, arcs)
                ring_area = area(points)
                for x, y in points:
                    box = [min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)]
                if ring is polygon[0]:
                    total += ring_area
                if len(points) >= 4 and ring_area >= MIN_RING_AREA:
                    rings.append(points)
        entry = {"name": geometry["properties"]["name"]}
        if rings:
            entry["d"] = path_of(rings)
        if total < DOT_BELOW:
            entry["dot"] = [round((box[0] + box[2]) / 2, 1), round((box[1] + box[3]) / 2, 1)]
        countries[code] = entry
    return {
        "source": "world-atlas 2.0.2 (Natural Earth 1:50m), Equal Earth projection",
        "width": WIDTH,
        "height": HEIGHT,
        "countries": dict(sorted(countries.items())),
    }


def base_svg(world):
    shapes = "".join(f'<path d="{c["d"]}"/>' for c in world["countries"].values() if "d" in c)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {world["width"]} {world["height"]}" '
        f'width="{world["width"]}" height="{world["height"]}">'
        f'<g fill="#e3e7eb" stroke="#ffffff" stroke-width="0.5" stroke-linejoin="round">{shapes}</g></svg>\n'
    )


if __name__ == "__main__":
    world = build()
    OUTPUT.write_text(json.dumps(world, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    BASE_SVG.parent.mkdir(parents=True, exist_ok=True)
    BASE_SVG.write_text(base_svg(world), encoding="utf-8")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes) and {BASE_SVG} ({BASE_SVG.stat().st_size} bytes)")

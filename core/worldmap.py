"""World maps drawn on the server as SVG: no script, nothing fetched from elsewhere, strict CSP intact.

The shapes come from core/data/world-map.json (built from the vendored Natural Earth data by
core/data/build_world_map.py). A page colours some States: `world_map({"144": ("member", "Sri Lanka:
member")})` gives the template the shapes to draw over the grey base map (static/maps/world.svg);
every map is paired on its page with a list or table that says the same in words.
"""

import json
from functools import lru_cache
from pathlib import Path

WORLD_MAP = Path(__file__).resolve().parent / "data" / "world-map.json"


@lru_cache(maxsize=1)
def world():
    return json.loads(WORLD_MAP.read_text(encoding="utf-8"))


def world_map(colours):
    """{width, height, shapes}: one shape per State in `colours` ({ISO numeric code: (css class, label)})."""
    data = world()
    shapes = []
    for code, (css, label) in sorted(colours.items(), key=lambda item: item[1][0]):
        country = data["countries"].get(code)
        if country is None:  # not drawn at this scale (or no ISO shape): the list beside the map names it
            continue
        shapes.append({"css": css, "label": label, "d": country.get("d", ""), "dot": country.get("dot")})
    return {"width": data["width"], "height": data["height"], "shapes": shapes}


# The shades of a choropleth of counts, with the range each stands for.
SHADE_LEGEND = [
    ("map-shade-1", "1"),
    ("map-shade-2", "2–3"),
    ("map-shade-3", "4–6"),
    ("map-shade-4", "7–10"),
    ("map-shade-5", "11+"),
]


def bins(count, limits=(1, 3, 6, 10)):
    """The shade (1–5) of a count on a choropleth: 1, 2–3, 4–6, 7–10, more than 10."""
    return 1 + sum(count > limit for limit in limits)

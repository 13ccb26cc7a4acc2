"""Range maps in folium: rendering only (the geometry comes from :mod:`geo.footprint`).

How a footprint reaches the page (see DESIGN.md, "Rendering"):

- Leaflet never wraps vectors into the other world copies, so each footprint is
  drawn from its *display form* (longitudes continuous around the site) at
  longitude offsets -360, 0 and +360: the fill without a stroke, the true
  boundary rings as lines.  Neither the +/-180 cut nor a pole closure shows.
- The vertices travel once per footprint, as integer deltas at the number of
  decimals the boundary tolerance justifies; a small script draws the copies.
- Every text from data (site names, claimants, sources, notes) is HTML-escaped
  in Python and then JSON-encoded into the script, so it shows as text.
- Element ids come from a counter scoped to one build, so the same input gives
  byte-identical HTML.
- Only Leaflet and the fullscreen control are loaded (no jQuery, Bootstrap or
  icon fonts); ``self_contained=True`` inlines them from the asset cache
  (:mod:`geo.maps._assets`).
"""

from __future__ import annotations

import contextlib
import functools
import html
import itertools
import json
import logging
import math
import os
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
import numpy as np
import pandas as pd
import xyzservices
from branca.element import Element, MacroElement
from folium.plugins import Fullscreen

from geo.footprint import DisplayFootprint, footprint_display
from geo.maps._assets import MAP_ASSETS, inline_assets

__all__ = [
    "KIND_COLOURS",
    "build_maps",
    "catalog_map",
    "deterministic_ids",
    "range_map",
    "render_html",
    "report_map",
    "site_reach_map",
]

log = logging.getLogger(__name__)

#: Colour of each kind of number (``range_kind`` in the catalog).
KIND_COLOURS: dict[str, str] = {
    "flown": "#c62828",
    "claimed": "#ef6c00",
    "class-estimate": "#1565c0",
    "assumption": "#6a1b9a",
}
_KIND_TEXT = {
    "flown": "distance flown",
    "claimed": "claimed maximum range",
    "class-estimate": "published class estimate",
    "assumption": "assumption (not reported)",
}
_PALETTE = (
    "#1565c0",
    "#c62828",
    "#2e7d32",
    "#ef6c00",
    "#6a1b9a",
    "#00838f",
    "#ad1457",
    "#4e342e",
    "#9e9d24",
    "#283593",
)
_IN_RANGE = "#d50000"
_OUT_OF_RANGE = "#757575"
_SITE_COLOUR = "#000000"
_OFFSETS = (-360, 0, 360)
#: A site precision from which the map shows the range +/- precision band.
BAND_MIN_PRECISION_KM = 1.0
_LISTED_FOOTPRINTS = 8

_LEAFLET_JS = [("leaflet", MAP_ASSETS[0].url)]
_LEAFLET_CSS = [("leaflet_css", MAP_ASSETS[1].url)]

_HELPERS_JS = """
var georange = (function () {
  var OFFSETS = [-360, 0, 360];
  function decode(a, s, dx) {
    var out = new Array(a.length / 2), la = 0, lo = 0;
    for (var i = 0, j = 0; i < a.length; i += 2, j++) {
      la += a[i]; lo += a[i + 1]; out[j] = [la / s, lo / s + dx];
    }
    return out;
  }
  function footprint(group, spec) {
    var s = Math.pow(10, spec.d);
    OFFSETS.forEach(function (dx) {
      spec.f.forEach(function (poly) {
        L.polygon(poly.map(function (r) { return decode(r, s, dx); }), {
          stroke: false, fillColor: spec.c, fillOpacity: spec.o, smoothFactor: 0.5,
          className: "georange-fill"
        }).bindPopup(spec.p, {maxWidth: 420}).bindTooltip(spec.t, {sticky: true}).addTo(group);
      });
      spec.l.forEach(function (line) {
        L.polyline(decode(line, s, dx), {
          color: spec.c, weight: 2, opacity: 0.9, smoothFactor: 0.5,
          className: "georange-outline"
        }).bindPopup(spec.p, {maxWidth: 420}).addTo(group);
      });
      spec.b.forEach(function (line) {
        L.polyline(decode(line, s, dx), {
          color: spec.c, weight: 1, opacity: 0.8, dashArray: "4 4", interactive: false,
          className: "georange-band"
        }).addTo(group);
      });
    });
  }
  function point(group, spec) {
    OFFSETS.forEach(function (dx) {
      L.circleMarker([spec.lat, spec.lon + dx], spec.style)
        .bindPopup(spec.p, {maxWidth: 420}).bindTooltip(spec.t).addTo(group);
    });
  }
  function control(map, position, className, html) {
    var ctl = L.control({position: position});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", className);
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    ctl.addTo(map);
  }
  function slider(map, labels, entries) {
    var ctl = L.control({position: "bottomleft"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "georange-slider georange-box");
      var title = L.DomUtil.create("div", "georange-slider-title", div);
      title.textContent = "Launch date";
      var input = L.DomUtil.create("input", "", div);
      input.type = "range"; input.min = 0; input.max = labels.length - 1; input.step = 1;
      input.value = labels.length - 1;
      var out = L.DomUtil.create("div", "georange-slider-label", div);
      function update() {
        var v = +input.value;
        out.textContent = labels[v];
        entries.forEach(function (e) {
          var show = e[1] <= v;
          if (show && !map.hasLayer(e[0])) { map.addLayer(e[0]); }
          if (!show && map.hasLayer(e[0])) { map.removeLayer(e[0]); }
        });
      }
      input.addEventListener("input", update);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      out.textContent = labels[labels.length - 1];
      return div;
    };
    ctl.addTo(map);
  }
  return {footprint: footprint, point: point, control: control, slider: slider};
})();
"""

_CSS = """
.georange-box { background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); font: 12px/1.35 sans-serif; max-width: 340px; }
.georange-box h4 { margin: 0 0 4px; font-size: 13px; }
.georange-swatch { display: inline-block; width: 12px; height: 12px; margin-right: 5px;
  vertical-align: -2px; border: 1px solid rgba(0,0,0,0.3); }
.georange-dot { border-radius: 50%; }
.georange-popup td { padding: 1px 4px; vertical-align: top; }
.georange-popup th { text-align: left; padding: 1px 4px; vertical-align: top; white-space: nowrap; }
.georange-slider input { width: 220px; }
"""


# --- deterministic element ids ---------------------------------------------------------------

_ID_LOCK = threading.RLock()
_ACTIVE: list[Iterator[int]] = []


@contextlib.contextmanager
def deterministic_ids(prefix: str = "") -> Iterator[None]:
    """Within this block, branca/folium elements get ids from a counter, not random hex.

    Nested blocks share the outermost counter.  Build and render a map inside one
    block (the functions of this module do) to get byte-identical HTML.

    Examples
    --------
    >>> import folium
    >>> with deterministic_ids():
    ...     folium.FeatureGroup().get_name(), folium.FeatureGroup().get_name()
    ('feature_group_1', 'feature_group_2')
    """
    with _ID_LOCK:
        if _ACTIVE:
            yield
            return
        counter = itertools.count(1)
        original = Element.__dict__["_generate_id"]
        Element._generate_id = classmethod(  # type: ignore[method-assign,assignment]
            lambda cls: f"{prefix}{next(counter)}"
        )
        _ACTIVE.append(counter)
        try:
            yield
        finally:
            Element._generate_id = original  # type: ignore[method-assign]
            _ACTIVE.pop()


def _deterministic(func: Any) -> Any:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with deterministic_ids():
            return func(*args, **kwargs)

    return wrapper


# --- escaping and encoding ------------------------------------------------------------------


def _esc(value: Any) -> str:
    """HTML-escape a value from data (None/NaN -> empty); braces too (no template syntax)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def _table(rows: Sequence[tuple[str, Any]], *, title: str | None = None) -> str:
    """A popup table; labels and values escaped here."""
    head = f"<h4>{_esc(title)}</h4>" if title else ""
    body = "".join(
        f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in rows if _esc(v) != ""
    )
    return f'<div class="georange-popup">{head}<table>{body}</table></div>'


def _km(value: float) -> str:
    return f"{value:,.0f} km" if value >= 100 else f"{value:,.3g} km"


def _signed_km(value: float) -> str:
    return f"{value:+,.0f} km" if abs(value) >= 100 else f"{value:+,.3g} km"


def _decimals(tolerance_m: float) -> int:
    """Decimal places of degrees whose rounding error (<= 55.7 km * 10^-d) is <= tolerance/4."""
    d = math.ceil(math.log10(55_660.0 * 4.0 / max(tolerance_m, 1e-3)))
    return min(max(d, 2), 7)


def _encode(coords: Any, decimals: int, *, closed: bool) -> list[int]:
    """(lon, lat) vertices -> [lat0, lon0, dlat1, dlon1, ...] integers at 10^-decimals degrees."""
    arr = np.asarray(coords, dtype=float)[:, :2][:, ::-1]
    ints = np.round(arr * 10.0**decimals).astype(np.int64)
    if len(ints) > 1:
        keep = np.ones(len(ints), dtype=bool)
        keep[1:] = np.any(ints[1:] != ints[:-1], axis=1)
        ints = ints[keep]
    if closed and len(ints) > 3 and np.array_equal(ints[0], ints[-1]):
        ints = ints[:-1]  # Leaflet closes polygon rings itself
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return [int(v) for v in deltas.ravel()]


def _polygons(geom: Any) -> list[Any]:
    return list(geom.geoms) if hasattr(geom, "geoms") else [geom]


# --- custom elements ---------------------------------------------------------------------------


def _figure(element: Element) -> Any:
    """The page (a branca Figure) an element belongs to."""
    return element.get_root()


class _Raw(Element):
    """Text placed in the page as is: never compiled as a Jinja template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "GeorangeRaw"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _Script(MacroElement):
    """A line of script run against the parent element (a map or a feature group).

    Rendered without Jinja: folium's MacroElement would compile the rendered
    script as a template again, which is slow for large footprints and would
    evaluate ``{{ ... }}`` found in data.
    """

    def __init__(self, call: str, *args: Any) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GeorangeScript"
        self.call = call
        # json.dumps then HTML-safe: '<', '>' and '&' never appear raw inside the script.
        self.args = ", ".join(_js_json(a) for a in args)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        parent: Any = self._parent
        text = f"{self.call}({parent.get_name()}, {self.args});\n"
        _figure(self).script.add_child(_Raw(text), name=self.get_name())


def _js_json(value: Any) -> str:
    """JSON for a script block: no raw '<', '>', '&' (no '</script>'), no template syntax.

    In compact JSON a structural '{' is always followed by '"' or '}', so a '{'
    followed by '{', '%' or '#' lies inside a string, where ``\\u007b`` is the same text.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _JS_ESCAPES:
        text = text.replace(raw, escaped)
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


_JS_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


class _Slider(MacroElement):
    """The time slider: shows the footprints dated up to the chosen launch date."""

    def __init__(self, labels: list[str], entries: list[tuple[folium.FeatureGroup, int]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GeorangeSlider"
        self.labels = labels
        self.entries = entries

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        parent: Any = self._parent
        pairs = ",".join(f"[{g.get_name()},{int(i)}]" for g, i in self.entries)
        text = f"georange.slider({parent.get_name()}, {_js_json(self.labels)}, [{pairs}]);\n"
        _figure(self).script.add_child(_Raw(text), name=self.get_name())


# --- what a map holds ------------------------------------------------------------------------


@dataclass
class _Footprint:
    name: str
    colour: str
    display: DisplayFootprint
    rows: list[tuple[str, Any]]
    band_km: float = 0.0
    band: tuple[DisplayFootprint, ...] = ()
    date_key: str | None = None
    legend: str = ""


@dataclass
class _Site:
    name: str
    lat: float
    lon: float
    precision_km: float
    source: str
    extra: list[tuple[str, Any]] = field(default_factory=list)


@functools.lru_cache(maxsize=2048)
def _display(
    lat: float,
    lon: float,
    range_km: float,
    min_range_km: float,
    bearing: tuple[float, float] | None,
    tolerance_m: float | None,
) -> DisplayFootprint:
    return footprint_display(
        lat, lon, range_km, min_range_km=min_range_km, bearing=bearing, tolerance_m=tolerance_m
    )


def _band(
    lat: float,
    lon: float,
    range_km: float,
    precision_km: float,
    bearing: tuple[float, float] | None,
    tolerance_m: float | None,
) -> tuple[float, tuple[DisplayFootprint, ...]]:
    """Footprints at range -/+ the site precision, when the precision is worth showing."""
    if not (math.isfinite(precision_km) and precision_km >= BAND_MIN_PRECISION_KM):
        return 0.0, ()
    parts = []
    if range_km - precision_km > 0:
        parts.append(_display(lat, lon, range_km - precision_km, 0.0, bearing, tolerance_m))
    parts.append(_display(lat, lon, range_km + precision_km, 0.0, bearing, tolerance_m))
    return precision_km, tuple(parts)


def _tolerance_text(tolerance_m: float) -> str:
    return f"boundary within {tolerance_m:,.3g} m of the true geodesic range"


def _site_text(site: _Site) -> list[tuple[str, Any]]:
    return [
        ("coordinates", f"{site.lat:.5f}, {site.lon:.5f}"),
        ("precision", f"±{site.precision_km:,.3g} km" if math.isfinite(site.precision_km) else ""),
        ("source", site.source),
        *site.extra,
    ]


def _targets_frame(targets: Any) -> pd.DataFrame | None:
    from geo.catalog import load_targets

    if targets is False:
        return None
    if targets is None or isinstance(targets, str | os.PathLike):
        return load_targets(targets)
    return pd.DataFrame(targets)


def _verdicts(prints: Sequence[_Footprint], targets: pd.DataFrame) -> list[pd.DataFrame]:
    from geo.reach import reach

    out = []
    for fp in prints:
        d = fp.display
        out.append(
            reach(
                (d.lat, d.lon),
                d.range_km,
                targets=targets,
                min_range_km=d.min_range_km,
                bearing=d.bearing,
            )
        )
    return out


@functools.lru_cache(maxsize=2048)
def _city_reach(
    lat: float,
    lon: float,
    range_km: float,
    min_range_km: float,
    bearing: tuple[float, float] | None,
) -> tuple[int, int]:
    """(cities of 15,000+ people in range, their population), exact verdicts (geo.reach)."""
    from geo.reach import cities_in_range

    cities = cities_in_range((lat, lon), range_km, min_range_km=min_range_km, bearing=bearing)
    return len(cities), int(cities["population"].sum())


def _reach_rows(d: DisplayFootprint, verdict: pd.DataFrame | None) -> list[tuple[str, str]]:
    """The reach summary of a footprint's popup: targets and cities in range."""
    rows: list[tuple[str, str]] = []
    if verdict is not None and len(verdict):
        inside = verdict[verdict["in_range"]].sort_values("distance_km")
        names = [str(n) for n in inside.get("name", inside.index)]
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        rows.append(
            (
                "targets in range",
                f"{len(inside)} of {len(verdict)}" + (f": {shown}" if names else ""),
            )
        )
    n_cities, population = _city_reach(d.lat, d.lon, d.range_km, d.min_range_km, d.bearing)
    rows.append(
        (
            "cities in range",
            f"{n_cities:,} of 15,000+ people, population {population:,} (GeoNames)",
        )
    )
    return rows


def _bounds(prints: Sequence[_Footprint], sites: Sequence[_Site]) -> list[list[float]]:
    """Initial view: the footprints (display longitudes) and sites, capped at a world view."""
    boxes = [p.display.fill.bounds for p in prints]
    boxes += [(s.lon, s.lat, s.lon, s.lat) for s in sites]
    if not boxes:
        return [[-60.0, -180.0], [75.0, 180.0]]
    west = min(b[0] for b in boxes)
    south = max(min(b[1] for b in boxes), -80.0)
    east = max(b[2] for b in boxes)
    north = min(max(b[3] for b in boxes), 80.0)
    if east - west >= 359.0 or north - south >= 150.0:
        # around the world: a world view centred on the site, showing at least the
        # latitudes from the footprint's edge to the equator (a polar cap stays in view)
        centre = sites[0].lon if sites else (west + east) / 2
        south, north = max(min(south, 10.0), -75.0), min(max(north, -10.0), 80.0)
        return [[south, centre - 180.0], [north, centre + 180.0]]
    if east - west < 0.05 and north - south < 0.05:
        west, east, south, north = west - 0.5, east + 0.5, south - 0.5, north + 0.5
    return [[south, west], [north, east]]


class _MapBuilder:
    """Collects footprints, sites and targets; then makes one folium.Map."""

    def __init__(self, title: str, *, fill_opacity: float = 0.15) -> None:
        self.title = title
        self.fill_opacity = fill_opacity
        self.prints: list[_Footprint] = []
        self.sites: list[_Site] = []
        self.legend: dict[str, str] = {}
        self.notes: list[str] = []

    def finish(
        self,
        *,
        targets: Any = None,
        slider: bool = False,
        collapsed: bool = True,
    ) -> folium.Map:
        centre = self.sites[0] if self.sites else None
        m = folium.Map(
            location=[centre.lat, centre.lon] if centre else [20.0, 130.0],
            zoom_start=3,
            control_scale=True,
            world_copy_jump=False,
            tiles=folium.TileLayer(
                xyzservices.providers.OpenStreetMap.Mapnik, name="OpenStreetMap"
            ),
        )
        m.default_js = list(_LEAFLET_JS)
        m.default_css = list(_LEAFLET_CSS)
        root = _figure(m)
        root.header.add_child(_Raw(f"<title>{_esc(self.title)}</title>"), name="title")
        root.header.add_child(_Raw(f"<style>{_CSS}</style>"), name="georange_css")
        root.header.add_child(_Raw(f"<script>{_HELPERS_JS}</script>"), name="georange_js")
        Fullscreen(position="topleft").add_to(m)  # type: ignore[no-untyped-call]

        table = _targets_frame(targets)
        has_targets = table is not None and len(table) > 0
        verdicts = _verdicts(self.prints, table) if has_targets and table is not None else []
        entries: list[tuple[folium.FeatureGroup, str | None]] = []
        for i, fp in enumerate(self.prints):
            group = folium.FeatureGroup(name=_esc(fp.name), show=True)
            spec = self._spec(fp, verdicts[i] if verdicts else None)
            group.add_child(_Script("georange.footprint", spec))
            group.add_to(m)
            entries.append((group, fp.date_key))
        if self.sites:
            sites_group = folium.FeatureGroup(name="Launch sites", show=True)
            for site in self.sites:
                sites_group.add_child(_Script("georange.point", self._site_spec(site)))
            sites_group.add_to(m)
        if has_targets and table is not None:
            self._add_targets(m, table, verdicts)
        folium.LayerControl(collapsed=collapsed or len(self.prints) > 12).add_to(m)
        m.add_child(
            _Script(
                "georange.control",
                "topright",
                "georange-box georange-legend",
                self._legend_html(targets=table is not None and len(table) > 0),
            )
        )
        if slider:
            self._add_slider(m, entries)
        folium.FitBounds(_bounds(self.prints, self.sites), max_zoom=9).add_to(m)
        return m

    def _spec(self, fp: _Footprint, verdict: pd.DataFrame | None = None) -> dict[str, Any]:
        d = fp.display
        dec = _decimals(d.tolerance_m)
        fills = [
            [_encode(ring.coords, dec, closed=True) for ring in (p.exterior, *p.interiors)]
            for p in _polygons(d.fill)
        ]
        lines = [_encode(line.coords, dec, closed=False) for line in d.outlines]
        band = [_encode(line.coords, dec, closed=False) for b in fp.band for line in b.outlines]
        rows = [*fp.rows, *_reach_rows(d, verdict), ("drawn", _tolerance_text(d.tolerance_m))]
        if fp.band:
            rows.append(("dashed rings", f"range ∓ the site precision (±{fp.band_km:,.3g} km)"))
        return {
            "d": dec,
            "f": fills,
            "l": lines,
            "b": band,
            "c": fp.colour,
            "o": self.fill_opacity,
            "p": _table(rows, title=fp.name),
            "t": _esc(fp.name),
        }

    def _site_spec(self, site: _Site) -> dict[str, Any]:
        return {
            "lat": round(site.lat, 6),
            "lon": round(site.lon, 6),
            "style": {
                "radius": 5,
                "color": "#ffffff",
                "weight": 2,
                "fillColor": _SITE_COLOUR,
                "fillOpacity": 1.0,
                "className": "georange-site",
            },
            "p": _table(_site_text(site), title=f"Launch site: {site.name}"),
            "t": _esc(site.name),
        }

    def _add_targets(
        self, m: folium.Map, table: pd.DataFrame, verdicts: list[pd.DataFrame]
    ) -> None:
        dist = np.array([v["distance_km"].to_numpy(dtype=float) for v in verdicts]).reshape(
            len(verdicts), len(table)
        )
        margin = np.array([v["margin_km"].to_numpy(dtype=float) for v in verdicts]).reshape(
            len(verdicts), len(table)
        )
        inside = np.array([v["in_range"].to_numpy(dtype=bool) for v in verdicts]).reshape(
            len(verdicts), len(table)
        )
        group = folium.FeatureGroup(name="Reference targets", show=True)
        records = table.to_dict("records")
        for i, row in enumerate(records):
            name = str(row.get("name", row.get("id", f"target {i + 1}")))
            n_in = int(inside[:, i].sum())
            rows: list[tuple[str, Any]] = [
                ("kind", row.get("kind")),
                ("country", row.get("country")),
                ("coordinates", f"{float(row['lat']):.4f}, {float(row['lon']):.4f}"),
            ]
            if len(self.prints) <= _LISTED_FOOTPRINTS:
                for j, fp in enumerate(self.prints):
                    verdict = "in range" if inside[j, i] else "out of range"
                    rows.append(
                        (
                            fp.name,
                            f"{_km(float(dist[j, i]))} from the site, {verdict} "
                            f"(margin {_signed_km(float(margin[j, i]))})",
                        )
                    )
            else:
                j = int(np.argmin(dist[:, i]))
                near = self.prints[j].display
                rows.append(("in range of", f"{n_in} of {len(self.prints)} footprints"))
                rows.append(
                    (
                        "nearest site",
                        f"{_km(float(dist[j, i]))} away ({near.lat:.3f}, {near.lon:.3f})",
                    )
                )
            colour = _IN_RANGE if n_in else _OUT_OF_RANGE
            status = "in range" if n_in else ("out of range" if self.prints else "")
            spec = {
                "lat": round(float(row["lat"]), 6),
                "lon": round(float(row["lon"]), 6),
                "style": {
                    "radius": 4,
                    "color": colour,
                    "weight": 1,
                    "fillColor": colour,
                    "fillOpacity": 0.85,
                    "className": "georange-target " + ("georange-in" if n_in else "georange-out"),
                },
                "p": _table(rows, title=f"{name}" + (f" ({status})" if status else "")),
                "t": _esc(f"{name}" + (f": {status}" if status else "")),
            }
            group.add_child(_Script("georange.point", spec))
        group.add_to(m)

    def _legend_html(self, *, targets: bool) -> str:
        parts = [f"<h4>{_esc(self.title)}</h4>"]
        for label, colour in self.legend.items():
            parts.append(
                f'<div><span class="georange-swatch" style="background:{_esc(colour)}"></span>'
                f"{_esc(label)}</div>"
            )
        parts.append(
            f'<div><span class="georange-swatch georange-dot" style="background:{_SITE_COLOUR}">'
            "</span>launch site</div>"
        )
        if targets:
            parts.append(
                f'<div><span class="georange-swatch georange-dot" style="background:{_IN_RANGE}">'
                "</span>target in range"
                f' <span class="georange-swatch georange-dot" style="background:{_OUT_OF_RANGE}">'
                "</span>out of range</div>"
            )
        if any(fp.band for fp in self.prints):
            parts.append("<div>dashed: range ∓ site precision</div>")
        parts += [f"<div>{_esc(n)}</div>" for n in self.notes]
        parts.append("<div>true geodesic footprints on WGS84 (georange)</div>")
        return "".join(parts)

    def _add_slider(
        self, m: folium.Map, entries: list[tuple[folium.FeatureGroup, str | None]]
    ) -> None:
        dates = sorted({k for _, k in entries if k is not None})
        undated = sum(1 for _, k in entries if k is None)
        labels = []
        for d in dates:
            n = sum(1 for _, k in entries if k is not None and k <= d)
            labels.append(f"up to {d} ({n} footprint{'s' if n != 1 else ''})")
        last = len(dates)
        if undated or not dates:
            labels.append(f"all, including {undated} without a known year ({len(entries)})")
        else:
            last = len(dates) - 1
        index = {d: i for i, d in enumerate(dates)}
        pairs = [(g, index[k] if k is not None else last) for g, k in entries]
        m.add_child(_Slider(labels, pairs))


def _date_key(date: Any) -> str | None:
    text = "" if date is None or (isinstance(date, float) and math.isnan(date)) else str(date)
    return text if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text) else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _date_text(date: Any, precision: Any) -> str:
    """A catalog date as plain text (escaped later, where it is placed)."""
    if _blank(date):
        return "unknown"
    text = str(date)
    p = "" if _blank(precision) else str(precision)
    if text.startswith("--"):
        return f"{text[2:]} (year uncertain)"
    return f"{text} ({p})" if p and p != "day" else text


def _resolve_site(site: Any, *, sites: Any) -> _Site:
    from geo.gazetteer import geocode

    if isinstance(site, str):
        site = geocode(site, sites=sites)
    if hasattr(site, "lat") and hasattr(site, "lon"):
        return _Site(
            name=str(getattr(site, "name", f"{site.lat:.4f}, {site.lon:.4f}")),
            lat=float(site.lat),
            lon=float(site.lon),
            precision_km=float(getattr(site, "precision_km", 0.0)),
            source=str(getattr(site, "source", "")),
        )
    if isinstance(site, Sequence) and len(site) == 2:
        lat, lon = (float(v) for v in site)
        return _Site(f"{lat:.6g}, {lon:.6g}", lat, lon, 0.0, "coordinates as given")
    raise TypeError(f"site must be a name, a geo.gazetteer.Site or a (lat, lon) pair, not {site!r}")


# --- public maps -----------------------------------------------------------------------------


@_deterministic
def range_map(
    site: Any,
    range_km: float | Sequence[float],
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    label: str | None = None,
    sites: str | os.PathLike[str] | None = None,
    targets: Any = None,
    tolerance_m: float | None = None,
) -> folium.Map:
    """A map of one site and one or more ranges: what ``georange map`` writes.

    Parameters
    ----------
    site
        A place name or anything :func:`geo.geocode` takes (offsets, coordinates),
        a :class:`geo.gazetteer.Site`, or a ``(lat, lon)`` pair.
    range_km
        One range or several (drawn as separate layers, longest first).
    min_range_km
        A minimum range (annuli).
    bearing
        ``(start_deg, end_deg)`` clockwise from north: sectors.
    label
        The site's label on the map (default: its gazetteer name).
    sites
        A user sites CSV for geocoding *site*.
    targets
        Reference targets: ``None`` for the bundled ``data/targets.csv``, a path,
        a DataFrame with ``name``, ``lat``, ``lon``, or ``False`` for none.
    tolerance_m
        Boundary tolerance of the footprints (engine default when omitted).

    Returns
    -------
    folium.Map
        Render it with :func:`render_html` (deterministic) or ``.save()``.

    Examples
    --------
    >>> m = range_map("Pyongyang", [1500, 13000], targets=False)
    >>> html = render_html(m)
    >>> html.count("georange.footprint("), "Pyongyang: 13,000 km" in html
    (2, True)
    """
    place = _resolve_site(site, sites=sites)
    if label is not None:
        place.name = label
    if isinstance(range_km, int | float):
        ranges = [float(range_km)]
    else:
        ranges = [float(r) for r in range_km]
    if not ranges:
        from geo.errors import InvalidRangeError

        raise InvalidRangeError("no range given: pass at least one range in km (--range-km R)")
    bear = (float(bearing[0]), float(bearing[1])) if bearing is not None else None
    builder = _MapBuilder(
        f"{place.name}: " + ", ".join(_km(r) for r in sorted(ranges, reverse=True))
    )
    builder.sites.append(place)
    for i, r in enumerate(sorted(ranges, reverse=True)):
        display = _display(place.lat, place.lon, r, float(min_range_km), bear, tolerance_m)
        band_km, band = _band(place.lat, place.lon, r, place.precision_km, bear, tolerance_m)
        colour = _PALETTE[i % len(_PALETTE)]
        name = f"{place.name}: {r:,.0f} km" if r >= 100 else f"{place.name}: {r:,.3g} km"
        rows: list[tuple[str, Any]] = [
            ("range", _km(r)),
            ("kind of number", "as given (not from the catalog)"),
            ("minimum range", _km(min_range_km) if min_range_km else ""),
            ("bearing", f"{bear[0]:g}° to {bear[1]:g}° clockwise" if bear else ""),
            ("launch site", place.name),
            ("site precision", f"±{place.precision_km:,.3g} km"),
            ("site source", place.source),
        ]
        builder.prints.append(_Footprint(name, colour, display, rows, band_km, band))
        builder.legend[f"range {_km(r)}"] = colour
    return builder.finish(targets=targets, collapsed=False)


def _claim_footprint(row: dict[str, Any], *, tolerance_m: float | None) -> _Footprint:
    r = float(row["range_km"])
    lat, lon = float(row["lat"]), float(row["lon"])
    kind = str(row.get("range_kind") or "")
    display = _display(lat, lon, r, 0.0, None, tolerance_m)
    band_km, band = _band(lat, lon, r, float(row.get("precision_km", math.nan)), None, tolerance_m)
    site = row.get("site_name") or row.get("site") or f"{lat:.4f}, {lon:.4f}"
    date = _date_text(row.get("date"), row.get("date_precision"))
    name = f"{site}: {_km(r)} {kind}, {date}"
    rows: list[tuple[str, Any]] = [
        ("claim", row.get("claim_id")),
        ("range", _km(r)),
        ("kind of number", _KIND_TEXT.get(kind, kind)),
        ("claimant", row.get("claimant")),
        ("date", date),
        ("missile", row.get("missile")),
        (
            "launch site",
            f"{site} ({lat:.4f}, {lon:.4f}), ±{float(row.get('precision_km', 0)):,.3g} km",
        ),
        ("site as reported", row.get("site")),
        ("source", row.get("source")),
        ("note", row.get("note")),
    ]
    colour = KIND_COLOURS.get(kind, _PALETTE[0])
    return _Footprint(
        name,
        colour,
        display,
        rows,
        band_km,
        band,
        _date_key(row.get("date")),
        _KIND_TEXT.get(kind, kind),
    )


def _claim_sites(claims: pd.DataFrame) -> list[_Site]:
    out: list[_Site] = []
    located = claims[claims["located"].astype(bool)] if "located" in claims else claims
    for (name, lat, lon), group in located.groupby(
        ["site_name", "lat", "lon"], sort=False, dropna=False
    ):
        first = group.iloc[0]
        out.append(
            _Site(
                name=str(name) if isinstance(name, str) else f"{lat:.4f}, {lon:.4f}",
                lat=float(lat),
                lon=float(lon),
                precision_km=float(first.get("precision_km", math.nan)),
                source=str(first.get("site_source") or ""),
                extra=[
                    ("claims here", f"{len(group)}"),
                    ("reported as", "; ".join(sorted({str(s) for s in group["site"]}))),
                ],
            )
        )
    return out


@_deterministic
def catalog_map(
    claims: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    title: str = "All located range claims",
    time_slider: bool = True,
    targets: Any = None,
    tolerance_m: float | None = None,
    sites: str | os.PathLike[str] | None = None,
) -> folium.Map:
    """A map of the located claims of a catalog: one layer per claim, coloured by kind of number.

    Parameters
    ----------
    claims
        A catalog frame from :func:`geo.load_catalog` (or a subset of its rows), or
        the path of an events CSV; the bundled catalog when omitted.
    title
        Shown in the legend and the page title.
    time_slider
        Add a slider that shows the claims up to a launch date.
    targets
        As for :func:`range_map`.
    tolerance_m
        Boundary tolerance (engine default when omitted).
    sites
        A user sites CSV, when *claims* is a path.

    Examples
    --------
    >>> html = render_html(catalog_map(targets=False))
    >>> html.count("georange.footprint("), "georange.slider(" in html
    (2, True)
    """
    from geo.catalog import load_catalog

    frame = claims if isinstance(claims, pd.DataFrame) else load_catalog(claims, sites=sites)
    builder = _MapBuilder(title, fill_opacity=0.08 if len(frame) > 20 else 0.15)
    builder.sites = _claim_sites(frame)
    drawn = frame[frame["located"].astype(bool) & frame["range_km"].notna()]
    for row in drawn.to_dict("records"):
        fp = _claim_footprint(row, tolerance_m=tolerance_m)
        builder.prints.append(fp)
        builder.legend[fp.legend] = fp.colour
    if drawn.empty:
        builder.notes.append("no claim here has a range to draw")
    return builder.finish(targets=targets, slider=time_slider)


@_deterministic
def site_reach_map(
    site: Any,
    *,
    missiles: Any = None,
    label: str | None = None,
    sites: str | os.PathLike[str] | None = None,
    targets: Any = None,
    tolerance_m: float | None = None,
) -> folium.Map:
    """What could reach from a site: one footprint per missile class, concentric.

    Parameters
    ----------
    site
        As for :func:`range_map`.
    missiles
        A missiles table or path (see :func:`geo.load_missiles`); bundled by default.
    label, sites, targets, tolerance_m
        As for :func:`range_map`.

    Examples
    --------
    >>> html = render_html(site_reach_map("Sinpo", targets=False))
    >>> html.count("georange.footprint("), "ICBM: 15,000 km" in html
    (7, True)
    """
    from geo.catalog import class_footprints

    place = _resolve_site(site, sites=sites)
    if label is not None:
        place.name = label
    classes = class_footprints((place.lat, place.lon), missiles, tolerance_m=tolerance_m)
    builder = _MapBuilder(f"Reach from {place.name} by missile class")
    builder.sites.append(place)
    for i, row in enumerate(classes.to_dict("records")):
        r = float(row["range_km"])
        display = _display(place.lat, place.lon, r, 0.0, None, tolerance_m)
        band_km, band = _band(place.lat, place.lon, r, place.precision_km, None, tolerance_m)
        colour = _PALETTE[i % len(_PALETTE)]
        name = f"{row['class']}: {_km(r)}"
        rows: list[tuple[str, Any]] = [
            ("class", row["class"]),
            ("missiles", str(row["missiles"]).replace("|", ", ")),
            ("range", _km(r)),
            ("kind of number", _KIND_TEXT["class-estimate"]),
            ("source", row["source"]),
            ("note", row["note"]),
            ("launch site", f"{place.name} ({place.lat:.4f}, {place.lon:.4f})"),
        ]
        builder.prints.append(_Footprint(name, colour, display, rows, band_km, band))
        builder.legend[name] = colour
    builder.notes.append("ranges: published estimates per class (data/missiles.csv)")
    return builder.finish(targets=targets, collapsed=False)


def render_html(
    m: folium.Map,
    *,
    self_contained: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
) -> str:
    """Render a map to a complete HTML page, deterministically.

    Parameters
    ----------
    m
        A map from this module (or any folium map).
    self_contained
        Inline Leaflet and the other assets from the asset cache (fill it with
        ``georange assets``) so the page opens with no network but for tiles.
    cache_dir
        The asset cache (see :func:`geo.maps.asset_cache_dir`).

    Raises
    ------
    geo.errors.AssetError
        With ``self_contained`` when an asset is not cached.

    Examples
    --------
    >>> m = range_map((0.0, 0.0), 100, targets=False)
    >>> render_html(m) == render_html(m)
    True
    """
    with deterministic_ids(prefix="r"):
        page: str = m.get_root().render()
    if self_contained:
        page = inline_assets(page, cache_dir=cache_dir)
    return page


# --- the set of maps `georange build` writes ------------------------------------------------------


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:60] or "x"


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate = f"{name}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _ranges_text(group: pd.DataFrame) -> str:
    ranged = group[group["range_km"].notna()]
    if ranged.empty:
        return "no range"
    return "; ".join(
        f"{_km(float(r))} ({k})"
        for r, k in zip(ranged["range_km"], ranged["range_kind"], strict=True)
    )


@_deterministic
def build_maps(
    catalog: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    sites: str | os.PathLike[str] | None = None,
    missiles: Any = None,
    targets: Any = None,
    tolerance_m: float | None = None,
    self_contained: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
) -> dict[str, str]:
    """Every page of ``georange build``: index, overview, one map per event and per site.

    Parameters
    ----------
    catalog
        A frame from :func:`geo.load_catalog` or the path of an events CSV (e.g.
        written by ``georange import-cns``); the bundled catalog when omitted.
    sites, missiles, targets, tolerance_m
        As for :func:`catalog_map` and :func:`site_reach_map`.
    self_contained, cache_dir
        As for :func:`render_html`.

    Returns
    -------
    dict
        File name -> HTML text: ``index.html``, ``overview.html``,
        ``event-<id>.html`` per located event, ``site-<id>.html`` per launch site.

    Examples
    --------
    >>> pages = build_maps(targets=False)
    >>> sorted(pages)[:3]
    ['event-r2-xxxx-02-02.html', 'event-r4-2024-01-28.html', 'index.html']
    """
    from geo.catalog import load_catalog, load_missiles

    frame = catalog if isinstance(catalog, pd.DataFrame) else load_catalog(catalog, sites=sites)
    table = missiles if isinstance(missiles, pd.DataFrame) else load_missiles(missiles)
    target_table = _targets_frame(targets)
    tgt: Any = False if target_table is None else target_table
    pages: dict[str, str] = {}
    used = {"index.html", "overview.html"}

    def render(m: folium.Map) -> str:
        return render_html(m, self_contained=self_contained, cache_dir=cache_dir)

    pages["overview.html"] = render(
        catalog_map(frame, title="All located range claims", targets=tgt, tolerance_m=tolerance_m)
    )
    located = frame[frame["located"].astype(bool)]
    event_rows: list[tuple[str, pd.DataFrame]] = []
    for event_id, group in located.groupby("event_id", sort=False):
        name = _unique(f"event-{_slug(str(event_id))}.html", used)
        first = group.iloc[0]
        title = f"Event {event_id}: {_date_text(first['date'], first['date_precision'])}"
        pages[name] = render(
            catalog_map(group, title=title, time_slider=False, targets=tgt, tolerance_m=tolerance_m)
        )
        event_rows.append((name, group))
    site_rows: list[tuple[str, _Site]] = []
    for place in _claim_sites(frame):
        ids = located[(located["lat"] == place.lat) & (located["lon"] == place.lon)]["site_id"]
        sid = next((str(s) for s in ids if isinstance(s, str) and s), None)
        name = _unique(f"site-{_slug(sid or place.name)}.html", used)
        pages[name] = render(
            site_reach_map(
                (place.lat, place.lon),
                missiles=table,
                label=place.name,
                targets=tgt,
                tolerance_m=tolerance_m,
            )
        )
        site_rows.append((name, place))
    pages["index.html"] = _index_page(frame, event_rows, site_rows)
    return dict(sorted(pages.items()))


def _index_page(
    frame: pd.DataFrame,
    events: list[tuple[str, pd.DataFrame]],
    sites: list[tuple[str, _Site]],
) -> str:
    def link(href: str, text: str) -> str:
        return f'<a href="{_esc(href)}">{_esc(text)}</a>'

    rows = []
    for name, group in events:
        first = group.iloc[0]
        rows.append(
            "<tr>"
            f"<td>{link(name, str(first['event_id']))}</td>"
            f"<td>{_esc('; '.join(dict.fromkeys(str(s) for s in group['site_name'])))}</td>"
            f"<td>{_esc(_ranges_text(group))}</td>"
            f"<td>{_esc(_date_text(first['date'], first['date_precision']))}</td>"
            f"<td>{_esc('; '.join(dict.fromkeys(str(c) for c in group['claimant'])))}</td>"
            "</tr>"
        )
    site_items = [
        f"<li>{link(name, place.name)} ({place.lat:.4f}, {place.lon:.4f})</li>"
        for name, place in sites
    ]
    unlocated = frame[~frame["located"].astype(bool)]
    missing = []
    for row in unlocated.to_dict("records"):
        range_text = _km(float(row["range_km"])) if pd.notna(row["range_km"]) else "no range"
        reason = "no launch site named" if not row.get("site") else "site not located"
        missing.append(
            "<tr>"
            f"<td>{_esc(row['claim_id'])}</td>"
            f"<td>{_esc(_date_text(row['date'], row['date_precision']))}</td>"
            f"<td>{_esc(row.get('site') or row.get('site_name') or '')}</td>"
            f"<td>{_esc(row.get('missile'))}</td>"
            f"<td>{_esc(range_text)}</td>"
            f"<td>{_esc(row.get('claimant'))}</td>"
            f"<td>{_esc(reason)}</td>"
            "</tr>"
        )
    drawn = int((frame["located"].astype(bool) & frame["range_km"].notna()).sum())
    head = "<tr><th>event map</th><th>site</th><th>ranges</th><th>date</th><th>claimant</th></tr>"
    mhead = (
        "<tr><th>claim</th><th>date</th><th>site as reported</th><th>missile</th>"
        "<th>range</th><th>claimant</th><th>why not drawn</th></tr>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>georange maps</title><style>body{font:14px/1.4 sans-serif;margin:1.5em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;"
        "text-align:left;vertical-align:top}</style></head><body>\n"
        "<h1>georange maps</h1>\n"
        f"<p>{len(frame)} claims: {drawn} footprints drawn, {len(events)} located events, "
        f"{len(unlocated)} unlocated claims. Footprints are true geodesic ranges on WGS84.</p>\n"
        f"<h2>Overview</h2>\n<p>{link('overview.html', 'All located claims, with a time slider')}"
        "</p>\n"
        f"<h2>Events</h2>\n<table>{head}{''.join(rows)}</table>\n"
        "<h2>Reach from each launch site, by missile class</h2>\n"
        f"<ul>{''.join(site_items)}</ul>\n"
        "<h2>Unlocated claims (not drawn)</h2>\n"
        + (f"<table>{mhead}{''.join(missing)}</table>\n" if missing else "<p>none</p>\n")
        + "</body></html>\n"
    )


@_deterministic
def report_map(
    text: str,
    *,
    source: str | None = None,
    reported_on: Any = None,
    sites: str | os.PathLike[str] | None = None,
    targets: Any = None,
    tolerance_m: float | None = None,
) -> folium.Map:
    """A map of the claims :func:`geo.extract.extract_claims` finds in a report.

    Claims with a located site and a range are drawn, coloured by kind of number.

    Parameters
    ----------
    text
        The report, as plain text.
    source
        Where the report came from (kept in each claim and in the title).
    reported_on
        Publication date (``datetime.date`` or ``YYYY-MM-DD``), for relative dates.
    sites
        A user sites CSV merged over the bundled gazetteer.
    targets, tolerance_m
        As for :func:`range_map`.

    Returns
    -------
    folium.Map
        One layer per drawn claim, as :func:`catalog_map` makes it.

    Raises
    ------
    geo.errors.ExtractionError
        When no claim of the report has both a located launch site and a range.

    Examples
    --------
    >>> text = ("North Korea fired two cruise missiles from near Sinpo on Sunday, "
    ...         "the JCS said. They flew about 150 km.")
    >>> html = render_html(report_map(text, reported_on="2024-01-29", targets=False))
    >>> html.count("georange.footprint(")
    1
    """
    from geo.errors import ExtractionError
    from geo.extract import extract_claims

    claims = extract_claims(text, source=source, reported_on=reported_on, sites=sites)
    rows = []
    for c in claims:
        located = c.lat is not None and c.lon is not None
        rows.append(
            {
                "claim_id": c.claim_id,
                "event_id": c.event_id,
                "date": c.date,
                "date_precision": c.date_precision,
                "site": c.site,
                "missile": c.missile,
                "range_km": float(c.range_km) if c.range_km is not None else math.nan,
                "range_kind": c.range_kind,
                "claimant": c.claimant,
                "source": c.source,
                "note": c.note,
                "site_name": c.site or None,
                "site_id": c.site_id,
                "lat": float(c.lat) if c.lat is not None else math.nan,
                "lon": float(c.lon) if c.lon is not None else math.nan,
                "precision_km": float(c.precision_km) if c.precision_km is not None else math.nan,
                "site_source": "gazetteer (site named in the report)" if located else None,
                "located": located,
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty or not (frame["located"] & frame["range_km"].notna()).any():
        raise ExtractionError(
            f"the report {source or ''} gives no claim with both a located launch site and a "
            f"range ({len(frame)} claim(s) found; see `georange extract`); map it with "
            "`georange map --site SITE --range-km R` instead".replace("  ", " ")
        )
    m: folium.Map = catalog_map(
        frame,
        title=f"Claims in {source or 'the report'}",
        time_slider=False,
        targets=targets,
        tolerance_m=tolerance_m,
    )
    return m

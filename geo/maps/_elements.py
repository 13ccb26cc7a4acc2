"""The pieces of a map page: ids, escaping, encoding, branca elements, layers and legend.

Everything text from data goes through :func:`_esc` (HTML) and :func:`_js_json`
(script); vertices through :func:`_encode` at :func:`_decimals` places.  The
map's own script and stylesheet are the package files ``static/georange.js``
and ``static/georange.css``.
"""

from __future__ import annotations

import contextlib
import functools
import html
import itertools
import json
import math
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement

from geo.footprint import DisplayFootprint
from geo.maps._assets import MAP_ASSETS
from geo.maps._popups import _reach_rows, _tolerance_text
from geo.wgs84 import M_PER_DEG_MAX

#: Colour of each kind of number (``range_kind`` in the catalog).
KIND_COLOURS: dict[str, str] = {
    "flown": "#c62828",
    "claimed": "#ef6c00",
    "class-estimate": "#1565c0",
    "assumption": "#6a1b9a",
    "standard-trajectory": "#00796b",
}
_KIND_TEXT = {
    "flown": "distance flown",
    "claimed": "claimed maximum range",
    "class-estimate": "published class estimate",
    "assumption": "assumption (not reported)",
    "standard-trajectory": "standard-trajectory estimate (derived by georange, not reported)",
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
_LISTED_FOOTPRINTS = 8

_LEAFLET_JS = [("leaflet", MAP_ASSETS[0].url)]
_LEAFLET_CSS = [("leaflet_css", MAP_ASSETS[1].url)]


@functools.cache
def _static(name: str) -> str:
    """A file of ``static/`` (the map's own script or stylesheet), as text."""
    return (resources.files("geo.maps") / "static" / name).read_text(encoding="utf-8")


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
    """Decimal places of degrees whose rounding error (at most half a step of
    ``M_PER_DEG_MAX``, 55.85 km * 10^-d) is <= tolerance/4."""
    d = math.ceil(math.log10(M_PER_DEG_MAX / 2.0 * 4.0 / max(tolerance_m, 1e-3)))
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
        args = f", {self.args}" if self.args else ""
        text = f"{self.call}({parent.get_name()}{args});\n"
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
    #: A range that varies with azimuth (km from degrees): verdicts and city counts use it.
    range_km_at: Callable[[Any], Any] | None = None


@dataclass
class _Site:
    name: str
    lat: float
    lon: float
    precision_km: float
    source: str
    extra: list[tuple[str, Any]] = field(default_factory=list)


# --- layers, markers, legend -------------------------------------------------------------------


def _site_text(site: _Site) -> list[tuple[str, Any]]:
    return [
        ("coordinates", f"{site.lat:.5f}, {site.lon:.5f}"),
        ("precision", f"±{site.precision_km:,.3g} km" if math.isfinite(site.precision_km) else ""),
        ("source", site.source),
        *site.extra,
    ]


def _footprint_spec(
    fp: _Footprint, verdict: pd.DataFrame | None = None, *, fill_opacity: float
) -> dict[str, Any]:
    """The arguments of ``georange.footprint``: encoded rings, colour, popup, tooltip."""
    d = fp.display
    dec = _decimals(d.tolerance_m)
    fills = [
        [_encode(ring.coords, dec, closed=True) for ring in (p.exterior, *p.interiors)]
        for p in _polygons(d.fill)
    ]
    lines = [_encode(line.coords, dec, closed=False) for line in d.outlines]
    band = [_encode(line.coords, dec, closed=False) for b in fp.band for line in b.outlines]
    rows = [
        *fp.rows,
        *_reach_rows(d, verdict, range_km_at=fp.range_km_at),
        ("drawn", _tolerance_text(d.tolerance_m)),
    ]
    if fp.band:
        rows.append(("dashed rings", f"range ∓ the site precision (±{fp.band_km:,.3g} km)"))
    return {
        "d": dec,
        "f": fills,
        "l": lines,
        "b": band,
        "c": fp.colour,
        "o": fill_opacity,
        "p": _table(rows, title=fp.name),
        "t": _esc(fp.name),
    }


def _site_spec(site: _Site) -> dict[str, Any]:
    """The arguments of ``georange.point`` for a launch site."""
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
        "t": _esc(f"{site.name} (launch site)"),
        "k": 0,
    }


def _add_targets(
    m: folium.Map,
    table: pd.DataFrame,
    verdicts: list[pd.DataFrame],
    prints: Sequence[_Footprint],
) -> None:
    """The reference targets layer: one marker per target, in or out of range of *prints*."""
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
        if len(prints) <= _LISTED_FOOTPRINTS:
            for j, fp in enumerate(prints):
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
            near = prints[j].display
            rows.append(("in range of", f"{n_in} of {len(prints)} footprints"))
            rows.append(
                (
                    "nearest site",
                    f"{_km(float(dist[j, i]))} away ({near.lat:.3f}, {near.lon:.3f})",
                )
            )
        colour = _IN_RANGE if n_in else _OUT_OF_RANGE
        status = "in range" if n_in else ("out of range" if prints else "")
        if n_in and len(prints) > 1:
            status = f"in range of {n_in} of {len(prints)}"
        nearest = float(dist[:, i].min()) if len(prints) else math.nan
        label = f"{name}: {_km(nearest)}, {status}" if prints else name
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
            "t": _esc(label),
            # label rank: targets in range before those out of range, the nearer first
            "k": (1.0 if n_in else 2.0) + (nearest / 1e5 if math.isfinite(nearest) else 0.9),
        }
        group.add_child(_Script("georange.point", spec))
    group.add_to(m)


#: The rows of a footprint the legend states, in order, and their labels there.
_FACTS = (
    ("launch site", "site"),
    ("missile", "missile"),
    ("missiles", "missiles"),
    ("date", "date"),
    ("claimant", "claimant"),
    ("kind of number", "kind"),
    ("range", "range"),
    ("minimum range", "minimum range"),
    ("bearing", "bearings"),
    ("source", "source"),
)


def _facts(fp: _Footprint, *, skip: Sequence[str] = ()) -> str:
    """What the legend says of one footprint: site, missile, date, claimant, kind, ranges."""
    rows = {k: _esc(v) for k, v in fp.rows if _esc(v) != ""}
    out = []
    for key, label in _FACTS:
        value = rows.get(key)
        if value is None or key in skip:
            continue
        if key == "range" and "minimum range" in rows:
            label = "maximum range"
        if len(value) > 80:
            value = value[:77].rstrip() + "…"
        out.append(f"{label}: {html.unescape(value)}")
    return "; ".join(out)


def _swatch(colour: str, label: str) -> str:
    return (
        f'<div><span class="georange-swatch" style="background:{_esc(colour)}"></span>'
        f"{_esc(label)}</div>"
    )


def _legend_html(
    title: str,
    legend: dict[str, str],
    notes: Sequence[str],
    prints: Sequence[_Footprint],
    *,
    targets: bool,
) -> str:
    """The legend box: title, one swatch per legend entry, sites, targets, notes."""
    parts = [f"<h4>{_esc(title)}</h4>"]
    if 0 < len(prints) <= _LISTED_FOOTPRINTS:
        sites = {dict(fp.rows).get("launch site") for fp in prints}
        one_site = len(sites) == 1 and None not in sites
        if one_site:
            parts.append(f"<div>launch site: {_esc(sites.pop())}</div>")
        for fp in prints:
            parts.append(_swatch(fp.colour, fp.name))
            facts = _facts(fp, skip=("launch site",) if one_site else ())
            parts.append(f'<div class="georange-facts">{_esc(facts)}</div>')
    else:
        parts += [_swatch(colour, label) for label, colour in legend.items()]
        parts.append("<div>click a footprint: its claim, source and note</div>")
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
    if any(fp.band for fp in prints):
        parts.append("<div>dashed: range ∓ site precision</div>")
    parts += [f"<div>{_esc(n)}</div>" for n in notes]
    parts.append("<div>true geodesic footprints on WGS84 (georange)</div>")
    return "".join(parts)


def _add_slider(m: folium.Map, entries: list[tuple[folium.FeatureGroup, str | None]]) -> None:
    """The launch-date slider over the footprint layers *entries* (group, date key)."""
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

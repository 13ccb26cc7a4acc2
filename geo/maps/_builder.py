"""The public maps: collect footprints, sites and targets, then make one folium.Map."""

from __future__ import annotations

import dataclasses
import functools
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any, cast

import folium
import numpy as np
import pandas as pd
import xyzservices
from folium.plugins import Fullscreen
from shapely.geometry import LineString

from geo.catalog import class_footprints, load_catalog, load_targets
from geo.errors import ExtractionError, InvalidRangeError
from geo.extract import extract_claims
from geo.footprint import DisplayFootprint, footprint_display
from geo.gazetteer import RegionLike, as_site
from geo.maps._assets import inline_assets
from geo.maps._elements import (
    _KIND_TEXT,
    _LEAFLET_CSS,
    _LEAFLET_JS,
    _PALETTE,
    KIND_COLOURS,
    _add_slider,
    _add_targets,
    _deterministic,
    _esc,
    _figure,
    _Footprint,
    _footprint_spec,
    _km,
    _legend_html,
    _Raw,
    _Script,
    _Site,
    _site_spec,
    _static,
    deterministic_ids,
)
from geo.maps._offline import inline_basemap, link_local
from geo.maps._popups import _by_azimuth, _date_key, _date_text
from geo.reach import reach
from geo.wgs84 import GEOD

#: A site precision from which the map shows the range +/- precision band.
BAND_MIN_PRECISION_KM = 1.0


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


def _bearing_text(bearing: tuple[float, float] | None) -> str:
    """'330° to 30° clockwise' (bearings as the engine normalised them, in [0, 360))."""
    return f"{bearing[0]:g}° to {bearing[1]:g}° clockwise" if bearing is not None else ""


def _shape_text(min_range_km: float, bearing: tuple[float, float] | None) -> str:
    """', from 1,000 km, 90°–200°': what a short layer name says of an annulus or sector."""
    out = f", from {_km(min_range_km)}" if min_range_km > 0 else ""
    if bearing is not None:
        out += f", {bearing[0] % 360:g}°–{bearing[1] % 360:g}°"
    return out


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
    for r in (range_km - precision_km, range_km + precision_km):
        if r > 0:
            parts.append(_arcs(_display(lat, lon, r, 0.0, bearing, tolerance_m)))
    return precision_km, tuple(parts)


def _arcs(d: DisplayFootprint) -> DisplayFootprint:
    """*d* with only the parts of its outlines at its range: no radials of a sector."""
    arcs: list[LineString] = []
    for line in d.outlines:
        xy = np.asarray(line.coords, dtype=float)
        n = len(xy)
        _, _, dist = GEOD.inv(np.full(n, d.lon), np.full(n, d.lat), xy[:, 0], xy[:, 1])
        on = np.abs(np.asarray(dist) - d.range_km * 1000.0) <= d.tolerance_m + 1.0
        edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
        arcs += [
            LineString(xy[a:b]) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= 2
        ]
    return dataclasses.replace(d, outlines=tuple(arcs))


def _targets_frame(targets: Any) -> pd.DataFrame | None:
    if targets is False:
        return None
    if targets is None or isinstance(targets, str | os.PathLike):
        return load_targets(targets)
    return pd.DataFrame(targets)


def _reach_of(d: DisplayFootprint, targets: pd.DataFrame) -> pd.DataFrame:
    """The reach table of *targets* for the footprint *d* is drawn from (exact verdicts)."""
    site, inner, sector = (d.lat, d.lon), d.min_range_km, d.bearing
    table: pd.DataFrame = reach(
        site, d.range_km, targets=targets, min_range_km=inner, bearing=sector
    )
    return table


def _verdicts(prints: Sequence[_Footprint], targets: pd.DataFrame) -> list[pd.DataFrame]:
    out = []
    for fp in prints:
        table = _reach_of(fp.display, targets)
        out.append(table if fp.range_km_at is None else _by_azimuth(table, fp.range_km_at))
    return out


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

    def add(self, fp: _Footprint) -> None:
        """One more footprint; its legend entry (when the legend lists kinds, not footprints)."""
        self.prints.append(fp)
        self.legend[fp.legend or fp.name] = fp.colour

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
            tiles=None,
        )
        # OpenStreetMap for use online: drawn when the page carries no offline basemap
        # (georange.basemap adds it then), a choice in the layer control otherwise
        tiles = folium.TileLayer(
            xyzservices.providers.OpenStreetMap.Mapnik,
            name="OpenStreetMap (online)",
            overlay=True,
            show=False,
        )
        tiles.add_to(m)
        m.default_js = list(_LEAFLET_JS)
        m.default_css = list(_LEAFLET_CSS)
        root = _figure(m)
        root.header.add_child(_Raw(f"<title>{_esc(self.title)}</title>"), name="title")
        css, js = _static("georange.css"), _static("georange.js")
        root.header.add_child(_Raw(f"<style>\n{css}</style>"), name="georange_css")
        root.header.add_child(_Raw(f"<script>\n{js}</script>"), name="georange_js")
        Fullscreen(position="topleft").add_to(m)  # type: ignore[no-untyped-call]
        lon = centre.lon if centre else 130.0
        m.add_child(_Script("georange.basemap", round(lon, 3), tiles.get_name()))

        table = _targets_frame(targets)
        has_targets = table is not None and len(table) > 0
        verdicts = _verdicts(self.prints, table) if has_targets and table is not None else []
        entries: list[tuple[folium.FeatureGroup, str | None]] = []
        for i, fp in enumerate(self.prints):
            group = folium.FeatureGroup(name=_esc(fp.name), show=True)
            spec = _footprint_spec(
                fp, verdicts[i] if verdicts else None, fill_opacity=self.fill_opacity
            )
            group.add_child(_Script("georange.footprint", spec))
            group.add_to(m)
            entries.append((group, fp.date_key))
        if self.sites:
            sites_group = folium.FeatureGroup(name="Launch sites", show=True)
            for site in self.sites:
                sites_group.add_child(_Script("georange.point", _site_spec(site)))
            sites_group.add_to(m)
        if has_targets and table is not None:
            _add_targets(m, table, verdicts, self.prints)
        # more than a few layers: the control opens on demand, not over the map
        folium.LayerControl(collapsed=collapsed or len(self.prints) > 4).add_to(m)
        m.add_child(
            _Script(
                "georange.control",
                "topright",
                "georange-box georange-legend",
                _legend_html(
                    self.title,
                    self.legend,
                    self.notes,
                    self.prints,
                    targets=table is not None and len(table) > 0,
                ),
            )
        )
        if slider:
            _add_slider(m, entries)
        # the initial view, not animated (labels are placed on the final view)
        m.add_child(_Script("georange.fit", _bounds(self.prints, self.sites), 9))
        m.add_child(_Script("georange.labels"))
        return m


def _map_site(
    site: Any, *, label: str | None, sites: Any, region: RegionLike, country: str | None
) -> _Site:
    """The site of a one-site map, through :func:`geo.as_site`, named *label* if given."""
    place = as_site(site, sites=sites, region=region, country=country)
    name = place.name if label is None else label
    return _Site(name, place.lat, place.lon, place.precision_km, place.source)


def _ring(
    place: _Site,
    range_km: float,
    i: int,
    *,
    min_range_km: float = 0.0,
    bearing: tuple[float, float] | None = None,
    tolerance_m: float | None,
) -> tuple[DisplayFootprint, float, tuple[DisplayFootprint, ...], str]:
    """One footprint of a one-site map: display form, precision band, i-th palette colour."""
    args = (place.lat, place.lon, range_km)
    band_km, band = _band(*args, place.precision_km, bearing, tolerance_m)
    display = _display(*args, min_range_km, bearing, tolerance_m)
    return display, band_km, band, _PALETTE[i % len(_PALETTE)]


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
    region: RegionLike = None,
    country: str | None = None,
    targets: Any = None,
    tolerance_m: float | None = None,
) -> folium.Map:
    """A map of one site and one or more ranges: what ``georange map`` writes.

    Parameters
    ----------
    site
        A place name or anything :func:`geo.geocode` takes (offsets, coordinates),
        a :class:`geo.Site`, or a ``(lat, lon)`` pair: see :func:`geo.as_site`.
    range_km
        One range or several (drawn as separate layers, longest first).
    min_range_km
        A minimum range (annuli).
    bearing
        ``(start_deg, end_deg)`` clockwise from north: sectors.
    label
        The site's label on the map (default: its gazetteer name).
    sites, region, country
        How a site name is looked up: see :func:`geo.as_site`.
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
    place = _map_site(site, label=label, sites=sites, region=region, country=country)
    if isinstance(range_km, int | float):
        ranges = [float(range_km)]
    else:
        ranges = [float(r) for r in range_km]
    if not ranges:
        raise InvalidRangeError("no range given: pass at least one range in km (--range-km R)")
    bear = (float(bearing[0]), float(bearing[1])) if bearing is not None else None
    shape = _shape_text(float(min_range_km), bear)
    builder = _MapBuilder(
        f"{place.name}: " + ", ".join(_km(r) for r in sorted(ranges, reverse=True)) + shape
    )
    builder.sites.append(place)
    for i, r in enumerate(sorted(ranges, reverse=True)):
        display, band_km, band, colour = _ring(
            place, r, i, min_range_km=float(min_range_km), bearing=bear, tolerance_m=tolerance_m
        )
        name = f"{place.name}: {_km(r)}{shape}"
        rows: list[tuple[str, Any]] = [
            ("range", _km(r)),
            ("kind of number", "as given (not from the catalog)"),
            ("minimum range", _km(min_range_km) if min_range_km else ""),
            ("bearing", _bearing_text(display.bearing)),
            ("launch site", place.name),
            ("missile", "not given"),
            ("date", "not given"),
            ("claimant", "not given (a range given by the user)"),
            ("site precision", f"±{place.precision_km:,.3g} km"),
            ("site source", place.source),
        ]
        builder.add(_Footprint(name, colour, display, rows, band_km, band))
    return builder.finish(targets=targets, collapsed=False)


def _claim_footprint(row: Mapping[Any, Any], *, tolerance_m: float | None) -> _Footprint:
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
                lat=float(cast(float, lat)),
                lon=float(cast(float, lon)),
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
    region: RegionLike = None,
    country: str | None = None,
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
    sites, region, country
        How the catalog's sites are looked up when *claims* is a path (see
        :func:`geo.load_catalog`).

    Examples
    --------
    >>> html = render_html(catalog_map(targets=False))
    >>> html.count("georange.footprint("), "georange.slider(" in html
    (2, True)
    """
    frame = (
        claims
        if isinstance(claims, pd.DataFrame)
        else load_catalog(claims, sites=sites, region=region, country=country)
    )
    builder = _MapBuilder(title, fill_opacity=0.08 if len(frame) > 20 else 0.15)
    builder.sites = _claim_sites(frame)
    drawn = frame[frame["located"].astype(bool) & frame["range_km"].notna()]
    for row in drawn.to_dict("records"):
        fp = _claim_footprint(row, tolerance_m=tolerance_m)
        builder.add(fp)
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
    region: RegionLike = None,
    country: str | None = None,
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
    label, sites, region, country, targets, tolerance_m
        As for :func:`range_map`.

    Examples
    --------
    >>> html = render_html(site_reach_map("Sinpo", targets=False))
    >>> html.count("georange.footprint("), "ICBM: 15,000 km" in html
    (7, True)
    """
    place = _map_site(site, label=label, sites=sites, region=region, country=country)
    classes = class_footprints((place.lat, place.lon), missiles, tolerance_m=tolerance_m)
    builder = _MapBuilder(f"Reach from {place.name} by missile class")
    builder.sites.append(place)
    for i, row in enumerate(classes.to_dict("records")):
        r = float(row["range_km"])
        display, band_km, band, colour = _ring(place, r, i, tolerance_m=tolerance_m)
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
        builder.add(_Footprint(name, colour, display, rows, band_km, band))
    builder.notes.append("ranges: published estimates per class (data/missiles.csv)")
    return builder.finish(targets=targets, collapsed=False)


def render_html(
    m: folium.Map,
    *,
    self_contained: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
    assets: str | None = None,
) -> str:
    """Render a map to a complete HTML page, deterministically.

    By default the page loads Leaflet from its CDN and shows OpenStreetMap tiles
    (for use online).  With *assets* or *self_contained* it opens with no network
    and draws the bundled Natural Earth basemap (OpenStreetMap stays a choice).

    Parameters
    ----------
    m
        A map from this module (or any folium map).
    self_contained
        Inline Leaflet, the fullscreen control (shipped with georange) and the
        basemap: one file that opens anywhere, offline.
    cache_dir
        The asset cache (see :func:`geo.maps.asset_cache_dir`), for assets of a
        folium map that georange does not ship.
    assets
        A relative URL prefix such as ``"assets/"``: scripts, stylesheets and the
        basemap are loaded from there (``georange build`` writes that folder with
        :func:`geo.maps.offline_files`).

    Raises
    ------
    geo.errors.AssetError
        An asset georange does not ship, not in the cache (``self_contained``), or
        not shippable (``assets``).

    Examples
    --------
    >>> m = range_map((0.0, 0.0), 100, targets=False)
    >>> render_html(m) == render_html(m)
    True
    """
    with deterministic_ids(prefix="r"):
        page: str = m.get_root().render()
    if self_contained:
        page = inline_basemap(inline_assets(page, cache_dir=cache_dir))
    elif assets is not None:
        page = link_local(page, assets)
    return page


@_deterministic
def report_map(
    text: str,
    *,
    source: str | None = None,
    reported_on: Any = None,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
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
    sites, region, country
        How the report's sites are looked up (see :func:`geo.as_site`).
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
    claims = extract_claims(
        text, source=source, reported_on=reported_on, sites=sites, region=region, country=country
    )
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

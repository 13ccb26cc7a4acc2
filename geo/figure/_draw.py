"""Drawing a range figure with matplotlib (no pyplot: the figure belongs to the caller)."""

from __future__ import annotations

import io
import math
import os
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from pyproj import Proj

from geo.errors import ExportError, GeorangeError, InvalidRangeError
from geo.figure._basemap import (
    BORDER,
    COAST,
    PROVINCE,
    deg,
    draw_basemap,
    draw_lines,
    fill_shape,
)
from geo.figure._labels import place_labels
from geo.figure._project import (
    PROJECTIONS,
    View,
    aeqd_footprint,
    aeqd_view,
    world_footprint,
    world_view,
)
from geo.footprint import WHOLE_GLOBE_KM, footprint_display
from geo.maps._builder import _map_site, _reach_of, _targets_frame
from geo.maps._elements import _KIND_TEXT, _km, _Site

__all__ = ["RangeFigure", "range_figure", "save_figure"]

PALETTE = ("#1565c0", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f")
IN_RANGE = "#d50000"
OUT_OF_RANGE = "#6d6d6d"
FILL_ALPHA = 0.22
ATTRIBUTION = "Basemap: Natural Earth (public domain) · georange · WGS84 geodesics"


class RangeFigure(Figure):
    """A matplotlib Figure that also shows itself in Jupyter without pyplot."""

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=100, metadata={"Software": "georange"})
        return buf.getvalue()


# --- the figure ---------------------------------------------------------------------------


@dataclass
class _Ring:
    range_km: float
    colour: str
    display: Any
    whole_globe: bool


def _verdicts(rings: Sequence[_Ring], targets: pd.DataFrame) -> pd.DataFrame:
    """Targets with their distance and the smallest range that reaches them (NaN: none)."""
    out: pd.DataFrame | None = None
    reached = None
    for ring in sorted(rings, key=lambda r: r.range_km, reverse=True):
        verdict = _reach_of(ring.display, targets)
        if out is None:
            out = verdict.copy()
            reached = pd.Series(np.nan, index=verdict.index)
        assert reached is not None
        reached[verdict["in_range"].to_numpy()] = ring.range_km
    assert out is not None and reached is not None
    out["reached_by_km"] = reached
    return out


def _label_text(row: Any, many: bool) -> str:
    dist = _km(float(row["distance_km"]))
    if math.isnan(row["reached_by_km"]):
        verdict = "out of range"
    elif many:
        verdict = f"in {_km(float(row['reached_by_km']))}"
    else:
        verdict = "in range"
    return f"{row['name']}\n{dist}, {verdict}"


def _draw_footprints(ax: Any, view: View, rings: Sequence[_Ring]) -> list[Any]:
    handles = []
    for ring in rings:
        d = ring.display
        if view.kind == "aeqd":
            fill, outline = aeqd_footprint(
                view,
                ring.range_km,
                min_range_km=d.min_range_km,
                bearing=d.bearing,
                tolerance_m=d.tolerance_m,
                whole_globe=ring.whole_globe,
            )
        else:
            fill, outline = world_footprint(view, d.analysis)
        fill_shape(ax, fill, facecolor=ring.colour, alpha=FILL_ALPHA, edgecolor="none", zorder=3)
        draw_lines(ax, [outline], colors=ring.colour, linewidths=1.1, zorder=3.5)
        text = f"range {_km(ring.range_km)}"
        if d.min_range_km:
            text += f", minimum {_km(d.min_range_km)}"
        if ring.whole_globe:
            text += " (the whole globe)"
        handles.append(Patch(facecolor=ring.colour, alpha=0.5, edgecolor=ring.colour, label=text))
    return handles


def _point_labels(
    fig: Figure,
    ax: Any,
    points: Sequence[tuple[float, float, str, dict[str, Any]]],
    *,
    obstacles: Sequence[tuple[float, float, float, float]] = (),
) -> int:
    """Labels of (x, y, text, style) points, placed without overlaps; returns how many fit."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    scale = fig.dpi / 72.0
    sizes, texts = [], []
    for _, _, text, style in points:
        t = ax.text(0, 0, text, **style)
        bb = t.get_window_extent(renderer)
        sizes.append((bb.width + 2 * scale, bb.height + 2 * scale))
        texts.append(t)
        t.remove()
    anchors = [tuple(ax.transData.transform((x, y))) for x, y, _, _ in points]
    frame = ax.get_window_extent(renderer)
    placed = place_labels(
        anchors,
        sizes,
        frame=(frame.x0, frame.y0, frame.x1, frame.y1),
        gap=4.0 * scale,
        marker=2.5 * scale,
        obstacles=obstacles,
    )
    n = 0
    for (x, y, text, style), p in zip(points, placed, strict=True):
        if p is None:
            continue
        n += 1
        ax.annotate(
            text,
            (x, y),
            xytext=(p.dx / scale, p.dy / scale),
            textcoords="offset points",
            ha=p.ha,
            va=p.va,
            zorder=8,
            gid="georange-label",
            bbox={"boxstyle": "square,pad=0.08", "fc": "white", "ec": "none", "alpha": 0.7},
            **style,
        )
    return n


def _scale_bar(ax: Any, view: View) -> Any:
    """A bar of a round length in the frame's lower left, with what it is true for."""
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    width = x1 - x0
    if view.kind == "aeqd":
        factor, where = 1.0, "true along every line through the site"
    else:
        f = Proj(view.crs).get_factors(view.lon, view.lat)
        factor = float(f.parallel_scale)
        where = f"along the parallel {deg(view.lat, 'parallel')} only"
    target_m = width / 5.0 / factor
    mag = 10 ** math.floor(math.log10(target_m))
    length_m = max(m * mag for m in (1, 2, 5) if m * mag <= target_m)
    bar = length_m * factor
    bx, by = x0 + 0.04 * width, y0 + 0.05 * (y1 - y0)
    ax.plot([bx, bx + bar], [by, by], color="#222222", lw=1.6, solid_capstyle="butt", zorder=7)
    for x in (bx, bx + bar):
        ax.plot([x, x], [by - 0.006 * width, by + 0.006 * width], color="#222222", lw=0.8, zorder=7)
    text = ax.text(
        bx,
        by + 0.012 * width,
        f"{_km(length_m / 1000.0)}: {where}",
        fontsize=5.5,
        ha="left",
        va="bottom",
        zorder=7,
        bbox={"boxstyle": "square,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75},
    )
    return text


def _provenance(
    place: _Site,
    rings: Sequence[_Ring],
    view: View,
    *,
    min_range_km: float,
    bearing: tuple[float, float] | None,
    details: dict[str, Any],
    targets_line: str | None,
) -> str:
    lines = []
    precision = f"±{place.precision_km:,.3g} km" if place.precision_km else "exact as given"
    site = f"Launch site: {place.name} ({place.lat:.4f}, {place.lon:.4f}), precision {precision}"
    if place.source:
        site += f"; source: {place.source}"
    lines.append(site)
    rng = "Range: " + ", ".join(_km(r.range_km) for r in rings)
    rng += f"; minimum range {_km(min_range_km)}" if min_range_km else "; no minimum range"
    if bearing is not None:
        rng += f"; bearings {bearing[0]:g}° to {bearing[1]:g}° clockwise from north"
    lines.append(rng)
    kind = details.get("kind")
    facts = [
        ("Missile", details.get("missile")),
        ("Date", details.get("date")),
        ("Claimant", details.get("claimant")),
        ("Kind of number", _KIND_TEXT.get(str(kind), kind) if kind else "as given"),
        ("Source", details.get("source")),
    ]
    lines.append("; ".join(f"{k}: {v}" for k, v in facts if v not in (None, "")))
    tol = max(r.display.tolerance_m for r in rings)
    lines.append(
        "Footprint: every point within the range on the WGS84 ellipsoid (geodesic distance); "
        f"boundary drawn within {tol:,.3g} m"
    )
    if view.kind == "aeqd":
        lines.append(
            "Projection: azimuthal equidistant centred on the site: distances and bearings "
            "from the site are true (range rings are circles); other distances are not"
        )
    else:
        lines.append("Projection: Equal Earth (equal-area world view); distances are not to scale")
    if targets_line:
        lines.append(targets_line)
    return "\n".join(textwrap.fill(line, 120, subsequent_indent="    ") for line in lines)


def range_figure(
    site: Any,
    range_km: float | Sequence[float],
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    projection: str = "aeqd",
    targets: Any = None,
    label: str | None = None,
    sites: str | os.PathLike[str] | None = None,
    region: Any = None,
    country: str | None = None,
    tolerance_m: float | None = None,
    missile: str | None = None,
    date: str | None = None,
    claimant: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    title: str | None = None,
    extent_km: float | None = None,
    width_in: float = 7.0,
) -> Figure:
    """A print figure of one site and one or more ranges: basemap, footprints, targets.

    Parameters
    ----------
    site
        A place name or anything :func:`geo.geocode` takes, a :class:`geo.gazetteer.Site`,
        or a ``(lat, lon)`` pair.
    range_km
        One range or several (drawn longest first).
    min_range_km
        A minimum range (annuli).
    bearing
        ``(start_deg, end_deg)`` clockwise from north: sectors.
    projection
        ``"aeqd"`` (azimuthal equidistant centred on the site: range rings are circles,
        the pole and the antimeridian are ordinary points) or ``"world"`` (Equal Earth).
    targets
        Reference targets: ``None`` for the bundled ``data/targets.csv``, a path, a
        DataFrame with ``name``, ``lat``, ``lon``, or ``False`` for none.  Those in view
        are marked and labelled (distance, in or out of range) where labels fit.
    label
        The site's name on the figure (default: its gazetteer name).
    sites, region, country
        How *site* is resolved, as for :func:`geo.as_site`.
    tolerance_m
        Boundary tolerance of the footprints (engine default when omitted).
    missile, date, claimant, kind, source
        Provenance shown in the legend (``kind``: flown, claimed, class-estimate,
        assumption).
    title
        The figure's title (default: the site and ranges).
    extent_km
        AEQD only: the half-width of the view (default: a little beyond the longest range).
    width_in
        Width of the figure in inches (the height follows).

    Returns
    -------
    matplotlib.figure.Figure
        Save it with :func:`geo.save_figure` (deterministic bytes; PNG at 300 dpi, SVG
        and PDF as vectors) or ``fig.savefig``; Jupyter shows it inline.

    Examples
    --------
    >>> fig = range_figure("Pyongyang", 13000, targets=False)
    >>> fig.axes[0].get_aspect(), float(fig.get_figwidth())
    (1.0, 7.0)
    """
    if projection not in PROJECTIONS:
        raise GeorangeError(
            f"unknown projection {projection!r}; use one of "
            + ", ".join(repr(p) for p in PROJECTIONS)
        )
    place = _map_site(site, label=label, sites=sites, region=region, country=country)
    ranges = (
        [float(range_km)] if isinstance(range_km, int | float) else [float(r) for r in range_km]
    )
    if not ranges:
        raise InvalidRangeError("no range given: pass at least one range in km (range_km=R)")
    bear = (float(bearing[0]), float(bearing[1])) if bearing is not None else None
    rings = []
    for i, r in enumerate(sorted(ranges, reverse=True)):
        display = footprint_display(
            place.lat,
            place.lon,
            r,
            min_range_km=min_range_km,
            bearing=bear,
            tolerance_m=tolerance_m,
        )
        rings.append(_Ring(r, PALETTE[i % len(PALETTE)], display, r >= WHOLE_GLOBE_KM))
    view = (
        aeqd_view(place.lat, place.lon, max(ranges), extent_km=extent_km)
        if projection == "aeqd"
        else world_view(place.lat, place.lon)
    )
    return _compose(
        place,
        rings,
        view,
        targets=targets,
        title=title,
        width_in=width_in,
        min_range_km=float(min_range_km),
        bearing=bear,
        details={
            "missile": missile,
            "date": date,
            "claimant": claimant,
            "kind": kind,
            "source": source,
        },
    )


def _compose(
    place: _Site,
    rings: Sequence[_Ring],
    view: View,
    *,
    targets: Any,
    title: str | None,
    width_in: float,
    min_range_km: float,
    bearing: tuple[float, float] | None,
    details: dict[str, Any],
) -> Figure:
    """The figure in four steps: the map frame, the footprints, the points, the texts."""
    fig, ax, map_h_in = _map_frame(view, width_in)
    draw_basemap(ax, view)
    handles = _draw_footprints(ax, view, rings)
    targets_line = _draw_points(fig, ax, view, place, rings, targets, handles)
    head = fig.text(
        0.06,
        0.5,
        textwrap.fill(title or f"{place.name}: {_ranges_title(rings, min_range_km, bearing)}", 64),
        fontsize=10,
        fontweight="bold",
        va="top",
        ha="left",
    )
    legend = _legend(fig, handles)
    text = _provenance(
        place,
        rings,
        view,
        min_range_km=min_range_km,
        bearing=bearing,
        details=details,
        targets_line=targets_line,
    )
    prov = fig.text(0.06, 0.5, text, fontsize=5.6, va="top", ha="left", linespacing=1.35)
    attrib = fig.text(0.94, 0.5, ATTRIBUTION, fontsize=5.5, color="#555555", ha="right", va="top")
    _layout(fig, ax, head, legend, prov, attrib, map_h_in=map_h_in)
    return fig


def _map_frame(view: View, width_in: float) -> tuple[Figure, Any, float]:
    """The figure and its empty map axes, sized to the view; the map's height in inches."""
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    aspect = (y1 - y0) / (x1 - x0)
    map_w = 0.88
    map_h_in = width_in * map_w * aspect
    # the final height is set by _layout from the measured legend and text
    height_in = map_h_in + 2.5
    fig = RangeFigure(figsize=(width_in, height_in), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.06, 2.0 / height_in, map_w, map_h_in / height_in))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("white")
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_color("#555555")
    return fig, ax, map_h_in


def _marker(marker: str, ms: float, colour: str, label: str) -> Line2D:
    """A legend entry for a point marker."""
    return Line2D([], [], marker=marker, ms=ms, mfc=colour, mec="white", ls="none", label=label)


def _draw_points(
    fig: Figure,
    ax: Any,
    view: View,
    place: _Site,
    rings: Sequence[_Ring],
    targets: Any,
    handles: list[Any],
) -> str | None:
    """The site, the scale bar, the targets in view and the labels that fit.

    Appends the markers' legend entries to *handles*; returns the provenance's line about
    the targets (``None`` without targets).
    """
    sx, sy = view.xy(place.lon, place.lat)
    ax.plot([sx], [sy], marker="^", ms=6, mfc="black", mec="white", mew=0.6, ls="none", zorder=9)
    handles.append(_marker("^", 6, "black", "launch site"))
    bar = _scale_bar(ax, view)
    bb = bar.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    # the scale's text and, below it, its bar: no label goes there
    obstacles = [(bb.x0, bb.y0 - 1.5 * bb.height, bb.x1, bb.y1)]
    points: list[tuple[float, float, str, dict[str, Any]]] = [
        (float(sx), float(sy), place.name, {"fontsize": 7, "fontweight": "bold"})
    ]
    targets_line = None
    frame = _targets_frame(targets)
    if frame is not None and len(frame):
        targets_line = _draw_targets(ax, view, place, rings, frame, handles, points)
    labelled = _point_labels(fig, ax, points, obstacles=obstacles)
    if targets_line is not None:
        targets_line += f", {labelled - 1} labelled where labels fit"
    return targets_line


def _draw_targets(
    ax: Any,
    view: View,
    place: _Site,
    rings: Sequence[_Ring],
    frame: pd.DataFrame,
    handles: list[Any],
    points: list[tuple[float, float, str, dict[str, Any]]],
) -> str:
    """Targets marked in or out of range; those in view join *points* to be labelled.

    Returns the provenance's line about them: how many are in range, how many in view.
    """
    verdicts = _verdicts(rings, frame)
    tx, ty = view.xy(verdicts["lon"].to_numpy(), verdicts["lat"].to_numpy())
    shown = view.in_view(tx, ty)
    inside = verdicts["reached_by_km"].notna().to_numpy()
    for mask, colour, text in (
        (inside, IN_RANGE, "in range"),
        (~inside, OUT_OF_RANGE, "out of range"),
    ):
        m = mask & shown
        ax.plot(tx[m], ty[m], "o", ms=3.2, mfc=colour, mec="white", mew=0.5, ls="none", zorder=8.5)
        handles.append(_marker("o", 3.2, colour, f"target {text}"))
    order = np.lexsort((verdicts["distance_km"].to_numpy(), ~inside))
    many = len(rings) > 1
    for i in order:
        if shown[i]:
            row = verdicts.iloc[i]
            points.append((float(tx[i]), float(ty[i]), _label_text(row, many), {"fontsize": 5.5}))
    return (
        f"Targets: {int(inside.sum())} of {len(verdicts)} in range (geodesic distance "
        f"from the site); {int(shown.sum())} in view"
    )


def _ranges_title(
    rings: Sequence[_Ring], min_range_km: float, bearing: tuple[float, float] | None
) -> str:
    """The ranges as the default title gives them."""
    text = ", ".join(_km(r.range_km) for r in rings)
    if min_range_km:
        text += f" (minimum {_km(min_range_km)})"
    if bearing is not None:
        text += f", bearings {bearing[0]:g}° to {bearing[1]:g}°"
    return text


def _legend(fig: Figure, handles: list[Any]) -> Any:
    """The legend: footprints and points, then the basemap's lines."""
    handles = [
        *handles,
        Line2D([], [], color=COAST, lw=0.6, label="coastline"),
        Line2D([], [], color=BORDER, lw=0.6, label="border"),
        Line2D([], [], color=PROVINCE, lw=0.6, label="province (Korea)"),
    ]
    return fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.06, 0.5),
        fontsize=6,
        frameon=False,
        ncols=4,
        handlelength=1.6,
        columnspacing=1.2,
        borderaxespad=0.0,
    )


def _layout(
    fig: Figure, ax: Any, head: Any, legend: Any, prov: Any, attrib: Any, *, map_h_in: float
) -> None:
    """Stack title, map, legend, provenance and attribution from their measured heights."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    dpi = fig.dpi

    def height(artist: Any) -> float:
        return float(artist.get_window_extent(renderer).height) / dpi

    gap = 0.12
    parts = [height(head), map_h_in, height(legend), height(prov), height(attrib)]
    # a whole number of 1/20 inch (plus a hair, so that pixels = inches x dpi exactly)
    total = math.ceil((sum(parts) + gap * 6) * 20.0) / 20.0 + 1e-9
    width = fig.get_figwidth()
    fig.set_size_inches(width, total)
    y = total - gap  # inches from the bottom, going down
    head.set_position((0.06, y / total))
    y -= parts[0] + gap
    ax.set_position((0.06, (y - map_h_in) / total, 0.88, map_h_in / total))
    y -= map_h_in + gap * 1.4
    legend.set_bbox_to_anchor((0.06, y / total), transform=fig.transFigure)
    y -= parts[2] + gap * 0.8
    prov.set_position((0.06, y / total))
    y -= parts[3] + gap * 0.5
    attrib.set_position((0.94, y / total))


def save_figure(
    fig: Figure, path: str | os.PathLike[str], *, dpi: float = 300.0, fmt: str | None = None
) -> Path:
    """Write a figure as PNG, SVG or PDF (by the file's suffix), with reproducible bytes.

    PNG is written at *dpi*; SVG and PDF are vectors.  No date or random id goes into the
    file, so the same figure gives the same bytes.

    Parameters
    ----------
    fig
        A figure from :func:`range_figure` (or any matplotlib Figure).
    path
        The file to write; its suffix (``.png``, ``.svg``, ``.pdf``) sets the format.
    dpi
        Resolution of a PNG (the default suits print); vector formats ignore it.
    fmt
        ``"png"``, ``"svg"`` or ``"pdf"`` when *path* has no such suffix (a temporary
        file, say); by default the suffix decides.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ExportError
        For any other suffix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> fig = range_figure((39.0392, 125.7625), 1500, targets=False)
    >>> out = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "pyongyang.svg")
    >>> out.read_text()[:5]
    '<?xml'
    """
    out = Path(path)
    fmt = (fmt or out.suffix).lower().lstrip(".")
    metadata: dict[str, Any]
    if fmt == "png":
        metadata = {"Software": "georange"}
    elif fmt == "svg":
        metadata = {"Date": None, "Creator": "georange"}
    elif fmt == "pdf":
        metadata = {
            "CreationDate": None,
            "ModDate": None,
            "Creator": "georange",
            "Producer": "georange",
        }
    else:
        raise ExportError(
            f"cannot write a figure as {out.name!r}: give a file name ending in .png, .svg or .pdf"
        )
    with matplotlib.rc_context({"svg.hashsalt": "georange", "svg.fonttype": "path"}):
        fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata)
    return out

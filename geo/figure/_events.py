"""One print figure per located event of a catalog, named like the event's HTML page."""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from geo.catalog import load_catalog
from geo.figure._draw import range_figure
from geo.gazetteer import Site
from geo.maps._build import event_pages
from geo.maps._popups import _date_text


def _joined(values: Any) -> str | None:
    """The distinct non-empty texts of a column, in order, joined with '; '."""
    texts = [str(v) for v in values if isinstance(v, str) and v.strip()]
    return "; ".join(dict.fromkeys(texts)) or None


def _claim_site(claim: pd.Series) -> Site:
    """The located site of a catalog row, with the precision and source the catalog gives."""
    text = claim.get("site")
    name = claim.get("site_name")
    precision = claim.get("precision_km")
    site_id = claim.get("site_id")
    return Site(
        id=site_id if isinstance(site_id, str) and site_id else None,
        name=str(name if isinstance(name, str) and name else text),
        lat=float(claim["lat"]),
        lon=float(claim["lon"]),
        precision_km=float(precision) if pd.notna(precision) else 0.0,
        kind="catalog site",
        source=str(claim.get("site_source") or "the catalog"),
        match=str(claim.get("site_match") or "name"),
        query=str(text if isinstance(text, str) else name),
    )


def event_figures(
    catalog: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    sites: str | os.PathLike[str] | None = None,
    targets: Any = None,
    tolerance_m: float | None = None,
) -> dict[str, Figure]:
    """A figure per located event with a range: what ``georange build --figures`` writes.

    Each event's figure is named after its HTML page (``event-<id>.png`` beside
    ``event-<id>.html``).  An event whose claims name several launch sites gets one
    figure per site (``event-<id>.png``, ``event-<id>-2.png``…), since a figure is
    centred on its site.  Events without a range have no figure.

    Parameters
    ----------
    catalog
        A frame from :func:`geo.load_catalog` or the path of an events CSV; the bundled
        catalog when omitted.
    sites, targets, tolerance_m
        As for :func:`geo.range_figure`.

    Returns
    -------
    dict
        File name -> figure, in the order of the events.

    Examples
    --------
    >>> figures = event_figures(targets=False)
    >>> sorted(figures)[0]
    'event-r2-xxxx-02-02.png'
    """
    frame = catalog if isinstance(catalog, pd.DataFrame) else load_catalog(catalog, sites=sites)
    figures: dict[str, Figure] = {}
    for page, event_id, group in event_pages(frame, {"index.html", "overview.html"}):
        stem = page.removesuffix(".html")
        ranged = group[group["range_km"].notna()]
        per_site = ranged.groupby(["lat", "lon"], sort=False)
        for n, (_, claims) in enumerate(per_site, start=1):
            first = claims.iloc[0]
            name = f"{stem}.png" if n == 1 else f"{stem}-{n}.png"
            figures[name] = range_figure(
                _claim_site(first),
                sorted({float(r) for r in claims["range_km"]}, reverse=True),
                targets=targets,
                tolerance_m=tolerance_m,
                missile=_joined(claims["missile"]),
                date=_joined(
                    _date_text(d, p)
                    for d, p in zip(claims["date"], claims["date_precision"], strict=True)
                ),
                claimant=_joined(claims["claimant"]),
                kind=_joined(claims["range_kind"]),
                source=_joined(claims["source"]) if "source" in claims else None,
                title=f"Event {event_id}: {first['site_name']}",
            )
    return figures

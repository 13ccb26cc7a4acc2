"""The set of pages ``georange build`` writes: overview, events, sites, and an index."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import folium
import pandas as pd

from geo.catalog import load_catalog, load_missiles
from geo.gazetteer import RegionLike
from geo.maps._builder import _claim_sites, _targets_frame, catalog_map, render_html, site_reach_map
from geo.maps._elements import _deterministic, _esc, _km, _Site
from geo.maps._popups import _date_text
from geo.text import slug


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate = f"{name}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def event_pages(frame: pd.DataFrame, used: set[str]) -> Iterator[tuple[str, Any, pd.DataFrame]]:
    """(page name, event id, claims) of each located event, in catalog order.

    The one naming rule of event pages, which :func:`geo.figure.event_figures` follows
    too (``event-<id>.png`` beside ``event-<id>.html``); *used* collects the names.
    """
    located = frame[frame["located"].astype(bool)]
    for event_id, group in located.groupby("event_id", sort=False):
        yield _unique(f"event-{slug(str(event_id), max_chars=60)}.html", used), event_id, group


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
    region: RegionLike = None,
    country: str | None = None,
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
    sites, region, country, missiles, targets, tolerance_m
        As for :func:`catalog_map` and :func:`site_reach_map`.
    self_contained, cache_dir
        As for :func:`render_html`.

    Returns
    -------
    dict
        File name -> HTML text: ``index.html``, ``overview.html``,
        ``event-<id>.html`` per located event, ``site-<id>.html`` per launch site.
        Unless *self_contained*, the pages load Leaflet and the basemap from
        ``assets/`` beside them: write :func:`geo.maps.offline_files` there.

    Examples
    --------
    >>> pages = build_maps(targets=False)
    >>> sorted(pages)[:3]
    ['event-r2-xxxx-02-02.html', 'event-r4-2024-01-28.html', 'index.html']
    """
    frame = (
        catalog
        if isinstance(catalog, pd.DataFrame)
        else load_catalog(catalog, sites=sites, region=region, country=country)
    )
    table = missiles if isinstance(missiles, pd.DataFrame) else load_missiles(missiles)
    target_table = _targets_frame(targets)
    tgt: Any = False if target_table is None else target_table
    pages: dict[str, str] = {}
    used = {"index.html", "overview.html"}

    def render(m: folium.Map) -> str:
        local = None if self_contained else "assets/"
        return render_html(m, self_contained=self_contained, cache_dir=cache_dir, assets=local)

    pages["overview.html"] = render(
        catalog_map(frame, title="All located range claims", targets=tgt, tolerance_m=tolerance_m)
    )
    located = frame[frame["located"].astype(bool)]
    event_rows: list[tuple[str, pd.DataFrame]] = []
    for name, event_id, group in event_pages(frame, used):
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
        name = _unique(f"site-{slug(sid or place.name, max_chars=60)}.html", used)
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

"""Fixtures of the export tests."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

import geo
from geo.catalog import import_cns, write_events


@pytest.fixture
def cns_catalog(shared_data: Path, tmp_path: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The CNS database imported to an events file and loaded: (catalog, claim footprints)."""
    events = tmp_path / "events.csv"
    write_events(
        import_cns(shared_data / "cns_nk_missile_test_database_2023-04.csv").events, events
    )
    cat = geo.load_catalog(events)
    return cat, geo.claim_footprints(cat)

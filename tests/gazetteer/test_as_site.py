"""as_site: the one way in for a site (a name, a Site, a (lat, lon) pair), and its errors."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import geo
from geo.errors import InvalidCoordinateError, UnknownSiteError
from geo.gazetteer import Gazetteer, Site, as_site, geocode

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "gazetteer"


def test_a_name_is_geocoded() -> None:
    assert as_site("Shinpo") == geocode("Shinpo")
    assert as_site("17 km northeast of Wonsan") == geocode("17 km northeast of Wonsan")
    assert geo.as_site is as_site


def test_a_site_is_returned_as_is() -> None:
    site = geocode("Sinpo")
    assert as_site(site) is site


@given(
    st.floats(min_value=-90, max_value=90, allow_nan=False),
    st.floats(min_value=-180, max_value=180, allow_nan=False),
)
def test_a_pair_is_an_exact_coordinates_site(lat: float, lon: float) -> None:
    for pair in ((lat, lon), [lat, lon], np.array([lat, lon])):
        site = as_site(pair)
        assert (site.lat, site.lon) == (lat, lon)  # exactly as given, never wrapped or rounded
        assert site.match == site.kind == "coordinates" and site.id is None
        assert site.precision_km == 0.0
        assert site.name == f"{lat:.6g}, {lon:.6g}"


def test_a_pair_is_named_like_the_same_coordinates_written_as_text() -> None:
    assert as_site((39.03, 125.75)).name == geocode("39.03, 125.75").name


def test_an_object_with_lat_and_lon_keeps_its_name_and_precision() -> None:
    site = as_site(SimpleNamespace(lat=40.0, lon=128.0, name="my pad", precision_km=2.5))
    assert (site.name, site.lat, site.lon, site.precision_km) == ("my pad", 40.0, 128.0, 2.5)
    bare = as_site(SimpleNamespace(lat=40.0, lon=128.0))
    assert bare.name == "40, 128" and bare.precision_km == 0.0


@pytest.mark.parametrize(
    ("site", "message"),
    [
        ((95.0, 128.0), "latitude 95.0 is outside"),
        ((40.0, 190.0), "longitude 190.0 is outside"),
        ((math.nan, 128.0), "latitude nan"),
        ((40.0, math.inf), "longitude inf"),
        (("a", "b"), "are not numbers"),
        ((1.0, 2.0, 3.0), "has 3 values, not 2"),
        ((40.0,), "has 1 values, not 2"),
        (b"Sinpo", "is not a place"),
        (None, "is not a place"),
        (42, "is not a place"),
        ({"lat": 40.0, "lon": 128.0}, "is not a place"),
        (SimpleNamespace(lat=95.0, lon=0.0), "latitude 95.0"),
    ],
)
def test_bad_sites_are_one_error_naming_the_value(site: object, message: str) -> None:
    with pytest.raises(InvalidCoordinateError, match=message) as err:
        as_site(site)
    assert "(lat, lon)" in str(err.value) or "degrees" in str(err.value)


def test_an_unknown_name_is_an_unknown_site() -> None:
    with pytest.raises(UnknownSiteError, match="Xqzzyplk"):
        as_site("Xqzzyplk")
    with pytest.raises(UnknownSiteError):
        as_site("   ")


def test_the_options_reach_the_gazetteer(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, object]] = []
    original = Gazetteer.geocode

    def spy(self: Gazetteer, text: str, **kwargs: object) -> Site:
        seen.append(kwargs)
        return original(self, text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Gazetteer, "geocode", spy)
    assert as_site("Reykjavik", region="world", country="IS").match == "fallback"
    assert seen == [{"region": "world", "country": "IS", "online": False}]
    user = as_site("Test Pad Seven", sites=FIXTURES / "user_sites.csv")
    assert (user.id, user.lat, user.lon) == ("test-pad-7", 39.5, 126.5)


API_CALLS = {
    "reach": lambda s, **k: geo.reach(s, 500, **k),
    "reach_summary": lambda s, **k: geo.reach_summary(s, 500, cities=False, **k),
    "cities_in_range": lambda s, **k: geo.cities_in_range(s, 500, **k),
    "within_range": lambda s, **k: geo.within_range(s, 500, [40.0], [128.0], **k),
    "range_needed (site)": lambda s, **k: geo.range_needed(s, (35.0, 139.0), **k),
    "range_needed (target)": lambda s, **k: geo.range_needed((35.0, 139.0), s, **k),
    "reach_union": lambda s, **k: geo.reach_union([(s, 500)], **k),
    "within_any_range": lambda s, **k: geo.within_any_range([(s, 500)], [40.0], [128.0], **k),
    "class_footprints": lambda s, **k: geo.class_footprints(s, **k),
    "site_footprints": lambda s, **k: geo.site_footprints(s, 500, **k),
    "range_map": lambda s, **k: geo.range_map(s, 500, targets=False, **k),
    "site_reach_map": lambda s, **k: geo.site_reach_map(s, targets=False, **k),
}


@pytest.mark.parametrize("name", sorted(API_CALLS))
def test_every_api_function_that_takes_a_site_takes_it_the_same_way(name: str) -> None:
    call = API_CALLS[name]
    for bad in ((95.0, 0.0), b"x", None):
        with pytest.raises(InvalidCoordinateError):
            call(bad)
    with pytest.raises(UnknownSiteError, match="outside"):
        call("Reykjavik", region="korea")
    call("Reykjavik", region="world", country="IS")
    call("Test Pad Seven", sites=FIXTURES / "user_sites.csv")

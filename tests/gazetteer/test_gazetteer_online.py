"""The opt-in online geocoder, exercised with a fake geopy geocoder (never the network)."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pyproj import Geod

from geo.errors import UnknownSiteError
from geo.gazetteer import USER_AGENT, Gazetteer, OnlineGeocoder, default_cache_dir, geocode

GEOD = Geod(ellps="WGS84")


@dataclass
class FakeLocation:
    latitude: float
    longitude: float
    address: str
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class FakeGeocoder:
    """Answers from a dict, records every query; the same interface as geopy's geocoders."""

    answers: dict[str, FakeLocation | None]
    calls: list[str] = field(default_factory=list)

    def geocode(self, query: str, exactly_one: bool = True) -> FakeLocation | None:
        assert exactly_one
        self.calls.append(query)
        return self.answers.get(query)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


HAMHEUNG_PIER = FakeLocation(
    39.86,
    127.62,
    "Hamheung Pier, Hamgyong, North Korea",
    {
        "boundingbox": ["39.85", "39.87", "127.61", "127.63"],
        "type": "pier",
        "osm_type": "way",
        "osm_id": 1,
    },
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Any socket use fails the test; the default cache lives in tmp_path."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the gazetteer tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("GEORANGE_CACHE_DIR", str(tmp_path / "default-cache"))


def make(
    tmp_path: Path, answers: dict[str, FakeLocation | None]
) -> tuple[OnlineGeocoder, FakeGeocoder, FakeClock]:
    fake = FakeGeocoder(answers)
    clock = FakeClock()
    client = OnlineGeocoder(
        geocoder=fake, cache_dir=tmp_path / "cache", clock=clock, sleep=clock.sleep
    )
    return client, fake, clock


def test_online_is_only_used_when_asked(tmp_path: Path) -> None:
    client, fake, _ = make(tmp_path, {"hamheung pier": HAMHEUNG_PIER})
    with pytest.raises(UnknownSiteError):
        geocode("Hamheung Pier")
    assert fake.calls == []
    site = geocode("Hamheung Pier", online=client)
    assert site.match == "online" and site.id is None
    assert (site.lat, site.lon) == (39.86, 127.62)
    assert site.name == "Hamheung Pier"
    assert "Nominatim" in site.source and "way/1" in site.source
    assert fake.calls == ["hamheung pier"]


def test_offline_answers_never_reach_the_online_geocoder(tmp_path: Path) -> None:
    client, fake, _ = make(tmp_path, {})
    assert geocode("Shinpo", online=client).match == "alias"
    assert geocode("17 km northeast of Wonsan", online=client).match == "offset"
    assert geocode("Chongjin", online=client).match == "fallback"  # Uiju is now a CNS row
    assert fake.calls == []


def test_precision_comes_from_the_bounding_box(tmp_path: Path) -> None:
    client, _, _ = make(tmp_path, {"hamheung pier": HAMHEUNG_PIER})
    site = geocode("Hamheung Pier", online=client)
    corner_km = GEOD.inv(127.62, 39.86, 127.63, 39.87)[2] / 1000.0
    assert site.precision_km == max(1.0, round(corner_km, 1))


def test_missing_bounding_box_is_said_not_hidden(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bare = FakeLocation(39.5, 126.0, "Some Hill, North Korea")
    client, _, _ = make(tmp_path, {"some hill": bare})
    with caplog.at_level("WARNING", logger="geo.gazetteer"):
        site = geocode("Some Hill", online=client)
    assert site.precision_km == 10.0 and "no bounding box" in site.note
    assert "no bounding box" in caplog.text


def test_answers_are_cached_on_disk(tmp_path: Path) -> None:
    client, fake, _ = make(tmp_path, {"hamheung pier": HAMHEUNG_PIER, "nowhere hill": None})
    geocode("Hamheung Pier", online=client)
    geocode("near the Hamheung Pier", online=client)  # same normalized query
    with pytest.raises(UnknownSiteError):
        geocode("Nowhere Hill", online=client)
    with pytest.raises(UnknownSiteError):
        geocode("Nowhere Hill", online=client)
    assert fake.calls == ["hamheung pier", "nowhere hill"]
    stored = json.loads((tmp_path / "cache" / "nominatim.json").read_text(encoding="utf-8"))
    assert stored["nowhere hill"] is None and stored["hamheung pier"]["lat"] == 39.86
    # a new client (a new process) reads the cache instead of asking again
    again, fake2, _ = make(tmp_path, {})
    assert geocode("Hamheung Pier", online=again).lat == 39.86
    assert fake2.calls == []


def test_requests_are_rate_limited_to_one_per_second(tmp_path: Path) -> None:
    answers = {f"hill {i}": FakeLocation(39.0 + i / 100, 126.0, f"Hill {i}") for i in range(3)}
    client, fake, clock = make(tmp_path, answers)
    for i in range(3):
        geocode(f"Hill {i}", online=client)
    assert len(fake.calls) == 3
    assert clock.sleeps == [1.0, 1.0]
    clock.now += 5.0  # a pause longer than the limit needs no sleep
    client._geocoder = FakeGeocoder({"hill 9": FakeLocation(39.9, 126.0, "Hill 9")})
    geocode("Hill 9", online=client)
    assert clock.sleeps == [1.0, 1.0]


def test_online_answers_outside_the_region_are_refused(tmp_path: Path) -> None:
    far = FakeLocation(
        51.5, -0.12, "Hamheung Pier, London", {"boundingbox": ["51.4", "51.6", "-0.2", "0.0"]}
    )
    client, _, _ = make(tmp_path, {"hamheung pier": far})
    with pytest.raises(UnknownSiteError, match="outside the Korean peninsula"):
        geocode("Hamheung Pier", online=client, region="korea")  # default: the world
    assert geocode("Hamheung Pier", online=client, region="world").lat == 51.5


def test_geocoder_failures_become_clear_errors(tmp_path: Path) -> None:
    class Broken:
        def geocode(self, query: str, exactly_one: bool = True) -> None:
            raise TimeoutError("service timed out")

    client = OnlineGeocoder(geocoder=Broken(), cache_dir=tmp_path, sleep=lambda s: None)
    with pytest.raises(UnknownSiteError, match=r"online geocoder failed.*timed out"):
        geocode("Some Hill", online=client)


def test_a_plain_geopy_like_object_is_accepted(tmp_path: Path) -> None:
    fake = FakeGeocoder({"hamheung pier": HAMHEUNG_PIER})
    site = Gazetteer.load().geocode("Hamheung Pier", online=fake)
    assert site.match == "online" and fake.calls == ["hamheung pier"]
    assert (tmp_path / "default-cache" / "nominatim.json").is_file()


def test_default_client_is_nominatim_with_a_georange_user_agent(tmp_path: Path) -> None:
    client = OnlineGeocoder(cache_dir=tmp_path)
    backend = client._backend()  # builds the geopy object; no request is made
    from geopy.geocoders import Nominatim

    assert isinstance(backend, Nominatim)
    assert "georange" in USER_AGENT
    assert backend.headers["User-Agent"] == USER_AGENT
    assert client.min_delay_s == 1.0
    assert default_cache_dir() == tmp_path / "default-cache"


def test_default_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GEORANGE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if default_cache_dir().parent == tmp_path / "xdg":
        assert default_cache_dir() == tmp_path / "xdg" / "georange"
    else:  # macOS and Windows have their own user cache folders
        assert default_cache_dir().name in {"georange", "Cache"}


def test_online_is_tried_before_refusing_a_far_fallback(tmp_path: Path) -> None:
    # "Paris" is known offline only in France/US/ZA; a (fake) online answer inside
    # the region is taken, and without one the offline refusal is what the user sees.
    # (the default region is now the world: the Korean box is asked for)
    inside = FakeLocation(39.2, 126.2, "Paris-ri, North Korea")
    client, fake, _ = make(tmp_path, {"paris": inside})
    site = geocode("Paris", online=client, region="korea")
    assert site.match == "online" and site.lat == 39.2 and fake.calls == ["paris"]
    empty, _, _ = make(tmp_path / "other", {})
    with pytest.raises(UnknownSiteError, match="only knows it outside"):
        geocode("Paris", online=empty, region="korea")

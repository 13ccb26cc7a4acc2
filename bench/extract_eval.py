"""Precision and recall of ``geo.extract_claims`` per field on a corpus of reports.

Usage::

    python bench/extract_eval.py [CORPUS_DIR ...] [--verbose]

CORPUS_DIR defaults to ``tests/data/reports`` (``<case>.txt`` + ``<case>.json``, see its
README).  Extracted claims are paired with expected ones (best agreement on range, site,
claimant, date); then, per field, a value extracted and equal to the expected one is a true
positive, a value extracted and different (or on an unpaired claim) a false positive, and an
expected value not extracted (or extracted wrong) a false negative.  The (site, range) pair
score compares the multisets of (site, range_km) over claims that carry a range.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.extract import CORPUS_FIELDS, Claim, extract_claims  # noqa: E402

FIELDS: dict[str, Any] = CORPUS_FIELDS


def _value(claim: Claim | dict[str, Any], name: str) -> Any:
    if isinstance(claim, Claim):
        v = getattr(claim, name)
        return list(v) if name == "flight_time_s" and v is not None else v
    v = claim.get(name, FIELDS[name])
    return [float(x) for x in v] if name == "flight_time_s" and v is not None else v


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), abs_tol=0.05)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _present(name: str, v: Any) -> bool:
    return not _same(v, FIELDS[name]) if v is not None else False


def _pair(got: list[Claim], want: list[dict[str, Any]]) -> list[tuple[int | None, int | None]]:
    weights = {"range_km": 4, "site": 3, "province": 2, "claimant": 1, "date": 1, "range_kind": 1}
    scores = []
    for i, g in enumerate(got):
        for j, w in enumerate(want):
            s = sum(
                wt
                for f, wt in weights.items()
                if _present(f, _value(w, f)) and _same(_value(g, f), _value(w, f))
            )
            both_rangeless = _value(g, "range_km") is None and _value(w, "range_km") is None
            if s >= 3 or (both_rangeless and s >= 1):
                scores.append((s, i, j))
    scores.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_w: set[int] = set()
    pairs: list[tuple[int | None, int | None]] = []
    for _, i, j in scores:
        if i in used_g or j in used_w:
            continue
        used_g.add(i)
        used_w.add(j)
        pairs.append((i, j))
    pairs += [(i, None) for i in range(len(got)) if i not in used_g]
    pairs += [(None, j) for j in range(len(want)) if j not in used_w]
    return pairs


def evaluate(dirs: list[Path], *, verbose: bool = False) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    span_ok: Counter[str] = Counter()
    span_checked: Counter[str] = Counter()
    pair_got = pair_want = pair_hit = 0
    n_cases = n_got = n_want = 0
    for d in dirs:
        for exp_path in sorted(d.glob("*.json")):
            text = exp_path.with_suffix(".txt").read_text(encoding="utf-8")
            expected = json.loads(exp_path.read_text(encoding="utf-8"))
            got = extract_claims(text, reported_on=expected.get("reported_on"))
            want = expected["claims"]
            n_cases += 1
            n_got += len(got)
            n_want += len(want)
            for i, j in _pair(got, want):
                for f in FIELDS:
                    gv = _value(got[i], f) if i is not None else None
                    wv = _value(want[j], f) if j is not None else None
                    g_has = i is not None and _present(f, gv)
                    w_has = j is not None and _present(f, wv)
                    if g_has and w_has and _same(gv, wv):
                        tp[f] += 1
                        ev = want[j].get("evidence", {}).get(f)
                        spec = {"text": ev} if isinstance(ev, str) else ev
                        span = got[i].evidence.get(f) if i is not None else None
                        if spec:
                            span_checked[f] += 1
                        if spec and span is not None:
                            start = -1
                            for _ in range(spec.get("occurrence", 1)):
                                start = text.find(spec["text"], start + 1)
                            if (span.start, span.end) == (start, start + len(spec["text"])):
                                span_ok[f] += 1
                        continue
                    if g_has:
                        fp[f] += 1
                        if verbose:
                            print(f"  FP {exp_path.stem}: {f} = {gv!r} (expected {wv!r})")
                    if w_has:
                        fn[f] += 1
                        if verbose and not g_has:
                            print(f"  FN {exp_path.stem}: {f} expected {wv!r}")
            gp = Counter((c.site, round(c.range_km, 1)) for c in got if c.range_km is not None)
            wp = Counter(
                (w.get("site", ""), round(float(w["range_km"]), 1))
                for w in want
                if w.get("range_km") is not None
            )
            pair_got += sum(gp.values())
            pair_want += sum(wp.values())
            pair_hit += sum((gp & wp).values())
    return {
        "cases": n_cases,
        "claims_extracted": n_got,
        "claims_expected": n_want,
        "fields": {
            f: {
                "tp": tp[f],
                "fp": fp[f],
                "fn": fn[f],
                "span_exact": span_ok[f],
                "span_checked": span_checked[f],
            }
            for f in FIELDS
        },
        "pairs": {"extracted": pair_got, "expected": pair_want, "correct": pair_hit},
    }


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="*", type=Path, default=[ROOT / "tests" / "data" / "reports"])
    ap.add_argument("--verbose", action="store_true", help="list every false positive/negative")
    args = ap.parse_args(argv)
    res = evaluate(args.corpus, verbose=args.verbose)
    print(
        f"{res['cases']} reports, {res['claims_extracted']} claims extracted, "
        f"{res['claims_expected']} expected"
    )
    print(
        f"{'field':16} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4} {'span ok':>8}"
    )
    for f, c in res["fields"].items():
        print(
            f"{f:16} {_ratio(c['tp'], c['tp'] + c['fp']):>9} "
            f"{_ratio(c['tp'], c['tp'] + c['fn']):>7} "
            f"{c['tp']:>4} {c['fp']:>4} {c['fn']:>4} "
            + (f"{c['span_exact']:>4}/{c['span_checked']:<3}" if c["span_checked"] else "     -")
        )
    p = res["pairs"]
    print(
        f"{'(site, range)':16} {_ratio(p['correct'], p['extracted']):>9} "
        f"{_ratio(p['correct'], p['expected']):>7} {p['correct']:>4} "
        f"{p['extracted'] - p['correct']:>4} {p['expected'] - p['correct']:>4}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

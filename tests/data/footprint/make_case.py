"""Write a golden case for tests/footprint/test_footprint.py from an independent computation.

The expected area comes from Geod.polygon_area_perimeter over 200,000 Geod.fwd vertices
joined by geodesic edges (GeographicLib), not from the engine; pole containment comes from
Geod.inv distances to the poles.  Usage:

    python tests/data/footprint/make_case.py NAME LAT LON RANGE_KM [MIN_RANGE_KM]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
GLOBE_M2 = 4 * np.pi * 6371007.180918475**2
WHOLE_GLOBE_KM = GEOD.inv(0.0, 0.0, 180.0, 0.0)[2] / 1000.0 - 35.0


def disk_fraction(lat: float, lon: float, range_km: float) -> float:
    if range_km >= WHOLE_GLOBE_KM:
        return 1.0
    n = 200_000
    az = np.linspace(360.0, 0.0, n, endpoint=False)  # counter-clockwise
    x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, range_km * 1000.0))
    area, _ = GEOD.polygon_area_perimeter(x, y)
    return (area % GLOBE_M2) / GLOBE_M2


def main() -> None:
    name, lat, lon, range_km = sys.argv[1], *map(float, sys.argv[2:5])
    min_km = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
    frac = disk_fraction(lat, lon, range_km) - (disk_fraction(lat, lon, min_km) if min_km else 0.0)
    d_np = GEOD.inv(lon, lat, 0.0, 90.0)[2] / 1000.0
    d_sp = GEOD.inv(lon, lat, 0.0, -90.0)[2] / 1000.0

    def inside(d: float) -> bool:
        return (d <= range_km or range_km >= WHOLE_GLOBE_KM) and d >= min_km

    spec = {
        "lat": lat,
        "lon": lon,
        "range_km": range_km,
        "min_range_km": min_km,
        "expect": {
            "area_fraction": round(frac, 6),
            "north_pole": inside(d_np),
            "south_pole": inside(d_sp),
            "site_inside": min_km == 0.0,
            "geom_type": "?",
            "parts": 0,
        },
    }
    path = Path(__file__).with_name(f"{name}.json")
    path.write_text(json.dumps(spec, indent=2) + "\n")
    print(path, spec)


if __name__ == "__main__":
    main()

"""Regions: the boxes inside which facility, town and online answers are trusted.

The default is the whole world; ``region=`` restricts (``"korea"`` for the peninsula).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from geo.errors import InvalidCoordinateError


@dataclass(frozen=True)
class Region:
    """A longitude/latitude box in which fallback and online answers are trusted.

    Examples
    --------
    >>> KOREAN_PENINSULA.contains(39.0, 125.7)
    True
    >>> KOREAN_PENINSULA.contains(48.85, 2.35)
    False
    """

    west: float
    south: float
    east: float
    north: float
    name: str = "custom region"

    def contains(self, lat: float, lon: float) -> bool:
        """Return whether the point lies inside the box (edges included).

        Examples
        --------
        >>> WORLD.contains(-89.0, 179.0)
        True
        """
        if not self.south <= lat <= self.north:
            return False
        if self.west <= self.east:
            return self.west <= lon <= self.east
        return lon >= self.west or lon <= self.east  # box across the antimeridian

    def covers(self, other: Region) -> bool:
        """Return whether *other* lies entirely inside this box (boxes not across ±180).

        Examples
        --------
        >>> WORLD.covers(KOREAN_PENINSULA), KOREAN_PENINSULA.covers(WORLD)
        (True, False)
        """
        if self.west > self.east or other.west > other.east:
            return self == other
        return (
            self.west <= other.west
            and other.east <= self.east
            and self.south <= other.south
            and other.north <= self.north
        )

    def __str__(self) -> str:
        box = f"lon {self.west:g} to {self.east:g}, lat {self.south:g} to {self.north:g}"
        return f"{self.name} ({box})"


#: Default region: both Koreas and their coastal waters, Jeju to the Tumen.
KOREAN_PENINSULA = Region(124.0, 33.0, 131.9, 43.1, "the Korean peninsula")
#: No regional check at all.
WORLD = Region(-180.0, -90.0, 180.0, 90.0, "the world")
# Places in this box get every name indexed up front in the offline fallback.
_NEAR_KOREA = Region(119.0, 30.0, 136.0, 46.0, "north-east Asia")

RegionLike = Region | tuple[float, float, float, float] | str | None


def _as_region(region: RegionLike) -> Region:
    if region is None:
        return WORLD
    if isinstance(region, Region):
        return region
    if isinstance(region, str):
        text = region.strip().casefold()
        if text in {"world", "none", "any"}:
            return WORLD
        if text in {"korea", "korean peninsula", "kp", "kr"}:
            return KOREAN_PENINSULA
        parts = [p for p in re.split(r"[,\s]+", text) if p]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != 4:
            raise InvalidCoordinateError(
                f"region {region!r} is not understood: give 'world', 'korea' or a box "
                "'WEST,SOUTH,EAST,NORTH' in degrees, e.g. '124,33,131.9,43.1'"
            )
        region = (values[0], values[1], values[2], values[3])
    west, south, east, north = (float(v) for v in region)
    if not (-90 <= south <= north <= 90) or not all(math.isfinite(v) for v in (west, east)):
        raise InvalidCoordinateError(
            f"region box {(west, south, east, north)!r} is invalid: give (west, south, east, "
            "north) in degrees with -90 <= south <= north <= 90"
        )
    return Region(west, south, east, north)

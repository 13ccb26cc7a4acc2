"""One error tree for georange.

Every message names the offending value, where it came from (file, line and
column when it came from a file) and what would be accepted instead.  The
subclasses that describe bad values are also :class:`ValueError`, and the ones
that describe failed look-ups are also :class:`LookupError`, so callers that
already catch the built-in exceptions keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "AmbiguousSiteError",
    "AssetError",
    "BasemapError",
    "CatalogError",
    "CatalogProblem",
    "ExportError",
    "ExtractionError",
    "GeorangeError",
    "InputFileError",
    "InvalidBearingError",
    "InvalidCoordinateError",
    "InvalidRangeError",
    "OutputPathError",
    "RefinementError",
    "SiteMismatchError",
    "UnknownSiteError",
]


class GeorangeError(Exception):
    """Base class of every error georange raises on purpose."""


class InvalidRangeError(GeorangeError, ValueError):
    """A range, minimum range or tolerance outside the bounds the engine accepts.

    A range must be finite, greater than 0 and at most the antipodal distance
    (20,003.93 km on WGS84) plus 1 %; a minimum range finite, at least 0 and
    less than the range; a tolerance finite and greater than 0.
    """


class InvalidCoordinateError(GeorangeError, ValueError):
    """A latitude outside [-90, 90] or a longitude that is not a finite number."""


class InvalidBearingError(GeorangeError, ValueError):
    """A bearing (azimuth) pair that is not finite, outside [-360, 360] or of zero width."""


class RefinementError(GeorangeError, RuntimeError):
    """The footprint engine could not bring a boundary within its tolerance.

    Refinement stops at a cap on rounds and on vertices; a request that would pass either
    cap (a tolerance far finer than the range needs) raises this instead of running on.
    """


class UnknownSiteError(GeorangeError, LookupError):
    """A place name the gazetteer cannot resolve.

    Parameters
    ----------
    text
        The text as given.
    suggestions
        The closest known names, best first.
    detail
        Why the text could not be resolved, if more than "unknown".
    """

    def __init__(
        self, text: str, suggestions: Sequence[str] = (), detail: str | None = None
    ) -> None:
        self.text = text
        self.suggestions = list(suggestions)
        self.detail = detail
        msg = detail or f"unknown site {text!r}"
        if self.suggestions:
            msg += "; closest known names: " + ", ".join(repr(s) for s in self.suggestions)
        msg += (
            ". Give a known name, coordinates such as '39.03, 125.75', an offset such as "
            "'17 km northeast of Wonsan', or add the site to a sites file (--sites FILE)."
        )
        super().__init__(msg)


class SiteMismatchError(UnknownSiteError):
    """A place phrase whose parts disagree: "Sinpo, North Pyongan Province" (Sinpo is in
    South Hamgyong), a country or a nearby place that does not fit the place named."""


class AmbiguousSiteError(GeorangeError, LookupError):
    """A place name that matches several sites equally well."""

    def __init__(self, text: str, candidates: Sequence[str]) -> None:
        self.text = text
        self.candidates = list(candidates)
        super().__init__(
            f"ambiguous site {text!r}: it matches "
            + ", ".join(repr(c) for c in self.candidates)
            + ". Use one of these names (or its id) instead."
        )


@dataclass(frozen=True)
class CatalogProblem:
    """One bad cell of a catalog file."""

    path: str
    line: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: column {self.column!r}: {self.value!r}: {self.expected}"


class CatalogError(GeorangeError, ValueError):
    """A catalog (events, missiles, sites or targets file) with one or more bad cells.

    All problems found in one pass are listed, so a user fixes a file once.
    """

    def __init__(self, problems: Iterable[CatalogProblem], *, summary: str | None = None) -> None:
        self.problems = list(problems)
        head = summary or f"{len(self.problems)} problem(s) in the catalog"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class ExportError(GeorangeError):
    """An export that cannot be written (unknown format, unwritable path)."""


class AssetError(GeorangeError):
    """Map assets (Leaflet and friends) that cannot be found or fetched."""


class ExtractionError(GeorangeError, ValueError):
    """A report text that cannot be read or parsed."""


class BasemapError(GeorangeError):
    """The bundled basemap cannot be read (unknown layer, missing or damaged file)."""


class InputFileError(CatalogError):
    """A user's input file that cannot be read at all: missing, a folder, unreadable,
    empty, not in the expected encoding or not in the expected format.

    A :class:`CatalogError` whose one problem is the whole file, so callers that
    catch catalog errors catch it too; its message is one line.

    Parameters
    ----------
    path
        The file as given.
    message
        The whole message: what is wrong with the file and the fix.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.problems = [CatalogProblem(path, 0, "*", path, message)]
        GeorangeError.__init__(self, message)


class OutputPathError(GeorangeError, ValueError):
    """An output path that cannot be written, found before any work is done.

    Parameters
    ----------
    path
        The path as given.
    message
        The whole message: what is wrong with the path and the fix.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(message)

"""Import the facade before pytest collects anything, so `geo.footprint` stays the function.

`geo.footprint` and `geo.reach` name both a function of the facade and the package it comes
from. `geo/__init__.py` binds the functions after importing the packages, which is what the
import system leaves in place. pytest's importlib mode, collecting the doctests of
`geo/footprint` (or `geo/reach`) before `geo` is imported, would instead import the package a
second time and set it as an attribute of `geo`, over the function. Imported here first, every
module is found in `sys.modules` and reused.
"""

from __future__ import annotations

import geo  # noqa: F401

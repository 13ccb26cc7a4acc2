"""Dump what GDAL reads from a vector file, as JSON, for the export validator tests.

Run with a Python that has GDAL's bindings (Debian: /usr/bin/python3 with python3-gdal):

    python3 ogr_dump.py [--driver NAME] FILE

Prints {"driver": ..., "layers": [{"name", "geometry_type", "fields": {name: type},
"features": [{"geometry": type or null, "values": {name: value or null}}]}]}: integers as
JSON integers, reals as numbers, dates as YYYY-MM-DD, date-times as YYYY-MM-DDTHH:MM:SS,
everything else as GDAL's text of the field.
"""

from __future__ import annotations

import argparse
import json
import sys

from osgeo import gdal, ogr

gdal.UseExceptions()


def field_type(defn: ogr.FieldDefn) -> str:
    subtype = defn.GetSubType()
    name = defn.GetFieldTypeName(defn.GetType())
    return name if subtype == ogr.OFSTNone else f"{name}({ogr.GetFieldSubTypeName(subtype)})"


def value(feature: ogr.Feature, i: int) -> object:
    kind = feature.GetFieldType(i)
    if kind in (ogr.OFTInteger, ogr.OFTInteger64):
        return feature.GetFieldAsInteger64(i)
    if kind == ogr.OFTReal:
        return feature.GetFieldAsDouble(i)
    if kind in (ogr.OFTDate, ogr.OFTDateTime):
        y, mo, d, h, mi, sec, _ = feature.GetFieldAsDateTime(i)
        day = f"{y:04d}-{mo:02d}-{d:02d}"
        return day if kind == ogr.OFTDate else f"{day}T{h:02d}:{mi:02d}:{int(sec):02d}"
    return feature.GetFieldAsString(i)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--driver", default=None)
    parser.add_argument("file")
    args = parser.parse_args()
    options = {"allowed_drivers": [args.driver]} if args.driver else {}
    ds = gdal.OpenEx(args.file, gdal.OF_VECTOR, **options)
    out = {"driver": ds.GetDriver().ShortName, "layers": []}
    for index in range(ds.GetLayerCount()):
        layer = ds.GetLayer(index)
        defn = layer.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        features = []
        for feature in layer:
            geom = feature.GetGeometryRef()
            values = {
                n: value(feature, i) if feature.IsFieldSetAndNotNull(i) else None
                for i, n in enumerate(names)
            }
            features.append(
                {"geometry": geom.GetGeometryName() if geom else None, "values": values}
            )
        out["layers"].append(
            {
                "name": layer.GetName(),
                "geometry_type": ogr.GeometryTypeToName(layer.GetGeomType()),
                "fields": {
                    defn.GetFieldDefn(i).GetName(): field_type(defn.GetFieldDefn(i))
                    for i in range(defn.GetFieldCount())
                },
                "features": features,
            }
        )
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

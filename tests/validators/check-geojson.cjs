// RFC 7946 check of GeoJSON files with @placemarkio/check-geojson (installed by `make validators`).
// Usage: node check-geojson.cjs FILE...  Prints one JSON line {"file": ..., "issues": [...]}
// per file; exits 1 when any file has an issue, 2 on bad usage.
"use strict";
const fs = require("fs");
const { getIssues } = require("@placemarkio/check-geojson");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check-geojson.cjs FILE...");
  process.exit(2);
}
let failed = false;
for (const file of files) {
  const issues = getIssues(fs.readFileSync(file, "utf8"));
  failed = failed || issues.length > 0;
  console.log(JSON.stringify({ file, issues }));
}
process.exit(failed ? 1 : 0);

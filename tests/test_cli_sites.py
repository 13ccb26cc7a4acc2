"""Every command that takes a site has the same --sites, --region and --country, and they
behave the same on each (a walk over all the commands of the click group)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import geo.gazetteer._as_site as as_site_module
from geo.catalog import EVENT_COLUMNS
from geo.cli import cli
from geo.cli._options import SITE_LOOKUP_PARAMS
from geo.gazetteer import Gazetteer, Site

FIXTURES = Path(__file__).resolve().parent / "data" / "gazetteer"
USER_SITES = FIXTURES / "user_sites.csv"
HEADER = ",".join(EVENT_COLUMNS)

# How each site-taking command is given one site (a name); tmp is a scratch folder.
Invocation = Callable[[str, Path], list[str]]


def _catalog(site: str, tmp: Path) -> str:
    path = tmp / "events.csv"
    row = f'c1,e1,2024-01-01,day,"{site}",test missile,500,claimed,someone,test,'
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    return str(path)


def _report(site: str, tmp: Path) -> str:
    path = tmp / "report.txt"
    path.write_text(
        f"North Korea fired a ballistic missile from {site} on 1 January 2024, the Joint "
        "Chiefs of Staff said. It flew about 500 km.\n",
        encoding="utf-8",
    )
    return str(path)


SITE_COMMANDS: dict[str, Invocation] = {
    "geocode": lambda site, tmp: ["geocode", site],
    "map": lambda site, tmp: [
        "map", "--site", site, "--range-km", "500", "--no-targets", "-o", str(tmp / "m.html")
    ],
    "reach": lambda site, tmp: ["reach", "--site", site, "--range-km", "500"],
    "export": lambda site, tmp: [
        "export", "--site", site, "--range-km", "500", "-o", str(tmp / "x.geojson")
    ],
    "build": lambda site, tmp: [
        "build", _catalog(site, tmp), "-o", str(tmp / "maps"), "--no-targets"
    ],
    "check-catalog": lambda site, tmp: ["check-catalog", _catalog(site, tmp)],
    "extract": lambda site, tmp: ["extract", _report(site, tmp), "--format", "json"],
    "lofted": lambda site, tmp: [
        "lofted", "--apogee-km", "2800", "--distance-km", "930", "--site", site,
        "--azimuth-deg", "90",
    ],
}  # fmt: skip
# Commands that resolve no site name (`sites` lists the table; --sites is its input).
OTHER_COMMANDS = {"assets", "import-cns", "sites"}


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_the_walk_covers_every_command() -> None:
    assert set(cli.commands) == set(SITE_COMMANDS) | OTHER_COMMANDS


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_site_commands_have_the_lookup_options_and_others_do_not(name: str) -> None:
    options = {p.name: p for p in cli.commands[name].params}
    lookup = set(SITE_LOOKUP_PARAMS) & set(options)
    if name in SITE_COMMANDS:
        assert lookup == {"sites", "region", "country"}
        # declared once: the same help text and type on every command
        reference = {p.name: p for p in cli.commands["reach"].params}
        for param in SITE_LOOKUP_PARAMS:
            assert options[param].help == reference[param].help  # type: ignore[attr-defined]
            assert options[param].opts == reference[param].opts
    else:
        assert not lookup - {"sites"}, f"{name} resolves no site name but offers {lookup}"


# extract finds site mentions among the known names of the sites table first, so a town
# known only to the world fallback is no mention there; its --region is checked below.
@pytest.mark.parametrize("name", sorted(set(SITE_COMMANDS) - {"extract"}))
def test_region_behaves_the_same_on_every_command(name: str, tmp_path: Path) -> None:
    args = SITE_COMMANDS[name]("Reykjavik", tmp_path)
    code, out = _run([*args, "--region", "korea"])
    assert code == 1 and "outside" in out, out
    code, out = _run([*args, "--region", "world"])
    assert code == 0, out
    if name in ("geocode", "reach", "check-catalog", "extract"):
        assert "64.1" in out or "1 located" in out, out


@pytest.mark.parametrize("name", sorted(SITE_COMMANDS))
def test_sites_file_behaves_the_same_on_every_command(name: str, tmp_path: Path) -> None:
    args = SITE_COMMANDS[name]("Test Pad Seven", tmp_path)
    code, out = _run([*args, "--sites", str(USER_SITES)])
    assert code == 0, out
    if name in ("geocode", "reach", "check-catalog", "extract"):
        assert "39.5" in out or "1 located" in out, out
    code, out = _run(args)  # without the file, nobody knows the site
    if name == "extract":
        assert code == 0 and '"lat": null' in out
    else:
        assert code == 1 and "Test Pad Seven" in out, out


@pytest.mark.parametrize("name", sorted(SITE_COMMANDS))
def test_region_and_country_reach_the_gazetteer_on_every_command(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[object, object]] = []
    original = Gazetteer.geocode

    def spy(self: Gazetteer, text: str, **kwargs: object) -> Site:
        seen.append((kwargs.get("region"), kwargs.get("country")))
        return original(self, text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(as_site_module.Gazetteer, "geocode", spy)
    args = SITE_COMMANDS[name]("Sinpo", tmp_path)
    code, out = _run([*args, "--region", "124,33,131.9,43.1", "--country", "KP"])
    assert code == 0, out
    assert seen and set(seen) == {("124,33,131.9,43.1", "KP")}

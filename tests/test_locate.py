"""The locate stage: the gazetteer, place names in context, and each event's place.

Every sentence, page and GeoNames line here is written for these tests. The
gazetteer itself is the default one, built from the installed packages on first
use (about 20 s, once per machine).
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from strife.cli import app
from strife.errors import GazetteerError
from strife.locate import LocateStage, admin1_key, country_code, locate_article, locate_text
from strife.locate.gazetteer import (
    Gazetteer,
    build_gazetteer,
    gazetteer_path,
    load_geonames,
    open_gazetteer,
)
from strife.locate.names import is_demonym, key, skeleton
from strife.pipeline import extract_pipeline, run_text
from strife.settings import Settings

SETTINGS = Settings()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return open_gazetteer(SETTINGS)


def _places(text: str, country: str | None = None) -> list[dict[str, Any]]:
    return locate_text(text, settings=SETTINGS, country=country)


def _place(text: str, name: str, country: str | None = None) -> dict[str, Any]:
    found = [p for p in _places(text, country) if p["text"] == name]
    assert found, f"{name!r} not found in {_places(text, country)}"
    return found[0]


# --- names ---------------------------------------------------------------------------


def test_transliterations_share_a_key() -> None:
    assert key("Deir ez-Zor") == key("Deir Ezzor") == key("DEIR EZZOR")
    assert key("Dar‘ā") == key("Dar'a") == "dara"
    assert skeleton("Deraa") == skeleton("Daraa") == skeleton("Dar'a")
    assert skeleton("Karm el-Zeitoun") == skeleton("Karm az Zaytun")
    assert skeleton("Khost") == skeleton("Khowst")


@pytest.mark.parametrize(
    ("word", "demonym"),
    [("Syrian", True), ("Iraqi", True), ("Afghan", True), ("Lebanese", True),
     ("Turkish", True), ("Jordan", False), ("Iran", False), ("Homs", False), ("Oman", False)],
)  # fmt: skip
def test_demonyms_are_not_places(word: str, demonym: bool) -> None:
    assert is_demonym(word) is demonym


# --- the gazetteer -----------------------------------------------------------------


def test_gazetteer_holds_countries_areas_and_cities(gazetteer: Gazetteer) -> None:
    counts = gazetteer.counts()
    assert counts["country"] > 200
    assert counts["admin1"] > 3000
    assert counts["city"] > 200_000
    syria = gazetteer.country("SY")
    assert syria is not None
    assert syria.name == "Syria"
    helmand = [m.place for m in gazetteer.lookup("Helmand") if m.place.kind == "admin1"]
    assert [(p.country, p.name) for p in helmand] == [("AF", "Helmand")]


def test_gazetteer_lookup_is_cheap(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("") == []
    assert gazetteer.lookup("Qwxzptlk") == []
    assert gazetteer.lookup("Homs") is gazetteer.lookup("homs")  # cached by key


def test_opening_a_file_that_is_no_gazetteer_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="strife gazetteer build"):
        Gazetteer(tmp_path / "missing.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerError, match="not a strife gazetteer"):
        Gazetteer(junk)


def test_a_gazetteer_that_cannot_be_written_fails_clearly(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    with pytest.raises(GazetteerError, match=r"cannot build the gazetteer.*--set gazetteer="):
        build_gazetteer(blocker / "gazetteer.sqlite")


def test_gazetteer_path_follows_the_setting(tmp_path: Path) -> None:
    chosen = tmp_path / "places.sqlite"
    assert gazetteer_path(Settings(gazetteer=str(chosen))) == chosen
    assert gazetteer_path(SETTINGS).name.startswith("gazetteer-s")


def test_admin1_key_and_country_code_read_many_spellings(gazetteer: Gazetteer) -> None:
    assert admin1_key("Paktya", "AF") == admin1_key("Paktiya province", "AF")
    assert admin1_key("Paktia", "AF") is not None
    assert admin1_key("Deir ezzor", "SY") == admin1_key("Deir ez-Zor", "SY") is not None
    assert admin1_key("Nowhere-on-Sea", "SY") is None
    assert admin1_key("A", "SY") is None  # a letter is no area, whatever alternate names say
    assert country_code("Syria") == country_code("Syrian Arab Republic") == "SY"
    assert country_code("People's Republic of China") == "CN"
    assert country_code("England") == "GB"
    assert country_code("Greece and India") is None


# --- names in context ----------------------------------------------------------------


def test_spellings_of_one_city_resolve_to_one_entry(gazetteer: Gazetteer) -> None:
    ids = {
        _place(f"A car bomb exploded in {name}, Syria.", name)["gazetteer_id"]
        for name in ("Deraa", "Daraa", "Dar'a")
    }
    assert len(ids) == 1


def test_homs_is_the_syrian_city(gazetteer: Gazetteer) -> None:
    homs = _place("Government forces shelled neighbourhoods in Homs on Sunday.", "Homs")
    assert (homs["country"], homs["precision"], homs["admin1"]) == ("SY", "city", "Homs")
    province = _place("Clashes spread across Homs province.", "Homs")
    assert (province["precision"], province["gazetteer_id"]) == ("admin1", "admin1:SY.11")


def test_a_speaker_named_like_a_country_is_no_place(gazetteer: Gazetteer) -> None:
    found = _places("Jordan said the talks would resume in Amman next week.")
    assert [(p["text"], p["basis"]) for p in found] == [("Amman", "place")]


def test_common_words_and_ambiguous_names_take_their_context(gazetteer: Gazetteer) -> None:
    mobile = _place("A shooting in Mobile, Alabama, left two people dead.", "Mobile")
    assert mobile["country"] == "US"
    victoria = _place("Bushfires burned across Victoria.", "Victoria", country="AU")
    assert (victoria["country"], victoria["precision"]) == ("AU", "admin1")


def test_roles_set_speakers_and_landmarks_apart(gazetteer: Gazetteer) -> None:
    found = {
        p["text"]: p["basis"]
        for p in _places(
            "The London-based monitor said 20 rebels were killed near the border with Turkey."
        )
    }
    assert found == {"London": "origin", "Turkey": "reference"}
    actor = _place("US-led strikes killed 18 civilians in Raqqa.", "US")
    assert actor["basis"] == "actor"


def test_where_people_were_going_is_no_place_of_the_event(gazetteer: Gazetteer) -> None:
    found = {
        p["text"]: p["basis"]
        for p in _places(
            "A car bomb hit buses in Rashidin as evacuees waited to continue their journey to "
            "Aleppo or the coastal province of Latakia. The wounded were taken to Idlib."
        )
    }
    assert found["Rashidin"] == "place"
    assert (found["Latakia"], found["Idlib"]) == ("destination", "destination")
    assert found.get("Aleppo") != "place"


def test_a_district_the_gazetteer_lacks_falls_back_to_its_province(gazetteer: Gazetteer) -> None:
    found = _places("Insurgents were detained in Dasht-e Warkhana district, Ghazni province.")
    province = next(p for p in found if p.get("gazetteer_id"))
    assert (province["name"], province["precision"]) == ("Ghazni", "admin1")
    assert {"text": "Dasht-e Warkhana", "basis": "place", "gazetteer_id": None} in found


def test_a_country_initials_name_the_country(gazetteer: Gazetteer) -> None:
    # Issue 4: "US" and "U.K." were too short to be kept as spellings; "U.S." was the
    # French village of Us.
    for name, code in (("US", "US"), ("U.S.", "US"), ("UK", "GB"), ("U.K.", "GB")):
        place = _place(f"Protesters marched in the {name} on Sunday.", name)
        assert (place["country"], place["precision"]) == (code, "country")


def test_a_world_city_is_meant_by_its_bare_name(gazetteer: Gazetteer) -> None:
    # Issue 4: a story set in the United States still flies to London, not to the small
    # towns named after it.
    found = _places("Police in Texas said the suspect had flown to Dallas from London.")
    assert {p["text"]: p["country"] for p in found if p.get("gazetteer_id")}["London"] == "GB"


def test_a_state_is_not_a_village_named_after_it(gazetteer: Gazetteer) -> None:
    # Issue 4: an area is its city only when that city holds a fair share of its people.
    minnesota = _place("A lawmaker from Minnesota spoke in the debate.", "Minnesota")
    assert (minnesota["precision"], minnesota["name"]) == ("admin1", "Minnesota")


def test_listed_countries_do_not_lie_in_one_another(gazetteer: Gazetteer) -> None:
    # Issue 4: "X, Y" reads as "X in Y" ("Andar district, Ghazni"), never for countries.
    found = _places("Reporters were jailed in Belarus, Ethiopia and Algeria last year.")
    assert {p["text"] for p in found if p.get("gazetteer_id")} >= {"Belarus", "Ethiopia"}


def test_regions_and_features_are_not_their_namesakes(gazetteer: Gazetteer) -> None:
    # Issue 4: "Africa" is no Mexican village, the "Niger Delta" is not in Niger, and a
    # month's abbreviation after "in" is no place.
    found = _places("Pirates attacked a tanker in the Niger Delta, the worst attack in Africa.")
    assert [p for p in found if p["text"] == "Africa" and p.get("gazetteer_id")] == []
    delta = [p for p in found if p["text"] == "Niger Delta" and p.get("gazetteer_id")]
    assert all(p["country"] != "NE" for p in delta)
    assert _places("He was abducted in Jan 2002.") == []


def test_a_country_as_subject_or_modifier_is_an_actor_not_the_focus(gazetteer: Gazetteer) -> None:
    # Issue 4: "the US might respond", "US officials" name a government; "in Syria" places
    # the story, so a small Syrian town is still found.
    text = (
        "US officials said the US might respond. A chemical attack in Syria killed 72 "
        "people in the town of Khan Shaykhun, and the US condemned it."
    )
    town = _place(text, "Khan Shaykhun")
    assert town["country"] == "SY"
    assert _place(text, "US")["basis"] == "actor"


def test_locate_article_answers_for_a_page_without_events(gazetteer: Gazetteer) -> None:
    # Issue 4: an article-level place when no event says where: the headline's, else the
    # lead's, else the focus country.
    def where(page: str) -> dict[str, Any] | None:
        document = run_text(extract_pipeline(), page, settings=SETTINGS)
        return locate_article(document, settings=SETTINGS)

    def page(title: str, lead: str) -> str:
        return f"{title}\n\n{lead}\n\nThe ruling will be appealed next month, the editors added."

    kenya = where(
        page(
            "Court rules on press law in Kenya", "Judges in Nairobi ruled on the law, lawyers said."
        )
    )
    assert kenya is not None
    assert (kenya["name"], kenya["country"], kenya["basis"]) == ("Nairobi", "KE", "lead")
    lead = where(
        page("A hard year for reporters", "Editors met in Lahore on Monday to discuss it.")
    )
    assert lead is not None
    assert (lead["country"], lead["basis"]) == ("PK", "lead")
    listed = where(
        page("Rights breaches in Belarus, Ethiopia and Algeria", "A report on them came out today.")
    )
    assert listed is not None
    assert (listed["country"], listed["basis"]) == ("BY", "headline")
    assert (
        where(page("A hard year for reporters", "Editors met on Monday to discuss the law."))
        is None
    )


def test_phrase_with_no_place(gazetteer: Gazetteer) -> None:
    assert _places("Nothing happened on Tuesday.") == []
    assert _places("") == []


# --- events on a page ---------------------------------------------------------------

PAGE = """Militia kills dozens in Homs neighbourhood

BEIRUT (Reuters) - Pro-government militiamen killed at least 40 people in Karm Zeitoun, a \
neighbourhood of Homs, activists said on Monday.

As well as the killings in Homs, a car bomb exploded in the city of Deraa, killing three \
people, state media said.

The London-based Syrian Observatory for Human Rights said the Syrian army shelled the town \
of Rastan overnight, killing five civilians.
"""


@pytest.fixture(scope="module")
def page_events() -> dict[str, dict[str, Any]]:
    document = run_text(extract_pipeline(), PAGE, settings=SETTINGS)
    assert document.article is not None
    return {event.trigger: event.location or {} for event in document.events}


def test_each_event_gets_the_place_of_its_own_clause(page_events: dict[str, Any]) -> None:
    locations = list(page_events.values())
    assert len(locations) == 3
    killings, bomb, shelling = locations
    assert (killings["name"], killings["precision"], killings["text"]) == (
        "Homs",
        "city",
        "Karm Zeitoun",
    )  # the neighbourhood is unknown to the default gazetteer: its city, its words kept
    assert (bomb["admin1"], bomb["text"]) == ("Daraa", "Deraa")
    assert (shelling["country"], shelling["text"]) == ("SY", "Rastan")
    assert all(location["basis"] == "event" for location in locations)
    assert all(location["name"] not in {"Beirut", "London"} for location in locations)


def test_an_event_with_no_place_of_its_own_takes_the_lead(gazetteer: Gazetteer) -> None:
    page = (
        "Clashes in Idlib\n\nFighting raged in Idlib province on Tuesday, residents said.\n\n"
        "Later, rebels shot dead four soldiers at a checkpoint."
    )
    document = run_text(extract_pipeline(), page, settings=SETTINGS)
    locations = [e.location for e in document.events if e.location]
    assert locations
    assert all(loc["admin1"] == "Idlib" for loc in locations)
    assert {loc["basis"] for loc in locations} <= {"event", "context", "headline", "lead"}


def test_a_paragraph_the_reader_skipped_still_names_the_place(gazetteer: Gazetteer) -> None:
    # The first paragraph has no word of violence, so it is not parsed; its framed
    # names are still read, and the arrest in the next paragraph takes its province.
    page = (
        "A combined unit searched a compound in Dasht-e Warkhana district, Ghazni "
        "province, on Monday.\n\nTwo suspected insurgents were detained during the search."
    )
    document = run_text(extract_pipeline(), page, settings=SETTINGS)
    assert all(offset > 0 for offset, _ in document.parsed)
    locations = [e.location for e in document.events]
    assert locations
    assert all(
        loc and (loc["admin1"], loc["precision"]) == ("Ghazni", "admin1") for loc in locations
    )


def test_a_title_cased_headline_still_names_its_country(gazetteer: Gazetteer) -> None:
    page = (
        "Bahrain: Prominent Activist Arrested After Peaceful Protest\n\n"
        "Police arrested a prominent activist on Tuesday after a peaceful protest, his "
        "lawyer said."
    )
    document = run_text(extract_pipeline(), page, settings=SETTINGS)
    locations = [e.location for e in document.events]
    assert locations
    assert all(loc and (loc["country"], loc["basis"]) == ("BH", "headline") for loc in locations)


def test_an_event_nowhere_named_warns(gazetteer: Gazetteer) -> None:
    document = run_text(
        extract_pipeline(), "Gunmen shot dead three men on Tuesday, police said.", settings=SETTINGS
    )
    assert document.events
    assert all(event.location is None for event in document.events)
    assert "W501" in {problem.code for problem in document.problems}


def test_locate_stage_protocol() -> None:
    stage = LocateStage()
    assert (stage.name, stage.requires, stage.assigns) == (
        "locate",
        ("article", "parsed", "events"),
        ("events",),
    )


# --- GeoNames dumps --------------------------------------------------------------------


def _row(*columns: object) -> str:
    assert len(columns) == 19
    return "\t".join(str(c) for c in columns) + "\n"


DUMP = (
    _row(9100001, "Karm az Zaytun", "Karm az Zaytun", "Karm el-Zeitoun,Karm al-Zeitoun",
         34.716, 36.733, "P", "PPLX", "SY", "", "11", "", "", "", 0, "", 480,
         "Asia/Damascus", "2024-01-01")
    + _row(9100002, "Qarabagh Tangi District", "Qarabagh Tangi District", "Qarabagh Tangi",
           33.21, 68.11, "A", "ADM2", "AF", "", "08", "2007", "", "", 38000, "", 2100,
           "Asia/Kabul", "2024-01-01")
    + _row(9100003, "Lake Nowhere", "Lake Nowhere", "", 10.0, 10.0, "H", "LK", "NG", "", "",
           "", "", "", 0, "", 300, "Africa/Lagos", "2024-01-01")
)  # fmt: skip


@pytest.fixture
def own_gazetteer(tmp_path: Path, gazetteer: Gazetteer) -> Settings:
    copy = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(gazetteer.path, copy)
    return Settings(gazetteer=str(copy))


def test_a_dump_adds_neighbourhoods_and_districts(own_gazetteer: Settings, tmp_path: Path) -> None:
    dump = tmp_path / "SY.txt.gz"
    dump.write_bytes(gzip.compress(DUMP.encode()))
    report = load_geonames(Path(own_gazetteer.gazetteer), dump)
    assert (report.loaded, report.skipped, report.bad_lines) == (2, 1, [])
    found = locate_text(
        "45 people were killed in Karm Zeitoun, a neighbourhood of Homs.", settings=own_gazetteer
    )
    place = next(p for p in found if p["text"] == "Karm Zeitoun")
    assert (place["precision"], place["admin1"], place["country"]) == (
        "neighbourhood",
        "Homs",
        "SY",
    )
    info = json.loads(open_gazetteer(own_gazetteer).meta["loaded"])
    assert info == [{"file": str(dump), "places": 2}]


def test_a_dump_with_a_few_bad_lines_loads_the_rest(
    own_gazetteer: Settings, tmp_path: Path
) -> None:
    dump = tmp_path / "cities.txt"
    dump.write_text(DUMP + "not\ta\tgeonames\tline\n" + DUMP.replace("9100001", "x"), "utf-8")
    report = load_geonames(Path(own_gazetteer.gazetteer), dump)
    assert report.bad_lines == [4, 5]
    assert (report.loaded, report.skipped) == (3, 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe" * 50, "not UTF-8"),
        (b"name,lat,lon\nHoms,34.7,36.7\n" * 30, "not a GeoNames dump|no GeoNames record"),
    ],
)
def test_a_file_that_is_no_dump_is_refused(
    own_gazetteer: Settings, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(GazetteerError, match=message):
        load_geonames(Path(own_gazetteer.gazetteer), bad)
    with pytest.raises(GazetteerError, match="no file"):
        load_geonames(Path(own_gazetteer.gazetteer), tmp_path / "missing.txt")


# --- the command line ---------------------------------------------------------------


def test_cli_locate_prints_places(gazetteer: Gazetteer) -> None:
    result = CliRunner().invoke(app, ["locate", "Shelling killed 12 people in Homs.", "--json"])
    assert result.exit_code == 0, result.output
    places = json.loads(result.stdout)
    assert [(p["text"], p["country"]) for p in places] == [("Homs", "SY")]
    table = CliRunner().invoke(app, ["locate", "Shelling killed 12 people in Homs."])
    assert "Homs" in table.stdout
    assert "SY" in table.stdout


def test_cli_locate_refuses_a_bad_country() -> None:
    result = CliRunner().invoke(app, ["locate", "in Homs", "--country", "Syria"])
    assert result.exit_code == 2
    assert "two-letter country code" in result.output


def test_cli_gazetteer_load_and_info(own_gazetteer: Settings, tmp_path: Path) -> None:
    dump = tmp_path / "dump.txt"
    dump.write_text(DUMP, "utf-8")
    where = f"gazetteer={own_gazetteer.gazetteer}"
    loaded = CliRunner().invoke(app, ["gazetteer", "load", str(dump), "--set", where])
    assert loaded.exit_code == 0, loaded.output
    assert "2 places added, 1 other features skipped" in loaded.stdout
    info = CliRunner().invoke(app, ["gazetteer", "info", "--json", "--set", where])
    assert json.loads(info.stdout)["places"]["neighbourhood"] == 1
    bad = tmp_path / "empty.txt"
    bad.write_text("", "utf-8")
    refused = CliRunner().invoke(app, ["gazetteer", "load", str(bad), "--set", where])
    assert refused.exit_code != 0
    assert isinstance(refused.exception, GazetteerError)

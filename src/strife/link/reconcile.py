"""One incident from its reports: figures reconciled across sources, who says so, disputes.

Every claim of every report is kept. The reconciled figures follow one named
rule, :data:`RULE` (``latest_per_source_median``):

1. sources are told apart by name (lower case, without "the"); a claim the
   article makes in its own voice belongs to the outlet, and outlets whose
   reports are near copies of each other (a wire story run by several papers,
   word cosine ≥ :data:`COPY_COSINE`) count as one outlet;
2. each source's figure is the one from its latest report (by publication
   time): a source that updates its toll replaces its own earlier count;
3. ``low`` and ``high`` span the sources' figures (``high`` stays open when a
   source's is open, "more than 100"); ``best`` is the median of the sources'
   best figures, the lower one of the middle two for an even number, so one
   outlying source moves it no more than one conservative step; a source with
   only a vague word ("several") counts for ``best`` only when no source gives
   a number.

``independent_sources`` counts the distinct sources, after step 1, whose claims
back the incident: two outlets repeating one agency's count count once (Iraq
Body Count's rule); ``corroborated`` is true from two. ``disputed`` lists the
properties sources disagree on: ``perpetrator`` when they blame different
sides (``extract.actors.side``: the army and "the government" are one side),
or one report already saw a dispute; ``fatalities``
when the highest of the sources' numbers is more than twice the lowest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from strife.document import Claim, Figures, Source
from strife.extract.actors import side
from strife.link.terms import cosine

RULE = "latest_per_source_median"
#: Marks a source's figure that rests on vague words only (internal; never in the output).
VAGUE = "vague"
COPY_COSINE = 0.9
OUTLET_ID = "s0"
#: Finest first: the incident takes the most precise place any report gives.
PRECISION_ORDER = ("point", "neighbourhood", "city", "district", "admin1", "country")
FIGURE_PROPERTIES = ("fatalities", "injuries")


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """One linked report as reconciliation needs it."""

    event_id: int
    key: str
    #: ``{"id", "location", "title", "published", "publisher"}`` of its article.
    article: Mapping[str, Any]
    #: The report's strife/1 event dict, claims included.
    event: Mapping[str, Any]
    #: The article's sources: id -> (name, kind).
    sources: Mapping[str, tuple[str, str]]
    terms: Mapping[str, int] = field(default_factory=dict)
    #: How it was linked: ``{"method", "score", "reasons"}``.
    link: Mapping[str, Any] = field(default_factory=dict)


def summarize(reports: Sequence[ReportFacts]) -> dict[str, Any]:
    """The record event of one incident (without ``id``, ``created``, ``updated``)."""
    ordered = sorted(reports, key=_report_order)
    identities = _source_identities(ordered)
    lead = _lead_report(ordered)
    claims = [
        _claim(claim, report, identities)
        for report in ordered
        for claim in report.event.get("claims", [])
    ]
    backers = {claim["source_id"] for claim in claims} | {
        identities[(r.event_id, OUTLET_ID)] for r in ordered if not r.event.get("claims")
    }
    by_source = {prop: _latest_by_source(ordered, identities, prop) for prop in FIGURE_PROPERTIES}
    return {
        "category": lead.event["category"],
        "subtype": lead.event["subtype"],
        "codes": dict(lead.event.get("codes") or {}),
        "date": _date(ordered),
        "location": _location(ordered),
        "actors": _actors(ordered),
        "fatalities": _combine(by_source["fatalities"]).to_dict(),
        "injuries": _combine(by_source["injuries"]).to_dict(),
        "sources": _sources(claims),
        "independent_sources": len(backers),
        "corroborated": len(backers) >= 2,
        "disputed": _disputed(ordered, claims, by_source["fatalities"]),
        "reports": [_report_entry(report) for report in ordered],
        "claims": [{k: v for k, v in claim.items() if k != "source_id"} for claim in claims],
    }


def _report_order(report: ReportFacts) -> tuple[str, int]:
    return (str(report.article.get("published") or "9999"), int(report.article["id"]))


def _source_identities(reports: Sequence[ReportFacts]) -> dict[tuple[int, str], str]:
    """(report, source id) -> the source's identity across articles (step 1 of the rule)."""
    outlets = _outlet_groups(reports)
    identities: dict[tuple[int, str], str] = {}
    for report in reports:
        for source_id, (name, kind) in report.sources.items():
            if source_id == OUTLET_ID or (kind == "outlet" and _is_self(name, report)):
                identities[(report.event_id, source_id)] = outlets[report.event_id]
            else:
                identities[(report.event_id, source_id)] = Source.name_key(name)
        identities.setdefault((report.event_id, OUTLET_ID), outlets[report.event_id])
    return identities


def _outlet_groups(reports: Sequence[ReportFacts]) -> dict[int, str]:
    """Each report's outlet identity; near copies of one story share the first one's."""
    groups: dict[int, str] = {}
    for index, report in enumerate(reports):
        identity = "outlet:" + Source.name_key(_outlet_name(report))
        for earlier in reports[:index]:
            if cosine(report.terms, earlier.terms, _flat) >= COPY_COSINE:
                identity = groups[earlier.event_id]
                break
        groups[report.event_id] = identity
    return groups


def _flat(word: str) -> float:
    return 1.0


def _outlet_name(report: ReportFacts) -> str:
    publisher = report.article.get("publisher")
    return str(publisher) if publisher else str(report.article.get("location"))


def _is_self(name: str, report: ReportFacts) -> bool:
    return Source.name_key(name) == Source.name_key(_outlet_name(report))


def _claim(
    claim: Mapping[str, Any], report: ReportFacts, identities: Mapping[tuple[int, str], str]
) -> dict[str, Any]:
    source_id = str(claim["source"])
    name, kind = report.sources.get(source_id, (_outlet_name(report), "outlet"))
    identity = identities.get((report.event_id, source_id), Source.name_key(name))
    return {
        **claim,
        "source": name,
        "source_kind": kind,
        "source_id": identity,
        "article": report.article["id"],
        "published": report.article.get("published"),
    }


def _latest_by_source(
    reports: Sequence[ReportFacts], identities: Mapping[tuple[int, str], str], prop: str
) -> dict[str, Figures]:
    """Step 2 of the rule: each source's figures for ``prop`` in its latest report."""
    from strife.extract.events import reconcile

    latest: dict[str, list[Claim]] = {}
    for report in reports:  # oldest first, so a later report replaces a source's figure
        mine: dict[str, list[Claim]] = {}
        for data in report.event.get("claims", []):
            if data["property"] == prop:
                identity = identities.get((report.event_id, str(data["source"])), "?")
                mine.setdefault(identity, []).append(Claim.from_dict(dict(data)))
        latest.update(mine)
    figures = {}
    for identity, claims in latest.items():
        reconciled = reconcile(claims)
        if all(claim.qualifier == "vague" for claim in claims):
            reconciled.rule = VAGUE
        figures[identity] = reconciled
    return figures


def _combine(per_source: Mapping[str, Figures]) -> Figures:
    """Step 3 of the rule: the span of the sources' figures and the median of their bests.

    A source that gives only a vague word ("several") counts toward the span, and
    toward the best only when no source gives a number (ACLED's rule, as within an
    article).
    """
    specific = [f for f in per_source.values() if f.best is not None and not _vague(f)]
    bests = sorted(f.best for f in specific or per_source.values() if f.best is not None)
    if not bests:
        return Figures()
    lows = [f.low for f in per_source.values() if f.low is not None]
    highs = [f.high for f in per_source.values()]
    return Figures(
        low=min(lows) if lows else None,
        best=bests[(len(bests) - 1) // 2],
        high=None if any(h is None for h in highs) else max(h for h in highs if h is not None),
        rule=RULE,
    )


def _vague(figures: Figures) -> bool:
    return figures.rule == VAGUE


def _lead_report(reports: Sequence[ReportFacts]) -> ReportFacts:
    """The report whose type is the most common among the reports (the earliest on a tie)."""
    kinds = Counter((r.event["category"], r.event["subtype"]) for r in reports)
    best = max(kinds.values())
    return next(r for r in reports if kinds[(r.event["category"], r.event["subtype"])] == best)


def _date(reports: Sequence[ReportFacts]) -> dict[str, Any] | None:
    """The start most reports give (the earliest on a tie), with that report's end and precision."""
    dated = [r.event["date"] for r in reports if (r.event.get("date") or {}).get("start")]
    if not dated:
        return None
    starts = Counter(d["start"] for d in dated)
    best = max(starts.values())
    start = min(s for s, n in starts.items() if n == best)
    return dict(next(d for d in dated if d["start"] == start))


def _location(reports: Sequence[ReportFacts]) -> dict[str, Any] | None:
    """The finest place any report gives; among equals, the one most reports name."""
    placed: list[dict[str, Any]] = [
        dict(r.event["location"]) for r in reports if r.event.get("location")
    ]
    if not placed:
        return None
    rank = {p: i for i, p in enumerate(PRECISION_ORDER)}
    ranks = [rank.get(str(p.get("precision")), len(rank)) for p in placed]
    candidates = [p for p, r in zip(placed, ranks, strict=True) if r == min(ranks)]
    names = Counter(p.get("name") for p in candidates)
    return max(candidates, key=lambda p: names[p.get("name")])


def _actors(reports: Sequence[ReportFacts]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    for report in reports:
        for actor in report.event.get("actors", []):
            key = (actor["role"], actor.get("kind"), str(actor.get("text", "")).lower())
            seen.setdefault(key, dict(actor))
    return list(seen.values())


def _sources(claims: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    by_identity: dict[str, dict[str, Any]] = {}
    for claim in claims:
        new = {"name": claim["source"], "kind": claim["source_kind"], "articles": []}
        entry = by_identity.setdefault(claim["source_id"], new)
        if claim["article"] not in entry["articles"]:
            entry["articles"].append(claim["article"])
    return list(by_identity.values())


def _disputed(
    reports: Sequence[ReportFacts],
    claims: Sequence[Mapping[str, Any]],
    tolls: Mapping[str, Figures],
) -> list[str]:
    disputed = []
    blamed = {
        side(str(c["value"]))
        for c in claims
        if c["property"] == "perpetrator" and c["value"] and c.get("hedge") != "denied"
    }
    if len(blamed) > 1 or any(r.event.get("perpetrator_disputed") for r in reports):
        disputed.append("perpetrator")
    bests = [f.best for f in tolls.values() if f.best and not _vague(f)]
    if len(bests) >= 2 and max(bests) > 2 * min(bests):
        disputed.append("fatalities")
    return disputed


def _report_entry(report: ReportFacts) -> dict[str, Any]:
    return {"article": dict(report.article), "event": report.key, **dict(report.link)}

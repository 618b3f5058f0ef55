"""What the pages draw from the store's answers: highlighted text, the timeline, quotes.

Everything here returns escaped markup or plain data. Text from pages is never
trusted: :func:`highlight_claims` escapes every character of the article and
adds only its own ``<mark>`` elements, so scraped markup cannot reach the browser.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

#: The timeline's drawing area in SVG units; the browser scales it to the page width.
TIMELINE_WIDTH, TIMELINE_HEIGHT = 600, 120
#: A span longer than this is drawn by week, so bars stay wider than a pixel.
DAILY_SPAN_DAYS = 400


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of the timeline: a day (or week), its fatalities and where to draw it."""

    day: date
    fatalities: int
    x: float
    y: float
    width: float
    height: float


def highlight_claims(text: str, claims: list[dict[str, Any]]) -> Markup:
    """``text`` escaped, each claim's words wrapped in ``<mark>`` (overlaps keep the first).

    A claim whose offsets do not fit the text (a hand-edited record) is left out
    rather than marking the wrong words.
    """
    # The id is the offsets, so the event page can link to the words (#claim-START-END).
    spans = sorted(
        (
            (c["start"], c["end"], c)
            for c in claims
            if isinstance(c.get("start"), int)
            and isinstance(c.get("end"), int)
            and 0 <= c["start"] < c["end"] <= len(text)
        ),
        key=lambda span: span[:2],
    )
    parts: list[str] = []
    cursor = 0
    for start, end, claim in spans:
        if start < cursor:
            continue
        label = f"{claim.get('source_name') or claim.get('source')}: {claim.get('property')}"
        parts.append(str(escape(text[cursor:start])))
        parts.append(
            f'<mark id="claim-{start}-{end}" class="claim {escape(claim.get("property"))}" '
            f'title="{escape(label)}">{escape(text[start:end])}</mark>'
        )
        cursor = end
    parts.append(str(escape(text[cursor:])))
    return Markup("".join(parts))


def timeline_bars(daily: Mapping[date, int]) -> list[Bar]:
    """Fatalities (reconciled best) per day of the events' start, as bars to draw.

    Days without events get no bar but keep their place, so gaps show as gaps. Over
    more than :data:`DAILY_SPAN_DAYS` the bars are weeks (from Monday).
    """
    per_day = Counter(daily)
    if not per_day:
        return []
    first, last = min(per_day), max(per_day)
    step = 1
    if (last - first).days > DAILY_SPAN_DAYS:
        per_day, step = _by_week(per_day), 7
        first, last = min(per_day), max(per_day)
    slot = TIMELINE_WIDTH / ((last - first).days // step + 1)
    peak = max(per_day.values()) or 1
    bars = []
    for day, fatalities in sorted(per_day.items()):
        height = TIMELINE_HEIGHT * fatalities / peak
        x = (day - first).days // step * slot
        bars.append(
            Bar(
                day,
                fatalities,
                round(x, 2),
                round(TIMELINE_HEIGHT - height, 2),
                round(max(slot * 0.8, 1.0), 2),
                round(height, 2),
            )
        )
    return bars


def timeline_rects(bars: list[Bar]) -> Markup:
    """The timeline's bars as SVG ``<rect>`` elements, each titled with its day and toll.

    Built here rather than in the template: a page draws up to 400 bars, and
    Jinja's escaping of their six values each was half the page's rendering time.
    Every value is a number or an ISO date that this module made, so none needs escaping.
    """
    return Markup(
        "".join(
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}">'
            f"<title>{bar.day.isoformat()}: {bar.fatalities:d} killed</title></rect>"
            for bar in bars
        )
    )


def claim_quote(text: str, claim: dict[str, Any], *, context: int = 80) -> tuple[str, str, str]:
    """The claim's words and some text either side, as (before, words, after), for the event page.

    Without the article's text (or with offsets that do not fit it), the words alone.
    """
    start, end = claim.get("start"), claim.get("end")
    words = str(claim.get("text") or "")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        return "", words, ""
    left, right = max(0, start - context), min(len(text), end + context)
    before = ("…" if left else "") + text[left:start].lstrip()
    after = text[end:right].rstrip() + ("…" if right < len(text) else "")
    return before, text[start:end], after


def _by_week(per_day: Counter[date]) -> Counter[date]:
    weeks: Counter[date] = Counter()
    for day, fatalities in per_day.items():
        weeks[day - timedelta(days=day.weekday())] += fatalities
    return weeks

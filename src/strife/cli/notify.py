"""``strife notify``: tell users what changed (watch rules, followed events), then send it."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape

from strife.cli import DbOption, JsonOption, SetOption, app, stdout
from strife.settings import load_settings


@app.command()
def notify(
    db: DbOption = None,
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"],
            metavar="TIME",
            help="Look at events created or revised since TIME (ISO day or time, UTC unless "
            "it has an offset). Default: since the previous run started, or the last day.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    assignments: SetOption = None,
) -> None:
    """Match new and revised events against watch rules and follows, then deliver.

    Writes in-app notifications (once per user and thing told), then sends the
    pending and earlier failed deliveries: email through smtp_host, and JSON
    posts to each webhook, signed with HMAC-SHA256. A server that is down is
    recorded on the delivery and tried again next run (notify_attempts tries).
    Run it after each ingest, or from cron.
    """
    from strife.store.repository import open_repository
    from strife.store.watches import evaluate_watches

    settings = load_settings(assignments or [])
    with open_repository(db or settings.db, busy_timeout=settings.db_busy_timeout) as repository:
        report = evaluate_watches(repository, since=since, settings=settings)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        return
    for notification in report.notifications:
        stdout.print(f"{notification.kind}: {escape(notification.message)}")
    sent = report.deliveries
    stdout.print(
        f"{len(report.notifications)} new notifications since "
        f"{report.since.isoformat(timespec='seconds')}; deliveries: {sent.sent} sent, "
        f"{sent.failed} failed (tried again next run), {sent.abandoned} abandoned"
    )

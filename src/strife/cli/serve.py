"""``strife serve``: the record as a web app (pages, map, JSON API, accounts)."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer
from rich.markup import escape

from strife.cli import DbOption, SetOption, app, stderr
from strife.settings import ENV_PREFIX, load_settings


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar="ADDRESS",
            help="Address to listen on; 127.0.0.1 keeps it to this machine. Put a TLS "
            "proxy in front before listening on others (and set web_secure_cookies).",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            metavar="N",
            min=1,
            max=64,
            help="Server processes. More than one needs PostgreSQL or a SQLite file that "
            "many readers share well; sign-in rate limits then count per process.",
        ),
    ] = 1,
    assignments: SetOption = None,
) -> None:
    """Serve the record in the browser, with a JSON API (/api, described at /openapi.json).

    Pages: the events (list, map, timeline of fatalities), each event with its
    claims, reports and history, each article with its claims highlighted, each
    source. Reading is open; the first account registered becomes the admin, who
    makes others analysts (they may merge, split and correct fields). Stop with
    Ctrl-C.
    """
    import uvicorn

    from strife.web.app import create_app

    settings = load_settings(assignments or [])
    web_app = create_app(settings, db=db)  # opens and migrates the database once, here
    stderr.print(f"strife: serving {escape(web_app.state.repository.url)} at http://{host}:{port}/")
    if workers == 1:
        uvicorn.run(web_app, host=host, port=port, log_level="warning")
        return
    web_app.state.repository.close()
    # Each worker builds its app from the environment, so the settings go there; with
    # one session key for all, or a request reaching another worker would sign one out.
    os.environ.update(_environment(assignments or [], db, settings.web_secret))
    uvicorn.run(
        "strife.web.app:create_app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )


def _environment(assignments: list[str], db: str | None, secret: str) -> dict[str, str]:
    """The ``STRIFE_*`` variables that give a worker this command's settings."""
    environment = {
        ENV_PREFIX + name.strip().upper().replace("-", "_"): value
        for name, _, value in (assignment.partition("=") for assignment in assignments)
    }
    if db:
        environment[ENV_PREFIX + "DB"] = db
    if not secret:
        environment[ENV_PREFIX + "WEB_SECRET"] = secrets.token_urlsafe(32)
    return environment

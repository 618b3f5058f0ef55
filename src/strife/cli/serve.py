"""``strife serve``: the record as a web app (pages, map, JSON API, accounts)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from strife.cli import DbOption, SetOption, app, stderr
from strife.settings import load_settings


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
    web_app = create_app(settings, db=db)
    stderr.print(f"strife: serving {escape(web_app.state.repository.url)} at http://{host}:{port}/")
    uvicorn.run(web_app, host=host, port=port, log_level="warning")

"""`attain serve` (the API and the dashboard) and `attain token` (API tokens)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.output import Output, console, print_json
from attain.cli.read import ANOTHER_STORE, note, note_empty, now
from attain.engine.instant import to_us
from attain.services import store as stored
from attain.settings import DATA_DIR_VARIABLE, DATABASE_URL_VARIABLE, Settings

if TYPE_CHECKING:
    from attain.ports import Store
    from attain.services.store import OpenedStore
    from attain.storage.access import StoredToken

DEMO_DIR = Path("attain-demo")
"""Where `attain demo` leaves its store by default."""

token = typer.Typer(help="API tokens: create (shown once), list, revoke.", no_args_is_help=True)
app.add_typer(token, name="token")


def serve_settings(environ: dict[str, str], cwd: Path) -> tuple[Settings, str | None]:
    """The settings to serve, and a note when they fall back to the demo's store.

    With no database configured and no store in the default place, but a store left by
    `attain demo` here, serve that one (and say so): `attain demo` then `attain serve` just works.
    """
    settings = Settings.from_environ(environ, cwd)
    configured = environ.get(DATABASE_URL_VARIABLE) or environ.get(DATA_DIR_VARIABLE)
    demo = cwd / DEMO_DIR / "attain.db"
    if not configured and not (settings.data_dir / "attain.db").exists() and demo.exists():
        note = f"serving the demo's store {demo} (set {DATA_DIR_VARIABLE} or {DATABASE_URL_VARIABLE} to choose)"
        return replace(settings, database_url=f"sqlite:///{demo}", data_dir=demo.parent), note
    return settings, None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    max_body: Annotated[int, typer.Option(help="Largest request body in bytes.")] = 8 * 1024 * 1024,
    header_timeout: Annotated[
        float,
        typer.Option(
            min=0.1, help="Seconds a client has to send a request's headers; then 408 and the connection closed."
        ),
    ] = 10.0,
    with_scheduler: Annotated[
        bool,
        typer.Option("--scheduler", help="Also run the scheduler in this process (the one-process SQLite setup)."),
    ] = False,
) -> None:
    """Serve the API (/api/v1, OpenAPI at /api/v1/docs) and the dashboard (/), on one uvicorn worker."""
    import uvicorn  # noqa: PLC0415 - the server loads only for this command

    from attain.http.header_timeout import header_timeout_protocol  # noqa: PLC0415
    from attain.http.request_log import check_log_settings, log_to  # noqa: PLC0415
    from attain.server import create_server  # noqa: PLC0415
    from attain.services.runtime import create_runtime  # noqa: PLC0415
    from attain.services.tokens import ensure_admin  # noqa: PLC0415
    from attain.storage.database import display_url  # noqa: PLC0415

    settings, note = serve_settings(dict(os.environ), Path.cwd())
    check_log_settings(settings)
    log_to(sys.stderr, settings)
    if note:
        console().print(note)
    runtime = create_runtime(settings)
    url = display_url(settings.database_url)
    console().print(f"store: {url}", markup=False)
    if not runtime.store.agreements():
        note_empty(url)
    issued = ensure_admin(runtime.access, runtime.now())
    if issued is not None:
        console().print(f"admin token (shown once, keep it): [bold]{issued.secret}[/bold]")
    console().print(f"attain serves http://{host}:{port}/ (API: http://{host}:{port}/api/v1/docs)")
    app = create_server(runtime=runtime, max_body_bytes=max_body)
    stop_scheduler = _start_scheduler(settings) if with_scheduler else None
    try:
        # uvicorn's own access log would print query strings (and so any secret in one): ours replaces it.
        # uvicorn has no deadline for a request's headers: the protocol adds one (attain.http.header_timeout).
        http = header_timeout_protocol(header_timeout)
        uvicorn.run(app, host=host, port=port, workers=1, log_level="warning", access_log=False, http=http)
    finally:
        if stop_scheduler is not None:
            stop_scheduler()
        runtime.close()


def _start_scheduler(settings: Settings) -> Callable[[], None]:
    """Run the scheduler in a background thread of this process; return what stops it (and waits for its tick)."""
    from attain.cli.scheduler import create_notifying  # noqa: PLC0415
    from attain.services.scheduler import log_to  # noqa: PLC0415

    log_to(sys.stderr, settings)
    running = create_notifying(settings)
    stop = threading.Event()
    # uvicorn answers SIGTERM by shutting down, then raises it again under the handler found before it:
    # this one lets `serve` return, so that the scheduler finishes its tick and releases its lease.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    thread = threading.Thread(target=running.run, args=(stop,), name="attain-scheduler", daemon=True)
    thread.start()
    console().print(f"scheduler: a tick every {running.interval} s in this process")

    def stopped() -> None:
        stop.set()
        thread.join()
        running.close()

    return stopped


@token.command("create")
def create_token(
    role: Annotated[str, typer.Option(help="admin, editor, viewer or customer.")],
    party: Annotated[str | None, typer.Option(help="For a customer: the customer party's name.")] = None,
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    expires: Annotated[str | None, typer.Option(help="Expiry, ISO 8601 with an offset; default: never.")] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Create a token and print its secret (shown only this once; only its hash is stored)."""
    from attain.services.tokens import issue_token  # noqa: PLC0415

    opened = _opened()
    until = parse_instant(expires, "--expires")
    issued = issue_token(opened.access, role, party, label, now(), None if until is None else to_us(until))
    if party:
        _warn_of_unknown_party(opened.store, party)
    if output is Output.JSON:
        print_json(_row(issued.stored) | {"token": issued.secret})
    else:
        console().print(f"token {issued.stored.id} ({issued.stored.role}): {issued.secret}")


@token.command("list")
def list_tokens(output: OutputOption = Output.TEXT) -> None:
    """List the tokens (never their secrets)."""
    rows = [_row(t) for t in _opened().access.tokens()]
    if output is Output.JSON:
        print_json(rows)
        return
    for row in rows:
        state = "revoked" if row["revokedAt"] else "active"
        party = f" for {row['party']}" if row["party"] else ""
        console().print(f"{row['id']:>4}  {row['prefix']}…  {row['role']}{party}  {state}  {row['label']}")


@token.command("revoke")
def revoke_token(token_id: Annotated[int, typer.Argument(help="The token's id (see `attain token list`).")]) -> None:
    """Revoke a token: it stops working at once."""
    revoked = _opened().access.revoke_token(token_id, now())
    if revoked is None:
        console().print(f"no token {token_id}")
        raise typer.Exit(1)
    console().print(f"token {token_id} revoked")


def _warn_of_unknown_party(store: Store, party: str) -> None:
    """Warn on stderr when no stored agreement has `party` as its customer, listing the customers there are."""
    from attain.services.tokens import customer_parties  # noqa: PLC0415

    known = customer_parties(store)
    if party not in known:
        listed = ", ".join(repr(p) for p in known) or "none, the store holds no agreement"
        note(f"warning: no stored agreement has the customer party {party!r}, so the token sees nothing yet")
        note(f"  customer parties of the stored agreements: {listed}")


def _opened() -> OpenedStore:
    """The store the token commands work on, announced on stderr as the other store commands do when new or empty."""
    settings, _ = serve_settings(dict(os.environ), Path.cwd())
    opened = stored.open_store_noting(settings)
    if opened.created:
        note(f"created a new store at {opened.url} ({ANOTHER_STORE})")
    if not opened.store.agreements():
        note_empty(opened.url)
    return opened


def _row(stored: StoredToken) -> dict[str, object]:
    from attain.api.views import token_out  # noqa: PLC0415

    return token_out(stored).model_dump(by_alias=True)

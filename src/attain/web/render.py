"""Pages as HTML responses: the Jinja2 environment, the security headers, specs embedded as JSON.

Templates autoescape. Chart specs go into `<script type="application/json">` blocks, which run
nothing; `json_block` escapes `<`, `>` and `&` so that no text in a spec can close the block.
Every page carries the Content-Security-Policy below: scripts only from this server (no inline
script, no eval), so injected markup could not run code even if escaping ever failed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from attain.web.language import Words, choose_language

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'"
)
"""The policy of every dashboard page."""
DOWNLOAD_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
"""The policy of a downloaded document shown in the browser: it runs nothing and loads nothing."""
PAGE_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}
"""The headers of every dashboard page."""

TEMPLATES = Path(__file__).parent / "templates"
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_block(value: Any) -> Markup:
    """A value as JSON that is safe inside `<script type="application/json">`."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)  # noqa: S704 - every character that could end the block is escaped above


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["json_block"] = json_block
    return environment


ENVIRONMENT = _environment()


def words_for(request: Request) -> Words:
    """The words of the language this request's page is shown in."""
    return Words.of(choose_language(request))


def page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render `template` with `context` (plus the words and the request) as a page with the security headers."""
    words = context.get("t") or words_for(request)
    body = ENVIRONMENT.get_template(template).render({"t": words, "request": request} | context)
    return HTMLResponse(body, status_code=status, headers=PAGE_HEADERS)

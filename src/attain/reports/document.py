"""Documents from templates: one Jinja2 environment per output form, autoescape always on.

Names and prose in agreements are untrusted. Every template, Markdown included, is rendered
with `autoescape=True`, so `<script>` in a name comes out as text; the Markdown environment
also backslash-escapes the characters that would make Markdown syntax (links, images, emphasis,
tables) out of a value. Templates never build a link or an image from agreement data.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from attain.errors import MissingExtra

_MARKDOWN_SIGNIFICANT = re.compile(r"([\\`*_\[\]|~!#])")


class Format(StrEnum):
    """The forms a document is written in."""

    HTML = "html"
    PDF = "pdf"
    MD = "md"
    JSON = "json"


def escape_markdown(value: Any) -> Any:
    """Escape a plain value for Markdown; trusted markup and non-text values pass unchanged.

    `&`, `<` and `>` become HTML entities, so no tag can form; Markdown syntax characters get a
    backslash, so no link, image, emphasis or table cell can form.
    """
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(_MARKDOWN_SIGNIFICANT.sub(r"\\\1", text))  # noqa: S704 - escaped just above


@cache
def environment(markdown: bool) -> Environment:
    """The environment for HTML (`markdown=False`) or Markdown templates."""
    return Environment(
        loader=PackageLoader("attain.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=escape_markdown if markdown else None,
    )


def render(name: str, context: dict[str, Any], fmt: Format, language: str) -> bytes:
    """Render template `name` (`name.md.j2` or `name.html.j2`) as Markdown, HTML or PDF bytes."""
    if fmt is Format.MD:
        return environment(markdown=True).get_template(f"{name}.md.j2").render(context).encode()
    html = environment(markdown=False).get_template(f"{name}.html.j2").render(context | {"lang": language})
    if fmt is Format.PDF:
        try:
            from attain.reports.pdf import html_to_pdf  # noqa: PLC0415 - WeasyPrint loads only for PDFs
        except (ImportError, OSError) as error:
            raise MissingExtra(
                f"PDF output needs WeasyPrint and its system libraries ({error}); "
                "install them with `pip install 'attain[pdf]'` and `scripts/system-packages`"
            ) from None
        return html_to_pdf(html)
    if fmt is Format.HTML:
        return html.encode()
    raise ValueError(f"{name} has no {fmt.value} form")

"""HTML to PDF with WeasyPrint, fetching nothing from outside.

The documents are self-contained: CSS and charts are inline. The URL fetcher refuses every URL
(`file://`, `http(s)://`, `javascript:`, and `data:` URIs that are not among the bundled assets),
so an image or stylesheet smuggled into an agreement's text can neither read a local file nor
reach the network. Fonts come from the system (fontconfig), which is how the CJK font is found.
"""

from __future__ import annotations

from typing import Any

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BUNDLED_ASSETS: dict[str, bytes] = {}
"""data: URIs of assets attain ships, by URI; empty today (charts are inline SVG)."""


class RefusingFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher that serves bundled assets and refuses everything else."""

    refused: list[str]

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), fail_on_errors=False)
        self.refused = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Serve a bundled asset, or raise ValueError (WeasyPrint then leaves the resource out)."""
        del headers
        if url in BUNDLED_ASSETS:
            return URLFetcherResponse(url, BUNDLED_ASSETS[url], {"Content-Type": "application/octet-stream"})
        self.refused.append(url)
        raise ValueError(f"attain documents fetch nothing: refused {url[:80]!r}")


def html_to_pdf(html: str, fetcher: RefusingFetcher | None = None) -> bytes:
    """Lay out self-contained HTML as PDF; any URL in it is refused, never fetched.

    Args:
        html: The document, with its CSS and charts inline.
        fetcher: The fetcher to use (tests pass one to read what it refused); default: a new one.
    """
    document = HTML(string=html, base_url=None, url_fetcher=fetcher or RefusingFetcher())
    pdf: bytes = document.write_pdf()
    return pdf

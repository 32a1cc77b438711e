"""Industry agreement templates that `attain init --template NAME` writes.

Each template is a complete `attain/v1` agreement in YAML, shipped as package data under
`attain/formats/templates/<language>/<name>.yaml`, in English (`en`) and Simplified Chinese
(`zh-CN`). Both variants of a template state the same agreement with the same numbers; only the
prose differs.
"""

from __future__ import annotations

from importlib.resources import files

from attain.errors import UnknownTemplate

TEMPLATES: tuple[str, ...] = (
    "cloud-uptime",
    "ambulance-response",
    "ecommerce",
    "parcel-delivery",
    "cloud-backup",
    "video-streaming",
    "video-conferencing",
    "support-desk",
    "api-latency",
    "ai-customer-service",
)
"""The template names, in the order `attain init --list` shows them."""

LANGUAGES: tuple[str, ...] = ("en", "zh-CN")
"""The languages every template is written in."""

_SUMMARIES: dict[str, str] = {
    "cloud-uptime": "Cloud platform: 99.9% monthly availability from incidents, credit tiers, maintenance window.",
    "ambulance-response": "Ambulance service: 90% of emergency calls reached within 15 minutes, mean under 8 minutes.",
    "ecommerce": "Online store: 95% of page views load under 2 s, 99% of orders processed within 1 hour.",
    "parcel-delivery": "Parcel carrier: 95% of parcels delivered by the promised date each month.",
    "cloud-backup": "Managed backup: a successful backup at least every 24 hours, fee reduction when missed.",
    "video-streaming": "Video streaming: streams playable 95% of the time, measured by probes in 1-minute slices.",
    "video-conferencing": "Video meetings: 99% of meeting minutes without interruption.",
    "support-desk": "Support desk: first response and resolution by priority in China business hours.",
    "api-latency": "Public API: 95% of requests under 5 s over 28 days with burn-rate alerts, 99.9% success.",
    "ai-customer-service": "AI customer service: bot answers in 3 s, a human within 5 min when asked, 75% resolved.",
}


def template_text(name: str, language: str = "en") -> str:
    """Return the YAML text of a template in one language.

    Args:
        name: The template's name, one of `TEMPLATES`.
        language: The language of its prose, one of `LANGUAGES`.

    Returns:
        The template's YAML text, as shipped with the package.

    Raises:
        UnknownTemplate: If no template is called `name`.
        ValueError: If `language` is not one of `LANGUAGES`.
    """
    if name not in TEMPLATES:
        raise UnknownTemplate(name, list(TEMPLATES))
    if language not in LANGUAGES:
        raise ValueError(f"no template language {language!r}; choose one of {', '.join(LANGUAGES)}")
    resource = files("attain.formats") / "templates" / language / f"{name}.yaml"
    return resource.read_text(encoding="utf-8")


def describe_template(name: str) -> str:
    """Return a one-line English summary of a template, for `attain init --list`.

    Args:
        name: The template's name, one of `TEMPLATES`.

    Returns:
        What the template's agreement promises, in one line.

    Raises:
        UnknownTemplate: If no template is called `name`.
    """
    if name not in TEMPLATES:
        raise UnknownTemplate(name, list(TEMPLATES))
    return _SUMMARIES[name]

"""Sloth's SLO specs: `prometheus/v1` files and `PrometheusServiceLevel` resources.

`parse_sloth` reads a document of either spec into the types below and refuses any other
`version` (such as `prometheus/v999`) with a located problem. The models are strict: an
unknown field is an error, not silently dropped, with one tolerance: in a `prometheus/v1` file
the Kubernetes spellings `pageAlert`/`ticketAlert` are read as `page_alert`/`ticket_alert`
(Sloth's own validation test files use them there). `attain.rules.sloth` turns a spec into the
rule generator's SLOs, and `attain.rules.validate` makes Sloth `validate`'s checks on them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field

from attain.errors import InvalidAgreement
from attain.formats.sloth.document import SlothModel, validate_document
from attain.formats.source import SourceDocument

PROMETHEUS_V1 = "prometheus/v1"
"""The `version` of a Sloth spec file."""

KUBERNETES_V1 = "sloth.slok.dev/v1"
"""The `apiVersion` of Sloth's Kubernetes resources."""


def _text(value: Any) -> Any:
    """Label values written as numbers or booleans (`tier: 2`) are read as their text, as Sloth does."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_text)]
LabelMap = dict[str, Text]


class Alert(SlothModel):
    """A page or ticket alert's switch, labels and annotations."""

    disable: bool = False
    labels: LabelMap | None = None
    annotations: LabelMap | None = None


class SLIEvents(SlothModel):
    """Error events over total events (`prometheus/v1` spelling)."""

    error_query: str = Field(validation_alias=AliasChoices("error_query", "errorQuery"))
    total_query: str = Field(validation_alias=AliasChoices("total_query", "totalQuery"))


class SLIRaw(SlothModel):
    """A ready error ratio."""

    error_ratio_query: str = Field(validation_alias=AliasChoices("error_ratio_query", "errorRatioQuery"))


class SLIPlugin(SlothModel):
    """An SLI plugin: named, but not supported by attain (it would run Sloth's Go plugins)."""

    id: str
    options: LabelMap | None = None


class SLI(SlothModel):
    """The indicator: exactly one of events, raw (plugins are refused)."""

    events: SLIEvents | None = None
    raw: SLIRaw | None = None
    plugin: SLIPlugin | None = None


class Alerting(SlothModel):
    """The SLO's alerts: a common name, labels and annotations, and the page and ticket alerts."""

    name: str = ""
    labels: LabelMap | None = None
    annotations: LabelMap | None = None
    page_alert: Alert = Field(default_factory=Alert, validation_alias=AliasChoices("page_alert", "pageAlert"))
    ticket_alert: Alert = Field(default_factory=Alert, validation_alias=AliasChoices("ticket_alert", "ticketAlert"))


class SLO(SlothModel):
    """One SLO of a spec."""

    name: str = ""
    description: str = ""
    objective: Decimal | int = 0
    labels: LabelMap | None = None
    info_labels: LabelMap | None = Field(default=None, validation_alias=AliasChoices("infoLabels", "info_labels"))
    sli: SLI = Field(default_factory=SLI)
    alerting: Alerting = Field(default_factory=Alerting)


class PrometheusV1(SlothModel):
    """A Sloth `prometheus/v1` spec."""

    version: Literal["prometheus/v1"]
    service: str = ""
    labels: LabelMap | None = None
    slos: list[SLO] = Field(min_length=1)


class KubernetesMetadata(BaseModel):
    """A resource's metadata; fields attain does not use (uid, ...) are allowed and ignored."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str
    namespace: str | None = None
    labels: LabelMap | None = None
    annotations: LabelMap | None = None


class KubernetesSpec(SlothModel):
    """The spec of a `PrometheusServiceLevel`."""

    service: str = ""
    labels: LabelMap | None = None
    slos: list[SLO] = Field(min_length=1)


class PrometheusServiceLevel(BaseModel):
    """A `sloth.slok.dev/v1` `PrometheusServiceLevel` resource."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    api_version: Literal["sloth.slok.dev/v1"] = Field(alias="apiVersion")
    kind: Literal["PrometheusServiceLevel"]
    metadata: KubernetesMetadata
    spec: KubernetesSpec
    status: dict[str, Any] | None = None


def is_sloth(data: Any) -> bool:
    """Whether a document is a Sloth spec (any `version`) or a `PrometheusServiceLevel`."""
    if not isinstance(data, dict):
        return False
    return "version" in data or data.get("kind") == "PrometheusServiceLevel"


def parse_sloth(document: SourceDocument) -> PrometheusV1 | PrometheusServiceLevel:
    """Read one Sloth document: a `prometheus/v1` spec or a `PrometheusServiceLevel` resource.

    Raises:
        InvalidAgreement: If the version is not supported or a field is unknown or of the wrong type.
    """
    data = document.data
    if isinstance(data, dict) and "version" in data:
        if data["version"] != PROMETHEUS_V1:
            raise InvalidAgreement(
                [document.problem(("version",), f"unsupported version {data['version']!r}", "use prometheus/v1")]
            )
        return validate_document(PrometheusV1, document)
    if isinstance(data, dict) and data.get("apiVersion") != KUBERNETES_V1:
        version = data.get("apiVersion")
        problem = document.problem(("apiVersion",), f"unsupported apiVersion {version!r}", "use sloth.slok.dev/v1")
        raise InvalidAgreement([problem])
    return validate_document(PrometheusServiceLevel, document)

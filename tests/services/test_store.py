"""`apply_files` stores agreements, with the OpenSLO SLOs they reference, and refuses a file that gives it nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from attain.errors import InvalidInput
from attain.services.store import apply_files
from attain.testing import MemoryStore

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance" / "data"
OPENSLO_SLO = CONFORMANCE / "openslo" / "spec-examples" / "v1" / "budgeting-method" / "occurences-slo.yaml"
SLOTH_SPEC = CONFORMANCE / "sloth" / "examples" / "getting-started.yml"
PYRRA_SPEC = CONFORMANCE / "pyrra" / "kubernetes-slos" / "slo-coredns-response-errors.yaml"

AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: shop}
spec:
  title: Shop
  parties: {provider: {name: P}, customer: {name: C}}
  purpose: x
  effective: {from: 2026-01-01}
  services: [{name: web-shop}]
  objectives:
    - openslo: search-slo
      service: web-shop
"""

SLO_HINT = (
    "an agreement's objective may say `openslo: <SLO name>`; apply an agreement that references it together with "
    "this file"
)


def spec_hint(path: object) -> str:
    """The hint for a Sloth or Pyrra spec applied alone: `attain import` drafts an agreement from it."""
    return f"`attain import {path} --out agreement.yaml` drafts an attain/v1 Agreement from it, to validate or apply"


def slo_hint(path: object) -> str:
    """The hint for an OpenSLO SLO applied with no agreement: import it, or reference it from one."""
    return f"`attain import {path} --out agreement.yaml` drafts an agreement from it; or {SLO_HINT}"


def refused(paths: list[Path]) -> list[str]:
    """The problems `apply_files` raises on a fresh store, checking that it stored nothing."""
    store = MemoryStore()
    with pytest.raises(InvalidInput) as raised:
        apply_files(store, paths, now=0)
    assert store.agreements() == []
    return [str(p) for p in raised.value.problems]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            OPENSLO_SLO,
            "2:1: (document): holds OpenSLO SLO 'search-slo' and no attain/v1 Agreement, so there is nothing to "
            "store; {slo_hint}",
        ),
        (
            SLOTH_SPEC,
            "1:10: version: a Sloth spec, not an attain/v1 Agreement or OpenSLO object; `attain rules` reads Sloth "
            "specs; {spec_hint}",
        ),
        (PYRRA_SPEC, "1:13: apiVersion: a Pyrra spec, not an attain/v1 Agreement or OpenSLO object; {spec_hint}"),
    ],
    ids=["openslo-slo", "sloth-spec", "pyrra-spec"],
)
def test_a_file_without_an_agreement_is_refused(tmp_path: Path, source: Path, expected: str) -> None:
    """An OpenSLO SLO, a Sloth spec or a Pyrra spec alone is refused with a problem naming what it is."""
    path = tmp_path / source.name
    shutil.copy(source, path)
    message = expected.format(slo_hint=slo_hint(path), spec_hint=spec_hint(path))
    assert refused([path]) == [f"{path}:{message}"]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    """A file with no document in it is refused."""
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    hint = "apply a file that holds an attain/v1 Agreement (attain init writes one)"
    assert refused([path]) == [f"{path}:1:1: (document): empty: no attain/v1 Agreement to store; {hint}"]


def test_an_openslo_file_with_the_agreement_that_references_it_is_applied(tmp_path: Path) -> None:
    """An agreement whose objective says `openslo: search-slo` is stored when applied with the SLO's file."""
    (tmp_path / "shop.yaml").write_text(AGREEMENT, encoding="utf-8")
    shutil.copy(OPENSLO_SLO, tmp_path / "slo.yaml")
    store = MemoryStore()
    [applied] = apply_files(store, [tmp_path / "slo.yaml", tmp_path / "shop.yaml"], now=0)
    assert (applied.version.name, applied.version.version, applied.created) == ("shop", 1, True)
    assert [v.name for v in store.agreements()] == ["shop"]


def test_an_openslo_file_no_agreement_references_is_refused_beside_one(tmp_path: Path) -> None:
    """An SLO file that the agreement applied with it does not reference refuses the whole apply."""
    (tmp_path / "shop.yaml").write_text(AGREEMENT, encoding="utf-8")
    shutil.copy(OPENSLO_SLO, tmp_path / "slo.yaml")
    other = tmp_path / "other.yaml"
    other.write_text(OPENSLO_SLO.read_text(encoding="utf-8").replace("search-slo", "cart-slo"), encoding="utf-8")
    assert refused([tmp_path / "shop.yaml", tmp_path / "slo.yaml", other]) == [
        f"{other}:2:1: (document): holds OpenSLO SLO 'cart-slo', which no agreement applied with it references; "
        f"{SLO_HINT}"
    ]


def test_an_openslo_file_of_other_kinds_is_refused(tmp_path: Path) -> None:
    """A file of OpenSLO objects other than SLOs (a Service) says that apply has no use for it."""
    path = tmp_path / "service.yaml"
    path.write_text("apiVersion: openslo/v1\nkind: Service\nmetadata: {name: web-shop}\nspec: {}\n", encoding="utf-8")
    hint = "apply stores agreements and the OpenSLO SLOs and SLIs they use; leave this file out"
    assert refused([path]) == [
        f"{path}:1:1: (document): holds OpenSLO Service 'web-shop' and no attain/v1 Agreement, so there is nothing "
        f"to store; {hint}"
    ]


SLO_BY_REFERENCE = """\
apiVersion: openslo/v1
kind: SLO
metadata: {name: search-slo}
spec:
  service: web-shop
  indicatorRef: search-latency
  timeWindow: [{duration: 2w, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{displayName: Good experience, op: lt, value: 500, target: 0.99}]
"""

SLI = """\
apiVersion: openslo/v1
kind: SLI
metadata: {name: search-latency}
spec:
  thresholdMetric: {metricSource: {type: Any, spec: {query: Any}}}
"""


def test_an_sli_file_the_referenced_slo_names_is_applied(tmp_path: Path) -> None:
    """A file holding only the SLI that a referenced SLO names as `indicatorRef` is used, so the apply succeeds."""
    (tmp_path / "shop.yaml").write_text(AGREEMENT, encoding="utf-8")
    (tmp_path / "slo.yaml").write_text(SLO_BY_REFERENCE, encoding="utf-8")
    (tmp_path / "sli.yaml").write_text(SLI, encoding="utf-8")
    store = MemoryStore()
    apply_files(store, [tmp_path / "shop.yaml", tmp_path / "slo.yaml", tmp_path / "sli.yaml"], now=0)
    assert [v.name for v in store.agreements()] == ["shop"]

"""What changed between two versions of an agreement, term by term.

`diff` walks both agreements field by field and yields one `Change` per difference, so nothing the
documents say is left out: a new field in the model is compared without a line here. Lists whose
items have names (objectives, services, calendars, termination rights by their condition) are
matched by name, and credit tiers by their edges, so "credit tier below 99%: 25% → 30%" is one
change rather than a removed and an added tier. Other lists (exclusions, scope lines) are compared
as sets: what left and what came.

Each change says whether it touches the contract's terms (what the parties promise each other:
targets, windows, credits, exclusions, termination, notice, fees, the texts of clauses) or only
how the provider operates it (`OPERATIONAL`: metric queries, event stream names, alert policies,
report recipients, labels, and the date a version takes effect, which every new version has and the
change clause's notice governs). A change of terms needs both parties; an operational one needs the
provider only (docs/format.md, "Changing an agreement").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from pydantic import BaseModel

from attain.model import Agreement
from attain.model.credit import CreditTier, Fee
from attain.model.window import CalendarWindow, RollingWindow

OPERATIONAL: tuple[str, ...] = (
    "metadata.labels*",
    "metadata.annotations*",
    "metadata.displayName",
    "spec.effective.from",
    "spec.objectives.*.alerting*",
    "spec.objectives.*.indicator.metric*",
    "spec.objectives.*.indicator.events",
    "spec.reporting.recipients*",
    "spec.services.*.owner",
    "spec.notify*",
)
"""Field paths (glob patterns over `Change.where`) that only say how the provider operates the agreement."""

WHOLE: tuple[type[BaseModel], ...] = (Fee, CalendarWindow, RollingWindow)
"""Values compared whole: a fee or a window is one term, its parts mean nothing alone."""

IGNORED: frozenset[str] = frozenset({"spec.version", "spec.status"})
"""Fields that differ between any two versions by design; the diff's header states them."""


@dataclass(frozen=True)
class Change:
    """One difference between two versions.

    Attributes:
        path: the field's place, as the document spells it: field names (YAML aliases) and, for
            named list items, the item's name: `("spec", "objectives", "availability", "target")`.
        before: the value in the first version; None when the second version adds it.
        after: the value in the second version; None when it was removed.
        terms: whether the change touches the contract's terms (both parties agree to it).
    """

    path: tuple[str, ...]
    before: Any
    after: Any
    terms: bool

    @property
    def where(self) -> str:
        """The path joined with dots: `spec.objectives.availability.target`."""
        return ".".join(self.path)

    @property
    def added(self) -> bool:
        """Whether the second version adds what the first did not have."""
        return self.before is None and self.after is not None

    @property
    def removed(self) -> bool:
        """Whether the second version drops what the first had."""
        return self.before is not None and self.after is None


def diff(before: Agreement, after: Agreement) -> tuple[Change, ...]:
    """Every difference between two agreements (usually two versions of one), in document order.

    Args:
        before: the earlier version.
        after: the later version.

    Returns:
        The changes, fields in the order the model declares them, named items in the order of
        `before` and then the new ones in the order of `after`. Empty when only the version
        number or status differ (`IGNORED`).
    """
    return tuple(_walk(("metadata",), before.metadata, after.metadata)) + tuple(
        _walk(("spec",), before.spec, after.spec)
    )


def tier_key(tier: CreditTier) -> str:
    """A credit tier's identity across versions: its edges, as `CreditTier.describe` writes them."""
    return tier.describe()


def _operational(path: tuple[str, ...]) -> bool:
    where = ".".join(path)
    return any(fnmatchcase(where, pattern) for pattern in OPERATIONAL)


def _change(path: tuple[str, ...], before: Any, after: Any) -> Change:
    return Change(path, before, after, terms=not _operational(path))


def _walk(path: tuple[str, ...], before: Any, after: Any) -> Iterator[Change]:
    if ".".join(path) in IGNORED or before == after:
        return
    if isinstance(before, BaseModel) and type(before) is type(after) and not isinstance(before, WHOLE):
        for name, field in type(before).model_fields.items():
            yield from _walk((*path, field.alias or name), getattr(before, name), getattr(after, name))
        return
    if isinstance(before, dict) and isinstance(after, dict):
        yield from _keyed(path, before, after)
        return
    if isinstance(before, tuple) and isinstance(after, tuple):
        key = _key_of(before + after)
        if key is None:
            yield from _unkeyed(path, before, after)
        else:
            yield from _keyed(path, {key(i): i for i in before}, {key(i): i for i in after})
        return
    yield _change(path, before, after)


def _keyed(path: tuple[str, ...], before: dict[Any, Any], after: dict[Any, Any]) -> Iterator[Change]:
    for key, old in before.items():
        if key in after:
            yield from _walk((*path, str(key)), old, after[key])
        else:
            yield _change((*path, str(key)), old, None)
    for key, new in after.items():
        if key not in before:
            yield _change((*path, str(key)), None, new)


def _unkeyed(path: tuple[str, ...], before: tuple[Any, ...], after: tuple[Any, ...]) -> Iterator[Change]:
    left, right = list(before), list(after)
    for item in before:
        if item in right:
            right.remove(item)
            left.remove(item)
    for item in left:
        yield _change(path, item, None)
    for item in right:
        yield _change(path, None, item)


def _key_of(items: tuple[Any, ...]) -> Any:
    """How items of a list are told apart across versions, or None to compare them as a set."""
    if not items:
        return None
    if all(isinstance(i, CreditTier) for i in items):
        return tier_key
    names = [getattr(i, "name", None) for i in items]
    if all(isinstance(n, str) for n in names):
        return lambda item: item.name
    return None

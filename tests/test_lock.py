"""requirements/dev.lock (what `scripts/setup --dev` installs, hash-checked) agrees with pyproject.toml's pins.

A pin changed in pyproject.toml but not in the lock would leave CI testing another version than the one
declared; regenerate the lock as docs/security.md says.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    """A distribution name in its normal form (PEP 503)."""
    return re.sub(r"[-_.]+", "-", requirement.lower())


def _pins() -> dict[str, str]:
    """The version pyproject.toml pins for each runtime and dev dependency."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins: dict[str, str] = {}
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        found = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)", requirement.strip())
        assert found, f"pyproject.toml: {requirement!r} is not pinned with =="
        pins[_name(found[1])] = found[2]
    return pins


def _locked() -> dict[str, str]:
    """The version the lock installs for each package."""
    text = (ROOT / "requirements" / "dev.lock").read_text(encoding="utf-8")
    return {_name(name): version for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+) \\$", text, re.MULTILINE)}


def test_every_pin_is_locked_at_its_version() -> None:
    """Each pin of pyproject.toml is the version the lock installs."""
    locked = _locked()
    wrong = {name: (version, locked.get(name)) for name, version in _pins().items() if locked.get(name) != version}
    assert wrong == {}, "pyproject pin vs lock (regenerate requirements/dev.lock, docs/security.md)"


def test_every_locked_package_carries_a_hash() -> None:
    """No locked package without a sha256 (pip's --require-hashes would refuse the whole file)."""
    text = (ROOT / "requirements" / "dev.lock").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", text.split("\n", 2)[2])
    assert len(entries) > 100
    assert [e.split(" ", 1)[0] for e in entries if "--hash=sha256:" not in e] == []

"""A disk cache of stored agreements as validated, so that a command reading the store skips validating them.

Loading a stored version validates its model JSON again (`attain.lifecycle.versions.parse_version`):
pydantic builds the validators of the model's classes (they are built on first use, see
`attain.model.base.Frozen`) and runs them, a few tens of milliseconds that `attain status` and
`attain summary` would pay on every run. `cached_parse` keeps each validated `Agreement` pickled
in the user's cache directory (`attain.settings.agreement_cache_dir`) under the sha256 of all
that the result depends on:

- the model JSON text itself (the stored version's content);
- the model's code, `attain.formats.model_json.model_revision` (the sources of `attain.model`);
- the versions of pydantic, pydantic-core and Python, and this cache's format.

A changed version, model or library gives another key, so an entry is never stale; an entry
that does not load (cut short, written by another format) is parsed again and written anew;
a cache directory that cannot be written leaves parsing as it was. A version whose JSON was
stored by another model revision is parsed from its YAML, uncached, as `parse_version` does.

Unpickling runs code named in the file, so an entry is read only when it and its directory belong
to the user running attain and neither is writable by group or others (as OpenSSH checks
`~/.ssh`), and never through a symbolic link (`attain.services.private_file`); otherwise the
version is parsed, uncached, and nothing is written there.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path

import pydantic
import pydantic_core

from attain.formats.model_json import model_revision
from attain.lifecycle.versions import Parse, parse_version
from attain.model import Agreement
from attain.ports import AgreementVersion
from attain.services.private_file import read_private, write_private

CACHE_FORMAT = "1"
"""Bumped when the cache's files change shape."""


def agreement_key(model_json: str) -> str:
    """The cache key of a stored model JSON: sha256 over it, the model's code and the library versions."""
    hashed = hashlib.sha256()
    for part in (CACHE_FORMAT, model_revision(), pydantic.VERSION, pydantic_core.__version__, sys.version, model_json):
        hashed.update(part.encode() + b"\0")
    return hashed.hexdigest()


def cached_parse(directory: Path) -> Parse:
    """`parse_version` through the cache in `directory` (created on first write)."""

    def parse(version: AgreementVersion) -> Agreement:
        if version.model is None or version.model_revision != model_revision():
            return parse_version(version)
        path = directory / f"{agreement_key(version.model)}.pickle"
        found = _load(path)
        if found is not None:
            return found
        agreement = parse_version(version)
        _save(path, agreement)
        return agreement

    return parse


def _load(path: Path) -> Agreement | None:
    """The agreement cached at `path`; None when there is none, it is not safely ours, or it does not load."""
    data = read_private(path)
    if data is None:
        return None
    try:
        # Our own file in the user's cache, named by the content it was made from.
        found = pickle.loads(data)  # noqa: S301
    except Exception:  # noqa: BLE001 - an entry cut short or of another format is parsed again
        return None
    return found if isinstance(found, Agreement) else None


def _save(path: Path, agreement: Agreement) -> None:
    """Write the entry atomically (a whole file or none); a cache not writable, or not private, is skipped."""
    write_private(path, pickle.dumps(agreement, protocol=pickle.HIGHEST_PROTOCOL))

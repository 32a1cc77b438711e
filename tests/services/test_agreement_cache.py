"""The disk cache of validated stored agreements: the same agreement as parsing, keyed by content, never stale."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from attain.formats.model_json import dump_model
from attain.formats.native import dump_agreement
from attain.lifecycle.versions import parse_version
from attain.model import Agreement
from attain.ports import AgreementVersion
from attain.services import agreement_cache
from attain.services.agreement_cache import agreement_key, cached_parse
from attain.settings import agreement_cache_dir
from stored_version_support import ROOT, TEMPLATES, load, stored


class Counting:
    """`parse_version` that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, version: AgreementVersion) -> Agreement:
        """Count the call and parse."""
        self.calls += 1
        return parse_version(version)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Counting:
    """The cache's parser replaced by one that counts how often the cache missed."""
    counting = Counting()
    monkeypatch.setattr(agreement_cache, "parse_version", counting)
    return counting


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_template_comes_back_from_the_cache_as_parsing_gives_it(
    path: Path, tmp_path: Path, parsed: Counting
) -> None:
    """Each template (en, zh-CN): the first read parses and writes; the second reads the file, equal in value and JSON."""
    version = stored(load(path))
    parse = cached_parse(tmp_path)
    first, second = parse(version), parse(version)
    expected = parse_version(version)
    assert parsed.calls == 1
    assert first == second == expected
    assert second.model_dump_json() == expected.model_dump_json()
    assert [p.name for p in tmp_path.iterdir()] == [f"{agreement_key(version.model or '')}.pickle"]


def test_the_key_is_the_content_the_model_code_and_the_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another JSON text or another model revision gives another key; the same inputs the same key."""
    text = dump_model(load(TEMPLATES[0]))
    assert agreement_key(text) == agreement_key(text)
    assert agreement_key(text) != agreement_key(text + " ")
    before = agreement_key(text)
    monkeypatch.setattr(agreement_cache, "model_revision", lambda: "another revision")
    assert agreement_key(text) != before


def test_an_entry_cut_short_or_of_another_kind_is_parsed_again_and_rewritten(tmp_path: Path, parsed: Counting) -> None:
    """A truncated file or one that holds no Agreement is not used: the version is parsed and the entry rewritten."""
    version = stored(load(TEMPLATES[0]))
    entry = tmp_path / f"{agreement_key(version.model or '')}.pickle"
    for bad in (pickle.dumps(parse_version(version))[:40], pickle.dumps({"not": "an agreement"})):
        entry.write_bytes(bad)
        assert cached_parse(tmp_path)(version) == parse_version(version)
        assert pickle.loads(entry.read_bytes()) == parse_version(version)  # noqa: S301 - written by the test's cache
    assert parsed.calls == 2


def test_a_version_of_another_model_revision_is_parsed_from_its_yaml_uncached(tmp_path: Path) -> None:
    """JSON stored by another model revision is not trusted: the YAML is parsed, and nothing is written."""
    one = load(TEMPLATES[0])
    other = load(TEMPLATES[1])
    version = stored(other, revision="an older revision")
    stale = replace(version, document=dump_agreement(one))
    assert cached_parse(tmp_path)(stale) == one
    assert list(tmp_path.iterdir()) == []


def test_a_cache_that_cannot_be_written_leaves_parsing_as_it_was(tmp_path: Path) -> None:
    """When the cache directory cannot be made (a file stands there), each read parses; nothing fails."""
    blocked = tmp_path / "file"
    blocked.write_text("in the way")
    version = stored(load(TEMPLATES[0]))
    assert cached_parse(blocked / "agreements")(version) == parse_version(version)


def test_the_cache_lives_in_the_users_cache_directory() -> None:
    """Beside the numba kernels: $XDG_CACHE_HOME/attain/agreements, else ~/.cache/attain/agreements."""
    assert agreement_cache_dir({"XDG_CACHE_HOME": "/c"}, Path("/home/u"), "linux") == Path("/c/attain/agreements")
    assert agreement_cache_dir({}, Path("/home/u"), "linux") == Path("/home/u/.cache/attain/agreements")
    assert agreement_cache_dir({}, Path("/home/u"), "darwin") == Path("/home/u/Library/Caches/attain/agreements")


@pytest.mark.parametrize("loose", ["directory", "entry"])
def test_an_entry_others_could_have_written_is_not_unpickled(tmp_path: Path, parsed: Counting, loose: str) -> None:
    """A group- or world-writable cache directory or entry is not read (unpickling runs code): the version is parsed."""
    version = stored(load(TEMPLATES[0]))
    directory = tmp_path / "agreements"
    parse = cached_parse(directory)
    parse(version)
    entry = directory / f"{agreement_key(version.model or '')}.pickle"
    planted = pickle.dumps(load(TEMPLATES[1]))  # another user's plant: a valid pickle of another agreement
    entry.write_bytes(planted)
    (directory if loose == "directory" else entry).chmod(0o777 if loose == "directory" else 0o666)
    assert parse(version) == parse_version(version)
    assert parsed.calls == 2
    if loose == "directory":
        assert entry.read_bytes() == planted  # nothing written into a directory others can write
    else:  # our private directory: the loose entry is replaced by a private one
        assert entry.stat().st_mode & 0o777 == 0o600
        assert pickle.loads(entry.read_bytes()) == parse_version(version)  # noqa: S301 - written by the test's cache


def test_an_entry_behind_a_symbolic_link_is_not_followed(tmp_path: Path, parsed: Counting) -> None:
    """An entry that is a symbolic link (to a file elsewhere) is not read; the version is parsed."""
    version = stored(load(TEMPLATES[0]))
    directory = tmp_path / "agreements"
    parse = cached_parse(directory)
    parse(version)
    entry = directory / f"{agreement_key(version.model or '')}.pickle"
    elsewhere = tmp_path / "elsewhere.pickle"
    entry.replace(elsewhere)
    entry.symlink_to(elsewhere)
    assert parse(version) == parse_version(version)
    assert parsed.calls == 2


def test_a_private_cache_is_created_private_and_used(tmp_path: Path, parsed: Counting) -> None:
    """The directory the cache makes is 0700 and its entries 0600, so the next read uses them."""
    version = stored(load(TEMPLATES[0]))
    directory = tmp_path / "agreements"
    parse = cached_parse(directory)
    parse(version)
    parse(version)
    entry = directory / f"{agreement_key(version.model or '')}.pickle"
    assert (directory.stat().st_mode & 0o777, entry.stat().st_mode & 0o777) == (0o700, 0o600)
    assert parsed.calls == 1

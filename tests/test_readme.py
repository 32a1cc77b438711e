"""The README's first screen shows what attain really prints."""

from __future__ import annotations

from pathlib import Path

from cli_support import Cli

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_example_is_the_real_output(attain: Cli) -> None:
    """`attain explain examples/acme-hosting.yaml` prints exactly the block shown in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("`attain explain examples/acme-hosting.yaml` prints what it promises:\n\n```\n")[1]
    shown = shown.split("```")[0]
    # A process of its own: what a user's terminal receives, byte for byte.
    result = attain.with_env(COLUMNS="100").process("explain", "examples/acme-hosting.yaml", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == shown


def test_the_readme_agreement_is_the_example_file() -> None:
    """The 10-line agreement in the README is the file it names."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```yaml\n")[1].split("```")[0]
    assert shown == (ROOT / "examples" / "acme-hosting.yaml").read_text(encoding="utf-8")

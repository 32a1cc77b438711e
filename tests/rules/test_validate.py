"""What `sloth validate` checks on loaded SLOs."""

from __future__ import annotations

from attain.rules.validate import bracket_problem


def test_unbalanced_queries_are_reported() -> None:
    """A missing closing parenthesis is found; brackets inside string literals are ignored."""
    assert bracket_problem('sum(rate(x{a="("}[{{.window}}])') == "unclosed '(' in the query"
    assert bracket_problem('sum(rate(x{a="("}[{{.window}}]))') is None

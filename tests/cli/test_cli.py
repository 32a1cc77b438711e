"""The attain command line, run through `main` as a user runs it: exit codes, messages, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from attain.formats.template import TEMPLATES
from cli_support import Cli


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_init_writes_every_template_and_it_validates(attain: Cli, tmp_path: Path, lang: str) -> None:
    """Every template, in both languages, is written by init and passes validate."""
    for name in TEMPLATES:
        out = tmp_path / lang / f"{name}.yaml"
        created = attain("init", "--template", name, "--lang", lang, "--out", str(out), "--output", "json")
        assert created.returncode == 0, created.stderr
        assert json.loads(created.stdout)["file"] == str(out)
    checked = attain("validate", *sorted(str(p) for p in (tmp_path / lang).iterdir()))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == f"{len(TEMPLATES)} file(s) valid: {len(TEMPLATES)} object(s)"


def test_init_refuses_to_overwrite_and_unknown_templates(attain: Cli, tmp_path: Path) -> None:
    """Init keeps an existing file unless --force, and names the valid templates."""
    out = tmp_path / "a.yaml"
    out.write_text("keep me", encoding="utf-8")
    refused = attain("init", "--template", "cloud-uptime", "--out", str(out))
    assert refused.returncode == 1
    assert "already exists" in refused.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    unknown = attain("init", "--template", "space-elevator", "--out", str(tmp_path / "b.yaml"))
    assert unknown.returncode == 2
    assert "no template named 'space-elevator'; choose one of cloud-uptime, ambulance-response" in unknown.stderr
    assert not (tmp_path / "b.yaml").exists()


BROKEN = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: broken}
spec:
  title: Broken
  parties: {provider: {name: P}, customer: {name: C}}
  purpose: x
  effective: {from: 2026-01-01}
  objectives:
    - name: up
      indicator: {kind: availability, from: incidents}
      target: 99.9
      window: {calendar: month}
"""


def test_validate_prints_each_problem_located_and_exits_2(attain: Cli, tmp_path: Path) -> None:
    """A bad file gives FILE:LINE:COLUMN: path: problem; hint lines and exit code 2."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN.replace("title: Broken", "title: Broken\n  colour: red"), encoding="utf-8")
    result = attain("validate", str(bad))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{bad}:6:3: spec.colour: unknown field 'colour'; valid fields here: calendars, changes, creditPolicy, "
        "effective, exclusions, fee, language, notify, objectives, parties, purpose, reporting, review, scope, services, "
        "status, termination, timeZone, title, version",
        f"{bad}:13:15: spec.objectives[0].target: must be between 0% and 100%, got 99.9; did you mean 99.9%?",
    ]


def test_validate_json_output(attain: Cli, tmp_path: Path) -> None:
    """--output json reports the same problems as data, still exiting 2."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    result = attain("validate", str(bad), "--output", "json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["valid"] is False
    [problem] = report["problems"]
    assert (problem["line"], problem["column"], problem["path"]) == (12, 15, "spec.objectives[0].target")
    assert problem["hint"] == "did you mean 99.9%?"


def test_validate_mixes_agreements_and_openslo(attain: Cli, tmp_path: Path) -> None:
    """One run validates agreements and OpenSLO documents together."""
    good = tmp_path / "good.yaml"
    good.write_text(BROKEN.replace("target: 99.9", "target: 99.9%"), encoding="utf-8")
    slo = tmp_path / "service.yaml"
    slo.write_text("apiVersion: openslo/v1\nkind: Service\nmetadata: {name: web}\nspec: {description: Web}\n")
    result = attain("validate", str(good), str(slo), "--output", "json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["agreements"] == [{"name": "broken", "version": 1}]
    assert report["openslo"] == [{"apiVersion": "openslo/v1", "kind": "Service", "name": "web"}]


GAPPED = (
    BROKEN.replace("target: 99.9", "target: 99.9%")
    + """\
      credits:
        - {below: 99.9%, atLeast: 99.5%, credit: 10%}
        - {below: 99%, credit: 25%}
"""
)


def test_validate_warns_of_a_gap_between_tiers_and_exits_0(attain: Cli, tmp_path: Path) -> None:
    """A gap between credit tiers is printed as a located warning; the file is still valid (exit 0)."""
    good = tmp_path / "gap.yaml"
    good.write_text(GAPPED, encoding="utf-8")
    result = attain("validate", str(good))
    assert result.returncode == 0, result.stderr
    # Attainment from 99% (where the lower tier ends) to 99.5% (where the upper begins) earns nothing.
    assert result.stderr.splitlines() == [
        f"{good}:15:11: warning: spec.objectives[0].credits[0]: gap between credit tiers attainment < 99% and "
        "99.5% ≤ attainment < 99.9%: attainment from 99% to 99.5% earns no credit; "
        "if that is not meant, start this tier where the other ends (atLeast: 99%)"
    ]
    assert result.stdout.strip() == "1 file(s) valid: 1 object(s), 1 warning(s)"
    data = json.loads(attain("validate", str(good), "--output", "json").stdout)
    assert data["valid"] is True
    assert data["problems"] == []
    [warning] = data["warnings"]
    assert (warning["file"], warning["line"], warning["path"]) == (str(good), 15, "spec.objectives[0].credits[0]")


def test_validate_lists_a_tier_overlap_beside_a_bad_window(attain: Cli, tmp_path: Path) -> None:
    """`window: 5` and an overlap in the same objective are both reported, the window's with the valid forms."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(GAPPED.replace("window: {calendar: month}", "window: 5").replace("below: 99%", "below: 99.6%"))
    result = attain("validate", str(bad), "--output", "json")
    assert result.returncode == 2
    found = [(p["line"], p["path"], p["message"]) for p in json.loads(result.stdout)["problems"]]
    assert found == [
        (13, "spec.objectives[0].window", "not a window: 5"),
        (
            15,
            "spec.objectives[0].credits[0]",
            "credit tiers attainment < 99.6% and 99.5% ≤ attainment < 99.9% overlap",
        ),
    ]
    assert "{rolling: 30d}" in json.loads(result.stdout)["problems"][0]["hint"]


def test_explain_states_allowed_downtime(attain: Cli, tmp_path: Path) -> None:
    """Explain says 99.9% of a 31-day month allows 44.64 min and of a 30-day month 43.2 min."""
    good = tmp_path / "good.yaml"
    good.write_text(BROKEN.replace("target: 99.9", "target: 99.9%"), encoding="utf-8")
    result = attain("explain", str(good), "--output", "json")
    assert result.returncode == 0, result.stderr
    [objective] = json.loads(result.stdout)["objectives"]
    assert objective["allows"] == [
        "40.32 min of downtime per 28-day month",
        "41.76 min of downtime per 29-day month",
        "43.2 min of downtime per 30-day month",
        "44.64 min of downtime per 31-day month",
    ]
    text = attain("explain", str(good))
    assert "44.64 min of downtime per 31-day month" in text.stdout


ROOT = Path(__file__).resolve().parents[2]

ACME_IN_CHINESE = """\
ACME Hosting SLA（acme-hosting，第 1 版，草稿）
ACME Cloud（服务提供方）向Example Shop（客户）提供服务；有效期自 2027-01-01 起，直至终止
┏━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┓
┃ 目标   ┃ 目标值 ┃ 时间窗口          ┃ 每周期错误预算        ┃
┡━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━┩
│ uptime │ 99.9%  │ 每个自然月（UTC） │ 停机 40.32–44.64 分钟 │
└────────┴────────┴───────────────────┴───────────────────────┘
uptime
  计量      服务处于可用状态的时间占比，依据故障记录计算（重叠的故障合并计算；除外时间不计入）
  允许      28天的月份：最多40.32分钟的停机时间
            29天的月份：最多41.76分钟的停机时间
            30天的月份：最多43.2分钟的停机时间
            31天的月份：最多44.64分钟的停机时间
  赔偿      99% ≤ 达成率 < 99.9%：当期服务费的 10%
            达成率 < 99%：当期服务费的 25%
赔偿
  • 补救方式：服务赔偿；多个目标的赔偿相加
  • 每个周期的赔偿以服务费的 100% 为上限
"""


def test_explain_speaks_chinese(attain: Cli) -> None:
    """`explain --lang zh-CN` prints the README's agreement in Chinese: 0.1% of 28 to 31 days is 40.32 to 44.64 min."""
    result = attain("explain", "examples/acme-hosting.yaml", "--lang", "zh-CN", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ACME_IN_CHINESE


def test_explain_json_is_the_same_without_and_with_lang_en(attain: Cli) -> None:
    """`--lang en` is the default: the JSON is the same; in Chinese the codes (name, status, version) stay codes."""
    plain = json.loads(attain("explain", "examples/acme-hosting.yaml", "--output", "json", cwd=ROOT).stdout)
    english = json.loads(attain("explain", "examples/acme-hosting.yaml", "-o", "json", "--lang", "en", cwd=ROOT).stdout)
    chinese = json.loads(
        attain("explain", "examples/acme-hosting.yaml", "-o", "json", "--lang", "zh-CN", cwd=ROOT).stdout
    )
    assert plain == english
    assert plain["effective"] == "from 2027-01-01 until terminated"
    assert plain["objectives"][0]["allows"][0] == "40.32 min of downtime per 28-day month"
    assert chinese.keys() == plain.keys()
    assert [chinese[k] for k in ("name", "title", "version", "status")] == [
        "acme-hosting",
        "ACME Hosting SLA",
        1,
        "draft",
    ]
    assert chinese["effective"] == "自 2027-01-01 起，直至终止"


def test_explain_refuses_an_unknown_language(attain: Cli) -> None:
    """A language other than en or zh-CN is a usage error (exit 2) that names the valid ones."""
    result = attain("explain", "examples/acme-hosting.yaml", "--lang", "fr", cwd=ROOT)
    assert result.returncode == 2
    assert "zh-CN" in result.stderr


def test_schema_is_json_schema_of_the_envelope(attain: Cli) -> None:
    """Schema prints a JSON Schema whose top level requires apiVersion, kind, metadata, spec."""
    result = attain("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert sorted(schema["required"]) == ["apiVersion", "kind", "metadata", "spec"]
    assert "Objective" in schema["$defs"]


def test_demo_builds_a_store_and_shows_its_status(attain: Cli, tmp_path: Path) -> None:
    """Demo applies five agreements, ingests every generated row exactly once, and prints status and next steps."""
    result = attain("demo", "--dir", str(tmp_path / "demo"), "--at", "2026-11-27T10:00:00Z")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo" / "attain.db").exists()
    generated = sorted((tmp_path / "demo" / "data").glob("*/*.csv"))
    rows = {}
    for path in generated:
        count = len(path.read_text(encoding="utf-8").splitlines()) - 1  # minus the header line
        rows[path.parent.name] = rows.get(path.parent.name, 0) + count
    assert sorted(rows) == ["ambulance-response", "api-latency", "cloud-backup", "cloud-uptime", "support-desk"]
    for template, count in rows.items():
        assert f"ingested {count:,} rows for {template}" in result.stdout
    assert "applied 5 agreements" in result.stdout
    lines = result.stdout.splitlines()
    # Each credit once per agreement and period, in the fee's currency, with the objectives behind it:
    # cloud-uptime 10% × 8,500 EUR = 850; support-desk (30% combined) × 36,000 CNY = 10,800.
    assert "  credit owed for 2026-10: 10% of the fee = 850.00 EUR (compute-availability)" in lines
    assert "  credit owed for 2026-10: 30% of the fee = 10,800.00 CNY (first-response, resolution)" in lines
    cells = {row[0].strip(): row for row in (line.split("│")[1:-1] for line in lines if line.startswith("│"))}
    # 105 of 110 cases met = 95.4545…% against 95%: one place more than the target, cut, not rounded.
    assert cells["first-response"][3].strip() == "95.4%"
    # cloud-uptime's compute availability was 99.9% or better in two of three months: 99% was met in all three.
    assert "recommendation for cloud-uptime: compute-availability: recommended target 99% (now 99.9%)" in result.stdout
    assert "Next, try:" in result.stdout
    again = attain("demo", "--dir", str(tmp_path / "demo"), "--at", "2026-11-27T10:00:00Z")
    assert again.returncode == 0, again.stderr
    assert again.stdout.split("done in")[0].splitlines()[1:] == result.stdout.split("done in")[0].splitlines()[1:]


@pytest.mark.parametrize(
    "command",
    [
        "init",
        "validate",
        "explain",
        "evaluate",
        "schema",
        "demo",
        "apply",
        "agreements",
        "show",
        "ingest",
        "status",
        "db",
        "rules",
        "render",
        "report",
        "export",
        "pull",
        "fetch",
        "recommend",
    ],
)
def test_every_command_has_help(attain: Cli, command: str) -> None:
    """Each command documents itself in --help."""
    result = attain(command, "--help")
    assert result.returncode == 0
    assert "Usage:" in result.stdout
    assert len(result.stdout.splitlines()) > 3


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "exception not in [recipient-absent, refused, invalid-address]"),
        ("zh-CN", "exception 不属于 [recipient-absent, refused, invalid-address]"),
    ],
)
def test_explain_prints_brackets_of_the_agreement_as_written(attain: Cli, lang: str, words: str) -> None:
    """A filter's `[...]` list is agreement text, not terminal markup: it prints whole in either language."""
    template = ROOT / "src/attain/formats/templates/en/parcel-delivery.yaml"
    result = attain("explain", str(template), "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert words in result.stdout

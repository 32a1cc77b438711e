"""The `attain` command line: a table of commands, each module imported only when its command runs.

`attain --help` lists every command from `COMMANDS` without importing one, and `attain NAME` imports
only NAME's module (which registers its commands on `app`), so a command pays for the libraries it
uses and no other's: `attain --help` loads neither pydantic nor SQLAlchemy, `attain status` no
pyarrow or FastAPI. `tests/cli/test_startup.py` pins both.

Adding a command is one line in `COMMANDS`: its name, the module that defines it with `@app.command()`
(or `app.add_typer(group, name=...)` for a group), and the first paragraph of its docstring, which
`attain --help` shows; `tests/cli/test_startup.py` fails when that text and the docstring differ.
"""

from __future__ import annotations

import importlib
import os
from typing import Annotated, Any, NamedTuple

import typer
import typer.main
from typer import _click as click  # the click typer vendors and builds its commands with (not PyPI's click)
from typer.core import TyperCommand, TyperGroup

from attain.cli.options import Output
from attain.cli.options import parse_instant as parse_instant  # noqa: PLC0414 - the commands import it from here
from attain.cli.start import guarded
from attain.settings import UNSAFE_DURABILITY_VARIABLE


class Entry(NamedTuple):
    """One command of `COMMANDS`: the module that defines it and the help `attain --help` shows."""

    module: str
    help: str


COMMANDS: dict[str, Entry] = {
    "init": Entry("attain.cli.files", "Write a ready agreement from an industry template."),
    "validate": Entry(
        "attain.cli.files",
        "Check agreements and OpenSLO documents; exit 2 and list every problem if any, warnings beside them.",
    ),
    "explain": Entry(
        "attain.cli.files",
        "Say what each objective measures and allows, the credits owed and the termination rules.",
    ),
    "evaluate": Entry(
        "attain.cli.files",
        "Evaluate against measurement files (--data) or stored data; exit 3 when a period is breached.",
    ),
    "schema": Entry("attain.cli.files", "Print the JSON Schema of the attain/v1 agreement format, for editors."),
    "db": Entry("attain.cli.store", "The database: create or migrate its schema."),
    "apply": Entry(
        "attain.cli.store",
        "Store agreements: a changed document becomes a new version, an unchanged one changes nothing.",
    ),
    "agreements": Entry(
        "attain.cli.store", "List the stored agreements with their latest version, status and effective dates."
    ),
    "show": Entry("attain.cli.store", "Print a stored agreement back as YAML."),
    "ingest": Entry(
        "attain.cli.store", "Ingest measurements exactly once: a file (or a resumed run) is never counted twice."
    ),
    "status": Entry(
        "attain.cli.store",
        "Each objective now: attainment this period, budget left, burn rate, alerts, credits owed, cases at risk.",
    ),
    "summary": Entry(
        "attain.cli.store",
        "Fast: per objective attainment, budget left, per-day counts, burn rates 5m…3d and alert state.",
    ),
    "demo": Entry(
        "attain.cli.store", "The main job: five agreements, 90 days of synthetic data, ingested, evaluated, shown."
    ),
    "pull": Entry(
        "attain.cli.sql",
        "Count SQL-backed objectives in their SQL engine for a range and store the counts exactly once.",
    ),
    "fetch": Entry(
        "attain.cli.prometheus",
        "Pull per-minute counts from Prometheus into the store; a range already fetched is not counted twice.",
    ),
    "render": Entry(
        "attain.cli.documents",
        "Write the agreement as a contract document: scope, service levels, remedies, clauses, signatures.",
    ),
    "report": Entry(
        "attain.cli.documents",
        "Write the report of one period: attainment, budget, charts, what consumed it, credits, rights.",
    ),
    "diff": Entry(
        "attain.cli.diff",
        "Show the changes between two versions: `attain diff OLD.yaml NEW.yaml` or `attain diff NAME 1 2`.",
    ),
    "propose": Entry(
        "attain.cli.proposals", "Propose a new version: it is not judged until the other party accepts it."
    ),
    "accept": Entry(
        "attain.cli.proposals", "Accept a proposal: it becomes the agreement's next version, in force from its date."
    ),
    "reject": Entry("attain.cli.proposals", "Reject a proposal of the other party, with a reason."),
    "withdraw": Entry("attain.cli.proposals", "Withdraw a proposal of your own side."),
    "proposals": Entry(
        "attain.cli.proposals",
        "List proposals: number, state, who proposed, the date it would take effect, the decision.",
    ),
    "history": Entry(
        "attain.cli.proposals",
        "An agreement's history: each version stored, each proposal made and decided, in time order.",
    ),
    "credits": Entry(
        "attain.cli.credits",
        "The credits closed periods owe, and where each stands: owed (claim by …), claimed, approved, issued.",
    ),
    "credit": Entry(
        "attain.cli.credits", "Move a credit: the customer claims it, the provider approves, rejects or issues it."
    ),
    "rights": Entry(
        "attain.cli.rights",
        "The termination rights granted to the customer: what, from which periods, until when, and their state.",
    ),
    "right": Entry("attain.cli.rights", "Use a termination right: the customer exercises or waives it."),
    "exclusions": Entry(
        "attain.cli.exclusions",
        "The agreement's exclusion requests: kind, range, who asked, and the decision.",
    ),
    "exclusion": Entry(
        "attain.cli.exclusions", "Ask to exclude time (maintenance, force majeure …); the other party decides."
    ),
    "recommend": Entry(
        "attain.cli.recommend", "Realistic targets: what past periods attained and which targets they would have met."
    ),
    "drivers": Entry(
        "attain.cli.drivers",
        "Rank the attribute values (region, endpoint, status, agent, …) by the share of the budget they consumed.",
    ),
    "review": Entry(
        "attain.cli.reviews",
        "Record a review the parties held (--held, --participant, --outcome), or write a quarter's review report.",
    ),
    "reviews": Entry(
        "attain.cli.reviews",
        "The agreement's reviews: how often it is reviewed, when the next is due, and those held.",
    ),
    "notifications": Entry(
        "attain.cli.notifications",
        "The notification history: each message's receiver, channel, event, status, attempts and last error.",
    ),
    "audit": Entry("attain.cli.audit", "The audit trail: who changed what, when, hash-chained per agreement."),
    "rules": Entry(
        "attain.cli.rules",
        "Generate Prometheus SLO rules with Sloth's names, labels and groups; exit 2 on invalid input.",
    ),
    "export": Entry(
        "attain.cli.export",
        "Export an agreement's services and objectives as OpenSLO v1; `attain.dev/` annotations keep the rest.",
    ),
    "import": Entry(
        "attain.cli.imports",
        "Draft an agreement from other tools' SLOs; list on stderr everything not carried over.",
    ),
    "scheduler": Entry(
        "attain.cli.scheduler",
        "Every interval: store closed periods, sync credits and rights, issue periodic reports, notify.",
    ),
    "serve": Entry(
        "attain.cli.serve",
        "Serve the API (/api/v1, OpenAPI at /api/v1/docs) and the dashboard (/), on one uvicorn worker.",
    ),
    "token": Entry("attain.cli.serve", "API tokens: create (shown once), list, revoke."),
}
"""Every command: name → (module that defines it, help shown by `attain --help`), in `--help` order."""


class LazyGroup(TyperGroup):
    """The `attain` group: lists `COMMANDS` from the table and imports a command's module on dispatch."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.rich_markup_mode = None  # click's own help layout: rich's would import ~60 ms of markdown and syntax
        for name, entry in COMMANDS.items():  # stand-ins, so help and "did you mean" see every command
            self.commands.setdefault(name, TyperCommand(name, help=entry.help, short_help=entry.help))

    def list_commands(self, ctx: click.Context) -> list[str]:  # noqa: ARG002 - click's signature
        """The table's commands in its order, then any registered outside it."""
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command `args[0]` names, its module imported now."""
        if args and args[0] in COMMANDS:
            return args[0], load_command(args[0]), args[1:]
        return super().resolve_command(ctx, args)


def load_command(name: str) -> click.Command:
    """Import the module of a command of `COMMANDS` and return the click command it registered."""
    importlib.import_module(COMMANDS[name].module)
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    found = group.commands[name]
    if found.callback is None and not isinstance(found, TyperGroup):
        raise RuntimeError(f"{COMMANDS[name].module} does not register the command {name!r} that COMMANDS names")
    return found


app = typer.Typer(
    name="attain",
    cls=LazyGroup,
    help="Service level agreements end to end: write, agree, measure, evaluate, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

OutputOption = Annotated[Output, typer.Option("--output", "-o", help="text for people, json for scripts.")]


@app.callback()
def _everywhere(
    unsafe_durability: Annotated[
        bool,
        typer.Option(
            "--unsafe-durability",
            help="Open a store whose settings could lose committed writes (logged); "
            "same as ATTAIN_UNSAFE_DURABILITY=1.",
        ),
    ] = False,
) -> None:
    """Options for every command."""
    if unsafe_durability:
        os.environ[UNSAFE_DURABILITY_VARIABLE] = "1"  # the commands read their settings from the environment


def main() -> None:
    """Run the CLI through typer, turning attain's errors into messages and exit codes (`attain.cli.start.guarded`)."""
    guarded(app)

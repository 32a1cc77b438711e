"""How `attain` starts: a plain `status` or `summary` command line runs without typer, any other through it.

typer (with click and its option types) costs ~0.07 s to import, a quarter of what `attain status`
and `attain summary NAME` may take in all. So `main` reads their command lines itself when they
are plain (`plain_command`): the global `--unsafe-durability`, the command, its arguments and its
options (`--at`, `--cases`, `--output`/`-o`, as `--opt VALUE`, `--opt=VALUE` or `-oVALUE`) with
valid values. Anything else (`--help`, `--data`, an unknown option or choice, a missing value, a
missing or extra argument, `--`) goes to typer, which prints the same help and usage errors as
always. Both run the same command bodies (`attain.cli.read`), so the output is the same; a test
compares them (`tests/cli/test_start.py`).
"""

from __future__ import annotations

import errno
import getpass
import os
import sys
from collections.abc import Callable, Sequence

from attain.actor import acting_as
from attain.cli.options import CaseFilter, Output
from attain.errors import AttainError, InvalidInput
from attain.settings import UNSAFE_DURABILITY_VARIABLE

OPTIONS = {
    "status": {"--at": "at", "--cases": "cases", "--output": "output", "-o": "output"},
    "summary": {"--at": "at", "--output": "output", "-o": "output"},
}
"""Per command, the options a plain command line may carry and the name each is read into."""
CHOICES = {"cases": tuple(c.value for c in CaseFilter), "output": tuple(o.value for o in Output)}
"""Options whose value must be one of these."""


BLAS_THREADS_VARIABLE = "OPENBLAS_NUM_THREADS"
"""numpy's OpenBLAS starts one thread per core when numpy loads, and they spin for a while; attain
multiplies no matrices, so `main` sets one thread unless the environment says otherwise
(`attain status` spends ~0.1–0.2 s less CPU and ~0.05–0.1 s less wall time on two cores)."""


def main() -> None:
    """Run `attain`: a plain `status` or `summary` directly, anything else through typer."""
    os.environ.setdefault(BLAS_THREADS_VARIABLE, "1")  # before numpy loads: see BLAS_THREADS_VARIABLE
    plain = plain_command(sys.argv[1:])
    if plain is None:
        from attain.cli.app import app  # noqa: PLC0415 - typer only for what the plain reader leaves

        guarded(app)
    else:
        guarded(plain)


def plain_command(args: Sequence[str]) -> Callable[[], None] | None:  # noqa: C901 - one token loop
    """The command a plain `status` or `summary` command line asks for, ready to run; None for any other."""
    args = list(args)
    unsafe = False
    while args and args[0] == "--unsafe-durability":
        unsafe, args = True, args[1:]
    if not args or args[0] not in OPTIONS:
        return None
    command, rest = args[0], args[1:]
    known = OPTIONS[command]
    values: dict[str, str] = {}
    names: list[str] = []
    index = 0
    while index < len(rest):
        token = rest[index]
        index += 1
        if not token.startswith("-") or token == "-":  # noqa: S105 - an argument, not a secret
            names.append(token)
            continue
        option, equals, value = token.partition("=")
        if not equals and option.startswith("-o") and len(option) > 2 and "-o" in known:  # -ojson
            option, equals, value = "-o", "=", option[2:]
        if option not in known or (option == "-o" and token.startswith("-o=")):
            return None  # --help, --data, --, an unknown option, -o=VALUE (click reads "=VALUE"): typer's
        if not equals:
            if index >= len(rest):
                return None
            value = rest[index]
            index += 1
        field = known[option]
        if field in CHOICES and value not in CHOICES[field]:
            return None
        values[field] = value
    if command == "summary" and len(names) != 1:
        return None
    return _bound(command, names, values, unsafe=unsafe)


def _bound(command: str, names: list[str], values: dict[str, str], *, unsafe: bool) -> Callable[[], None]:
    def run() -> None:
        if unsafe:
            os.environ[UNSAFE_DURABILITY_VARIABLE] = "1"  # as the typer callback does
        from attain.cli import read  # noqa: PLC0415 - the command's libraries load once it is chosen

        output = Output(values.get("output", "text"))
        if command == "status":
            read.run_status(names, values.get("at"), CaseFilter(values.get("cases", "warned")), output)
        else:
            read.run_summary(names[0], None, values.get("at"), output)

    return run


def guarded(command: Callable[[], object]) -> None:
    """Run a command as `attain` runs every one: the actor set, errors as exit codes.

    Beside attain's errors, an interrupt and a closed pipe end the command as click ends it
    (`Aborted!` and exit 1; exit 1 quietly), whether typer runs it or not.
    """
    try:
        with acting_as(_user()):
            _as_click_would(command)
    except AttainError as error:
        problems = error.problems if isinstance(error, InvalidInput) else None
        if problems:
            from attain.cli.output import print_problems  # noqa: PLC0415 - rich tables only on this path

            print_problems(problems)
        else:
            sys.stderr.write(f"attain: {error}\n")
        sys.exit(error.exit_code)


def _as_click_would(command: Callable[[], object]) -> None:
    """Run `command`; an interrupt or a closed stdout ends it as click's standalone mode does."""
    try:
        command()
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\nAborted!\n")
        sys.exit(1)
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        sys.stdout = open(os.devnull, "w")  # noqa: PTH123, SIM115 - nothing more reaches a closed pipe
        sys.exit(1)


def _user() -> str:
    """Who the command's changes are recorded as in the audit trail: `cli:` and the login name."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in this environment (a container without one)
        return "cli"

"""Render Alembic operation snippets to PostgreSQL SQL with real Alembic.

This is the oracle for migsim's lowering of ``op.*`` calls: each case of a
fixture file is executed against Alembic's ``Operations`` in offline
(``--sql``) mode, exactly as ``alembic upgrade --sql`` would run it, and the
statements Alembic writes are collected one by one.

Fixture format (a Python file read as text)::

    # prelude
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql

    # case: add_column_basic
    op.add_column("t", sa.Column("x", sa.Integer()))

    # case: with_convention
    # naming_convention: {"uq": "uq_%(table_name)s_%(column_0_name)s"}
    op.create_unique_constraint(None, "t", ["x"])

The prelude runs before every case. Directives are comment lines right under
the ``# case:`` line: ``# naming_convention: <dict literal>`` (the target
metadata's convention) and ``# literal_binds: false`` (env.py's setting;
Alembic's generated env.py passes ``literal_binds=True``).

Usage: ``python scripts/alembic_render.py FIXTURE.py [...]`` prints one JSON
document: ``{"cases": [{"file", "name", "groups": [[...], ...], "error":
null | {"type", "message", "group"}}]}``. ``groups`` holds, for each
top-level statement of the case, the SQL statements it emitted (a ``with
op.batch_alter_table(...)`` block is one statement). A case stops at the
first exception; its group keeps what was emitted before it.
"""

from __future__ import annotations

import ast
import io
import json
import re
import sys
import warnings

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

# alembic_utils registers create_entity / replace_entity / drop_entity on
# Operations when imported.
import alembic_utils.replaceable_entity  # noqa: F401

CASE_RE = re.compile(r"^# case:\s*(\S+)\s*$")
DIRECTIVE_RE = re.compile(r"^#\s*(naming_convention|literal_binds):\s*(.+)$")


def split_cases(text: str):
    prelude: list[str] = []
    cases: list[dict] = []
    current = None
    in_prelude = False
    for line in text.splitlines():
        m = CASE_RE.match(line)
        if m:
            current = {"name": m.group(1), "lines": [], "options": {}}
            cases.append(current)
            in_prelude = False
            continue
        if line.strip() == "# prelude":
            in_prelude = True
            current = None
            continue
        if in_prelude:
            prelude.append(line)
            continue
        if current is None:
            continue
        d = DIRECTIVE_RE.match(line)
        if d and not any(s.strip() for s in current["lines"]):
            current["options"][d.group(1)] = d.group(2)
            continue
        current["lines"].append(line)
    return "\n".join(prelude), cases


def render_case(prelude: str, case: dict) -> dict:
    options = case["options"]
    namespace: dict = {}
    exec(compile(prelude, "<prelude>", "exec"), namespace)
    # The convention is a Python expression in the prelude's namespace
    # (keys may be classes such as `sa.UniqueConstraint`).
    metadata = (
        sa.MetaData(naming_convention=eval(options["naming_convention"], namespace))
        if "naming_convention" in options
        else sa.MetaData()
    )
    buf = io.StringIO()
    ctx = MigrationContext.configure(
        dialect_name="postgresql",
        opts={
            "as_sql": True,
            "output_buffer": buf,
            "literal_binds": ast.literal_eval(options.get("literal_binds", "True")),
            "target_metadata": metadata,
        },
    )
    groups: list[list[str]] = []
    # Alembic writes each statement through static_output; collecting the
    # calls keeps statement boundaries without re-splitting the text.
    ctx.impl.static_output = lambda text: groups[-1].append(text)
    error = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # `from alembic import op` in the prelude names the proxy Alembic
        # installs while a migration runs; this context plays that part.
        namespace["op"] = Operations(ctx)
        tree = ast.parse("\n".join(case["lines"]), case["name"])
        for stmt in tree.body:
            groups.append([])
            module = ast.Module(body=[stmt], type_ignores=[])
            try:
                exec(compile(module, case["name"], "exec"), namespace)
            except Exception as exc:  # noqa: BLE001 - the error is the result
                error = {
                    "type": type(exc).__name__,
                    "message": str(exc),
                    "group": len(groups) - 1,
                }
                break
    return {"name": case["name"], "groups": groups, "error": error}


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = []
    for path in argv[1:]:
        with open(path, encoding="utf-8") as f:
            prelude, cases = split_cases(f.read())
        for case in cases:
            result = render_case(prelude, case)
            result["file"] = path
            out.append(result)
    json.dump({"cases": out}, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

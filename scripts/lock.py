#!/usr/bin/env python
"""Writes ``requirements.lock``: every package the bot needs at run time (not the test extra),
pinned at the version installed in this virtualenv — what the Docker image installs.

Run after changing the dependencies in pyproject.toml and installing them (to move a pin, install
that version first): ``.venv/bin/python scripts/lock.py``. ``--check`` only says whether the lock
is current. ``scripts/bootstrap`` installs with the lock as constraints, so a new release on the
index changes nothing until the lock is written again.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from importlib.metadata import distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
HEADER = ("# Written by scripts/lock.py from the virtualenv the tests ran in: the run-time dependencies\n"
          "# of kefu-assist, pinned. The Docker image installs exactly these. Do not edit by hand.\n")


def pins() -> dict[str, str]:
    """``name -> version`` for everything pyproject.toml's dependencies need, extras included."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found: dict[str, str] = {}
    todo = [(r.name, frozenset(r.extras)) for r in map(Requirement, project["dependencies"])]
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        if (canonicalize_name(name), extras) in done:
            continue
        done.add((canonicalize_name(name), extras))
        dist = distribution(name)
        found[dist.metadata["Name"]] = dist.version
        for line in dist.requires or []:
            requirement = Requirement(line)
            wanted = requirement.marker is None or any(
                requirement.marker.evaluate({"extra": extra}) for extra in extras or {""})
            if wanted:
                todo.append((requirement.name, frozenset(requirement.extras)))
    return found


def lock_text() -> str:
    return HEADER + "".join(f"{name}=={version}\n" for name, version in sorted(pins().items(), key=lambda kv: kv[0].lower()))


def main() -> int | str:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only say whether the lock is current (exit 1 if not)")
    args = parser.parse_args()
    text = lock_text()
    if args.check:
        current = LOCK.read_text(encoding="utf-8") if LOCK.exists() else ""
        return 0 if current == text else "requirements.lock is stale: run scripts/lock.py"
    LOCK.write_text(text, encoding="utf-8")
    print(f"{LOCK.name}: {text.count('==')} packages pinned")
    return 0


if __name__ == "__main__":
    sys.exit(main())

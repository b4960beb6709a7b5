"""Where the files beside the code live: the migrations, ``alembic.ini``, the default knowledge.

A checkout keeps them at the repository's root (``migrations/``, ``knowledge/``: the layout the
developers' guide, ``scripts/run`` and the tests use); an installed package carries copies
under ``bot/_shipped/``, put there by the build (``setup.py``). Either way, ask here.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SHIPPED = PACKAGE / "_shipped"


def shipped(name: str) -> Path:
    """``name`` (``migrations``, ``alembic.ini``, ``knowledge``) in the package, else in the checkout."""
    inside = SHIPPED / name
    return inside if inside.exists() else PACKAGE.parent / name

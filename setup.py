"""The build step pyproject.toml cannot declare: the package carries what it needs at run time
from the repository's root — ``alembic.ini``, ``migrations/`` and the default ``knowledge/`` —
as ``bot/_shipped/`` (read through :mod:`bot.shipped`). The checkout keeps its layout; an
editable install reads them in place.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("alembic.ini", "migrations", "knowledge")


class BuildWithShippedFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "bot" / "_shipped"
        target.mkdir(parents=True, exist_ok=True)
        for name in SHIPPED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, target / name, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithShippedFiles})

"""The package as an operator installs it: ``pip install .`` from a fresh clone into a new
virtualenv, then ``kefu`` from an empty directory, with no source tree anywhere in reach.

Slow (a virtualenv and every dependency, ~2 min from the local package mirror): the install
is made once per test run, shared by the tests below.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import free_port, wait_for_json

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Installed:
    venv: Path
    home: Path

    def kefu(self, *args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.venv / "bin" / "kefu"), *args], cwd=cwd, env=self.env(),
                              capture_output=True, text=True, timeout=timeout)

    def env(self) -> dict[str, str]:
        """Nothing of this checkout: no PYTHONPATH, no settings, a home of its own."""
        return {"PATH": f"{self.venv / 'bin'}:/usr/bin:/bin", "HOME": str(self.home), "LANG": "C.UTF-8"}


def fresh_clone(target: Path) -> Path:
    """What ``git clone`` gives (the files git tracks, as they are now), without .venv, data or builds."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    return target


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("package")
    clone = fresh_clone(base / "clone")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    done = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--constraint", str(clone / "requirements.lock"), "."],
        cwd=clone, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    (base / "home").mkdir()
    return Installed(venv, base / "home")


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "somewhere-else"
    directory.mkdir()
    return directory


def test_the_installed_package_imports_nothing_from_the_checkout(installed: Installed, empty_dir: Path) -> None:
    python = installed.venv / "bin" / "python"
    where = subprocess.run([str(python), "-c", "import bot.shipped as s; print(s.shipped('migrations'))"],
                           cwd=empty_dir, env=installed.env(), capture_output=True, text=True, check=True).stdout
    assert where.strip().startswith(str(installed.venv)) and str(ROOT) not in where


def test_version(installed: Installed, empty_dir: Path) -> None:
    done = installed.kefu("--version", cwd=empty_dir)
    assert done.returncode == 0 and done.stdout.strip() == "kefu-assist 0.1.0"


def test_migrate_then_check_from_an_empty_directory(installed: Installed, empty_dir: Path) -> None:
    migrated = installed.kefu("migrate", cwd=empty_dir)
    assert migrated.returncode == 0, migrated.stderr
    assert "revision 0" in migrated.stdout and (empty_dir / "data" / "kefu.db").is_file()
    checked = installed.kefu("check", "我们不补货了", "亲，您好", cwd=empty_dir)
    assert checked.returncode == 1, checked.stderr  # 1: a draft must not be sent
    assert "不可发送" in checked.stdout and "工厂不再生产了" in checked.stdout and "可以发送" in checked.stdout
    backed = installed.kefu("backup", "kefu.backup", cwd=empty_dir)
    assert backed.returncode == 0 and (empty_dir / "kefu.backup").stat().st_size > 0, backed.stderr


def test_run_puts_a_working_copy_of_the_knowledge_in_place(installed: Installed, empty_dir: Path) -> None:
    port = free_port()
    env = {**installed.env(), "LOCAL_PORT": str(port)}
    process = subprocess.Popen([str(installed.venv / "bin" / "kefu"), "run"], cwd=empty_dir, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for_json(f"http://127.0.0.1:{port}/api/people"), "local mode did not answer"
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert "copied the default knowledge" in output and (empty_dir / "knowledge" / "rules").is_dir(), output[-2000:]
    assert "Traceback" not in output, output[-2000:]


def test_the_lock_pins_what_the_dependencies_need_now() -> None:
    """requirements.lock (what the image installs) is regenerated whenever the dependencies change."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "lock.py"), "--check"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert "aiolimiter==" in lock and "tornado" not in lock and "pytest" not in lock

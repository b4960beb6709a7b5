"""The deployment files as a user gets them. No Docker engine here: compose is validated by
Debian's docker-compose (needs none), the nginx config is checked by ``nginx -t`` and run for
real against a stub replica, the systemd unit by ``systemd-analyze verify``; the Dockerfile's
structure is asserted."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import struct
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import yaml
from aiohttp import web

from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def needs(tool: str) -> str:
    path = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")
    if path is None:
        pytest.skip(f"{tool} is not installed")
    return path


def test_compose_runs_postgres_a_migration_and_scalable_webhook_replicas() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "pgdata" in compose["volumes"] and services["postgres"]["volumes"][0].startswith("pgdata:")
    assert services["migrate"]["command"][-1] == "migrate"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    bot = services["bot"]
    assert bot["command"][-1] == "webhook" and "container_name" not in bot and "ports" not in bot  # --scale works
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/health" in " ".join(bot["healthcheck"]["test"])
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert services["lb"]["depends_on"]["bot"]["condition"] == "service_healthy"
    assert services["lb"]["ports"] == ["8443:8443"] and "ports" not in services["postgres"]


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    compose = needs("docker-compose")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")  # what the user is told to do
    done = subprocess.run([compose, "config", "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([compose, "--profile", "single", "config", "--services"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert set(done.stdout.split()) == {"postgres", "migrate", "bot", "lb", "bot-single"}, done.stderr


def test_the_image_installs_dependencies_before_the_code_and_checks_its_health() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    steps = [line.split()[0] for line in dockerfile.splitlines() if re.match(r"^[A-Z]+ ", line)]
    lines = [line for line in dockerfile.splitlines() if re.match(r"^[A-Z]+ ", line)]
    final = lines[max(i for i, line in enumerate(lines) if line.startswith("FROM")):]  # the image's stage
    position = {what: next(i for i, line in enumerate(final) if what in line)
                for what in ("COPY requirements.lock", "pip install --no-cache-dir -r", "COPY --from=wheel",
                             "--no-deps /tmp/wheel/", "HEALTHCHECK")}
    assert position["COPY requirements.lock"] < position["pip install --no-cache-dir -r"] < position["COPY --from=wheel"]
    assert sum("pip install" in line for line in final) == 2  # the dependencies, then the bot once
    assert not any(line.startswith("COPY") and re.search(r"\bbot\b|\. \.", line) for line in final)
    assert "fonts-wqy-microhei" in dockerfile and "noto-cjk" not in dockerfile
    assert steps.count("FROM") == 2 and "/health" in dockerfile and "USER kefu" in dockerfile


def test_the_build_context_leaves_out_secrets_tests_and_artefacts() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".env", ".env.*", "tests", "test-artifacts", ".venv", ".git", "data", "**/__pycache__"} <= ignored
    assert "!.env.example" in ignored


def test_the_systemd_unit_verifies(tmp_path: Path) -> None:
    analyze = needs("systemd-analyze")
    unit = (ROOT / "deploy" / "kefu.service").read_text(encoding="utf-8")
    assert "ExecStartPre=/srv/kefu/.venv/bin/kefu migrate" in unit and "ExecStart=/srv/kefu/.venv/bin/kefu run" in unit
    assert "RestartPreventExitStatus=2" in unit and "User=kefu" in unit
    (tmp_path / ".venv" / "bin").mkdir(parents=True)  # the installation the unit expects, here
    kefu = tmp_path / ".venv" / "bin" / "kefu"
    kefu.write_text("#!/bin/sh\n")
    kefu.chmod(0o755)
    (tmp_path / ".env").touch()
    placed = tmp_path / "kefu.service"
    placed.write_text(unit.replace("/srv/kefu", str(tmp_path)), encoding="utf-8")
    done = subprocess.run([analyze, "verify", str(placed)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


# -- nginx --------------------------------------------------------------------------------------

def _nginx_prefix(tmp_path: Path, server_conf: str) -> Path:
    """A prefix where nginx runs unprivileged-style: the config as nginx's image includes it
    (inside ``http``), every path under ``tmp_path``."""
    for name in ("logs", "tmp"):
        (tmp_path / name).mkdir(exist_ok=True)
    (tmp_path / "default.conf").write_text(server_conf, encoding="utf-8")
    temp = " ".join(f"{kind}_temp_path {tmp_path}/tmp/{kind};" for kind in
                    ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"master_process off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/logs/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; {temp} include {tmp_path}/default.conf; }}\n", encoding="utf-8")
    return tmp_path


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    nginx = needs("nginx")
    prefix = _nginx_prefix(tmp_path, NGINX_CONF)
    done = subprocess.run([nginx, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "test is successful" in done.stderr, done.stderr


class _DNS(asyncio.DatagramProtocol):
    """Docker's resolver in miniature: every A question answered with ``addresses``."""

    def __init__(self, addresses: list[str]) -> None:
        self.addresses = addresses
        self.questions = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.questions += 1
        end = data.index(b"\0", 12) + 5  # the question: name, type, class
        answers = b"".join(b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 10, 4) + socket.inet_aton(a)
                           for a in self.addresses)
        header = data[:2] + struct.pack(">HHHHH", 0x8180, 1, len(self.addresses), 0, 0)
        self.transport.sendto(header + data[12:end] + answers, addr)  # type: ignore[attr-defined]


@pytest.fixture
async def nginx_in_front(tmp_path: Path) -> AsyncIterator[tuple[str, list[str], _DNS]]:
    """The real nginx with the real config, its replicas two stubs on 127.0.0.1 and 127.0.0.2
    found through a DNS server of the test; yields nginx's URL and what reached the stubs."""
    nginx = needs("nginx")
    reached: list[str] = []

    async def stub(request: web.Request) -> web.Response:
        reached.append(f"{request.transport.get_extra_info('sockname')[0]} {request.method} {request.path}")
        return web.Response(text="replica")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stub)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    replica_port = free_port()
    for host in ("127.0.0.1", "127.0.0.2"):
        await web.TCPSite(runner, host, replica_port).start()
    dns = _DNS(["127.0.0.1", "127.0.0.2"])
    transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(lambda: dns, local_addr=("127.0.0.1", 0))
    dns_port = transport.get_extra_info("sockname")[1]
    port = free_port()
    conf = (NGINX_CONF.replace("listen 8443;", f"listen 127.0.0.1:{port};")
            .replace("resolver 127.0.0.11 ", f"resolver 127.0.0.1:{dns_port} ")
            .replace("http://bot:8443", f"http://bot:{replica_port}"))
    assert conf.count(str(port)) and conf.count(str(dns_port)) and conf.count(str(replica_port))
    prefix = _nginx_prefix(tmp_path, conf)
    process = await asyncio.create_subprocess_exec(nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                                                   "-g", "daemon off;", stderr=asyncio.subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}", reached, dns
    finally:
        process.terminate()
        await process.wait()
        transport.close()
        await runner.cleanup()


async def test_only_the_webhook_path_goes_through_nginx(nginx_in_front: tuple[str, list[str], _DNS]) -> None:
    base, reached, dns = nginx_in_front
    async with aiohttp.ClientSession() as session:
        answers = {}
        for method, path in (("POST", "/telegram"), ("GET", "/metrics"), ("GET", "/health"), ("GET", "/live"),
                             ("POST", "/metrics"), ("GET", "/telegram"), ("POST", "/telegram/../metrics")):
            async with session.request(method, base + path) as answer:
                answers[method, path] = (answer.status, await answer.text())
    assert answers["POST", "/telegram"] == (200, "replica")
    for blocked in (("GET", "/metrics"), ("GET", "/health"), ("GET", "/live"), ("POST", "/metrics"),
                    ("POST", "/telegram/../metrics")):
        assert answers[blocked][0] == 404 and "replica" not in answers[blocked][1], blocked
    assert answers["GET", "/telegram"][0] == 403  # only Telegram's POST
    assert [r.split(" ", 1)[1] for r in reached] == ["POST /telegram"]
    assert dns.questions >= 1  # the replicas were looked up while running, not at start


async def test_posts_go_round_every_replica_the_resolver_returns(nginx_in_front: tuple[str, list[str], _DNS]) -> None:
    base, reached, _ = nginx_in_front
    async with aiohttp.ClientSession() as session:
        for _ in range(6):
            async with session.post(base + "/telegram", data=b"{}") as answer:
                assert answer.status == 200
    assert {r.split(" ")[0] for r in reached} == {"127.0.0.1", "127.0.0.2"}

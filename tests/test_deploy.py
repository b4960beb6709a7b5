"""The deployment files as a user gets them (no Docker engine here: their structure is checked)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


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
    assert "server bot:8443" in (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def test_the_image_brings_a_cjk_font_and_the_knowledge() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "fonts-noto-cjk" in dockerfile and "COPY knowledge" in dockerfile and "COPY migrations" in dockerfile

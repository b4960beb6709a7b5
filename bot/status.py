"""The probes beside a running bot: ``/live`` (the process answers), ``/health`` (the database
answers) and ``/metrics`` (Prometheus). A webhook replica serves them on its webhook server;
long polling on a small server of its own, ``STATUS_HOST:STATUS_PORT`` (loopback by default:
they are for the machine's own checks and scraper, never the world).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
SERVICES = web.AppKey("kefu_status_services", object)


def add_probes(app: web.Application, services: Services) -> None:
    app[SERVICES] = services
    app.router.add_get("/live", live)
    app.router.add_get("/health", health)
    app.router.add_get("/metrics", metrics)


async def live(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def health(request: web.Request) -> web.Response:
    services: Services = request.app[SERVICES]  # type: ignore[assignment]
    try:
        await asyncio.wait_for(services.db.ping(), 5)
    except Exception as error:
        log.warning("health check: database unreachable: %s", error)
        return web.Response(status=503, text="database unreachable")
    return web.Response(text="ok")


async def metrics(request: web.Request) -> web.Response:
    services: Services = request.app[SERVICES]  # type: ignore[assignment]
    backlog = await services.outbox.backlog()
    services.metrics.outbox_pending.set(backlog.pending)
    services.metrics.outbox_failed.set(backlog.failed)
    return web.Response(body=services.metrics.exposition(), content_type="text/plain")


class StatusServer:
    """The probes on their own port (long polling): started after the bot, stopped before it.

    A port already taken is logged and the bot runs on without its probes: a second bot on the
    machine (or a test) must not fail for want of a monitoring port.
    """

    def __init__(self, services: Services) -> None:
        self.services = services
        self.runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> int | None:
        app = web.Application()
        add_probes(app, self.services)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            log.warning("status server: cannot listen on %s:%s (%s): no /health or /metrics", host, port, error)
            await runner.cleanup()
            return None
        self.runner = runner
        bound = runner.addresses[0][1]
        log.info("status server: http://%s:%s/health and /metrics", host, bound)
        return bound

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

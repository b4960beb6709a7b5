"""Webhook mode (``python -m bot webhook``): Telegram posts updates to an aiohttp server.

Every request must carry Telegram's secret token header (wrong or missing: 403, nothing
processed); bodies are bounded; malformed JSON gets 400 and a log line, never a crash. An
update is taken once across replicas (``processed_updates``: the first to insert its id wins;
Telegram retrying, or a load balancer sending it twice, finds it taken; see
:mod:`bot.storage.claims`). Taken means handled, then answered 200 with the draft's verdict in
the answer (:mod:`bot.telegram.webhook_reply`) — or, with ``WEBHOOK_REPLY_IN_RESPONSE`` off,
answered at once and queued in memory. Either way a replica killed mid-update loses that
update (at most once, by choice: a draft checked twice is noise to the agent, one not checked
is sent again by the agent). A failed claim answers 500, so Telegram retries it. Beside it:
the probes of :mod:`bot.status` (``/live``, ``/health``, ``/metrics``).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
from urllib.parse import urlparse

from aiohttp import web
from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest

from bot.services import Services
from bot.status import add_probes
from bot.storage.claims import UpdateClaims
from bot.telegram import webhook_reply

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
KEY = web.AppKey("kefu_webhook", dict)


async def receive(request: web.Request) -> web.Response:
    state = request.app[KEY]
    services: Services = state["services"]
    metrics = services.metrics
    if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), state["secret"]):
        metrics.updates.labels("rejected").inc()
        return web.Response(status=403, text="wrong secret token")
    try:
        data = await request.json()
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            raise ValueError("not an update")
        update = Update.de_json(data, state["application"].bot)
    except web.HTTPRequestEntityTooLarge:
        raise
    except Exception as error:  # any malformed body: answered, logged, never a crash
        metrics.updates.labels("malformed").inc()
        log.warning("malformed webhook body from %s: %s", request.remote, error)
        return web.Response(status=400, text="malformed update")
    if not await state["claims"].claim(update.update_id):
        metrics.updates.labels("duplicate").inc()
        return web.Response(text="ok")
    metrics.updates.labels("accepted").inc()
    application = state["application"]
    if not services.settings.webhook_reply_in_response:
        await application.update_queue.put(update)
        return web.Response(text="ok")
    # Handled before answering, in this task (the update processor keeps each chat in order),
    # so that the verdict can ride on the answer (see bot.telegram.webhook_reply).
    answer = webhook_reply.expect(update)
    await application.update_processor.process_update(update, application.process_update(update))
    if answer.method is not None:
        metrics.webhook_replies.inc()
        return web.json_response(answer.method)
    return web.Response(text="ok")


def webhook_app(application: Application, services: Services, path: str, secret: str) -> web.Application:
    app = web.Application(client_max_size=services.settings.webhook_max_body_bytes)
    app[KEY] = {"application": application, "services": services, "secret": secret,
                "claims": UpdateClaims(services.db, services.now)}
    app.router.add_post(path, receive)
    add_probes(app, services)
    return app


async def serve_webhook(services: Services, stop: asyncio.Event | None = None,
                        started: asyncio.Future[int] | None = None, request: BaseRequest | None = None) -> None:
    """Run one replica until ``stop`` is set or SIGTERM/SIGINT arrives (``request``: tests)."""
    from bot.telegram.app import ALLOWED_UPDATES, build_application

    settings = services.settings
    if not settings.telegram_webhook_url or settings.telegram_webhook_secret is None:
        raise ValueError("webhook mode needs TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET")
    secret = settings.telegram_webhook_secret.get_secret_value()
    path = urlparse(settings.telegram_webhook_url).path or "/"
    application = build_application(services, request=request)
    await application.initialize()
    await application.start()
    assert application.post_init is not None
    await application.post_init(application)
    # Every replica registers the same URL: idempotent.
    await application.bot.set_webhook(settings.telegram_webhook_url, secret_token=secret,
                                      allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
    runner = web.AppRunner(webhook_app(application, services, path, secret), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    port = runner.addresses[0][1]  # the bound port (WEBHOOK_PORT=0 picks a free one)
    log.info("webhook replica %s listening on %s:%s%s", services.leases.holder, settings.webhook_host, port, path)
    if started is not None:
        started.set_result(port)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread (tests)
            pass
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await application.stop()
        await application.shutdown()
        await services.leases.release_all()
        await services.close()


"""Start-up in one place: the Application, its handlers (in order) and what runs at start.

Handler groups: -2 is the access guard (who is this?), -1 routes typed text to the multi-step
flow the sender is in (a handoff note, a practice run — looked up in the database, and it
stops the update there), 0 does the work. Within group 0 the first matching handler wins,
so the order below matters where noted.
"""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.services import Services
from bot.status import StatusServer
from bot.telegram import presses
from bot.commands import KIND_COMMANDS
from bot.telegram.access import identify
from bot.telegram.commands import NEW_MESSAGE, command
from bot.telegram.aiohttp_request import AiohttpRequest
from bot.telegram.httpx_request import ClassifyingHTTPXRequest
from bot.telegram.context import CONTEXT_TYPES
from bot.telegram.errors import on_error
from bot.telegram.handlers import (
    admin,
    disputes,
    drafts,
    flows,
    handoff,
    handoffs,
    knowledge,
    orders,
    phrasings,
    practice,
    proposals,
    reports,
    shifts,
    start,
    uploads,
)
from bot.telegram.knowledge_watch import start_watching
from bot.telegram.menus import set_default_menu
from bot.telegram.outbox_sender import start_delivering
from bot.telegram.scheduler import start_sweeping
from bot.telegram.resilience import RetryingRateLimiter
from bot.telegram.updates import PerChatUpdateProcessor

log = logging.getLogger(__name__)
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]


def build_application(
    services: Services,
    *,
    token: str | None = None,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
) -> Application:
    """The bot over ``services``; ``request`` replaces the network (tests, benchmarks, local mode)."""
    settings = services.settings
    token = token or (settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None)
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_api_base_url.removesuffix("/bot") + "/file/bot")
        .context_types(CONTEXT_TYPES)
        .defaults(Defaults(
            parse_mode=ParseMode.HTML, tzinfo=settings.shop_tz,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ))
        .rate_limiter(RetryingRateLimiter(
            overall_max_rate=settings.telegram_overall_max_rate,
            network_retries=settings.telegram_network_retries,
        ))
        .concurrent_updates(PerChatUpdateProcessor(observe=services.metrics.handled.observe))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    elif settings.telegram_http_client == "aiohttp":
        builder = builder.request(AiohttpRequest(settings.telegram_connection_pool_size))
    else:
        # httpcore walks its whole pool on every request: PTB's default of 256 connections cost a
        # webhook replica most of its CPU under load (measured); a few dozen keep Telegram busy.
        builder = builder.request(ClassifyingHTTPXRequest(
            connection_pool_size=settings.telegram_connection_pool_size, pool_timeout=10.0))
    application = builder.build()
    application.bot_data.services = services
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    application.add_handler(TypeHandler(Update, identify), group=-2)  # refuses strangers, sets context.member

    text = filters.TEXT & ~filters.COMMAND
    # While a handoff note is being written, or a practice runs, typed text belongs to it.
    application.add_handler(MessageHandler(NEW_MESSAGE & text, flows.typed), group=-1)
    application.add_handlers([
        command("handoff", handoff.start),
        command("practice", practice.choose),
        command("cancel", flows.cancel),
        command("start", start.start),
        command("help", start.show_help),
        command(list(KIND_COMMANDS), phrasings.by_kind),
        command("phrase", phrasings.by_words),
        command("order", orders.log_order),
        command("orders", orders.list_untagged),
        command("invite", admin.invite),
        command("roster", admin.roster),
        command("reload", admin.reload),
        command("outbox", admin.outbox),
        command("on", shifts.go_on),
        command("off", shifts.go_off),
        command("shift", shifts.who_is_on),
        command("handoffs", handoffs.list_notes),
        command("report", reports.report),
        command("propose", proposals.propose),
        command("rule", proposals.propose_rule),
        command("proposals", proposals.pending),
        command("flags", disputes.open_disputes),
        command("missed", disputes.missed),
        command("knowledge", knowledge.knowledge),
        command("usage", knowledge.usage),
        # Buttons: each handler is offered its kinds' prefixes (bot/buttons.py) …
        *(presses.handler(callback) for callback in (
            handoff.navigate, practice.picked,
            phrasings.more, phrasings.pick_situation, phrasings.situation, phrasings.fill, orders.tag,
            handoffs.read_or_done, handoffs.status, handoffs.open_note, proposals.from_draft,
            proposals.from_phrasing, proposals.choose, proposals.submit, proposals.review,
            knowledge.retire_or_keep, disputes.dispute, disputes.decide, disputes.missed_pick,
        )),
        # … and, after them, any button nobody took (a forged prefix, a step of a flow that has
        # ended) is answered as stale.
        CallbackQueryHandler(presses.stale),
        # 上班 / 下班 typed on their own are /on and /off, not drafts.
        MessageHandler(NEW_MESSAGE & filters.Regex(r"^\s*上班\s*$"), shifts.go_on),
        MessageHandler(NEW_MESSAGE & filters.Regex(r"^\s*下班\s*$"), shifts.go_off),
        # A reply to a prompt (fill a phrasing, a proposal's text) before the draft check takes all text.
        MessageHandler(NEW_MESSAGE & text & filters.REPLY, phrasings.answer_prompt),
        MessageHandler(filters.UpdateType.MESSAGES & text, drafts.check_draft),
        MessageHandler(NEW_MESSAGE & filters.COMMAND, start.unknown_command),
        # A file sent to the bot is a chat export for the conversation audit (supervisors and up).
        MessageHandler(NEW_MESSAGE & filters.Document.ALL, uploads.transcript),
        MessageHandler(NEW_MESSAGE & ~filters.TEXT, start.not_text),
    ])
    application.add_error_handler(on_error)


async def _post_init(application: Application) -> None:
    """The default menu and the repeating jobs (knowledge watch, outbox, sweep)."""
    services: Services = application.bot_data.services
    await set_default_menu(application.bot)  # failures are logged there, never fatal; members
    # get their own menu with their first update after a start (see access.identify)
    await start_watching(application)
    start_delivering(application)
    start_sweeping(application)
    log.info("bot ready (%s)", services.leases.holder)


async def _post_shutdown(application: Application) -> None:
    """After the last update: hand the leases back, write the buffered events, close the database."""
    services: Services = application.bot_data.services
    await services.leases.release_all()
    await services.close()


def run_polling(services: Services) -> None:
    """Long polling until interrupted (the README's run command, with a token), the probes of
    :mod:`bot.status` beside it on ``STATUS_HOST:STATUS_PORT``."""
    application = build_application(services)
    status = StatusServer(services)
    post_init, post_shutdown = application.post_init, application.post_shutdown
    assert post_init is not None and post_shutdown is not None

    async def start_status(app: Application) -> None:
        await post_init(app)
        await status.start(services.settings.status_host, services.settings.status_port)

    async def stop_status(app: Application) -> None:
        await status.stop()  # before the database closes
        await post_shutdown(app)

    application.post_init, application.post_shutdown = start_status, stop_status
    application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)


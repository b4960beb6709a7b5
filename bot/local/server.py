"""Local mode's web server (aiohttp): the chat page and the little API it talks to.

Every action on the page becomes a real ``Update`` (as Telegram's JSON, parsed by PTB) put on
the Application's update queue, so the very same handlers, database and jobs answer it; what
the bot sends comes back through :class:`LocalBotAPI`'s feed. POSTs must carry the header
``X-Kefu-Local`` (a page of another site cannot send it without the browser asking first).
Every request must name this server in its ``Host`` header (127.0.0.1, localhost or [::1] and
the bound port): a site whose name an attacker points at 127.0.0.1 (DNS rebinding) is refused
with 421, so its page can neither read the chat nor press anything.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from pathlib import Path
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.local.transport import LocalBotAPI
from bot.services import Services
from bot.telegram.offline import callback_json, message_json
from bot.telegram.scheduler import sweep_now
from bot.texts import role_label, t

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
POLL_SECONDS = 20.0
MAX_TEXT = 4096  # Telegram's limit, in UTF-16 code units as Telegram counts (an emoji is 2)
FIRST_NEWCOMER = 70001  # newcomers' Telegram ids: far from the demo roster's
HEADER = "X-Kefu-Local"
APP_KEY = web.AppKey("kefu", dict)


class LocalChat:
    """Turns the page's actions into updates for ``application``."""

    def __init__(self, application: Application, api: LocalBotAPI, services: Services) -> None:
        self.application = application
        self.api = api
        self.services = services
        self._update_ids = itertools.count(1)
        self._newcomer_ids = itertools.count(FIRST_NEWCOMER)
        self.newcomers: dict[int, str] = {}  # Telegram id → name, of people the page added

    async def _member_name(self, chat_id: int) -> str:
        member = await self.services.roster.member(chat_id)
        return member.name if member else self.newcomers.get(chat_id, "访客")

    async def add_newcomer(self) -> int:
        """A fresh Telegram account, not on the roster: someone who can send ``/start CODE``."""
        chat_id = next(self._newcomer_ids)
        while await self.services.roster.member(chat_id) is not None:
            chat_id = next(self._newcomer_ids)
        self.newcomers[chat_id] = f"新同事 {len(self.newcomers) + 1}"
        return chat_id

    async def open_prompt(self, chat_id: int) -> int | None:
        """The reply prompt to arm on a (re)loaded page: the last message the bot sent this
        person, if it asked for a reply and that question is still open (unanswered)."""
        sent = next((i for i in reversed(self.api.feed)
                     if i["chat"] == chat_id and i.get("kind") in ("message", "photo")), None)
        if sent is None or not sent.get("force_reply"):
            return None
        member = await self.services.roster.member(chat_id)
        if member is None:
            return None
        message_id = int(sent["message_id"])
        async with self.services.db.transaction() as repos:
            open_ = (await repos.fill_requests.by_prompt(chat_id, message_id) is not None
                     or await repos.reply_prompts.take(chat_id, message_id, member.id) is not None)
        return message_id if open_ else None

    async def _put(self, data: dict[str, Any]) -> None:
        update = Update.de_json({"update_id": next(self._update_ids), **data}, self.application.bot)
        await self.application.update_queue.put(update)

    async def send(self, chat_id: int, text: str, reply_to: int | None) -> int:
        message_id = self.api.next_message_id()
        await self.api.publish({"chat": chat_id, "kind": "user", "message_id": message_id, "html": text,
                                "reply_to": reply_to})
        await self._put({"message": message_json(chat_id, text, message_id=message_id,
                                                 name=await self._member_name(chat_id), reply_to=reply_to)})
        return message_id

    async def edit(self, chat_id: int, message_id: int, text: str) -> None:
        await self.api.publish({"chat": chat_id, "kind": "user_edit", "message_id": message_id, "html": text})
        await self._put({"edited_message": message_json(chat_id, text, message_id=message_id,
                                                        name=await self._member_name(chat_id), edited=True)})

    async def press(self, chat_id: int, message_id: int, data: str) -> None:
        query_id = f"local-{next(self._update_ids)}"
        self.api.callback_chats[query_id] = chat_id
        shown = self._shown(chat_id, message_id, ("message", "photo", "edit"))
        replied = self._shown(chat_id, shown.get("reply_to"), ("user", "user_edit"))
        await self._put({"callback_query": callback_json(
            query_id, chat_id, data, message_id=message_id, message_text=shown.get("html") or "",
            name=await self._member_name(chat_id),
            replied=(replied["message_id"], replied["html"]) if replied else None,
            markup={"inline_keyboard": shown["buttons"]} if shown.get("buttons") else None)})

    def _shown(self, chat_id: int, message_id: object, kinds: tuple[str, ...]) -> dict[str, Any]:
        """The newest item of the chat's feed showing that message (its edit, if edited)."""
        return next((i for i in reversed(self.api.feed)
                     if i["chat"] == chat_id and i.get("message_id") == message_id and i.get("kind") in kinds), {})


def _bad(what: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=t("local.bad_request", escape=False, what=what))


def _from_the_page(request: web.Request) -> None:
    """POSTs carry the header another site's page cannot send without the browser asking first."""
    if request.headers.get(HEADER) != "1":
        raise web.HTTPForbidden(text=t("local.bad_request", escape=False, what=f"缺少 {HEADER} 请求头"))


async def _json(request: web.Request) -> dict[str, Any]:
    _from_the_page(request)
    try:
        data = await request.json()
    except ValueError as error:
        raise _bad("内容必须是 JSON") from error
    if not isinstance(data, dict) or not isinstance(data.get("chat"), int):
        raise _bad("缺少 chat（/api/people 里的 Telegram 账号）")
    return data


def telegram_length(text: str) -> int:
    """A text's length as Telegram counts it against its limits: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _text(data: dict[str, Any]) -> str:
    """The message as Telegram would take it (trimmed), or a 400 saying in Chinese what is wrong."""
    text = data.get("text")
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise web.HTTPBadRequest(text=t("local.empty"))
    count = telegram_length(text)
    if count > MAX_TEXT:
        raise web.HTTPBadRequest(text=t("local.too_long", count=count, limit=MAX_TEXT, over=count - MAX_TEXT))
    return text


async def page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html")


async def people(request: web.Request) -> web.Response:
    """The roster, then the newcomers the page added who are not on it yet."""
    services: Services = request.app[APP_KEY]["services"]
    chat: LocalChat = request.app[APP_KEY]["chat"]
    members = await services.roster.members()
    on_roster = {m.telegram_id for m in members}
    return web.json_response([
        *({"chat": m.telegram_id, "name": m.name, "role": m.role.value, "role_label": role_label(m.role),
           "agent_id": m.agent_id, "team": m.team} for m in members),
        *({"chat": chat_id, "name": name, "role": "newcomer", "role_label": "未登记", "agent_id": None, "team": None}
          for chat_id, name in chat.newcomers.items() if chat_id not in on_roster),
    ])


async def newcomer(request: web.Request) -> web.Response:
    _from_the_page(request)
    return web.json_response({"chat": await request.app[APP_KEY]["chat"].add_newcomer()})


async def prompt(request: web.Request) -> web.Response:
    try:
        chat_id = int(request.query["chat"])
    except (KeyError, ValueError) as error:
        raise _bad("chat 必须是数字") from error
    return web.json_response({"message_id": await request.app[APP_KEY]["chat"].open_prompt(chat_id)})


async def events(request: web.Request) -> web.Response:
    api: LocalBotAPI = request.app[APP_KEY]["api"]
    try:
        chat_id, after = int(request.query["chat"]), int(request.query.get("after", "0"))
        wait = min(POLL_SECONDS, float(request.query.get("wait", POLL_SECONDS)))
    except (KeyError, ValueError) as error:
        raise _bad("chat 和 after 必须是数字") from error
    return web.json_response(await api.since(chat_id, after, wait))


async def send(request: web.Request) -> web.Response:
    data = await _json(request)
    chat: LocalChat = request.app[APP_KEY]["chat"]
    reply_to = data.get("reply_to") if isinstance(data.get("reply_to"), int) else None
    return web.json_response({"message_id": await chat.send(data["chat"], _text(data), reply_to)})


async def edit(request: web.Request) -> web.Response:
    data = await _json(request)
    if not isinstance(data.get("message_id"), int):
        raise _bad("缺少 message_id")
    await request.app[APP_KEY]["chat"].edit(data["chat"], data["message_id"], _text(data))
    return web.json_response({"ok": True})


async def press(request: web.Request) -> web.Response:
    data = await _json(request)
    if not isinstance(data.get("message_id"), int) or not isinstance(data.get("data"), str):
        raise _bad("缺少 message_id 或 data")
    await request.app[APP_KEY]["chat"].press(data["chat"], data["message_id"], data["data"])
    return web.json_response({"ok": True})


async def photo(request: web.Request) -> web.Response:
    api: LocalBotAPI = request.app[APP_KEY]["api"]
    data = api.photos.get(int(request.match_info["message_id"]))
    if data is None:
        raise web.HTTPNotFound()
    return web.Response(body=data, content_type="image/png")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` headers that name a server bound to ``host``:``port`` (lower case)."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    if host not in ("", "0.0.0.0", "::"):
        names.add(f"[{host}]" if ":" in host else host)
    hosts = {f"{name}:{port}".lower() for name in names}
    return frozenset(hosts | ({name.lower() for name in names} if port == 80 else set()))


@web.middleware
async def _this_host_only(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.host.lower() not in request.app[APP_KEY]["hosts"]:
        raise web.HTTPMisdirectedRequest(text="wrong Host: open the page at the address the bot printed")
    return await handler(request)


def web_app(application: Application, api: LocalBotAPI, services: Services) -> web.Application:
    app = web.Application(client_max_size=64 * 1024, middlewares=[_this_host_only])
    app[APP_KEY] = {"api": api, "services": services, "chat": LocalChat(application, api, services),
                    "hosts": frozenset()}  # set once the port is bound: until then nothing is served
    app.router.add_get("/", page)
    app.router.add_get("/api/people", people)
    app.router.add_get("/api/events", events)
    app.router.add_get("/api/photo/{message_id}", photo)
    app.router.add_get("/api/prompt", prompt)
    app.router.add_post("/api/newcomer", newcomer)
    app.router.add_post("/api/send", send)
    app.router.add_post("/api/edit", edit)
    app.router.add_post("/api/press", press)
    return app


async def serve(services: Services, host: str, port: int, started: asyncio.Future[int] | None = None,
                stop: asyncio.Event | None = None) -> None:
    """Run the bot in local mode until ``stop`` is set (or forever)."""
    from bot.local.demo import load_demo_if_empty
    from bot.telegram.app import build_application

    if await load_demo_if_empty(services):
        log.info("empty database: the demo roster and day were loaded")
    api = LocalBotAPI()
    application = build_application(services, token="0:LOCAL", request=api)
    await application.initialize()
    await application.start()
    assert application.post_init is not None
    await application.post_init(application)
    await sweep_now(application)
    app = web_app(application, api, services)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0]
    app[APP_KEY]["hosts"] = allowed_hosts(host, bound[1])
    print(f"本地模式 / local mode: http://{bound[0]}:{bound[1]}/  (Ctrl+C stops)", flush=True)
    if started is not None:
        started.set_result(bound[1])
    try:
        await (stop.wait() if stop is not None else asyncio.Event().wait())
    finally:
        await runner.cleanup()
        await application.stop()
        await application.shutdown()
        await services.close()

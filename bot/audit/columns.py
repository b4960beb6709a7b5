"""Which column of a chat export is which, and which side sent a line.

Every tool names its columns its own way (时间/发送时间/time, 客服/旺旺/nick, 内容/消息 …), so
the names are matched liberally: exact names first, then short cells containing one. A file
whose rows also name the conversation — a buyer (买家/顾客/客户/buyer), or a session
(会话/会话ID/conversation) — can be audited as whole conversations.

旺旺 is the agent's column in an export that has no other (千牛's ``发送时间;旺旺;消息``); in
one that also has a 客服 column it is the buyer's 旺旺, so the conversation key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def norm_header(name: str) -> str:
    return re.sub(r"[\s\ufeff\"'_\-（）()\[\]【】:：/]", "", name).lower()


_ALIASES: dict[str, tuple[str, ...]] = {
    "time": ("time", "时间", "日期", "发送时间", "timestamp", "date", "datetime", "消息时间",
             "聊天时间", "时间戳", "sendtime", "sentat", "createdat"),
    "role": ("role", "角色", "发送方", "from", "direction", "方向", "身份", "senderrole", "sendertype"),
    "conversation": ("会话", "会话id", "会话编号", "会话号", "对话id", "对话编号", "咨询id", "接待id",
                     "conversation", "conversationid", "session", "sessionid", "chatid", "threadid"),
    "customer": ("买家", "顾客", "客户", "买家旺旺", "买家昵称", "买家账号", "买家id", "买家名", "买家名称",
                 "顾客昵称", "顾客名", "顾客id", "客户名", "客户昵称", "客户名称", "客户id", "访客", "访客id",
                 "buyer", "buyername", "buyerid", "buyernick", "customer", "customername", "customerid",
                 "visitor", "visitorid", "client", "clientid"),
    "agent": ("agent", "客服", "客服名", "工号", "客服工号", "发送人", "sender", "nick", "旺旺",
              "客服昵称", "昵称", "旺旺名", "子账号", "agentid", "agentname", "staff", "发送者"),
    "text": ("text", "内容", "消息", "聊天内容", "message", "content", "msg", "消息内容",
             "发送内容", "回复内容", "body"),
}
_NOT_TEXT = ("类型", "type", "id", "编号", "状态", "status")
# A cell naming a text column is never a conversation key (买家消息 is the buyer's message).
_KEY_KINDS = ("conversation", "customer")
_WANGWANG = ("旺旺", "旺旺名", "旺旺号", "旺旺昵称", "旺旺id")
# A date column beside a time column: the two are read together.
_DATE_ONLY = ("日期", "date", "发送日期", "聊天日期", "消息日期")
_CLOCK_ONLY = ("时间", "time", "发送时间", "消息时间", "聊天时间", "sendtime")


@dataclass(frozen=True, slots=True)
class Columns:
    """Indexes of the recognised columns (``text`` is always present)."""

    text: int
    time: int | None = None
    agent: int | None = None
    role: int | None = None
    conversation: int | None = None
    customer: int | None = None
    date: int | None = None  # a date column read with ``time`` (日期 + 时间)

    @property
    def key(self) -> int | None:
        """The column that tells conversations apart: a session if given, else the buyer."""
        return self.conversation if self.conversation is not None else self.customer

    @property
    def keyed(self) -> bool:
        """Whether conversations can be told apart and each line's side known: a key, and a
        role column or a sender column to compare with the buyer."""
        return self.key is not None and (self.role is not None or self.agent is not None)


def match_columns(header: list[str]) -> tuple[dict[str, int], set[str]]:
    """Which header cell is which kind (see :data:`_ALIASES`): exact names first, then short
    cells containing a name (``消息内容详情``). Returns the columns and the kinds matched exactly."""
    names = [norm_header(h) for h in header]
    found: dict[str, int] = {}
    for kind, aliases in _ALIASES.items():
        for index, name in enumerate(names):
            if name in aliases and index not in found.values():
                found[kind] = index
                break
    exact = set(found)
    for kind, aliases in _ALIASES.items():
        if kind in found:
            continue
        for index, name in enumerate(names):
            if index in found.values() or not name or len(name) > 12:
                continue
            if kind == "text" and any(word in name for word in _NOT_TEXT):
                continue
            if kind in _KEY_KINDS and any(len(a) >= 2 and a in name for a in _ALIASES["text"]):
                continue
            if any(len(alias) >= 2 and alias in name for alias in aliases):
                found[kind] = index
                break
    _wangwang_is_the_buyer(names, found)
    _date_beside_time(names, found)
    return found, exact


def _wangwang_is_the_buyer(names: list[str], found: dict[str, int]) -> None:
    """旺旺 taken for the agent while another column names the agent: 旺旺 is the buyer's."""
    agent = found.get("agent")
    if agent is None or names[agent] not in _WANGWANG or any(k in found for k in _KEY_KINDS):
        return
    used = set(found.values())
    for index, name in enumerate(names):
        if index in used or name in _WANGWANG or not name or len(name) > 12:
            continue
        if name in _ALIASES["agent"] or any(len(a) >= 2 and a in name for a in _ALIASES["agent"]):
            found["customer"], found["agent"] = agent, index
            return


def _date_beside_time(names: list[str], found: dict[str, int]) -> None:
    time = found.get("time")
    if time is None or names[time] not in _DATE_ONLY:
        return
    used = set(found.values())
    for index, name in enumerate(names):
        if index not in used and name in _CLOCK_ONLY:
            found["date"], found["time"] = time, index
            return


# -- who sent a line ------------------------------------------------------------------------

_AGENT_SIDE = frozenset({
    "客服", "卖家", "seller", "agent", "staff", "service", "商家", "店家", "店铺", "售前", "售后",
    "客服人员", "out", "outgoing", "outbound", "sent", "send", "发出", "发送", "shop", "kefu",
    "我", "我方", "support",
})
_CUSTOMER_SIDE = frozenset({
    "顾客", "客户", "买家", "buyer", "customer", "client", "user", "用户", "in", "incoming",
    "inbound", "received", "recv", "接收", "收到", "对方", "访客", "visitor", "guest", "客人",
})


@lru_cache(maxsize=4096)  # an export has a handful of role values, read on every row
def side_of(role: str) -> str | None:
    """``agent``, ``customer`` or None (not recognised) for a role/direction cell."""
    value = norm_header(role)
    if value in _AGENT_SIDE:
        return "agent"
    if value in _CUSTOMER_SIDE:
        return "customer"
    if any(word in value for word in ("客服", "卖家", "商家", "seller", "agent")):
        return "agent"
    if any(word in value for word in ("买家", "顾客", "客户", "buyer", "customer")):
        return "customer"
    return None

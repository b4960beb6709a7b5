"""Every interface text of the bot, in one place (简体中文 first).

Texts are Telegram HTML. :func:`t` fills a text and escapes the values, so a name or a
draft can never break the markup. Another language is another dict with the same keys.
"""

from __future__ import annotations

import html
from typing import Any

ZH: dict[str, str] = {
    # access
    "access.stranger": "您好！这是本店客服团队的内部助手，只为名单上的同事服务。如需使用，请联系管理员获取邀请码。",
    "access.denied": "⛔ /{command} 需要「{needed}」或以上的权限，您的角色是「{role}」。",
    "access.private_only": "请在与机器人的私聊中使用。",
    "access.unknown_command": "没有 /{command} 这个命令。发送 /help 查看可用的命令。",
    # roles
    "role.agent": "客服",
    "role.supervisor": "主管",
    "role.team_lead": "组长",
    "role.admin": "管理员",
    "role.unknown": "没有「{given}」这个角色；可用：agent 客服、supervisor 主管、team_lead 组长、admin 管理员。",
    # roster
    "roster.bad_name": "名字不能为空，最多 {limit} 个字。",
    "roster.bad_team": "团队名不能为空、不能有空格，最多 {limit} 个字。",
    "roster.bad_agent_id": "工号「{given}」不合格式：1–32 个字符，不能有空格。",
    "roster.agent_needs_id": "客服必须有工号（例如 A07）。",
    "roster.already_on": "这个 Telegram 账号已在名单上：{name}（{role}，{team}）。",
    "roster.agent_id_taken": "工号 {agent_id} 已经属于 {name}。",
    "roster.not_found": "名单上没有「{who}」。",
    "roster.last_admin": "不能移除最后一位管理员。",
    "roster.list_header": "<b>名单</b>（{count} 人）",
    "roster.list_line": "{team} · {role} · {name}{agent_id} · <code>{telegram_id}</code>",
    # invites and start
    "invite.usage": "用法：<code>/invite agent 工号 名字 [团队]</code>，或 <code>/invite supervisor|team_lead|admin 名字 [团队]</code>\n例如 <code>/invite agent A07 慧兰</code>",
    "invite.created": "邀请码已生成（只能用一次，{expires} 前有效）：\n<code>/start {code}</code>\n请让 {name}（{role}，{team}）在与机器人的私聊中发送上面这行。",
    "invite.unknown": "邀请码不对。请核对后重新发送 <code>/start 邀请码</code>，或联系管理员。",
    "invite.used": "这个邀请码已经用过了。请联系管理员重新生成。",
    "invite.expired": "这个邀请码已过期。请联系管理员重新生成。",
    "invite.agent_id_pending": "工号 {agent_id} 已有一个未使用的邀请码。",
    "start.welcome": "欢迎，{name}！您已加入 {team}，角色：{role}。\n发送 /help 查看我能帮您做什么。",
    "start.again": "{name}，您好！发送 /help 查看我能帮您做什么。",
    # help
    "help.agent": (
        "<b>客服助手能帮您：</b>\n"
        "• 直接发给我客服回复的草稿：我检查禁用语，给出合规的改写。\n"
        "• /greet 问候语（按时间）· /sorry 道歉语 · /refuse 婉转拒绝 · /thanks 道谢 · /bye 告别 · "
        "/wait 等待 · /explain 解释 · /consent 商量 · /congrats 祝贺 · /ask 征询 · /reply 应答；"
        "后面可以写情境，例如 <code>/sorry 快递延迟</code>。\n"
        "• /phrase 情境：按描述找话术，例如 <code>/phrase 客户嫌贵想砍价</code>。\n"
        "• /order 订单号 [备注内容]：记录订单，给出后台备注文字；/orders 查看还没备注的订单。"
    ),
    "help.supervisor": "\n\n<b>主管：</b>交接记录与提醒将在后续版本提供。",
    "help.team_lead": "\n\n<b>组长：</b>每日报表将在后续版本提供。",
    "help.admin": (
        "\n\n<b>管理员：</b>\n"
        "• /invite 角色 [工号] 名字 [团队]：生成一次性邀请码。\n"
        "• /roster：查看名单。\n"
        "• /reload：重新加载知识库（文件改动也会自动加载）。"
    ),
    # phrasings
    "phrasing.title": "<b>{kind}</b>{situation}",
    "phrasing.none": "没有找到合适的话术。换个说法试试，或发送 /phrase 加上情境描述。",
    "phrasing.line": "{number}. <code>{text}</code>",
    "phrasing.line_missing": "{number}. {text}\n    ✏️ 需要填写：{labels}",
    "phrasing.tap_to_copy": "点一下话术即可复制。",
    "phrasing.more": "更多 ▸",
    "phrasing.pick_situation": "选择情境",
    "phrasing.situations_title": "<b>{kind}</b>：请选择情境",
    "phrasing.copy": "📋 复制 {number}",
    "phrasing.fill": "✏️ 填写 {number}",
    "phrasing.gone": "这条话术已从知识库中移除，请重新获取。",
    "phrasing.words_hint": "请在 /phrase 后面描述情境，例如 <code>/phrase 快递三天没到，客户很着急</code>。",
    "fill.prompt": "请输入<b>{label}</b>（直接回复本消息）：\n{text}",
    "fill.placeholder": "请输入{label}",
    "fill.done": "✅ 已填好，可以复制：\n<code>{text}</code>",
    "fill.bad_value": "{label}不能为空、不能换行，最多 {limit} 个字。请重新回复上面的提示。",
    "fill.bad_days": "天数请填 1–3 位数字。请重新回复上面的提示。",
    "fill.bad_tracking": "快递单号应为 6–30 位字母或数字。请重新回复上面的提示。",
    # drafts
    "draft.ok": "✅ 可以发送",
    "draft.block": "⛔ <b>不能发送</b>：发现 {count} 处问题",
    "draft.warn": "⚠️ <b>建议修改</b>：发现 {count} 处问题",
    "draft.edited": "（已修改的消息）",
    "draft.flag": "{number}. 「{matched}」{severity}\n   {reason}",
    "draft.flag_block": "",
    "draft.flag_warn": "（提醒）",
    "draft.suggestion": "   建议：<code>{text}</code>",
    "draft.suggestion_missing": "   建议：{text}",
    "draft.copy_rewrite": "📋 复制改写",
    "draft.rewrite": "<b>改写后：</b>\n<code>{text}</code>",
    "draft.rewrite_missing": "<b>改写后</b>（发送前请填写：{labels}）：\n{text}",
    "draft.empty": "草稿是空的。",
    "draft.too_long": "草稿太长（{length} 字，最多 {limit} 字），没有检查。请分段发送。",
    "draft.unlogged_orders": "发现订单号 {numbers}，但您没有工号，所以没有记录。请联系管理员。",
    "draft.not_text": "我只能检查文字草稿。",
    # orders
    "order.usage": "用法：<code>/order 订单号 [备注内容]</code>，例如 <code>/order 3812345678901234567 赠品已备注</code>",
    "order.bad_number": "「{given}」不是本店的订单号格式。请检查后重新发送。",
    "order.no_agent_id": "您在名单上没有工号，无法生成备注。请联系管理员。",
    "order.note_too_long": "备注内容太长（最多 {limit} 个字）。",
    "order.remark_too_long": "备注有 {size} 字节，超过淘宝的 {limit} 字节上限。请缩短备注内容。",
    "order.logged": "🧾 订单 <code>{number}</code> 已记录。\n请在后台备注（{flag}）：\n<code>{remark}</code>\n备注好后点「已备注 ✅」。",
    "order.logged_again": "🧾 订单 <code>{number}</code> 之前已记录。\n后台备注（{flag}）：\n<code>{remark}</code>",
    "order.already_tagged": "✅ 订单 <code>{number}</code> 已于 {at} 标记为已备注。",
    "order.tagged_button": "已备注 ✅",
    "order.copy_remark": "📋 复制备注",
    "order.tagged": "✅ 订单 <code>{number}</code> 已备注（{at}）。",
    "order.tagged_alert": "✅ 订单 {number} 已备注",
    "order.not_yours": "这不是您的订单，或订单不存在。",
    "order.reminder": "⏰ 订单 <code>{number}</code> 还没有备注（{ago} 前记录）。\n请在后台备注（{flag}）：\n<code>{remark}</code>",
    "order.list_header": "<b>还没备注的订单</b>（{count} 个）：",
    "order.list_line": "{number}. <code>{order}</code> · {ago} 前 · 已提醒 {reminders} 次",
    "order.list_more": "……还有 {count} 个，先把上面的备注好。",
    "order.list_empty": "✅ 没有待备注的订单。",
    "order.list_button": "✅ {number}",
    # admin
    "reload.ok": "✅ 知识库已重新加载：{phrasings} 条话术，{rules} 条规则。",
    "reload.failed": "⚠️ 知识库有错误，继续使用上一个正确的版本：\n{problems}",
    "reload.problem": "• <code>{file}:{line}</code> {message}",
    "error.user": "抱歉，处理时出错了，请稍后重新发送；您的内容没有记录。",
    "error.admin": "⚠️ <b>机器人出错</b>\n<pre>{details}</pre>",
    "menu.start": "开始 / 输入邀请码",
    "menu.help": "我能做什么",
}

PLACEHOLDER_LABELS = {
    "customer": "客户称呼",
    "order_id": "订单号",
    "agent": "客服名字",
    "shop": "店铺名",
    "tracking_no": "快递单号",
    "product": "商品名",
    "days": "天数",
}


def t(key: str, /, *, escape: bool = True, **values: Any) -> str:
    """The text for ``key`` with ``values`` filled in (escaped for Telegram HTML)."""
    template = ZH[key]
    if escape:
        values = {k: html.escape(str(v), quote=False) for k, v in values.items()}
    return template.format(**values) if values else template


def role_label(role: str) -> str:
    return ZH[f"role.{role}"]


def placeholder_label(name: str) -> str:
    return PLACEHOLDER_LABELS.get(name, name)

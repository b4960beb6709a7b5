"""Every interface text of the bot, in one place (简体中文 first).

Texts are Telegram HTML. :func:`t` fills a text and escapes the values, so a name or a
draft can never break the markup. Another language is another dict with the same keys.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

ZH: dict[str, str] = {
    # local mode's page (plain text: shown in the page's toasts)
    "local.empty": "消息不能为空。",
    "local.too_long": "消息有 {count} 个字符，Telegram 一条消息最多 {limit} 个：请删掉 {over} 个字符或分成两条发送。",
    "local.bad_request": "页面请求不完整：{what}。请刷新页面再试。",
    # access
    "access.stranger": "您好！这是本店客服团队的内部助手，只为名单上的同事服务。如需使用，请联系管理员获取邀请码。",
    "access.denied": "⛔ /{command} 需要「{needed}」或以上的权限，您的角色是「{role}」。",
    "access.denied_upload": "⛔ 发送聊天记录做会话质检需要「{needed}」或以上的权限，您的角色是「{role}」。",
    "access.private_only": "请在与机器人的私聊中使用。",
    "access.unknown_command": "没有 /{command} 这个命令。发送 /help 查看可用的命令。",
    # command arguments (bot/arguments.py): what was wrong, then the command's usage
    "arg.wrong": "{why}\n{usage}",
    "arg.not_understood": "看不懂「{word}」。",
    "arg.missing": "缺少{what}。",
    "arg.extra": "多写了「{words}」。",
    "arg.future_day": "{day} 还没到：只能查看今天（{today}）或以前的日子。",
    "arg.unknown_team": "没有「{word}」这个团队（现有：{teams}）。",
    "arg.other_team": "只能查看本团队（{team}）的，「{word}」不是您的团队。",
    "arg.bad_number": "「{word}」不是{what}：请写 {low}–{high} 的整数。",
    "arg.not_number": "「{word}」不是{what}：请写数字。",
    "day.no_such": "没有 {word} 这一天。",
    "day.out_of_range": "日期 {word} 超出范围：只能是 {first} 至 {last}。",
    "args.nothing": "用法：<code>/{command}</code>（后面不用写别的）",
    "args.situation": "用法：<code>/{command} [情境]</code>，情境可以不写，例如 <code>/sorry 快递延迟</code>、<code>/refuse 砍价</code>。",
    "args.phrase": "用法：<code>/phrase 情境描述</code>，例如 <code>/phrase 快递三天没到，客户很着急</code>。",
    "args.on": "用法：<code>/on</code>，或写上班次：<code>/on 晚班</code>。",
    "args.practice": "用法：<code>/practice</code>，再按按钮选择场景。",
    "args.propose": "用法：<code>/propose 话术</code>，或只发 <code>/propose</code> 再回复提示。",
    "args.start": "用法：<code>/start 邀请码</code>（邀请码请向管理员要）。",
    "args.rule": "用法：只发 <code>/rule</code> 查看格式，再在 /rule 下面按格式逐行写。",
    # how long (bot/wording.py)
    "time.just_now": "刚刚",
    "time.ago": "{span}前",
    "time.minutes": "{minutes} 分钟",
    "time.hours": "{hours} 小时",
    "time.hours_minutes": "{hours} 小时 {minutes} 分钟",
    "time.days": "{days} 天",
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
        "• /order 订单号 [备注内容]：记录订单，给出后台备注文字；/orders 查看还没备注的订单。\n"
        "• 好用的回复可以提议成标准话术：检查通过的草稿下点「💡 提议为标准话术」，推荐的话术下点「✏️ 改写」，"
        "或发送 /propose 话术。主管/组长审批后，全组都能用。\n"
        "• 觉得标错了？在检查结果下点「🙋 这句没问题」，主管复核后，同样的句子不会再被标记。"
    ),
    "help.practice": "\n• /practice 上机练习：我扮演顾客，练习规范回复，最后打分。",
    "help.shift": (
        "\n• /on 上班 · /off 下班 · /shift 谁在班上\n"
        "• /handoff 写交接记录（等待中的客户、要赶紧处理的、潜在客户、未备注订单、其他），确认后保存并通知主管。"
    ),
    "help.supervisor": (
        "\n\n<b>主管：</b>\n"
        "• 每条交接记录的摘要会发给您；下一班超时未读、有人下班没写交接记录，也会告诉您。\n"
        "• /handoffs [日期] [团队]：查看交接记录和阅读情况。\n"
        "• /report [日期] [团队]：日报（文字和图表）。\n"
        "• 把千牛或客服工作台导出的聊天记录（CSV 或文本，最大 20 MB）作为文件发给我：会话质检——首次回复和每次回复用了多久、"
        "没有回复的会话、禁用语和得分；存入当天日报的「服务质量」，同一天再发一次会替换。\n"
        "• 组员的话术提议会发给您：批准、修改或驳回（说明原因）；/proposals 查看待审批的。\n"
        "• /rule：提议新的禁用语（会先用全部标准话术试一遍，不会误伤）。\n"
        "• /flags：客服认为标错了的句子：「确认没问题」提交放行提议（另一位主管/组长批准），「确实有问题」直接关闭。\n"
        "• /missed 规则或类别 原句：检查漏掉的违规，批准后作为例句加入团队语料。\n"
        "• /knowledge：知识库的每一次改动（谁、何时、为什么、改了什么）；/usage：话术使用情况。"
    ),
    "help.team_lead": (
        "\n\n<b>组长：</b>每天定时收到团队日报（文字和图表），也可以随时发送 /report。\n"
        "• /usage：最常用和最少用的话术；长期没人用的话术由您决定退役或保留。\n"
        "• /knowledge rollback 版本号 原因：把知识库退回到以前的版本。"
    ),
    "help.admin": (
        "\n\n<b>管理员：</b>\n"
        "• /invite 角色 [工号] 名字 [团队]：生成一次性邀请码。\n"
        "• /roster：查看名单。\n"
        "• /reload：重新加载知识库（文件改动也会自动加载）。\n"
        "• /outbox：待发和发送失败的消息。"
    ),
    # phrasings
    "phrasing.title": "<b>{kind}</b>{situation}",
    "phrasing.none": "没有找到合适的话术。换个说法试试，或发送 /phrase 加上情境描述。",
    "phrasing.no_match": "没有找到与「{words}」相符的{kind}。换个说法再试试{hint}。",
    "phrasing.no_match_pick": "，或点「选择情境」",
    "phrasing.line": "{number}. <code>{text}</code>",
    "phrasing.line_missing": "{number}. {text}\n    ✏️ 需要填写：{labels}",
    "phrasing.tap_to_copy": "点一下话术即可复制。",
    "phrasing.more": "更多 ▸",
    "phrasing.pick_situation": "选择情境",
    "phrasing.situations_title": "<b>{kind}</b>：请选择情境",
    "phrasing.copy": "📋 复制 {number}",
    "phrasing.fill": "✏️ 填写 {number}",
    "phrasing.gone": "这条话术已从知识库中移除，请重新获取。",
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
    "draft.flag": "{number}. {name}：「{matched}」{severity}\n   {reason}",
    "draft.flag_block": "",
    "draft.flag_warn": "（提醒）",
    "draft.flag_unsure": "（读起来可能是这个意思，请再看一下）",
    "draft.suggestion": "   建议：<code>{text}</code>",
    "draft.suggestion_missing": "   建议：{text}",
    "draft.copy_rewrite": "📋 复制改写",
    "draft.rewrite": "<b>改写后：</b>\n<code>{text}</code>",
    "draft.rewrite_missing": "<b>改写后</b>（发送前请填写：{labels}）：\n{text}",
    "draft.more_flags": "……还有 {count} 处问题没有列出，请先改上面这些再发来检查。",
    "draft.rewrite_too_long": "（草稿太长，改写放不进一条消息：请分段发送。）",
    "draft.empty": "草稿是空的。",
    "draft.no_words": "这条只有表情或标点，没有可以检查的文字。请发来要发给顾客的文字草稿。",
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
    "order.tagged_before": "订单 {number} 之前已标记为已备注，不用再按。",
    "order.not_yours": "这不是您的订单，或订单不存在。",
    "order.reminder": "⏰ 订单 <code>{number}</code> 还没有备注（{ago}记录）。\n请在后台备注（{flag}）：\n<code>{remark}</code>",
    "order.list_header": "<b>还没备注的订单</b>（{count} 个）：",
    "order.list_line": "{number}. <code>{order}</code> · {ago} · 已提醒 {reminders} 次",
    "order.list_more": "……还有 {count} 个，先把上面的备注好。",
    "order.list_empty": "✅ 没有待备注的订单。",
    "order.list_button": "✅ {number}",
    # shifts
    "shift.none_now": "现在不是本团队的上班时间（班次：{hours}），没有登记上班。",
    "shift.no_such": "现在没有叫「{name}」的班次（在进行中或即将开始的）。",
    "shift.not_on": "您现在不在班上，没有登记下班。",
    "shift.on": "✅ 已上班：{shift}。",
    "shift.on_notes": "上一班的交接记录马上发给您，请阅读后点「已读 ✅」。",
    "shift.off": "👋 已下班：{shift}。",
    "shift.off_no_note": "⚠️ 您还没有写交接记录。请发送 /handoff 填写；{minutes} 分钟内没有交接记录会告知主管。",
    "shift.off_untagged": "还有 {count} 个订单没备注：{numbers}。请备注好，或写进交接记录。",
    "shift.who_title": "<b>{team} 现在在班</b>（{count} 人）",
    "shift.who_line": "• {name} · {shift}",
    "shift.who_none": "{team} 现在没有人登记上班。",
    # handoff conversation
    "handoff.section.waiting": "等待中的客户",
    "handoff.section.urgent": "要赶紧处理的",
    "handoff.section.prospects": "需要联系的潜在客户",
    "handoff.section.orders": "还没备注的订单",
    "handoff.section.other": "其他（设备、疑难问题、调班）",
    "handoff.step": "📝 <b>交接记录 · 第 {number}/{total} 步：{label}</b>\n{hint}{then}",
    "handoff.hint.waiting": "请逐条发送：旺旺ID或名字 + 在等什么。",
    "handoff.hint.urgent": "请逐条发送要赶紧处理的事。",
    "handoff.hint.prospects": "请逐条发送需要联系的潜在客户（谁、为什么联系）。",
    "handoff.hint.orders": "您还没备注的订单会自动写进交接记录：",
    "handoff.hint.other": "设备情况、疑难问题、人员调班等，请逐条发送。",
    "handoff.then_skip": "没有就点「跳过」。",
    "handoff.then_next": "要补充就继续发送，写完点「下一步」。",
    "handoff.none_yet": "（还没有）",
    "handoff.no_orders": "（没有未备注的订单）",
    "handoff.confirm": "📝 <b>请确认交接记录</b>，确认后才会保存并通知主管：",
    "handoff.filed": "✅ 交接记录 #{id} 已保存；主管会收到通知，{next}的同事会收到这份记录。",
    "handoff.cancelled": "已取消，草稿已删除。",
    "handoff.resumed": "继续填写您未完成的交接记录。",
    "handoff.no_draft": "没有正在填写的交接记录。发送 /handoff 开始。",
    "handoff.no_typing_here": "这一步不用输入文字，请点下面的按钮。",
    "handoff.empty_item": "内容是空的。",
    "handoff.item_too_long": "一条最多 {limit} 个字（这条有 {length} 个字），这条没有记下。请分成几条发送。",
    "handoff.too_many_items": "一份交接记录最多 {limit} 条，这条没有记下。请把相关的事合并成一条。",
    "handoff.earlier": "…（前面还有 {count} 条，确认时可看全部）",
    "handoff.more_lines": "…（还有 {count} 行，提交后主管和下一班会收到全文）",
    "handoff.more_open": "…团队还有 {count} 条未处理事项没有带入本记录。",
    "handoff.button_more_open": "查看其余 {count} 条未处理",
    "handoff.open_title": "📌 <b>团队未处理的事项</b>（没有带入您的交接记录，{count} 条）",
    "handoff.open_none": "没有其余未处理的事项。",
    "handoff.added": "✅ 已记下第 {count} 条。",
    "handoff.button_next": "下一步 ▶",
    "handoff.button_skip": "跳过",
    "handoff.button_back": "⬅ 返回",
    "handoff.button_cancel": "✖ 取消",
    "handoff.button_file": "✅ 确认提交",
    "handoff.button_read": "已读 ✅",
    "handoff.button_done": "✔ {text}",
    "handoff.button_status": "谁已读？",
    "handoff.button_open": "打开 #{id}",
    # handoff notes
    "handoff.item": "{number}. {mark}{text}",
    "handoff.section_title": "<b>{label}</b>（{count}）",
    "handoff.nothing": "（没有需要交接的事项）",
    "handoff.off_shift": "不在班时",
    "handoff.header": "#{id} · {author} · {shift} · {filed} 提交 → {next}（{next_start}）",
    "handoff.summary_title": "📋 <b>交接记录</b>",
    "handoff.next_title": "📋 <b>上一班的交接记录</b>（请阅读后点「已读 ✅」，处理好的事项点「✔」）",
    "handoff.escalation": "⏰ <b>交接记录在下一班开始 {minutes} 分钟后仍无人阅读</b>",
    "handoff.missing_report": "⚠️ {author} 已于 {off} 下班（{shift}），没有写交接记录。",
    "handoff.read_ok": "已读 ✅",
    "handoff.read_again": "您已经读过了",
    "handoff.done_ok": "已处理：{text}",
    "handoff.done_already": "这条之前已处理：{text}",
    "handoff.not_found": "没有这条交接记录，或不属于您的团队。",
    "handoff.status": "{header}\n已读：{readers}{escalated}\n未处理事项：{open}",
    "handoff.status_nobody": "还没有人",
    "handoff.readers": "👀 已读（{count}）：{names}",
    "handoff.readers_none": "👀 还没有人点「已读」",
    "handoff.status_escalated": "\n⚠️ 已上报（超时未读）",
    "handoffs.usage": "用法：<code>/handoffs [日期] [团队]</code>，日期如 <code>2026-11-24</code>、<code>11-24</code>、<code>今天</code>、<code>昨天</code>。",
    "handoffs.title": "<b>{team} · {day} 的交接记录</b>（{count} 条）",
    "handoffs.line": "#{id} {author} · {shift} · {filed} · 已读 {read} · 未处理 {open}{escalated}",
    "handoffs.none": "{team} · {day} 没有交接记录。",
    "handoffs.all_teams": "全部团队",
    # outbox
    "outbox.stuck": "⚠️ 有消息发送失败，正在重试（已试 {attempts} 次）：发给 <code>{chat_id}</code>，错误：{error}",
    "outbox.refused": "⚠️ <code>{chat_id}</code> 拒收机器人的消息（{error}，可能屏蔽了机器人），每小时重试一次。",
    "outbox.failed": "⚠️ 消息无法送达 <code>{chat_id}</code>（{error}），已停止重试。",
    "outbox.uncertain": ("⚠️ {count} 条消息发出后没有等到 Telegram 的回应（可能已送达，也可能没有），"
                         "为免重复不再自动重发，请向收件人确认：{chats}。<code>/outbox</code> 可查看。"),
    "outbox.status": "<b>待发消息</b>：{pending} 条{oldest}；无法送达：{failed} 条；不确定是否送达：{uncertain} 条。",
    "outbox.oldest": "（最早的排队于 {at}）",
    "outbox.uncertain_line": "• {at} 发给 <code>{chat_id}</code>（{purpose}）：{text}",
    # reports
    "report.title": "📊 <b>{team} · {day} 日报</b>（截至 {as_of}）",
    "report.provisional": "⏳ 部分数字尚未确定（{what}），会在下一份日报中更正。",
    "report.provisional.day": "当天还没结束",
    "report.provisional.orders": "有订单还没备注",
    "report.provisional.handoffs": "有交接记录还没到阅读期限",
    "report.team": "<b>团队合计</b>：{line}",
    "report.line": "检查草稿 {checked}（提醒 {flagged}，不能发送 {blocked}）· 订单 {logged}，已备注 {tagged}，未备注 {untagged}{oldest} · 交接 {filed}，已读 {read}，超时 {late}，上报 {escalated}，未写 {missing} · 班次 {shifts}",
    "report.oldest": "（最久 {age}）",
    "report.change": "<b>较前一天</b>：{changes}",
    "report.average": "<b>7 日平均</b>：{averages}",
    "report.top_rules": "<b>最常见的问题</b>：{rules}",
    "report.phrasings": "<b>话术使用</b>：{kinds}",
    "report.agents": "<b>每位客服</b>（{count} 人）",
    "report.agent": "• {name}：{line}{rules}",
    "report.none": "（无）",
    "report.disputes": "<b>申诉</b>（这句没问题 / 确认）：{rules}",
    "report.dispute_rule": "{rule} {disputed}/{confirmed}",
    "report.settled": "<b>{day} 的数字已确定</b>：{changes}",
    "report.usage": "用法：<code>/report [日期] [团队]</code>，日期如 <code>2026-11-24</code>、<code>昨天</code>。",
    "report.chart_caption.flags": "{team} · {day}：每位客服的问题（按规则），最多的在上",
    "report.chart_caption.orders": "{team} · {day}：每位客服的订单备注情况，未备注最多的在上",
    "report.chart_caption.service": "{team} · {day}：每位客服限时内回复的顾客消息占比（会话质检），最低的在上；虚线是团队",
    "report.attention.service": "⚠️ 服务最需关注：{name}，{score}，限时内回复 {share}，未回复 {unanswered} 个会话{reason}",
    "report.attention.reason": "（{reason}）",
    "report.attention.orders": "📦 未备注订单：{name} 的订单已等 {age}（全组未备注 {untagged} 个）",
    "report.attention.handoffs": "📝 交接记录：{unread} 条还没有人读",
    "report.service.title": "<b>服务质量</b>（会话质检{compared}）",
    "report.service.compared": "，括号里是较前一天",
    "report.service.not_compared": "，前一天没有质检",
    "report.service.team": "<b>团队</b>：{line}",
    "report.service.agent": "• {name}：{line}",
    "report.service.none": "—",
    "report.service.score": "{score} 分",
    "report.service.figure.conversations": "会话 {value}",
    "report.service.figure.first_response_mean": "首次响应平均 {value}",
    "report.service.figure.first_response_p90": "P90 {value}",
    "report.service.figure.answered_in_time_share": "限时内回复 {value}",
    "report.service.figure.unanswered": "未回复 {value}",
    "report.service.figure.score_mean": "平均 {value}",
    "report.figure.drafts_checked": "检查",
    "report.figure.drafts_flagged": "提醒",
    "report.figure.orders_logged": "订单",
    "report.figure.orders_tagged": "已备注",
    "report.figure.orders_untagged": "未备注",
    "report.figure.handoffs_filed": "交接",
    "report.figure.handoffs_read": "已读",
    "report.figure.handoffs_late": "超时",
    "report.figure.handoffs_escalated": "上报",
    "report.figure.shifts_worked": "班次",
    # a transcript sent for 质检 (会话质检)
    "upload.too_large": "📎 文件太大（{size}）：机器人最多能读取 {limit} 的文件。请按天导出，或拆成几个文件分别发送。什么都没有改动。",
    "upload.unreadable": ("📎 读不了这个文件，什么都没有改动。\n{why}\n"
                          "请发送从千牛或客服工作台导出的聊天记录（CSV 或文本），要有时间、买家（或会话）、发送方和内容这几列。"),
    "upload.excel": "📎 {name} 是 Excel 文件，读不了，什么都没有改动。请在 Excel 里「另存为」CSV（逗号分隔）后再发送。",
    "upload.receiving": "📥 收到 {name}，正在读取…",
    "upload.progress": "🔎 质检中：{name} · {percent}%",
    "upload.done": "✅ 质检完成：{name} · {lines} 行 · {conversations} 个会话 · 用时 {seconds} 秒",
    "upload.title": "<b>会话质检</b> · {name}",
    "upload.day": "<b>{day}</b>",
    "upload.lines": "客服消息检查 {checked} 条，有问题 {flagged} 条（不能发送 {blocked} 条）。",
    "upload.worst": "<b>最该先看的会话</b>：",
    "upload.more_days": "…另有 {count} 天（{first} 起）只存入，不在这里列出：见那几天的日报或会话文件。",
    "upload.worst_line": "• {conversation}（{agent}）：{score} 分 — {reasons}",
    "upload.limits": "首次回复应在 {greeting} 秒内，之后每次回复应在 {answer} 秒内。",
    "upload.stored": "📌 已存入 {team} 的服务质量（{days}），会出现在这几天的日报里；同一天再次上传会替换，不会累加。",
    "upload.nothing": "这个文件里没有可以计时的会话（缺时间或买家），没有存入任何数字。",
    "upload.file_caption": "每个会话一行（JSON Lines）：首次响应、等待、是否未回复、得分和扣分原因。",
    "upload.chart_caption": "{team} · {days}：每位客服限时内回复的顾客消息占比，最低的在上；虚线是团队",
    # practice
    "practice.choose": "🎭 <b>上机练习</b>：我扮演顾客，您按规范回复。请选择场景：",
    "practice.none": "知识库里没有练习场景（knowledge/scenarios.yaml）。",
    "practice.unknown": "没有「{given}」这个练习场景。",
    "practice.start": "🎭 <b>练习开始：{title}</b>\n您是客服，我是顾客；共 {turns} 轮。发送 /cancel 结束。",
    "practice.customer": "🙋 顾客：{text}",
    "practice.flagged": "⚠️ 这句回复有问题：{rules}。建议：<code>{rewrite}</code>",
    "practice.flagged_no_rewrite": "⚠️ 这句回复有问题：{rules}。",
    "practice.bad_reply": "回复不能为空，最多 {limit} 个字。",
    "practice.score": "🏁 <b>练习结束：{points} 分</b>",
    "practice.greeted": "✅ 开场问候",
    "practice.not_greeted": "❌ 第一句没有问候（见到顾客要说：您好！）",
    "practice.apologised": "✅ 有道歉",
    "practice.not_apologised": "❌ 顾客受了委屈，回复里要道歉（对不起 / 抱歉）",
    "practice.reply_ok": "第 {number} 句 ✅",
    "practice.reply_bad": "第 {number} 句 {mark} {rules}",
    "practice.cancelled": "练习已结束。",
    "practice.not_running": "练习已经结束了（或闲置太久）。发送 /practice 重新开始。",
    "flow.nothing_to_cancel": "现在没有要取消的操作。",
    # proposals
    "draft.propose": "💡 提议为标准话术",
    "phrasing.rewrite": "✏️ 改写{number}",
    "proposal.ask_text": "请回复这条消息，发来您想提议的话术：",
    "proposal.ask_variant": "请回复这条消息，发来您改写后的话术。原话术 {id}：\n「{text}」",
    "proposal.draft_gone": "找不到这条草稿了，请用 /propose 话术 提议。",
    "proposal.length": "话术要 {low}–{high} 个字。",
    "proposal.placeholder": "话术里的空位写错了：{names}。可用：{{customer}} {{order_id}} {{agent}} {{shop}} {{tracking_no}} {{product}} {{days}}",
    "proposal.flagged": "这句话会被禁用语检查标记，不能提议：{reasons}",
    "proposal.duplicate": "已经有几乎一样的标准话术：「{text}」",
    "proposal.unknown_kind": "没有这个话术类型。",
    "proposal.unknown_situation": "没有这个情境。",
    "proposal.no_kind": "请先选择话术类型。",
    "proposal.rule_role": "只有主管、组长和管理员可以提议禁用语。",
    "proposal.not_found": "没有找到提议 #{id}。",
    "proposal.decided": "提议 #{id} 已经处理过了（{status}）。",
    "proposal.status.draft": "还没提交",
    "proposal.status.pending": "待审批",
    "proposal.status.approving": "正在批准",
    "proposal.status.approved": "已批准",
    "proposal.status.rejected": "已驳回",
    "proposal.status.withdrawn": "已取消",
    "proposal.own": "不能审批自己的提议，请其他主管或组长审批。",
    "proposal.not_reviewer": "只有本组的主管、组长或管理员可以审批这条提议。",
    "proposal.no_reviewer": "现在没有可以审批的人（主管、组长或管理员），提议没有提交。",
    "proposal.reason": "请写明原因（{low}–{high} 个字）。",
    "proposal.choose_kind": "提议 #{id}：这是哪一类话术？",
    "proposal.choose_situation": "提议 #{id}：用在什么情境？",
    "proposal.any_situation": "通用（不限情境）",
    "proposal.button_all_situations": "全部情境…",
    "proposal.button_submit": "✅ 提交审批",
    "proposal.button_kind": "类型",
    "proposal.button_situation": "情境",
    "proposal.button_cancel": "取消",
    "proposal.confirm": "确认无误后点「提交审批」。",
    "proposal.submitted": "📨 提议 #{id} 已提交给主管/组长审批，有结果会通知您。",
    "proposal.withdrawn": "提议 #{id} 已取消。",
    "proposal.phrasing_title": "📝 <b>话术提议 #{id}</b> · {who}（{team}）",
    "proposal.phrasing_kind": "类型：{kind} · 情境：{situations}",
    "proposal.phrasing_text": "「{text}」",
    "proposal.based_on": "改写自 {id}",
    "proposal.edited_by": "（{who} 修改过）",
    "proposal.rule_title": "🚫 <b>禁用语提议 #{id}</b> · {who}（{team}）",
    "proposal.rule_name": "名称：{name}",
    "proposal.rule_phrases": "禁用：{phrases}",
    "proposal.rule_reason": "原因：{reason}（{severity}）",
    "proposal.severity_block": "禁止",
    "proposal.severity_warn": "提醒",
    "proposal.rule_replace": "替换为：{items}",
    "proposal.rule_allowed": "允许：{items}",
    "proposal.button_approve": "✅ 批准",
    "proposal.button_edit": "✏️ 修改",
    "proposal.button_reject": "❌ 驳回",
    "proposal.ask_edit": "请回复这条消息，发来提议 #{id} 修改后的内容。现在是：\n{current}",
    "proposal.ask_reason": "请回复这条消息，写明驳回提议 #{id} 的原因（会告诉提议人）：",
    "proposal.done_approved": "✅ 已批准，已加入知识库 v{version}。",
    "proposal.done_rejected": "已驳回提议 #{id}，已通知 {who}。",
    "proposal.outcome_approved": "✅ 已由 {reviewer} 批准（知识库 v{version}）。",
    "proposal.outcome_rejected": "❌ 已由 {reviewer} 驳回：{reason}",
    "proposal.outcome_withdrawn": "↩️ 提议人已取消这条提议。",
    "proposal.refused_again": "{refusal}\n请回复这条消息，发来改好的内容。",
    "proposal.none_pending": "没有待审批的提议。",
    "proposal.approved": "🎉 您的提议 #{id}「{what}」已由 {reviewer} 批准，已加入知识库 v{version}，全组都会用到。",
    "proposal.rejected": "您的提议 #{id}「{what}」未通过（{reviewer}）：{reason}",
    "rule_form.help": (
        "请在 /rule 下面按这个格式写（每项一行，多个用「、」隔开）：\n"
        "<pre>/rule\n禁用：这个没办法、没法弄\n原因：推卸责任，顾客会觉得被敷衍\n"
        "替换：我来帮您想想办法\n允许：没办法联系上\n级别：禁止\n名称：说“没办法”</pre>\n"
        "「禁用」「原因」「替换」必填；「级别」是 禁止 或 提醒（默认 禁止）；「名称」是组员看到的规则名（可不写）。"
        "提交前会用全部标准话术试一遍。"
    ),
    "rule_form.bad_line": "看不懂这一行：「{line}」。每行写「项目：内容」，项目是 禁用、原因、替换、允许、级别、类别、名称。",
    "rule_form.missing": "「禁用」「原因」「替换」都要写：告诉组员不能说什么，也要告诉他们该怎么说。",
    "rule_form.phrase_length": "每个禁用短语要 2–50 个字。",
    "rule_form.severity": "级别「{given}」不对：写 禁止 或 提醒。",
    # knowledge versions
    "knowledge.cannot_edit": "无法修改知识库文件：{reason}",
    "knowledge.unchanged": "知识库没有变化。",
    "knowledge.read_only": "知识库文件不能写入（{path}），什么都没改。请管理员让机器人可以写 knowledge 目录。",
    "knowledge.invalid": "这个改动会让知识库出错，没有保存：\n{problems}",
    "knowledge.conflict": "这个改动会让已批准的话术被标记，没有保存：\n{conflicts}",
    "knowledge.conflict_line": "• 规则「{rule}」会标记 {item}「{text}」（命中「{matched}」）",
    "knowledge.conflict_more": "…共 {count} 处",
    "knowledge.busy": "知识库刚被别人修改，请再试一次。",
    "knowledge.no_version": "没有版本 v{number}。",
    "knowledge.usage": "用法：/knowledge [history] · /knowledge 版本号 · /knowledge rollback 版本号 原因",
    "knowledge.rollback_role": "只有组长和管理员可以回滚知识库。",
    "knowledge.history_title": "📚 <b>知识库版本</b>（最新在前）",
    "knowledge.history_hint": "发送 /knowledge 版本号 查看全部改动；组长可以 /knowledge rollback 版本号 原因。",
    "knowledge.version": "<b>v{number}</b> · {at} · {author} · {reason}（{changes} 处改动）",
    "knowledge.more_changes": "  …还有 {count} 处",
    "knowledge.rolled_back": "↩️ 已回滚，新版本 v{number}：",
    "change.phrasing.added": "  ＋ 话术 {id}：{after}",
    "change.phrasing.removed": "  － 话术 {id}：{before}",
    "change.phrasing.changed": "  ✎ 话术 {id}：{before} → {after}",
    "change.rule.added": "  ＋ 禁用语 {label}：{after}",
    "change.rule.removed": "  － 禁用语 {label}：{before}",
    "change.rule.changed": "  ✎ 禁用语 {label}：{before} → {after}",
    "change.file.added": "  ＋ 文件 {id}",
    "change.file.removed": "  － 文件 {id}",
    "change.file.changed": "  ✎ 文件 {id}",
    "reload.recorded": "已记录为知识库版本 v{number}（{changes} 处改动），/knowledge {number} 查看。",
    # usage
    "usage.usage": "用法：/usage [天数]（1–365）",
    "usage.title": "📊 <b>话术使用情况</b>（近 {days} 天，次数）",
    "usage.most": "<b>最常用：</b>",
    "usage.least": "<b>最少用：</b>",
    "usage.line": "• 「{text}」 推荐 {suggested} · 填写 {filled} · 草稿 {used} · 改写 {proposed}",
    "usage.no_candidates": "没有连续 {days} 天没人用的话术。",
    "usage.candidates": "🗄 有 {count} 条话术 {days} 天没人用（没推荐过、没填写过、草稿里也没出现），请决定退役还是保留：",
    "usage.candidate": "「{text}」",
    "usage.offer": "🗄 <b>有 {count} 条话术 {days} 天没人用</b>（没推荐过、没填写过、草稿里也没出现）。发送 /usage 逐条决定退役还是保留：",
    "usage.button_retire": "🗄 退役",
    "usage.button_keep": "保留",
    "usage.lead_only": "只有组长和管理员可以决定退役。",
    "usage.retired": "🗄 「{text}」已退役（知识库 v{number}），需要时可以 /knowledge rollback 找回。",
    "usage.kept": "「{text}」保留；{days} 天内不再提醒。",
    # admin
    "reload.ok": "✅ 知识库已重新加载：{phrasings} 条话术，{rules} 条规则。",
    "reload.failed": "⚠️ 知识库有错误，继续使用上一个正确的版本：\n{problems}",
    "reload.problem": "• <code>{file}:{line}</code> {message}",
    "reload.error": "⚠️ 知识库文件改动了，但没能重新加载（{error}），继续使用当前的版本；会自动再试。",
    "error.user": "抱歉，处理时出错了，请稍后再试。刚才的内容可能没有记下，请查看后再发送。",
    "error.admin": "⚠️ <b>机器人出错</b>\n<pre>{details}</pre>",
    # buttons (bot/telegram/presses.py): answers to a press, plain text (a toast or an alert)
    "button.stale": "这个按钮已失效，什么都没有改变。请重新发送命令，用新消息里的按钮。",
    "button.failed": "抱歉，这次按下没有生效，什么都没有改变，请稍后再按一次。",
    "menu.start": "开始 / 输入邀请码",
    "menu.help": "我能做什么",
    "menu.greet": "问候语（按时间）",
    "menu.sorry": "道歉语，可加情境：/sorry 快递延迟",
    "menu.refuse": "婉转拒绝，可加情境：/refuse 砍价",
    "menu.phrase": "按情境找话术：/phrase 客户嫌贵",
    "menu.order": "记录订单，生成后台备注：/order 订单号 [备注]",
    "menu.orders": "还没备注的订单",
    "menu.on": "上班",
    "menu.off": "下班",
    "menu.handoff": "写交接记录",
    "menu.shift": "谁在班上",
    "menu.practice": "上机练习（我扮演顾客）",
    "menu.propose": "提议新的标准话术：/propose 话术",
    "menu.thanks": "道谢语",
    "menu.bye": "告别语",
    "menu.wait": "等待语",
    "menu.explain": "解释语",
    "menu.consent": "商量语",
    "menu.congrats": "祝贺语",
    "menu.ask": "征询语",
    "menu.reply": "应答语",
    "menu.handoffs": "交接记录与阅读情况：/handoffs [日期] [团队]",
    "menu.report": "日报：/report [日期] [团队]",
    "menu.proposals": "待审批的提议",
    "menu.rule": "提议新的禁用语",
    "menu.flags": "客服申诉的标记（这句没问题）",
    "menu.missed": "漏标的违规：/missed 规则或类别 原句",
    "menu.knowledge": "知识库版本与回滚：/knowledge [版本号]",
    "menu.usage": "话术使用情况与退役：/usage [天数]",
    "menu.invite": "生成邀请码：/invite agent A07 慧兰",
    "menu.roster": "查看名单",
    "menu.reload": "重新加载知识库",
    "menu.outbox": "待发与失败的消息",
    # disputed flags (这句没问题) and missed ones
    "dispute.button": "🙋 这句没问题",
    "dispute.sent": "📨 已把这句和被标出的词发给主管复核（申诉 #{id}），有结果会通知您。",
    "dispute.button_sent": "📨 已发给主管复核（申诉 #{id}）",
    "dispute.already": "这句已经提交过复核（申诉 #{id}），不用再按。",
    "dispute.draft_gone": "找不到这条草稿了：请重新发送草稿，再按「这句没问题」。",
    "dispute.no_flags": "按现在的规则，这句已经不会被标记了，不需要申诉。",
    "dispute.not_yours": "这条检查结果不是您的。",
    "dispute.notice": "🙋 {who} 认为一句被标记的话没有问题（{rules}）。发送 /flags 查看并处理。",
    "dispute.none": "没有待处理的申诉。",
    "dispute.list_header": "待处理的申诉（{count} 条）：",
    "dispute.more": "一次最多显示 {count} 条，处理完这些后再发送 /flags。",
    "dispute.item_title": "🙋 <b>申诉 #{id}</b> · {who} · {at}",
    "dispute.item_draft": "「{draft}」",
    "dispute.item_rule": "· 「{matched}」被标为：{rule}",
    "dispute.item_more": "……还有 {count} 处",
    "dispute.button_confirm": "✅ 确认没问题",
    "dispute.button_reject": "❌ 确实有问题",
    "dispute.done_rejected": "申诉 #{id}：确实有问题，已通知 {who}。",
    "dispute.done_confirmed": "申诉 #{id}：已确认没问题，并提交为提议 #{proposal}，由其他主管/组长批准后生效。",
    "dispute.told_rejected": "您申诉的「{draft}」经 {who} 复核：确实有问题，请按建议修改。",
    "dispute.told_rejected_review": "您申诉的「{draft}」没有获批：{reason}",
    "dispute.told_confirmed": "✅ 您申诉的「{draft}」已确认没问题（知识库 v{version}）：同样的句子以后不会再被标记。谢谢！",
    "dispute.not_found": "没有找到申诉 #{id}。",
    "dispute.decided": "申诉 #{id} 已经处理过了（{status}）。",
    "dispute.status.pending": "待处理",
    "dispute.status.confirmed": "已确认没问题",
    "dispute.status.rejected": "确实有问题",
    "dispute.status.proposed": "已确认，提议 #{proposal} 待批准",
    "dispute.not_reviewer": "只有本组的主管、组长或管理员可以处理这条申诉。",
    "dispute.own": "不能处理自己的申诉，请其他主管或组长处理。",
    "dispute.no_context": "被标出的「{words}」前后没有别的字：放行它等于关掉这条规则。请点「确实有问题」，或用 /rule 提议修改规则。",
    "teaching.allowed_title": "🟢 <b>放行提议 #{id}</b> · {who}（{team}）确认了 {agent} 的申诉",
    "teaching.draft": "原句：「{text}」",
    "teaching.allowed_item": "· {rule}：允许「{context}」",
    "teaching.allowed_effect": "批准后：以上说法加入规则的允许语境，原句作为正确例句加入团队语料。",
    "teaching.example_title": "🔴 <b>漏标提议 #{id}</b> · {who}（{team}）",
    "teaching.example_rule": "应当标记为：{rule}",
    "teaching.example_effect": "批准后：原句作为这条规则的违规例句加入团队语料。",
    "teaching.rule_gone": "（这条规则已不在知识库中）",
    "teaching.no_edit": "这类提议不能修改：请批准或驳回。",
    "teaching.approved": "🎉 您的提议 #{id}「{what}」已由 {reviewer} 批准（知识库 v{version}）。",
    "teaching.done_approved": "✅ 已批准（知识库 v{version}）。",
    "missed.usage": "用法：<code>/missed 规则或类别 原句</code>，例如 <code>/missed 推卸责任 这单不归我管你问别人</code>。不写规则也可以，再按按钮选择。",
    "missed.pick_category": "这句应当被哪一类规则标记？",
    "missed.pick_rule": "哪一条规则？",
    "missed.already_flagged": "这句已经会被「{rule}」标记了，不算漏标。",
    "missed.length": "原句要 {low}–{high} 个字。",
    "missed.gone": "这条漏标已经提交或取消了，请重新发送 /missed。",
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


@dataclass(frozen=True, slots=True)
class Text:
    """A text named but not yet written (a key and its values): one text inside another, as
    "what was wrong" inside "…, then the usage", filled and escaped when the outer one is."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


def t(key: str, /, *, escape: bool = True, **values: Any) -> str:
    """The text for ``key`` with ``values`` filled in (escaped for Telegram HTML; a
    :class:`Text` value is filled the same way and goes in as it is)."""
    template = ZH[key]
    values = {k: t(v.key, escape=escape, **v.values) if isinstance(v, Text) else
              html.escape(str(v), quote=False) if escape else v for k, v in values.items()}
    return template.format(**values) if values else template


def role_label(role: str) -> str:
    return ZH[f"role.{role}"]


def placeholder_label(name: str) -> str:
    return PLACEHOLDER_LABELS.get(name, name)


MESSAGE_LIMIT = 4096


def split_message(lines: list[str], limit: int = MESSAGE_LIMIT, *, like: list[str] | None = None) -> list[str]:
    """Whole lines packed into messages that fit Telegram's limit (a line never splits).

    ``like``: as many lines, each no shorter than its counterpart; the messages are cut where
    they would be cut for ``like``. A message edited later (a mark added, a line grown) keeps
    its lines in the same parts when ``like`` is its widest form."""
    sizes = _line_counts(like if like is not None else lines, limit)
    messages, start = [], 0
    for size in sizes:
        messages.append("\n".join(lines[start:start + size]))
        start += size
    return messages


def _line_counts(lines: list[str], limit: int) -> list[int]:
    """How many lines go in each message."""
    counts: list[int] = []
    length = count = 0
    for line in lines:
        if count and length + 1 + len(line) > limit:
            counts.append(count)
            length = count = 0
        length, count = length + (1 if count else 0) + len(line), count + 1
    return [*counts, count] if count else counts


# Where a shortened text may end: after a space or a punctuation mark (Chinese or Latin).
_BREAK_AFTER = frozenset(" ，。、；：！？,.;:!?）)」』】")
_WORD = re.compile(r"[A-Za-z0-9_@#.\-]")


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: whole, or cut with "…" after a space or a
    punctuation mark when one is in the second half, else between two characters but not
    inside a Latin word or a number (an order number, a tracking number, an ID) unless the
    text starts with it."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = max(1, limit - 1)  # the "…" takes one
    breaks = [k for k in range(room, room // 2, -1) if text[k - 1] in _BREAK_AFTER]
    if breaks:
        cut = breaks[0]
    else:
        cut = room
        while cut > 0 and _WORD.match(text[cut - 1]) and _WORD.match(text[cut]):
            cut -= 1
        if cut == 0:  # one long word from the start: cut it rather than leave nothing
            cut = room
    return text[:cut].rstrip(" ，、；：,;:") + "…"

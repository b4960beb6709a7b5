"""A chat export sent as a document: the conversation audit (会话质检), for supervisors and team leads.

The answer: one progress message (edited), then the summary, the chart and the per-conversation
file. The file is downloaded to a temporary folder that is gone when the answer has been sent.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from telegram import Update

from bot.audit.uploads import check_size
from bot.errors import UserError
from bot.roster.roles import Role
from bot.telegram.context import KefuContext
from bot.telegram.progress import Progress
from bot.texts import role_label, split_message, t

DEFAULT_NAME = "chat.csv"


def _safe_name(name: str | None) -> str:
    """The sender's file name without any folder in it (it names the file on this machine)."""
    return Path(name or DEFAULT_NAME).name.replace("\x00", "")[:120] or DEFAULT_NAME


async def transcript(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None and message.document is not None
    if not context.me.role.at_least(Role.SUPERVISOR):  # a file sent for 质检 is a lead's command
        await message.reply_text(t("access.denied_upload", needed=role_label(Role.SUPERVISOR),
                                   role=role_label(context.me.role)))
        return
    document, name = message.document, _safe_name(message.document.file_name)
    check_size(document.file_size)  # before downloading anything
    progress = Progress(await message.reply_text(t("upload.receiving", name=name)),
                        lambda done: t("upload.progress", name=name, percent=int(100 * done)))
    with tempfile.TemporaryDirectory(prefix="kefu-upload-") as folder:
        path = Path(folder) / name
        await (await document.get_file()).download_to_drive(path)
        try:
            result = await context.services.uploads.audit(context.me, path, name, progress.offer_threadsafe)
        except UserError as error:
            await progress.finish(t(error.key, **error.values))
            return
        await progress.finish(result.done)
        for chunk in split_message(result.lines):
            await message.reply_text(chunk)
        if result.chart is not None:
            await message.reply_photo(result.chart, caption=result.chart_caption)
        with result.conversations.open("rb") as stream:
            await message.reply_document(stream, filename=f"{Path(name).stem}.conversations.jsonl",
                                         caption=t("upload.file_caption"))

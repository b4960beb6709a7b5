"""Database models (SQLAlchemy 2, typed). Timestamps are timezone-aware and stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out — SQLite included, which forgets zones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AuditRun(Base):
    """One 质检 run over an exported transcript: what was read and what was found."""

    __tablename__ = "audit_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    source: Mapped[str] = mapped_column(String(500))
    lines_read: Mapped[int] = mapped_column(Integer, default=0)
    drafts_checked: Mapped[int] = mapped_column(Integer, default=0)
    drafts_flagged: Mapped[int] = mapped_column(Integer, default=0)
    drafts_blocked: Mapped[int] = mapped_column(Integer, default=0)
    per_rule: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    per_agent: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class Person(Base):
    """Someone on the roster. Removing a person deactivates the row so history keeps a name."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    agent_id: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    team: Mapped[str] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Invite(Base):
    """A one-time code an admin hands to a new team member (``/start CODE``)."""

    __tablename__ = "invites"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    agent_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    name: Mapped[str] = mapped_column(String(100))
    team: Mapped[str] = mapped_column(String(50))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)


class Order(Base):
    """An order an agent logged; it must be tagged in the back-office (备注 + 小红旗)."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("person_id", "number", name="uq_orders_person_number"),
        Index("ix_orders_reminder_due", "tagged_at", "next_reminder_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    number: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(1000), default="")
    remark: Mapped[str] = mapped_column(String(1000))
    flag_colour: Mapped[int] = mapped_column(Integer)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    tagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    next_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Event(Base):
    """One thing that happened, for the reports: who, when, what, which rule or phrasing.

    Never the text an agent typed: a draft holds customers' data. ``subject`` is a rule or
    phrasing id, ``detail`` a verdict, severity or kind, ``order_id`` the order concerned.
    """

    __tablename__ = "events"
    __table_args__ = (
        # Covering the report's grouped counts: a day's figures are read from the index alone.
        Index("ix_events_report", "team", "at", "type", "detail", "subject", "person_id"),
        Index("ix_events_type_at", "type", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    type: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    team: Mapped[str | None] = mapped_column(String(50), nullable=True)
    subject: Mapped[str | None] = mapped_column(String(100), nullable=True)
    detail: Mapped[str | None] = mapped_column(String(50), nullable=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), nullable=True)


class FillRequest(Base):
    """A phrasing waiting for placeholders the bot cannot know (customer name, order number).

    Keyed by the prompt message the agent answers, so an answer after a restart still lands.
    """

    __tablename__ = "fill_requests"
    __table_args__ = (UniqueConstraint("chat_id", "prompt_message_id", name="uq_fill_requests_prompt"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    prompt_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    phrasing_id: Mapped[str] = mapped_column(String(100))
    values: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ShiftSession(Base):
    """Someone on one occurrence of a shift: when they went on and off (上班 / 下班)."""

    __tablename__ = "shift_sessions"
    __table_args__ = (UniqueConstraint("person_id", "shift_start", name="uq_shift_sessions_person_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team: Mapped[str] = mapped_column(String(50))
    shift_name: Mapped[str] = mapped_column(String(50))
    shift_start: Mapped[datetime] = mapped_column(UTCDateTime)
    shift_end: Mapped[datetime] = mapped_column(UTCDateTime)
    on_at: Mapped[datetime] = mapped_column(UTCDateTime)
    off_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    missing_note_due: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    missing_note_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class HandoffDraft(Base):
    """A handoff note being written, saved at every step so a restart loses nothing."""

    __tablename__ = "handoff_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    step: Mapped[int] = mapped_column(Integer, default=0)
    sections: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    carried: Mapped[list[int]] = mapped_column(JSON, default=list)  # open items taken over from earlier notes
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HandoffNote(Base):
    """A filed handoff note (交接记录) of one agent's shift, for the next shift."""

    __tablename__ = "handoff_notes"
    __table_args__ = (Index("ix_handoff_notes_team_filed", "team", "filed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team: Mapped[str] = mapped_column(String(50))
    shift_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    shift_start: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_shift_name: Mapped[str] = mapped_column(String(50))
    next_shift_start: Mapped[datetime] = mapped_column(UTCDateTime)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    shown_at_start: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class HandoffItem(Base):
    __tablename__ = "handoff_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("handoff_notes.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))
    carried_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    carried_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class HandoffRead(Base):
    __tablename__ = "handoff_reads"

    note_id: Mapped[int] = mapped_column(ForeignKey("handoff_notes.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxMessage(Base):
    """A message the bot owes someone: written with the change it reports, sent until sent.

    ``(purpose, ref_id, chat_id)`` is unique, so the same notification is never queued twice.
    A replica sends a row only while it holds its claim (``claimed_by`` until
    ``claimed_until``); ``uncertain_at``: a send whose answer never came (Telegram may have
    delivered it), never sent again blindly.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("purpose", "ref_id", "chat_id", name="uq_outbox_purpose_ref_chat"),
        Index("ix_outbox_due", "sent_at", "failed_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(40))
    ref_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(4096))
    markup: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # a chart, sent as a photo
    claimed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    uncertain_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class DailyReport(Base):
    """A team's daily report as built and queued: a day is reported once, and its figures
    are kept so that the next report can say which provisional ones have settled."""

    __tablename__ = "daily_reports"
    __table_args__ = (UniqueConstraint("team", "day", name="uq_daily_reports_team_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(String(50))
    day: Mapped[date] = mapped_column(Date)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)


class Lease(Base):
    """Who runs a piece of scheduled work until when: one replica at a time, taken over when
    its holder stops renewing it (a replica that died)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProcessedUpdate(Base):
    """An update some replica took: Telegram retries a webhook, and every replica sees the retry."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class KnowledgeVersion(Base):
    """One version of the knowledge files: who, when, why, what changed, and the files.

    The files in ``knowledge/`` are the source of truth; this is their history. ``applied_at``
    is empty between recording a change and writing it to the files: whoever finds it so
    finishes the write (a replica that died half-way leaves nothing half-done).
    """

    __tablename__ = "knowledge_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    author: Mapped[str] = mapped_column(String(100))  # 慧兰 (A07), 文件编辑, 命令行 …
    reason: Mapped[str] = mapped_column(String(500))
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    digest: Mapped[str] = mapped_column(String(64))
    files: Mapped[bytes] = mapped_column(LargeBinary)  # the whole snapshot, compressed
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Proposal(Base):
    """A phrasing an agent proposes, or a banned rule a supervisor proposes, until a reviewer
    decides. ``payload`` holds what was proposed (after a reviewer's edit, the edited form)."""

    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_status_team", "status", "team"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # phrasing | rule
    status: Mapped[str] = mapped_column(String(20))  # draft | pending | approved | rejected | withdrawn
    team: Mapped[str] = mapped_column(String(50))
    proposer_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    based_on: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)  # phrasing id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    review_note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    result_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # the phrasing or rule made
    version_number: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ReplyPrompt(Base):
    """A question the bot asked with a reply prompt (a proposal's text, a reviewer's edit or
    reason): keyed by the prompt message, so an answer after a restart still lands."""

    __tablename__ = "reply_prompts"
    __table_args__ = (UniqueConstraint("chat_id", "message_id", name="uq_reply_prompts_message"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(30))  # propose_from | edit | reject
    ref: Mapped[str] = mapped_column(String(100))  # a phrasing id or a proposal id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Dispute(Base):
    """An agent's "这句没问题" under a flagged draft, until a supervisor decides.

    The one place a draft's text is kept: the agent chose to submit it for review. One per
    verdict message (``chat_id``, ``message_id``): a second press records nothing more.
    ``flags`` holds, per flag, the rule id, the matched words and their context (normalised).
    """

    __tablename__ = "disputes"
    __table_args__ = (
        UniqueConstraint("chat_id", "message_id", name="uq_disputes_message"),
        Index("ix_disputes_state_team", "state", "team"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)  # the verdict the button was under
    rules: Mapped[list[str]] = mapped_column(JSON)  # the rule ids flagged, in the draft's order
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # {rule, matched, start, end, context}
    draft: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))  # pending | confirmed | rejected
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), nullable=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)


class PracticeSession(Base):
    """A trainee's practice run (``/practice``): the scenario and the replies so far, read at every
    reply so that any replica can take the next one; deleted when it ends."""

    __tablename__ = "practice_sessions"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    scenario_id: Mapped[str] = mapped_column(String(100))
    replies: Mapped[list[str]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ServiceDay(Base):
    """A team's service figures on one transcript day, per agent and for the whole team.

    Written by a conversation audit (质检 of whole conversations); an audit of the same day
    again replaces the team's rows of that day. ``agent`` is the transcript's own name (a 旺旺
    nickname or a 工号, free text); the team's row is marked by ``whole_team`` and has no agent,
    so no name typed in a transcript can pass for it.
    """

    __tablename__ = "service_days"
    __table_args__ = (
        UniqueConstraint("team", "day", "agent", name="uq_service_days_team_day_agent"),
        Index("uq_service_days_team_row", "team", "day", unique=True,
              sqlite_where=sql_text("whole_team"), postgresql_where=sql_text("whole_team")),
        CheckConstraint("(whole_team AND agent IS NULL) OR (NOT whole_team AND agent IS NOT NULL)",
                        name="team_row_has_no_agent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(String(50))
    day: Mapped[date] = mapped_column(Date)
    whole_team: Mapped[bool] = mapped_column(Boolean)
    agent: Mapped[str | None] = mapped_column(String(64), nullable=True)
    conversations: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    first_response_mean: Mapped[float | None] = mapped_column(Float, nullable=True)
    first_response_p90: Mapped[float | None] = mapped_column(Float, nullable=True)
    customer_messages: Mapped[int] = mapped_column(Integer)
    answered_in_time: Mapped[int] = mapped_column(Integer)
    unanswered: Mapped[int] = mapped_column(Integer)
    agent_messages: Mapped[int] = mapped_column(Integer)
    flags: Mapped[int] = mapped_column(Integer)
    score_mean: Mapped[float | None] = mapped_column(Float, nullable=True)
    worst: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # {conversation, score, reasons}
    audited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(500))  # the uploaded file's name
    audited_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)

"""shifts, handoffs, outbox: who is on, the handoff book, messages owed

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("outbox",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("chat_id", sa.BigInteger(), nullable=False),
    sa.Column("purpose", sa.String(length=40), nullable=False),
    sa.Column("ref_id", sa.Integer(), nullable=False),
    sa.Column("text", sa.String(length=4096), nullable=False),
    sa.Column("markup", sa.JSON(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error", sa.String(length=500), nullable=True),
    sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("message_id", sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    sa.UniqueConstraint("purpose", "ref_id", "chat_id", name="uq_outbox_purpose_ref_chat")
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["sent_at", "failed_at", "due_at"], unique=False)

    op.create_table("handoff_drafts",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("chat_id", sa.BigInteger(), nullable=False),
    sa.Column("step", sa.Integer(), nullable=False),
    sa.Column("sections", sa.JSON(), nullable=False),
    sa.Column("carried", sa.JSON(), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_handoff_drafts_person_id_people"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_drafts")),
    sa.UniqueConstraint("person_id", name=op.f("uq_handoff_drafts_person_id"))
    )
    op.create_table("handoff_notes",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("team", sa.String(length=50), nullable=False),
    sa.Column("shift_name", sa.String(length=50), nullable=True),
    sa.Column("shift_start", sa.DateTime(timezone=True), nullable=True),
    sa.Column("next_shift_name", sa.String(length=50), nullable=False),
    sa.Column("next_shift_start", sa.DateTime(timezone=True), nullable=False),
    sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("shown_at_start", sa.DateTime(timezone=True), nullable=True),
    sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_handoff_notes_person_id_people"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_notes"))
    )
    with op.batch_alter_table("handoff_notes", schema=None) as batch_op:
        batch_op.create_index("ix_handoff_notes_team_filed", ["team", "filed_at"], unique=False)

    op.create_table("shift_sessions",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("team", sa.String(length=50), nullable=False),
    sa.Column("shift_name", sa.String(length=50), nullable=False),
    sa.Column("shift_start", sa.DateTime(timezone=True), nullable=False),
    sa.Column("shift_end", sa.DateTime(timezone=True), nullable=False),
    sa.Column("on_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("off_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("missing_note_due", sa.DateTime(timezone=True), nullable=True),
    sa.Column("missing_note_reported_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_shift_sessions_person_id_people"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_sessions")),
    sa.UniqueConstraint("person_id", "shift_start", name="uq_shift_sessions_person_start")
    )
    op.create_table("handoff_items",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("note_id", sa.Integer(), nullable=False),
    sa.Column("section", sa.String(length=20), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("text", sa.String(length=500), nullable=False),
    sa.Column("carried_from", sa.Integer(), nullable=True),
    sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("done_by", sa.Integer(), nullable=True),
    sa.Column("carried_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["done_by"], ["people.id"], name=op.f("fk_handoff_items_done_by_people"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["note_id"], ["handoff_notes.id"], name=op.f("fk_handoff_items_note_id_handoff_notes"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_items"))
    )
    with op.batch_alter_table("handoff_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handoff_items_note_id"), ["note_id"], unique=False)

    op.create_table("handoff_reads",
    sa.Column("note_id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["note_id"], ["handoff_notes.id"], name=op.f("fk_handoff_reads_note_id_handoff_notes"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_handoff_reads_person_id_people"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("note_id", "person_id", name=op.f("pk_handoff_reads"))
    )


def downgrade() -> None:
    op.drop_table("handoff_reads")
    with op.batch_alter_table("handoff_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_items_note_id"))

    op.drop_table("handoff_items")
    op.drop_table("shift_sessions")
    with op.batch_alter_table("handoff_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_handoff_notes_team_filed")

    op.drop_table("handoff_notes")
    op.drop_table("handoff_drafts")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")

    op.drop_table("outbox")

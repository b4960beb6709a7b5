"""roster, invites, orders, events, fill requests: the bot's own tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("people",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("telegram_id", sa.BigInteger(), nullable=False),
    sa.Column("agent_id", sa.String(length=32), nullable=True),
    sa.Column("name", sa.String(length=100), nullable=False),
    sa.Column("role", sa.String(length=20), nullable=False),
    sa.Column("team", sa.String(length=50), nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    sa.UniqueConstraint("agent_id", name=op.f("uq_people_agent_id")),
    sa.UniqueConstraint("telegram_id", name=op.f("uq_people_telegram_id"))
    )
    op.create_table("fill_requests",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("chat_id", sa.BigInteger(), nullable=False),
    sa.Column("prompt_message_id", sa.BigInteger(), nullable=True),
    sa.Column("phrasing_id", sa.String(length=100), nullable=False),
    sa.Column("values", sa.JSON(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_fill_requests_person_id_people"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_fill_requests")),
    sa.UniqueConstraint("chat_id", "prompt_message_id", name="uq_fill_requests_prompt")
    )
    op.create_table("invites",
    sa.Column("code", sa.String(length=32), nullable=False),
    sa.Column("role", sa.String(length=20), nullable=False),
    sa.Column("agent_id", sa.String(length=32), nullable=True),
    sa.Column("name", sa.String(length=100), nullable=False),
    sa.Column("team", sa.String(length=50), nullable=False),
    sa.Column("created_by", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("used_by", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["created_by"], ["people.id"], name=op.f("fk_invites_created_by_people"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["used_by"], ["people.id"], name=op.f("fk_invites_used_by_people"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("code", name=op.f("pk_invites"))
    )
    op.create_table("orders",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("chat_id", sa.BigInteger(), nullable=False),
    sa.Column("number", sa.String(length=64), nullable=False),
    sa.Column("note", sa.String(length=1000), nullable=False),
    sa.Column("remark", sa.String(length=1000), nullable=False),
    sa.Column("flag_colour", sa.Integer(), nullable=False),
    sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("tagged_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("reminders_sent", sa.Integer(), nullable=False),
    sa.Column("next_reminder_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_orders_person_id_people"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
    sa.UniqueConstraint("person_id", "number", name="uq_orders_person_number")
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_reminder_due", ["tagged_at", "next_reminder_at"], unique=False)

    op.create_table("events",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("type", sa.String(length=32), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=True),
    sa.Column("team", sa.String(length=50), nullable=True),
    sa.Column("subject", sa.String(length=100), nullable=True),
    sa.Column("detail", sa.String(length=50), nullable=True),
    sa.Column("order_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_events_order_id_orders"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_events_person_id_people"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_events"))
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_team_at", ["team", "at"], unique=False)
        batch_op.create_index("ix_events_type_at", ["type", "at"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_type_at")
        batch_op.drop_index("ix_events_team_at")

    op.drop_table("events")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_reminder_due")

    op.drop_table("orders")
    op.drop_table("invites")
    op.drop_table("fill_requests")
    op.drop_table("people")

"""knowledge versions, proposals and reply prompts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("knowledge_versions",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("number", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("author_id", sa.Integer(), nullable=True),
    sa.Column("author", sa.String(length=100), nullable=False),
    sa.Column("reason", sa.String(length=500), nullable=False),
    sa.Column("changes", sa.JSON(), nullable=False),
    sa.Column("digest", sa.String(length=64), nullable=False),
    sa.Column("files", sa.LargeBinary(), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["author_id"], ["people.id"], name=op.f("fk_knowledge_versions_author_id_people"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_versions")),
    sa.UniqueConstraint("number", name=op.f("uq_knowledge_versions_number"))
    )
    op.create_table("proposals",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("kind", sa.String(length=20), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("team", sa.String(length=50), nullable=False),
    sa.Column("proposer_id", sa.Integer(), nullable=False),
    sa.Column("payload", sa.JSON(), nullable=False),
    sa.Column("based_on", sa.String(length=100), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("reviewer_id", sa.Integer(), nullable=True),
    sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("review_note", sa.String(length=500), nullable=True),
    sa.Column("result_id", sa.String(length=100), nullable=True),
    sa.Column("version_number", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["proposer_id"], ["people.id"], name=op.f("fk_proposals_proposer_id_people"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["reviewer_id"], ["people.id"], name=op.f("fk_proposals_reviewer_id_people"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals"))
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposals_based_on"), ["based_on"], unique=False)
        batch_op.create_index("ix_proposals_status_team", ["status", "team"], unique=False)

    op.create_table("reply_prompts",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("chat_id", sa.BigInteger(), nullable=False),
    sa.Column("message_id", sa.BigInteger(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("purpose", sa.String(length=30), nullable=False),
    sa.Column("ref", sa.String(length=100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_reply_prompts_person_id_people"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_prompts")),
    sa.UniqueConstraint("chat_id", "message_id", name="uq_reply_prompts_message")
    )


def downgrade() -> None:
    op.drop_table("reply_prompts")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_proposals_status_team")
        batch_op.drop_index(batch_op.f("ix_proposals_based_on"))

    op.drop_table("proposals")
    op.drop_table("knowledge_versions")


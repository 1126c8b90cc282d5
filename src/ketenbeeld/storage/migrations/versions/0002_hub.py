"""Hub tables (organisations, tokens, signals, matches, inbox) and audit result/origin.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("result", sa.String(20), nullable=True))
        batch.add_column(sa.Column("origin", sa.String(100), nullable=True))
    op.create_table(
        "hub_organisations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "hub_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("hub_organisations.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "hub_signals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("public_id", sa.String(40), nullable=False, unique=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("hub_organisations.id"), nullable=False),
        sa.Column("schema", sa.String(60), nullable=False),
        sa.Column("clk", sa.LargeBinary(), nullable=False),
        sa.Column("bsn_hash", sa.String(64), nullable=True),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("legal_basis", sa.String(40), nullable=False),
        sa.Column("contact_ref", sa.String(200), nullable=False),
        sa.Column("node_ref", sa.String(100), nullable=True),
        sa.Column("concern_since", sa.Date(), nullable=True),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("active_until", sa.DateTime(), nullable=False),
        sa.Column("keep_until", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_hub_signals_org_id", "hub_signals", ["org_id"])
    op.create_index("ix_hub_signals_bsn_hash", "hub_signals", ["bsn_hash"])
    op.create_index("ix_hub_signals_keep_until", "hub_signals", ["keep_until"])
    op.create_table(
        "hub_matches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("public_id", sa.String(40), nullable=False, unique=True),
        sa.Column("signal_low_id", sa.Integer(), sa.ForeignKey("hub_signals.id"), nullable=False),
        sa.Column("signal_high_id", sa.Integer(), sa.ForeignKey("hub_signals.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("lead_org_id", sa.Integer(), sa.ForeignKey("hub_organisations.id")),
        sa.Column("lead_since", sa.DateTime(), nullable=True),
        sa.Column("contact_at", sa.DateTime(), nullable=True),
        sa.Column("contact_org_id", sa.Integer(), sa.ForeignKey("hub_organisations.id")),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_org_id", sa.Integer(), sa.ForeignKey("hub_organisations.id")),
        sa.Column("close_reason", sa.String(40), nullable=True),
        sa.UniqueConstraint("signal_low_id", "signal_high_id", name="uq_hub_matches_pair"),
    )
    op.create_index("ix_hub_matches_signal_high_id", "hub_matches", ["signal_high_id"])
    op.create_table(
        "hub_inbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("hub_organisations.id"), nullable=False),
        sa.Column("match_id", sa.Integer(), sa.ForeignKey("hub_matches.id"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_hub_inbox_org_id", "hub_inbox", ["org_id"])
    op.create_index("ix_hub_inbox_match_id", "hub_inbox", ["match_id"])


def downgrade() -> None:
    op.drop_table("hub_inbox")
    op.drop_table("hub_matches")
    op.drop_table("hub_signals")
    op.drop_table("hub_tokens")
    op.drop_table("hub_organisations")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("origin")
        batch.drop_column("result")

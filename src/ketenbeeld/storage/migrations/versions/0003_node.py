"""Node tables: an organisation's own signals with the identity, kept at the organisation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "node_signals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("node_ref", sa.String(40), nullable=False, unique=True),
        sa.Column("hub_signal_id", sa.String(40), nullable=False, unique=True),
        sa.Column("identity", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("legal_basis", sa.String(40), nullable=False),
        sa.Column("contact_ref", sa.String(200), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("active_until", sa.DateTime(), nullable=False),
        sa.Column("keep_until", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("node_signals")

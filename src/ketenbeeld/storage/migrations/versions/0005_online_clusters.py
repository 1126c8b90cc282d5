"""Online clusters: the cluster of each stored ad, as the last ``online cluster`` found.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "online_clusters",
        sa.Column("ad_id", sa.String(200), primary_key=True),
        sa.Column("cluster_id", sa.String(200), nullable=False),
    )
    op.create_index("ix_online_clusters_cluster_id", "online_clusters", ["cluster_id"])


def downgrade() -> None:
    op.drop_table("online_clusters")

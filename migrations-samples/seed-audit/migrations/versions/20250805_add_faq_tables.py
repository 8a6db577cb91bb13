"""Add Intelligent FAQ System tables

Revision ID: 20250805_add_faq_tables
Revises: 20250804_add_regulatory_documents
Create Date: 2025-08-05 08:55:17.300914

Tables for the Intelligent FAQ System:
- faq_entries: curated questions and answers, searchable in Italian
- faq_usage_logs: every time an FAQ answered a user (analytics, cost tracking)
- faq_version_history: previous versions of an FAQ entry
- faq_categories: category tree for the FAQ browser
"""

import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from alembic import op

# revision identifiers, used by Alembic.
revision = "20250805_add_faq_tables"
down_revision = "20250804_add_regulatory_documents"
branch_labels = None
depends_on = None


def upgrade():
    """Add Intelligent FAQ System tables."""
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.String(length=100), primary_key=True, comment="FAQ entry UUID"),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False, server_default="generale"),
        sa.Column("tags", postgresql.ARRAY(sa.String()), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=False, server_default="it"),
        sa.Column("last_validated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("regulatory_refs", postgresql.JSON(astext_type=sa.Text()), nullable=True),
        sa.Column("update_sensitivity", sa.String(length=20), nullable=False, server_default="medium"),
        sa.Column("hit_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_used", sa.DateTime(timezone=True), nullable=True),
        sa.Column("avg_helpfulness", sa.Float(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
    )
    op.create_index("idx_faq_entries_category", "faq_entries", ["category"])
    op.create_index("idx_faq_entries_needs_review", "faq_entries", ["needs_review"])
    op.create_index("idx_faq_entries_language_category", "faq_entries", ["language", "category"])
    # Expression index for Italian full-text search over question and answer
    op.execute(
        """
        CREATE INDEX idx_faq_entries_fts
        ON faq_entries
        USING GIN (to_tsvector('italian', question || ' ' || answer))
        """
    )

    op.create_table(
        "faq_usage_logs",
        sa.Column("id", sa.String(length=100), primary_key=True),
        sa.Column("faq_id", sa.String(length=100), nullable=False),
        # the user's id as the API sees it (a string); no foreign key to "user"
        sa.Column("user_id", sa.String(length=100), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
        sa.Column("response_variation", sa.Text(), nullable=False),
        sa.Column("from_cache", sa.Boolean(), nullable=False, default=False),
        sa.Column("variation_cost_euros", sa.Float(), nullable=False, default=0.0003),
        sa.Column("was_helpful", sa.Boolean(), nullable=True),
        sa.Column("comments", sa.Text(), nullable=True),
    )
    op.create_foreign_key(
        "fk_faq_usage_logs_faq_id",
        "faq_usage_logs",
        "faq_entries",
        ["faq_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_index("idx_faq_usage_logs_faq_used_at", "faq_usage_logs", ["faq_id", "used_at"])
    op.create_index("idx_faq_usage_logs_user_used_at", "faq_usage_logs", ["user_id", "used_at"])

    op.create_table(
        "faq_version_history",
        sa.Column("id", sa.String(length=100), primary_key=True),
        sa.Column("faq_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("change_reason", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
        sa.ForeignKeyConstraint(
            ["faq_id"], ["faq_entries.id"], name="fk_faq_version_history_faq_id", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("faq_id", "version", name="uq_faq_version_history_faq_version"),
    )

    op.create_table(
        "faq_categories",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(length=100), nullable=False, unique=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parent_category", sa.String(length=100), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
    )

    categories = sa.table(
        "faq_categories",
        sa.column("name", sa.String),
        sa.column("display_name", sa.String),
        sa.column("sort_order", sa.Integer),
    )
    op.bulk_insert(
        categories,
        [
            {"name": "generale", "display_name": "Generale", "sort_order": 0},
            {"name": "iva", "display_name": "IVA", "sort_order": 10},
            {"name": "irpef", "display_name": "IRPEF", "sort_order": 20},
            {"name": "lavoro", "display_name": "Lavoro e contratti", "sort_order": 30},
        ],
    )


def downgrade():
    """Remove Intelligent FAQ System tables."""
    op.drop_table("faq_categories")
    op.drop_table("faq_version_history")
    op.drop_table("faq_usage_logs")
    op.drop_index("idx_faq_entries_fts", table_name="faq_entries")
    op.drop_table("faq_entries")

"""Add regulatory documents tables for Dynamic Knowledge Collection System

Revision ID: 20250804_add_regulatory_documents
Revises: 20250804_add_postgresql_fts
Create Date: 2025-08-04 16:40:02.551870

Tables for the Dynamic Knowledge Collection System:
- regulatory_documents: documents published by Italian authorities (Agenzia delle
  Entrate, INPS, Gazzetta Ufficiale, ...), searchable through a generated tsvector
- feed_status: health of the RSS feeds we poll
- document_processing_log: what happened to each fetched document
"""

import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from alembic import op

# revision identifiers, used by Alembic.
revision = "20250804_add_regulatory_documents"
down_revision = "20250804_add_postgresql_fts"
branch_labels = None
depends_on = None


def upgrade():
    """Add regulatory documents tables."""
    op.create_table(
        "regulatory_documents",
        sa.Column("id", sa.String(length=100), primary_key=True),
        sa.Column("source", sa.String(length=100), nullable=False, comment="Source authority (agenzia_entrate, inps, ...)"),
        sa.Column("source_type", sa.String(length=100), nullable=False, comment="Document type (circolari, risoluzioni, ...)"),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("published_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False, comment="SHA256 for duplicate detection"),
        sa.Column("document_number", sa.String(length=50), nullable=True),
        sa.Column("authority", sa.String(length=200), nullable=True),
        sa.Column("metadata", postgresql.JSON(astext_type=sa.Text()), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, default=1),
        sa.Column("previous_version_id", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False, server_default="pending"),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("processing_errors", sa.Text(), nullable=True),
        sa.Column("knowledge_item_id", sa.Integer(), nullable=True, comment="Associated knowledge_items record"),
        sa.Column("topics", sa.Text(), nullable=True, comment="Comma-separated topics"),
        sa.Column("importance_score", sa.Float(), nullable=False, server_default=sa.text("0.5")),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('italian'::regconfig, coalesce(title, '')), 'A') || "
                "setweight(to_tsvector('italian'::regconfig, coalesce(content, '')), 'B')",
                persisted=True,
            ),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
    )
    op.create_index("idx_regulatory_documents_source", "regulatory_documents", ["source"])
    op.create_index("idx_regulatory_documents_status", "regulatory_documents", ["status"])
    op.create_index("idx_regulatory_documents_published_date", "regulatory_documents", ["published_date"])
    op.create_index("idx_regulatory_documents_content_hash", "regulatory_documents", ["content_hash"])
    op.create_index("idx_regulatory_documents_source_status", "regulatory_documents", ["source", "status"])
    # One document per URL
    op.create_index("idx_regulatory_documents_url_unique", "regulatory_documents", ["url"], unique=True)
    op.create_index(
        "idx_regulatory_documents_fts",
        "regulatory_documents",
        ["search_vector"],
        postgresql_using="gin",
    )

    op.create_table(
        "feed_status",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("feed_url", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("feed_type", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False, comment="healthy, unhealthy, error"),
        sa.Column("last_checked", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
        sa.Column("last_success", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_time_ms", sa.Float(), nullable=True),
        sa.Column("items_found", sa.Integer(), nullable=True),
        sa.Column("consecutive_errors", sa.Integer(), nullable=False, default=0),
        sa.Column("errors", sa.Integer(), nullable=False, default=0),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("check_interval_minutes", sa.Integer(), nullable=False, server_default="240"),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
    )
    op.create_index("idx_feed_status_url_unique", "feed_status", ["feed_url"], unique=True)
    op.create_index("idx_feed_status_source", "feed_status", ["source"])
    op.create_index("idx_feed_status_enabled", "feed_status", ["enabled"])

    op.create_table(
        "document_processing_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        # no foreign key: log rows outlive the documents they mention
        sa.Column("document_id", sa.String(length=100), nullable=True),
        sa.Column("document_url", sa.Text(), nullable=False),
        sa.Column("operation", sa.String(length=50), nullable=False, comment="create, update, archive, ..."),
        sa.Column("status", sa.String(length=20), nullable=False, comment="success, failed, partial"),
        sa.Column("processing_time_ms", sa.Float(), nullable=True),
        sa.Column("content_length", sa.Integer(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("error_details", postgresql.JSON(astext_type=sa.Text()), nullable=True),
        sa.Column("triggered_by", sa.String(length=50), nullable=False, comment="scheduler, manual, api"),
        sa.Column("feed_url", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
    )
    op.create_index("idx_document_processing_log_document_id", "document_processing_log", ["document_id"])
    op.create_index(
        "idx_document_processing_log_status_date",
        "document_processing_log",
        ["status", "created_at"],
    )

    # One trigger function for every table with an updated_at column
    op.execute(
        """
        CREATE OR REPLACE FUNCTION set_updated_at()
        RETURNS TRIGGER AS $$
        BEGIN
            NEW.updated_at = NOW();
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """
    )
    for table in ("regulatory_documents", "feed_status"):
        op.execute(
            f"""
            CREATE TRIGGER {table}_set_updated_at
            BEFORE UPDATE ON {table}
            FOR EACH ROW
            EXECUTE FUNCTION set_updated_at();
            """
        )


def downgrade():
    """Remove regulatory documents tables."""
    op.execute("DROP TRIGGER IF EXISTS feed_status_set_updated_at ON feed_status;")
    op.execute("DROP TRIGGER IF EXISTS regulatory_documents_set_updated_at ON regulatory_documents;")
    op.execute("DROP FUNCTION IF EXISTS set_updated_at();")

    op.drop_table("document_processing_log")
    op.drop_table("feed_status")
    op.drop_table("regulatory_documents")

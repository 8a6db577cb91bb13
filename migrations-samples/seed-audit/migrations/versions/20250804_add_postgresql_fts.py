"""Add PostgreSQL Full-Text Search support

Revision ID: 20250804_add_postgresql_fts
Revises:
Create Date: 2025-08-04 09:12:40.118204

The first Alembic revision of this project: ``user``, ``session``, ``knowledge_items``,
``knowledge_chunks``, ``subscriptions``, ``invoices``, ``document_analyses``,
``tax_calculations`` and ``compliance_checks`` were created by
``SQLModel.metadata.create_all()`` at application start-up before Alembic was
introduced (see ``base-schema.sql``).

This migration adds:
- a ``search_vector`` tsvector column on knowledge_items, with a GIN index
- a trigger keeping it up to date (Italian configuration, title weighted above content)
- an Italian text search configuration when the server has none
- an index for ranking by relevance_score
"""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

# revision identifiers, used by Alembic.
revision = "20250804_add_postgresql_fts"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    """Add full-text search support to knowledge_items."""
    # Our revision ids are "YYYYMMDD_what_it_does" and longer than Alembic's
    # VARCHAR(32) version column: widen it before Alembic records this revision.
    op.alter_column(
        "alembic_version",
        "version_num",
        existing_type=sa.String(length=32),
        type_=sa.String(length=64),
        existing_nullable=False,
    )

    op.add_column(
        "knowledge_items",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            nullable=True,
            comment="Full-text search vector (Italian)",
        ),
    )
    op.create_index(
        "idx_knowledge_items_search_vector",
        "knowledge_items",
        ["search_vector"],
        postgresql_using="gin",
    )

    op.execute(
        """
        CREATE OR REPLACE FUNCTION update_knowledge_search_vector()
        RETURNS trigger AS $$
        BEGIN
            NEW.search_vector :=
                setweight(to_tsvector('italian', COALESCE(NEW.title, '')), 'A') ||
                setweight(to_tsvector('italian', COALESCE(NEW.content, '')), 'B');
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """
    )
    op.execute(
        """
        CREATE TRIGGER update_knowledge_search_vector_trigger
        BEFORE INSERT OR UPDATE OF title, content
        ON knowledge_items
        FOR EACH ROW
        EXECUTE FUNCTION update_knowledge_search_vector();
        """
    )

    # Populate the new column for the rows we already have
    op.execute(
        """
        UPDATE knowledge_items
        SET search_vector =
            setweight(to_tsvector('italian', COALESCE(title, '')), 'A') ||
            setweight(to_tsvector('italian', COALESCE(content, '')), 'B')
        WHERE search_vector IS NULL;
        """
    )

    # Managed PostgreSQL images sometimes ship without the Snowball configurations
    op.execute(
        """
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'italian') THEN
                CREATE TEXT SEARCH CONFIGURATION italian (COPY = simple);
            END IF;
        END $$;
        """
    )

    # Ranking combines ts_rank with relevance_score, highest first
    op.create_index(
        "idx_knowledge_items_relevance_score",
        "knowledge_items",
        [sa.text("relevance_score DESC")],
    )


def downgrade():
    """Remove full-text search support."""
    op.execute("DROP TRIGGER IF EXISTS update_knowledge_search_vector_trigger ON knowledge_items;")
    op.execute("DROP FUNCTION IF EXISTS update_knowledge_search_vector();")

    op.drop_index("idx_knowledge_items_relevance_score", table_name="knowledge_items")
    op.drop_index("idx_knowledge_items_search_vector", table_name="knowledge_items")
    op.drop_column("knowledge_items", "search_vector")
    # alembic_version keeps its wider column: the revision ids still need it

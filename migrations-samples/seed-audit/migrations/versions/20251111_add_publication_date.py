"""Add publication_date column to knowledge_items

Revision ID: 20251111_add_publication_date
Revises: 20251103_extraction_quality_and_junk_flags
Create Date: 2025-11-11 10:14:27.904410

"""

import logging

from alembic import op

logger = logging.getLogger("alembic.runtime.migration")

# revision identifiers, used by Alembic.
revision = "20251111_add_publication_date"
down_revision = "20251103_extraction_quality_and_junk_flags"
branch_labels = None
depends_on = None


def upgrade():
    """Add publication_date column to knowledge_items."""
    op.execute(
        """
        ALTER TABLE knowledge_items
        ADD COLUMN IF NOT EXISTS publication_date DATE;
        """
    )
    op.execute(
        """
        CREATE INDEX IF NOT EXISTS idx_ki_publication_date
        ON knowledge_items(publication_date)
        WHERE publication_date IS NOT NULL;
        """
    )
    logger.info("Added publication_date column to knowledge_items")


def downgrade():
    """Remove publication_date column from knowledge_items."""
    op.execute("DROP INDEX IF EXISTS idx_ki_publication_date;")
    op.execute("ALTER TABLE knowledge_items DROP COLUMN IF EXISTS publication_date;")

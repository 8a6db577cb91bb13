"""Enable pgvector extension for vector similarity search

Revision ID: 20251103_enable_pgvector
Revises: 20250811_add_user_oauth_fields
Create Date: 2025-11-03 09:02:11.402318

Creates the ``vector`` extension when the server has it. Local developer
databases without pgvector get a notice instead of an error, and hybrid
retrieval falls back to full-text search only.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "20251103_enable_pgvector"
down_revision = "20250811_add_user_oauth_fields"
branch_labels = None
depends_on = None


def upgrade():
    """Enable pgvector if available."""
    op.execute(
        """
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
            CREATE EXTENSION IF NOT EXISTS vector;
          ELSE
            RAISE NOTICE 'pgvector extension not available on this server.';
          END IF;
        END$$;
        """
    )


def downgrade():
    """Keep the extension installed: embedding columns depend on it."""
    pass

"""Add parser column to feed_status table

Revision ID: 20251103_add_parser_to_feed_status
Revises: 20251103_fts_unaccent_weights
Create Date: 2025-11-03 17:25:03.116535

Which parser function reads each RSS feed (health checks must use the same one).
The column was added by hand on staging first, hence the existence check.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "20251103_add_parser_to_feed_status"
down_revision = "20251103_fts_unaccent_weights"
branch_labels = None
depends_on = None


PARSERS_BY_SOURCE = [
    ("agenzia_entrate", "normativa_prassi", "agenzia_normativa"),
    ("agenzia_entrate", "news", "generic"),
    ("inps", None, "inps"),
    ("gazzetta_ufficiale", None, "gazzetta_ufficiale"),
]


def upgrade():
    """Add parser column to feed_status."""
    op.execute(
        """
        DO $$
        BEGIN
            IF NOT EXISTS (
                SELECT 1 FROM information_schema.columns
                WHERE table_name = 'feed_status' AND column_name = 'parser'
            ) THEN
                ALTER TABLE feed_status ADD COLUMN parser TEXT;
            END IF;
        END $$;
        """
    )

    for source, feed_type, parser in PARSERS_BY_SOURCE:
        condition = f"source = '{source}'"
        if feed_type is not None:
            condition += f" AND feed_type = '{feed_type}'"
        op.execute(f"UPDATE feed_status SET parser = '{parser}' WHERE {condition} AND parser IS NULL;")
    op.execute("UPDATE feed_status SET parser = 'generic' WHERE parser IS NULL;")

    op.execute("CREATE INDEX IF NOT EXISTS idx_feed_status_parser ON feed_status(parser);")


def downgrade():
    """Remove parser column from feed_status."""
    op.execute("DROP INDEX IF EXISTS idx_feed_status_parser;")
    op.execute("ALTER TABLE feed_status DROP COLUMN IF EXISTS parser;")

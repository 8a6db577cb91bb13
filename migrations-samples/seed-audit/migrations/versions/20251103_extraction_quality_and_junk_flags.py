"""Add extraction quality and junk detection fields

Revision ID: 20251103_extraction_quality_and_junk_flags
Revises: 20251103_add_parser_to_feed_status
Create Date: 2025-11-03 18:02:49.530711

knowledge_items:
- extraction_method: 'pdf_text' | 'mixed' | 'ocr'
- text_quality: document-level quality score (0.0-1.0)
- ocr_pages: JSON array like [{"page": 3, "reason": "low_quality"}]

knowledge_chunks:
- quality_score: chunk-level quality score (0.0-1.0)
- junk: corrupted or low-quality chunk, excluded from retrieval
- ocr_used: the chunk's text came from OCR
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "20251103_extraction_quality_and_junk_flags"
down_revision = "20251103_add_parser_to_feed_status"
branch_labels = None
depends_on = None


def upgrade():
    """Add extraction quality and junk detection fields."""
    op.execute(
        """
        DO $$
        BEGIN
            IF NOT EXISTS (
                SELECT 1 FROM information_schema.columns
                WHERE table_name = 'knowledge_items' AND column_name = 'extraction_method'
            ) THEN
                ALTER TABLE knowledge_items ADD COLUMN extraction_method TEXT;
            END IF;

            IF NOT EXISTS (
                SELECT 1 FROM information_schema.columns
                WHERE table_name = 'knowledge_items' AND column_name = 'text_quality'
            ) THEN
                ALTER TABLE knowledge_items ADD COLUMN text_quality NUMERIC;
            END IF;

            IF NOT EXISTS (
                SELECT 1 FROM information_schema.columns
                WHERE table_name = 'knowledge_items' AND column_name = 'ocr_pages'
            ) THEN
                ALTER TABLE knowledge_items ADD COLUMN ocr_pages JSONB;
            END IF;
        END $$;
        """
    )

    op.execute(
        """
        ALTER TABLE knowledge_chunks
            ADD COLUMN IF NOT EXISTS quality_score NUMERIC,
            ADD COLUMN IF NOT EXISTS junk BOOLEAN NOT NULL DEFAULT FALSE,
            ADD COLUMN IF NOT EXISTS ocr_used BOOLEAN NOT NULL DEFAULT FALSE;
        """
    )

    # Retrieval only ever reads chunks that are not junk
    op.execute(
        """
        CREATE INDEX IF NOT EXISTS idx_kc_not_junk
        ON knowledge_chunks(knowledge_item_id)
        WHERE junk = FALSE;
        """
    )
    op.execute(
        """
        CREATE INDEX IF NOT EXISTS idx_ki_text_quality
        ON knowledge_items(text_quality)
        WHERE text_quality IS NOT NULL;
        """
    )


def downgrade():
    """Remove extraction quality and junk detection fields."""
    op.execute("DROP INDEX IF EXISTS idx_kc_not_junk;")
    op.execute("DROP INDEX IF EXISTS idx_ki_text_quality;")
    op.execute(
        """
        ALTER TABLE knowledge_chunks DROP COLUMN IF EXISTS quality_score;
        ALTER TABLE knowledge_chunks DROP COLUMN IF EXISTS junk;
        ALTER TABLE knowledge_chunks DROP COLUMN IF EXISTS ocr_used;
        """
    )
    op.execute(
        """
        ALTER TABLE knowledge_items DROP COLUMN IF EXISTS extraction_method;
        ALTER TABLE knowledge_items DROP COLUMN IF EXISTS text_quality;
        ALTER TABLE knowledge_items DROP COLUMN IF EXISTS ocr_pages;
        """
    )

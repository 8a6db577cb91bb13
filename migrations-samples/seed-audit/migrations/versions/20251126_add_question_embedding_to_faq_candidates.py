"""Add question_embedding vector column to faq_candidates table

Revision ID: 20251126_add_question_embedding_to_faq_candidates
Revises: 20251126_add_question_embedding_to_faq
Create Date: 2025-11-26 11:32:07.815533

faq_candidates is the FAQ automation table (query-cluster analysis), not
expert_faq_candidates. Its model is on the declarative Base
(app/models/faq_automation.py) and only some environments have the table, so
the column is added only where the table exists.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "20251126_add_question_embedding_to_faq_candidates"
down_revision = "20251126_add_question_embedding_to_faq"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add question_embedding column and vector index to faq_candidates, if present."""
    op.execute(
        """
        DO $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM information_schema.tables
                WHERE table_schema = 'public' AND table_name = 'faq_candidates'
            ) THEN
                ALTER TABLE faq_candidates ADD COLUMN IF NOT EXISTS question_embedding vector(1536);
                CREATE INDEX IF NOT EXISTS idx_faq_candidates_question_embedding_ivfflat
                    ON faq_candidates USING ivfflat (question_embedding vector_cosine_ops)
                    WITH (lists = 100);
            ELSE
                RAISE NOTICE 'faq_candidates does not exist; skipping question_embedding';
            END IF;
        END $$;
        """
    )


def downgrade() -> None:
    """Remove question_embedding column and index from faq_candidates."""
    op.execute("DROP INDEX IF EXISTS idx_faq_candidates_question_embedding_ivfflat;")
    op.execute(
        """
        DO $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM information_schema.tables
                WHERE table_schema = 'public' AND table_name = 'faq_candidates'
            ) THEN
                ALTER TABLE faq_candidates DROP COLUMN IF EXISTS question_embedding;
            END IF;
        END $$;
        """
    )

"""Add question_embedding vector column to expert_faq_candidates table

Revision ID: 20251126_add_embedding_to_expert_faq_candidates
Revises: 20251126_add_question_embedding_to_faq_candidates
Create Date: 2025-11-26 15:48:22.093378

Golden Set step 127 stores an embedding when an expert marks an answer as
correct. Deduplication and routing search expert_faq_candidates by cosine
similarity; HNSW gives better recall than IVFFlat on this small, growing table.
"""

import logging

import sqlalchemy as sa
from pgvector.sqlalchemy import Vector

from alembic import op

logger = logging.getLogger("alembic.runtime.migration")

# revision identifiers, used by Alembic.
revision = "20251126_add_embedding_to_expert_faq_candidates"
down_revision = "20251126_add_question_embedding_to_faq_candidates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add question_embedding column and an HNSW index to expert_faq_candidates."""
    op.execute("CREATE EXTENSION IF NOT EXISTS vector;")

    # IF NOT EXISTS: environments that ran 20251126_add_question_embedding_to_faq have it
    op.execute("ALTER TABLE expert_faq_candidates ADD COLUMN IF NOT EXISTS question_embedding vector(1536);")
    op.execute(
        """
        CREATE INDEX IF NOT EXISTS idx_expert_faq_candidates_question_embedding_hnsw
        ON expert_faq_candidates
        USING hnsw (question_embedding vector_cosine_ops)
        WITH (m = 16, ef_construction = 64);
        """
    )


def downgrade() -> None:
    """Remove question_embedding column and index from expert_faq_candidates."""
    op.execute("DROP INDEX IF EXISTS idx_expert_faq_candidates_question_embedding_hnsw;")
    op.drop_column("expert_faq_candidates", "question_embedding")
    logger.warning("Removed question_embedding from expert_faq_candidates: stored embeddings are gone")

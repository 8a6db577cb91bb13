"""Add question_embedding vector column to expert_faq_candidates

Revision ID: 20251126_add_question_embedding_to_faq
Revises: 20251124_add_generated_faq_id_to_expert_feedback
Create Date: 2025-11-26 10:05:41.339016

OpenAI ada-002 embeddings (1536 dimensions) of the FAQ question, so that the
Golden Set matches questions phrased differently.

Index: IVFFlat, cosine distance, lists = 100 (10K-100K rows expected).
"""

import sqlalchemy as sa
from pgvector.sqlalchemy import Vector

from alembic import op

# revision identifiers, used by Alembic.
revision = "20251126_add_question_embedding_to_faq"
down_revision = "20251124_add_generated_faq_id_to_expert_feedback"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add question_embedding column and vector similarity index."""
    op.execute("CREATE EXTENSION IF NOT EXISTS vector;")

    op.add_column(
        "expert_faq_candidates",
        sa.Column(
            "question_embedding",
            Vector(1536),
            nullable=True,
            comment="Embedding of the FAQ question (OpenAI ada-002, 1536 dimensions)",
        ),
    )
    op.execute(
        """
        CREATE INDEX IF NOT EXISTS idx_expert_faq_question_embedding_ivfflat
        ON expert_faq_candidates
        USING ivfflat (question_embedding vector_cosine_ops)
        WITH (lists = 100);
        """
    )
    op.execute("ANALYZE expert_faq_candidates;")


def downgrade() -> None:
    """Remove question_embedding column and index."""
    op.execute("DROP INDEX IF EXISTS idx_expert_faq_question_embedding_ivfflat;")
    op.drop_column("expert_faq_candidates", "question_embedding")
    # The vector extension stays: knowledge_items and knowledge_chunks use it

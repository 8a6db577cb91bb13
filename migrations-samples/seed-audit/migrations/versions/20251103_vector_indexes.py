"""Create vector indexes for hybrid RAG retrieval

Revision ID: 20251103_vector_indexes
Revises: 20251103_enable_pgvector
Create Date: 2025-11-03 11:47:36.021954

Embedding columns (OpenAI ada-002, 1536 dimensions) on knowledge_items and
knowledge_chunks, with approximate nearest-neighbour indexes:
- knowledge_items: IVFFlat, cosine distance, 100 lists
- knowledge_chunks (the main retrieval path): HNSW, cosine distance

Everything is skipped when pgvector is not installed (see 20251103_enable_pgvector).
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "20251103_vector_indexes"
down_revision = "20251103_enable_pgvector"
branch_labels = None
depends_on = None


def upgrade():
    """Create embedding columns and vector indexes if pgvector is available."""
    op.execute(
        """
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_type WHERE typname = 'vector') THEN
            ALTER TABLE knowledge_items ADD COLUMN IF NOT EXISTS embedding vector(1536);
            ALTER TABLE knowledge_chunks ADD COLUMN IF NOT EXISTS embedding vector(1536);

            CREATE INDEX IF NOT EXISTS idx_ki_vec
              ON knowledge_items USING ivfflat (embedding vector_cosine_ops)
              WITH (lists = 100);

            CREATE INDEX IF NOT EXISTS idx_kc_vec_hnsw
              ON knowledge_chunks USING hnsw (embedding vector_cosine_ops)
              WITH (m = 16, ef_construction = 64);
          END IF;
        END$$;
        """
    )

    # Planner statistics for the new indexes. VACUUM cannot run inside the
    # migration's transaction.
    with op.get_context().autocommit_block():
        op.execute("VACUUM ANALYZE knowledge_items;")
        op.execute("VACUUM ANALYZE knowledge_chunks;")


def downgrade():
    """Keep the indexes: rebuilding them takes hours on production."""
    pass

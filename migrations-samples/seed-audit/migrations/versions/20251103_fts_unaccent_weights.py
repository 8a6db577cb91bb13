"""Improve FTS with unaccent and weighted search

Revision ID: 20251103_fts_unaccent_weights
Revises: 20251103_vector_indexes
Create Date: 2025-11-03 15:10:58.770241

- unaccent, so that "perche" finds "perché"
- an IMMUTABLE wrapper around unaccent() (unaccent itself is only STABLE, so it
  cannot appear in an index expression)
- weighted trigger functions: title 'A', content 'B'; chunks get 'B'
- search_vector on knowledge_chunks, GIN indexes, backfill
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "20251103_fts_unaccent_weights"
down_revision = "20251103_vector_indexes"
branch_labels = None
depends_on = None


def upgrade():
    """Improve FTS with unaccent and weighted search."""
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent;")

    op.execute(
        """
        CREATE OR REPLACE FUNCTION f_unaccent(text)
        RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $func$
            SELECT public.unaccent('public.unaccent'::regdictionary, $1)
        $func$;
        """
    )

    op.execute(
        """
        CREATE OR REPLACE FUNCTION knowledge_items_tsv_update()
        RETURNS TRIGGER AS $$
        BEGIN
            NEW.search_vector :=
                setweight(to_tsvector('italian', f_unaccent(coalesce(NEW.title, ''))), 'A') ||
                setweight(to_tsvector('italian', f_unaccent(coalesce(NEW.content, ''))), 'B');
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """
    )
    op.execute(
        """
        CREATE OR REPLACE FUNCTION knowledge_chunks_tsv_update()
        RETURNS TRIGGER AS $$
        BEGIN
            NEW.search_vector :=
                setweight(to_tsvector('italian', f_unaccent(coalesce(NEW.chunk_text, ''))), 'B');
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """
    )

    op.execute("ALTER TABLE knowledge_chunks ADD COLUMN IF NOT EXISTS search_vector tsvector;")

    # Replace the trigger from 20250804_add_postgresql_fts
    op.execute("DROP TRIGGER IF EXISTS update_knowledge_search_vector_trigger ON knowledge_items;")
    op.execute("DROP FUNCTION IF EXISTS update_knowledge_search_vector();")
    op.execute("DROP TRIGGER IF EXISTS trg_ki_tsv ON knowledge_items;")
    op.execute(
        """
        CREATE TRIGGER trg_ki_tsv
        BEFORE INSERT OR UPDATE ON knowledge_items
        FOR EACH ROW
        EXECUTE FUNCTION knowledge_items_tsv_update();
        """
    )
    op.execute("DROP TRIGGER IF EXISTS trg_kc_tsv ON knowledge_chunks;")
    op.execute(
        """
        CREATE TRIGGER trg_kc_tsv
        BEFORE INSERT OR UPDATE ON knowledge_chunks
        FOR EACH ROW
        EXECUTE FUNCTION knowledge_chunks_tsv_update();
        """
    )

    # idx_knowledge_items_search_vector (20250804) already covers knowledge_items
    op.execute("CREATE INDEX IF NOT EXISTS idx_ki_fts ON knowledge_items USING GIN (search_vector);")
    op.execute("CREATE INDEX IF NOT EXISTS idx_kc_fts ON knowledge_chunks USING GIN (search_vector);")

    # Backfill with the new weighted, unaccented vectors
    op.execute(
        """
        UPDATE knowledge_items
        SET search_vector =
            setweight(to_tsvector('italian', f_unaccent(coalesce(title, ''))), 'A') ||
            setweight(to_tsvector('italian', f_unaccent(coalesce(content, ''))), 'B');
        """
    )
    op.execute(
        """
        UPDATE knowledge_chunks
        SET search_vector = setweight(to_tsvector('italian', f_unaccent(coalesce(chunk_text, ''))), 'B');
        """
    )
    op.execute("ANALYZE knowledge_items;")
    op.execute("ANALYZE knowledge_chunks;")


def downgrade():
    """Revert to the unweighted trigger of 20250804_add_postgresql_fts."""
    op.execute("DROP TRIGGER IF EXISTS trg_ki_tsv ON knowledge_items;")
    op.execute("DROP TRIGGER IF EXISTS trg_kc_tsv ON knowledge_chunks;")
    op.execute("DROP FUNCTION IF EXISTS knowledge_items_tsv_update();")
    op.execute("DROP FUNCTION IF EXISTS knowledge_chunks_tsv_update();")
    op.execute("DROP INDEX IF EXISTS idx_kc_fts;")
    op.execute("DROP INDEX IF EXISTS idx_ki_fts;")
    op.execute("ALTER TABLE knowledge_chunks DROP COLUMN IF EXISTS search_vector;")
    op.execute("DROP FUNCTION IF EXISTS f_unaccent(text);")

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

"""Add query_signature column to expert_faq_candidates for golden set lookup

Revision ID: 20251126_add_query_signature_to_faq_candidates
Revises: 20251126_add_embedding_to_expert_faq_candidates
Create Date: 2025-11-26 20:00:00.000000

The golden set step finds approved answers by the normalised query's SHA-256,
without calling the LLM.
"""

import sqlalchemy as sa

from alembic import op

# revision identifiers, used by Alembic.
revision = "20251126_add_query_signature_to_faq_candidates"
down_revision = "20251126_add_embedding_to_expert_faq_candidates"
branch_labels = None
depends_on = None


def upgrade():
    """Add query_signature column and index to expert_faq_candidates."""
    op.add_column(
        "expert_faq_candidates",
        sa.Column("query_signature", sa.String(64), nullable=True),
    )
    op.create_index(
        "ix_expert_faq_candidates_query_signature",
        "expert_faq_candidates",
        ["query_signature"],
    )


def downgrade():
    """Remove query_signature column and index from expert_faq_candidates."""
    op.drop_index("ix_expert_faq_candidates_query_signature", table_name="expert_faq_candidates")
    op.drop_column("expert_faq_candidates", "query_signature")

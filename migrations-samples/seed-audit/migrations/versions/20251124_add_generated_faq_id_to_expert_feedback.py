"""add generated_faq_id to expert_feedback

Revision ID: 20251124_add_generated_faq_id_to_expert_feedback
Revises: 20251124_add_user_role
Create Date: 2025-11-24 14:18:30.661902

Links expert feedback to the FAQ entry (Golden Set) created from "correct"
feedback, for the audit trail and quality analysis.
"""

import sqlalchemy as sa

from alembic import context, op

# revision identifiers, used by Alembic.
revision = "20251124_add_generated_faq_id_to_expert_feedback"
down_revision = "20251124_add_user_role"
branch_labels = None
depends_on = None


def _faq_entries_exists() -> bool:
    # Offline (--sql) scripts go to databases that have the FAQ tables.
    if context.is_offline_mode():
        return True
    return sa.inspect(op.get_bind()).has_table("faq_entries")


def upgrade():
    """Add generated_faq_id column (faq_entries.id is String(100))."""
    op.add_column("expert_feedback", sa.Column("generated_faq_id", sa.String(length=100), nullable=True))

    # Some developer databases were created without the FAQ tables
    if _faq_entries_exists():
        op.create_foreign_key(
            "fk_expert_feedback_generated_faq_id",
            "expert_feedback",
            "faq_entries",
            ["generated_faq_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_index("idx_expert_feedback_generated_faq_id", "expert_feedback", ["generated_faq_id"])


def downgrade():
    """Remove generated_faq_id column and its constraints."""
    op.drop_index("idx_expert_feedback_generated_faq_id", table_name="expert_feedback")

    if context.is_offline_mode():
        fk_names = ["fk_expert_feedback_generated_faq_id"]
    else:
        inspector = sa.inspect(op.get_bind())
        fk_names = [fk["name"] for fk in inspector.get_foreign_keys("expert_feedback")]
    if "fk_expert_feedback_generated_faq_id" in fk_names:
        op.drop_constraint("fk_expert_feedback_generated_faq_id", "expert_feedback", type_="foreignkey")

    op.drop_column("expert_feedback", "generated_faq_id")

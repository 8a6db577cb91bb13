"""Add role field to User model for RBAC

Revision ID: 20251124_add_user_role
Revises: 20251121_add_expert_feedback_system
Create Date: 2025-11-24 09:41:55.206631

Replaces trust_score validation with role-based validation for expert feedback.
"""

import sqlalchemy as sa

from alembic import op

# revision identifiers, used by Alembic.
revision = "20251124_add_user_role"
down_revision = "20251121_add_expert_feedback_system"
branch_labels = None
depends_on = None

ROLES = ("regular_user", "expert", "admin", "super_user")


def upgrade():
    """Add role column to the user table."""
    op.add_column(
        "user",
        sa.Column("role", sa.String(20), nullable=False, server_default="regular_user"),
    )
    op.create_check_constraint(
        "ck_user_role_valid",
        "user",
        "role IN (%s)" % ", ".join("'%s'" % role for role in ROLES),
    )
    op.create_index("ix_user_role", "user", ["role"])


def downgrade():
    """Remove role column from the user table."""
    op.drop_index("ix_user_role", table_name="user")
    op.drop_constraint("ck_user_role_valid", "user", type_="check")
    op.drop_column("user", "role")

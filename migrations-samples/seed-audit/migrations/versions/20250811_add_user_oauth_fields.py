"""Add OAuth fields to User model

Revision ID: 20250811_add_user_oauth_fields
Revises: 20250805_add_gdpr_deletion_system
Create Date: 2025-08-11 10:30:00.000000

Google and LinkedIn sign-in. The user table is "user" (singular, SQLModel's
default), so every statement here quotes it.
"""

import sqlalchemy as sa

from alembic import op

# revision identifiers, used by Alembic.
revision = "20250811_add_user_oauth_fields"
down_revision = "20250805_add_gdpr_deletion_system"
branch_labels = None
depends_on = None


def upgrade():
    """Add OAuth support fields to the user table."""
    op.add_column("user", sa.Column("name", sa.String(255), nullable=True))
    op.add_column("user", sa.Column("avatar_url", sa.String(512), nullable=True))
    # server_default so that existing rows get a value before NOT NULL applies
    op.add_column("user", sa.Column("provider", sa.String(50), nullable=False, server_default="email"))
    op.add_column("user", sa.Column("provider_id", sa.String(255), nullable=True))

    # OAuth users have no password
    op.alter_column("user", "hashed_password", existing_type=sa.VARCHAR(), nullable=True)

    op.create_index("ix_users_provider", "user", ["provider"])
    op.create_index("ix_users_provider_id", "user", ["provider_id"])
    op.create_unique_constraint("uq_users_provider_provider_id", "user", ["provider", "provider_id"])

    op.create_check_constraint(
        "ck_users_provider_valid",
        "user",
        sa.text("provider IN ('email', 'google', 'linkedin')"),
    )
    op.create_check_constraint(
        "ck_users_auth_method",
        "user",
        sa.text("(provider = 'email' AND hashed_password IS NOT NULL) OR (provider != 'email')"),
    )

    op.execute("COMMENT ON COLUMN \"user\".provider IS 'Authentication provider: email, google, linkedin'")
    op.execute("COMMENT ON COLUMN \"user\".provider_id IS 'Unique user ID from OAuth provider'")


def downgrade():
    """Remove OAuth fields from the user table."""
    op.drop_constraint("ck_users_auth_method", "user", type_="check")
    op.drop_constraint("ck_users_provider_valid", "user", type_="check")
    op.drop_constraint("uq_users_provider_provider_id", "user", type_="unique")
    op.drop_index("ix_users_provider_id", table_name="user")
    op.drop_index("ix_users_provider", table_name="user")

    # Fails if OAuth users signed up meanwhile: they have no password
    op.alter_column("user", "hashed_password", existing_type=sa.VARCHAR(), nullable=False)

    op.drop_column("user", "provider_id")
    op.drop_column("user", "provider")
    op.drop_column("user", "avatar_url")
    op.drop_column("user", "name")

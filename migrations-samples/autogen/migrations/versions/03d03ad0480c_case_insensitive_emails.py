"""case-insensitive emails

Revision ID: 03d03ad0480c
Revises: cae39fae02c1
Create Date: 2026-03-02 16:44:12.006739

"Alice@Example.com" and "alice@example.com" were two accounts.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.db.types
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '03d03ad0480c'
down_revision: Union[str, Sequence[str], None] = 'cae39fae02c1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_context().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS citext")
        op.alter_column('users', 'email',
                   existing_type=sa.String(length=320),
                   type_=postgresql.CITEXT(),
                   existing_nullable=False)
    else:
        # SQLite (unit tests): a NOCASE unique index does the job
        with op.batch_alter_table('users', schema=None) as batch_op:
            batch_op.create_index('ix_users_email_nocase', [sa.text('email COLLATE NOCASE')], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_context().dialect.name == "postgresql":
        op.alter_column('users', 'email',
                   existing_type=postgresql.CITEXT(),
                   type_=sa.String(length=320),
                   existing_nullable=False)
    else:
        with op.batch_alter_table('users', schema=None) as batch_op:
            batch_op.drop_index('ix_users_email_nocase')

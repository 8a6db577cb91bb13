"""user profile fields

Revision ID: 65c4d634e1d6
Revises: 4cc1ac41bc89
Create Date: 2026-01-27 11:15:02.446981

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.db.types


# revision identifiers, used by Alembic.
revision: str = '65c4d634e1d6'
down_revision: Union[str, Sequence[str], None] = '4cc1ac41bc89'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('users', sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False))
    op.add_column('users', sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))
    # autogenerate saw drop full_name + add display_name; it is a rename
    op.alter_column('users', 'full_name', new_column_name='display_name', existing_type=sa.String(length=200))
    op.drop_column('users', 'legacy_username')


def downgrade() -> None:
    """Downgrade schema."""
    op.add_column('users', sa.Column('legacy_username', sa.VARCHAR(length=50), autoincrement=False, nullable=True))
    op.alter_column('users', 'display_name', new_column_name='full_name', existing_type=sa.String(length=200))
    op.drop_column('users', 'last_login_at')
    op.drop_column('users', 'is_active')

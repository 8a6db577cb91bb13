"""add member phone

Revision ID: 4444dddd0004
Revises: 2222bbbb0002
Create Date: 2026-11-21 07:37:52.484313

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '4444dddd0004'
down_revision: Union[str, Sequence[str], None] = '2222bbbb0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column("members", sa.Column("phone", sa.String(length=32), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column("members", "phone")

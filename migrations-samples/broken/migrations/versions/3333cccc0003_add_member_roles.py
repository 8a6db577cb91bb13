"""add member roles

Revision ID: 3333cccc0003
Revises: 2222bbbb0002
Create Date: 2026-11-21 07:37:51.858242

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '3333cccc0003'
down_revision: Union[str, Sequence[str], None] = '2222bbbb0020'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column(
        "members",
        sa.Column("role", sa.String(length=20), server_default="player", nullable=False),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column("members", "role")

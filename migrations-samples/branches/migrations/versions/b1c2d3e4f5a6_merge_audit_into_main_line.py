"""merge audit into main line

Revision ID: b1c2d3e4f5a6
Revises: 8b9c0d1e2f3a, a0b1c2d3e4f5
Create Date: 2026-11-21 07:36:59.520227

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'b1c2d3e4f5a6'
down_revision: Union[str, Sequence[str], None] = ('8b9c0d1e2f3a', 'a0b1c2d3e4f5')
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass

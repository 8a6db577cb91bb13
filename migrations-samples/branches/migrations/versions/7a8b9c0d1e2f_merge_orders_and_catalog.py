"""merge orders and catalog

Revision ID: 7a8b9c0d1e2f
Revises: 4d5e6f7a8b9c, 6f7a8b9c0d1e
Create Date: 2026-11-21 07:36:53.127542

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '7a8b9c0d1e2f'
down_revision: Union[str, Sequence[str], None] = ('4d5e6f7a8b9c', '6f7a8b9c0d1e')
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass

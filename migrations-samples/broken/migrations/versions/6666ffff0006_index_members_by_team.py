"""index members by team

Revision ID: 6666ffff0006
Revises: 5555eeee0005
Create Date: 2026-11-21 07:38:01.664950

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '6666ffff0006'
down_revision: Union[str, Sequence[str], None] = '5555eeee0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index("ix_members_team_id", "members", ["team_id"]


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_members_team_id", table_name="members")

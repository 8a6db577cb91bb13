"""add team budget

Revision ID: 5555eeee0005
Revises: 2222bbbb0002
Create Date: 2026-11-21 07:37:53.089687

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '5555eeee0005'
down_revision: Union[str, Sequence[str], None] = '2222bbbb0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column(
        "teams", sa.Column("budget", sa.Numeric(precision=12, scale=2), nullable=True)
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column("teams", "budget")

"""tag names unique per organization, priority range

Revision ID: 3f0fb9b60ec9
Revises: 57d451924670
Create Date: 2026-02-16 17:03:19.284153

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.db.types


# revision identifiers, used by Alembic.
revision: str = '3f0fb9b60ec9'
down_revision: Union[str, Sequence[str], None] = '57d451924670'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_unique_constraint(op.f('uq_tags_organization_id'), 'tags', ['organization_id', 'name'])
    op.create_check_constraint(op.f('ck_tickets_priority_range'), 'tickets', 'priority BETWEEN 1 AND 4')


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_constraint(op.f('ck_tickets_priority_range'), 'tickets', type_='check')
    op.drop_constraint(op.f('uq_tags_organization_id'), 'tags', type_='unique')

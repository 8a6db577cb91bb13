"""webhook deliveries

Revision ID: 8d375db14e1f
Revises: 6670bb6d20ae
Create Date: 2026-03-12 09:15:33.640127

The webhooks worker created this table itself with metadata.create_all() on
the instances where it was piloted; create it only where it is missing.
"""
from typing import Sequence, Union

from alembic import context, op
import sqlalchemy as sa
import app.db.types


# revision identifiers, used by Alembic.
revision: str = '8d375db14e1f'
down_revision: Union[str, Sequence[str], None] = '6670bb6d20ae'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _has_table(name: str) -> bool:
    if context.is_offline_mode():
        # the SQL script is for fresh databases
        return False
    return sa.inspect(op.get_bind()).has_table(name)


def upgrade() -> None:
    """Upgrade schema."""
    if _has_table('webhook_deliveries'):
        return
    op.create_table('webhook_deliveries',
    sa.Column('id', app.db.types.GUID(), nullable=False),
    sa.Column('organization_id', app.db.types.GUID(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('event', sa.String(length=100), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_webhook_deliveries_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries'))
    )
    op.create_index(op.f('ix_webhook_deliveries_organization_id'), 'webhook_deliveries', ['organization_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_webhook_deliveries_organization_id'), table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')

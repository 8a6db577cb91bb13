"""priority enum and sla policies

Revision ID: cae39fae02c1
Revises: dab8c642ae19
Create Date: 2026-02-24 09:31:06.870559

tickets.priority was a number 1-4; it becomes the ticket_priority enum that
sla_policies also uses.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.db.types
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = 'cae39fae02c1'
down_revision: Union[str, Sequence[str], None] = 'dab8c642ae19'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PRIORITIES = ('low', 'normal', 'high', 'urgent')
ticket_priority = postgresql.ENUM(*PRIORITIES, name='ticket_priority', create_type=False)


def upgrade() -> None:
    """Upgrade schema."""
    ticket_priority.create(op.get_bind(), checkfirst=False)

    op.drop_constraint(op.f('ck_tickets_priority_range'), 'tickets', type_='check')
    op.alter_column('tickets', 'priority', existing_type=sa.SmallInteger(), server_default=None)
    op.alter_column('tickets', 'priority',
               existing_type=sa.SmallInteger(),
               type_=ticket_priority,
               existing_nullable=False,
               postgresql_using="(ARRAY['low', 'normal', 'high', 'urgent'])[priority]::ticket_priority")
    op.alter_column('tickets', 'priority', existing_type=ticket_priority, server_default='normal')

    sla_policies = op.create_table('sla_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', app.db.types.GUID(), nullable=True),
    sa.Column('priority', ticket_priority, nullable=False),
    sa.Column('first_response_minutes', sa.Integer(), nullable=False),
    sa.Column('resolution_minutes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_sla_policies_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_policies')),
    sa.UniqueConstraint('organization_id', 'priority', name=op.f('uq_sla_policies_organization_id'))
    )
    # the default policy (organization_id NULL)
    op.bulk_insert(
        sla_policies,
        [
            {'organization_id': None, 'priority': 'low', 'first_response_minutes': 2880, 'resolution_minutes': 20160},
            {'organization_id': None, 'priority': 'normal', 'first_response_minutes': 480, 'resolution_minutes': 4320},
            {'organization_id': None, 'priority': 'high', 'first_response_minutes': 120, 'resolution_minutes': 1440},
            {'organization_id': None, 'priority': 'urgent', 'first_response_minutes': 30, 'resolution_minutes': 240},
        ],
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('sla_policies')
    op.alter_column('tickets', 'priority', existing_type=ticket_priority, server_default=None)
    op.alter_column('tickets', 'priority',
               existing_type=ticket_priority,
               type_=sa.SmallInteger(),
               existing_nullable=False,
               postgresql_using="array_position(ARRAY['low', 'normal', 'high', 'urgent']::ticket_priority[], priority)")
    op.alter_column('tickets', 'priority', existing_type=sa.SmallInteger(), server_default='2')
    op.create_check_constraint(op.f('ck_tickets_priority_range'), 'tickets', 'priority BETWEEN 1 AND 4')
    ticket_priority.drop(op.get_bind(), checkfirst=False)

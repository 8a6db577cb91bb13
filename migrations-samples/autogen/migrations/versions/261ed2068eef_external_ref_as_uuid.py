"""external_ref as uuid, default tag colour

Revision ID: 261ed2068eef
Revises: 2a208acc7a7a
Create Date: 2026-02-09 13:40:51.902266

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.db.types
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '261ed2068eef'
down_revision: Union[str, Sequence[str], None] = '2a208acc7a7a'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


tickets = sa.table(
    'tickets',
    sa.column('external_ref', sa.String),
)


def upgrade() -> None:
    """Upgrade schema."""
    # A few imported tickets carry refs that are not UUIDs; they cannot be cast
    op.execute(
        tickets.update()
        .where(tickets.c.external_ref.op('!~*')('^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'))
        .values(external_ref=None)
    )
    op.alter_column('tickets', 'external_ref',
               existing_type=sa.String(length=36),
               type_=postgresql.UUID(as_uuid=True),
               existing_nullable=True,
               postgresql_using='external_ref::uuid')
    op.alter_column('tags', 'color',
               existing_type=sa.String(length=7),
               server_default='#808080',
               existing_nullable=True)


def downgrade() -> None:
    """Downgrade schema."""
    op.alter_column('tags', 'color',
               existing_type=sa.String(length=7),
               server_default=None,
               existing_nullable=True)
    op.alter_column('tickets', 'external_ref',
               existing_type=postgresql.UUID(as_uuid=True),
               type_=sa.String(length=36),
               existing_nullable=True)

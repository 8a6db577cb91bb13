"""search and queue indexes

Revision ID: 2a208acc7a7a
Revises: 6dec42f5d55f
Create Date: 2026-02-05 10:52:13.118407

The agents' queue ("my open tickets") and title prefix search were doing
sequential scans.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.db.types


# revision identifiers, used by Alembic.
revision: str = '2a208acc7a7a'
down_revision: Union[str, Sequence[str], None] = '6dec42f5d55f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        'ix_tickets_open_by_assignee',
        'tickets',
        ['assignee_id', 'status'],
        unique=False,
        postgresql_where=sa.text("status <> 'closed'"),
        postgresql_include=['priority'],
    )
    op.create_index(
        'ix_tickets_title_prefix',
        'tickets',
        ['title'],
        unique=False,
        postgresql_ops={'title': 'text_pattern_ops'},
    )
    op.create_index('ix_users_display_name_lower', 'users', [sa.text('lower(display_name)')], unique=False)
    op.create_index(
        'ix_ticket_comments_ticket_id_created_at',
        'ticket_comments',
        ['ticket_id', sa.text('created_at DESC')],
        unique=False,
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_ticket_comments_ticket_id_created_at', table_name='ticket_comments')
    op.drop_index('ix_users_display_name_lower', table_name='users')
    op.drop_index('ix_tickets_title_prefix', table_name='tickets', postgresql_ops={'title': 'text_pattern_ops'})
    op.drop_index(
        'ix_tickets_open_by_assignee',
        table_name='tickets',
        postgresql_where=sa.text("status <> 'closed'"),
        postgresql_include=['priority'],
    )

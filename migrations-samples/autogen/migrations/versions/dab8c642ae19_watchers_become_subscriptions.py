"""watchers become subscriptions

Revision ID: dab8c642ae19
Revises: 3f0fb9b60ec9
Create Date: 2026-02-20 11:58:44.507730

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import app.db.types


# revision identifiers, used by Alembic.
revision: str = 'dab8c642ae19'
down_revision: Union[str, Sequence[str], None] = '3f0fb9b60ec9'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.rename_table('ticket_watchers', 'ticket_subscriptions')
    op.execute('ALTER INDEX ix_ticket_watchers_user_id RENAME TO ix_ticket_subscriptions_user_id')
    # duplicates crept in while there was no key
    op.execute(
        """
        DELETE FROM ticket_subscriptions a
        USING ticket_subscriptions b
        WHERE a.ctid < b.ctid AND a.ticket_id = b.ticket_id AND a.user_id = b.user_id
        """
    )
    op.create_primary_key(op.f('pk_ticket_subscriptions'), 'ticket_subscriptions', ['ticket_id', 'user_id'])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_constraint(op.f('pk_ticket_subscriptions'), 'ticket_subscriptions', type_='primary')
    op.execute('ALTER INDEX ix_ticket_subscriptions_user_id RENAME TO ix_ticket_watchers_user_id')
    op.rename_table('ticket_subscriptions', 'ticket_watchers')

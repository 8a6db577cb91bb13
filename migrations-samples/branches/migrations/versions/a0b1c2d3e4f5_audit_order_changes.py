"""audit order changes

Revision ID: a0b1c2d3e4f5
Revises: 9c0d1e2f3a4b
Create Date: 2026-11-21 07:36:54.749813

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'a0b1c2d3e4f5'
down_revision: Union[str, Sequence[str], None] = '9c0d1e2f3a4b'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = '8b9c0d1e2f3a'


def upgrade() -> None:
    """Upgrade schema."""
    # Needs order_items from the main line (depends_on above).
    op.execute(
        """
        CREATE FUNCTION audit.log_order_item_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO audit.log (table_name, row_pk, action, payload)
            VALUES (
                TG_TABLE_NAME,
                COALESCE(NEW.order_id, OLD.order_id)::text,
                TG_OP,
                to_jsonb(COALESCE(NEW, OLD))
            );
            RETURN NULL;
        END;
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER order_items_audit AFTER INSERT OR UPDATE OR DELETE "
        "ON order_items FOR EACH ROW EXECUTE FUNCTION audit.log_order_item_change()"
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DROP TRIGGER order_items_audit ON order_items")
    op.execute("DROP FUNCTION audit.log_order_item_change()")

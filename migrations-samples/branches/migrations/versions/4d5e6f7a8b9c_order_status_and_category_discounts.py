"""order status and category discounts

Revision ID: 4d5e6f7a8b9c
Revises: 3c4d5e6f7a8b
Create Date: 2026-11-21 07:36:52.229811

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision: str = '4d5e6f7a8b9c'
down_revision: Union[str, Sequence[str], None] = '3c4d5e6f7a8b'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = 'catalog'


def upgrade() -> None:
    """Upgrade schema."""
    op.execute(
        "CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled')"
    )
    op.add_column(
        "orders",
        sa.Column(
            "status",
            postgresql.ENUM(name="order_status", create_type=False),
            server_default="pending",
            nullable=False,
        ),
    )
    # Needs the categories table of the catalog branch (depends_on above).
    op.create_table(
        "category_discounts",
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("percent", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint(
            "percent BETWEEN 0 AND 100", name="ck_category_discounts_percent"
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("category_id"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("category_discounts")
    op.drop_column("orders", "status")
    op.execute("DROP TYPE order_status")

"""Building blocks for migrations (imported by files in migrations/versions)."""

import sqlalchemy as sa
from alembic import op

UPDATED_AT_FUNCTION = "set_updated_at"


def timestamps() -> list[sa.Column]:
    """created_at / updated_at, filled by the database."""
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def create_updated_at_function() -> None:
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {UPDATED_AT_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END;
        $$
        """
    )


def create_updated_at_trigger(table: str) -> None:
    """Keep ``table.updated_at`` current on every UPDATE."""
    op.execute(
        f"CREATE TRIGGER trg_{table}_updated_at BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {UPDATED_AT_FUNCTION}()"
    )


def drop_updated_at_trigger(table: str) -> None:
    op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_updated_at ON {table}")

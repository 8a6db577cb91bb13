"""Add database encryption infrastructure

Revision ID: 20250805_add_database_encryption
Revises: 20250805_add_faq_tables
Create Date: 2025-08-05 11:20:44.902117

- pgcrypto for pgp_sym_encrypt / gen_random_bytes
- encryption_keys: versioned data keys (stored encrypted with the master key)
- encryption_audit_log: every encrypt/decrypt/rotate operation, for compliance
- encrypted_field_registry: which columns hold encrypted data
- helper functions used by the key-rotation job
"""

import sqlalchemy as sa
from sqlalchemy import text

from alembic import op

# revision identifiers, used by Alembic.
revision = "20250805_add_database_encryption"
down_revision = "20250805_add_faq_tables"
branch_labels = None
depends_on = None


def upgrade():
    """Add database encryption infrastructure."""
    op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto;")

    op.create_table(
        "encryption_keys",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key_version", sa.Integer(), unique=True, nullable=False),
        sa.Column("encrypted_key", sa.LargeBinary(), nullable=False, comment="Data key encrypted with the master key"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("algorithm", sa.String(50), nullable=False, server_default="AES-256-CBC"),
        sa.Column("created_by", sa.String(100), nullable=True),
    )
    # At most one active key
    op.create_index(
        "idx_encryption_keys_one_active",
        "encryption_keys",
        ["is_active"],
        unique=True,
        postgresql_where=text("is_active = true"),
    )

    op.create_table(
        "encryption_audit_log",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("key_version", sa.Integer(), nullable=True),
        sa.Column("operation", sa.String(50), nullable=False, comment="encrypt, decrypt, rotate, migrate"),
        sa.Column("table_name", sa.String(100), nullable=True),
        sa.Column("column_name", sa.String(100), nullable=True),
        # free-form: a user id, "system" or a job name
        sa.Column("user_id", sa.String(100), nullable=True),
        sa.Column("session_id", sa.String(100), nullable=True),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
        sa.Column("success", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("ip_address", sa.String(45), nullable=True),
    )
    op.create_index("idx_encryption_audit_log_timestamp", "encryption_audit_log", ["timestamp"])
    op.create_index("idx_encryption_audit_log_user_timestamp", "encryption_audit_log", ["user_id", "timestamp"])
    op.create_foreign_key(
        "fk_encryption_audit_log_key_version",
        "encryption_audit_log",
        "encryption_keys",
        ["key_version"],
        ["key_version"],
        ondelete="SET NULL",
    )

    op.create_table(
        "encrypted_field_registry",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("table_name", sa.String(100), nullable=False),
        sa.Column("column_name", sa.String(100), nullable=False),
        sa.Column("field_type", sa.String(50), nullable=False, comment="email, tax_id, personal_data, ..."),
        sa.Column("encryption_enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column(
            "key_version",
            sa.Integer(),
            sa.ForeignKey("encryption_keys.key_version", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("migration_status", sa.String(50), nullable=False, server_default="pending"),
        sa.Column("encrypted_records", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=text("NOW()")),
        sa.UniqueConstraint("table_name", "column_name", name="uq_encrypted_field_registry_table_column"),
    )

    op.execute(
        """
        CREATE OR REPLACE FUNCTION get_active_key_version()
        RETURNS INTEGER AS $$
        DECLARE
            active_version INTEGER;
        BEGIN
            SELECT key_version INTO active_version
            FROM encryption_keys
            WHERE is_active = TRUE
            ORDER BY key_version DESC
            LIMIT 1;

            IF active_version IS NULL THEN
                RAISE EXCEPTION 'No active encryption key found';
            END IF;
            RETURN active_version;
        END;
        $$ LANGUAGE plpgsql STABLE;
        """
    )
    op.execute(
        """
        CREATE OR REPLACE FUNCTION cleanup_encryption_audit_logs(retention_days INTEGER DEFAULT 730)
        RETURNS INTEGER AS $$
        DECLARE
            deleted_count INTEGER;
        BEGIN
            DELETE FROM encryption_audit_log
            WHERE "timestamp" < NOW() - INTERVAL '1 day' * retention_days;
            GET DIAGNOSTICS deleted_count = ROW_COUNT;
            RETURN deleted_count;
        END;
        $$ LANGUAGE plpgsql;
        """
    )
    op.execute(
        """
        CREATE TRIGGER encrypted_field_registry_set_updated_at
        BEFORE UPDATE ON encrypted_field_registry
        FOR EACH ROW
        EXECUTE FUNCTION set_updated_at();
        """
    )

    # Fields the compliance review asked us to encrypt first
    op.execute(
        """
        INSERT INTO encrypted_field_registry (table_name, column_name, field_type) VALUES
            ('user', 'email', 'email'),
            ('tax_calculations', 'input_data', 'personal_data'),
            ('document_analyses', 'result', 'personal_data')
        """
    )


def downgrade():
    """Remove database encryption infrastructure."""
    op.execute("DROP FUNCTION IF EXISTS cleanup_encryption_audit_logs(INTEGER);")
    op.execute("DROP FUNCTION IF EXISTS get_active_key_version();")

    op.drop_table("encrypted_field_registry")
    op.drop_constraint("fk_encryption_audit_log_key_version", "encryption_audit_log", type_="foreignkey")
    op.drop_table("encryption_audit_log")
    op.drop_index("idx_encryption_keys_one_active", table_name="encryption_keys")
    op.drop_table("encryption_keys")
    # pgcrypto stays: gen_random_uuid() defaults elsewhere may rely on it

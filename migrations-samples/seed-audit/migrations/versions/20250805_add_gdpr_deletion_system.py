"""Add GDPR deletion system

Revision ID: 20250805_add_gdpr_deletion_system
Revises: 20250805_add_database_encryption
Create Date: 2025-08-05 14:30:00.000000

GDPR Art. 17 (right to erasure): deletion requests with their 30-day deadline, an
audit trail of what was deleted in which system, and the certificates we send back.
"""

from datetime import datetime

import sqlalchemy as sa

from alembic import op

# revision identifiers, used by Alembic.
revision = "20250805_add_gdpr_deletion_system"
down_revision = "20250805_add_database_encryption"
branch_labels = None
depends_on = None


def upgrade():
    """Add GDPR deletion system tables and indexes."""
    op.create_table(
        "gdpr_deletion_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(50), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
        sa.Column("initiated_by_user", sa.Boolean(), nullable=False),
        sa.Column("admin_user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False, server_default="normal"),
        sa.Column("request_timestamp", sa.DateTime(timezone=True), nullable=False, default=datetime.utcnow),
        sa.Column("deletion_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deletion_certificate_id", sa.String(50), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["admin_user_id"], ["user.id"]),
        sa.CheckConstraint(
            "status IN ('pending', 'in_progress', 'completed', 'failed', 'cancelled')",
            name="ck_gdpr_deletion_requests_status",
        ),
    )
    op.create_index("ix_gdpr_deletion_requests_request_id", "gdpr_deletion_requests", ["request_id"], unique=True)
    op.create_index("ix_gdpr_deletion_requests_user_id", "gdpr_deletion_requests", ["user_id"])
    # The reminder job only looks at open requests
    op.create_index(
        "ix_gdpr_deletion_requests_overdue",
        "gdpr_deletion_requests",
        ["deletion_deadline", "status"],
        postgresql_where=sa.text("status = 'pending'"),
    )

    op.create_table(
        "gdpr_deletion_audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(50), nullable=False),
        # no foreign key on purpose: the user row is gone when this is written
        sa.Column("original_user_id", sa.Integer(), nullable=False),
        sa.Column("anonymized_user_id", sa.String(100), nullable=True),
        sa.Column("operation", sa.String(50), nullable=False),
        sa.Column("table_name", sa.String(50), nullable=True),
        sa.Column("records_deleted", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("system_type", sa.String(20), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("deletion_timestamp", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("verification_hash", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_gdpr_deletion_audit_log_request_id", "gdpr_deletion_audit_log", ["request_id"])
    op.create_index("ix_gdpr_deletion_audit_log_original_user_id", "gdpr_deletion_audit_log", ["original_user_id"])
    op.create_check_constraint(
        "ck_gdpr_deletion_audit_log_system_type",
        "gdpr_deletion_audit_log",
        "system_type IN ('database', 'redis', 'logs', 'backups', 'stripe', 'external_api')",
    )

    op.create_table(
        "gdpr_deletion_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.String(50), nullable=False),
        sa.Column("request_id", sa.String(50), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("is_complete_deletion", sa.Boolean(), nullable=False),
        sa.Column("certificate_text", sa.Text(), nullable=False),
        sa.Column("verification_details", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("certificate_id"),
    )

    op.create_check_constraint(
        "ck_gdpr_deletion_requests_priority",
        "gdpr_deletion_requests",
        sa.text("priority IN ('low', 'normal', 'high', 'urgent')"),
    )
    op.create_check_constraint(
        "ck_gdpr_deletion_requests_deadline",
        "gdpr_deletion_requests",
        sa.text("deletion_deadline > request_timestamp"),
    )

    op.execute(
        """
        CREATE TRIGGER gdpr_deletion_requests_set_updated_at
        BEFORE UPDATE ON gdpr_deletion_requests
        FOR EACH ROW EXECUTE FUNCTION set_updated_at();
        """
    )

    op.execute("COMMENT ON TABLE gdpr_deletion_requests IS 'GDPR Article 17 deletion requests with 30-day deadline tracking'")
    op.execute("COMMENT ON COLUMN gdpr_deletion_requests.deletion_deadline IS '30-day GDPR compliance deadline'")
    op.execute(
        "COMMENT ON COLUMN gdpr_deletion_audit_log.anonymized_user_id IS "
        "'Anonymized identifier for audit trail preservation'"
    )


def downgrade():
    """Remove GDPR deletion system tables."""
    op.execute("DROP TRIGGER IF EXISTS gdpr_deletion_requests_set_updated_at ON gdpr_deletion_requests")
    op.drop_table("gdpr_deletion_certificates")
    op.drop_table("gdpr_deletion_audit_log")
    op.drop_table("gdpr_deletion_requests")

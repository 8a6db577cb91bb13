"""Add Expert Feedback System tables for quality analysis and expert validation

Revision ID: 20251121_add_expert_feedback_system
Revises: 20251111_add_publication_date
Create Date: 2025-11-21 16:03:12.448120

Tables for the Expert Feedback System:
1. expert_profiles - expert credentials, trust scores, performance metrics
2. expert_feedback - experts' verdicts on AI-generated answers
3. expert_faq_candidates - FAQ candidates produced from expert feedback
4. expert_generated_tasks - development tasks created from "incomplete"/"incorrect" feedback

CRITICAL NOTES:
- User table is named "user" (singular), not "users"
- User.id is INTEGER, expert_profiles.user_id and expert_faq_candidates.approved_by are INTEGER
- ExpertProfile model expects UUID but database uses INTEGER (application handles conversion)

Written as SQL by hand: the models live on the declarative Base
(app/models/quality_analysis.py), which autogenerate does not see.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "20251121_add_expert_feedback_system"
down_revision = "20251111_add_publication_date"
branch_labels = None
depends_on = None


ENUM_TYPES = {
    "feedback_type": ("correct", "incomplete", "incorrect"),
    "italian_feedback_category": (
        "normativa_obsoleta",
        "interpretazione_errata",
        "caso_mancante",
        "calcolo_sbagliato",
        "troppo_generico",
    ),
    "expert_credential_type": (
        "dottore_commercialista",
        "revisore_legale",
        "consulente_fiscale",
        "consulente_lavoro",
        "caf_operator",
    ),
}


def upgrade():
    """Create Expert Feedback System tables."""
    for name, labels in ENUM_TYPES.items():
        values = ", ".join(f"'{label}'" for label in labels)
        op.execute(
            f"""
            DO $$ BEGIN
                CREATE TYPE {name} AS ENUM ({values});
            EXCEPTION
                WHEN duplicate_object THEN null;
            END $$;
            """
        )

    # NOTE: user_id is UUID but references user.id (INTEGER)
    # This is intentional for future-proofing when user table migrates to UUID
    op.execute(
        """
        CREATE TABLE IF NOT EXISTS expert_profiles (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id INTEGER NOT NULL UNIQUE REFERENCES "user"(id) ON DELETE CASCADE,

            -- Professional credentials
            credentials TEXT[] DEFAULT '{}',
            credential_types expert_credential_type[] DEFAULT '{}',
            experience_years INTEGER DEFAULT 0,
            specializations TEXT[] DEFAULT '{}',

            -- Performance metrics
            feedback_count INTEGER DEFAULT 0,
            feedback_accuracy_rate DOUBLE PRECISION DEFAULT 0.0,
            average_response_time_seconds INTEGER DEFAULT 0,
            trust_score DOUBLE PRECISION DEFAULT 0.5,

            -- Professional information
            professional_registration_number VARCHAR(50),
            organization VARCHAR(200),
            location_city VARCHAR(100),

            -- Status and verification
            is_verified BOOLEAN DEFAULT FALSE,
            verification_date TIMESTAMPTZ,
            is_active BOOLEAN DEFAULT TRUE,

            created_at TIMESTAMPTZ DEFAULT NOW(),
            updated_at TIMESTAMPTZ DEFAULT NOW(),

            CONSTRAINT trust_score_range CHECK (trust_score >= 0.0 AND trust_score <= 1.0),
            CONSTRAINT accuracy_rate_range CHECK (feedback_accuracy_rate >= 0.0 AND feedback_accuracy_rate <= 1.0),
            CONSTRAINT non_negative_experience CHECK (experience_years >= 0)
        );
        """
    )
    op.execute("CREATE INDEX IF NOT EXISTS idx_expert_profiles_trust_score ON expert_profiles(trust_score);")
    op.execute("CREATE INDEX IF NOT EXISTS idx_expert_profiles_active ON expert_profiles(is_active, is_verified);")
    op.execute(
        "CREATE INDEX IF NOT EXISTS idx_expert_profiles_specializations "
        "ON expert_profiles USING GIN(specializations);"
    )

    op.execute(
        """
        CREATE TABLE IF NOT EXISTS expert_feedback (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            query_id UUID NOT NULL,
            expert_id UUID NOT NULL REFERENCES expert_profiles(id) ON DELETE CASCADE,

            feedback_type feedback_type NOT NULL,
            category italian_feedback_category,

            query_text TEXT NOT NULL,
            original_answer TEXT NOT NULL,
            expert_answer TEXT,
            improvement_suggestions TEXT[] DEFAULT '{}',
            regulatory_references TEXT[] DEFAULT '{}',

            confidence_score DOUBLE PRECISION DEFAULT 0.0,
            time_spent_seconds INTEGER NOT NULL,
            complexity_rating INTEGER CHECK (complexity_rating >= 1 AND complexity_rating <= 5),

            feedback_timestamp TIMESTAMPTZ DEFAULT NOW(),
            action_taken VARCHAR(100),
            improvement_applied BOOLEAN DEFAULT FALSE,

            -- Task automation: "incomplete"/"incorrect" feedback with details becomes a task
            additional_details TEXT,
            generated_task_id VARCHAR(50),
            task_creation_attempted BOOLEAN DEFAULT FALSE,
            task_creation_success BOOLEAN,
            task_creation_error TEXT,

            created_at TIMESTAMPTZ DEFAULT NOW(),
            updated_at TIMESTAMPTZ DEFAULT NOW(),

            CONSTRAINT confidence_score_range CHECK (confidence_score >= 0.0 AND confidence_score <= 1.0),
            CONSTRAINT positive_time_spent CHECK (time_spent_seconds > 0)
        );
        """
    )
    op.execute("CREATE INDEX IF NOT EXISTS idx_expert_feedback_query_id ON expert_feedback(query_id);")
    op.execute("CREATE INDEX IF NOT EXISTS idx_expert_feedback_expert_id ON expert_feedback(expert_id);")
    op.execute(
        "CREATE INDEX IF NOT EXISTS idx_expert_feedback_type_category ON expert_feedback(feedback_type, category);"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS idx_expert_feedback_timestamp ON expert_feedback(feedback_timestamp DESC);"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS idx_expert_feedback_task_id ON expert_feedback(generated_task_id) "
        "WHERE generated_task_id IS NOT NULL;"
    )

    op.execute(
        """
        CREATE TABLE IF NOT EXISTS expert_faq_candidates (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,

            source VARCHAR(20) NOT NULL DEFAULT 'expert_feedback'
                CHECK (source IN ('expert_feedback', 'auto_generated')),
            expert_id UUID REFERENCES expert_profiles(id) ON DELETE SET NULL,
            expert_trust_score DOUBLE PRECISION,

            approval_status VARCHAR(20) DEFAULT 'pending'
                CHECK (approval_status IN ('pending', 'approved', 'rejected')),
            approved_by INTEGER REFERENCES "user"(id) ON DELETE SET NULL,
            approved_at TIMESTAMPTZ,

            suggested_category VARCHAR(100),
            suggested_tags TEXT[] DEFAULT '{}',
            regulatory_references TEXT[] DEFAULT '{}',

            frequency INTEGER DEFAULT 0,
            estimated_monthly_savings NUMERIC(10, 2) DEFAULT 0,
            priority_score NUMERIC(10, 2) DEFAULT 0,

            created_at TIMESTAMPTZ DEFAULT NOW(),
            updated_at TIMESTAMPTZ DEFAULT NOW(),

            CONSTRAINT non_negative_frequency CHECK (frequency >= 0)
        );
        """
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS idx_expert_faq_candidates_status "
        "ON expert_faq_candidates(approval_status, created_at DESC);"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS idx_expert_faq_candidates_priority "
        "ON expert_faq_candidates(priority_score DESC, approval_status);"
    )

    op.execute(
        """
        CREATE TABLE IF NOT EXISTS expert_generated_tasks (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            task_id VARCHAR(50) UNIQUE NOT NULL,
            task_name VARCHAR(50) NOT NULL,
            feedback_id UUID NOT NULL REFERENCES expert_feedback(id) ON DELETE CASCADE,
            expert_id UUID NOT NULL REFERENCES expert_profiles(id),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            additional_details TEXT NOT NULL,
            file_path VARCHAR(200) DEFAULT 'SUPER_USER_TASKS.md',
            created_at TIMESTAMPTZ DEFAULT NOW()
        );
        """
    )
    op.execute("CREATE INDEX IF NOT EXISTS idx_egt_feedback_id ON expert_generated_tasks(feedback_id);")
    op.execute("CREATE INDEX IF NOT EXISTS idx_egt_expert_id ON expert_generated_tasks(expert_id);")

    for table in ("expert_profiles", "expert_feedback", "expert_faq_candidates"):
        op.execute(
            f"""
            CREATE TRIGGER trigger_{table}_updated_at
            BEFORE UPDATE ON {table}
            FOR EACH ROW
            EXECUTE FUNCTION set_updated_at();
            """
        )


def downgrade():
    """Remove Expert Feedback System tables."""
    op.execute("DROP TABLE IF EXISTS expert_generated_tasks CASCADE;")
    op.execute("DROP TABLE IF EXISTS expert_faq_candidates CASCADE;")
    op.execute("DROP TABLE IF EXISTS expert_feedback CASCADE;")
    op.execute("DROP TABLE IF EXISTS expert_profiles CASCADE;")

    for name in reversed(list(ENUM_TYPES)):
        op.execute(f"DROP TYPE IF EXISTS {name};")

"""Quality analysis and expert validation (Expert Feedback System).

expert_profiles, expert_feedback, expert_faq_candidates and
expert_generated_tasks were created by hand-written SQL in
20251121_add_expert_feedback_system; the other tables here have no migration.
"""

from datetime import datetime
from decimal import Decimal
from enum import Enum as PyEnum
from typing import List, Optional
from uuid import UUID, uuid4

from sqlalchemy import (
    ARRAY,
    Boolean,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PostgreSQLUUID
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class FeedbackType(str, PyEnum):
    CORRECT = "correct"
    INCOMPLETE = "incomplete"
    INCORRECT = "incorrect"


class ItalianFeedbackCategory(str, PyEnum):
    NORMATIVA_OBSOLETA = "normativa_obsoleta"
    INTERPRETAZIONE_ERRATA = "interpretazione_errata"
    CASO_MANCANTE = "caso_mancante"
    CALCOLO_SBAGLIATO = "calcolo_sbagliato"
    TROPPO_GENERICO = "troppo_generico"


class ExpertCredentialType(str, PyEnum):
    DOTTORE_COMMERCIALISTA = "dottore_commercialista"
    REVISORE_LEGALE = "revisore_legale"
    CONSULENTE_FISCALE = "consulente_fiscale"
    CONSULENTE_LAVORO = "consulente_lavoro"
    CAF_OPERATOR = "caf_operator"


class ExpertProfile(Base):
    __tablename__ = "expert_profiles"

    id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), primary_key=True, default=uuid4)
    user_id: Mapped[UUID] = mapped_column(
        PostgreSQLUUID(as_uuid=True),
        ForeignKey("user.id", use_alter=True, name="fk_expert_profiles_user_id"),
        nullable=False,
    )
    credentials: Mapped[List[str]] = mapped_column(ARRAY(Text), default=list)
    credential_types: Mapped[List[ExpertCredentialType]] = mapped_column(
        ARRAY(Enum(ExpertCredentialType, name="expert_credential_type", values_callable=lambda e: [m.value for m in e])),
        default=list,
    )
    experience_years: Mapped[int] = mapped_column(Integer, default=0)
    specializations: Mapped[List[str]] = mapped_column(ARRAY(Text), default=list)
    feedback_count: Mapped[int] = mapped_column(Integer, default=0)
    feedback_accuracy_rate: Mapped[float] = mapped_column(Float, default=0.0)
    average_response_time_seconds: Mapped[int] = mapped_column(Integer, default=0)
    trust_score: Mapped[float] = mapped_column(Float, default=0.5, index=True)
    professional_registration_number: Mapped[Optional[str]] = mapped_column(String(50))
    organization: Mapped[Optional[str]] = mapped_column(String(200))
    location_city: Mapped[Optional[str]] = mapped_column(String(100))
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verification_date: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


class ExpertFeedback(Base):
    __tablename__ = "expert_feedback"

    id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), primary_key=True, default=uuid4)
    query_id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), nullable=False, index=True)
    expert_id: Mapped[UUID] = mapped_column(
        PostgreSQLUUID(as_uuid=True), ForeignKey("expert_profiles.id", ondelete="CASCADE"), nullable=False
    )
    feedback_type: Mapped[FeedbackType] = mapped_column(
        Enum(FeedbackType, name="feedback_type", values_callable=lambda e: [m.value for m in e]), nullable=False
    )
    category: Mapped[Optional[ItalianFeedbackCategory]] = mapped_column(
        Enum(ItalianFeedbackCategory, name="italian_feedback_category", values_callable=lambda e: [m.value for m in e])
    )
    query_text: Mapped[str] = mapped_column(Text, nullable=False)
    original_answer: Mapped[str] = mapped_column(Text, nullable=False)
    expert_answer: Mapped[Optional[str]] = mapped_column(Text)
    improvement_suggestions: Mapped[List[str]] = mapped_column(ARRAY(Text), default=list)
    regulatory_references: Mapped[List[str]] = mapped_column(ARRAY(Text), default=list)
    confidence_score: Mapped[float] = mapped_column(Float, default=0.0)
    time_spent_seconds: Mapped[int] = mapped_column(Integer, nullable=False)
    complexity_rating: Mapped[Optional[int]] = mapped_column(Integer)
    feedback_timestamp: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    action_taken: Mapped[Optional[str]] = mapped_column(String(100))
    improvement_applied: Mapped[bool] = mapped_column(Boolean, default=False)
    additional_details: Mapped[Optional[str]] = mapped_column(Text)
    generated_task_id: Mapped[Optional[str]] = mapped_column(String(50))
    task_creation_attempted: Mapped[bool] = mapped_column(Boolean, default=False)
    task_creation_success: Mapped[Optional[bool]] = mapped_column(Boolean)
    task_creation_error: Mapped[Optional[str]] = mapped_column(Text)
    generated_faq_id: Mapped[Optional[str]] = mapped_column(
        String(100), ForeignKey("faq_entries.id", ondelete="SET NULL", use_alter=True), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


class ExpertFAQCandidate(Base):
    __tablename__ = "expert_faq_candidates"

    id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), primary_key=True, default=uuid4)
    question: Mapped[str] = mapped_column(Text, nullable=False)
    answer: Mapped[str] = mapped_column(Text, nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="expert_feedback")
    expert_id: Mapped[Optional[UUID]] = mapped_column(
        PostgreSQLUUID(as_uuid=True), ForeignKey("expert_profiles.id", ondelete="SET NULL")
    )
    expert_trust_score: Mapped[Optional[float]] = mapped_column(Float)
    approval_status: Mapped[str] = mapped_column(String(20), default="pending")
    approved_by: Mapped[Optional[int]] = mapped_column(
        Integer, ForeignKey("user.id", ondelete="SET NULL", use_alter=True)
    )
    approved_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    suggested_category: Mapped[Optional[str]] = mapped_column(String(100))
    suggested_tags: Mapped[List[str]] = mapped_column(ARRAY(Text), default=list)
    regulatory_references: Mapped[List[str]] = mapped_column(ARRAY(Text), default=list)
    frequency: Mapped[int] = mapped_column(Integer, default=0)
    estimated_monthly_savings: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=0)
    priority_score: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=0)
    # question_embedding (vector(1536)) is read through raw SQL only
    query_signature: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


class ExpertGeneratedTask(Base):
    __tablename__ = "expert_generated_tasks"

    id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), primary_key=True, default=uuid4)
    task_id: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    task_name: Mapped[str] = mapped_column(String(50), nullable=False)
    feedback_id: Mapped[UUID] = mapped_column(
        PostgreSQLUUID(as_uuid=True), ForeignKey("expert_feedback.id", ondelete="CASCADE"), nullable=False
    )
    expert_id: Mapped[UUID] = mapped_column(
        PostgreSQLUUID(as_uuid=True), ForeignKey("expert_profiles.id"), nullable=False
    )
    question: Mapped[str] = mapped_column(Text, nullable=False)
    answer: Mapped[str] = mapped_column(Text, nullable=False)
    additional_details: Mapped[str] = mapped_column(Text, nullable=False)
    file_path: Mapped[str] = mapped_column(String(200), default="SUPER_USER_TASKS.md")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# --- No migration creates the tables below ---------------------------------


class PromptTemplate(Base):
    __tablename__ = "prompt_templates"

    id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    version: Mapped[str] = mapped_column(String(20), nullable=False)
    template_text: Mapped[str] = mapped_column(Text, nullable=False)
    variables: Mapped[Optional[dict]] = mapped_column(JSONB)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class FailurePattern(Base):
    __tablename__ = "failure_patterns"

    id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), primary_key=True, default=uuid4)
    pattern_name: Mapped[str] = mapped_column(String(200), nullable=False)
    category: Mapped[ItalianFeedbackCategory] = mapped_column(
        Enum(ItalianFeedbackCategory, name="italian_feedback_category", values_callable=lambda e: [m.value for m in e])
    )
    frequency_count: Mapped[int] = mapped_column(Integer, default=0)
    example_queries: Mapped[List[str]] = mapped_column(ARRAY(Text), default=list)
    is_resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SystemImprovement(Base):
    __tablename__ = "system_improvements"

    id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), primary_key=True, default=uuid4)
    improvement_type: Mapped[str] = mapped_column(String(50), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    failure_pattern_id: Mapped[Optional[UUID]] = mapped_column(
        PostgreSQLUUID(as_uuid=True), ForeignKey("failure_patterns.id")
    )
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class QualityMetric(Base):
    __tablename__ = "quality_metrics"

    id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), primary_key=True, default=uuid4)
    metric_name: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    metric_value: Mapped[float] = mapped_column(Float, nullable=False)
    dimension: Mapped[Optional[str]] = mapped_column(String(100))
    measured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ExpertValidation(Base):
    __tablename__ = "expert_validations"

    id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), primary_key=True, default=uuid4)
    query_id: Mapped[UUID] = mapped_column(PostgreSQLUUID(as_uuid=True), nullable=False)
    expert_ids: Mapped[List[UUID]] = mapped_column(ARRAY(PostgreSQLUUID(as_uuid=True)), default=list)
    consensus_reached: Mapped[bool] = mapped_column(Boolean, default=False)
    final_answer: Mapped[Optional[str]] = mapped_column(Text)
    validated_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

"""Intelligent FAQ System: curated answers served before calling the LLM."""

from datetime import datetime
from typing import List, Optional

from sqlalchemy import ARRAY, JSON, Column, DateTime, ForeignKey, String, Text, func
from sqlmodel import Field, SQLModel


class FAQEntry(SQLModel, table=True):
    __tablename__ = "faq_entries"

    id: str = Field(sa_column=Column(String(100), primary_key=True))
    question: str = Field(sa_column=Column(Text, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(default="generale", max_length=100, index=True)
    tags: Optional[List[str]] = Field(default=None, sa_column=Column(ARRAY(String)))
    language: str = Field(default="it", max_length=10)
    last_validated: Optional[datetime] = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    needs_review: bool = Field(default=False)
    regulatory_refs: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    update_sensitivity: str = Field(default="medium", max_length=20)
    hit_count: int = Field(default=0)
    last_used: Optional[datetime] = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    avg_helpfulness: Optional[float] = None
    version: int = Field(default=1)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()))


class FAQUsageLog(SQLModel, table=True):
    __tablename__ = "faq_usage_logs"

    id: str = Field(sa_column=Column(String(100), primary_key=True))
    faq_id: str = Field(
        sa_column=Column(String(100), ForeignKey("faq_entries.id", ondelete="CASCADE"), nullable=False)
    )
    user_id: Optional[str] = Field(default=None, max_length=100)
    used_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()))
    response_variation: str = Field(sa_column=Column(Text, nullable=False))
    from_cache: bool = Field(default=False)
    variation_cost_euros: float = Field(default=0.0003)
    was_helpful: Optional[bool] = None
    comments: Optional[str] = Field(default=None, sa_column=Column(Text))

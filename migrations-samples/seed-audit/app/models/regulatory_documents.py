"""Documents collected from Italian authorities' RSS feeds."""

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, Computed, DateTime, Float, String, Text, func, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field, SQLModel


class RegulatoryDocument(SQLModel, table=True):
    __tablename__ = "regulatory_documents"

    id: str = Field(sa_column=Column(String(100), primary_key=True))
    source: str = Field(sa_column=Column(String(100), nullable=False, index=True))
    source_type: str = Field(sa_column=Column(String(100), nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    url: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    published_date: Optional[datetime] = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    content: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    document_number: Optional[str] = Field(default=None, sa_column=Column(String(50)))
    authority: Optional[str] = Field(default=None, sa_column=Column(String(200)))
    document_metadata: Optional[dict] = Field(default=None, sa_column=Column("metadata", JSON))
    version: int = Field(default=1)
    previous_version_id: Optional[str] = Field(default=None, sa_column=Column(String(100)))
    status: str = Field(default="pending", sa_column=Column(String(20), nullable=False, server_default="pending"))
    processed_at: Optional[datetime] = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    processing_errors: Optional[str] = Field(default=None, sa_column=Column(Text))
    knowledge_item_id: Optional[int] = None
    topics: Optional[str] = Field(default=None, sa_column=Column(Text))
    importance_score: float = Field(default=0.5, sa_column=Column(Float, nullable=False, server_default=text("0.5")))
    search_vector: Optional[Any] = Field(
        default=None,
        sa_column=Column(
            TSVECTOR,
            Computed(
                "setweight(to_tsvector('italian'::regconfig, coalesce(title, '')), 'A') || "
                "setweight(to_tsvector('italian'::regconfig, coalesce(content, '')), 'B')",
                persisted=True,
            ),
        ),
    )
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()))
    archived_at: Optional[datetime] = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    archive_reason: Optional[str] = Field(default=None, sa_column=Column(Text))


class FeedStatus(SQLModel, table=True):
    __tablename__ = "feed_status"

    id: Optional[int] = Field(default=None, primary_key=True)
    feed_url: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    source: Optional[str] = Field(default=None, max_length=100)
    feed_type: Optional[str] = Field(default=None, max_length=100)
    parser: Optional[str] = Field(default=None, sa_column=Column(Text, index=True))
    status: str = Field(max_length=20)
    last_checked: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()))
    last_success: Optional[datetime] = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    response_time_ms: Optional[float] = None
    items_found: Optional[int] = None
    consecutive_errors: int = Field(default=0)
    errors: int = Field(default=0)
    last_error: Optional[str] = Field(default=None, sa_column=Column(Text))
    check_interval_minutes: int = Field(default=240)
    enabled: bool = Field(default=True)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()))

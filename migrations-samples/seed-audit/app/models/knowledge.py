"""Knowledge base: documents and the chunks retrieval works on."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional

from pgvector.sqlalchemy import Vector
from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Integer, Numeric, Text, text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlmodel import Field, SQLModel

EMBEDDING_DIMENSIONS = 1536  # OpenAI text-embedding-ada-002


class KnowledgeItem(SQLModel, table=True):
    __tablename__ = "knowledge_items"

    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    content: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(index=True)
    subcategory: Optional[str] = None
    source: str
    source_url: Optional[str] = None
    language: str = Field(default="it")
    relevance_score: float = Field(default=0.5)
    status: str = Field(default="active")
    kb_epoch: Optional[int] = Field(default=0, sa_column=Column(BigInteger, server_default=text("0")))
    created_at: datetime = Field(default_factory=datetime.utcnow)
    updated_at: datetime = Field(default_factory=datetime.utcnow)

    # Full-text search, maintained by a trigger (20250804_add_postgresql_fts, 20251103_fts_unaccent_weights)
    search_vector: Optional[Any] = Field(default=None, sa_column=Column(TSVECTOR))
    # Dense retrieval (20251103_vector_indexes)
    embedding: Optional[Any] = Field(default=None, sa_column=Column(Vector(EMBEDDING_DIMENSIONS)))
    # PDF extraction quality (20251103_extraction_quality_and_junk_flags)
    extraction_method: Optional[str] = Field(default=None, sa_column=Column(Text))
    text_quality: Optional[Decimal] = Field(default=None, sa_column=Column(Numeric))
    ocr_pages: Optional[Any] = Field(default=None, sa_column=Column(JSONB))
    # 20251111_add_publication_date
    publication_date: Optional[date] = None


class KnowledgeChunk(SQLModel, table=True):
    __tablename__ = "knowledge_chunks"

    id: Optional[int] = Field(default=None, primary_key=True)
    knowledge_item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("knowledge_items.id", ondelete="CASCADE"), nullable=False)
    )
    chunk_text: str = Field(sa_column=Column(Text, nullable=False))
    chunk_index: int
    token_count: Optional[int] = None
    start_char: Optional[int] = None
    end_char: Optional[int] = None
    kb_epoch: Optional[int] = Field(default=0, sa_column=Column(BigInteger, server_default=text("0")))
    created_at: datetime = Field(default_factory=datetime.utcnow)

    search_vector: Optional[Any] = Field(default=None, sa_column=Column(TSVECTOR))
    embedding: Optional[Any] = Field(default=None, sa_column=Column(Vector(EMBEDDING_DIMENSIONS)))
    quality_score: Optional[Decimal] = Field(default=None, sa_column=Column(Numeric))
    junk: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false")))
    ocr_used: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false")))

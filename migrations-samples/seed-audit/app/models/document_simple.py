"""Uploaded-document analyses (the table the application really uses).

``data_export.DocumentAnalysis`` (on the declarative Base) declares another
``document_analyses`` table with a different schema.
"""

import uuid
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class DocumentAnalysis(SQLModel, table=True):
    __tablename__ = "document_analyses"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    document_id: str = Field(max_length=100)
    analysis_type: str = Field(max_length=50)
    status: str = Field(default="pending", max_length=20)
    result: Optional[Any] = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=datetime.utcnow)

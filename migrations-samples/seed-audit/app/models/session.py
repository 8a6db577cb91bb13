"""Chat sessions."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class Session(SQLModel, table=True):
    id: str = Field(primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    name: str = Field(default="")
    created_at: datetime = Field(default_factory=datetime.utcnow)

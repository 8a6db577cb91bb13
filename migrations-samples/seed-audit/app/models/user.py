"""User accounts (table ``user``, singular: SQLModel's default table name)."""

from datetime import datetime
from enum import Enum
from typing import Optional

from sqlalchemy import Column, String, text
from sqlmodel import Field, SQLModel


class UserRole(str, Enum):
    """Roles for role-based access control (``20251124_add_user_role``)."""

    REGULAR_USER = "regular_user"
    EXPERT = "expert"
    ADMIN = "admin"
    SUPER_USER = "super_user"


class AuthProvider(str, Enum):
    EMAIL = "email"
    GOOGLE = "google"
    LINKEDIN = "linkedin"


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True)
    hashed_password: Optional[str] = Field(default=None)
    refresh_token: Optional[str] = Field(default=None)
    created_at: datetime = Field(default_factory=datetime.utcnow)

    # OAuth (20250811_add_user_oauth_fields)
    name: Optional[str] = Field(default=None, max_length=255)
    avatar_url: Optional[str] = Field(default=None, max_length=512)
    provider: str = Field(
        default=AuthProvider.EMAIL.value,
        sa_column=Column(String(50), nullable=False, server_default=text("'email'"), index=True),
    )
    provider_id: Optional[str] = Field(default=None, max_length=255, index=True)

    # RBAC (20251124_add_user_role)
    role: str = Field(
        default=UserRole.REGULAR_USER.value,
        sa_column=Column(String(20), nullable=False, server_default=text("'regular_user'")),
    )

"""Declarative base used by the feature modules written before the move to SQLModel."""

from sqlalchemy.orm import declarative_base

Base = declarative_base()

"""Every SQLModel table model, imported so that ``SQLModel.metadata`` knows them.

Alembic's env.py does ``from app.models.models import SQLModel`` and compares
migrations with ``SQLModel.metadata``. The declarative-Base modules are not
imported here.
"""

from sqlmodel import SQLModel

from app.models.document_simple import DocumentAnalysis
from app.models.faq import FAQEntry, FAQUsageLog
from app.models.italian_data import ComplianceCheck, TaxCalculation
from app.models.knowledge import KnowledgeChunk, KnowledgeItem
from app.models.regulatory_documents import FeedStatus, RegulatoryDocument
from app.models.session import Session
from app.models.user import User

__all__ = [
    "SQLModel",
    "ComplianceCheck",
    "DocumentAnalysis",
    "FAQEntry",
    "FAQUsageLog",
    "FeedStatus",
    "KnowledgeChunk",
    "KnowledgeItem",
    "RegulatoryDocument",
    "Session",
    "TaxCalculation",
    "User",
]

"""Every model, imported so that ``Base.metadata`` knows all tables."""

from app.db.base import Base
from app.models.audit import AuditEvent
from app.models.organization import Organization
from app.models.sla import SlaPolicy, TicketPriority
from app.models.tag import Tag, ticket_tags
from app.models.ticket import Attachment, Ticket, TicketComment, TicketStatus, ticket_subscriptions
from app.models.user import User, UserRole
from app.models.webhook import WebhookDelivery

__all__ = [
    "Attachment",
    "AuditEvent",
    "Base",
    "Organization",
    "SlaPolicy",
    "Tag",
    "Ticket",
    "TicketComment",
    "TicketPriority",
    "TicketStatus",
    "User",
    "UserRole",
    "WebhookDelivery",
    "ticket_subscriptions",
    "ticket_tags",
]

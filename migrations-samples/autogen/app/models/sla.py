import enum
import uuid
from typing import Optional

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import GUID


class TicketPriority(enum.Enum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


ticket_priority_enum = ENUM(TicketPriority, name="ticket_priority")


class SlaPolicy(Base):
    """Response and resolution targets per priority; organization_id NULL is the default policy."""

    __tablename__ = "sla_policies"
    __table_args__ = (UniqueConstraint("organization_id", "priority"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[Optional[uuid.UUID]] = mapped_column(
        GUID(), ForeignKey("organizations.id", ondelete="CASCADE")
    )
    priority: Mapped[TicketPriority] = mapped_column(ticket_priority_enum)
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)

"""Stripe subscriptions and Italian invoices.

subscriptions and invoices exist in every database (created by create_all when
Subscription and Invoice still used Integer user ids, see base-schema.sql);
no migration creates subscription_plans or subscription_plan_changes.
"""

import uuid

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import relationship

from app.models.base import Base


class SubscriptionPlan(Base):
    __tablename__ = "subscription_plans"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    name = Column(String(100), nullable=False)
    billing_period = Column(String(20), nullable=False)  # monthly, yearly
    base_price_cents = Column(Integer, nullable=False)
    stripe_price_id = Column(String(255), unique=True, nullable=False)
    stripe_product_id = Column(String(255), nullable=False)
    is_active = Column(Boolean, default=True)
    trial_period_days = Column(Integer, default=7)
    features = Column(JSONB)
    created_at = Column(DateTime(timezone=True), server_default=func.now())


class Subscription(Base):
    __tablename__ = "subscriptions"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), nullable=False)
    plan_id = Column(UUID(as_uuid=True), ForeignKey("subscription_plans.id"), nullable=False)
    stripe_subscription_id = Column(String(255), unique=True, nullable=False)
    stripe_customer_id = Column(String(255), nullable=False)
    status = Column(String(50), nullable=False)
    current_period_start = Column(DateTime(timezone=True), nullable=False)
    current_period_end = Column(DateTime(timezone=True), nullable=False)
    cancel_at_period_end = Column(Boolean, default=False)
    partita_iva = Column(String(11))
    codice_fiscale = Column(String(16))
    created_at = Column(DateTime(timezone=True), server_default=func.now())

    plan = relationship("SubscriptionPlan")
    invoices = relationship("Invoice", back_populates="subscription")


class Invoice(Base):
    __tablename__ = "invoices"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    subscription_id = Column(UUID(as_uuid=True), ForeignKey("subscriptions.id"), nullable=False)
    user_id = Column(Integer, ForeignKey("user.id"), nullable=False)
    invoice_number = Column(String(50), unique=True, nullable=False)
    stripe_invoice_id = Column(String(255), unique=True)
    subtotal_cents = Column(Integer, nullable=False)
    iva_cents = Column(Integer, nullable=False)
    total_cents = Column(Integer, nullable=False)
    currency = Column(String(3), default="EUR")
    status = Column(String(50), nullable=False)
    issued_at = Column(DateTime(timezone=True), server_default=func.now())
    fattura_elettronica_xml = Column(Text)

    subscription = relationship("Subscription", back_populates="invoices")


class SubscriptionPlanChange(Base):
    __tablename__ = "subscription_plan_changes"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    subscription_id = Column(UUID(as_uuid=True), ForeignKey("subscriptions.id"), nullable=False)
    from_plan_id = Column(UUID(as_uuid=True), ForeignKey("subscription_plans.id"), nullable=False)
    to_plan_id = Column(UUID(as_uuid=True), ForeignKey("subscription_plans.id"), nullable=False)
    proration_amount_cents = Column(Integer, default=0)
    changed_at = Column(DateTime(timezone=True), server_default=func.now())

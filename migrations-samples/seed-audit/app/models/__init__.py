"""Database models.

Two families live here, for historical reasons:

- SQLModel table models (``user``, ``session``, ``knowledge``, ``regulatory_documents``,
  ``faq``, ``document_simple``, ``italian_data``). ``models.py`` imports them all and
  Alembic's ``env.py`` compares migrations against ``SQLModel.metadata``.
- SQLAlchemy declarative models on ``base.Base`` (``quality_analysis``, ``regional_taxes``,
  ``ccnl_database``, ``ccnl_update_models``, ``faq_automation``, ``subscription``,
  ``data_export``), written for features that were planned or prototyped. Alembic does
  not see ``Base.metadata``.
"""

//! The in-memory PostgreSQL catalog.

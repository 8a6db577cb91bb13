//! Answers to SQLAlchemy Inspector questions.

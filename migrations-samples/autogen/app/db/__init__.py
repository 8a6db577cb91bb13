"""Database plumbing shared by the models and the migrations."""

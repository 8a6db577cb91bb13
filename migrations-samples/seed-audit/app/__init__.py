"""A tax-and-labour assistant backend (FastAPI + PostgreSQL) whose schema the migrations build."""

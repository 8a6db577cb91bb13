"""A small shop application whose schema the sample migrations build."""

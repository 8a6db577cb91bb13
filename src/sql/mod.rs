//! SQL frontend: splitting, parsing with libpg_query, lowering to catalog commands.

"""SQLite, as Django ships it, but with the connections of one process kept for reuse (see
``base``)."""

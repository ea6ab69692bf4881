"""PostgreSQL, as Django ships it, but for the flush that ends each transactional test (see
``base``)."""

"""Reports drawn from a record: the visit report (pure layout with matplotlib; no web imports)."""

"""The life of a child's data: export for the family, erasure, retention."""

"""The centre's SQL: enrolled schools, imported batches, the region."""

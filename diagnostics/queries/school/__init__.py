"""The school's SQL: roster, sessions and answers, follow-up, sync."""

"""A diagnostic session: codes, slips, the child's pages, the live board."""

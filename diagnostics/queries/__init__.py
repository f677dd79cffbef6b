"""Every SQL statement of the app lives in this package; functions take the db first."""

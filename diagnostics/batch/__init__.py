"""Sealed batches from a school to its regional centre (see sync/FORMAT.md)."""


class SyncError(Exception):
    """A refusal with a reason a person can act on (already translated)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = str(reason)

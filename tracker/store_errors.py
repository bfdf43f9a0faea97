"""What can go wrong when opening or locking the store, importable without SQLAlchemy, so that
every command (the fast reading ones too) turns it into a one-line error."""


class StoreUnavailable(Exception):
    """The store cannot be opened: a malformed URL, a folder that is not there, a server that
    does not answer."""


class StoreBusy(Exception):
    """Another run is writing the store: names it (command, host, pid, start)."""

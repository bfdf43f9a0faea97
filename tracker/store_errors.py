"""What can go wrong when opening, locking or using the store, importable without SQLAlchemy,
so that every command (the fast reading ones too) turns it into a one-line error."""

from __future__ import annotations

import sqlite3
import sys
from urllib.parse import urlsplit


class StoreUnavailable(Exception):
    """The store cannot be opened: a malformed URL, a folder that is not there, a server that
    does not answer."""


class StoreBusy(Exception):
    """Another run is writing the store: names it (command, host, pid, start)."""


class StoreDamaged(StoreUnavailable):
    """The store fails its integrity check: nothing may be written into it."""


def shown_url(url: str) -> str:
    """The URL as a message may print it: the password hidden, as SQLAlchemy shows it."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    return parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}").geturl()


def store_failure(error: BaseException) -> str | None:
    """What went wrong, in one line, when error is the store's driver failing while a command
    used it (a damaged SQLite file, a PostgreSQL server lost); None for any other error.

    SQLAlchemy and psycopg are looked for only when loaded: the reading commands may use neither.
    """
    failures: list[type[BaseException]] = [sqlite3.Error]
    if sqlalchemy := sys.modules.get("sqlalchemy.exc"):
        failures.append(sqlalchemy.SQLAlchemyError)
    if psycopg := sys.modules.get("psycopg"):
        failures.append(psycopg.Error)
    if not isinstance(error, tuple(failures)):
        return None
    reason = str(getattr(error, "orig", None) or error).strip()
    return f"the store failed: {reason.splitlines()[0] if reason else type(error).__name__}"

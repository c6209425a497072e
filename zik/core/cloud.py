"""`zik cloud …`: where the Zik backend is, signing in and out, and what `cloud status` shows.

The one way in to the cloud for the command line and the scheduler: the Cognito side is
cloud/auth.py, the sync itself core/sync.py. auth is imported inside each function, so that
importing this module costs nothing for a command that never reaches the cloud.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from zik.core import sync


def setup(**where: Any) -> dict[str, Any]:
    """Record where the backend is (auth.setup's fields: user_pool_id, client_id, region,
    api_url, stack, remote, tables), given or read from its CloudFormation stack."""
    from zik.cloud import auth

    settings = auth.setup(**where)
    return {
        "userPoolId": settings.user_pool_id,
        "clientId": settings.client_id,
        "region": settings.region,
        "apiUrl": settings.api_url or None,
        "remote": settings.remote,
        "tables": {t: physical or None for t, physical in settings.tables.items()},
    }


def login(email: str, password: str):
    """Sign in with the account's email and password; the session (tokens kept 0600)."""
    from zik.cloud import auth

    return auth.login(email, password)


def logout() -> dict[str, Any]:
    """Sign out everywhere and forget this machine's tokens."""
    from zik.cloud import auth

    session = auth.logout()
    return {"loggedOut": session is not None, "email": session and session.email}


def signed_in() -> bool:
    """Whether this machine is set up and holds tokens (without refreshing or calling out)."""
    from zik.cloud import auth

    settings = auth.Settings()
    return bool(settings.client_id and settings.user_pool_id) and auth.tokens_path().exists()


def status(conn: sqlite3.Connection) -> dict[str, Any]:
    """Who is signed in, where the backend is, and the sync state."""
    from zik.cloud import auth

    settings, session = auth.Settings(), auth.load()
    facts = sync.status(conn)
    return {
        "configured": bool(settings.client_id and settings.user_pool_id),
        "userPoolId": settings.user_pool_id or None,
        "region": settings.region or None,
        "apiUrl": settings.api_url or None,
        "remote": settings.remote,
        "session": session.to_json() if session else None,
        "sync": facts,
        "limits": _limits(conn, facts["remote"] or settings.remote),
    }


def _limits(conn: sqlite3.Connection, remote: str) -> dict[str, Any]:
    """What the remote in use cannot carry, each way (the api remote: cloud/api.py)."""
    if remote != "api":
        return {"remote": remote, "pull": {}, "push": {}, "hereOnly": {}}
    from zik.cloud import api
    from zik.cloud.sync import here_only

    here = here_only(conn, api.NOT_PUSHED)
    return {
        "remote": remote,
        "pull": dict(api.GAPS),
        "push": dict(api.NOT_PUSHED),
        "hereOnly": here,
    }

"""The registry of remotes: the one that `cloud.remote` names (see auth.Settings), connected.

Kept apart from remote.py, the interface both remotes implement and import, so that choosing a
remote never makes remote.py import the remotes back. Each remote is imported only when chosen
(the dynamodb remote brings boto3).
"""

from __future__ import annotations

from zik.cloud.remote import Remote


def connect(user_id: str, email: str, display_name: str | None = None, today: str = "") -> Remote:
    """The remote chosen by `cloud.remote` (see auth.Settings). `today` is the UTC date, which
    the api's task routes revolve around."""
    from zik.cloud import auth

    settings = auth.Settings().require()
    if settings.remote == "dynamodb":
        from zik.cloud.dynamodb import DynamoRemote

        return DynamoRemote(user_id, email, display_name)
    from zik.cloud.api import ApiRemote

    return ApiRemote(settings, user_id, email, display_name, today)

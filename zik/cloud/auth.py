"""Signing in to the Zik backend with Cognito, and keeping the tokens fresh.

`USER_PASSWORD_AUTH` against the backend's app client (no client secret; SRP is not enabled
there, reference/backend-contract.md §2). The tokens live in one 0600 file in the data
directory, never in the database, the logs or any output. The access token is refreshed with
`REFRESH_TOKEN_AUTH` a few minutes before it expires, and once more after a 401. The user id is
the access token's `sub`. boto3 is imported only here (and by the other cloud modules).
"""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from zik import config
from zik.errors import AccessError, TemporaryError, UsageError, ZikError

TOKENS_NAME = "cloud-tokens.json"


def _now() -> datetime:
    """Real time, never the pinned ZIK_NOW: tokens expire in the real world."""
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


REFRESH_MARGIN = timedelta(minutes=5)
TABLES = ("goals", "tasks", "users", "routines", "chat", "milestones")
SETUP_HINT = "zik cloud setup --user-pool-id … --client-id … [--region …] [--api-url …]"


def tokens_path() -> Path:
    return config.data_dir() / TOKENS_NAME


class Settings:
    """Where the backend is: from `zik cloud setup` (the `cloud.*` settings)."""

    def __init__(self) -> None:
        self.user_pool_id = str(config.get("cloud.user_pool_id"))
        self.client_id = str(config.get("cloud.client_id"))
        self.api_url = str(config.get("cloud.api_url"))
        self.region = str(config.get("cloud.region")) or _region_of(self.user_pool_id)
        self.tables = {t: str(config.get(f"cloud.tables.{t}")) for t in TABLES}
        remote = str(config.get("cloud.remote"))
        if remote == "auto":
            remote = "dynamodb" if all(self.tables.values()) else "api"
        self.remote = remote

    def require(self) -> Settings:
        if not self.client_id or not self.user_pool_id:
            raise UsageError("the Zik cloud is not set up on this machine", hint=SETUP_HINT)
        return self


def _region_of(pool_id: str) -> str:
    """A user pool id starts with its region: `eu-west-1_AbC123`."""
    return pool_id.split("_", 1)[0] if "_" in pool_id else ""


def setup(
    *,
    user_pool_id: str | None,
    client_id: str | None,
    region: str | None,
    api_url: str | None,
    stack: str | None = None,
    remote: str | None = None,
    tables: dict[str, str] | None = None,
) -> Settings:
    """Record where the backend is: given directly, or read from its CloudFormation stack."""
    tables = dict(tables or {})
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise UsageError(
            f"no backend table called {unknown[0]!r}", hint=f"tables: {', '.join(TABLES)}"
        )
    if stack:
        from zik.cloud import stack as stacks

        found = stacks.read(stack, region)
        user_pool_id = user_pool_id or found["user_pool_id"]
        client_id = client_id or found["client_id"]
        api_url = api_url or found.get("api_url")
        region = region or found.get("region")
        tables = {**found["tables"], **tables}
    if not user_pool_id or not client_id:
        raise UsageError("give --user-pool-id and --client-id, or --stack NAME")
    if api_url:
        check_url(api_url)
    if "_" not in user_pool_id:
        raise UsageError(f"{user_pool_id!r} is not a user pool id", hint="e.g. us-east-1_AbC123xyz")
    config.set_value("cloud.user_pool_id", user_pool_id)
    config.set_value("cloud.client_id", client_id)
    if region:
        config.set_value("cloud.region", region)
    if api_url:
        config.set_value("cloud.api_url", api_url.rstrip("/"))
    for table, physical in tables.items():
        config.set_value(f"cloud.tables.{table}", physical)
    if remote:
        config.set_value("cloud.remote", remote)
    return Settings()


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def check_url(url: str) -> None:
    """The API URL must be https: the access token travels with every call. Plain http only
    to this machine (a local backend, a test double)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return
    raise UsageError(
        f"{url!r} is not an https URL",
        hint="the Zik API is https://….execute-api.<region>.amazonaws.com/<stage>"
        " (plain http only to localhost)",
    )


def claims(token: str) -> dict[str, Any]:
    """A JWT's payload, unverified: it came straight from Cognito, and only `sub` and the
    expiry are read (the backend verifies every request itself)."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as e:
        raise AccessError("Cognito returned a token zik cannot read", hint="log in again") from e


class Session:
    """The signed-in user's tokens (as saved in the tokens file)."""

    def __init__(self, data: dict[str, Any]):
        self.email: str = data["email"]
        self.sub: str = data["sub"]
        self.access_token: str = data["accessToken"]
        self.refresh_token: str = data["refreshToken"]
        self.id_token: str = data.get("idToken", "")
        self.expires_at: str = data["expiresAt"]

    def to_file(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "sub": self.sub,
            "accessToken": self.access_token,
            "refreshToken": self.refresh_token,
            "idToken": self.id_token,
            "expiresAt": self.expires_at,
        }

    def to_json(self) -> dict[str, Any]:
        """What may be shown: who, and until when (never a token)."""
        return {"email": self.email, "userId": self.sub, "accessTokenExpiresAt": self.expires_at}


def _client(settings: Settings) -> Any:
    import botocore.session
    from botocore import UNSIGNED
    from botocore.config import Config

    # These Cognito calls are public: no AWS credentials are needed, or sent.
    return botocore.session.Session().create_client(
        "cognito-idp",
        region_name=settings.region or "us-east-1",
        config=Config(signature_version=UNSIGNED, retries={"mode": "standard", "max_attempts": 3}),
    )


def _translate(error: Exception) -> ZikError:
    import botocore.exceptions as boto_errors

    if isinstance(error, ZikError):
        return error

    if isinstance(error, boto_errors.EndpointConnectionError | boto_errors.ConnectTimeoutError):
        return TemporaryError("cannot reach Cognito", hint="check the network and try again")
    if isinstance(error, boto_errors.ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("NotAuthorizedException", "UserNotFoundException"):
            return AccessError(
                "wrong email or password, or the session has ended", hint="zik cloud login"
            )
        if code == "UserNotConfirmedException":
            return AccessError(
                "this account is not confirmed yet",
                hint="confirm it with the code Zik emailed you, in the app, then log in again",
            )
        if code in ("PasswordResetRequiredException",):
            return AccessError("the password must be reset first", hint="reset it in the Zik app")
        if code in ("TooManyRequestsException", "LimitExceededException", "InternalErrorException"):
            return TemporaryError(f"Cognito is busy ({code})", hint="try again in a minute")
        if code == "ResourceNotFoundException":
            return UsageError("Cognito does not know this user pool or app client", hint=SETUP_HINT)
        return ZikError(
            f"Cognito error {code}: {error.response.get('Error', {}).get('Message', '')}"
        )
    if isinstance(error, boto_errors.BotoCoreError):
        return TemporaryError(f"cannot reach Cognito: {error}", hint="try again later")
    return ZikError(str(error))


def _session_from(result: dict[str, Any], email: str, refresh_token: str | None) -> Session:
    access = result["AccessToken"]
    expires = _now() + timedelta(seconds=int(result.get("ExpiresIn", 3600)))
    return Session(
        {
            "email": email,
            "sub": claims(access)["sub"],
            "accessToken": access,
            "refreshToken": result.get("RefreshToken") or refresh_token or "",
            "idToken": result.get("IdToken", ""),
            "expiresAt": _iso(expires),
        }
    )


def _save(session: Session) -> None:
    """Write the tokens file atomically, created 0600 (never readable by others, even briefly)."""
    path = tokens_path()
    config.ensure_dir(path.parent)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(session.to_file(), f)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def load() -> Session | None:
    try:
        data = json.loads(tokens_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise AccessError("the saved cloud session is unreadable", hint="zik cloud login") from None
    try:
        session = Session(data)
        datetime.fromisoformat(session.expires_at.replace("Z", "+00:00"))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise AccessError("the saved cloud session is unreadable", hint="zik cloud login") from None
    return session


def login(email: str, password: str) -> Session:
    email, settings = email.strip(), Settings().require()
    if not email or not password:
        raise UsageError("give an email and a password")
    try:
        result = _client(settings).initiate_auth(
            AuthFlow="USER_PASSWORD_AUTH",
            ClientId=settings.client_id,
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
    except Exception as e:
        raise _translate(e) from None
    if "AuthenticationResult" not in result:
        challenge = result.get("ChallengeName", "a challenge")
        raise AccessError(
            f"Cognito asks for {challenge}, which zik cannot answer", hint="use the Zik app once"
        )
    session = _session_from(result["AuthenticationResult"], email, None)
    _save(session)
    return session


def refresh(session: Session) -> Session:
    settings = Settings().require()
    try:
        result = _client(settings).initiate_auth(
            AuthFlow="REFRESH_TOKEN_AUTH",
            ClientId=settings.client_id,
            AuthParameters={"REFRESH_TOKEN": session.refresh_token},
        )
    except Exception as e:
        error = _translate(e)
        if isinstance(error, AccessError):
            error = AccessError("the cloud session has expired", hint="zik cloud login")
        raise error from None
    fresh = _session_from(result["AuthenticationResult"], session.email, session.refresh_token)
    _save(fresh)
    return fresh


def delete_user(session: Session) -> bool:
    """Delete the signed-in user from the pool with its own access token (Cognito DeleteUser),
    so that an account deletion is whole whatever the backend did; False if it was gone
    already (the backend's AdminDeleteUser came first)."""
    import botocore.exceptions as boto_errors

    try:
        _client(Settings().require()).delete_user(AccessToken=session.access_token)
    except boto_errors.ClientError as e:
        error = e.response.get("Error", {})
        code, message = error.get("Code", ""), str(error.get("Message", ""))
        if code == "UserNotFoundException" or (
            code == "NotAuthorizedException" and "not exist" in message
        ):
            return False
        raise _translate(e) from None
    except Exception as e:
        raise _translate(e) from None
    return True


def current(*, force_refresh: bool = False) -> Session:
    """The signed-in session with a valid access token (refreshed when it is about to expire,
    or when `force_refresh`, after the backend answered 401)."""
    session = load()
    if session is None:
        raise AccessError("not logged in to the Zik cloud", hint="zik cloud login")
    expires = datetime.fromisoformat(session.expires_at.replace("Z", "+00:00"))
    if force_refresh or expires - REFRESH_MARGIN <= _now():
        session = refresh(session)
    return session


def forget() -> None:
    """Delete this machine's tokens (the account they belonged to is gone)."""
    tokens_path().unlink(missing_ok=True)


def logout() -> Session | None:
    """Sign out everywhere (global sign-out) and forget the tokens; signing out twice is fine."""
    session = load()
    if session is None:
        return None
    settings = Settings().require()
    try:
        _client(settings).global_sign_out(AccessToken=session.access_token)
    except Exception as e:  # an expired token or no network: the local sign-out still happens
        error = _translate(e)
        if not isinstance(error, AccessError | TemporaryError):
            raise error from None
    tokens_path().unlink(missing_ok=True)
    return session

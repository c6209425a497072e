"""`zik cloud setup|login|logout|status` and zik.cloud.auth against a real moto Cognito."""

from __future__ import annotations

import base64
import io as stdio
import json
import os
import stat
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from tests.fakes.moto import DUMMY_SECRET, EMAIL, PASSWORD, free_port
from zik.cloud import auth
from zik.errors import AccessError

SECRET_MARKER = "aws-secret-marker-must-not-be-stored"


def decode(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def tokens_file(home: Path) -> Path:
    return home / "cloud-tokens.json"


def read_tokens(home: Path) -> dict:
    return json.loads(tokens_file(home).read_text(encoding="utf-8"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def login(zik, monkeypatch: pytest.MonkeyPatch):
    """`zik cloud login --email X [args]` in-process, with the password on (non-tty) stdin."""

    def invoke(password: str = PASSWORD, *args: str, email: str = EMAIL):
        monkeypatch.setattr(sys, "stdin", stdio.StringIO(password + "\n"))
        return zik("cloud", "login", "--email", email, *args)

    return invoke


@pytest.fixture
def set_up(cognito, zik):
    result = zik("cloud", "setup", *cognito.setup_args())
    assert result.code == 0, result
    return cognito


@pytest.fixture
def logged_in(set_up, login, zik_home):
    result = login()
    assert result.code == 0, result
    return read_tokens(zik_home)


# --- setup ---------------------------------------------------------------------------------------


def test_setup_stores_the_settings(cognito, zik):
    result = zik(
        "cloud", "setup", *cognito.setup_args(), "--api-url", "https://api.example.com/", "--json"
    )
    assert result.code == 0, result
    assert result.data == {
        "userPoolId": cognito.pool_id,
        "clientId": cognito.client_id,
        "region": "us-east-1",
        "apiUrl": "https://api.example.com",
        "remote": "api",  # auto, and no table names: through the REST API
        "tables": dict.fromkeys(("goals", "tasks", "users", "routines", "chat", "milestones")),
    }
    stored = {
        key: zik("config", "get", f"cloud.{key}", "--json").data["value"]
        for key in ("user_pool_id", "client_id", "region", "api_url")
    }
    assert stored == {
        "user_pool_id": cognito.pool_id,
        "client_id": cognito.client_id,
        "region": "",  # not given: derived from the pool id
        "api_url": "https://api.example.com",
    }

    human = zik("cloud", "setup", *cognito.setup_args(), "--region", "eu-west-1")
    assert human.code == 0, human
    assert f"pool {cognito.pool_id} in eu-west-1" in human.err
    assert zik("config", "get", "cloud.region", "--json").data["value"] == "eu-west-1"


def test_setup_rejects_a_bad_pool_id(zik, zik_home):
    result = zik("cloud", "setup", "--user-pool-id", "nopool", "--client-id", "abc")
    assert result.code == 2, result
    assert "'nopool' is not a user pool id" in result.err
    assert zik("config", "get", "cloud.user_pool_id", "--json").data["value"] == ""
    assert zik("config", "get", "cloud.client_id", "--json").data["value"] == ""


# --- login ---------------------------------------------------------------------------------------


def test_login_with_the_right_password(set_up, login, zik_home, monkeypatch):
    # Credentials in the environment must not leak anywhere either (zik sends none to Cognito).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDMARKER")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_MARKER)
    result = login(PASSWORD, "--json")
    assert result.code == 0, result

    saved = read_tokens(zik_home)
    sub = decode(saved["accessToken"])["sub"]
    assert result.data["email"] == EMAIL
    assert result.data["userId"] == sub
    assert result.data["accessTokenExpiresAt"] == saved["expiresAt"]
    tokens = [saved["accessToken"], saved["refreshToken"], saved["idToken"]]
    for secret in [*tokens, PASSWORD, SECRET_MARKER]:
        assert secret not in result.out
        assert secret not in result.err

    # The tokens file: 0600, and it holds real tokens.
    path = tokens_file(zik_home)
    assert mode(path) == 0o600
    assert saved["email"] == EMAIL and saved["sub"] == sub
    assert all(tokens)
    assert set_up.idp.get_user(AccessToken=saved["accessToken"])["Username"]
    assert not list(zik_home.glob("*.tmp"))

    human = login()
    assert human.code == 0, human
    assert f"Logged in as {EMAIL}" in human.err
    again = read_tokens(zik_home)
    for secret in (again["accessToken"], again["refreshToken"], again["idToken"], PASSWORD):
        assert secret not in human.out + human.err


def test_no_secret_lands_in_the_database_or_the_config(set_up, login, zik, zik_home, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDMARKER")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_MARKER)
    assert login().code == 0
    assert zik("task", "add", "Stretch").code == 0  # the database exists and was written to
    assert zik("cloud", "status").code == 0
    saved = read_tokens(zik_home)

    db, config = zik_home / "zik.db", zik_home / "config.toml"
    assert db.exists() and config.exists()
    secrets = [
        saved["accessToken"],
        saved["refreshToken"],
        saved["idToken"],
        PASSWORD,
        SECRET_MARKER,
        DUMMY_SECRET,
    ]
    # Every file zik wrote except the tokens file itself (database, WAL, config, logs…).
    for path in zik_home.rglob("*"):
        if path.is_file() and path.name != "cloud-tokens.json":
            content = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in content, f"{secret[:12]}… found in {path.name}"


@pytest.mark.parametrize(
    "email, password",
    [(EMAIL, "Wrong-password1!"), ("nobody@example.com", PASSWORD)],
    ids=["wrong-password", "unknown-user"],
)
def test_wrong_email_or_password(set_up, login, zik_home, email, password):
    result = login(password, email=email)
    assert result.code == 5, result
    assert "wrong email or password" in result.err
    assert password not in result.out + result.err
    assert not tokens_file(zik_home).exists()

    as_json = login(password, "--json", email=email)
    assert as_json.code == 5
    assert as_json.error["code"] == "access"
    assert not tokens_file(zik_home).exists()


def test_an_unconfirmed_user_cannot_log_in(set_up, login, zik_home):
    set_up.add_unconfirmed_user("grace@example.com")
    result = login(PASSWORD, email="grace@example.com")
    assert result.code == 5, result
    assert "not confirmed" in result.err
    assert not tokens_file(zik_home).exists()


def test_login_before_setup_says_how_to_set_up(cognito, login, zik_home):
    result = login()
    assert result.code == 2, result
    assert "not set up" in result.err
    assert "zik cloud setup --user-pool-id" in result.err
    assert not tokens_file(zik_home).exists()


def test_login_replaces_a_too_open_tokens_file_with_a_0600_one(set_up, login, zik_home):
    path = tokens_file(zik_home)
    zik_home.mkdir(parents=True, exist_ok=True)
    path.write_text("{}", encoding="utf-8")
    os.chmod(path, 0o644)
    assert login().code == 0
    assert mode(path) == 0o600
    assert read_tokens(zik_home)["email"] == EMAIL


def test_login_with_an_empty_password_on_stdin(set_up, login, zik_home):
    result = login("")
    assert result.code == 2, result
    assert "give an email and a password" in result.err
    assert not tokens_file(zik_home).exists()


def test_login_without_email_when_not_interactive(set_up, zik):
    result = zik("cloud", "login")
    assert result.code == 2, result
    assert "--email" in result.err


def test_network_down(set_up, login, zik_home, monkeypatch):
    monkeypatch.setenv(
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", f"http://127.0.0.1:{free_port()}"
    )
    before = sorted(p.name for p in zik_home.iterdir())
    result = login()
    assert result.code == 75, result
    assert "cannot reach Cognito" in result.err
    assert not tokens_file(zik_home).exists()
    assert sorted(p.name for p in zik_home.iterdir()) == before


def test_login_in_a_subprocess_with_the_password_on_stdin(set_up, zik_process, zik_home):
    result = zik_process("cloud", "login", "--email", EMAIL, "--json", stdin=PASSWORD + "\n")
    assert result.code == 0, result
    saved = read_tokens(zik_home)
    assert result.data["email"] == EMAIL
    assert result.data["userId"] == decode(saved["accessToken"])["sub"]
    assert saved["accessToken"] not in result.out + result.err
    assert PASSWORD not in result.out + result.err
    assert mode(tokens_file(zik_home)) == 0o600


# --- status --------------------------------------------------------------------------------------


def test_status_before_setup(zik):
    human = zik("cloud", "status")
    assert human.code == 0, human
    assert "not set up" in human.out
    data = zik("cloud", "status", "--json").data
    assert data["configured"] is False
    assert data["session"] is None


def test_status_before_and_after_login(set_up, login, zik, zik_home):
    human = zik("cloud", "status")
    assert human.code == 0, human
    assert f"pool {set_up.pool_id} in us-east-1" in human.out
    assert "not logged in" in human.out
    data = zik("cloud", "status", "--json").data
    assert data["configured"] is True
    assert data["userPoolId"] == set_up.pool_id
    assert data["region"] == "us-east-1"
    assert data["session"] is None

    assert login().code == 0
    saved = read_tokens(zik_home)
    sub = decode(saved["accessToken"])["sub"]
    human = zik("cloud", "status")
    assert human.code == 0, human
    assert f"{EMAIL} (user {sub})" in human.out
    data = zik("cloud", "status", "--json")
    assert data.data["session"] == {
        "email": EMAIL,
        "userId": sub,
        "accessTokenExpiresAt": saved["expiresAt"],
    }
    for token in (saved["accessToken"], saved["refreshToken"], saved["idToken"]):
        assert token not in human.out + human.err + data.out + data.err


# --- current(): refreshing -----------------------------------------------------------------------


def test_current_keeps_a_fresh_token(logged_in, zik_home):
    session = auth.current()
    assert session.access_token == logged_in["accessToken"]
    assert read_tokens(zik_home) == logged_in


def test_current_refreshes_a_token_about_to_expire(logged_in, set_up, zik_home):
    path = tokens_file(zik_home)
    stale = {**logged_in, "expiresAt": "2000-01-01T00:00:00Z"}
    path.write_text(json.dumps(stale), encoding="utf-8")
    os.chmod(path, 0o600)

    session = auth.current()
    assert session.access_token != logged_in["accessToken"]
    saved = read_tokens(zik_home)
    assert saved["accessToken"] == session.access_token
    assert saved["expiresAt"] > "2020" and saved["expiresAt"] != stale["expiresAt"]
    assert saved["refreshToken"] == logged_in["refreshToken"]  # Cognito sends no new one
    assert saved["sub"] == logged_in["sub"] and saved["email"] == EMAIL
    assert mode(path) == 0o600
    assert set_up.idp.get_user(AccessToken=session.access_token)["Username"]


def test_current_refreshes_when_forced(logged_in, zik_home):
    session = auth.current(force_refresh=True)
    assert session.access_token != logged_in["accessToken"]
    assert read_tokens(zik_home)["accessToken"] == session.access_token
    assert mode(tokens_file(zik_home)) == 0o600


def test_current_when_not_logged_in(set_up):
    with pytest.raises(AccessError, match="not logged in"):
        auth.current()


def test_an_invalid_refresh_token_means_the_session_has_expired(logged_in, zik_home):
    path = tokens_file(zik_home)
    path.write_text(
        json.dumps({**logged_in, "refreshToken": "not-a-refresh-token"}), encoding="utf-8"
    )
    with pytest.raises(AccessError, match="session has expired") as caught:
        auth.current(force_refresh=True)
    assert caught.value.exit_code == 5
    assert caught.value.hint == "zik cloud login"


def test_a_revoked_refresh_token_means_the_session_has_expired(logged_in, set_up, zik_home):
    # Signed out everywhere from another device: the refresh token is revoked.
    set_up.idp.global_sign_out(AccessToken=logged_in["accessToken"])
    path = tokens_file(zik_home)
    path.write_text(json.dumps({**logged_in, "expiresAt": "2000-01-01T00:00:00Z"}))
    with pytest.raises(AccessError, match="session has expired"):
        auth.current()


# --- logout --------------------------------------------------------------------------------------


def test_logout_signs_out_everywhere_and_forgets_the_tokens(logged_in, set_up, zik, zik_home):
    old = logged_in["accessToken"]
    result = zik("cloud", "logout")
    assert result.code == 0, result
    assert f"Logged out {EMAIL}" in result.err
    assert not tokens_file(zik_home).exists()
    with pytest.raises(ClientError) as caught:
        set_up.idp.get_user(AccessToken=old)
    assert caught.value.response["Error"]["Code"] == "NotAuthorizedException"
    # The refresh token was revoked too.
    with pytest.raises(ClientError) as caught:
        set_up.idp.initiate_auth(
            AuthFlow="REFRESH_TOKEN_AUTH",
            ClientId=set_up.client_id,
            AuthParameters={"REFRESH_TOKEN": logged_in["refreshToken"]},
        )
    assert caught.value.response["Error"]["Code"] == "NotAuthorizedException"

    again = zik("cloud", "logout")
    assert again.code == 0, again
    assert "Not logged in" in again.err
    as_json = zik("cloud", "logout", "--json")
    assert as_json.code == 0
    assert as_json.data == {"loggedOut": False, "email": None}


def test_logout_json(logged_in, zik, zik_home):
    result = zik("cloud", "logout", "--json")
    assert result.code == 0, result
    assert result.data == {"loggedOut": True, "email": EMAIL}
    assert not tokens_file(zik_home).exists()


def test_logout_after_the_session_ended_elsewhere_still_forgets_the_tokens(
    logged_in, set_up, zik, zik_home
):
    set_up.idp.global_sign_out(AccessToken=logged_in["accessToken"])
    result = zik("cloud", "logout")
    assert result.code == 0, result
    assert not tokens_file(zik_home).exists()


def test_logout_without_network_still_forgets_the_tokens(logged_in, zik, zik_home, monkeypatch):
    monkeypatch.setenv(
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", f"http://127.0.0.1:{free_port()}"
    )
    result = zik("cloud", "logout")
    assert result.code == 0, result
    assert not tokens_file(zik_home).exists()


def test_logout_when_the_cloud_is_no_longer_set_up(logged_in, zik, zik_home):
    assert zik("config", "unset", "cloud.client_id").code == 0
    result = zik("cloud", "logout")
    assert result.code == 2, result
    assert "zik cloud setup" in result.err


# --- a damaged tokens file -----------------------------------------------------------------------


def test_an_unreadable_tokens_file(set_up, zik, zik_home):
    zik_home.mkdir(parents=True, exist_ok=True)
    tokens_file(zik_home).write_text("not json", encoding="utf-8")
    result = zik("cloud", "status")
    assert result.code == 5, result
    assert "unreadable" in result.err
    with pytest.raises(AccessError, match="unreadable"):
        auth.current()


@pytest.mark.parametrize("content", ["{}", "[]", '{"email": "ada@example.com"}'])
def test_a_tokens_file_of_the_wrong_shape_is_unreadable(set_up, zik, zik_home, content):
    zik_home.mkdir(parents=True, exist_ok=True)
    tokens_file(zik_home).write_text(content, encoding="utf-8")
    result = zik("cloud", "status")
    assert result.code == 5, result
    assert "unreadable" in result.err


STACK_TEMPLATE = {
    "Resources": {
        **{
            f"{name}Table50C7ED4E": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "AttributeDefinitions": [{"AttributeName": "userId", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "userId", "KeyType": "HASH"}],
                    "BillingMode": "PAY_PER_REQUEST",
                },
            }
            for name in ("Goals", "Tasks", "Users", "RecurrenceRules", "ChatMessages", "Milestones")
        }
    },
    "Outputs": {
        "UserPoolIdOutput": {"Value": "us-east-1_StackPool1"},
        "UserPoolClientIdOutput": {"Value": "stackclient123"},
        "ApiEndpointOutput": {"Value": "https://abc123.execute-api.us-east-1.amazonaws.com/"},
    },
}


def test_setup_from_a_cloudformation_stack_reads_outputs_and_table_names(
    moto_server, zik, monkeypatch
):
    import json

    import boto3

    creds = {"AWS_ACCESS_KEY_ID": "AKIDSTACKTEST", "AWS_SECRET_ACCESS_KEY": "stack-secret"}
    for name, value in {
        **creds,
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": moto_server,
    }.items():
        monkeypatch.setenv(name, value)
    cfn = boto3.Session().client(
        "cloudformation", region_name="us-east-1", endpoint_url=moto_server
    )
    cfn.create_stack(StackName="ZikBackendStack", TemplateBody=json.dumps(STACK_TEMPLATE))
    result = zik("cloud", "setup", "--stack", "ZikBackendStack", "--json")
    assert result.code == 0, result
    data = result.data
    assert (data["userPoolId"], data["clientId"]) == ("us-east-1_StackPool1", "stackclient123")
    assert data["apiUrl"] == "https://abc123.execute-api.us-east-1.amazonaws.com"
    assert set(data["tables"]) == {"goals", "tasks", "users", "routines", "chat", "milestones"}
    assert all(name and name.startswith("ZikBackendStack-") for name in data["tables"].values())
    assert data["tables"]["routines"].startswith("ZikBackendStack-RecurrenceRulesTable")
    missing = zik("cloud", "setup", "--stack", "NoSuchStack")
    assert missing.code == 3 and "NoSuchStack" in missing.err

"""Choosing the provider quickly: offline without boto3 only when no AWS credential can exist."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from zik.ai import provider


@pytest.fixture
def bare_linux(tmp_path, monkeypatch):
    """A Linux machine that is not EC2, with empty AWS files and no AWS variables."""
    vendor = tmp_path / "sys_vendor"
    vendor.write_text("LENOVO\n")
    monkeypatch.setattr(provider, "DMI_VENDOR", str(vendor))
    monkeypatch.setattr(provider, "XEN_UUID", str(tmp_path / "no-xen"))
    return tmp_path


def test_a_bare_linux_machine_has_no_credential_source(bare_linux):
    assert provider.no_credential_source()
    assert provider.choose(quick=True).provider == "offline"
    assert provider.choose(quick=True).credentials is None  # boto3 was never asked


@pytest.mark.parametrize(
    "variable",
    ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK", "AWS_WEB_IDENTITY_TOKEN_FILE"],
)
def test_any_credential_variable_takes_the_full_chain(bare_linux, monkeypatch, variable):
    monkeypatch.setenv(variable, "x")
    assert not provider.no_credential_source()


def test_a_credentials_file_or_a_profile_takes_the_full_chain(bare_linux, monkeypatch):
    assert not provider.no_credential_source("work")
    credentials = bare_linux / "credentials"
    credentials.write_text("[default]\naws_access_key_id = x\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    assert not provider.no_credential_source()


@pytest.mark.parametrize(
    ("vendor", "xen"), [("Amazon EC2\n", None), ("Xen\n", "ec2e1916-9099-7caf-fd21-012345abcdef")]
)
def test_an_ec2_instance_may_have_a_role(bare_linux, monkeypatch, vendor, xen):
    (bare_linux / "sys_vendor").write_text(vendor)
    if xen:
        (bare_linux / "no-xen").write_text(xen)
    assert not provider.no_credential_source()


def test_without_a_dmi_table_it_cannot_tell(bare_linux, monkeypatch):
    monkeypatch.setattr(provider, "DMI_VENDOR", str(bare_linux / "absent"))
    assert not provider.no_credential_source()


def test_the_quick_choice_never_overrides_an_explicit_setting(bare_linux, zik):
    zik("config", "set", "ai.provider", "bedrock")
    assert provider.choose(quick=True).provider == "bedrock"


def test_a_chat_on_a_bare_machine_loads_no_boto3(bare_linux, zik):
    script = (
        "import json, sys\nfrom zik.ai import provider\n"
        f"provider.DMI_VENDOR = {str(bare_linux / 'sys_vendor')!r}\n"
        f"provider.XEN_UUID = {str(bare_linux / 'no-xen')!r}\n"
        "from zik.cli.main import run\n"
        "code = run(['chat', 'how am I doing?'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore'))\n"
        "sys.__stdout__.write('\\n' + json.dumps({'code': code, 'heavy': heavy}) + '\\n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert json.loads(done.stdout.splitlines()[-1]) == {"code": 0, "heavy": []}

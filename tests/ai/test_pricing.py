"""Cost estimates: built-in prices, longest-key matching, config overrides, unknown models."""

from __future__ import annotations

import pytest

from zik.ai import pricing
from zik.ai.reply import Usage


def test_haiku_4_5_costs_per_million_tokens_for_each_kind():
    usage = Usage(1_000_000, 100_000, 2_000_000, 400_000)
    cost = pricing.estimate("global.anthropic.claude-haiku-4-5-20251001-v1:0", usage)
    assert cost == pytest.approx(1.0 + 0.5 + 0.2 + 0.5)


def test_the_longest_matching_key_wins():
    usage = Usage(1_000_000, 0)
    assert pricing.estimate("us.anthropic.claude-3-5-haiku-20241022-v1:0", usage) == 0.8
    assert pricing.estimate("anthropic.claude-3-haiku-20240307-v1:0", usage) == 0.25


def test_an_unknown_model_has_no_estimate():
    assert pricing.estimate("meta.llama3-70b-instruct-v1:0", Usage(1000, 1000)) is None


def test_config_rows_override_and_add_models(zik_home):
    zik_home.mkdir(parents=True, exist_ok=True)
    (zik_home / "config.toml").write_text(
        '[ai.prices."claude-haiku-4-5"]\ninput = 2.0\n\n'
        '[ai.prices."meta.llama3-70b"]\ninput = 3.0\noutput = 4.0\n'
    )
    usage = Usage(1_000_000, 1_000_000)
    assert pricing.estimate("global.anthropic.claude-haiku-4-5-20251001-v1:0", usage) == 7.0
    assert pricing.estimate("meta.llama3-70b-instruct-v1:0", usage) == 7.0

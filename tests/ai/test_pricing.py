"""Cost estimates: built-in prices, longest-key matching, config overrides, unknown models."""

from __future__ import annotations

import pytest

from zik.ai import pricing
from zik.ai.pricing import estimate
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


def test_a_geographic_profile_of_a_claude_45_model_costs_the_published_10_percent_more():
    """Issue 19: `us.` Haiku 4.5 shared the `global.` row ($1/$5 per million)."""
    used = Usage(1_000_000, 1_000_000, 1_000_000, 1_000_000)
    prices = pricing.PRICES
    assert estimate("global.anthropic.claude-haiku-4-5-20251001-v1:0", used, prices) == 7.35
    assert estimate("us.anthropic.claude-haiku-4-5-20251001-v1:0", used, prices) == 8.085
    assert estimate("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", used, prices) == 24.255
    # older generations have one price whatever the profile
    assert estimate("us.anthropic.claude-3-5-haiku-20241022-v1:0", used, prices) == 5.88


def test_models_once_unpriced_have_rows_and_missing_usage_is_unknown_not_free():
    used = Usage(1_000_000, 0)
    prices = pricing.PRICES
    assert estimate("global.anthropic.claude-opus-4-5-20251101-v1:0", used, prices) == 5.0
    assert estimate("us.anthropic.claude-3-7-sonnet-20250219-v1:0", used, prices) == 3.0
    assert estimate("us.amazon.nova-premier-v1:0", used, prices) == 2.5
    assert estimate(MODEL_WITH_PRICE, Usage.from_bedrock(None), prices) is None


MODEL_WITH_PRICE = "global.anthropic.claude-haiku-4-5-20251001-v1:0"

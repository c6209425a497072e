"""Estimated cost of a model call, from a price table the user can override.

Prices are US dollars per million tokens (on-demand, as published for Bedrock in 2026); a model is
matched by the longest key contained in its id, so `global.anthropic.claude-haiku-4-5-…` and
`us.anthropic.claude-haiku-4-5-…` share a row. The rows are the `global.` (and in-Region) prices;
the geographic profiles (`us.`, `eu.`, `jp.`, …) of the Claude 4.5 generation cost 10 % more, as
published. Override or add rows in config.toml:

    [ai.prices."claude-haiku-4-5"]
    input = 1.0
    output = 5.0
    cache_read = 0.1
    cache_write = 1.25

An unknown model has no estimate (None), never a guessed one; nor has a call whose reply did not
say what it used (a stream cut off before its metadata): "unknown", not $0.
"""

from __future__ import annotations

from zik.ai.reply import Usage

PRICES: dict[str, dict[str, float]] = {
    "claude-haiku-4-5": {"input": 1.0, "output": 5.0, "cache_read": 0.1, "cache_write": 1.25},
    "claude-sonnet-4-5": {"input": 3.0, "output": 15.0, "cache_read": 0.3, "cache_write": 3.75},
    "claude-sonnet-4": {"input": 3.0, "output": 15.0, "cache_read": 0.3, "cache_write": 3.75},
    "claude-opus-4-1": {"input": 15.0, "output": 75.0, "cache_read": 1.5, "cache_write": 18.75},
    "claude-opus-4-5": {"input": 5.0, "output": 25.0, "cache_read": 0.5, "cache_write": 6.25},
    "claude-opus-4-6": {"input": 5.0, "output": 25.0, "cache_read": 0.5, "cache_write": 6.25},
    "claude-3-7-sonnet": {"input": 3.0, "output": 15.0, "cache_read": 0.3, "cache_write": 3.75},
    "claude-3-5-haiku": {"input": 0.8, "output": 4.0, "cache_read": 0.08, "cache_write": 1.0},
    "claude-3-haiku": {"input": 0.25, "output": 1.25, "cache_read": 0.03, "cache_write": 0.3},
    "nova-micro": {"input": 0.035, "output": 0.14, "cache_read": 0.00875, "cache_write": 0.0},
    "nova-lite": {"input": 0.06, "output": 0.24, "cache_read": 0.015, "cache_write": 0.0},
    "nova-pro": {"input": 0.8, "output": 3.2, "cache_read": 0.2, "cache_write": 0.0},
    "nova-premier": {"input": 2.5, "output": 12.5, "cache_read": 0.625, "cache_write": 0.0},
}
# Geographic cross-Region profiles cost this much more than `global.` for these models.
GEOGRAPHIC = ("us.", "eu.", "jp.", "apac.", "au.", "ca.", "us-gov.")
GEOGRAPHIC_PREMIUM = 1.1
PREMIUM_MODELS = ("claude-haiku-4-5", "claude-sonnet-4-5", "claude-opus-4-5", "claude-opus-4-6")


def table() -> dict[str, dict[str, float]]:
    """The built-in prices with the config file's `[ai.prices]` rows laid over them."""
    from zik import config

    merged = {key: dict(row) for key, row in PRICES.items()}
    for key, row in config.read_table("ai", "prices").items():
        if isinstance(row, dict):
            merged.setdefault(key, {}).update(
                {k: float(v) for k, v in row.items() if isinstance(v, int | float)}
            )
    return merged


def estimate(
    model: str, usage: Usage, prices: dict[str, dict[str, float]] | None = None
) -> float | None:
    """Dollars for one call, or None when the model has no price row or the usage is unknown."""
    if not getattr(usage, "reported", True):
        return None
    prices = table() if prices is None else prices
    matches = [key for key in prices if key in model]
    if not matches:
        return None
    key = max(matches, key=len)
    row = prices[key]
    premium = (
        GEOGRAPHIC_PREMIUM
        if model.startswith(GEOGRAPHIC) and any(m in key for m in PREMIUM_MODELS)
        else 1.0
    )
    dollars = (
        usage.input_tokens * row.get("input", 0.0)
        + usage.output_tokens * row.get("output", 0.0)
        + usage.cache_read_tokens * row.get("cache_read", 0.0)
        + usage.cache_write_tokens * row.get("cache_write", 0.0)
    ) / 1_000_000
    return round(dollars * premium, 6)

"""A cheap token estimate, for budgets and for where cache points pay.

About four characters a token for Latin text, about one a character for other scripts
(Chinese, Japanese, Cyrillic, … take two to four times more tokens per character than English;
counting them at four would under-count them so). No tokenizer: the models' own are not public,
and the budgets this feeds have slack.
"""

from __future__ import annotations


def estimate(text: str) -> int:
    if text.isascii():
        return len(text) // 4
    wide = sum(1 for c in text if ord(c) > 0x24F)  # beyond Latin Extended
    return (len(text) - wide) // 4 + wide

"""The offline provider's knowledge, as data that reads like a coaching handbook.

`shared.py` holds the word lists and the first kinds (fitness, languages, instruments, habits,
career, projects, money); every other kind has a module of its own (`shop.py`, `travel.py`, …)
with its 7 phases and 4 task banks. the end of `shared.py` puts them together (`VARIANTS`).
"""

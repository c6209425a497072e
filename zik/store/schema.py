"""The schema version this code understands: the number of registered migrations.

Kept apart from migrations.py so that checking it never imports sqlite-utils.
"""

LATEST = 9

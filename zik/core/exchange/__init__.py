"""Data in and out: zik's own export format, imports (zik files and Taskwarrior), the ics feed, the
Markdown plan, backups."""

"""Planning: roadmaps (the planning job and its workflow, replans), the daily run, progression from
milestone to milestone, the timeline of a plan, and running the day on time (cron, systemd, the
scheduler's lock)."""

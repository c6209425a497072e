"""The offline provider: a deterministic planner and coach that needs no network and no model
(planner.py explains how it decides; handbook.py holds what it knows, as data)."""

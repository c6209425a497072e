"""Helpers of bench/simulate.py: its log of the days lived, and the report built from it."""

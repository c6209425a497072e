"""`zik doctor`: the report (report.py), the check type (check.py), and the checks, one module for
each thing they look at."""

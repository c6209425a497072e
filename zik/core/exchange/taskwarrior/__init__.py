"""Taskwarrior both ways: `zik import` of `task export` (reading.py), and `zik export -f
taskwarrior` for `task import` (writing.py), with what the two share in fields.py.

Mapping (also in the README), read in the profile's timezone unless `--tz` names another:
- a project is a quest (a live quest of that name is reused; a new one gets an id derived from
  the name, so importing again finds it); the uuid stays the task's id, so importing the same
  export twice changes nothing;
- `due` is the due date (no due: `scheduled`, then `wait`, then the completion day for done
  tasks, else today, all said in the summary); priority H/M/L → high/medium/low (another
  value, from a priority UDA, → medium); pending/waiting → pending (in-progress when started),
  completed → completed; tags stay tags; annotations are the notes, with their times;
- a recurring task whose period a routine holds (daily, weekdays, weekly) is a routine, and
  its instances are the routine's days; another period (monthly, 2d, …) is reported and its
  instances are one-off tasks;
- a task deleted in Taskwarrior is deleted here when an earlier import brought it and it has
  not changed here since; what zik deleted stays deleted unless it changed in Taskwarrior later;
- every other attribute (`depends`, `until`, `wait`, UDAs, …) is kept in the notes
  (fields.py) and written back by the export.
"""

"""The lines `zik sync` prints for conflicts: ids as people type them, records by name."""

from zik.cli.sync import _conflict


def test_a_milestone_conflict_names_the_milestone_by_the_id_people_type():
    line = _conflict(
        {
            "entity": "milestone",
            "entityId": "milestone_3f9a1c2e7b6d4e0f",
            "field": "deleted",
            "keptSide": "local",
            "kept": "deleted",
            "lost": {"title": "Run", "sequence": 2},
            "why": "its quest was deleted on one side while the milestone changed on the other",
        }
    )
    assert line.startswith("milestone 3f9a1c2e deleted: kept the local 'deleted', not record 'Run'")

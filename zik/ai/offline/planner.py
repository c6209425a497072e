"""The offline provider: a deterministic planner and coach that needs no network and no model.

Why it exists: zik must be useful the moment it is installed, without AWS credentials, on a
plane, and in tests. So when Bedrock is unavailable (or `ai.provider=offline`), roadmaps and day
plans come from here, in the same shapes (`ai/schemas.py`) and through the same validation.

How it decides:

- **Kind.** `detect_kind` reads the quest's category when it names a kind, else scores the words
  of the name (double) and the description against word lists (`handbook.KIND_WORDS`); ties
  go to the kind listed first in `KIND_ORDER`. A kind may narrow to a variant with its own plan: a
  race or a body goal, a language, an instrument, breaking a habit.
- **Roadmap.** Every variant has 7 phases written like a coaching handbook (`handbook.PHASES`),
  each with a weight. The number of milestones follows the days available (3 up to 14 days, 4 up
  to 45, 5 up to 90, 6 up to 180, else 7); picking n phases keeps the first and the last and
  spreads the rest. Each milestone gets 1 day, and the remaining days are shared by weight with
  largest-remainder rounding (a few phases have a cap: a taper is at most 3 weeks), so the
  durations add up exactly to the days available. A target 1–2 days out still gets 3
  milestones of 1 day: a roadmap has at least 3, so the sum then exceeds the days by design.
- **Day plan.** The milestone's phase (its title if this module wrote it, else words such as
  "taper", else its position) picks a bank of tasks; the day number rotates through the bank, so
  a week never repeats a name. Fitness follows a weekly schedule by weekday (long session at the
  weekend, one rest day), and a habit's main task is the daily repetition itself. Tasks shrink to
  half or stretch to fit the daily capacity. One missed task comes back at high priority in
  place of the supporting task; the rest are let go (a missed training session only ever
  replaces a shorter one, never doubles the day's load).

No randomness and no clock: variety comes from SHA-256 of the goal's name, so the same MODEL
version and the same request always give the same output. Plain Python on purpose (no pydantic,
no boto3): it is imported on the offline path only and must cost almost nothing.
"""

from __future__ import annotations

from typing import Any

from zik.ai.offline.coach import plan_day
from zik.ai.offline.goal import Goal, clip, detect_kind, fill, pick_phases
from zik.ai.offline.handbook import shared as plans
from zik.ai.requests import RoadmapRequest
from zik.models import MAX_MILESTONE_DAYS, MAX_TITLE

__all__ = ["MODEL", "default_days", "detect_kind", "plan_day", "plan_roadmap"]

MODEL = "zik-offline-1"


def default_days(kind: str) -> int:
    """The horizon of a quest without a target date: long enough for the plan (or the kind) to
    show results (a book takes longer than a shed)."""
    days = plans.DEFAULT_DAYS
    return days.get(kind) or days.get(kind.split("_")[0]) or days["general"]


# ---- Roadmap ----------------------------------------------------------------------------------


def plan_roadmap(req: RoadmapRequest) -> dict[str, Any]:
    """Milestones sized to the days available, from the variant's phase template.

    With `req.keep` (completed milestones a replan keeps) only the remaining milestones are
    returned: they continue the arc after the kept ones, keep the total within 3–7 where the
    number kept allows, and their durations add up to the days that remain.
    """
    goal = Goal(req.goal_name, req.description, req.category)
    kept = list(req.keep or [])
    days = _days_available(req, goal.variant, kept)
    count = _milestone_count(days, len(kept))
    phases = pick_phases(min(7, len(kept) + count))[-count:]
    template = plans.PHASES[goal.variant]
    caps = plans.PHASE_CAPS.get(goal.variant, {})
    limits = [min(caps.get(p) or MAX_MILESTONE_DAYS, MAX_MILESTONE_DAYS) for p in phases]
    durations = _split_days(days, [template[p][0] for p in phases], limits)
    fields = {**goal.fields, "minutes": req.daily_capacity, "by_target": ""}
    taken = {str(m.get("title", "")).casefold() for m in kept}
    milestones = []
    for position, (phase, duration) in enumerate(zip(phases, durations, strict=True)):
        last = position == count - 1
        target = req.target_date if last else None
        milestone = _milestone(template[phase], duration, fields, target)
        milestone["title"] = _unique(milestone["title"], taken)
        milestones.append(milestone)
    return {"milestones": milestones}


def _days_available(req: RoadmapRequest, kind: str, kept: list[dict[str, Any]]) -> int:
    """The days to plan: to the target date, else the kind's horizon less what was kept."""
    if req.available_days is not None:
        return max(int(req.available_days), 0)
    done = sum(int(m.get("durationInDays") or 0) for m in kept)
    return max(default_days(kind) - done, 14) if kept else default_days(kind)


def _milestone_count(days: int, kept: int) -> int:
    """3 up to 14 days, 4 up to 45, 5 up to 90, 6 up to 180, else 7; never more than the days."""
    by_days = 3 if days <= 14 else 4 if days <= 45 else 5 if days <= 90 else 6 if days <= 180 else 7
    floor = max(1, 3 - kept)  # a roadmap has at least 3 milestones, kept ones included
    return max(min(by_days, 7 - kept, max(days, floor)), floor)


def _split_days(days: int, weights: list[float], caps: list[int | None]) -> list[int]:
    """Integer durations, each at least 1, that add up to `days` (largest remainder).

    A phase whose share passes its cap gets the cap, and the others share the rest. With fewer
    days than milestones every milestone gets 1 day (the sum then exceeds `days`).
    """
    n = len(weights)
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        extra = max(days - sum(fixed.values()) - len(free), 0)
        total = sum(weights[i] for i in free)
        shares = {i: extra * weights[i] / total for i in free}
        over = [i for i in free if caps[i] is not None and 1 + shares[i] > caps[i]]
        if not over:
            break
        fixed.update({i: caps[i] or 1 for i in over})
        if len(over) == len(free):  # every phase at its cap: the plan ends before the days do
            return [fixed[i] for i in range(n)]
    parts = {i: int(share) for i, share in shares.items()}
    order = sorted(free, key=lambda i: (-(shares[i] - parts[i]), -weights[i], i))
    for i in order[: extra - sum(parts.values())]:
        parts[i] += 1
    return [fixed[i] if i in fixed else 1 + parts[i] for i in range(n)]


def _milestone(
    phase: tuple[float, str, str], days: int, fields: dict[str, Any], target: str | None
) -> dict[str, Any]:
    _, title, description = phase
    fields = {**fields, "span": _span(days), "by_target": f" by {target}" if target else ""}
    text = fill(description, fields)
    if target and target not in text:
        text += f" Target date: {target}."
    return {
        "title": clip(fill(title, fields), MAX_TITLE),
        "description": clip(text, 2000),
        "durationInDays": days,
    }


def _span(days: int) -> str:
    if days < 14:
        return "1 day" if days == 1 else f"{days} days"
    weeks = days / 7
    return f"{days // 7} weeks" if days % 7 == 0 else f"about {round(weeks)} weeks"


def _unique(title: str, taken: set[str]) -> str:
    """The title, numbered if an earlier (or kept) milestone already has it."""
    candidate, number = title, 2
    while candidate.casefold() in taken:
        candidate, number = f"{clip(title, MAX_TITLE - 10)} (part {number})", number + 1
    taken.add(candidate.casefold())
    return candidate

"""Any goal the planner cannot place: self-improvement ("Be more confident"), a life area ("Get my
life together"), a one-off undertaking ("Organize my garage", "Volunteer at an animal shelter") or
a curiosity ("Learn more about wine"). The plan is the coaching arc that works for any personal
goal: first make it concrete and observable (success markers someone could see or count, a reason,
today's score), then plan small steps, a daily slot and if-then answers to the likely obstacles;
build momentum with quick wins and a never-miss-twice rhythm, keep it honest with a weekly review
and other people's help, expect the motivation dip in the middle and change the approach rather
than the effort, cut and re-plan before the end instead of rushing it, and finish by checking the
markers, celebrating and setting the small routine that keeps the result. No fields: every text
speaks of "the goal" or of what the person does, so it reads the same for any goal.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "Make the goal concrete: what success looks like",
        "Turn the goal into 1–3 success markers that someone else could see or count: what you "
        "will do, how often and by when (a wish to speak up more becomes “speak up at least once in "
        "every meeting”). Write in one sentence why it matters to you, and score where you stand "
        "today from 0 to 10 on each marker. Then break the way to the finish into 3–5 steps, give "
        "the goal a daily slot of {minutes} minutes, and take the smallest possible action within "
        "48 hours: a message, a search, a sign-up."
        + DONE
        + "your success markers, your reason, today's scores and the steps are written down, and "
        "the first small action is done.",
    ),
    (
        1.5,
        "Set a weekly rhythm and plan for obstacles",
        "Split the next steps into actions small enough to finish in one session, and write your "
        "sessions as plans rather than intentions (“on weekdays at 7 pm at the kitchen table, I "
        "will…”), with 1–2 longer sessions a week for the bigger steps. Name your three likeliest "
        "obstacles and write an if-then plan for each. If any part touches your health, money, "
        "legal matters or other people's safety, find out first who to ask."
        + DONE
        + "next week's sessions are in your calendar, each of the three obstacles has an if-then "
        "plan, and you know who to ask about anything risky.",
    ),
    (
        3,
        "Get moving: first steps and quick wins",
        "Start with the action that gives visible progress for the least effort, and keep each "
        "session small enough that you finish wanting more. Log one line after every session; "
        "this early, count sessions rather than judging results. Missing a day is normal: never "
        "miss twice in a row, and on a bad day do a two-minute version instead."
        + DONE
        + "the first step of your plan is complete and you have kept at least 4 of every 5 "
        "planned sessions.",
    ),
    (
        3,
        "Steady progress with a weekly review",
        "Keep the rhythm and end each week with a 15-minute review: what got done, what slipped "
        "and why, and the three actions that matter most next week. Put the part you have been "
        "avoiding early in the week, while energy is high. Bring in other people: one specific "
        "request for help or feedback a week moves things faster than working alone."
        + DONE
        + "you hold the weekly review without being reminded and are past the halfway point of "
        "your steps.",
    ),
    (
        2.5,
        "Push through the messy middle",
        "Motivation usually dips around the halfway point, when the novelty has gone and the "
        "finish is not yet in sight: expect it rather than wait for it to pass. Shrink the daily "
        "action if you must but keep the rhythm, reread your reason, and try a different approach "
        "on anything stuck for two weeks instead of pushing harder. Rescore your success markers: "
        "seeing how far you have come is the best fuel."
        + DONE
        + "every stuck point has a new approach or a clear decision, and your scores are above the "
        "ones you started with.",
    ),
    (
        1.5,
        "Review, adjust and plan the final stretch",
        "Compare where you are with your success markers and decide for each open item whether to "
        "keep, change or drop it: an honest cut now beats a rushed finish. List every remaining "
        "action with a time estimate and fit them into the days left, the most important first. "
        "If what you want has changed along the way, rewrite the success markers now rather than "
        "chase the old ones."
        + DONE
        + "the remaining actions fit the time left and each one has a day in your calendar.",
    ),
    (
        1,
        "Finish, celebrate and keep the result",
        "Complete the last actions, then go through your success markers one by one and rescore "
        "them against your first scores. Celebrate in proportion to the effort and thank the "
        "people who helped. Decide the small routine that keeps the result alive (a weekly slot, "
        "a monthly check) and write down three lessons for your next goal."
        + DONE
        + "your success markers are met{by_target}, you have celebrated, and the routine that "
        "keeps the result is in your calendar.",
    ),
)

BANKS = {
    "start": rows("""
25 | Describe what success looks like | Write 1–3 outcomes you could see or count on the day the goal is reached: what you do, how often, by when. Turn feelings into actions, so that “feel calmer” becomes “10 quiet minutes every morning”.
25 | Break the goal into 3–5 steps | From where you are to the finish line: what comes first, what depends on what, and a rough date for each step.
15 | Take the smallest first step now | One small action that makes the goal real (a message, a search, a sign-up, one cleared shelf), done today before any more planning; if time is left, take the next one.
15 | Write down why this goal matters to you | Ask yourself why it matters, then why again, until the answer moves you. Keep that sentence where you will see it on flat days.
20 | Score where you stand today | Rate yourself from 0 to 10 on each success marker and add one fact behind each score. You will rescore in the middle and at the end.
20 | Book this week's sessions in your calendar | A time and a place for each, written as a plan: “on Monday at 7 pm at my desk, I will…”. Mark one longer session for the biggest action of the week.
20 | Write if-then plans for three obstacles | The three things most likely to stop you (no time, low energy, other people's plans), each with a concrete answer: “if I get home late, then I do a two-minute version”.
"""),
    "core": rows("""
45 | Do a focused session on your next action | Phone in another room, a timer on, and one action from your plan taken as far as the time allows. Stop with a one-line note of where to pick up.
30 | Tackle the part you have been avoiding | The call, the pile, the conversation or the decision you keep putting off: start on it before anything easier. Avoided tasks shrink once begun.
30 | Learn one thing the goal needs | A how-to, a book chapter, a course lesson or a question to someone who knows; use it at least once before the session ends.
25 | Ask one person for specific help | One clear request (an introduction, advice on a stuck point, a hand for an hour) to one named person. Specific asks get far more yeses than vague ones.
30 | Get honest feedback on your progress | Show what you have done to someone whose judgement you trust and ask what would make it better. Write the answer down before you respond.
35 | Try a new approach to a stuck point | Pick what has not moved for a while and change one thing: the time of day, the method, the size of the step or who does it with you.
20 | Score your progress on each success marker | From 0 to 10, with one fact behind each score, next to your earlier scores. A score that has not moved in two weeks needs a new approach, not more effort.
"""),
    "finish": rows("""
30 | Check each success marker: met, close or open | For every marker that is close, name the one action that would close it and give that action a day this week.
25 | Fit the remaining actions into the days left | List what is left with a time estimate, most important first; whatever does not fit is dropped or moved past the finish, on purpose.
45 | Complete the biggest action still open | Do it at the time of day your energy is best, and stay on it until it is done or its next part is clear.
25 | Close out the small loose ends | Replies, returns, files, a last tidy-up: the small open items that would otherwise linger after the finish.
25 | Set up the routine that keeps the result | Decide what you will keep doing, how often and when (a weekly slot, a monthly check), and put the first one in your calendar.
20 | Thank someone who helped along the way | A message or a call that says what they did and what difference it made.
25 | Write down what this goal taught you | What worked, what you would do differently, and three lessons to take into your next goal.
"""),
    "support": rows("""
10 | Set up a simple progress tracker | A paper tally, a phone note or marks in a calendar: one mark per session and one line on what you did. Seeing the marks add up keeps you going.
5 | Put your success markers where you will see them | A card by your desk, the fridge door or your phone's lock screen, so each session starts from the same picture of done.
10 | Check whether any part needs expert advice | If the goal touches your health, money, legal matters or other people's safety, note who to ask (a doctor, an adviser, an organiser) before the big steps.
10 | Ask someone to check in on you weekly | A friend, colleague or family member who will ask how the week went; reporting to someone makes following through more likely.
5 | Write the two-minute version for bad days | The smallest action that still counts (one email, one shelf, one page), so a bad day bends the rhythm instead of breaking it.
10 | Lay out what the next session needs | Materials, files, contacts or clothes ready where you will start, so starting costs nothing.
15 | Learn from someone who has done it | An interview, a forum thread, a video or a chapter by someone who reached a similar goal; note one thing they wish they had known sooner.
"""),
}

"""A practical skill learned by doing: swimming, baking bread, cooking, driving, sewing. Not a
subject to memorise but a movement or a process to get right, so the plan is built on doing
with feedback: a teacher to copy from day one and the safety basics in place, a rough first try
at the whole thing early, the technique broken into parts and drilled slowly (whole, part,
whole), whole attempts again as soon as the parts hold, then short and frequent practice with a
log of every attempt, one variable changed at a time, recordings or photos to compare and a
teacher's eye every few weeks, and finally a showcase in real conditions in front of someone: a
25 m swim, a loaf for friends, a dinner cooked for four.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "A first lesson, the right kit and a safe place to practise",
        "The quickest way to learn to {skill} is to be shown and then corrected: book one lesson "
        "or a class, or pick a single video course with clear demonstrations, so you copy sound "
        "technique from the start instead of unlearning habits later. Put safety first, whichever "
        "applies: a lifeguarded pool for swimming, a qualified instructor (with the permit and "
        "insurance in place) for driving, a probe thermometer, a sharp knife and oven gloves in "
        "the kitchen, and the safety page of a machine's manual before you switch it on. Get only "
        "the kit the first lessons need and fix a slot of {minutes} minutes on 4–5 days a week."
        + DONE
        + "the first lesson is done or booked, the kit is ready, and the safety basics are in "
        "place.",
    ),
    (
        1.5,
        "Break the technique into parts and drill each one",
        "After a first rough try at the whole thing, split the basic technique into the 3–5 "
        "parts your teacher names (for swimming: floating, breathing out under water, kick, arms; "
        "for bread: starter, mix, folds, shaping, bake) and drill them one at a time. Go slowly "
        "and correctly in 10–15 minute blocks and stop before you get sloppy: speed comes from "
        "clean repetitions, not rushed ones. Log every session: what you did, what you changed, "
        "how it came out." + DONE + "you can do each part on its own, slowly and correctly, "
        "three times in a row.",
    ),
    (
        2.5,
        "Whole attempts early, rough on purpose",
        "Put the parts together at an easy level: a width of the pool, one loaf, a simple recipe "
        "from start to finish, a short loop on quiet roads with your instructor, a cushion cover. "
        "Photograph or record each attempt, log it, and pick the one thing to change next time. "
        "Expect it to be rough: a whole attempt shows what drilling the parts alone missed."
        + DONE
        + "you have made at least three complete attempts and logged each one.",
    ),
    (
        3,
        "Short, frequent practice with an attempt log",
        "Practise for {minutes} minutes on 4–5 days a week rather than once for hours: a few "
        "minutes on one part, then whole attempts. Log every attempt (date, what you changed, a "
        "result from 1 to 5, one note) and record or photograph one a week. Keep the other "
        "conditions steady so the log can show what helps." + DONE + "you have practised on 4–5 "
        "days a week for {span} with every attempt logged, and the latest attempts score clearly "
        "better than the first.",
    ),
    (
        3,
        "Fix one fault at a time, with feedback",
        "Take the fault that hurts the result most (from your log, your recordings or your "
        "teacher) and change one variable at a time — breathing timing, dough hydration, heat, "
        "hand position, speed — so you know what made the difference. Get outside feedback every "
        "2–3 weeks: a lesson, a class, or someone better watching one attempt. Step up the "
        "difficulty only when the current level works three times in a row." + DONE + "the two "
        "biggest faults from your early recordings are gone in three attempts in a row.",
    ),
    (
        1.5,
        "Make it reliable in real conditions",
        "Do the whole thing at real pace, without prompts or notes, where it will count: deeper "
        "water with a lifeguard on duty, mixed traffic with your instructor, an ordinary "
        "weeknight's cooking, real fabric instead of scraps. Compare your first and latest "
        "recordings side by side, and plan the showcase: what, when and who will be there."
        + DONE
        + "three of your last four attempts were good enough to show, and the showcase has a "
        "date.",
    ),
    (
        1,
        "Showcase: do it for real, in front of someone",
        "Do what you set out to learn, for real: swim 25 m without stopping, bake a loaf for "
        "friends, cook dinner for four, drive a route your instructor marks like a test, or wear "
        "a garment you made. Rehearse it once a few days before, keep the day itself simple, and "
        "photograph or record it."
        + DONE
        + "your showcase is done{by_target} in front of at least one person, "
        "and you have written down the next step in learning to {skill}.",
    ),
)

BANKS = {
    "start": rows("""
30 | Book a first lesson or choose one teacher | A class, a private lesson or one video course with clear demonstrations: the quickest way to learn to {skill} is to be shown, then corrected. Do the first session, or watch the start of the course, today.
20 | Set up the safety basics | Swimming: a lifeguarded pool, starting in the shallow end; driving: a qualified instructor or supervisor, with the permit and insurance in place. Kitchen: a probe thermometer, a sharp knife and oven gloves; tools and machines: read the safety page first.
25 | Gather the kit and set up your space | Only what the first lessons need (goggles, a scale and a big bowl, needles and thread), kept where practice costs no set-up.
15 | Start your attempt log | A notebook or phone note with columns: date, what you tried, what you changed, a result from 1 to 5, one thing for next time. Your first attempt will be the first entry.
45 | Make a first complete attempt | The whole thing once, start to finish, at an easy level, as a baseline: a width of the shallow end, one loaf, a simple recipe, a short loop on quiet roads with your instructor, a cushion cover. Rough is fine and shows which parts to drill; record it and log it.
20 | Break the basic technique into parts | Write down the 3–5 parts your teacher or method names, in order, each with one cue to remember (breathe out under water; fold, don't knead; guide the fabric, don't pull it).
30 | Drill the first part slowly | 10 slow, correct repetitions with full attention, stopping before you get sloppy. Film or photograph the last one.
"""),
    "core": rows("""
30 | Practise one part, then the whole | 10 minutes on the part that failed last time, then 2–3 complete attempts, each one logged.
40 | Do a complete attempt and log it | Start to finish at today's level; write down what you changed and how it came out before anything else.
30 | Change one variable and compare | One thing from your log (timing, temperature, hydration, hand position, speed) and nothing else; then compare the result with your last attempt.
20 | Record an attempt and compare it | Film it from the side or photograph the result, and put it next to your teacher's demonstration or a reference photo; note the single biggest difference.
45 | Get feedback from a teacher | A lesson, a class, or someone more experienced watching one attempt: ask for the one fault to fix first and write it in your log.
30 | Drill your biggest fault | The fault that shows up most in your log: slow down, 10 focused repetitions, then one complete attempt to test the fix.
35 | Step up the difficulty a little | Only if the current level worked three times in a row: 5 m further, a recipe with one new technique, a busier road with your instructor, a pattern with a zip.
"""),
    "finish": rows("""
45 | Do a full run-through without help | The whole thing at real pace with no prompts, notes or pauses, exactly as you will for the showcase.
40 | Practise in real conditions | Where it will count: deeper water with a lifeguard on duty, mixed traffic with your instructor, an ordinary weeknight's cooking, real fabric instead of scraps.
20 | Compare your first and latest attempts | Your first photo or recording beside today's: write down three things that improved and the one still to polish.
25 | Plan your showcase | What, when and who will be there: swim 25 m, bake a loaf for friends, cook dinner for four, drive a route your instructor marks like a test, or wear a garment you made. Write down what good enough looks like.
40 | Rehearse your showcase | Exactly as on the day, timed and from start to finish; fix only what actually went wrong.
45 | Show someone what you can do | One complete attempt in front of a friend or family member; ask what they noticed and add it to your log.
15 | Choose your next learning step | From your log, the next level (a new stroke, a rye loaf, a new cuisine, motorway lessons, a lined jacket) and the first lesson for it.
"""),
    "support": rows("""
10 | Write your safety rules on a card | The 2–3 rules that keep you safe (never swim alone; chicken to 75 °C in the thickest part; fingers clear of the needle; mirrors before every move), kept where you practise.
10 | Watch an expert in slow motion | One short clip of the part you are working on, at half speed; note one detail you had missed.
10 | Lay out the kit for your next session | Everything ready where you practise: the easier the start, the more often you practise.
10 | Rehearse the technique in your head | Eyes closed, go through every part in order at real speed, feeling each cue: mental rehearsal adds to physical practice.
15 | Look up the fault you log most | Search for it by name (sinking legs, dense crumb, puckered seams, stalling at junctions) and note the usual fix to try next time.
10 | Ask one question in a learners' group | A forum, a class or a friend who can already do it: one specific question taken from your log.
10 | Read your attempt log from the start | Note three things that have improved since the first entry: progress is easy to miss from day to day.
"""),
}

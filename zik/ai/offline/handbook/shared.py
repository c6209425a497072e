"""The offline provider's knowledge, as data: word lists, phase templates and task banks.

Kept apart from `planner.py` so the logic stays short and the plans can be read (and improved)
like a coaching handbook. Placeholders in braces are filled by `planner.py` and `coach.py`:

- roadmaps: {subject} {Subject} {goal} {span} {minutes} {by_target} {action}, and for fitness
  {sport} {activity} {base_long} {peak_long} {intervals} {nutrition};
- tasks: the same, and {the_subject} (with its article: "the half marathon"), {milestone},
  {done_when}, {n} (the day of the milestone) and {m} (the minutes given to the task).

Every phase template has exactly 7 phases, `(weight, title, description)`, in the order they are
lived; the weight sizes a phase against the others (ramp phases light, core phases heavy).
"""

from __future__ import annotations

from typing import Any

from zik.ai.offline.tables import DONE
from zik.ai.offline.tables import pattern as _pattern
from zik.ai.offline.tables import rows as _rows


def _split(words: str) -> frozenset[str]:
    """A set of words written as one string, for tables that are easier to read as prose."""
    return frozenset(words.split())


KINDS = (
    "learning",
    "fitness",
    "career",
    "creative",
    "habit",
    "project",
    "finance",
    "relationships",
    "travel",
    "general",
)

# Equal scores go to the kind listed first: a concrete body or study goal beats a vague one.
KIND_ORDER = ("fitness", "learning", "career", "creative", "finance", "habit", "project", "general")

DEFAULT_DAYS = {
    "fitness": 84,
    "learning": 90,
    "habit": 66,
    "project": 60,
    "career": 90,
    "creative": 90,
    "finance": 180,
    "relationships": 90,
    "travel": 120,
    "general": 60,
}

# Below these many days a goal of the kind is squeezed past what a plan can do well, and
# `zik quest new` says so (a race has its own, in RACES). Rough, on purpose: a warning, not a rule.
MIN_DAYS = {
    "fitness_race": 28,
    "fitness_body": 28,
    "learning_language": 30,
    "creative_practice": 30,
    "learning": 14,
    "habit": 21,
    "habit_quit": 21,
    "career": 21,
    "creative": 14,
    "project": 7,
    "finance": 14,
    "general": 3,
}

# Words of a category, mapped to the kinds they name. Several kinds: the goal's words choose
# among them (the first wins when the words say nothing). Unlisted words ("Other", "general")
# leave the choice to the goal's words.
CATEGORY_KINDS = {
    "fitness": ("fitness",),
    "health": ("fitness",),
    "sport": ("fitness",),
    "sports": ("fitness",),
    "exercise": ("fitness",),
    "running": ("fitness",),
    "gym": ("fitness",),
    "wellness": ("fitness", "habit"),
    "wellbeing": ("fitness", "habit"),
    "learning": ("learning",),
    "education": ("learning",),
    "language": ("learning",),
    "languages": ("learning",),
    "study": ("learning",),
    "school": ("learning",),
    "skills": ("learning",),
    "skill": ("learning",),
    "career": ("career",),
    "work": ("career",),
    "job": ("career",),
    "professional": ("career",),
    "business": ("career", "project"),
    "creative": ("creative",),
    "creativity": ("creative",),
    "art": ("creative",),
    "arts": ("creative",),
    "music": ("creative",),
    "writing": ("creative",),
    "hobby": ("creative",),
    "hobbies": ("creative",),
    "habit": ("habit",),
    "habits": ("habit",),
    "mindfulness": ("habit",),
    "lifestyle": ("habit", "project"),
    "growth": ("general", "habit", "learning"),
    "project": ("project",),
    "projects": ("project",),
    "home": ("project", "habit"),
    "diy": ("project",),
    "tech": ("project",),
    "startup": ("project",),
    "finance": ("finance",),
    "finances": ("finance",),
    "financial": ("finance",),
    "money": ("finance",),
    "savings": ("finance",),
    "budget": ("finance",),
    "investing": ("finance",),
    "saving": ("finance",),
    "debt": ("finance",),
    "travel": ("travel",),
    "travelling": ("travel",),
    "traveling": ("travel",),
    "adventure": ("travel", "fitness"),
    "relationships": ("relationships",),
    "relationship": ("relationships",),
    "family": ("relationships",),
    "parenting": ("relationships",),
    "love": ("relationships",),
    "social": ("relationships", "general"),
    "friends": ("relationships",),
    "reading": ("habit", "learning"),
    "books": ("habit", "creative"),
    "diet": ("fitness",),
    "nutrition": ("fitness",),
    "weight": ("fitness",),
    "exam": ("learning",),
    "exams": ("learning",),
    "certification": ("learning", "career"),
    "crafts": ("creative", "project"),
    "craft": ("creative", "project"),
    "making": ("project", "creative"),
    "entrepreneurship": ("project", "career"),
    "side": ("project",),
}

LANGUAGES = _split(
    "spanish french german italian portuguese japanese chinese mandarin cantonese korean arabic "
    "russian dutch swedish norwegian danish finnish polish greek turkish hindi hebrew vietnamese "
    "thai indonesian czech ukrainian irish welsh latin esperanto swahili tagalog persian farsi "
    "urdu bengali catalan romanian hungarian asl bsl"
)

INSTRUMENTS = _split(
    "guitar piano drums drum violin cello ukulele bass saxophone sax flute trumpet keyboard "
    "harmonica banjo singing sing voice dance dancing"
)

# Words of a goal and what they weigh toward a kind. "word*" matches as a prefix, "two words"
# as a phrase, ":n" gives the weight (1 without). Words of the goal's name count double.
KIND_WORDS = {
    "fitness": (
        "run, runs, running, runner, jog*, marathon:3, half-marathon:3, 5k:3, 10k:3, 21k:3, "
        "triathlon:3, ultra:2, race:2, gym:2, workout*, exercis*, fit, fitness:2, fitter, "
        "weight:2, weights, lift*, lose, kg, kgs, lbs, muscle*:2, strength:2, stronger, swim*, "
        "cycl*, bike, biking, hike, hiking, yoga, pilates, cardio, squat*, deadlift*, push-up*, "
        "pushup*, pull-up*, pullup*, steps, abs, shape, athletic, sport*, climb*, bench, "
        "in shape:2, body fat:2"
    ),
    "learning": (
        "learn*:2, study*, exam:2, exams, course*, certif*:2, degree, read, reading, language:2, "
        "languages, fluent:2, fluency, vocabulary, grammar, skill*, understand, math*, physics, "
        "chemistry, history, programming, coding, code, python, javascript, university, "
        "college, school, lesson*, tutor*, knowledge, master, "
        + ", ".join(f"{word}:2" for word in LANGUAGES)
    ),
    "career": (
        "job:2, jobs, career:2, promot*:2, interview*, resume, cv, linkedin, salary, raise, "
        "hired, hire, manager, management, leader*, senior:2, role, position, offer, network*, "
        "boss, profession*, employ*, freelanc*, mentor*, new job:2"
    ),
    "creative": (
        "writ*, novel:3, story, stories, poem*, poetry, paint*, draw*, sketch*, art, artist, "
        "music*, album:2, song*, compose*, film*, photo*, podcast, blog, craft*, knit*, sew*, "
        "pottery, ceramic*, screenplay, comic*, illustrat*, danc*, "
        + ", ".join(f"{word}:2" for word in INSTRUMENTS)
    ),
    "habit": (
        "habit:3, habits:3, daily:2, every day:2, everyday:2, each day, every morning:2, "
        "every night:2, each morning, routine*, meditat*:2, mindful*, quit:2, stop, smok*:2, "
        "drink*, alcohol, sugar, caffeine, sleep*:2, wake, early, journal*:2, gratitude, floss*, "
        "screen time:2, social media, water, procrastinat*, no more, pray*, streak, less"
    ),
    "project": (
        "build*, launch*:2, app:2, apps, website:2, site, startup:2, product, ship, mvp, "
        "prototype, project:2, side project:2, open-source, game, event, saas, plugin, tool, "
        "software, platform"
    ),
    "finance": (
        "money:2, invest*:2, budget*:2, retire*, pension, mortgage, income, spending, "
        "expenses, financ*, stock*, crypto, tax*, net worth:2, portfolio, index fund*:2"
    ),
}

# Words that send a kind to a more specific phase template.
RACE_WORDS = (
    "run*, jog*, marathon*, half-marathon, 5k, 10k, 21k, 42k, race, triathlon*, ultra*, swim*, "
    "cycl*, bike, ride, riding, parkrun, duathlon, ironman"
)
QUIT_WORDS = "quit, stop, smok*, vap*, give up, cut out, cut down, no more, less, fewer, reduce"

# Leading words stripped from a goal name to find its subject ("Learn Spanish" -> "Spanish").
LEAD_WORDS = _split(
    "a an the my our your some to for how of finally really actually be become get got "
    "start begin learn learning study master improve build create make write finish "
    "complete run do train reach achieve land find pass save pay off lose gain launch play "
    "speak read promoted promotion new job role position as fluent in able at with "
    "renovate develop ship record paint draw design earn set up open invest own swim cycle "
    "ride walk climb hike organize organise declutter clean"
)
QUIT_LEAD_WORDS = _split(
    "quit stop give up cut out down reduce less fewer no more drinking drink eating eat my spend "
    "spending time on"
)

# Words that cannot stand alone as a subject ("Get fit" is then quoted whole).
WEAK_SUBJECTS = _split(
    "fit fitter stronger healthier healthy better shape started organized organised happier "
    "more less it"
)

# Verbs that are lowercased when a name is used mid-sentence ("Meditate daily" -> "meditate daily").
COMMON_VERBS = LEAD_WORDS | _split(
    "meditate journal sleep wake walk stretch floss drink eat exercise practice practise pray "
    "quit stop cook go spend call meet travel visit"
)

# Trailing phrases dropped from a habit to name its daily action ("Meditate every day" -> meditate).
FREQUENCY_TAIL = (
    r"\s+(?:every|each|a|per)\s+(?:single\s+)?(?:day|morning|evening|night|week)\b.*$"
    r"|\s+daily\b.*$|\s+(?:in the|before|after)\s+(?:morning|evening|bed|work|breakfast)\b.*$"
)
# Trailing deadlines dropped from every subject ("Run a marathon by May" -> marathon).
DEADLINE_TAIL = (
    r"\s+(?:by|before|until|within)\s+\S.*$"
    r"|\s+(?:this|next)\s+(?:year|month|week|spring|summer|autumn|fall|winter)\b.*$"
    r"|\s+in\s+\d+\s+(?:days?|weeks?|months?|years?)\b.*$"
)

# Race facts by event, the first whose words match: the long session at the end of the base
# phase and at the peak, the goal-pace work, the peak long-session minutes, extra minutes on easy
# days, and the minutes the race itself takes.
RACES = (
    {
        "words": ("ultra",),
        "min_days": 168,  # the shortest sensible build-up, below which `quest new` warns
        "base_long": "about 2 hours",
        "peak_long": "back-to-back long runs of 3–5 hours on a weekend",
        "intervals": "hill repeats and long blocks at race effort",
        "peak_minutes": 240,
        "extra_minutes": 20,
        "race_minutes": 480,
    },
    {
        "words": ("half", "half-marathon", "21k"),
        "min_days": 56,
        "base_long": "10–12 km",
        "peak_long": "18–20 km",
        "intervals": "5 × 1 km at goal pace with 2 minutes jogging, building to 3 × 3 km",
        "peak_minutes": 120,
        "extra_minutes": 5,
        "race_minutes": 150,
    },
    {
        "words": ("marathon", "42k"),
        "min_days": 112,
        "base_long": "16–18 km",
        "peak_long": "30–32 km",
        "intervals": "3 × 3 km at goal marathon pace, building to 12–16 km at marathon pace "
        "inside a long run",
        "peak_minutes": 180,
        "extra_minutes": 15,
        "race_minutes": 300,
    },
    {
        "words": ("10k",),
        "min_days": 35,
        "base_long": "6–8 km",
        "peak_long": "12–14 km",
        "intervals": "6 × 800 m at goal 10k pace with 90 seconds jogging",
        "peak_minutes": 80,
        "extra_minutes": 0,
        "race_minutes": 70,
    },
    {
        "words": ("5k", "parkrun"),
        "min_days": 21,
        "base_long": "5 km at an easy pace",
        "peak_long": "8–10 km",
        "intervals": "8 × 400 m at goal 5k pace with 200 m jogging",
        "peak_minutes": 60,
        "extra_minutes": 0,
        "race_minutes": 40,
    },
    {
        "words": ("triathlon", "ironman", "duathlon"),
        "min_days": 84,
        "base_long": "a 60–90 minute ride and a 45 minute run",
        "peak_long": "a long brick session (a ride followed straight away by a run)",
        "intervals": "race-effort intervals in each discipline",
        "peak_minutes": 150,
        "extra_minutes": 10,
        "race_minutes": 240,
    },
    {  # any other event
        "words": (),
        "base_long": "half of your peak long session",
        "peak_long": "a session 20–30% longer than the event itself",
        "intervals": "4–6 × 4 minutes at race effort with 2–3 minutes easy",
        "peak_minutes": 90,
        "extra_minutes": 0,
        "race_minutes": 120,
    },
)

NUTRITION = {
    "lose": (
        "Eat in a moderate deficit (about 300–500 kcal a day below maintenance), with protein at "
        "every meal (around 1.6 g per kg of body weight a day) and vegetables at most meals."
    ),
    "gain": (
        "Eat in a small surplus (about 200–300 kcal a day) with 1.6–2.2 g of protein per kg of "
        "body weight a day, spread over 3–5 meals; sleep 7–9 hours."
    ),
    "default": (
        "Keep food simple: protein at every meal, mostly whole foods, water before coffee, and "
        "7–9 hours of sleep — recovery is where the training pays off."
    ),
}
LOSE_WORDS = _split("lose losing weight fat kg kgs lbs pounds slim lean")
GAIN_WORDS = _split("muscle muscles bulk gain mass bigger stronger strength")

# The most days a phase can usefully take, however far the target: a taper longer than three
# weeks loses fitness, and race week is a week. Days beyond a cap go to the other phases.
PHASE_CAPS = {"fitness_race": {5: 21, 6: 7}, "fitness_body": {5: 10}}

_DONE = DONE

# The plans whose days are a weekly training schedule (coach._fitness), not task banks.
TRAINING_PLANS = ("fitness_race", "fitness_body")

PHASES = {
    "fitness_race": (
        (
            2,
            "Baseline and easy start toward the {subject}",
            "Find your starting point and make {activity} a routine. Do 3 easy sessions a week of "
            "20–30 minutes at a conversational pace (you can speak in full sentences); walk breaks "
            "are fine. Time one easy 2–3 km as your baseline and add a 15-minute strength routine "
            "(squats, lunges, calf raises, plank) once a week. Leave a rest day between sessions if "
            "you are new to this." + _DONE + "you have trained 3 times a week for {span} with no "
            "pain lasting into the next day, and your baseline is written down.",
        ),
        (
            3,
            "Aerobic base for the {subject}",
            "Build the engine: 3–4 sessions a week, at least 80% of them easy. Grow weekly time by "
            "no more than about 10% a week and make every fourth week a lighter cutback week "
            "(20–30% less). One long {sport} every weekend, 10 minutes longer each week; strength "
            "twice a week to protect knees and ankles." + _DONE + "you train 3–4 times a week "
            "comfortably and your long {sport} has reached {base_long}.",
        ),
        (
            3,
            "Build phase: strides and tempo for the {subject}",
            "Add quality while keeping most training easy. Once a week a tempo session: 10 minutes "
            "easy, 15–25 minutes comfortably hard (a few words at a time, not sentences), 10 "
            "minutes easy. Finish one easy session a week with 4–6 × 20-second strides. The long "
            "{sport} keeps growing by about 10 minutes a week." + _DONE + "you have done the tempo "
            "session every week of this block and recover from it within a day.",
        ),
        (
            3,
            "Race-specific work for the {subject}",
            "Train the pace you want to race: one interval session a week at goal pace ({intervals}), "
            "the tempo session every other week, and the long {sport}. Practise race-day fuelling "
            "on long sessions over 75 minutes (water and 30–60 g of carbohydrate an hour) in the "
            "kit you will race in." + _DONE + "you hold goal pace through the intervals with even "
            "splits and your fuelling plan works without stomach trouble.",
        ),
        (
            2.5,
            "Peak block: longest sessions before the {subject}",
            "The hardest weeks: the long {sport} peaks at {peak_long}, the last part of one of them "
            "at goal pace, with one quality session and easy days in between. Sleep 7–9 hours and "
            "eat enough carbohydrate; a sharp or worsening pain means a day off, not a push."
            + _DONE
            + "you have completed your peak long {sport} and a goal-pace session in the same week "
            "and felt in control.",
        ),
        (
            1.2,
            "Taper: arrive fresh for the {subject}",
            "Cut weekly volume by 30–50% while keeping short goal-pace segments so your legs stay "
            "sharp. No new shoes, food or training ideas. Write the race plan: kit, travel, start "
            "time, breakfast, and pacing (start slightly slower than goal pace for the first "
            "quarter, then settle)." + _DONE + "you feel fresh and restless, the race plan is "
            "written, and every piece of kit has been tested on a long session.",
        ),
        (
            0.8,
            "Race week: the {subject}",
            "Two or three short easy sessions with a few strides, a rest day before the race, "
            "carbohydrate-rich meals in the last two days, and kit laid out the night before. On "
            "race day follow your pacing and fuelling plan. Afterwards, a week of easy walking or "
            "jogging to recover." + _DONE + "you have crossed the finish line{by_target} and "
            "written down what you would keep and change for the next one.",
        ),
    ),
    "fitness_body": (
        (
            1.5,
            "Baseline: measure where you start",
            "Record your starting point: body weight (3 mornings, averaged), waist, a "
            "photo, and simple tests — most push-ups in a row, squats in one minute, plank hold, "
            "and how far you walk or jog in 20 minutes. Put 3 training slots a week in your "
            "calendar." + _DONE + "your baseline numbers are written down and you have trained on "
            "3 separate days.",
        ),
        (
            2.5,
            "Learn the movement patterns",
            "Three full-body sessions a week with light loads: squat, hinge (hip hinge or "
            "deadlift), push (push-up or press), pull (row), a loaded carry and a core exercise — "
            "2 sets of 10–12, stopping 2 reps short of failure. Walk 20–30 minutes on other days "
            "(aim for 7,000+ steps)." + _DONE + "every movement feels controlled and you have not "
            "missed more than one planned session.",
        ),
        (
            3,
            "Consistency block: three sessions a week",
            "Same movements, 3 sets of 8–12, every set written down. {nutrition}" + _DONE + "you "
            "have trained 3 times a week for {span} and logged your food or habits on most days.",
        ),
        (
            3,
            "Progressive overload",
            "Make it harder on purpose: when you complete all sets at the top of the rep range, add "
            "weight next time (2.5–5 kg lower body, 1–2.5 kg upper body) or add reps. Add two "
            "20–30 minute conditioning sessions a week (intervals, incline walking, cycling). "
            "{nutrition}" + _DONE + "your main lifts are up 10–20% on the first weeks and the "
            "weekly check-in trend moves toward your goal.",
        ),
        (
            2.5,
            "Push phase: the last big gains",
            "Four sessions a week if you recover well (upper/lower split), heavier sets of 5–8 on "
            "the main lifts, conditioning kept. Weigh or measure once a week; if the trend stalls "
            "for two weeks, adjust food by about 200 kcal a day or add 2,000 steps."
            + _DONE
            + "you "
            "have hit your planned sessions and your numbers are at least halfway from the baseline "
            "to the goal.",
        ),
        (
            1,
            "Deload and retest",
            "One lighter week (half the sets, same weights) to let your body catch up, then repeat "
            "the baseline: weight, waist, photo, push-ups, squats in a minute, plank, 20-minute "
            "distance."
            + _DONE
            + "the retest sits next to the baseline and you can see what moved.",
        ),
        (
            1.5,
            "Lock it in for good",
            "Set the routine you will keep after the goal: sessions you enjoy three times a week, "
            "a way of eating you can live with, and a monthly check-in." + _DONE + "your goal is "
            "reached or measurably closer{by_target}, and the next four weeks of training are in "
            "your calendar.",
        ),
    ),
    "learning_language": (
        (
            1.5,
            "Set up your {subject} routine and baseline",
            "Pick one main course with a clear sequence (a textbook or an app), a spaced-repetition "
            "deck of the most frequent {subject} words, and something you enjoy listening to in "
            "{subject} (a learner podcast or YouTube channel). Take a free placement test for a "
            "baseline level (A1–C2) and fix a daily slot of {minutes} minutes." + _DONE + "the "
            "resources are chosen, your level is recorded, and you have studied on 5 of the first 7 "
            "days.",
        ),
        (
            2.5,
            "{Subject} sounds and the first 500 words",
            "Learn the sound system by shadowing short clips (listen, repeat aloud, record "
            "yourself), survival phrases, and the 500 most frequent words in daily flashcards. "
            "Grammar: present tense of regular verbs and the 10 most common irregular ones, "
            "articles and gender, questions."
            + _DONE
            + "you can introduce yourself, ask and answer "
            "simple questions, and recognise 500 words.",
        ),
        (
            3,
            "Core {subject} grammar and 1,000 words",
            "Past and future tenses, pronouns and the common sentence patterns; grow your deck to "
            "about 1,000 words, learned in sentences rather than lists. Write 5–10 sentences a day "
            "with the new grammar and get them corrected (a tutor, a language exchange or a "
            "corrector)." + _DONE + "you can talk about yesterday and tomorrow in simple sentences "
            "and read a graded reader at your level.",
        ),
        (
            3,
            "Listening and speaking practice in {subject}",
            "Speak every week: 2–3 conversations (a tutor, an exchange partner, or 5 minutes "
            "talking to yourself on a topic), daily learner podcasts, shadowing. Note each word you "
            "needed and lacked, and add it to your deck." + _DONE + "you hold a 10-minute "
            "conversation on everyday topics without switching language.",
        ),
        (
            2.5,
            "Immersion: use {subject} every day",
            "Move part of your day into {subject}: your phone's language, a series with {subject} "
            "subtitles, news for learners, a diary of 5 sentences a day, thinking aloud while you "
            "cook or walk." + _DONE + "you follow most of a learner podcast without a transcript "
            "and write half a page without a dictionary.",
        ),
        (
            2,
            "Consolidate {subject}: fill the gaps",
            "Go back over your correction notes and the grammar you still get wrong, retire the "
            "easy flashcards, and rework early lessons quickly to check nothing slipped."
            + _DONE
            + "your review backlog is empty and you can retell a short article in {subject}.",
        ),
        (
            1.5,
            "{Subject} check: a real conversation and a level test",
            "Have a 20–30 minute conversation with a native speaker or tutor and retake the "
            "placement test to compare with your baseline." + _DONE + "both are done{by_target}, "
            "you know your new level, and you have a plan for the next one.",
        ),
    ),
    "learning": (
        (
            1.5,
            "Map out {subject} and take a baseline",
            "Write in one sentence what you want to be able to do at the end. Choose one main resource (a course, book or "
            "syllabus) and one practice source (exercises, past papers, real problems). List the "
            "topics, mark each known, shaky or new, and try a baseline test or a small real task. "
            "Fix a daily slot of {minutes} minutes." + _DONE + "the topic list, your resources and "
            "the baseline result are written down.",
        ),
        (
            2.5,
            "Foundations of {subject}",
            "Work through the fundamentals in order, little and often: new material in the first "
            "half of a session, active recall in the second (close the book, write or say what you "
            "remember). Turn key facts into spaced-repetition flashcards and review them daily."
            + _DONE
            + "you can explain the basics of {subject} in your own words without notes.",
        ),
        (
            3,
            "Core {subject} skills",
            "Cover the topics most of the goal depends on. Mix problems from different topics "
            "instead of blocks of one kind, attempt exercises before reading the answers, and keep "
            "an error log: every mistake and why it happened." + _DONE + "you solve typical "
            "exercises on every core topic at least 70% of the time.",
        ),
        (
            3,
            "Deliberate practice on the weak spots",
            "Practise at the edge of your ability: timed exercises, harder problems, and the weak "
            "topics from your error log first. Get feedback from answer keys, a teacher, a study "
            "group or a forum." + _DONE + "the shaky topics from your baseline have moved to known "
            "and the same mistakes stop repeating in your error log.",
        ),
        (
            2.5,
            "Use {subject} on something real",
            "Apply it end to end: a small project, a full mock test under exam conditions, teaching "
            "a friend, or a written summary someone else can follow." + _DONE + "you have one "
            "finished piece of work that uses {subject} from start to finish.",
        ),
        (
            2,
            "Consolidate and fill the gaps in {subject}",
            "Review everything once more with spaced repetition, redo every item in your error log "
            "and write a one-page summary per topic." + _DONE + "you can answer questions on every "
            "topic from memory and your flashcard backlog is empty.",
        ),
        (
            1.5,
            "Show what you know: {subject}",
            "Prove it: sit the exam, take a full practice test under real conditions, or "
            "demonstrate the skill to someone, then compare with your baseline." + _DONE + "the "
            "assessment is done{by_target} and you have a short list of what to keep practising.",
        ),
    ),
    "creative_practice": (
        (
            1.5,
            "Set up your {subject} practice",
            "Get the instrument or space ready (tuned, comfortable, always in reach), choose one "
            "method (a book, course or teacher), and fix a daily practice slot of {minutes} "
            "minutes. Record yourself once as a baseline." + _DONE + "the set-up is done, the "
            "baseline recording exists, and you have practised on 5 of 7 days.",
        ),
        (
            2.5,
            "{Subject} fundamentals",
            "Posture, technique and the first building blocks (chords, scales, steps or exercises) "
            "slowly and cleanly: 10 minutes of technique at the start of every session, with a "
            "metronome or a count. Short daily sessions beat long weekly ones."
            + _DONE
            + "you play "
            "or perform the basics cleanly at a slow, steady tempo.",
        ),
        (
            3,
            "Your first complete {subject} piece",
            "Choose one simple piece you love and learn it section by section: slow, then up to "
            "speed in small steps (+4–5 bpm when it is clean three times in a row). Loop the hard "
            "bars separately." + _DONE + "you get through the whole piece without stopping.",
        ),
        (
            3,
            "Build a {subject} repertoire",
            "Learn 3–5 more pieces of rising difficulty while technique keeps growing; revisit old "
            "pieces weekly so they stay alive." + _DONE + "you have a set of at least three pieces "
            "you can play or perform on demand.",
        ),
        (
            2.5,
            "Make it musical: record and refine",
            "Record yourself every week and listen back for timing, tone and expression; fix one "
            "thing per week. Get one lesson or feedback session from someone better than you."
            + _DONE
            + "this week's recording is clearly better than the baseline.",
        ),
        (
            1.5,
            "Performance practice",
            "Perform your set in practice conditions: start to finish without stopping, for a "
            "friend, on a video call, or into a camera. Practise recovering from mistakes."
            + _DONE
            + "you have performed the full set twice for someone else.",
        ),
        (
            1,
            "Perform your {subject} set for an audience",
            "Play or perform for an audience: friends, an open mic, a recital or a posted video."
            + _DONE
            + "the performance has happened{by_target} and you have picked what to learn "
            "next.",
        ),
    ),
    "creative": (
        (
            1.5,
            "Set up your {subject} practice",
            "Decide the scope (length, number of pieces, style), set up your space and tools, and "
            "fix a daily creative slot of {minutes} minutes. Collect 5–10 references you admire and "
            "note what you like in each."
            + _DONE
            + "the scope fits in one sentence, your tools are "
            "ready, and you have shown up on 5 of 7 days.",
        ),
        (
            2,
            "Skills and sketches for the {subject}",
            "Short daily exercises to build the craft: studies, prompts, copies of work you admire. "
            "Volume over perfection — many small pieces, none precious." + _DONE + "you have at "
            "least 10 small exercises and can name two techniques that improved.",
        ),
        (
            3,
            "First draft of the {subject}",
            "Make the whole thing roughly first: a draft, demo or set of sketches from start to "
            "end, without editing as you go. Track output daily (words, minutes, pieces)."
            + _DONE
            + "at least half of the first draft exists, however rough.",
        ),
        (
            3,
            "Finish the draft and fix the structure",
            "Get to the end of the first draft, let it rest a few days, then revise the structure: "
            "order, shape, what is missing, what can go." + _DONE + "a complete draft exists and "
            "its structure works when you go through it in one sitting.",
        ),
        (
            2.5,
            "Develop and polish the {subject}",
            "Revise in passes — sections, then details — and ask 1–3 trusted people for feedback "
            "with specific questions." + _DONE + "the main feedback is addressed and each section "
            "has had a detail pass.",
        ),
        (
            1.5,
            "Produce the {subject} and prepare to share",
            "Final takes, renders, line edits or framing; then choose where it will be seen or "
            "heard (a publisher, platform, gallery, performance, friends) and prepare what that "
            "needs: formats, a description, photos, a submission letter." + _DONE + "a finished "
            "version exists and everything for sharing is ready.",
        ),
        (
            1,
            "Share the {subject}",
            "Release, submit, perform or publish it, tell people, and note the responses."
            + _DONE
            + "it is out in the world{by_target} and you have written down what you will make "
            "next.",
        ),
    ),
    "career": (
        (
            1.5,
            "Define the target and your gaps: {subject}",
            "Write down what you aim for (the role or level, the kind of company, the timeline) and "
            "find the real expectations: a career ladder, 5–10 job postings, or someone already "
            "there. Rate yourself 1–5 on each requirement with evidence and ask one or two people "
            "for honest feedback." + _DONE + "you have a one-paragraph target, the 5–8 skills it "
            "requires, and your top 2–3 gaps written down.",
        ),
        (
            3,
            "Close the biggest gap",
            "Work on the top gap every week through real work, not only courses: ask for the tasks "
            "that need the skill, get feedback on each, and add a course or book only where the "
            "work shows a hole." + _DONE + "the person who gave you feedback agrees the gap is "
            "smaller, with an example.",
        ),
        (
            3,
            "Build evidence on real work",
            "Own something visible that shows the target level: a project, a process you improve, "
            "a result with numbers, a portfolio piece or a certificate the role asks for."
            + _DONE
            + "you have one concrete piece of evidence that covers your top gap.",
        ),
        (
            3,
            "Make your work visible",
            "Keep a brag document (what you did, the result, the numbers), share progress in demos "
            "or team updates, and update your CV, LinkedIn or portfolio with the evidence."
            + _DONE
            + "the brag document has at least 5 entries with outcomes and your profile shows them.",
        ),
        (
            2.5,
            "Build support and network",
            "Hold 1:1 conversations: with your manager about the path to {subject} (“what would "
            "you need to see?”), with 3–5 people in the role or at target companies, and find a "
            "mentor or sponsor."
            + _DONE
            + "you have had at least 4 such conversations and know who "
            "will speak up for you.",
        ),
        (
            2,
            "Prepare the case for {subject}",
            "For a promotion: a packet mapping evidence to each expectation. For a job search: a "
            "tailored CV, 20 target roles, referrals asked for, and interview practice (STAR "
            "stories, technical or case questions, mock interviews)." + _DONE + "the packet or "
            "applications are complete and you have done two mock interviews or a packet review.",
        ),
        (
            1.5,
            "Make the move: {subject}",
            "Submit the applications or the promotion case, go through interviews or review, and "
            "negotiate (know your market range and your walk-away point)." + _DONE + "you have a "
            "decision{by_target} — the offer or promotion, or concrete feedback and a next date.",
        ),
    ),
    "habit": (
        (
            1.5,
            "{Subject}: start tiny",
            "Make it so small it is hard to fail: a two-minute version (one minute of breathing, "
            "one page, one push-up). Same time every day, tick it off — showing up matters more "
            "than the amount." + _DONE + "you have done the tiny version on at least 6 of every 7 "
            "days for {span}.",
        ),
        (
            2,
            "{Subject}: anchor it to a cue",
            "Attach it to something you already do daily (“after I pour my morning coffee, I "
            "will {action}”). Prepare the environment the night before and remove friction."
            + _DONE
            + "you do it straight after the cue on most days without having to remember.",
        ),
        (
            3,
            "{Subject}: grow the dose",
            "Increase gradually — about 10–20% a week, only when the current level feels easy "
            "(2 → 5 → 10 minutes). Keep a visible streak on paper or in an app." + _DONE + "you "
            "do the full version you aimed for on most days.",
        ),
        (
            2.5,
            "{Subject}: never miss twice",
            "Plan for lapses: an if-then plan for your three likeliest obstacles (travel, illness, "
            "late nights) and a minimum version for bad days. One miss is an accident; after a "
            "miss, do at least the tiny version the next day." + _DONE + "you have bounced back "
            "from a miss or a hard day within a day, and the plan is written down.",
        ),
        (
            2.5,
            "{Subject}: make it rewarding",
            "Make it satisfying: pair it with something you enjoy, notice how you feel right "
            "after, and tell a friend or join a group doing the same." + _DONE + "you have a "
            "visible record of most days and someone who knows about it.",
        ),
        (
            2,
            "{Subject}: review and adjust",
            "Read your record: which days failed and why? Change the time, cue or size so the "
            "habit fits your real week." + _DONE + "the changes are made and the last two weeks "
            "are your most consistent yet.",
        ),
        (
            1.5,
            "{Subject}: make it part of who you are",
            "Shift from goal to identity: “I am someone who does this.” Keep the minimum version "
            "for bad days and decide the long-term rhythm." + _DONE + "it runs on autopilot for "
            "{span}{by_target} and you know your plan for holidays and busy weeks.",
        ),
    ),
    "habit_quit": (
        (
            1.5,
            "Track your {subject} triggers and plan replacements",
            "Before changing anything, log every occurrence: when, where, with whom, the feeling "
            "just before and what it gave you. Then write an if-then plan for each top trigger with "
            "a replacement that gives a similar reward (a short walk, water, gum, 60 seconds of "
            "slow breathing, a message to a friend), and pick a stop date." + _DONE + "you have an "
            "honest log of at least 5 days, your top three triggers, and a plan for each.",
        ),
        (
            2.5,
            "Cut down on {subject} step by step",
            "Reduce in clear steps — drop the easiest occasions first — and use a replacement for "
            "each urge; urges peak and pass within about 10–20 minutes. Clear the cues from your "
            "surroundings and tell two people your date; where it applies, ask a doctor or "
            "helpline about support." + _DONE + "you are at half or less of your starting level "
            "for a whole week.",
        ),
        (
            3,
            "Stop day: the first week free of {subject}",
            "On the date, stop completely. Expect the first days to be the hardest: count them, "
            "reward day 3 and day 7, and lean on your replacements and people." + _DONE + "you "
            "have had 7 days free of {subject}.",
        ),
        (
            3,
            "The first weeks free of {subject}",
            "Stop completely (if you have not yet) and hold on through the hardest weeks: count "
            "the days, reward day 7 and 14, and use a replacement for every urge." + _DONE + "you "
            "have had 14 days in a row free of {subject}.",
        ),
        (
            2.5,
            "Handle the hard moments",
            "Prepare the high-risk situations (parties, stress, alcohol, certain places) with a "
            "script. A slip is not a relapse: write down what triggered it and restart within the "
            "hour." + _DONE + "you have been through a high-risk situation without {subject}, or "
            "recovered from a slip within a day.",
        ),
        (
            2,
            "Build the new routine",
            "Fill the time and money set free: a new routine (exercise, a hobby) and the saved "
            "money somewhere you can see it grow."
            + _DONE
            + "the new routine happens most days and "
            "you track what you have saved.",
        ),
        (
            1.5,
            "Free of {subject}",
            "Make it who you are: “I don't do that any more.” Keep the if-then plans for the rare "
            "strong urge." + _DONE + "you are free of {subject}{by_target} and know exactly what "
            "you will do when the next trigger comes.",
        ),
    ),
    "project": (
        (
            1.5,
            "Scope and plan the {subject}",
            "Write a one-page brief: who it is for, the problem it solves, what done means and "
            "what is out of scope. Keep the must-haves to 3–5, note budget and constraints, look at "
            "3–5 similar examples, and break the work into tasks of half a day or less."
            + _DONE
            + "the brief fits on one page and the first week's tasks are clear.",
        ),
        (
            2,
            "Prototype the riskiest part",
            "Build the smallest thing that tests the biggest unknown: a clickable mock-up, a "
            "landing page, a sample, a test piece. Show it to 3 potential users or stakeholders."
            + _DONE
            + "the riskiest assumption is tested and you know whether to continue, change "
            "or cut.",
        ),
        (
            3,
            "Build the core of the {subject}",
            "Build the must-haves in order of value, finishing each before starting the next, with "
            "a weekly demo or checkpoint." + _DONE + "the most valuable must-haves work end to "
            "end, even if rough.",
        ),
        (
            3,
            "Complete the must-haves",
            "Finish the remaining must-haves and connect everything; cut anything that is not on "
            "the must-have list." + _DONE + "every must-have works end to end.",
        ),
        (
            2.5,
            "Test and fix",
            "Test with real users or a full inspection; write down every issue, fix the critical "
            "ones, and postpone or cut the rest." + _DONE + "no known critical issue remains and 3 "
            "people have used or checked it.",
        ),
        (
            1.5,
            "Prepare the launch",
            "A last test pass and a launch checklist: final polish, instructions, the announcement, "
            "who to tell, what to watch in the first days." + _DONE + "every item on the checklist "
            "is done and the launch date is fixed.",
        ),
        (
            1,
            "Finish the {subject} and put it to use",
            "Ship or complete it, announce it, watch the first results and fix what breaks in the "
            "first days." + _DONE + "it is live or finished{by_target} and you have a list of the "
            "next improvements.",
        ),
    ),
    "finance": (
        (
            1.5,
            "Know your numbers",
            "Gather 2–3 months of statements. List income, fixed costs, variable spending, every "
            "debt (balance, interest rate, minimum payment) and all savings; work out your monthly "
            "surplus and the monthly amount the goal needs (amount ÷ months)." + _DONE + "a "
            "one-page snapshot exists and you know how much goes toward {subject} each month.",
        ),
        (
            2,
            "Choose the method and set up accounts",
            "Debts: avalanche (highest rate first) or snowball (smallest balance first). Savings: a "
            "separate account so the money has a job. Investing: low-cost diversified funds that "
            "match your time horizon." + _DONE + "the method is written down and the account "
            "exists.",
        ),
        (
            3,
            "Cut spending and automate the transfer",
            "Review subscriptions, insurance, phone and energy contracts and your top three "
            "spending categories; cancel, renegotiate and cap. Set an automatic transfer on payday "
            "for the monthly amount." + _DONE + "you have freed at least one recurring amount and "
            "the transfer is running.",
        ),
        (
            3,
            "Automate everything and track",
            "Pay yourself first: every transfer or payment toward {subject} automatic, alerts for a "
            "low balance, and a weekly 5-minute check of progress."
            + _DONE
            + "a full month has run "
            "on automatic and you are on plan.",
        ),
        (
            2.5,
            "Grow the gap",
            "Raise the monthly amount: ask for a raise, sell what you do not use, add side income, "
            "and send windfalls straight to the goal." + _DONE + "you have one new source or a "
            "higher monthly amount.",
        ),
        (
            2,
            "Protect the progress",
            "Build a buffer of about one month of expenses so surprises do not undo progress; check "
            "insurance; hold a 20-minute money review each month." + _DONE + "the buffer exists "
            "and the monthly review is in your calendar.",
        ),
        (
            1.5,
            "Reach the goal: {subject}",
            "Final stretch: track weekly, make the last transfers or payments, celebrate cheaply, "
            "and decide what the automation does next." + _DONE + "the goal is reached{by_target} "
            "and the next money goal is set.",
        ),
    ),
}


# ---- Daily tasks ----------------------------------------------------------------------------
# A bank is a text table, one task a line: "minutes | name | description". The minutes are the
# comfortable length; the coach shrinks a task to half of it or stretches it to fit the day.


# Which bank stage each of the 7 phases draws its main task from. Career and project goals
# start doing the real work in their second phase; the others still lay foundations there.
STAGES = ("start", "start", "core", "core", "core", "finish", "finish")
EARLY_WORK_STAGES = ("start", "core", "core", "core", "core", "finish", "finish")
STAGES_BY_VARIANT = {"career": EARLY_WORK_STAGES, "project": EARLY_WORK_STAGES}

# Words in a milestone title written elsewhere (Bedrock, the user) that say which phase it is.
PHASE_HINTS = (
    ("race day", 6),
    ("race week", 6),
    ("taper", 5),
    ("peak", 4),
    ("deload", 5),
    ("retest", 5),
    ("baseline", 0),
    ("set up", 0),
    ("setup", 0),
    ("scope", 0),
    ("foundation", 1),
    ("basics", 1),
    ("fundamental", 1),
    ("launch", 6),
    ("exam", 6),
    ("final", 6),
)

# Each variant has a core bank per stage (start: the first phases, core: the middle, finish: the
# last) and one support bank; 7 rows each, so a week never repeats a task name.
BANKS = {
    "learning_language": {
        "start": _rows("""
30 | Take a free {subject} placement test | Note your level (A1–C2) and your weakest skill (listening, speaking, reading or writing): this is the baseline for the final check.
20 | Set up a {subject} flashcard deck | Install a spaced-repetition app (Anki or similar), add a deck of the most frequent {subject} words, and learn the first 20.
25 | Shadow a short {subject} audio clip | Take a 1–2 minute clip for learners: listen, pause after each sentence and repeat aloud copying the rhythm; record your last attempt.
30 | Learn 20 survival phrases in {subject} | Greetings, please and thank you, “I don't understand”, “how do you say…?”, numbers 1–10. Say each aloud three times.
25 | Study the {subject} present tense | Learn the regular endings, conjugate 5 common verbs aloud, and write one sentence with each.
20 | Drill the tricky {subject} sounds | List 3 sounds your own language lacks, find word pairs that differ only by them, and repeat slowly, then at speed.
25 | Write a short self-introduction in {subject} | Five sentences: name, home, work, why you learn {subject}. Check it with a tutor or a corrector, then read it aloud.
"""),
        "core": _rows("""
30 | Do the next {subject} course lesson | Work through the next lesson of your main course and finish by writing 3 sentences with its new grammar.
25 | Write 8 {subject} sentences with new grammar | Use today's grammar point, get the sentences corrected (tutor, exchange partner or a corrector) and copy the corrections into your notes.
30 | Hold a 15-minute {subject} conversation | With a tutor or exchange partner, or aloud to yourself about your day. Note every word you needed and lacked.
25 | Listen to a {subject} learner podcast | Once for the gist, once with the transcript; add 5 new words to your deck.
30 | Read a graded {subject} text | One chapter or article at your level. Underline unknown words and look up only the ones that repeat.
25 | Drill irregular {subject} verbs | The 10 most common irregular verbs in present and past: quiz yourself aloud, then write one sentence with each.
20 | Retell a short story in {subject} | Read or hear a short story, then retell it aloud for 2 minutes in your own words; record it.
"""),
        "finish": _rows("""
30 | Redo your weakest {subject} lesson | The lesson your correction notes flag most: redo its exercises without looking at the answers.
30 | Have a 20-minute {subject} conversation | With a native speaker or tutor, on a topic you have not prepared. Afterwards write down the three things you could not say.
25 | Write a half-page {subject} diary entry | About your day or plans, without a dictionary; then check only the words you were unsure of.
40 | Take a {subject} practice level test | The same kind of test as your baseline, under time. Compare the two scores skill by skill.
20 | Summarise a {subject} news article aloud | A news story for learners: read it once, then summarise it aloud in one minute.
25 | Review your {subject} correction notes | Read through the mistakes you keep making and write one correct example for each.
25 | Watch a {subject} scene without subtitles | 10 minutes of a series or video; then rewatch with subtitles and note what you missed.
"""),
        "support": _rows("""
10 | Review due {subject} flashcards | Clear today's due cards, saying each answer aloud before you flip it.
10 | Add 10 new words to your {subject} deck | Take them from today's material and put each in a short sentence, not alone.
10 | Label five things around you in {subject} | Sticky notes on things you use every day; say the word each time you touch them.
15 | Listen to {subject} while you walk or cook | A podcast, song or radio in {subject}: no need to understand everything, just keep your ear tuned.
10 | Think aloud in {subject} for 5 minutes | Describe what you are doing right now in simple sentences; note the words you miss.
10 | Learn one {subject} expression by heart | An idiom or a useful phrase; use it once today in a message or aloud.
5 | Switch one app to {subject} | Your phone, a game or a social app: small daily exposure that costs no extra time.
"""),
    },
    "learning": {
        "start": _rows("""
30 | Take a baseline test on {subject} | A practice test, quiz or small real task. Record the score and the three weakest topics.
25 | List the topics of {subject} | From the syllabus or course outline; mark each one known, shaky or new.
20 | Choose your main {subject} resource | Compare 2–3 courses or books for a few minutes each, pick one, and bookmark where to start.
30 | Study the first {subject} chapter | Actively: pause every few minutes and write the key idea in your own words.
25 | Make flashcards for the {subject} basics | 10–20 cards of definitions and key facts: a question on the front, a short answer on the back.
25 | Explain one {subject} basic in your own words | Write it as if for a friend; where you get stuck is what to review.
30 | Do the first {subject} exercise set | Attempt every exercise before looking at solutions and mark what you got wrong.
"""),
        "core": _rows("""
40 | Work through the next {subject} topic | New material for the first half; then close the book and write down everything you remember.
35 | Solve a mixed {subject} problem set | Problems from at least two topics, each attempted before you check the answer.
30 | Update your {subject} error log | For each mistake this week: what went wrong, why, and the right method. Redo two of them.
40 | Do a timed {subject} practice block | 30–40 minutes under time pressure on the core topics; score it.
30 | Teach one {subject} topic back | Explain it aloud or in writing without notes, then fill the gaps you found.
35 | Practise the weakest {subject} topic | The topic with the most entries in your error log: 5–10 exercises on it.
30 | Build a small {subject} example | Apply today's topic to a tiny real case (a worked example, a snippet, a diagram) and check it works.
"""),
        "finish": _rows("""
60 | Take a full {subject} practice test | Real conditions: timed, no notes. Score it and sort every wrong answer by topic.
30 | Redo every item in your {subject} error log | Without looking at the solutions first; anything still wrong goes on tomorrow's list.
30 | Write a one-page {subject} summary | One topic, from memory first, then checked against your notes.
40 | Review wrong answers from your last {subject} test | For each: the right answer, why you missed it, and one similar question to try.
30 | Do a last pass on the weak {subject} topics | Quick exercises on every topic still marked shaky.
20 | Plan your {subject} assessment day | Time, place, materials, what to eat and when to stop studying the day before.
35 | Demonstrate {subject} to someone | Show or explain what you can now do; their questions show what is still unclear.
"""),
        "support": _rows("""
10 | Review due {subject} flashcards | Clear today's due cards; answer aloud before flipping.
15 | Skim tomorrow's {subject} material | Headings, pictures and summary only, so tomorrow's session starts warm.
10 | Write three questions about {subject} | Things you do not understand yet; look for the answers in your next session.
15 | Watch a short {subject} explainer | One video or article on today's topic from a different teacher than your main resource.
10 | Recall yesterday's {subject} lesson from memory | Write down what you remember before looking; then check.
10 | Add today's key {subject} facts to flashcards | Three to five cards, each one question and one short answer.
15 | Read one worked {subject} example | Cover the solution, try the next step yourself, then compare.
"""),
    },
    "creative_practice": {
        "start": _rows("""
20 | Record a {subject} baseline | Play or perform what you can now for two minutes and keep the recording for later comparison.
15 | Set up your {subject} practice corner | Instrument tuned or space cleared, stand, metronome and method within reach: no set-up cost tomorrow.
25 | Practise {subject} posture and hand position | Slowly, in front of a mirror or a camera, checking against your method's pictures.
20 | Learn your first two {subject} shapes | Two chords, scales, positions or steps: switch between them slowly until it is smooth.
20 | Play along with a metronome at 60 bpm | Simple patterns in time; staying steady matters more than speed.
25 | Start lesson one of your {subject} method | Read it through, then practise each exercise three times cleanly.
20 | Learn to read {subject} notation or tabs | The basics of the notation your method uses; read one short example aloud or by clapping.
"""),
        "core": _rows("""
30 | Learn the next section of your {subject} piece | Four bars or one phrase: slowly, hands or parts separately if needed, then together.
25 | Loop the hardest bars of your {subject} piece | Five clean repetitions in a row at a slow tempo before speeding up.
20 | Raise your {subject} tempo by 4 bpm | Only if yesterday's tempo was clean three times in a row.
30 | Learn a new {subject} technique exercise | From your method: slow and precise, then a few minutes at a comfortable speed.
25 | Play your {subject} piece slowly from start to finish | No stopping for mistakes; mark where it broke down.
30 | Start a new {subject} repertoire piece | A little harder than the last; learn the first phrase.
20 | Practise {subject} transitions | The changes between chords, positions or moves that slow you down, 10 times each.
"""),
        "finish": _rows("""
30 | Play your full {subject} set without stopping | Performance mode: keep going through mistakes.
20 | Record a {subject} run-through and listen back | Note one thing to fix in timing, tone or expression.
25 | Fix the weakest moment in your {subject} set | Isolate it and practise it slowly until it is clean five times in a row.
30 | Perform your {subject} set for one person | In person or on a call. Ask them what stood out.
20 | Practise recovering from {subject} mistakes | Play through and deliberately keep going after a slip.
25 | Polish the opening of your {subject} set | The first minute sets the tone: make it secure.
15 | Plan your {subject} performance | Where, when, for whom, and the running order.
"""),
        "support": _rows("""
10 | Warm up with {subject} scales or exercises | Slow and relaxed, focusing on clean sound or movement.
10 | Listen to a {subject} piece you love | Active listening: notice timing, dynamics and phrasing.
10 | Revisit an old {subject} piece | Keep your repertoire alive; play it once for fun.
10 | Clap or count the rhythm of your {subject} piece | Rhythm without the instrument makes timing stick.
5 | Stretch hands, wrists and shoulders | Before or after practice, to prevent strain.
5 | Write down what today's {subject} practice fixed | One line in your practice log.
15 | Watch one {subject} technique lesson | A short video from a different teacher; try the tip once.
"""),
    },
    "creative": {
        "start": _rows("""
20 | Write the one-sentence scope of the {subject} | What it is, how big, for whom. Keep it where you see it every session.
25 | Collect five references for the {subject} | Works you admire; write one line on what you want to borrow from each.
30 | Do a warm-up exercise for the {subject} | A prompt, a study or a copy of a master: 20–30 minutes, nothing precious.
15 | Set up your {subject} workspace | Tools out, files organised, distractions off: starting tomorrow should take one minute.
30 | Sketch three rough ideas for the {subject} | Quick, different directions; circle the one you want to develop.
25 | Study one piece you admire closely | Take it apart: structure, technique, what makes it work.
30 | Make a small complete study for the {subject} | Beginning to end, tiny: it trains finishing.
"""),
        "core": _rows("""
45 | Draft the next part of the {subject} | A fixed amount: 500 words, one scene, one song section, one canvas stage. Do not edit yet.
40 | Push the {subject} draft forward | Start where you stopped yesterday and keep going; mark problems with a note instead of fixing them.
30 | Outline the next section of the {subject} | What happens or what it should do, in bullet points.
45 | Revise one section of the {subject} | Structure first: does it belong, is it in the right place, what is missing?
35 | Rework the weakest part of the {subject} | The part you like least: try a different approach rather than polishing it.
30 | Get feedback on a {subject} section | Send one section to a trusted person with two specific questions.
40 | Do a craft session on the {subject} | Practise the technique the piece needs most right now.
"""),
        "finish": _rows("""
45 | Polish one section of the {subject} | Line by line or detail by detail; stop when it is good, not perfect.
30 | Work through the {subject} feedback notes | Decide for each note: change, ignore or think about it, and make the changes.
30 | Prepare the {subject} files for sharing | The formats, sizes or manuscript layout the place you share it needs.
25 | Write the {subject} description or pitch | Three sentences for a stranger: what it is and why they should care.
20 | List where to share the {subject} | Publishers, platforms, venues, people: with deadlines and requirements.
40 | Do a final pass on the {subject} | Read, watch or listen through once as an audience would, fixing only real problems.
30 | Share a preview of the {subject} | A fragment, a photo, a clip: with friends or online.
"""),
        "support": _rows("""
10 | Free-write or doodle for 10 minutes | No goal, no judgement: it keeps the creative tap running.
15 | Take in a work in the {subject}'s genre | Read, watch or listen with attention to one technique.
10 | Note three ideas for the {subject} | In your idea file, however small.
5 | Back up your {subject} files | A second copy somewhere safe.
15 | Study one technique for the {subject} | A tutorial or book section; try it once.
5 | Log today's {subject} output | Words, minutes or pieces: a visible streak keeps you going.
10 | Reread yesterday's {subject} work | Just read it to get back into it; no editing.
"""),
    },
    "career": {
        "start": _rows("""
30 | Collect five postings or level descriptions for {subject} | Highlight the requirements that repeat; those are what matter.
25 | Write your one-paragraph {subject} target | Role, level, kind of company, timeline and what success looks like.
30 | List the skills {subject} requires | From postings, the career ladder or people in the role: 5–8 skills with examples.
20 | Ask for feedback on your path to {subject} | Send one message to your manager or a mentor asking what you should do more or less of.
30 | Rate yourself against the {subject} requirements | 1–5 for each, with a piece of evidence for every score.
25 | Book a conversation with someone ahead of you | Someone who has reached {subject} or similar: ask how they got there.
20 | Pick your top two gaps for {subject} | The gaps that block you most and that you can work on through real work.
"""),
        "core": _rows("""
45 | Work on your top {subject} gap | One concrete piece of real work that exercises the skill; note what you did.
20 | Add this week's wins to your brag document | What you did, the result, and numbers where possible.
30 | Update your CV or profile for {subject} | Rewrite one entry as impact: action, result, number.
30 | Share a piece of your work | A demo, a write-up or an update to your team or network.
30 | Have a networking conversation | 20–30 minutes with someone in the field: ask about their path and one piece of advice.
40 | Practise a {subject} skill on real work | Choose today's task to stretch the skill you are building.
25 | Ask your manager what {subject} needs from you | “What would you need to see from me?” Write down the answer.
"""),
        "finish": _rows("""
40 | Tailor one application for {subject} | CV and cover note matched to the posting's top requirements.
30 | Practise two interview stories | Situation, task, action, result: out loud, under 2 minutes each.
45 | Do a mock interview for {subject} | With a friend or on your own on video; note your weakest answer and redo it.
30 | Map evidence to each {subject} expectation | One line of proof for every requirement; mark the thin ones.
25 | Research the pay range for {subject} | Three sources; write your target and your walk-away number.
20 | Follow up on open applications or conversations | A short, friendly message to each.
30 | Write your negotiation plan | What you will ask for, your reasons, and what you will accept.
"""),
        "support": _rows("""
10 | Log one accomplishment with its result | In your brag document, while it is fresh.
10 | Send one networking message | Congratulate, thank or ask a short question: keep the network warm.
15 | Read one article about {subject} skills | Note one idea to try this week.
10 | Review your {subject} gap list | Move anything that improved; pick the focus for tomorrow.
5 | Thank someone who helped you | A short message: it costs nothing and builds support.
15 | Tidy your profile headline | Make it say where you are going, not only where you are.
10 | Note a question to ask your manager | For your next 1:1 about the path to {subject}.
"""),
    },
    "project": {
        "start": _rows("""
30 | Write the one-page brief for the {subject} | Who it is for, the problem it solves, what done means, and what is out of scope.
25 | List the must-haves for the {subject} | Three to five; everything else goes on a later list.
30 | Study three examples similar to the {subject} | What they do well, what they get wrong, what you will do differently.
25 | Break the {subject} into half-day tasks | In order, each with a rough estimate.
20 | Name the biggest risk in the {subject} | What could sink it, and the cheapest way to test it early.
20 | Set a budget and constraints for the {subject} | Money, time, materials or tools you can and cannot use.
25 | Choose tools or materials for the {subject} | Pick and set them up; avoid switching later.
"""),
        "core": _rows("""
60 | Build the next must-have of the {subject} | One task from the list, finished before the next one starts.
45 | Finish the task in progress on the {subject} | Close it out completely before opening anything new.
40 | Prototype the riskiest part of the {subject} | The smallest version that answers the open question.
30 | Show the {subject} to a potential user | Watch them use or look at it; note where they hesitate.
45 | Fix the top issue in the {subject} | The one problem that hurts most right now.
30 | Run a checkpoint on the {subject} | Demo what works, compare with the plan, and adjust the task list.
40 | Remove one blocker on the {subject} | The thing that keeps stalling progress: decide, ask or work around it.
"""),
        "finish": _rows("""
45 | Test the {subject} end to end | Go through it as a user or inspector would and write down every issue.
30 | Fix a critical issue in the {subject} | Only critical ones now; park the rest on the later list.
25 | Write the launch checklist for the {subject} | Everything that must be true before you call it done.
30 | Write instructions for the {subject} | How to use, run or maintain it, for someone who was not there.
25 | Draft the announcement for the {subject} | Who it is for, what it does, and where to find it.
30 | Ask three people to try the {subject} | Give them one thing to do and ask what confused them.
20 | List the next improvements for the {subject} | Everything you parked, sorted by value.
"""),
        "support": _rows("""
10 | Update the task list for the {subject} | Tick off what is done and re-order what is next.
10 | Write a short progress note on the {subject} | Three lines: done, next, blocked.
5 | Back up today's work on the {subject} | Commit, upload or photograph today's progress.
5 | Pick tomorrow's task for the {subject} | One task, small enough to finish in a session.
15 | Research one open question about the {subject} | Answer one unknown on the list.
10 | Tidy your workspace | Files, desk or site: a clean start tomorrow.
10 | Gather what the {subject} needs next | Order, download or borrow materials for the next task.
"""),
    },
    "finance": {
        "start": _rows("""
30 | Download three months of statements | Every account and card, in one folder.
30 | List every debt with its interest rate | Balance, rate and minimum payment for each.
30 | Sort last month's spending into categories | Fixed, essentials, wants; total each.
20 | Work out your monthly surplus | Income minus fixed costs and usual spending.
20 | Write down the monthly amount the goal needs | Target amount ÷ months left; write it where you will see it.
25 | Choose the method for {subject} | Debts: avalanche or snowball; savings: a separate account; investing: low-cost diversified funds.
25 | Open a separate account for {subject} | Money with a job of its own is easier to leave alone.
"""),
        "core": _rows("""
20 | Cancel or pause one subscription | The one you would not miss; move its cost to {subject}.
30 | Renegotiate one bill | Phone, internet, insurance or energy: ask for a better rate or switch.
20 | Set up the automatic transfer for {subject} | On payday, for the monthly amount.
25 | Set a spending cap for your top category | A weekly limit, tracked in your banking app or a note.
30 | Find one way to raise your income | A raise request, extra hours, a side job or selling a skill; write the first step.
20 | Sell one thing you no longer use | List it today; the money goes to {subject}.
25 | Check this month's progress toward {subject} | Compare with the plan and adjust next month's amount.
"""),
        "finish": _rows("""
25 | Make an extra payment toward {subject} | Any windfall or leftover from this month.
20 | Review the month's transfers for {subject} | Check each one happened and on time.
30 | Build your one-month buffer | Move money until one month of expenses sits apart from {subject}.
20 | Check your insurance and emergency cover | So one surprise cannot undo the progress.
25 | Plan the final stretch to {subject} | Remaining amount, months left, and what changes if you fall behind.
20 | Decide what the automation does after {subject} | Redirect the transfer to the next goal instead of stopping it.
15 | Celebrate progress on {subject} cheaply | Mark the milestone with something that costs little.
"""),
        "support": _rows("""
5 | Log today's spending | Every purchase, in one place.
5 | Check your account balances | A 2-minute look keeps surprises away.
5 | Move a small amount toward {subject} | Even a little keeps the habit alive.
10 | Review one upcoming bill | Is it right, and can it be lower?
5 | Note one spending trigger | When did you spend without planning, and why?
15 | Read one personal-finance article | Note one idea to apply.
10 | Update your progress chart | A visible line going the right way keeps you going.
"""),
    },
    "habit": {
        "support": _rows("""
5 | Prepare tomorrow's cue | Set out what the habit needs (the cushion, the book, the shoes) where you will see it.
5 | Mark today on your tracker | An unbroken chain on paper or in an app is its own reward.
10 | Write your if-then plan for a busy day | “If I have no time, then I will do the two-minute version.”
10 | Remove one piece of friction | Whatever made it harder today: move it, prepare it, or drop it.
5 | Tell someone about your streak | A friend or group that knows makes skipping less likely.
5 | Note how you feel after the habit | One line; noticing the benefit makes it stick.
10 | Plan the minimum version for bad days | The smallest form that still counts, written down.
"""),
    },
    "habit_quit": {
        "support": _rows("""
5 | Log every urge today | Time, trigger, strength 1–10 and what you did instead.
10 | Practise your replacement once | Even without an urge, rehearse it so it is automatic.
10 | Clear one cue from your surroundings | Remove what reminds you: objects, apps, routes.
5 | Message a support person | A short check-in with someone who knows your plan.
5 | Add up what you have saved | Money and time, written where you can see it.
10 | Rehearse tomorrow's hardest moment | When and where it will be, and exactly what you will do.
5 | Write your reason on a card | Why you are doing this, kept in your wallet or phone case.
"""),
    },
}

# The habit itself is the day's main task, a deliberate daily repeat named by its day number.
HABIT_REPS = {
    "start": (
        5,
        "Day {n}: {action}, tiny version",
        "Do the two-minute version straight after your cue; one minute still counts. Tick it off.",
    ),
    "core": (
        15,
        "Day {n}: {action}",
        "Do today's planned amount, a little more than last week only if it feels easy. On a hard day do the minimum version rather than skip.",
    ),
    "finish": (
        20,
        "Day {n}: {action}, full version",
        "The full version you aimed for, at your usual time and place. Note anything that made it harder today.",
    ),
}
# Breaking a habit, by phase: track, cut down, stop, hold, hard moments, rebuild, stay free.
QUIT_REPS = (
    (
        5,
        "Day {n}: log each {subject} moment",
        "Write down every time: when, where, with whom, and the feeling just before. No changes yet.",
    ),
    (
        10,
        "Day {n}: stay under your {subject} limit",
        "Today's limit is lower than last week's: drop the easiest occasion first and use a replacement for the rest.",
    ),
    (
        10,
        "Day {n} free of {subject}",
        "No exceptions today. When an urge comes, wait 10 minutes with your replacement: it peaks and passes.",
    ),
    (
        10,
        "Day {n} free of {subject}: use your replacement",
        "Every urge gets the replacement; note how long each one lasted. They get shorter.",
    ),
    (
        10,
        "Day {n} free of {subject}: plan the risky moment",
        "Spot today's high-risk moment in advance and decide exactly what you will do.",
    ),
    (
        10,
        "Day {n} free of {subject}: feed the new routine",
        "Do your new routine in the time the old habit used to take.",
    ),
    (
        10,
        "Day {n} free of {subject}: keep it easy",
        "Business as usual; keep your if-then plans handy for the rare strong urge.",
    ),
)

# Shared reflection tasks for the last slot of the day.
REVIEW = _rows("""
10 | Log today's progress on {the_subject} | Three lines: what you did, what was hard, what is next. A running log makes the weekly review quick.
5 | Plan tomorrow's first step | Write the first action for tomorrow and set out what it needs, so starting costs nothing.
10 | Check the milestone finish line | Re-read “{milestone}”: mark what is already met and the one thing that would move it most this week.{done_when}
5 | Note one thing that worked today | And why: it is easy to notice only the problems.
10 | Clear one obstacle for {the_subject} | Name what is most likely to stop you this week and take one small step to remove it.
5 | Tell someone how {the_subject} is going | A short message to a friend or group: accountability helps on low-motivation days.
5 | Rate today's effort from 1 to 10 | One number and one reason. Over a week the numbers show what helps (time of day, sleep, stress).
""")
WEEKLY_REVIEW = (
    15,
    "Weekly review of {the_subject}",
    "Look back at the week: what got done, what slipped and why, and whether “{milestone}” is on track. Pick next week's three most important tasks and put them in your calendar.",
)
RESCHEDULED = "Rescheduled from an earlier day, when it was missed: do it first today. The other missed tasks are dropped on purpose rather than piled up; if this one no longer helps “{milestone}”, skip it."

# ---- Fitness: a week of sessions, by weekday -------------------------------------------------
# session -> (name, description); the name carries the minutes so each weekday reads differently.
# Minutes per session for phases 0..6, and the minimum that still makes a session worth doing.

RACE_WEEK = ("rest", "quality", "easy", "strength", "cross", "long", "recovery")  # Monday first
RACE_FIRST_WEEK = ("rest", "quality", "strength", "easy", "cross", "long", "walk")  # 3 runs, spaced
BODY_WEEK = (
    "strength_a",
    "cardio",
    "strength_b",
    "body_recovery",
    "strength_c",
    "body_long",
    "rest",
)

SESSION_MINUTES = {
    "rest": ((15,) * 7, 5),
    "easy": ((20, 30, 35, 40, 45, 30, 20), 10),
    "recovery": ((20, 25, 25, 30, 30, 20, 15), 10),
    "cross": ((25, 30, 30, 30, 30, 25, 20), 10),
    "walk": ((30,) * 7, 10),
    "strength": ((15, 20, 25, 25, 25, 15, 10), 10),
    "quality": ((25, 35, 45, 50, 55, 35, 25), 20),
    "strength_a": ((30, 35, 45, 50, 55, 30, 45), 20),
    "strength_b": ((30, 35, 45, 50, 55, 30, 45), 20),
    "strength_c": ((30, 35, 40, 45, 50, 30, 40), 20),
    "cardio": ((20, 25, 30, 30, 35, 25, 30), 10),
    "body_long": ((30, 40, 45, 60, 60, 45, 60), 20),
    "body_recovery": ((20, 20, 25, 30, 30, 25, 30), 10),
}
LONG_SHARE = (0.35, 0.5, 0.65, 0.8, 1.0, 0.6, 0.3)  # of the race's peak long-session minutes

RACE_SESSIONS = {
    "rest": (
        "Rest day: mobility and foam rolling ({m} min)",
        "No training today: recovery is when the body adapts. Gentle mobility for hips, calves and hamstrings, then foam rolling.",
    ),
    "easy": (
        "Easy {sport}: {m} minutes",
        "Conversational pace the whole way; if you cannot speak in full sentences, slow down. Easy sessions build the base everything else stands on.",
    ),
    "recovery": (
        "Recovery {sport}: {m} minutes",
        "Very easy and short, the day after the long {sport}. Walking breaks are fine: the aim is blood flow, not fitness.",
    ),
    "cross": (
        "Cross-training: {m} minutes",
        "Low-impact cardio at easy effort (bike, swim, elliptical or a brisk walk) — fitness without the pounding.",
    ),
    "walk": (
        "Brisk walk: {m} minutes",
        "A training day without impact: brisk enough to breathe a little harder, easy enough to chat.",
    ),
    "strength": (
        "Strength and core: {m} minutes",
        "2–3 rounds: 10 squats, 8 lunges a leg, 15 calf raises, 10 glute bridges, a 30-second plank and 20-second side planks. Strong hips and calves prevent the common overuse injuries.",
    ),
    "long": (
        "Long {sport}: {m} minutes easy",
        "The key session of the week: easy, even effort from start to finish.{long_note}",
    ),
}
RACE_QUALITY = (
    (
        "Steady {sport} with walk breaks: {m} minutes",
        "Alternate 3 minutes of easy {sport} with 1 minute of walking; finish feeling you could do more.",
    ),
    (
        "Easy {sport} with strides: {m} minutes",
        "Easy, then 4–6 × 20 seconds quick but relaxed with a full recovery between: smooth form, not a sprint.",
    ),
    (
        "Tempo {sport}: {m} minutes",
        "10 minutes easy, 15–25 minutes comfortably hard (a few words at a time, not sentences), 10 minutes easy.",
    ),
    (
        "Goal-pace intervals: {m} minutes",
        "Warm up 10–15 minutes easy, then {intervals}; cool down 10 minutes. Even splits matter more than speed.",
    ),
    (
        "Race-pace session: {m} minutes",
        "Warm up, then 2–3 long blocks at goal pace with short easy recoveries; practise your race-day drink and fuel.",
    ),
    (
        "Sharpener: {m} minutes with race-pace bursts",
        "Easy, with 4–6 × 1 minute at goal pace and full recovery; short, to stay fresh.",
    ),
    (
        "Shakeout {sport}: {m} minutes with strides",
        "Short and easy with 4 relaxed strides: keep the legs awake for race day.",
    ),
)
LONG_NOTES = (
    "",
    "",
    "",
    " Over 75 minutes, take water and 30–60 g of carbohydrate an hour.",
    " Finish the last 15–20 minutes at goal pace; fuel as on race day.",
    "",
    "",
)
RACE_SUPPORT = (  # Monday first, one per weekday
    (
        10,
        "Plan this week's sessions in your calendar",
        "Put every session at a fixed time; move the long {sport} before anything else.",
    ),
    (
        10,
        "Warm up with drills before the session",
        "5–10 minutes: leg swings, hip circles, high knees, skips.",
    ),
    (
        10,
        "Stretch calves, hamstrings and hips",
        "Hold each stretch 30–45 seconds after today's session.",
    ),
    (
        5,
        "Check your shoes and kit",
        "Note the distance on your shoes (replace at about 600–800 km) and fix anything that rubs.",
    ),
    (
        10,
        "Prepare for tomorrow's long {sport}",
        "Route, water, fuel and kit laid out; an early night.",
    ),
    (
        10,
        "Refuel within an hour of the long {sport}",
        "Carbohydrate and protein, plenty of water; note how the fuel sat during the session.",
    ),
    (
        10,
        "Foam-roll legs for 10 minutes",
        "Calves, quads, hamstrings and glutes, slowly; sore spots get 30 seconds.",
    ),
)
RACE_BASELINE = (
    "Baseline {sport}: {m} minutes, timed",
    "Warm up 5 minutes, then {sport} at a steady, easy effort. Note distance, time and how it felt from 1 to 10: the number you will beat.",
    20,
)
RACE_DAY = (
    "Race day: the {subject}",
    "Breakfast 2–3 hours before, as practised. Start slightly slower than goal pace for the first quarter, fuel as planned, and finish strong. Afterwards: walk, eat, and write down how it went.",
)
RACE_EVE = (
    "Rest and lay out your race kit",
    "No training. Kit, number, fuel and directions ready tonight; a carbohydrate-rich dinner and an early night.",
    15,
)

BODY_SESSIONS = {
    "strength_a": (
        "Strength A: squat, push, row ({m} min)",
        "{sets}. Squat, push-up or bench press, row and a plank; rest 60–90 seconds between sets and write every set down.",
    ),
    "strength_b": (
        "Strength B: hinge, press, pull ({m} min)",
        "{sets}. Hip hinge or Romanian deadlift, overhead press, pulldown or assisted pull-up, and a farmer's carry.",
    ),
    "strength_c": (
        "Strength C: full-body circuit ({m} min)",
        "{sets}. Goblet squat, lunges, push-ups, rows and dead bugs as a circuit, 60 seconds rest between rounds.",
    ),
    "cardio": (
        "Zone 2 cardio: {m} minutes",
        "Brisk walk, bike or easy jog at a pace where you can still talk: it builds the heart without draining recovery.",
    ),
    "body_recovery": (
        "Active recovery walk: {m} minutes",
        "Walk outside, then 5 minutes of mobility for hips and shoulders. Aim for 7,000+ steps today.",
    ),
    "body_long": (
        "Long active session: {m} minutes",
        "Something you enjoy for longer: a hike, a ride, a swim or a game — easy to moderate effort.",
    ),
    "rest": (
        "Rest day: stretch and weekly check-in ({m} min)",
        "Gentle stretching, then the check-in: the week's average weight, waist and how training went. Adjust next week from the trend, not from one day.",
    ),
}
BODY_SETS = (
    "2 × 10 with light weights, learning the form",
    "2–3 × 10–12, stopping 2 reps short of failure",
    "3 × 8–12, the same exercises as last week",
    "3 × 8–12: when every set reaches 12, add weight next time",
    "4 × 5–8 on the main lifts, heavier",
    "2 × 8 at about 60% of your usual weights (deload week)",
    "3 × 8–10: the routine you will keep",
)
BODY_SUPPORT = (  # Monday first
    (
        10,
        "Plan this week's training slots",
        "Three to four fixed times in your calendar, like meetings.",
    ),
    (
        10,
        "Prepare a protein-rich meal for tomorrow",
        "Protein, vegetables and a carbohydrate you like: the easy choice ready in the fridge.",
    ),
    (
        5,
        "Log every set from today's session",
        "Exercise, weight and reps: next week you beat these numbers.",
    ),
    (
        5,
        "Check your step count",
        "Short of 7,000? A 10-minute walk after dinner closes most of the gap.",
    ),
    (
        10,
        "Stretch hips and shoulders for 10 minutes",
        "Hip flexors, glutes, chest and upper back: the places desk days tighten.",
    ),
    (
        5,
        "Drink water and refuel after the long session",
        "A glass of water and a meal with protein within a couple of hours.",
    ),
    (
        15,
        "Prep meals for the first days of the week",
        "Cook or prepare 2–3 meals so weekday choices are already made.",
    ),
)
# When the day is too short for the planned session: something beats nothing.
SHORT_SESSIONS = {
    "fitness_race": (
        "Short easy {sport}: {m} minutes",
        "Too little time for today's planned session, so keep the rhythm instead: an easy {sport} at conversational pace.",
    ),
    "fitness_body": (
        "Quick bodyweight circuit: {m} minutes",
        "Too little time for today's planned session: squats, push-ups, lunges and a plank, 40 seconds each with 20 seconds rest, as many rounds as fit.",
    ),
}
BODY_BASELINE = (
    "Record your baseline measurements",
    "Weight, waist, a photo, most push-ups in a row, squats in one minute, plank hold, and how far you walk or jog in 20 minutes. Write it all down.",
    30,
)
BODY_RETEST = (
    "Retest your baseline",
    "Repeat every baseline measurement and test, and write the results next to the first ones.",
    30,
)

# On a day another quest already trains, a fitness quest's rest day becomes this instead.
MOBILITY = (
    10,
    "Mobility: 10 minutes for hips and calves",
    "Slow leg swings, hip circles, calf stretches and a few deep squats: the day already has a training session, so this one only keeps you supple.",
)


# What the coach recognises on a day others have filled: the reflection tasks (one a day is
# enough), rest days and training sessions, from every template that writes them.
REFLECTION_PATTERNS = tuple(_pattern(name) for _, name, _ in (*REVIEW, WEEKLY_REVIEW))
REST_PATTERNS = tuple(_pattern(s[0]) for s in (RACE_SESSIONS["rest"], BODY_SESSIONS["rest"]))
TRAINING_PATTERNS = tuple(
    _pattern(name)
    for name in (
        *(s[0] for k, s in RACE_SESSIONS.items() if k != "rest"),
        *(s[0] for k, s in BODY_SESSIONS.items() if k != "rest"),
        *(s[0] for s in RACE_QUALITY),
        *(s[0] for s in SHORT_SESSIONS.values()),
    )
)


# ---- Kinds written in their own modules ------------------------------------------------------
# Each module holds PHASES and BANKS for one plan. Here: the kinds it can narrow, the words that
# choose it (scored like KIND_WORDS, and ahead of them on a tie: a specific plan beats a broad
# one), the fewest days a sensible plan needs, the horizon without a target, and how the daily
# reflection tasks name what the person is working on ({the_subject}).

from zik.ai.offline.handbook import (  # noqa: E402 (they import only tables.py)
    book,
    debt,
    exam,
    general,
    home,
    making,
    reading,
    relationships,
    saving,
    shop,
    skill,
    travel,
    weight,
)


class Variant:
    __slots__ = ("module", "kinds", "words", "min_days", "default_days", "the_subject")

    def __init__(
        self,
        module: Any,
        kinds: tuple[str, ...],
        words: str,
        min_days: int,
        default_days: int,
        the_subject: str,
    ):
        self.module, self.kinds, self.words = module, kinds, words
        self.min_days, self.default_days, self.the_subject = min_days, default_days, the_subject


VARIANTS = {
    "learning_exam": Variant(
        exam,
        ("learning", "career"),
        "exam:3, exams:2, test:2, pass:2, passing, certif*:2, certification:3, driving test:3, "
        "theory test:3, road test:3, bar exam:3, board exam:3, ielts:3, toefl:3, pmp:3, gmat:3, "
        "lsat:3, mcat:3, usmle:3, nclex:3, cfa:3, cpa:3, acca:3, comptia:3, cissp:3, ccna:3, "
        "gre:2, resit*:2, retake*:2, mock exam:2, finals:2, aws, azure, score",
        14,
        84,
        "your preparation for {exam}",
    ),
    "learning_skill": Variant(
        skill,
        ("learning", "creative"),
        "sourdough:3, bread:2, bake:2, baking:2, cook:2, cooking:2, recipe*, swim:2, swimming:2, "
        "sew:2, sewing:2, sewing machine:2, learn to drive:3, driving lessons:3, drive, "
        "ride a bike:3, surf*:2, ski, skiing, snowboard*:2, skat*, juggl*, weld*, "
        "learn to swim:2, learn to cook:2, learn to bake:2, learn to sew:2",
        21,
        60,
        "learning to {skill}",
    ),
    "creative_book": Variant(
        book,
        ("creative",),
        "novel:3, memoir:3, manuscript:3, picture book:3, children's book:3, childrens book:3, "
        "write a book:3, my book:2, novella:2, autobiography:2, non-fiction:2, nonfiction:2, "
        "book, chapter*, fiction, self-publish*:2, publish*, author, first draft:2, draft, "
        "thriller:2, write:1, writing:1",
        60,
        270,
        "{book}",
    ),
    "habit_reading": Variant(
        reading,
        ("habit", "learning"),
        "read:2, reading:2, books:3, pages:2, audiobook*:2, novels, reading list:2, "
        "book club:2, goodreads:2, storygraph, read more:3, bookworm",
        28,
        365,
        "your reading",
    ),
    "project_shop": Variant(
        shop,
        ("project", "career", "creative"),
        "etsy:3, shopify:3, ebay:2, depop:2, vinted:2, shop:2, shops, store, storefront, sell:2, "
        "selling:2, sells, seller*:2, small business:3, own business:3, side hustle:2, "
        "side business:2, bakery:3, cafe:3, caf:3, market stall:3, farmers market:3, "
        "craft fair:3, stall, handmade:2, listing*, customer*, clients, e-commerce:2, "
        "ecommerce:2, dog walking:3, dog-walking:3, pet sitting:2, cleaning business:3, "
        "catering:2, sole trader:2, self-employed, products, merch, business:2",
        21,
        90,
        "{shop}",
    ),
    "project_home": Variant(
        home,
        ("project", "habit"),
        "renovat*:3, refurbish*:3, redecorat*:3, remodel*:3, home improvement:3, "
        "loft conversion:3, vegetable garden:3, redo:2, do up:2, makeover:2, bathroom:2, "
        "kitchen:2, bedroom:2, spare room:2, living room:2, home office:2, garden*:2, "
        "landscap*:2, extension:2, loft:2, wallpaper*:2, raised bed*:2, allotment:2, repaint:2, "
        "diy:2, attic, basement, hallway, conservatory, patio, decking, tiling, tiles, flooring, "
        "plaster*, convert*, interior*, room",
        14,
        90,
        "the work on {space}",
    ),
    "project_make": Variant(
        making,
        ("project", "creative"),
        "woodwork*:3, carpentry:3, joinery:2, bookshelf:3, bookshelves:3, bookcase:3, "
        "dining table:3, coffee table:3, shed:3, workbench:3, knit*:3, crochet*:3, quilt*:3, "
        "scale model:3, model kit:2, model railway:3, furniture:2, sweater:2, jumper:2, "
        "cardigan:2, blanket:2, embroider*:2, cross-stitch:2, sew*:2, birdhouse:2, "
        "treehouse:2, table, shelf, shelves, cabinet, stool, wardrobe, timber, plywood, lathe, "
        "scarf",
        14,
        60,
        "{thing}",
    ),
    "fitness_lose": Variant(
        weight,
        ("fitness", "habit"),
        "lose weight:4, weight loss:4, healthy weight:4, eat healthier:4, eat healthy:3, "
        "healthy eating:3, eat better:3, lose:2, losing, shed:2, drop, stone, pounds, kg, kgs, "
        "lbs, diet*:2, slim*:2, calori*:2, overweight:2, belly fat:3, body fat:2, bmi:2, "
        "nutrition:2, meal prep:2, meal plan*:2, portion*, snack*, vegetables, junk food:2, "
        "healthier",
        28,
        112,
        "your healthy eating",
    ),
    "finance_save": Variant(
        saving,
        ("finance",),
        "save:2, saving*:2, savings:2, emergency fund:3, rainy day fund:3, rainy day:2, "
        "nest egg:3, house deposit:3, down payment:3, deposit:2, set aside:2, put aside:2, "
        "put away:2, sinking fund:3, fund, afford",
        30,
        180,
        "your savings",
    ),
    "finance_debt": Variant(
        debt,
        ("finance",),
        "debt:3, debts:3, debt-free:3, debt free:3, pay off:2, paying off:2, pay down:2, "
        "payoff, owe, owing, loan:2, loans:2, student loan:3, student loans:3, car loan:3, "
        "credit card:2, credit cards:2, card debt:3, overdraft*:2, arrears:2, repay*:2, "
        "consolidat*:2, balance transfer:3, bnpl:2, buy now pay later:3, apr, "
        "minimum payment*",
        30,
        365,
        "paying off {debt}",
    ),
    "relationships": Variant(
        relationships,
        ("relationships",),
        "marriage:4, relationship*:3, father:3, dad:3, mother:3, mum:3, mom:3, parent*:2, "
        "kids:3, children:3, child, son:2, daughter:2, family:3, husband:3, wife:3, spouse:3, "
        "boyfriend:2, girlfriend:2, partner, friend, friends:3, friendship*:3, reconnect:3, "
        "date night:3, quality time:3, grandparent*:2, grandchildren:2, grandkids:2, "
        "sibling*:2, brother:2, sister:2, call my:2, closer",
        21,
        90,
        "your time with {people}",
    ),
    "travel": Variant(
        travel,
        ("travel",),
        "travel*:3, trip:3, trips:2, road trip:3, city break:3, backpack*:3, interrail:3, "
        "vacation:2, holiday:2, holidays, visit:2, visiting, abroad:2, itinerary:2, "
        "destination:2, see the world:3, gap year:2, honeymoon:2, cruise:2, safari:2, camino:3, "
        "sightseeing, journey, tour, touring, flights, countries",
        14,
        120,
        "your trip",
    ),
}
VARIANT_ORDER = tuple(VARIANTS)  # ties go to the first: an exam before a skill, a book before
# reading about books

for _name, _variant in VARIANTS.items():
    PHASES[_name] = _variant.module.PHASES
    BANKS[_name] = _variant.module.BANKS
    MIN_DAYS[_name] = _variant.min_days
    DEFAULT_DAYS[_name] = _variant.default_days
READING_REPS = reading.REPS
PHASES["general"], BANKS["general"] = general.PHASES, general.BANKS
MIN_DAYS["general"] = 7

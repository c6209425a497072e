"""Relationships and family: "Become a better father", "Spend more time with my kids",
"Reconnect with old friends", "Improve my marriage", "Call my parents more". Closeness is built
from small, repeated moments far more than from grand gestures, so the plan starts by making
"better" concrete (what it would look like, and an honest picture of now) and by asking the
other person what would make the difference. Then come the steady habits that research on
families and couples keeps pointing to: protected one-to-one time with the phone away, rituals
that happen without being organised each time, listening that reflects back before replying,
and specific, frequent appreciation (about five warm moments for every sharp one). Conflict
will still happen, so repair gets its own phase, with a clear line to outside help where there
is fear or violence. It ends with a shared project and a regular check-in, so the new rhythm
outlasts the plan.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "Picture what a better relationship would look like",
        "Before changing anything, describe a better relationship a year from now as three "
        "concrete scenes rather than adjectives: a weekly walk nobody has to organise, being the "
        "one they call with news, dinners without phones. Then take an honest snapshot of now: "
        "hours of real time together in a normal week, the last conversation that went beyond "
        "logistics, the friction that keeps coming back, and your own part in it." + DONE + "three "
        "concrete scenes and an honest snapshot of now are written down.",
    ),
    (
        1.5,
        "Ask what would make the difference to them",
        "Your idea of better is only half the picture. Ask {people} an open question (“What is "
        "one thing I could do more of, or less of?”) and listen to the end without defending or "
        "explaining. Many people, children above all, talk more side by side (in the car, on a "
        "walk, at bedtime) than face to face; with someone far away, a call works better than a "
        "message."
        + DONE
        + "you have asked {people}, written down what you heard, and picked one change to start "
        "with.",
    ),
    (
        3,
        "Protected one-to-one time",
        "Attention counts for more than grand gestures. Put recurring one-to-one time in the "
        "calendar, with each person if there are several: 15–20 minutes a day with a child doing "
        "what they choose; a weekly walk or coffee with a partner or friend; a fixed call with a "
        "parent who lives away. Phones go in another room, and the time is kept like an "
        "appointment: if it has to move, rebook it the same day." + DONE + "the protected time "
        "has happened at least 4 times out of every 5 planned for {span}.",
    ),
    (
        3,
        "Rituals that keep you connected",
        "Rituals make connection happen without a decision each time: a weekly date or walk, "
        "bedtime reading, Saturday pancakes, a Sunday call, a monthly dinner with friends. "
        "Choose one or two together, small enough to survive a busy week and fixed to a day and "
        "time, and give everyone involved a say in what happens." + DONE + "one or two agreed "
        "rituals have happened as planned for {span}, shortened on busy weeks rather than "
        "skipped.",
    ),
    (
        3,
        "Listen well and appreciate often",
        "In conversations that matter, reflect back before you reply (“So what you mean "
        "is …? Have I got that right?”), ask one more question, and hold back advice unless it "
        "is asked for. Notice and name what you appreciate, specifically and often: "
        "relationships that last show about five warm moments (interest, thanks, a joke, a "
        "touch) for every sharp one."
        + DONE
        + "reflecting back comes naturally in important conversations and you "
        "give a specific appreciation on most days.",
    ),
    (
        2.5,
        "Repair after conflict",
        "Conflict is normal and what matters is the repair: when you feel flooded (heart "
        "pounding, ready to snap), take a 20-minute break and say when you will come back. Then "
        "start again softly (“I feel … about … and I would like …”), own your part and "
        "apologise for something specific. If anyone feels afraid, or there are threats or "
        "violence, stop here and contact a support service or helpline; for the same fight "
        "over and over, couples counselling or family therapy helps." + DONE + "you have "
        "repaired at least one disagreement within a day, with a soft start and an apology for "
        "your part.",
    ),
    (
        2,
        "A shared project and a regular check-in",
        "Plan something you make or do together over a few weeks: a trip, a garden bed, a photo "
        "album, a recipe book to cook through, a long walk in stages. Add a monthly check-in "
        "(“What has been good lately, and what one thing would make next month better?”) "
        "and keep what works."
        + DONE
        + "your new rhythm with {people} is in place{by_target}, a check-in "
        "shows it feels better to them as well as to you, and the next three months of time "
        "together are in the calendar.",
    ),
)

BANKS = {
    "start": rows("""
20 | Write what a better relationship would look like | Three concrete scenes a year from now, as a camera would see them: what you do together, how you talk, how often. Leave out vague words like “closer” or “better”.
15 | Write down who this is about | Each person by name, and when you last had time together that went beyond logistics. With many people, start with the two or three who matter most.
20 | Take an honest snapshot of now | Hours of real time together in a normal week, the friction that keeps coming back, and your own part in it, written without blame.
20 | Ask what would make the biggest difference | Ask {people} one open question (“What is one thing I could do more of, or less of?”) and listen to the end without defending. Write the answer down afterwards.
15 | List what matters to them right now | Interests, worries, friends, plans and what they look forward to; the blanks show what to ask about.
15 | Block recurring time in your calendar | Two or three repeating slots for one-to-one time or a call, at times that suit them as well as you, kept like appointments.
20 | Plan the first one-to-one time | What, where and when, their choice where possible, and small enough to happen this week: a walk, a game, a coffee or a call.
"""),
    "core": rows("""
30 | Have your protected one-to-one time | Phone in another room, their pick of activity, full attention for the whole slot. Afterwards note one thing you learned about them.
30 | Keep this week's ritual | The walk, date, call or bedtime reading at its usual time, shortened if the week is busy but never quietly skipped. No ritual yet? Try one this week and see whether it sticks.
20 | Practise reflective listening in one conversation | Before replying, say back what you heard in your own words and check you got it right; give your own view only after that.
15 | Give three specific appreciations | Say what they did and why it mattered to you (“Thanks for sorting the tickets, it saved my evening”), in person or in a message.
25 | Ask a question you have never asked | About a childhood memory, a hope, a worry or a favourite moment; ask one follow-up question before sharing your own story.
40 | Do something new together | A place, a recipe, a game or a class that is new to everyone involved: shared novelty brings people closer than the usual outing.
15 | Check your balance of warm and sharp moments | Think back over the last few days: for every criticism, sigh or snap, were there about five warm moments (interest, thanks, a joke, a touch)? Pick one way to add warmth tomorrow.
"""),
    "finish": rows("""
30 | Repair the last disagreement | The most recent one, however small: go back to it calmly with your part, a specific apology and what you would do differently, then ask how it was for them.
20 | Raise one small issue with a soft start | At a calm moment: how you feel, about which situation, and what you would like instead. One situation, not a verdict on their character.
25 | Plan the next stage of a shared project | With no project yet, pick one together (a trip, a garden bed, a photo album, a long walk in stages); otherwise agree who does what before the next session.
40 | Work on your shared project together | One session side by side; the talk that happens while hands are busy counts as much as the project.
25 | Hold a check-in on how it is going | Ask what has been good lately and what one thing would make next month better; listen first, then agree one change each.
20 | Compare now with your starting snapshot | Hours together, the recurring friction, the last real conversation: write down what has changed and what has not yet.
20 | Put the next month of time together in the calendar | Rituals, one-to-one time, a check-in and one thing to look forward to, as repeating events.
"""),
    "support": rows("""
5 | Send a message that needs no reply | A photo, a memory or a line saying you thought of them: connection without asking for anything.
10 | Note one thing coming up for them this week | A test, a match, a hard meeting or an appointment; ask how it went afterwards.
10 | Agree a signal for heated moments | A word or gesture that means you need 20 minutes and will come back, agreed at a calm moment.
5 | Greet them phone-free when you meet | The first minutes after you come home or meet up: phone away, eyes up, a real hello.
10 | Book something to look forward to | A visit, a show or a day out, in the calendar with a date: looking forward to it is half the pleasure.
10 | Ask a better question about their day | Instead of “How was your day?”, try “What made you laugh today?” or “What was the hardest part?”
10 | Say sorry for one small thing | A sharp word or a forgotten promise: short, specific and without a “but”.
"""),
}

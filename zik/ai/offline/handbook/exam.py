"""Passing an exam or test: a certification, a professional or language exam, a practical test
such as the driving test. The plan works backwards from a booked date, because a fixed date
turns vague study into a schedule: first the official syllabus and its weightings, then a cold
diagnostic test so the hours go where the marks are (weight × weakness), then learning with
active recall and spaced repetition, then exam-style questions with an error log, then full
timed mocks, and last a taper with no new material, the exam-day logistics and a routine for
nerves. Practical tests follow the same arc with lessons, supervised practice and mock tests
marked by an instructor in place of reading and question banks.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "Book {exam} and learn what it tests",
        "Book a date for {exam} now, or pick the sitting and put it in your calendar: a fixed date "
        "turns vague study into a plan. Download the official syllabus, exam guide or blueprint "
        "and note the format (number of questions, time, pass mark) and each domain's weighting; "
        "for a practical test, get the official marking criteria and book lessons with an "
        "approved instructor. Choose one main course or book and one question bank, and fix a "
        "daily slot of {minutes} minutes." + DONE + "the date is booked or fixed, the syllabus "
        "and its weightings fit on one page, and your resources are chosen.",
    ),
    (
        1.5,
        "Diagnostic test and a study plan weighted to your gaps",
        "Take one full practice test cold and under real timing before studying much; for a "
        "practical test, an assessed lesson marked like the real test. Score each domain, then "
        "rank the topics by weighting × weakness: a heavy domain you are weak in gets the most "
        "hours. Plan backwards from the date and keep the last 1–2 weeks for mocks and review."
        + DONE
        + "your diagnostic score per domain is written down and every week up to the "
        "date has its topics.",
    ),
    (
        3,
        "Learn the heavy areas first, with active recall",
        "Study in the order of your ranking: a short block of new material, then close the book "
        "and write or say what you remember before checking. Turn facts, formulas, rules and "
        "definitions into spaced-repetition flashcards (Anki or similar) and clear the due cards "
        "every day. For a practical test, 1–2 lessons a week on the core skills, with supervised "
        "practice in between." + DONE + "every high-weight domain has been studied once and you "
        "have cleared your flashcards on most days for {span}.",
    ),
    (
        3,
        "Practice questions and an error log",
        "Move the weight from reading to answering: 20–40 exam-style questions a session, by "
        "topic first and then mixed, at the real pace (total time ÷ number of questions). Log "
        "every wrong or guessed answer with its topic, the reason (did not know, misread, ran out "
        "of time) and the rule in one line, and redo the log every week. For a practical test, "
        "drive the roads around the test centre and have your instructor mark each fault; work "
        "on the one that keeps coming back."
        + DONE
        + "you reach your target score on mixed sets in every "
        "domain and the same mistakes stop repeating in your log, or, for a practical test, you "
        "drive two lessons in a row without a serious fault.",
    ),
    (
        2.5,
        "Full timed mock exams",
        "One full mock a week, then two a week near the end, under real conditions: the same "
        "length, breaks and time of day, no notes, phone in another room. Review each mock for "
        "about as long as it took — every wrong, guessed or slow question goes into the error log "
        "— and adjust the plan to what it shows. For a practical test, full mock tests with your "
        "instructor on roads around the test centre, vehicle checks and independent driving "
        "included."
        + DONE
        + "your last two mocks are above the pass mark or your target with a margin of "
        "about 5–10%, or your instructor has marked two mock tests as passes.",
    ),
    (
        1.5,
        "Final review and exam-day logistics",
        "No new material in the last 7–10 days: redo the error log, clear the flashcards, read a "
        "one-page summary sheet every day, and take a last mock 3–5 days before. Check the "
        "logistics now: the ID the exam body accepts (name exactly as booked), the confirmation, "
        "the route and travel time, or the system check for an online exam; for a driving test, "
        "your licence or permit, and a legal, insured car if you bring your own. Keep a steady "
        "7–9 hours of sleep: it does more for the score than a late cram."
        + DONE
        + "the logistics checklist is ticked "
        "off and your last mock met your target.",
    ),
    (
        1,
        "The final week: take {exam}",
        "Light review only, the day before nearly free, and the bag packed and alarm set the "
        "night before. On the day: a normal breakfast, arrive 30 minutes early, and use your "
        "nerves routine (slow breaths, in for 4 and out for 6). Work to your time checkpoints and "
        "flag a hard question rather than sink time into it; in a practical test, one mistake is "
        "rarely a fail, so settle and carry on." + DONE + "you have passed {exam}{by_target} "
        "with the result you need, or you have the score report and a retake booked while it is "
        "fresh.",
    ),
)

BANKS = {
    "start": rows("""
20 | Book a date for {exam} | A fixed date turns study into a plan: book it with the official body, or pick the sitting and put it in your calendar. For a practical test, ask your instructor which date is realistic and book it.
30 | Get the official syllabus and its weightings | Download the exam guide, blueprint or syllabus and note the format (questions, time, pass mark) and each domain's weight in %. For a practical test, get the official marking sheet or test standards.
60 | Take a timed diagnostic practice test | An official practice test, cold and under real timing (half of it if the full one runs over two hours), scored domain by domain. For a practical test, ask your instructor for a drive marked like the real test.
30 | Rank the topics by weight and weakness | Give each domain its weighting × how weak your diagnostic score was: the top three get most of your hours.
25 | Choose one course and one question bank | One main course or book that follows the official syllabus, and one bank of exam-style questions with explanations, official ones first. For a practical test: an approved instructor and the official rules handbook.
30 | Write a week-by-week study plan up to the date | Count back from the date: keep the last 1–2 weeks for mocks and review, and share out the rest by your ranking, heaviest gaps first.
20 | Set up a spaced-repetition deck | One deck per domain in Anki or a similar app, with the first 20 cards: the terms, formulas, rules or signs the diagnostic showed you did not know.
"""),
    "core": rows("""
40 | Study the next topic with active recall | 25 minutes on the next topic in your plan, then close the book and write down everything you remember before checking. For a practical test: a lesson or supervised practice on the next skill, with one clear aim.
30 | Answer 25 practice questions on one domain | Exam-style, at the real pace (total time ÷ number of questions), reading the explanation of every answer, right ones included. For a practical test: 5–10 runs of one manoeuvre with your instructor or supervisor.
30 | Log and redo your wrong answers | Every wrong or guessed answer goes in the error log with its topic, the reason (did not know, misread, ran out of time) and the rule in one line; then redo the latest entries without looking. For a practical test, log the faults from your last drive the same way.
45 | Do a mixed timed question set | 40 questions across all domains at the real pace: mixing topics is harder than blocks and sticks better. Score it against the pass mark or your target.
50 | Do a timed section of a mock exam | One section or about a third of a full mock, under exact timing and with no notes, reviewed the same day. For a practical test: a 40-minute mock test with your instructor on the roads around the test centre.
35 | Drill your weakest domain | The domain with the most error-log entries: relearn the rule, then 15–20 questions on it alone. For a practical test: the manoeuvre or situation with the most faults, 5–10 times.
35 | Practise the question format that costs you most marks | Essays, long scenarios, listening, speaking or hazard-perception clips, whichever loses you most: 2–3 under real timing, compared with a model answer or the marking criteria.
"""),
    "finish": rows("""
60 | Take a full mock exam under real conditions | The same length, breaks and time of day as the real one, phone away and no notes; score it against the pass mark or your target. For a practical test: a full mock test with your instructor, marked on the official sheet.
40 | Review your last mock question by question | Every wrong, guessed or slow question goes into the error log with why it went wrong and the rule. Spend about as long reviewing as the mock took.
30 | Redo your whole error log | Without looking at the answers; anything still wrong goes on your one-page summary sheet.
25 | Build your one-page summary sheet | The formulas, rules, figures and traps you still mix up, on one page you read every day until the exam. No new material now.
20 | Check the exam-day logistics | The ID the exam body accepts (name exactly as booked), the confirmation, what you may bring and the check-in time; for an online exam, run the system check. For a driving test: your licence or permit, and a legal, insured car if you bring your own.
20 | Plan the route and the night before | Check the route and travel time at the same time of day, aiming to arrive 30 minutes early. Set out the bag, clothes, alarm and breakfast, and a bedtime that leaves 7–9 hours of sleep.
15 | Rehearse your exam-nerves routine | Two minutes of slow breathing (in for 4, out for 6), then your pacing plan: time checkpoints, and flag a hard question and move on. In a practical test one mistake is rarely a fail: settle and carry on.
"""),
    "support": rows("""
10 | Put the exam date where you see it daily | On your phone's lock screen or a note on the desk, with the number of days left.
10 | Set up a distraction-free study spot | Phone in another room, a timer, and everything the session needs on the desk.
10 | Clear today's due flashcards | Answer each aloud before flipping, and add a card for anything you got wrong today.
15 | Watch a walkthrough of the exam day | The official tutorial, or a video of the check-in, the screens or a local test route: knowing what happens lowers the nerves.
10 | Explain one rule aloud from memory | One you keep getting wrong, as if to a friend, in under two minutes; where you stall is what to relearn.
10 | Read one recent exam-experience post | On the exam's forum or a study group: what surprised people, and whether your plan covers it.
5 | Protect tonight's sleep | Stop studying an hour before bed and aim for 7–9 hours: memory is consolidated while you sleep.
"""),
}

"""Writing a book: a novel, a memoir, a children's book or a non-fiction book, from idea to readers.

The plan follows how books actually get finished. Premise, readers and comparable titles come
first, because they fix the length and the shape. A light outline comes next, so the draft has
somewhere to go. Then a long stretch of drafting at a daily word count, written forward without
editing: most unfinished books die in rewrites of chapter one. The draft then rests before a
structural revision (big problems first, sentences last), and beta readers from the book's own
audience test it before the route out: a query letter to agents, or a self-published edition
with a professional editor and cover.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1,
        "Premise, readers and comparable titles for {book}",
        "Write the premise in one sentence: who wants what, what stands in the way and what is at "
        "stake (in a memoir, the one who wants is you; for non-fiction, write the reader's "
        "problem and the answer you give). Name the readers, the genre and the age group, and "
        "find 3–5 comparable titles published in the last five years; they also show the usual "
        "length: adult novels run 70,000–100,000 words (fantasy up to 120,000), memoirs "
        "60,000–90,000, picture books under 1,000. Fix a daily writing slot of {minutes} minutes "
        "at the same time each day."
        + DONE
        + "the premise, the readers, the comparable titles and a target of about {words} "
        "fit on one page.",
    ),
    (
        1.5,
        "Outline {book}: chapters, characters and research",
        "For a story, sketch three acts: an inciting incident about 10–15% in, a midpoint that "
        "turns things, a crisis and a climax; then give every chapter one line (a novel often has "
        "20–40 chapters of 2,000–4,000 words, a picture book about 14 spreads). For a memoir or "
        "non-fiction book, write the table of contents with a one-line promise per chapter. Give "
        "each main character, or each real person, a want, a fear and a flaw, note the rules of "
        "any invented world, and research only what the opening needs; once the plan holds, write "
        "a test scene or two to find the voice." + DONE + "every chapter has a one-line plan and "
        "you know how {book} ends.",
    ),
    (
        2.5,
        "Start drafting {book} at a daily word count",
        "Set the daily target: about {words} divided by the drafting days you have, rounded up "
        "(most people draft 500–1,000 words an hour once warmed up). No outline yet? Spend the "
        "first 2–3 sessions on a one-line plan per chapter. Then write forward every day, reread "
        "only the last paragraph, log the count, and stop mid-sentence so tomorrow starts easily."
        + DONE
        + "you have hit the target on at least 5 days a week for {span} and the first "
        "quarter of the draft exists.",
    ),
    (
        3,
        "Write the bulk of the first draft of {book}",
        "The middle is where most drafts stall: keep the daily count, and when a scene or section "
        "will not come, write a one-line placeholder in brackets and skip to the next one you can "
        "see. If the plan changes, note the change at the top of the file instead of going back "
        "to rewrite earlier chapters. Sprints of 20–25 minutes with the phone in another room "
        "beat waiting for inspiration." + DONE + "three quarters of about {words} is drafted and "
        "logged, and each remaining chapter has a plan.",
    ),
    (
        3,
        "Write to the end of the first draft of {book}",
        "Push through to the last line: the ending will be rough, and that is fine, because a "
        "finished bad draft can be fixed and a perfect half cannot. If the count runs well over "
        "or under {words}, note where rather than cutting now. Type THE END, back the file up in "
        "two places, and celebrate." + DONE + "a complete first draft exists from the first page "
        "to the last, however rough.",
    ),
    (
        3,
        "Rest the draft, then revise: structure first, lines last",
        "If the last chapters are still missing, draft them rough first; then leave the manuscript "
        "alone for 2–4 weeks if time allows, and spend those sessions on the pitch, on researching "
        "agents or self-publishing services and on reading two books in your genre. Reread it in "
        "as few sittings as you can, making notes only, and write a reverse outline: one line "
        "per chapter, what happens and why it is there. Fix the big things before the small "
        "ones (plot holes, pacing, character arcs, the order of the argument, chapters that do "
        "not earn their place), then line-edit: cut filler words, read dialogue aloud, vary "
        "sentence length."
        + DONE
        + "the reverse outline shows every chapter earning its place and every chapter "
        "has had a line edit.",
    ),
    (
        2,
        "Beta readers, then send {book} out: agents or self-publishing",
        "Give the revised draft to 3–5 beta readers who read books like it (for a children's "
        "book, read it aloud to children of the right age and watch where they fidget) and ask "
        "3–4 questions: where did they get bored, confused or stop believing? Act on the notes "
        "that two or more readers share. For an agent, write a one-page query letter (a hook, "
        "250–300 words on the book, two comparable titles, a short bio) and a 1–2 page synopsis, "
        "and send them in batches of 5–10 to agents who represent your genre; to self-publish, "
        "book a professional copy-editor, a proofreader and a cover designer, and plan the ebook "
        "and print editions with an ISBN."
        + DONE
        + "{book} is on its way to readers{by_target}: the first batch of queries is "
        "out, or the editor, cover designer and release date are booked.",
    ),
)

BANKS = {
    "start": rows("""
20 | Write the one-sentence premise | Who wants what, what stands in the way and what is at stake (in a memoir, the one who wants is you); for non-fiction, the reader's problem and your answer. Pin it above your desk.
30 | Find five comparable titles | Books like yours from the last five years: note the length, the readers and what yours does differently. Two of them will go in your pitch later.
15 | Set up the manuscript file and a word-count log | One file for the whole draft, an automatic backup to the cloud, and a log with the date, words written and running total.
40 | Outline the three acts or the table of contents | For a story: opening, inciting incident, midpoint, crisis, climax and ending, a paragraph each. For a memoir or non-fiction book: 10–20 chapter titles, each with a one-line promise.
45 | Write a one-line plan for every chapter | What happens or what the reader learns, and how the chapter ends (about 14 spreads for a picture book). Mark the gaps and keep going.
30 | Profile your main characters or your reader | A want, a fear, a flaw and a way of speaking for each character; for a memoir, decide whose names and details you will change; for non-fiction, describe the one reader you write for.
30 | Research what the opening chapters need | Settings, facts, sources and the rules of any invented world; stop at what the opening needs and list the rest as questions to check during revision.
"""),
    "core": rows("""
45 | Write today's word count | Your daily target, forward from where you stopped: reread only the last paragraph, edit nothing, and log the number.
45 | Draft the next scene or section from your outline | Read its one-line plan, then write it from start to finish; put a placeholder in brackets where a fact or a word is missing and move on.
30 | Write in timed sprints | Two or three sprints of 20–25 minutes with a timer and the phone in another room; log the words of each sprint and try to beat the first.
35 | Plan three scenes ahead, then draft the first | A few lines each on what happens or what the reader learns and how it ends; then write the first of them until the time is up.
40 | Write the scene you most want to write | Stuck? Skip ahead to a scene or chapter you can see clearly and write that; the bridge to it can come later.
45 | Finish the current chapter and log it in one line | Write to the end of the chapter you are in, then add a line to a running outline: what happens, its word count, anything to fix later. It makes revision far quicker.
45 | Bank extra words in a longer session | On a freer day, aim for one and a half times your daily target: it buys slack for the busy days.
"""),
    "finish": rows("""
45 | Read the next chapters as a reader | Three or four chapters in one sitting, making margin notes only where you got bored, confused or lost. No fixing yet.
45 | Revise one chapter for structure | Check it against the reverse outline: does it earn its place, start late and end early, move the story or argument on? Cut, merge, move or rewrite it.
40 | Line-edit one chapter | Cut filler words (just, very, really, suddenly), swap weak verbs for strong ones, vary sentence length and question every adverb.
30 | Read a chapter aloud and mark where you stumble | Every stumble is a sentence to fix; for a picture book, read the whole text and check that each page turn pulls the reader on.
40 | Fix the biggest open note across the manuscript | Take the largest problem on your list, yours or a beta reader's (a thread, a character, the timeline), and fix it everywhere it appears; notes shared by two or more readers come first.
40 | Work on your pitch: query, proposal or blurb | For agents, a one-page query letter and a 1–2 page synopsis that gives away the ending (non-fiction usually sells on a proposal: overview, readers, chapter outline and a sample chapter); to self-publish, a back-cover blurb of 150–200 words.
30 | Research five agents or self-publishing services | Agents who represent your genre, with their submission rules and recent deals; or editors, cover designers and print-on-demand services, with prices.
"""),
    "support": rows("""
10 | Switch on a focus mode for your writing slot | Notifications off at the same time each day, so the slot starts without a fight.
10 | Back up the manuscript in a second place | A cloud folder and an email to yourself or a drive: losing a draft is the one setback you can fully prevent.
10 | Read the first page of a comparable title | Note how it hooks the reader in the first lines and what it leaves unsaid.
5 | Start an ideas file for later | A note on your phone for scenes, lines and facts that arrive between sessions, so they do not pull you out of today's chapter.
10 | Ask one person to be a beta reader | Someone who reads your genre, not only a friend who will be kind; asking now means they are ready when the draft is.
5 | Choose small rewards for the draft's milestones | The first chapter, the halfway point and THE END each get a treat you will look forward to.
15 | Read about one craft technique | A few pages of a writing guide for your genre; note one thing to try in the next session.
"""),
}

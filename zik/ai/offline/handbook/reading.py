"""Reading a number of books: a reading habit sized to a count ("Read 24 books this year").

Reading more is not about willpower or speed but about logistics and a daily slot. The plan
turns the count into pages a day (a typical book is about 300 pages, read at about a minute a
page), starts with a list that opens on an easy win, and ties reading to a fixed time and place.
It then removes the gaps that stall readers: the next book is always ready, audiobooks and short
books count, and a dull book is dropped instead of avoided for weeks. A log, a few lines after
each book and a friend or book club keep it going; a mid-way pace check adjusts the list so the
count is reached without a cram at the end.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "Choose your reading list and your pages a day",
        "List 10–15 books you actually want to read, mixing short and long, fiction and "
        "non-fiction, with a short, gripping one first for an early win. Work out the daily "
        "pages: the number of books × about 300 pages ÷ the days you have (12 books a year is "
        "about 10 pages a day, 24 about 20, 52 about 43), and at roughly a minute a page, check "
        "that it fits your daily {minutes} minutes. Get the first book in your hands today, from a "
        "shop, the library or an app." + DONE + "the list is written, your pages a day are noted "
        "on it, and the first book is started.",
    ),
    (
        2,
        "Fix a reading time and place",
        "Tie reading to something you already do every day: the commute, lunch, after dinner, or "
        "20 minutes in bed before lights out. Keep the book where that happens and the phone in "
        "another room, and carry a second format for dead time: an e-book on your phone, an "
        "audiobook for walks and chores." + DONE + "you have read at your fixed time on at least "
        "6 of every 7 days for {span}.",
    ),
    (
        3,
        "Reach your daily pages and finish the first books",
        "Grow the sessions until you read your daily pages, and log pages and finished books in "
        "a notebook, a spreadsheet or an app such as Goodreads or StoryGraph. Have the next book "
        "ready before you finish the current one, so no days are lost in between. Quit a book "
        "that still bores you after 50 pages: a list you enjoy is a list you finish."
        + DONE
        + "you have averaged your daily pages for two weeks and finished at least one book.",
    ),
    (
        3,
        "Use every format: audiobooks, e-books and short books",
        "Audiobooks count: at 1.25–1.5× speed, a commute and the chores can add 30–60 minutes of "
        "reading a day. Follow each long book with a short one (a novella, essays, a graphic "
        "novel), and keep an e-book on your phone for queues and waiting rooms." + DONE + "you "
        "have finished at least as many books as the calendar says you should have by now.",
    ),
    (
        2.5,
        "Read with others and write a few lines per book",
        "After each book, write 3–5 lines: what it was about, one idea or scene that stayed with "
        "you, and a score out of 5. Join a book club at a library, a bookshop or online, or pick "
        "one reading friend to swap recommendations with and talk through a book a month."
        + DONE
        + "every finished book has its notes and you have talked one of them through "
        "with someone.",
    ),
    (
        2,
        "Check the pace and adjust the list",
        "Compare the books finished with the books due by now. Behind: swap the next long book "
        "for a shorter one, add one longer weekend session and an audiobook; ahead: add the big "
        "book you have been putting off. Cut titles you no longer want and refill the list from "
        "recommendations." + DONE + "the books left fit the days left at the pace your log "
        "shows.",
    ),
    (
        1.5,
        "Final stretch: finish {books}",
        "Plan the last books against the days left, with the shortest at the end if time is "
        "tight, and keep the daily slot even on busy days: ten pages still count. Then write a "
        "short look back: your favourite books, the times and formats that worked, and the "
        "first titles for your next list." + DONE + "you have read {books}{by_target} and your "
        "next reading list is started.",
    ),
)

BANKS = {
    "start": rows("""
20 | Write your reading list | 10–15 books you really want to read, a mix of lengths and genres; put a short, gripping one first for a quick win.
15 | Work out your pages a day | The number of books × about 300 pages ÷ the days available; at about a minute a page, that is also your daily minutes. Write it on your bookmark.
15 | Choose your reading time and place | One slot tied to something you already do daily (commute, lunch, bedtime) and one spot with good light and no phone.
20 | Get the first three books ready | Buy, borrow or reserve them, and join your library's e-book and audiobook app if it has one, so the next book is never more than a tap away.
15 | Set up your reading log | Title, start and finish dates, pages, a score and a few lines, on paper, in a spreadsheet or in an app such as Goodreads or StoryGraph.
30 | Read the first chapter of your quick-win book | At your fixed time and place; stop at a point where you want to go on, so tomorrow starts easily.
15 | Find a book club or a reading friend | A library or bookshop club, an online group, or one friend reading alongside you; put the first meeting in your calendar.
"""),
    "core": rows("""
30 | Read a full session with the phone away | Phone in another room and a timer for your daily minutes; note the pages read in your log.
30 | Listen to an audiobook on a walk or the commute | At 1.25× speed if it stays clear; log it at about a page a minute.
15 | Write a few lines about the last book you finished | 3–5 lines: what it was about, what stayed with you, and a score out of 5.
20 | Choose and line up the next book | Pick it from your list before the current one ends, and get it onto your shelf, phone or library holds.
45 | Catch up in a longer weekend read | A longer, screen-free session with a drink you like; it covers the busy weekdays and often finishes a book.
30 | Read a short book between long ones | A novella, essays, poetry or a graphic novel: a finished book in a day or two keeps the count moving.
15 | Check your pace against the plan | Books finished and pages read against what is due by now; decide one change if you are behind.
"""),
    "finish": rows("""
15 | Count the books and the days left | Books left × about 300 pages ÷ days left gives your new pages a day; check they still fit your daily minutes.
20 | Re-plan the last books on your list | Order what is left by length and by how much you want it; if you are behind, replace the longest title with a shorter one you want just as much.
45 | Finish the book you are reading | A long session to reach the last page; log it the same day.
20 | Write a short review of a favourite book | A paragraph for your log, a friend or a review site: what it did well and who should read it.
20 | Talk a book through with a friend or your club | What each of you liked, doubted and will remember; note one recommendation you get.
25 | Write your reading look-back | Your favourite books, which times and formats worked, which books you quit and why.
20 | Start your next reading list | Five titles for after the goal, from your notes and recommendations, so the habit runs on.
"""),
    "support": rows("""
5 | Put your book where you will see it | On the pillow, by the kettle or in your bag: seeing it is the cue to read.
10 | Download an audiobook for the commute or chores | Choose one from your list, or a lighter one, and save it for offline listening.
10 | Load an e-book onto your phone | For queues, waiting rooms and the moments you would otherwise scroll.
5 | Turn on do-not-disturb for your reading time | Schedule it to switch on every day at your reading slot.
10 | Ask a friend for a book recommendation | Ask what they could not put down lately and add it to your list.
10 | Reserve your next two books at the library | Holds take days or weeks: reserving now means no gap later.
10 | Copy a passage you liked into your log | A line or two worth keeping, with the page number: it makes the notes worth rereading.
"""),
}

# The day's main task is the reading itself, like any habit's daily repetition; the banks above
# give the task beside it. By stage (see coach.py): a short start, the daily dose, the full one.
REPS = {
    "start": (
        15,
        "Day {n}: read for {m} minutes",
        "At your fixed time and place, phone in another room. Stop mid-scene so tomorrow starts "
        "easily, and note the pages in your log.",
    ),
    "core": (
        25,
        "Day {n}: read your daily pages",
        "The pages a day your plan needs, in one sitting or two. On a busy day read for five "
        "minutes rather than skip: the streak matters more than the count.",
    ),
    "finish": (
        30,
        "Day {n}: read toward the last books",
        "Your daily pages, and a little more when a book is close to its end: finishing one "
        "keeps the count moving.",
    ),
}

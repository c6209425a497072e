"""A trip or travel goal: a holiday, a city break, a long journey through a region. The plan works
backwards from the departure: first the slow things with deadlines (the season, the budget and
the savings, a passport, visas, insurance and vaccinations, which can take weeks or months), then
the bookings that get dearer or sell out, then the route and the days, then the local knowledge
that makes the days go well (phrases, customs, money and phone), then packing and the trip
itself. It ends after the return, when the photos and notes are sorted, because that is what a
trip leaves behind.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "Shape the trip to {place}: when, how long, what budget",
        "Write down the 3 things you most want to see, do or eat, then choose the season: "
        "weather, crowds, prices and public holidays change a lot from month to month, and the "
        "shoulder season is often cheaper and calmer. Draft the budget as flights + nights × "
        "nightly rate + days × daily spend, plus transport, activities and insurance, and add a "
        "10–15% buffer; divide what is missing by the months left." + DONE + "the dates are "
        "fixed to within a week, the budget is written down, and you know how much to save each "
        "month.",
    ),
    (
        1.5,
        "Passport, entry rules, insurance and health",
        "Check that your passport is valid for at least 6 months after your return and has two "
        "blank pages (a renewal can take weeks), then read your government's travel advice for "
        "each country on the route; apply for any visa or electronic travel authorisation on "
        "official sites only. Buy travel insurance as soon as you book anything, so cancellation "
        "is covered, with medical and repatriation cover and the activities you plan (hiking, "
        "diving, driving). If the health advice lists vaccinations or malaria tablets, see a "
        "travel clinic 6–8 weeks before you leave."
        + DONE
        + "your passport is valid for the trip, every visa or authorisation is approved or "
        "applied for, insurance is bought, and the health advice is followed.",
    ),
    (
        2.5,
        "Save up and book the big pieces",
        "Book in the order things get dearer or sell out: flights first (compare flexible dates "
        "and set price alerts), then the first and last nights, then anything with limited "
        "places, such as rail passes, popular tours, timed-entry sights, or huts and campsites "
        "in high season. Prefer free cancellation while plans can still change, keep every "
        "confirmation in one trip folder, and let an automatic transfer on payday fill the trip "
        "savings." + DONE + "the flights and the first nights are booked, and the savings are on "
        "track for the budget.",
    ),
    (
        3,
        "Plan the route, the stops and the days",
        "Sketch the route on a map and count the nights per stop: every move costs about half a "
        "day, so 2–3 nights per base beats a new bed every night, and one free day a week keeps "
        "a long trip from wearing you out. Plan the transport between stops (times, prices, when "
        "tickets go on sale) and, for each base, the 2–3 things you most want to do, with their "
        "opening days and a rainy-day option."
        + DONE
        + "the whole route fits on one page with nights per stop and the transport between "
        "them, and nothing that must be booked ahead is still unbooked.",
    ),
    (
        2.5,
        "Learn the basics: language, customs and money",
        "Learn 30–50 phrases of the local language if it is not yours (greetings, please and "
        "thank you, numbers, prices, directions, food allergies): even a few words are noticed "
        "and welcomed. Read "
        "about local etiquette (greetings, tipping, dress at religious sites, what counts as "
        "rude), the common scams and the areas to avoid. Sort money and phone: a card without "
        "foreign-transaction fees, a backup card kept apart, a little local cash, an eSIM or "
        "local SIM, and offline maps." + DONE + "you can greet, thank, order and ask the way in "
        "the local language, you know the tipping and dress customs, and your cards and phone "
        "are ready to work abroad.",
    ),
    (
        1.5,
        "Pack and get ready to leave",
        "Write a packing list from the weather and the activities, pack it, then take out a "
        "third: washing clothes is easier than carrying them. Hand luggage holds the essentials "
        "(passport, medicines in their original boxes, chargers, a change of clothes); save "
        "copies of your passport, insurance and bookings online and offline, leave your "
        "itinerary with someone at home, and prepare the home (post, plants, bills)."
        + DONE
        + "the bag is packed and weighed, the documents are copied, and the first day's journey "
        "is planned door to door.",
    ),
    (
        1.5,
        "Travel to {place} and wrap up the trip",
        "Follow the plan loosely: the booked parts fixed, the rest open to what you find. Write "
        "three lines in a journal each evening and back up your photos every few days; once home, "
        "sort the best photos into one album and write down what you would do differently next "
        "time." + DONE + "you have been to {place}{by_target}, your photos are backed up with "
        "the best ones in one album, and your notes for the next trip are written.",
    ),
)

BANKS = {
    "start": rows("""
20 | Write down what you want from the trip | The 3 things you most want to see, do or eat, your travel style (slow or packed, comfort or budget) and who is coming: every later choice is checked against this page.
25 | Choose when to go to {place} | Compare the months for weather, crowds, prices, public holidays and festivals; pick your window and note what it means for packing and booking.
30 | Draft the trip budget | Flights, nights × nightly rate, days × daily spend (from a recent traveller's figures), transport, activities and insurance, plus a 10–15% buffer.
20 | Check your passport and the entry rules | Your passport must be valid 6 months after your return, with two blank pages; then read your government's travel advice for each country on the route: visa, electronic authorisation, how long approval takes.
20 | Open a trip savings pot | A separate account or pot with an automatic transfer on payday: what the budget still needs, divided by the months left.
25 | Check the health advice for {place} | Official travel health pages or a travel clinic: routine and travel vaccines, malaria, altitude and water safety. If anything is needed, book the clinic 6–8 weeks before you leave.
30 | Compare flights for three date options | Use a fare search with a flexible-date calendar: note the cheapest day and route for each option, and set a price alert rather than booking in a rush.
"""),
    "core": rows("""
30 | Research one stop on the route | What to see, how many nights it deserves, which area to stay in and how to get there; add it to your itinerary document.
30 | Book one part of the trip | A flight, a night, a transfer or a ticket: compare 2–3 options, prefer free cancellation, and save the confirmation in your trip folder.
25 | Plan one day of the trip in detail | Morning, afternoon and evening: opening days and hours, the travel time between places, what needs a ticket ahead, and a rainy-day option.
20 | Practise ten phrases of the local language | Say each aloud three times, then act out a short scene with them: arriving at your accommodation, ordering food, buying a ticket.
25 | Read about one local custom or piece of history | Greetings, tipping, dress, table manners, or the story behind a place you will see: it turns sights into meaning.
20 | Check the budget against your bookings | Booked against planned, line by line; if you are over, decide now where to save (a cheaper night, one fewer paid activity).
30 | Plan the transport between two stops | Train, bus, ferry, car or domestic flight: journey time, price, when tickets go on sale, and whether a pass pays off.
"""),
    "finish": rows("""
30 | Check the bookings for the days ahead | Before you leave, the first week; on the road, the next three days: confirmations, check-in times, and addresses saved offline.
30 | Pack, weigh and cut the extras | Lay everything out, take away a third, then pack and weigh against your airline's limit; medicines and documents go in hand luggage.
15 | Back up documents and photos | Scans of your passport, insurance and bookings in the cloud and in your email; on the road, copy your photos every few days.
15 | Write a page of your travel journal | Before you leave, what you hope for; on the road, three lines and one small detail of the day; back home, what you would do differently.
30 | Sort the best photos into one album | Before you leave, free space on your phone and turn on automatic backup; during the trip and after it, keep the best three of each day and archive the rest.
25 | Plan the next arrival door to door | From the airport or station to your bed: transport, cost, how to pay, the address saved offline, and when check-in opens.
15 | Check money, cards and phone for the next stop | A little local cash, cards that work abroad, data on your phone, and offline maps of the next place.
"""),
    "support": rows("""
10 | Note the emergency numbers and your embassy | The local emergency number, your insurer's 24-hour line and your embassy or consulate, saved in your phone and on paper.
5 | Check your card's fees abroad | In your bank app or terms: the fees for paying and withdrawing cash abroad. If they are high, order a card without them.
10 | Save offline maps of your first stop | Download the area in your maps app so you can find your way without data from the moment you land.
10 | Share your plans with someone at home | Your itinerary, booking references and insurance details, and a check-in rhythm you both agree on.
15 | Break in the shoes you will travel in | A brisk walk in them today: new shoes on day one of a trip mean blisters by day two.
10 | Move a small sum into the trip pot | Any unplanned saving today, a skipped takeaway or a sold item, goes to the trip: it makes it feel close.
10 | Sign up for travel advice alerts for {place} | Your government's email updates on safety, strikes and entry rules, and its traveller registration scheme if it has one.
"""),
}

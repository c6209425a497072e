"""Saving for a purchase or a fund (a trip, a house deposit, a car, a laptop, an emergency
fund): saving works when it stops depending on willpower, so the plan runs in the order a good
money coach would use. First an exact number (the real price, a date, and the monthly and weekly
figures they imply), then a separate account and an automatic transfer on payday so saving comes
before spending; only then the work that raises the monthly amount (a spending review with 2–3
lasting cuts, selling and side income, windfalls), held together by a visible tracker and a
plain rule for months that fall short. It ends with the money used well: the best price and
timing for a purchase, clear rules for a fund, and an everyday buffer that stays intact.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "Know the number: {amount}, a date and a monthly figure",
        "Price the goal in full: for a purchase, the real total with fees, delivery, insurance or "
        "taxes plus a 10% margin; for an emergency fund, 3–6 months of essential costs; for a "
        "house deposit, the deposit plus 2–5% of the price for fees and moving. Set a date, then "
        "divide what is still needed by the months left for the monthly figure (× 12 ÷ 52 gives "
        "the weekly one). Check it against the average surplus of your last 2–3 months of "
        "statements: if it does not fit, move the date or the amount now, not halfway through."
        + DONE
        + "the amount, the date, and the monthly and weekly figures are written where you will "
        "see them every day.",
    ),
    (
        1.5,
        "Open a separate account for {purpose} and set a payday transfer",
        "Keep the money out of your everyday account, ideally at another bank so it is out of "
        "sight. For money needed within about two years, choose instant access with the best rate "
        "you can find and check it is covered by deposit protection; for a house deposit years "
        "away, also compare fixed-term and first-home accounts where you live, and keep money "
        "needed within five years out of shares. Set an automatic transfer of the monthly figure "
        "for the day after payday: saving comes first, spending gets what is left."
        + DONE
        + "the account is open and the first automatic transfer has arrived in it.",
    ),
    (
        3,
        "Review your spending and make 2–3 cuts that go to savings",
        "Sort 2–3 months of statements into fixed costs, essentials and wants, and total each. "
        "Look at the big levers before the small ones: housing, transport, food and "
        "subscriptions, plus phone, insurance and energy deals you can switch. Choose 2–3 cuts "
        "you can live with and raise the automatic transfer by what they free on the same day, or "
        "the money quietly gets spent." + DONE + "2–3 cuts are made and the payday transfer has "
        "gone up by what they save.",
    ),
    (
        3,
        "Bring in extra money: sell, earn and bank the windfalls",
        "Sell what you do not use: check what similar items actually sold for, photograph them "
        "in daylight and post a few each week. Ask about overtime or take on a small side job "
        "that fits your week, and decide now that at least half of every windfall (a tax refund, "
        "a bonus, gifts, cashback) goes to savings on the day it arrives. Every extra sum goes "
        "straight to the savings account, never through the everyday one first."
        + DONE
        + "at least one extra source has paid into the savings account and your windfall rule "
        "is written down.",
    ),
    (
        3,
        "Track it visibly and catch up after short months",
        "Once a week, spend 10 minutes comparing the balance with the plan line, and colour in a "
        "tracker you see every day (a chart on the fridge or a phone widget). When a month falls "
        "short, do not stop: find the cause, then split the gap over the next 2–3 months or move "
        "the date, and write down which. If you had to take money out for a real emergency, that "
        "is what savings are for: rebuild first, then carry on."
        + DONE
        + "you have checked the balance against the plan every week for {span}, and any "
        "shortfall has a written catch-up plan.",
    ),
    (
        1.5,
        "Final stretch: close the gap and plan how to use the money",
        "Work out what is left and the weeks to your date; if the usual transfer will not cover "
        "it, choose the top-up now (a no-spend week, a bigger sale, extra hours) or move the date "
        "honestly. If the money is for a purchase, start watching prices, sale seasons and "
        "off-peak dates, and compare three sellers on total cost including delivery, warranty and "
        "returns. If it is an emergency fund, write down what counts as an emergency and keep it "
        "where you can reach it within a day."
        + DONE
        + "the remaining amount is covered by planned transfers, and you know the price to pay or "
        "the rules for the fund.",
    ),
    (
        1,
        "Reach {amount} for {purpose}",
        "Make the last transfers and check the total in the account. For a purchase, buy at the "
        "price and time you researched, pay with a method that offers purchase protection, and "
        "keep at least a month of essential costs aside so buying it does not leave you one "
        "surprise away from debt. For a fund, leave it in instant access and keep a smaller "
        "transfer running to refill whatever you use."
        + DONE
        + "{amount} is saved{by_target}, your everyday buffer is intact, and the payday transfer "
        "has its next job.",
    ),
)

BANKS = {
    "start": rows("""
25 | Price the goal in full and fix a date | For a purchase, add fees, delivery, insurance or taxes and a 10% margin; for an emergency fund, total 3–6 months of essential costs. Write down the amount and the date you want it by.
20 | Work out your monthly and weekly figure | What is still needed ÷ the months to your date is the monthly figure; × 12 ÷ 52 gives the weekly one. Write both where you will see them every day.
30 | Find your real monthly surplus | Average income minus everything that went out, over the last 2–3 months of statements. If it is below the monthly figure, plan cuts to close the gap or change the date now.
25 | Compare three savings accounts | Instant access with the best rate for money needed within two years; for a house deposit years away, fixed-term and first-home accounts too. Check deposit protection, withdrawal limits and whether the rate is a short-term bonus.
20 | Open the savings account and name it | Separate from your everyday account, ideally at another bank so it is out of sight. Name it after what it is for: a named pot is harder to raid.
15 | Set up the payday transfer | An automatic transfer of the monthly figure for the day after payday, so saving happens before spending. Check that the first one arrives.
20 | Make a savings tracker you will see daily | A chart on the fridge or a note on your phone's home screen, with the target, the date and a line for each week. Move anything you have already set aside for {purpose} into the account and mark it as the first step.
"""),
    "core": rows("""
30 | Review last week's spending line by line | Mark each item needed, wanted or avoidable; total the avoidable ones and choose one to skip next week.
25 | Cut or switch one recurring cost | A subscription, phone plan, insurance or energy tariff: cancel, downgrade or switch, then raise the payday transfer by what it saves.
30 | List one unused item for sale | Check what similar items actually sold for, photograph it in daylight and price it there; the money goes straight to savings when it sells.
30 | Take one step toward extra income | Overtime, extra shifts, freelance work, tutoring or pet-sitting: ask, apply or advertise today, and note what it could add each month.
25 | Plan the week's meals and shop from a list | Five dinners, one shop, leftovers for lunches. Move the difference from a usual week's food spending to savings.
20 | Do the weekly savings check | Compare the balance with the plan line: ahead, on track or behind. If behind, write the catch-up: the gap split over the next 2–3 months, or a later date.
15 | Sweep this week's spare money into savings | Leftover spending money, refunds, cashback and gifts: move them today, before they blend into the everyday account.
"""),
    "finish": rows("""
25 | Recalculate what is left to save | Remaining amount ÷ weeks to the date. If it is more than the usual transfer, choose the top-up now: a no-spend week, a bigger sale, extra hours or a later date.
20 | Plan a no-spend week | Essentials only for 7 days (rent, bills, planned groceries, transport): log out of shopping apps, plan cheap meals, and move what you did not spend on day 7.
30 | Find one extra sum for the last stretch | Sell something bigger, take an extra shift or put a windfall in: the last 10–20% is where savings plans most often stall.
30 | Compare three options on total cost | For a purchase, three sellers on price plus delivery, warranty and returns, and whether a sale or an off-peak date is near; for an emergency fund, three accounts on rate and access.
20 | Write the rules for using the money | For a purchase, the most you will pay and the extras you will not add at the till; for an emergency fund, what counts as an emergency (job loss, urgent repairs, medical costs) and what does not.
20 | Check your everyday buffer | At least a month of essential costs should stay outside the goal money, so using it never leaves you one surprise away from debt. Top the buffer up first if it is short.
15 | Decide what the payday transfer does next | Keep it running once the target is reached, pointed at a buffer, the next goal or long-term investing: the habit is worth more than any single goal.
"""),
    "support": rows("""
10 | Write down why you are saving | One sentence on what {purpose} will make possible, on your tracker or phone lock screen: it helps when a purchase tempts you.
10 | Turn on a round-up or savings rule | If your bank offers round-ups or a rule that moves a set amount each week, switch it on and point it at the savings account.
10 | Unsubscribe from five shopping emails | Sales emails and shop app notifications exist to make you spend: fewer prompts, fewer impulse buys.
5 | Put one want on a 48-hour list | Write it down instead of buying it; if you still want it in 48 hours and it fits the plan, buy it then.
10 | Remove saved cards from shopping apps | One-tap buying is the easiest leak; typing the card number gives you a moment to decide.
5 | Colour in your savings tracker | Add the latest balance to the chart: a line moving the right way keeps you going through the dull weeks.
5 | Move a small extra sum to savings | The price of a skipped takeaway or coffee, moved right now: small sums keep the habit alive between paydays.
"""),
}

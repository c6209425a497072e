"""Paying off debt (credit cards, overdrafts, student, car and personal loans, or everything at
once): debt is cleared by arithmetic kept up for months, so the plan follows the order debt
advisers use. See every debt on one page (balance, rate, minimum), stop the hole getting deeper
(no new borrowing, every minimum on autopay, a small buffer so the next surprise does not go on a
card), then pick a method (avalanche or snowball) and automate a payment above the minimum. The
middle makes each payment go further (lower rates from calls, transfers or consolidation weighed
on total cost) and bigger (a spending plan, extra income, windfalls); the end rolls each cleared
payment into the next, celebrates every zero, and turns the old payment into savings so the debt
does not come back. Anyone who struggles to meet the minimums is pointed to free debt advice
first.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "List every debt: balance, interest rate and minimum payment",
        "Put every debt on one page (cards, overdrafts, loans, car finance, buy-now-pay-later, "
        "money owed to family) with its balance, interest rate, minimum payment and due date, "
        "plus the end date of any 0% offer. A free credit report shows anything you have "
        "forgotten. Then work out what you can pay each month above the minimums. If the "
        "minimums alone are already hard to meet, contact a free debt advice service now "
        "(StepChange or National Debtline in the UK, an NFCC nonprofit credit counsellor in the "
        "US), before a payment is missed."
        + DONE
        + "every debt is on the list, and you know the total, the highest rate and the monthly "
        "amount you can pay above the minimums.",
    ),
    (
        1.5,
        "Stop adding new debt and build a small buffer",
        "Take the cards out of daily use: delete saved card details from shopping apps, remove "
        "buy-now-pay-later apps, and pay day-to-day by debit card or cash. Put every minimum "
        "payment on autopay so nothing is ever late. Start a small emergency buffer, about one "
        "month of essential costs or at least the price of a typical surprise such as a car "
        "repair, so the next surprise does not become new debt."
        + DONE
        + "you have borrowed nothing new for {span}, every minimum is on autopay, and the buffer "
        "is growing.",
    ),
    (
        3,
        "Pick avalanche or snowball and automate the extra payment",
        "Avalanche puts every spare amount on the highest interest rate first and costs the "
        "least; snowball clears the smallest balance first and gives quicker wins, which keeps "
        "many people going. With a single debt there is nothing to choose. Pay the minimum on "
        "everything else and set an automatic payment above the minimum on the debt at the top "
        "of your list, for the day after payday. Fix it "
        "as an amount rather than paying the minimum: card minimums fall as the balance falls, "
        "which stretches the payoff over many years."
        + DONE
        + "your method is written down and an automatic payment above the minimum has gone out.",
    ),
    (
        3,
        "Cut the interest: call lenders, compare transfers and consolidation",
        "Call each lender, highest rate first, and ask for a lower rate or waived fees, or for a "
        "hardship plan if payments are a struggle. A 0% balance transfer helps only if the fee "
        "(often 3–5%) is less than the interest saved and you can clear the balance before the "
        "offer ends; a consolidation loan only if its total cost is lower and the cleared cards "
        "stay unused. For student loans, check what you would give up before refinancing "
        "(income-based repayment, forgiveness or write-off) and whether paying early saves "
        "anything at all."
        + DONE
        + "every lender has been asked for a better rate, and any transfer or new loan has its "
        "end date and payoff plan in your calendar.",
    ),
    (
        3,
        "Free up more money: a spending plan, cuts and extra income",
        "Give all your income a job before the month starts (a zero-based spending plan), with "
        "realistic amounts for food, transport and some fun so the plan survives real life. Make "
        "2–3 cuts, sell what you do not use, and look for extra income such as overtime, a side "
        "job or freelance work. Send windfalls like tax refunds and bonuses mostly to debt, and "
        "raise the automatic payment each time the plan frees money."
        + DONE
        + "a full month has run on the plan and your extra payment is higher than when you "
        "started.",
    ),
    (
        2,
        "Roll the payments forward and celebrate each debt cleared",
        "When a debt reaches zero, move its whole payment onto the next one on your list at once, "
        "so the amount you pay never shrinks while the balances do. Check each statement for new "
        "charges and recalculate your debt-free date every month. Mark every debt cleared with "
        "something small and cheap: the wins are what keep a long plan going."
        + DONE
        + "you pay at least as much each month as at the start, and your debt-free month is in "
        "your calendar.",
    ),
    (
        1.5,
        "Pay off {debt} and stay debt-free",
        "Make the last payments, then ask each lender for written confirmation of a zero balance "
        "and check your credit report a month or two later. Keep the same automatic payment "
        "going, now into savings: first to 3–6 months of essential costs, then to the next goal. "
        "Write your rules for credit from here on: cards paid in full every month, and the "
        "emergency fund rather than a card for surprises."
        + DONE
        + "{amount} is paid off{by_target}, each lender has confirmed a zero balance, and the old "
        "payment now goes into savings.",
    ),
)

BANKS = {
    "start": rows("""
30 | List every debt on one page | Lender, balance, interest rate, minimum payment and due date for each, including overdrafts, car finance, buy-now-pay-later and money owed to family.
20 | Check your credit report for free | Use an official free service to see every account in your name; add anything missing to your list and note any error to dispute.
25 | Work out your monthly amount for extra payments | Income minus essential costs and every minimum payment. If the result is below zero, contact a free debt advice service this week, before a payment is missed.
15 | Put every minimum payment on autopay | At least the minimum on each debt, collected a few days after payday: one missed payment can bring a fee, a higher rate and a mark on your credit file.
15 | Take your cards out of daily use | Delete saved card details from shopping apps and browsers, leave the cards at home, and pay day-to-day by debit card or cash.
20 | Start a small emergency buffer | A separate savings pot with a weekly transfer, until it holds about a month of essential costs or the price of a typical surprise such as a car repair. It keeps the next surprise from becoming new debt.
25 | Choose avalanche or snowball | Avalanche: extra money to the highest interest rate first, the cheapest route. Snowball: the smallest balance first, the quickest wins. Write down your choice and the order of your debts; with a single debt, skip the choice and note its rate.
"""),
    "core": rows("""
20 | Pay extra on the debt at the top of your list | Whatever the plan freed this week, paid today on top of the minimum. Note the new balance.
25 | Call one lender to ask for a lower rate | Say how long you have been a customer and that you are comparing other offers; ask for a lower rate or waived fees, or a hardship plan if payments are hard. Note who you spoke to and the result.
30 | Review last week's spending against the plan | Mark each item needed, wanted or avoidable; pick one cut for next week and add what it saves to the extra payment.
30 | Compare one balance transfer or consolidation offer | Use an eligibility checker with a soft search, then add the fee (often 3–5%) and the interest after any 0% period. It only pays if the total is lower and you can clear the balance before the offer ends.
30 | Take one step toward extra income | Overtime, extra shifts, freelance work or a side job: ask, apply or advertise today, and plan to put every extra sum straight onto the debt.
20 | List one thing you no longer use for sale | Check what similar items actually sold for, photograph it in daylight and price it there; the money goes to the debt when it sells.
20 | Update your debt tracker | New balances from each statement, the total paid off so far, and the debt-free month at the current pace. Check that no new charges have appeared.
"""),
    "finish": rows("""
25 | Roll a cleared payment onto the next debt | When a debt reaches zero, add its whole old payment to the next one on your list straight away, before the money is absorbed into everyday spending.
20 | Recalculate your debt-free date | Put balances, rates and payments into a free payoff calculator; write down the month, and how much sooner one extra payment a month would make it.
30 | Send a final-stretch payment | Sell, skip or earn one extra sum this week and pay it to the balance at the top of your list: the last stretch goes faster than the first.
20 | Ask for a paid-in-full letter | For each debt cleared, written confirmation of a zero balance; a month or two later, check that your credit report shows the account as paid.
25 | Decide what to do with paid-off cards | Keep an old no-fee card open at zero for your credit history if it will not tempt you; close store cards and any card you would be tempted to use again.
20 | Redirect the old payment into savings | Once the last debt is cleared, keep the same automatic payment going into savings: first to 3–6 months of essential costs, then to the next goal.
25 | Write your rules for staying debt-free | For example: cards paid in full every month, a 48-hour wait on any purchase over a set amount, and the emergency fund rather than credit for surprises.
"""),
    "support": rows("""
10 | Save a free debt advice contact | StepChange or National Debtline in the UK, an NFCC member agency in the US, or the free service where you live: keep the number in case payments get hard. Avoid firms that charge upfront fees or promise to make debt disappear.
5 | Turn on due-date and spending alerts | In each lender's app: a reminder a few days before every due date and an alert for any new charge.
10 | Delete one buy-now-pay-later app | Small instalments add up to new debt; remove the app and any saved pay-later option at checkout.
5 | Write why you want to pay off {debt} | One sentence on what life looks like without the payments, kept on your phone's lock screen for the days the plan feels slow.
10 | Make a payoff chart for the fridge | One bar per debt, shaded in as the balance shrinks: seeing progress is what keeps a long plan going.
5 | Note last month's interest charges | Copy the interest line from each statement: it is the money this plan is winning back.
10 | Plan how you will mark each debt cleared | Something small and cheap, chosen now (a favourite meal at home, a day out, telling the people who supported you), so each zero gets noticed.
"""),
}

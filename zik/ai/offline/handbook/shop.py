"""Launching a shop or small business: an Etsy or online shop, a market stall, a bakery or café, or
a service such as dog walking, cleaning or tutoring. The plan follows how small shops that last
are started: decide what you sell and to whom before spending money, price from real costs
(materials, fees, postage and your own time) rather than from what others charge, test on real
customers with a small first batch, get the legal and money basics in place before the first
sale, then make the offer easy to find (photos, listings, a page) and easy to buy (packaging,
delivery, booking), and open with a soft launch to friendly customers whose reviews bring in the
strangers.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "Choose what to sell and who will buy it",
        "Write one sentence: what you sell, to whom, and why they would pick you (a style, a "
        "niche, a place, a speciality). Study 10 sellers or businesses close to yours — their "
        "prices, photos, best sellers and what their 3-star reviews complain about — and choose "
        "one channel to start with: a marketplace such as Etsy, your own site, a market stall, "
        "pre-orders, or word of mouth for a local service. One channel done well beats four "
        "half-done." + DONE + "the one-sentence offer is written, 10 competitors are noted with "
        "their prices, and your first channel is chosen.",
    ),
    (
        1.5,
        "Set prices from real costs and sort the legal basics",
        "Cost one sale in full: materials and packaging, platform and payment fees (often 10–15% "
        "of the price on a marketplace), postage, a share of overheads and your time at an hourly "
        "rate you would accept. A common handmade rule is (materials + labour) × 2 for a "
        "wholesale price and × 2 again for retail; for a service, divide the income you want by "
        "the hours you can really bill (often only 60% of your working hours) and check it "
        "against three local rates. Then look up the official rules where you live: registering "
        "as self-employed or a sole trader, tax on profit, insurance, and food hygiene "
        "registration and allergen labelling if you sell food."
        + DONE
        + "every item or service has a price that still makes a profit after fees, and you know "
        "which registrations you need and have started them.",
    ),
    (
        2.5,
        "Test {offer} on the first real customers",
        "Make a small first batch of 5–10 pieces, or do 2–3 trial jobs for a service, timing "
        "every step and noting every material, then correct the cost sheet with the real "
        "numbers. Offer them at a discount to people who match your customer and ask three "
        "questions: would you pay the full price, what almost stopped you, what would you "
        "change? Family feedback is kind but not a market test." + DONE + "at least 5 people "
        "outside your family have tried it, the costs are corrected, and you have changed one "
        "thing because of what they said.",
    ),
    (
        3,
        "Photos, listings and a shop page that sell",
        "Photograph in soft daylight by a window against a plain background: a clean main shot, "
        "then scale, detail, in use and packaging (for a service: you at work, your kit, a "
        "before-and-after). Title each listing with the words a buyer would type, and put size, "
        "materials, care, delivery time and price where nobody has to ask; then write the about "
        "page of {shop} with your policies on returns, delivery and contact. A local business "
        "also needs a free Google Business Profile and a simple price list or flyer."
        + DONE
        + "your range is online (aim for 10 or more listings on a marketplace, or one full page "
        "for a service), each with at least 5 photos, and a stranger finds the price and how to "
        "buy in under a minute.",
    ),
    (
        2.5,
        "Packaging, delivery, orders and the books",
        "Choose packaging that protects and looks good, weigh and measure a packed order, price "
        "postage with two or three carriers, and drop-test a fragile parcel from waist height. "
        "For a service or a stall, set up the equivalent: a booking calendar, a deposit and "
        "cancellation rule, a card reader and a float of change. Open a separate bank account "
        "and a simple sheet of sales and costs, keep every receipt, and set aside 20–30% of "
        "profit for tax." + DONE + "a test order has gone from payment to delivery without a "
        "hitch, and the books have their first entries.",
    ),
    (
        1.5,
        "Soft launch to friends and the first customers",
        "Open quietly to people who already know you: friends, colleagues, neighbours, a local "
        "group, your followers. Ask each first customer for an honest review and a photo, fix "
        "what their orders reveal (slow replies, confusing options, late parcels), and list "
        "every question you are asked — each one is a line missing from a listing."
        + DONE
        + "you have made your first 5 sales or bookings, have at least 3 reviews, and have fixed "
        "the biggest problem they showed.",
    ),
    (
        1,
        "Open {shop} to everyone",
        "Announce the opening everywhere your customers already are: local groups, social media, "
        "a market day, flyers where they shop or walk, a launch offer with an end date. Then "
        "keep the weekly rhythm that keeps a small shop alive: answer messages within a day, "
        "restock best sellers, improve one listing, and update the books every week."
        + DONE
        + "{shop} is open{by_target}, you have 10 sales or bookings from people you did not know "
        "before, and your books are up to date.",
    ),
)

BANKS = {
    "start": rows("""
20 | Write your one-sentence offer | What you sell, to whom, and why they would pick you over the next seller. Keep it where you see it whenever you make a decision about the shop.
30 | Study ten sellers or businesses like yours | For each, note the price, the main photo, the best seller and what their weaker reviews complain about; circle the gap you could fill.
25 | Choose your first sales channel | Marketplace, own website, market stall or local word of mouth: compare fees, effort and where your customers already buy, and pick one to start.
30 | Work out the real cost of one sale | Materials, packaging, platform and payment fees, postage or travel, a share of overheads and your time at an hourly rate: one line each, in a sheet you will keep.
25 | Set your prices from the cost sheet | Apply (materials + labour) × 2, then × 2 again for retail, or your hourly rate for a service (for food, ingredients are usually 25–35% of the price); if the result is far above competitors, change the product or the costs, not only the price.
30 | Check which registrations and insurance you need | On official sites where you live: self-employed or sole-trader registration, tax, insurance, and any licence your trade needs (food hygiene for food, safety labels for candles, a safety assessment for cosmetics, checks for work with children). Note each deadline.
20 | Open a separate account for the business | A business or second personal account so every sale and cost sits in one place; start a sheet with the columns date, item, income, cost and fee.
"""),
    "core": rows("""
45 | Make a small batch and time it | Make 3–10 pieces, or do one job for a service, with a timer running from start to clean-up; update the cost sheet with the real minutes and materials per unit.
30 | Take the photos for one listing | Soft daylight by a window, a plain background, the phone at the item's height: a clean main shot, then scale, detail, in use and packaging. For a service: you at work, your kit, a before-and-after.
35 | Write or improve one listing | Start the title with the words a buyer would search, then give size, materials, care, delivery time and price; on Etsy, use all 13 tags, as phrases rather than single words.
30 | Get feedback from one real customer | Someone who matches your customer tries the product or a session; ask whether they would pay the full price, what almost stopped them and what they would change, and write the answers down word for word.
30 | Run a test order from start to finish | Order, payment, packing, label, posting and the bookkeeping entry (for a service: booking, reminder, job, invoice, payment); time each step and fix the slowest.
25 | Study one competitor's best seller | What makes it sell: the main photo, the title words, the price, what the reviews praise. Write one idea to borrow and one thing you will do differently.
25 | Tell ten possible customers about {offer} | A personal message, a post in a local group, a card on a noticeboard: what it is, the price and how to order or join the waiting list. Note who replies.
"""),
    "finish": rows("""
20 | Ask a recent customer for a review | A short personal thank-you with a direct link to the review page; ask for a photo of the item in use too, as buyers trust those most.
30 | Post about {offer} where your customers are | One local group, social account, forum or noticeboard: your best photo, what it is, the price and how to buy, with a link or a QR code.
25 | Update the books for the week | Enter every sale, fee, refund and receipt, and move the tax share (20–30% of profit) into its own pot.
30 | Fix the listing that gets views but no sales | Views without sales point to the main photo, the price or missing details; few views point to the title and tags. Change one thing and note the date to see its effect.
20 | Clear every open message and order | Reply to each within a day and ship or confirm every open order; quick answers turn questions into sales, and marketplaces such as Etsy reward them.
30 | Restock your best seller or open more slots | Make or order enough for the next two weeks, or add booking slots at the times people ask for most.
25 | Review the week's sales numbers | Visits, orders, average order value, costs and profit per hour of your time; pick the one change to try next week.
"""),
    "support": rows("""
15 | Set up a photo corner by a window | A table near a window, a plain white or wooden background and a white card to bounce light, so photos take minutes, not an afternoon.
10 | Write three reply templates | For the questions you get most (delivery times, custom orders, refunds): copy, personalise, send.
5 | File this week's receipts | One folder, paper or a photo in a cloud folder, for every receipt: it saves hours at tax time.
10 | Write your returns or cancellation policy | What you accept back or how late a booking can be cancelled, who pays return postage, how fast you refund. In the UK and EU online buyers may cancel most orders within 14 days; personalised and perishable goods are exceptions.
10 | Turn one customer question into a listing line | Every question a buyer had to ask is a detail missing from the page: add the answer where the next buyer will see it.
5 | Block a weekly hour for admin | Books, stock, messages and ordering in one fixed slot, so they never eat the making time.
15 | Start a stock and supplies list | Item, quantity and the level at which you reorder, with each material's supplier and delivery time (for a service: your kit and consumables).
"""),
}

"""Losing weight and eating better: "Lose 10 kg", "Lose 20 pounds before the wedding", "Eat
healthier", "Get to a healthy weight". Food first, movement second: an honest baseline week,
then the easy wins on the plate (protein at every meal, vegetables, fewer liquid calories and
ultra-processed snacks), then a moderate deficit of about 300–500 kcal a day learned through a
few weeks of tracking, planning and prepping. Movement (daily steps toward 7,000–10,000 and 2–3
strength sessions a week) protects muscle and mood rather than burning the weight off. Real life
(weekends, meals out, sleep, stress) gets a phase of its own because that is where plans slip,
plateaus are read from weekly averages rather than single days, and the plan ends with
maintenance, because the diet ending badly is how most lost weight comes back. The rate stays
sane (0.5–1% of body weight a week), and anyone with a lot to lose or a health condition is sent
to a doctor first. Every text also reads for a goal with no weight number ("eat healthier").
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "Baseline: a normal week, weighed and written down",
        "Change nothing yet: log everything you eat and drink for 7 days (in an app or with "
        "photos; drinks, cooking oil and bites count), weigh yourself each morning after the "
        "toilet and before food, and measure your waist at the navel. Note your average daily "
        "steps too. If you have a lot to lose, diabetes, high blood pressure, a heart or kidney "
        "condition, take regular medication, are pregnant or have a history of disordered "
        "eating, see your doctor before you change how you eat." + DONE + "you have a 7-day food "
        "log, an average morning weight, a waist measurement and your average steps written "
        "down.",
    ),
    (
        2,
        "Easy wins: protein, vegetables and fewer liquid calories",
        "Fix the plate before counting anything: a palm-sized portion of protein at every meal "
        "(25–40 g: eggs, Greek yoghurt, fish, chicken, tofu, beans), half the plate vegetables "
        "or salad at lunch and dinner, and water, tea or black coffee instead of juice, fizzy "
        "drinks and large milky coffees. Keep ultra-processed snacks out of the house or out of "
        "sight, and settle on three go-to breakfasts and lunches you actually like."
        + DONE
        + "protein is at every meal and vegetables at two meals on most days for {span}, and "
        "drinks with calories are down to one a day or fewer.",
    ),
    (
        3,
        "A moderate deficit: track, plan and prep your meals",
        "If weight loss is the goal, eat about 300–500 kcal a day below maintenance (if your "
        "weight held steady in the baseline week, what you ate then is a first estimate) and "
        "keep protein around 1.6 g per kg of your goal weight. Track for 4–6 weeks to learn "
        "portions, weighing anything you pour or scoop; plan the week's meals on one day, shop "
        "from a list and prep 2–3 things so the planned meal is the easy one. Aim to lose "
        "0.5–1% of your body weight a week: faster mostly costs muscle and motivation."
        + DONE
        + "you have tracked "
        "on most days for {span} and the weekly average weight is falling by 0.5–1% a week or, "
        "with no weight goal, your planned meals happen on 5 days out of 7.",
    ),
    (
        3,
        "Move more: daily steps and strength to keep muscle",
        "Raise your daily steps by about 1,000 a week from the baseline toward 7,000–10,000; a "
        "10-minute walk after meals is the easiest place to find them. Add 2–3 full-body "
        "strength sessions a week (squat, hinge, push, pull and a carry, 2–3 sets of 8–12, "
        "stopping 2 reps short of failure): in a deficit, strength work is what tells your body "
        "to keep its muscle. Exercise burns less than most people think, so keep the food plan "
        "as it is rather than eating the calories back." + DONE + "you average at least 7,000 "
        "steps a day and have not missed a week of 2 or more strength sessions in {span}.",
    ),
    (
        2.5,
        "Real life: weekends, eating out, sleep and stress",
        "Most plans slip at weekends, meals out and late nights, not on weekdays. Before eating "
        "out, look at the menu, choose protein and vegetables first and then one of starter, "
        "dessert or drinks, and decide your number of alcoholic drinks in advance. Aim for 7–9 "
        "hours of sleep, since short nights raise hunger the next day, and write an if-then plan "
        "for stress eating: if I want to snack after a hard day, then I walk for 10 minutes or "
        "make a tea first." + DONE + "you have had a meal out and a full weekend that stayed "
        "within your plan, and you sleep at least 7 hours on most nights.",
    ),
    (
        2,
        "Plateaus: read the trend and adjust",
        "Weight swings 1–2 kg (2–4 lb) from day to day with water, salt, carbohydrate and "
        "hormones, so judge only the weekly average and your waist. If both stay flat for 3 "
        "weeks, audit first (portions creeping up, oils, drinks, weekends, untracked bites), "
        "then recalculate: a lighter body needs less, so trim 100–200 kcal a day or add 2,000 "
        "steps. If you feel worn down, one or two weeks at maintenance calories is a planned "
        "break, not a failure." + DONE + "you have audited a week of logs, made one "
        "adjustment, and the trend is moving again or holding where you want it.",
    ),
    (
        1.5,
        "Maintenance: make the new way of eating permanent",
        "Ending the diet is a phase of its own: raise calories by 100–200 kcal a day each week "
        "until the weekly average holds steady, keeping the protein, the steps and 2–3 strength "
        "sessions. Keep one weigh-in routine, set an upper limit about 2 kg (4 lb) above your "
        "finishing weight, and write down what you will do the week you pass it. Decide which "
        "habits stay for good: the go-to meals, the plan for meals out, the walk after dinner."
        + DONE
        + "you have lost {loss}{by_target} (or, if your goal was simply to eat better, the new "
        "way of eating has run for {span} without feeling like a diet), your weight has held "
        "below your upper limit for two weeks, and the maintenance plan is written down.",
    ),
)

BANKS = {
    "start": rows("""
20 | Take your starting measurements | Weigh yourself on waking, after the toilet and before food or drink, measure your waist at the navel, and take front and side photos in the same light. Weigh again each morning this week: the average is your real start.
15 | Check whether to see a doctor first | A lot to lose, diabetes, high blood pressure, a heart or kidney condition, regular medication, pregnancy or a history of disordered eating: book an appointment before cutting calories. If none apply, note that and go ahead.
20 | Start a food log of a normal week | Log everything you eat and drink in an app or with photos, drinks, oils and bites included, and change nothing yet: an honest week is what the plan is built on.
25 | Set a sane rate and a first target | Work out 0.5–1% of your body weight: that is a good weekly loss (0.4–0.8 kg at 80 kg). Make the first target 5% of your starting weight or, with no weight goal, three eating habits you can tick off daily.
30 | Clear the kitchen of easy snacks | Move crisps, biscuits, sweets and sugary drinks out of the house or out of sight, and put fruit and ready-to-eat protein (yoghurt, boiled eggs, cooked chicken) where they were.
30 | Choose three go-to breakfasts and lunches | Each with 25–40 g of protein and a vegetable or fruit, quick enough for a busy morning. Write the shopping list for them.
20 | Swap your drinks with calories | List every drink with calories from your log week (juice, fizzy drinks, alcohol, smoothies, milky coffees) and pick a swap for each: water, sparkling water, tea, black coffee, a sugar-free drink or a smaller size.
"""),
    "core": rows("""
45 | Plan and shop for the week's meals | Pick 4–5 dinners with protein and vegetables that also make the next day's lunch, write the list, and shop from it after a meal rather than hungry.
60 | Batch-cook meals for the next three days | A tray of roasted vegetables, a protein (chicken, lentils, tofu or lean mince) and a carbohydrate, portioned into boxes: the planned meal becomes the easy one.
40 | Do a full-body strength session | Squat, hip hinge, push, pull and a carry: 2–3 sets of 8–12 each, stopping 2 reps short of failure. Write down the weights and reps to beat next time.
30 | Do a bodyweight circuit at home | Squats, push-ups (against a wall or bench if needed), lunges, glute bridges and a plank, 40 seconds each with 20 seconds rest, for 3–4 rounds.
45 | Take a long brisk walk | 30–45 minutes at a pace where you can talk but not sing. Check your steps afterwards; if you hit this week's target most days, raise it by about 1,000 a day.
25 | Do your weekly weigh-in check | Average this week's morning weights, measure your waist and count the days your planned meals happened. One week is noise: change the plan only when the trend is flat for 3 weeks.
20 | Plan the weekend and any meals out | For each meal out or event, look at the menu or guess what is served, decide on protein and vegetables first and one treat (starter, dessert or drinks), and keep one weekend meal cooked at home.
"""),
    "finish": rows("""
30 | Audit a week of food logs for hidden calories | Look for cooking oil, sauces, drinks, bites while cooking, growing portions and weekends: most stalls hide 200–300 kcal a day here.
20 | Recalculate your calories for your new weight | Work back from your trend: losing about 0.5 kg (1 lb) a week means eating about 500 kcal a day below maintenance. Set next week's target from that, not from the old estimate.
25 | Chart your weekly averages and waist | Put the last 4–8 weekly average weights and waist measurements on a simple chart: the line, not the day, says whether to change anything.
40 | Do a heavier strength session | Your usual movements; on any exercise where every set reached 12 reps last time, add a little weight. Keeping strength while weight falls is what keeps the loss from being muscle.
25 | Step up toward maintenance calories | At or near your target, or on a planned diet break: add 100–200 kcal a day, mostly protein and carbohydrate, keep steps and training the same, and watch the weekly average before the next step.
30 | Write or update your maintenance plan | Your calorie range, the habits that stay (protein at every meal, steps, 2–3 strength sessions, the go-to meals), a weigh-in routine, your upper limit and the first thing you will do if you pass it.
30 | Plan a holiday or celebration week | Decide how you will eat on the trip or festive week: protein and a daily walk kept, special meals enjoyed, ordinary treats skipped, and a weigh-in 3–5 days after, once the extra water has gone.
"""),
    "support": rows("""
10 | Weigh one portion you usually guess | Pasta, rice, cereal, cooking oil or peanut butter: weigh your normal serving once and compare it with the portion on the label.
10 | Read the labels of your five most-eaten foods | Note calories and protein per serving as you actually eat it, not per 100 g.
5 | Drink a glass of water before each meal today | Thirst is easy to mistake for hunger, and it slows down the first bites.
10 | Take a short walk after your biggest meal | Ten easy minutes add about 1,000 steps and help your blood sugar settle.
10 | Set a wind-down alarm for bedtime | 30–60 minutes before bed, screens away: 7–9 hours of sleep makes the next day's hunger easier to manage.
10 | Write an if-then plan for your usual craving | Name the time and the trigger, and the first thing you will do instead: a walk, a tea, a protein snack or a 10-minute wait.
5 | Put fruit and vegetables at eye level | In the fridge and on the counter; move the snacks to a high shelf or a closed cupboard.
"""),
}

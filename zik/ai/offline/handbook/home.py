"""A home improvement project: renovating or redecorating a room, a whole house or a garden
("Renovate the bathroom", "Redo the kitchen", "Turn the spare room into an office", "Plant a
vegetable garden"). Most home projects go wrong before the first tool comes out: an unmeasured
space, a budget with no contingency, one quote instead of three, materials ordered too late, or
trades booked in the wrong order. So the plan spends its first phases on the survey, the design
and a priced budget with 10–20% contingency, then on choosing and vetting trades and ordering
long-lead materials, before the work itself follows the order every good builder keeps
(strip-out, the hidden first fix, surfaces, second fix, decorating; outside: clearing, hard
landscaping, soil, planting). Nothing is covered before it is checked and photographed, gas and
most electrics are left to qualified people, and the plan ends with a snagging list, final
payments held back until it is cleared, the paperwork filed and the finishing touches.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "Survey {space}: measure, photograph and list what must change",
        "Measure everything — walls, windows, doors, ceiling height, and for a garden the "
        "boundaries, slopes, soil and where the sun falls through the day — and draw it on squared "
        "paper at 1:20. Photograph every corner and every problem (damp, cracks, rot, old "
        "wiring), and find the stopcock, the fuse board and the gas shut-off. Then write at most "
        "five must-haves, gather 15–20 images of spaces you like, and ask everyone who will use "
        "the result what they need." + DONE + "a measured plan, the before photos and a "
        "must-have list of no more than five items exist.",
    ),
    (
        1.5,
        "Design the layout and set a budget with 10–20% contingency",
        "Draw the new layout on your plan and test it full size: masking tape on the floor, or "
        "string and canes outside, checking that doors, drawers and walkways (at least 90 cm) "
        "work. Price every line — materials, labour, tool hire, waste, delivery — and add "
        "10–20% contingency, nearer 20% in an older building where you cannot see behind the "
        "walls. Check whether any of it needs planning permission, building-regulations "
        "approval or a landlord's consent (structural changes, new drainage, windows and new "
        "circuits often do), and mark each job DIY or trade." + DONE + "the layout is fixed, "
        "the budget has a contingency line, and every job is marked DIY or trade.",
    ),
    (
        2,
        "Book the trades, fix the order of work and order the materials",
        "Send the same written spec, plan and photos to three firms for each trade, call two "
        "past clients of the one you favour, and check insurance and registration: gas and "
        "electrics only by qualified, registered people. Agree a dated schedule in the right "
        "order (strip-out, first-fix plumbing and electrics, plastering, tiling, second fix, "
        "decorating; outside: clearing, hard landscaping, soil, planting) and pay in stages, "
        "never a large deposit up front. Order the long-lead items now — a kitchen or anything "
        "made to measure can take 4–12 weeks — and 10–15% extra tiles or flooring from one "
        "batch." + DONE + "every trade is booked in writing, the schedule has dates, and the "
        "materials are ordered with delivery dates.",
    ),
    (
        3,
        "Clear, strip out and get the hidden work right",
        "Protect the rest of the home first (dust sheets, floor protection, a sealed doorway, a "
        "plan for the waste) and plan for {span} of dust and noise. Strip out what is going, "
        "deal with what you find (rot, damp, loose plaster), and have the first fix — pipes, "
        "cables, back boxes, drainage — done and checked before anything covers it; outside, "
        "this is clearing, levelling, drainage and the hard landscaping, and for a simple "
        "redecoration it is the preparation. In a building from before 2000, have textured "
        "ceilings, old floor tiles and boards tested for asbestos before drilling or sanding, "
        "and wear an FFP3 mask for dusty work." + DONE + "everything that will be hidden is "
        "finished, checked and photographed.",
    ),
    (
        3,
        "Build it back: surfaces first, then the fittings",
        "Keep to the order: nothing is covered until what is behind it is done and checked. "
        "Plaster or board, then tiling, then the second fix (sockets, switches, taps, "
        "sanitaryware, units and worktops); new plaster needs about a week before a mist coat, "
        "and a screed roughly a day per millimetre before flooring goes on it. Check in every "
        "day, answer the trades' questions quickly, and agree every change in writing with its "
        "price before it is done; outside, lay the paving, edging and fences and fill the beds "
        "with good soil." + DONE + "every surface is finished and every fitting is in and "
        "working.",
    ),
    (
        2.5,
        "Finishes: paint, floor coverings, fixtures and planting",
        "Prepare before you paint — fill, sand, wipe down, a mist coat on new plaster — then "
        "cut in the edges and roll two thin coats. Lay carpets and other floor coverings after "
        "the painting, then fit shelves, blinds, mirrors and handles, checking for pipes and "
        "cables with a detector before drilling. Outside, plant in season (trees and shrubs in "
        "autumn or spring, vegetables by the sowing dates on the packet), water new plants and "
        "turf deeply, and stain or seal timber in dry weather."
        + DONE
        + "the decorating is done, the floor coverings and fixtures are in, and {space} can "
        "be used again.",
    ),
    (
        1.5,
        "Snagging, paperwork and the finishing touches for {space}",
        "Walk round slowly in daylight with a snagging list — chipped paint, gaps in silicone, "
        "doors that stick, loose tiles, anything that does not work — each item with a photo "
        "and who fixes it. Give the trades their items in writing and pay each final balance "
        "only when they are fixed; file any electrical and gas certificates, any completion "
        "certificate, the warranties and the manuals in one folder. Then the finishing touches "
        "(lighting, textiles, pictures, plants) and the after photos from the same spots as "
        "the before ones." + DONE + "{space} is finished{by_target}, the snagging list is "
        "cleared, and the paperwork is filed in one place.",
    ),
)

BANKS = {
    "start": rows("""
40 | Measure and photograph {space} | Draw it on squared paper at 1:20 with every measurement (indoors: walls, windows, doors, ceiling height, sockets, radiators and pipes; outside: boundaries, slopes, drains and shade). Then photograph every corner and every problem: these are your before photos and your brief for quotes.
25 | Write your must-have list | At most five things the project fails without (more storage, a walk-in shower, a sunny place to sit); everything else goes on a nice-to-have list, the first thing you cut when money runs short.
30 | Make a mood board of 15–20 images | From magazines, showrooms or sites like Pinterest and Houzz; then circle what repeats (colours, materials, shapes), because that is your style brief.
40 | Draw the new layout to scale | Place the fixed things first (bath, sink, worktops, desk, a patio or beds), keep walkways at least 90 cm, and mark it out full size with masking tape or string to check it works.
40 | Price every line of the budget | Materials, labour, tool hire, waste, delivery and fees, each from a real price; then add 10–20% contingency, nearer 20% in an older building.
20 | Check what needs permission or sign-off | Structural changes, new drainage, windows, new circuits, trees and boundaries can need planning permission, building-regulations approval or a landlord's consent: read your council's guidance before you book anyone.
25 | Decide what you do yourself and what trades do | Go through every job: painting, tiling, planting and flat-pack assembly suit DIY, while gas, new electrical circuits and structural work go to qualified people.
"""),
    "core": rows("""
40 | Get three quotes for the next piece of work | Send three trades or firms the same written spec, plan and photos, and ask for a fixed price, a start date, what is excluded and proof of insurance; compare like with like, not only the totals.
30 | Vet the next trade before you book them | Call two past clients (ideally see a finished job), check insurance and any registration the work needs, and agree stage payments with no large deposit up front.
30 | Confirm the next deliveries and trades | Look two weeks ahead on the schedule: check each delivery date and each start date, and that the materials, access, water and power each job needs will be there.
45 | Do the next hands-on job on the schedule | Set up, protect what is around it, do it and clear up, leaving gas and wiring to qualified people; stop where the next session can start cleanly.
40 | Prepare the next wall, floor or bed | Preparation makes the finish: fill and sand, scrape and key old paint, seal new plaster with a mist coat, or clear, weed and dig over the next bed.
30 | Inspect the work before it is covered | With a tape, a spirit level and the plan, check positions, levels and falls; photograph every pipe and cable run before it disappears behind plaster, boards or tiles.
30 | Update the budget and the schedule | Enter what you have spent against each line and move the dates that slipped; if half the contingency is gone before half the work, cut from the nice-to-have list now.
"""),
    "finish": rows("""
45 | Paint, oil or seal the next surface | Cut in the edges with a brush, then roll in sections, two thin coats with the drying time on the tin between; outside, stain or oil timber in dry weather only.
30 | Fit the next fixture or finishing touch | Shelves, blinds, handles, mirrors, curtain poles, a trellis or a planter: check for pipes and cables with a detector before you drill, and use the right fixings for the wall.
30 | Walk round with the snagging list | Slowly, in daylight: chipped paint, gaps in silicone, doors that stick, loose tiles, anything that does not work, each with a photo and who fixes it.
30 | Clear the next items on the snagging list | Fix your own items today and send the trades theirs in writing; pay each final balance only when its items are done.
25 | Test every fitting and appliance | Every tap, drain, shower, switch, socket, extractor fan and radiator, or outside every gate, path and drain after rain; faults go on the snagging list, manuals and warranties in the folder.
30 | Clean one area and bring it back into use | Builders' dust gets everywhere: vacuum from the top down, wipe every surface twice, then move the furniture back, or sweep the paths and rake the beds outside.
25 | Style one corner of {space} | Lighting, textiles, pictures, plants or pots: the touches that make it feel finished; take an after photo from the same spot as the before one.
"""),
    "support": rows("""
10 | Find the stopcock, fuse board and gas shut-off | Know how to turn off water, power and gas before any work starts: label each one and check the stopcock turns.
10 | Get the safety kit before work starts | FFP3 dust masks, safety glasses, gloves, ear defenders and a first-aid kit; anyone drilling needs a pipe and cable detector.
10 | Ask everyone who uses {space} what they need | Partner, children, flatmates or guests: one must-have and one dislike from each, written on your list.
15 | Gather samples to see in real light | Paint tester pots onto large sheets of card and collect tile, flooring or fabric samples (outside: paving samples, or plants seen at a garden centre); look at them in morning and evening light before you choose.
10 | Check lead times for the big items | Kitchens, bathroom suites, worktops, windows and anything made to measure can take 4–12 weeks: ask now and put the order dates in the plan.
10 | Ask neighbours and friends which trades they would hire again | Names, what each one did, and a photo of the finished job; local groups and review sites come second.
15 | Plan how you will live around the work | Where you will cook, wash and sleep while the work goes on, where furniture, deliveries and the waste go, and how dust is kept out of the other rooms.
"""),
}

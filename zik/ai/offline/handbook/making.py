"""Making a physical thing by hand: woodwork and building, sewing, knitting, quilting, a model
("Build a shed", "Make a wooden bookshelf", "Knit a sweater", "Sew a quilt", "Build a dining
table"). Makers rarely fail for lack of effort; they fail on a design beyond their level, a
measurement or size taken on trust, material that runs out mid-way, or a mistake found only at
the end. So the plan starts by choosing a design or pattern that suits the maker's level and
turning it into numbers (a measured drawing and cutting list, or a size chosen from finished
measurements), learns the tools and their safe use and proves the method on a test piece (a
practice joint, a gauge swatch) before the real material is touched, then makes the parts in
stages with checks and dry-fits along the way so a mistake costs one part, not the whole piece.
Finishing gets a phase of its own (sand and oil it, or wash and block it), because it is what
people see, and the plan ends with the thing in use, photographed, shown and written up.
"""

from __future__ import annotations

from zik.ai.offline.tables import DONE, rows

PHASES = (
    (
        1.5,
        "Choose a design for {thing} that suits your level",
        "Pick a plan or pattern rated for your experience, from a book, a magazine or a designer "
        "with good reviews: for an early project, fewer joints or simpler shaping beat ambition. "
        "Read it from start to finish before buying anything, list every technique you have "
        "never done, and check the finished size against the room, the bed or the body it is "
        "for. Set up a place to work with good light, where work in progress can stay out."
        + DONE
        + "the design is chosen and read through, and the new techniques are listed.",
    ),
    (
        1.5,
        "Measured drawing or sizing, and the materials list",
        "Turn the design into numbers. Woodwork: a measured drawing (front, side and top) and a "
        "cutting list of every part with its length, width and thickness, plus 10–15% extra "
        "timber for defects and mistakes; anything big or outdoors, like a shed, also needs a "
        "level base and a check of local size and permit rules. Textiles: measure the body or "
        "the bed, choose the size from the pattern's finished measurements and the ease you "
        "want, buy all the yarn or fabric from one dye lot with a little spare, and prewash "
        "fabric that will be washed later." + DONE + "the drawing or size is fixed, the "
        "materials list is complete, and the materials are bought or ordered.",
    ),
    (
        2,
        "Tools, safety and a test piece",
        "Get every tool sharp, set up and understood before it touches the real material: eye "
        "and ear protection and a dust mask for power tools and sanding, clamps rather than "
        "hands near a blade, a rotary cutter closed between cuts. Then make a test piece from "
        "the same material — a practice joint in offcuts, a gauge swatch at least 15 cm "
        "square washed and dried like the finished piece, or a practice quilt block — and adjust the tool setting, needle "
        "size or tension until it matches the plan." + DONE + "a test joint fits snugly without "
        "force, or your swatch or practice block measures what the pattern says.",
    ),
    (
        3,
        "Make the parts in stages",
        "Work through the parts in the order the plan gives, one stage at a time, in sessions of "
        "{minutes} minutes. Measure twice and cut once, mark everything from one straight "
        "reference edge, and label each part as it is made; when knitting, check gauge and "
        "length against the schematic every 10 cm or so. Dry-fit, pin or lay out the parts as "
        "they come, so a mistake costs one part, not the whole piece." + DONE + "every main "
        "part is made, labelled and checked against the drawing or pattern.",
    ),
    (
        3,
        "Assemble {thing} and fix mistakes as you go",
        "Never rush a glue-up: dry-run it first, clamp gently, check square by measuring both "
        "diagonals, and wipe off squeeze-out. Pin or clip seams every few centimetres and press "
        "each one before another crosses it. Fix mistakes as they come — unpick, rip back or "
        "recut when it would show or weaken the piece, and let a small flaw go when it would "
        "not." + DONE + "{thing} is fully assembled and matches the measurements of the drawing "
        "or pattern.",
    ),
    (
        2,
        "Finishing: sand and seal it, or wash, block and press it",
        "Finishing is what people see. Wood: sand through the grits (120, 180, then 240) with "
        "the grain, remove every trace of dust, and apply thin coats of oil, wax or varnish with "
        "the full drying time between; anything outdoors needs an exterior preservative or "
        "paint. Textiles: weave in the ends, wash and block to the measurements, bind or hem, "
        "trim the threads and press." + DONE + "the finish is on and cured, or the piece is "
        "blocked, bound or hemmed, dry and pressed.",
    ),
    (
        1,
        "Put {thing} to use and show it off",
        "Put it to work for a few days — load the shelves, sit at the table, wear the garment, "
        "sleep under the quilt — and adjust what bothers you; fix any tall furniture to the wall "
        "with an anti-tip strap. Photograph it in daylight, "
        "show it to someone or post it in a makers' group, and write down the materials, the "
        "hours, what you would change and how to care for it (oil once a year, wash cool and dry "
        "flat)." + DONE + "{thing} is finished{by_target}, in use and photographed, and your "
        "notes for the next project are written.",
    ),
)

BANKS = {
    "start": rows("""
30 | Choose a design or pattern at your level | Compare 3–5 plans or patterns rated for your experience; pick the one with the fewest techniques you have never tried, and check its finished size fits the space or the body.
30 | Read the plan or pattern from start to finish | Before touching any material: highlight every step or abbreviation you do not understand and look each one up.
40 | Make a measured drawing or choose your size | Woodwork: front, side and top views with every dimension in millimetres. Textiles: measure the body or the bed, compare with the pattern's finished measurements, and choose the size with the ease you want.
30 | Write the materials list and cutting list | Every part with its size and quantity, plus 10–15% for waste and mistakes; for yarn or fabric, one dye lot with a spare ball or an extra half metre.
25 | Check your tools and learn their safe use | List the tools each step needs, sharpen or service them, and read the safety notes: guards on, clamps for the work, eye and ear protection, a cutting mat under a rotary cutter.
30 | Buy the materials and let them settle | Sight along each board and reject bowed or twisted ones, then leave indoor timber a week or two in the room it will live in; prewash fabric that will be washed, and wind yarn into balls.
40 | Make a test piece | A practice joint in offcuts, a gauge swatch of at least 15 cm washed and dried like the finished piece, or one quilt block; measure it and adjust until it matches the plan.
"""),
    "core": rows("""
45 | Make the next part on your list | Mark it out from the drawing or pattern, cut, sew or knit it, check its size before you move on, and label it.
30 | Practise the trickiest technique on offcuts | The joint, seam, cable or curve that worries you most: three tries on scrap or a small swatch before it goes on the real piece.
40 | Dry-fit or pin together the parts made so far | No glue or final stitching yet: check square by measuring both diagonals, or pin the pieces and lay them out or try them on, and correct now while it is cheap.
45 | Assemble the next stage | Glue and clamp, screw, seam or join one stage in the order of the plan, checking square or measurements before the glue sets or the seam is pressed.
30 | Measure your work against the plan | Length, width, thickness and square, or stitch count and the schematic's measurements: a mistake found today costs minutes, not the whole piece.
30 | Fix the next mistake before you move on | Unpick, rip back or recut if it would show or weaken the piece; if it would do neither, note it and let it go.
20 | Sharpen, clean and set up your tools | Hone chisels and plane irons and check the saw, or clean and oil the sewing machine and fit a new needle: blunt tools slip, spoil work and cut fingers.
"""),
    "finish": rows("""
40 | Do the next finishing pass | Wood: sand through the grits (120, 180, then 240) with the grain and remove all the dust. Textiles: weave in ends, trim threads and press seams.
30 | Apply the next coat of finish or block to size | Wood: a thin coat of oil or varnish, the excess wiped off, then the full drying time. Textiles: wash, pin out to the measurements and leave flat to dry.
30 | Add the hardware or the final details | Hinges, handles, feet or felt pads; buttons, zips, a label, the binding or the hem.
25 | Inspect {thing} closely in good light | A lamp held low across a surface shows scratches, glue spots and missed sanding; for textiles, check seams, stitches and loose threads inside and out.
30 | Fix one flaw the inspection found | Touch up, re-sand and recoat a patch, re-stitch a seam or darn a loose end, then check it again in the same light.
30 | Test {thing} in real use | Load it, sit at it, wear it for a day or put it on the bed; fix anything tall to the wall with an anti-tip strap and note what to adjust.
25 | Photograph {thing} and write your maker's notes | Photos in daylight from the front and of the details, plus materials, hours, care instructions and what you would do differently next time.
"""),
    "support": rows("""
10 | Clear and light a place to work | A flat, steady surface, good light and ventilation, and somewhere work in progress can stay out without being moved.
10 | Look up the step that worries you most | Find a short video or a clear diagram of it and note the one tip you will use.
10 | Pin the key measurements where you will see them | On the wall by your bench or in a photo on your phone, so you never work from memory.
10 | Compare prices for the materials in two places | A timber merchant and a DIY store, or a yarn or fabric shop and an online seller; merchants will often cut to size.
5 | Keep the safety kit within reach | Safety glasses, ear defenders, a dust mask and a first-aid kit with plasters, or a pin dish and a covered blade for sewing.
10 | Start a making log | Date, what you did, measurements and settings or needle size: you will need them for the matching leg, the second sleeve or the next project.
15 | Watch a similar project being made | A video of the same kind of piece from start to finish: note the order the maker works in and any jig or trick worth copying.
"""),
}

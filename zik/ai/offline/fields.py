"""The words a plan fills in, read from the goal: what a shop sells, where a trip goes, the room.

Each kind of the handbook writes its texts around a few fields ({offer}, {place}, {space}, …)
with a fallback that reads in every sentence ("what you sell", "your destination", "the
space"), so a goal whose words say nothing still gets correct sentences. `extract` reads the
goal's name first, then its description, and never quotes the title back.
"""

from __future__ import annotations

import re

_ROOMS = (
    "spare room",
    "living room",
    "dining room",
    "home office",
    "bathroom",
    "kitchen",
    "garden",
    "bedroom",
    "loft",
    "attic",
    "basement",
    "hallway",
    "patio",
    "conservatory",
    "garage",
    "house",
    "flat",
    "apartment",
)
_ADJECTIVES = {"first", "own", "new", "simple", "small", "little", "big", "very", "basic"}
_END = r"(?=\s+(?:on|at|to|from|online|in|through|via|by|before|for|with|this|next|and sell)\b|[.,;!?]|$)"
_MONEY = re.compile(
    r"(?:[$€£¥]\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m)?\b)|(?:\b\d[\d,]*(?:\.\d+)?\s?(?:k\s)?"
    r"(?:dollars|euros|pounds|usd|eur|gbp)\b)",
    re.IGNORECASE,
)
_EXAM_NAMES = {
    "ielts": "the IELTS test",
    "toefl": "the TOEFL test",
    "gmat": "the GMAT",
    "gre": "the GRE",
    "lsat": "the LSAT",
    "mcat": "the MCAT",
    "sat": "the SAT",
}


def extract(name: str, description: str | None) -> dict[str, str]:
    """Every field any kind uses, so any template fills (the fallbacks say nothing wrong)."""
    name = " ".join(name.split())
    both = f"{name}. {description or ''}"
    low = both.lower()
    return {
        "offer": _offer(name) or _offer(description or "") or _service(low) or "what you sell",
        "shop": _shop(low),
        "place": _place(name) or _place(description or "") or "your destination",
        "space": _space(low),
        "thing": _thing(name) or _thing(description or "") or "the piece",
        "loss": _loss(low) or "the weight you set out to lose",
        "people": _people(low),
        "book": _book(low),
        "words": _words(low),
        "books": _books(low),
        "exam": _exam(name) or _exam(description or "") or "the exam",
        "skill": _skill(name) or "master this skill",
        "amount": _amount(both) or "the full amount",
        "balance": _amount(both) or "the balance",
        "purpose": _purpose(name) or _purpose(description or "") or _fund(low) or "your goal",
        "debt": _debt(low),
    }


def _clean(phrase: str) -> str:
    words = [w for w in phrase.split() if w.lower() not in _ADJECTIVES]
    return " ".join(words).strip(" .,;:!?")


def _offer(text: str) -> str | None:
    found = re.search(
        rf"\b(?:sell|selling|sells)\s+(?:my\s+|our\s+|some\s+)?(?P<x>[\w'’ -]+?){_END}", text, re.I
    )
    if not found:
        found = re.search(
            rf"\b(?:shop|store|stall|business)\s+(?:for|selling|of)\s+(?:my\s+|our\s+)?"
            rf"(?P<x>[\w'’ -]+?){_END}",
            text,
            re.I,
        )
    if not found:
        return None
    thing = _clean(found.group("x"))
    if not thing or thing.lower() in ("it", "them", "things", "stuff", "online"):
        return None
    return f"your {thing[:1].lower() + thing[1:] if thing[1:2].islower() else thing}"


def _service(low: str) -> str | None:
    found = re.search(r"\b((?:[a-z]+[- ])?[a-z]+ing)\s+(?:business|service)\b", low)
    if found and found.group(1).split()[-1] not in ("thing", "something"):
        return f"your {found.group(1).replace(' ', '-')} service"
    return None


def _shop(low: str) -> str:
    for word, shop in (
        ("etsy", "your Etsy shop"),
        ("shopify", "your online shop"),
        ("online", "your online shop"),
        ("bakery", "your bakery"),
        ("café", "your café"),
        ("cafe", "your café"),
        ("stall", "your stall"),
        ("business", "your business"),
    ):
        if re.search(rf"\b{word}\b", low):
            return shop
    return "your shop"


def _place(text: str) -> str | None:
    found = re.search(
        r"\b(?:to|in|through|around|across|visit|visiting|explore|see|tour)\s+"
        r"(?P<p>(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*){0,3})",
        text,
    )
    if not found:
        return None
    place = found.group("p")
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Spring",
        "Summer",
        "Autumn",
        "Winter",
    ]
    words = place.split()
    while words and words[-1] in months:
        words.pop()
    return " ".join(words) or None


def _space(low: str) -> str:
    for room in _ROOMS:
        if re.search(rf"\b{room}\b", low):
            return f"the {room}"
    return "the space"


def _thing(text: str) -> str | None:
    found = re.search(
        rf"\b(?:build|make|knit|sew|crochet|craft|carve|weave|finish|restore)\s+"
        rf"(?:a|an|my|the|our|some)\s+(?P<x>[\w'’ -]+?){_END}",
        text,
        re.I,
    )
    if not found:
        return None
    thing = _clean(found.group("x")).lower()
    return f"the {thing}" if thing else None


def _loss(low: str) -> str | None:
    found = re.search(
        r"\b(?:lose|losing|drop|shed|lost)\s+(?:about\s+|around\s+)?(\d+(?:\.\d+)?)\s*"
        r"(kg|kgs|kilos|kilograms|pounds|lbs|lb|stone)\b",
        low,
    )
    if not found:
        return None
    unit = {"kgs": "kg", "kilos": "kg", "kilograms": "kg", "lb": "lbs"}.get(found.group(2))
    return f"{found.group(1)} {unit or found.group(2)}"


def _people(low: str) -> str:
    checks = (
        (r"\bmy (?:parents|mum and dad|mom and dad)\b|\bcall my parents\b", "your parents"),
        (r"\bmy (?:mum|mom|mother)\b", "your mother"),
        (r"\bmy (?:dad|father)\b", "your father"),
        (
            r"\b(?:father|dad|mother|mum|mom|parent|parenting|kids|children|child)\b",
            "your children",
        ),
        (r"\bson\b", "your son"),
        (r"\bdaughter\b", "your daughter"),
        (
            r"\bgrand(?:children|kids|son|daughter)\b|\bgrand(?:parent|mother|father|ma|pa)\b",
            "your grandchildren",
        ),
        (
            r"\b(?:marriage|husband|wife|spouse|partner|boyfriend|girlfriend|relationship)\b",
            "your partner",
        ),
        (r"\bfriends?\b|\bfriendships?\b", "your friends"),
        (r"\b(?:brother|sister|siblings?)\b", "your siblings"),
        (r"\bfamily\b", "your family"),
    )
    for pattern, people in checks:
        if re.search(pattern, low):
            return people
    return "the people closest to you"


def _book(low: str) -> str:
    if re.search(r"\b(?:children'?s|childrens|picture) book\b", low.replace("’", "'")):
        return "the children's book"
    if "memoir" in low:
        return "the memoir"
    genre = re.search(
        r"\b(fantasy|sci-fi|science fiction|crime|romance|mystery|horror)\s+novel", low
    )
    if genre:
        return f"the {genre.group(1)} novel"
    if re.search(r"\b(?:novel|thriller|novella)\b", low):
        return "the novel"
    return "the book"


def _words(low: str) -> str:
    low = low.replace("’", "'")
    if re.search(r"\b(?:children'?s|childrens|picture) book\b", low):
        return "800 words"
    if re.search(r"\b(?:fantasy|sci-fi|science fiction|epic)\b", low):
        return "100,000 words"
    if re.search(r"\b(?:memoir|romance|ya|young adult)\b", low):
        return "70,000 words"
    if re.search(r"\b(?:novel|thriller|crime|mystery|literary)\b", low):
        return "90,000 words"
    return "60,000 words"


def _books(low: str) -> str:
    found = re.search(r"\b(\d{1,3})\s+(?:\w+\s+)?books\b", low)
    if found and int(found.group(1)) > 1:
        return f"{int(found.group(1))} books"
    return "the books on your list"


def _exam(text: str) -> str | None:
    low = text.lower()
    for word, exam in (("driving test", "the driving test"), ("theory test", "the theory test")):
        if word in low:
            return exam
    found = re.search(
        r"\b(?:pass|ace|take|sit|get|earn|achieve|do)\s+(?:my|the|a|an|your)?\s*"
        r"(?P<x>[A-Za-z0-9][\w+./ -]{1,45}?)\s+(?:exam|exams|test|certification|certificate|"
        r"certified|cert|license|licence)\b",
        text,
        re.I,
    )
    if found:
        what = found.group("x").strip()
        if what.lower() not in ("the", "my", "a", "an", "this", "final", "next"):
            return f"the {what} {'test' if 'test' in found.group(0).lower() else 'exam'}"
    for word, exam in _EXAM_NAMES.items():
        if re.search(rf"\b{word}\b", low):
            return exam
    if re.search(r"\bbar\b", low):
        return "the bar exam"
    return None


def _skill(name: str) -> str | None:
    found = re.search(r"\blearn(?:ing)?\s+(?:how\s+)?to\s+(?P<s>[^.,;!?]+)", name, re.I)
    if not found:
        return None
    skill = re.sub(
        r"\s+(?:by|before|until|within|this|next|in \d+)\b.*$", "", found.group("s"), flags=re.I
    ).strip()
    if not skill:
        return None
    first, _, rest = skill.partition(" ")
    rest = re.sub(r"\bmy\b", "your", rest)  # "sew my own clothes": the plan speaks to you
    return f"{first.lower()} {rest}".strip()


def _amount(text: str) -> str | None:
    found = _MONEY.search(text)
    return found.group(0).strip() if found else None


def _purpose(text: str) -> str | None:
    found = re.search(
        r"\bfor\s+(?P<p>(?:a|an|the|my|our)\s+[\w'’ -]+?)"
        r"(?=\s+(?:by|before|in|this|next|within|until|to|and)\b|[.,;!?]|$)",
        text,
        re.I,
    )
    if not found:
        return None
    purpose = found.group("p")
    purpose = re.sub(r"^(?:my|our)\s+", "the ", purpose, flags=re.I)
    return purpose[:1].lower() + purpose[1:]


def _fund(low: str) -> str | None:
    for words, purpose in (
        ("emergency fund", "an emergency fund"),
        ("rainy day fund", "a rainy-day fund"),
        ("nest egg", "a nest egg"),
        ("house deposit", "a house deposit"),
        ("down payment", "a down payment"),
    ):
        if words in low:
            return purpose
    return None


def _debt(low: str) -> str:
    for pattern, debt in (
        (r"\bcredit cards\b", "the credit card debt"),
        (r"\bcredit card\b", "the credit card debt"),
        (r"\bstudent loans\b", "the student loans"),
        (r"\bstudent loan\b", "the student loan"),
        (r"\bcar loan\b", "the car loan"),
        (r"\boverdraft\b", "the overdraft"),
        (r"\bmortgage\b", "the mortgage"),
    ):
        if re.search(pattern, low):
            return debt
    return "your debts"

"""Identifiers with a regular shape: e-mail, URL, phone, ID numbers, dates, ages, addresses.

Each finder yields candidate ``Proposal``s; ``detect`` resolves overlaps between them. Phone
numbers are found by ``phonenumbers`` (Google's libphonenumber rules, US region by default);
everything else here is a regular expression with its context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from .proposals import Kind, Proposal, Source


def _proposal(text: str, start: int, end: int, kind: Kind, confidence: float) -> Proposal:
    return Proposal(start, end, kind, text[start:end], confidence, Source.PATTERN)


def _value_span(match: re.Match[str]) -> tuple[int, int]:
    """The span of the group named "v" where the pattern has one (the rest is context)."""
    return match.span("v") if "v" in match.re.groupindex else match.span()


# --- e-mail and web addresses ---------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_TLDS = r"(?:com|org|net|gov|edu|us|io|health|info|biz|co|care|clinic|me|ly)"
_URL = re.compile(
    rf"(?:https?://|www\.)[^\s<>\"]+"
    rf"|(?<![@\w.-])[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.{_TLDS}(?:/[^\s<>\"]*)?(?![\w@-])",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"’”"


def emails_and_urls(text: str) -> Iterator[Proposal]:
    taken: list[tuple[int, int]] = []
    for match in _EMAIL.finditer(text):
        taken.append(match.span())
        yield _proposal(text, match.start(), match.end(), Kind.EMAIL, 0.99)
    for match in _URL.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
            end -= 1
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        yield _proposal(text, start, end, Kind.URL, 0.95)


# --- phone numbers ----------------------------------------------------------------------------


def phones(text: str, region: str = "US") -> Iterator[Proposal]:
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        raw = match.raw_string
        digits = sum(char.isdigit() for char in raw)
        # A date ("3/14/2019") or a plain long number is left to the date and ID rules.
        if digits < 7 or "/" in raw or (raw.isdigit() and len(raw) != 10):
            continue
        confidence = 0.9 if re.search(r"[\s().-]", raw) else 0.6
        # The number without an extension ("740.555.0110, extension 214").
        extension = re.search(r"[\s,;]*(?:ext\.?|extension|x)\s*\d+$", raw, re.IGNORECASE)
        end = match.start + (extension.start() if extension else len(raw))
        yield _proposal(text, match.start, end, Kind.PHONE, confidence)


# --- record, insurance, licence and device numbers -------------------------------------------

_SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
_ID_CUE = re.compile(
    r"\b(?:MRN|medical record(?: number)?|record (?:number|no\.?)|chart number|patient ID|"
    r"member(?:ship)? (?:ID|number|no\.?)|ID(?: number)?|policy(?: number)?|group number|"
    r"account(?: number)?|licen[cs]e(?: plate)?(?: number)?|serial(?: number)?|"
    r"device (?:ID|number)|ticket(?: number)?|case number|claim(?: number)?|"
    r"social(?: security)?(?: number)?|SSN|subscriber (?:ID|number)|Medicaid (?:ID|number)|"
    r"Medicare (?:ID|number)|number)"
    r"(?:\s*(?:is|was|of|:|#|no\.?|,)\s*){0,3}\s*"
    r"(?P<id>(?=[A-Z0-9 -]*\d)[A-Z0-9][A-Z0-9-]{1,}(?:[ ](?=[A-Z0-9-]*\d)[A-Z0-9-]{2,}){0,4}"
    r"(?:[ ](?-i:[B-HJ-Z])(?![\w'’]))?)",
    re.IGNORECASE,
)
# A code that mixes capitals and digits ("PJN738201H", "LCH-00729183"), or a long run of digits.
_CODE = re.compile(
    r"(?<![\w-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)*(?![\w-])"
)
_DIGITS = re.compile(
    r"(?<![\w$.,/-])\d{6,}(?:-\d+)*(?![\w/-])|(?<![\w$.,/-])\d+(?:-\d+){2,}(?![\w/])"
)


def ids(text: str) -> Iterator[Proposal]:
    for match in _SSN.finditer(text):
        yield _proposal(text, match.start(), match.end(), Kind.ID, 0.95)
    for match in _ID_CUE.finditer(text):
        value = match["id"]
        if sum(char.isdigit() for char in value) >= 4:
            yield _proposal(text, match.start("id"), match.end("id"), Kind.ID, 0.9)
    for match in _CODE.finditer(text):
        value = match.group()
        if len(value) >= 6 and sum(char.isdigit() for char in value) >= 4:
            yield _proposal(text, match.start(), match.end(), Kind.ID, 0.75)
    for match in _DIGITS.finditer(text):
        if sum(char.isdigit() for char in match.group()) >= 6:
            yield _proposal(text, match.start(), match.end(), Kind.ID, 0.55)


# --- dates ------------------------------------------------------------------------------------

_MONTH = (
    r"(?:January|February|(?-i:March)|April|(?-i:May)|June|July|August|September|October|"
    r"November|December|Jan|Feb|(?-i:Mar)|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_ORDINAL_WORDS = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"twenty-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|"
    r"thirty-first)"
)
_DAY = rf"(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)|{_ORDINAL_WORDS})"
_ORDINAL = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"
_YEAR = r"(?:,?\s+(?:19|20)\d{2}(?!\d))"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATE_PATTERNS = [
    # March 3rd, 2021 / Nov. 12 / June 2nd
    (re.compile(rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}\b{_YEAR}?", re.IGNORECASE), 0.9),
    # 14 September 2018 / 5th of May, 2016
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}?", re.IGNORECASE), 0.9),
    # 3/14/2021, 02/27/1953, 11-3-19, 2021-03-14
    (re.compile(r"(?<![\d/.-])\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?![\d/-]|\.\d)"), 0.9),
    (re.compile(r"(?<![\d/.-])(?:19|20)\d{2}-\d{2}-\d{2}(?![\d-])"), 0.9),
    # "on 4/12", "first, 3/22, then": a month and day with a cue (a preposition, or commas
    # around it), a valid month and day, and no fraction's "of" after it
    (
        re.compile(
            r"(?:\b(?:on|since|until|till|by|from|through|before|after|around|dated|was) |, )"
            r"(?P<v>(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9]))(?![\d/])(?!\s+(?:of|cups?)\b)",
            re.IGNORECASE,
        ),
        0.7,
    ),
    # Thursday, June 7th: a weekday joined to a month and day
    (re.compile(rf"\b{_WEEKDAY},?\s+{_MONTH}\s+{_DAY}\b{_YEAR}?", re.IGNORECASE), 0.92),
    # the first week of March 2022, the last weekend of June
    (
        re.compile(
            r"\b(?:first|second|third|fourth|last|final|1st|2nd|3rd|4th)\s+(?:week|weekend)\s+"
            rf"(?:of|in)\s+{_MONTH}{_YEAR}?",
            re.IGNORECASE,
        ),
        0.8,
    ),
    # Friday the 5th, Tuesday the 3rd of November
    (
        re.compile(
            rf"\b{_WEEKDAY}\s+the\s+(?:{_ORDINAL}|{_ORDINAL_WORDS})\b(?:\s+of\s+{_MONTH}{_YEAR}?)?",
            re.IGNORECASE,
        ),
        0.92,
    ),
    # Holidays are dates; bare "Christmas" or "Easter" is not unless a year follows.
    (
        re.compile(
            r"\b(?:valentine'?[s’]?\s+day|christmas\s+(?:eve|day)|new\s+year'?[s’]?\s+(?:eve|day)|"
            r"fourth\s+of\s+july|independence\s+day|memorial\s+day|labou?r\s+day|"
            r"mother'?[s’]?\s+day|father'?[s’]?\s+day|easter\s+sunday|veterans'?\s+day)"
            rf"{_YEAR}?"
            r"|\b(?:juneteenth|boxing\s+day|st\.?\s+patrick'?[s’]?\s+day|cinco\s+de\s+mayo)"
            rf"{_YEAR}?"
            # feasts that move, and bare feasts, are dates only with a year ("Good Friday 2023")
            r"|\b(?:christmas|easter|thanksgiving(?:\s+day)?|halloween|good\s+friday|"
            r"palm\s+sunday|ash\s+wednesday|easter\s+monday|mardi\s+gras|black\s+friday|"
            r"passover|yom\s+kippur|rosh\s+hashanah|hanukk?ah|diwali|eid(?:\s+al-\w+)?|"
            r"election\s+day|super\s+bowl\s+sunday|(?:mlk|martin\s+luther\s+king)\s+day|"
            r"presidents'?\s+day)(?=,?\s+(?:19|20)\d{2})"
            rf"{_YEAR}",
            re.IGNORECASE,
        ),
        0.9,
    ),
]
# "the 19th": a day of the month, unless a floor, grade, century or birthday follows.
_THE_ORDINAL = re.compile(
    rf"(?<=\bthe )(?:{_ORDINAL}|{_ORDINAL_WORDS})\b"
    r"(?!\s+(?:floor|grade|century|time|hole|row|percent|place|street|avenue|birthday|"
    r"anniversary|round|step|one|person|patient|visit|day|week|month|year|of\s+(?:them|us)|"
    rf"{_WEEKDAY}|weekend))",
    re.IGNORECASE,
)


def dates(text: str) -> Iterator[Proposal]:
    for pattern, confidence in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            yield _proposal(text, *_value_span(match), Kind.DATE, confidence)
    for match in _THE_ORDINAL.finditer(text):
        value = match.group().casefold()
        if value in {"first", "second", "third"}:  # "the first time", "the second one"
            continue
        yield _proposal(text, match.start(), match.end(), Kind.DATE, 0.6)


# --- ages over 89 -----------------------------------------------------------------------------

_UNITS = (
    r"(?!\s*(?:%|percent|per\s?cent|dollars|bucks|cents|pounds|lbs?|kilos?|kg|mg|mcg|units|"
    r"degrees|minutes|mins|seconds|hours|days|weeks|months|times|miles|feet|inches|people|"
    r"patients|visits|pills|calls|beats|over|/|mmhg|years\s+ago)\b)"
)
_SPELLED = (
    r"(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|(?:a|one)\s+hundred(?:\s+and)?(?:[- ](?:one|two|three|four|five|six|seven|eight|nine|"
    r"ten|eleven|twelve))?)"
)
_AGE_NUMBER = r"(?:9\d|1[01]\d)"
_AGE_SUFFIX = r"(?=[- ]?(?:years?|yrs?)[- ]?old\b|[- ]year[- ]old\b|\s*(?:yo|y/o)\b|\s+years\b)"
_AGE_PATTERNS = [
    (re.compile(rf"\b(?:{_AGE_NUMBER}|{_SPELLED}){_AGE_SUFFIX}", re.IGNORECASE), 0.95),
    (
        re.compile(
            rf"\b(?:aged|age|turned|turning|turn|be|is|was|i'm|i’m|he's|he’s|she's|she’s|"
            rf"at|am|reached|made|hit)\s(?P<v>{_AGE_NUMBER}|{_SPELLED})\b{_UNITS}",
            re.IGNORECASE,
        ),
        0.8,
    ),
    (
        re.compile(
            r"\b(?:a|one)\s+hundred\s+and\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|"
            rf"eleven|twelve)\b{_UNITS}",
            re.IGNORECASE,
        ),
        0.5,
    ),
    # "ninety-one" alone is almost always an age in these interviews; "a hundred" is not.
    (
        re.compile(
            rf"\bninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?\b{_UNITS}",
            re.IGNORECASE,
        ),
        0.5,
    ),
]


def ages(text: str) -> Iterator[Proposal]:
    for pattern, confidence in _AGE_PATTERNS:
        for match in pattern.finditer(text):
            yield _proposal(text, *_value_span(match), Kind.AGE, confidence)


# --- addresses and zip codes ------------------------------------------------------------------

STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|"
    r"Circle|Cir|Terrace|Highway|Hwy|Pike|Parkway|Pkwy|Trail|Square|Loop|Alley|Row|Run|"
    r"Crossing|Ridge)"
)
_CAP = r"[A-Z][\w'’.-]*"
_ADDRESS = re.compile(
    rf"(?<![\w-])\d{{1,6}}[A-Z]?\s+(?:[NSEW]\.?\s+)?(?:{_CAP}\s+){{1,3}}(?-i:{STREET_SUFFIX})\b\.?"
    r"(?:,?\s+(?:Apt\.?|Apartment|Unit|Suite|Ste\.?|#)\s*[\w-]+)?"
)
_STREET = re.compile(
    rf"(?<![\w-])(?:(?:[NSEW]\.?\s+)?(?!(?:The|A|On|In|At|Of)\s){_CAP}\s+){{1,3}}"
    r"(?:Street|Avenue|Road|Lane|Boulevard|Court|Terrace|Highway|Pike|Parkway|Trail|Ave\.|St\.)"
    r"(?!\w)"
)
# Route 9, State Route 32, County Road 12, Highway 50, I-70, US 23
_ROUTE = re.compile(
    r"\b(?:(?:State|County|Farm|US|U\.S\.)\s+)?(?:Route|Rte\.?|Road|Highway|Hwy\.?)\s+\d{1,4}[A-Z]?\b"
    r"|\b(?:I|US|SR|CR)-\d{1,3}\b"
)
_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+", re.IGNORECASE)
_ZIP = re.compile(r"(?<![\w$.,-])\d{5}(?:-\d{4})?(?![\w%-])")


def addresses(text: str) -> Iterator[Proposal]:
    for match in _ADDRESS.finditer(text):
        yield _proposal(text, match.start(), match.end(), Kind.LOCATION, 0.9)
    for match in _STREET.finditer(text):
        yield _proposal(text, match.start(), match.end(), Kind.LOCATION, 0.75)
    for match in _ROUTE.finditer(text):
        yield _proposal(text, match.start(), match.end(), Kind.LOCATION, 0.7)
    for match in _PO_BOX.finditer(text):
        yield _proposal(text, match.start(), match.end(), Kind.LOCATION, 0.9)
    for match in _ZIP.finditer(text):
        yield _proposal(text, match.start(), match.end(), Kind.LOCATION, 0.5)

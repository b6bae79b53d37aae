"""Names of people, places and organisations: runs of capitalised words read with their context.

The text is cut into word tokens. Runs of capitalised tokens ("Scioto Valley Clinic",
"Maria Delgado") are classified by their last words (Clinic, Hospital → a facility, a LOCATION;
School, Church, Inc. → an ORG), by the words before them ("lives in X" → LOCATION, "works at X"
→ ORG, "Dr. X", "my daughter X" → PERSON) and by the gazetteers (first names; US towns and
counties). Words of this field that are also names (hope, grace, faith, will, may, june) are a
PERSON only with a cue. Lower-case names, as transcribers write speech, are found after a
relation word ("my girlfriend hope") or because the same name was found elsewhere (see
``detect``'s repeat pass).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .lexicon import (
    AMBIGUOUS_NAMES,
    COUNTRIES,
    DEMONYMS,
    LOWERCASE_WORDS,
    NOT_NAMES,
    first_names,
    fold,
    us_places,
    words,
)
from .proposals import Kind, Proposal, Source

_TOKEN = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*(?:['’]s\b)?|[^\W\d_]\.")
_POSSESSIVE = ("'s", "’s")

TITLES = words("""
    dr dr. doctor mr mr. mrs mrs. ms ms. miss mx nurse pastor father fr fr. reverend rev rev.
    sister aunt auntie uncle nana grandma grandpa granny papa judge officer coach professor
    prof deacon rabbi imam captain sgt sergeant brother cousin practitioner doc
    """)
# Title words that are ordinary nouns too: a title only when capitalised.
_ABBREVIATED_TITLES = words("dr mr mrs ms mx fr rev prof sgt capt st")
_TITLES_NEED_CAPITAL = words(
    "nurse pastor father sister aunt auntie uncle nana grandma grandpa granny papa judge officer "
    "coach professor deacon captain brother cousin doctor"
)
RELATIONS = words("""
    daughter son wife husband mother mom mum father dad sister brother granddaughter grandson
    grandchild niece nephew friend neighbor neighbour boss partner girlfriend boyfriend aunt uncle
    cousin grandmother grandfather grandma grandpa kid child baby stepson stepdaughter stepmom
    stepdad caregiver roommate coworker co-worker supervisor manager fiancé fiance fiancée ex
    ex-husband ex-wife sister-in-law brother-in-law mother-in-law father-in-law daughter-in-law
    son-in-law twin priest pastor aide nurse doctor dog cat
    """)
_NOT_AFTER_RELATION = words(
    "will may can might must would should could did does do is was has had and or but who "
    "that the a an to in at on for with is's"
)
FACILITY_WORDS = words("""
    clinic clinics hospital hospitals center centre medicine practice pharmacy rehabilitation
    rehab hospice manor infirmary regional memorial vascular institute urgent care health home
    homes nursing living village lodge residence therapy dental dentistry optometry
    chiropractic pediatrics orthopedics cardiology oncology dialysis imaging radiology
    physicians surgical surgery
    """)
ORG_WORDS = words("""
    inc inc. llc corp corp. corporation company co co. industries bank insurance motors
    manufacturing school schools elementary academy university college church parish methodist
    baptist lutheran presbyterian episcopal catholic district department office plant mill
    foods group services service partners associates laboratory laboratories lab labs system
    systems agency council foundation society association union club store stores market farms
    farm state lady post legion local ministries chapel temple synagogue mosque congregation cross
    shield airlines
    railroad logistics construction steel energy electric power authority
    """)
# Facility words that also end plenty of organisations' names: an ORG when another org word
# is in the run ("Bluegrass Home Care", "Adena Health System").
_HEALTH_ORG = words("system systems partners associates group service services alliance")
KNOWN_ORGS = words("""
    walmart wal-mart amazon kroger meijer target costco walgreens cvs publix safeway
    albertsons aldi lowe's lowes ups fedex usps ford gm chrysler stellantis toyota honda nissan
    boeing tyson cargill pepsico coca-cola mcdonald's starbucks wendy's subway
    humana aetna anthem cigna unitedhealthcare centene
    molina medtronic abbott dexcom resmed philips insulet stryker cummins caterpillar deere
    whirlpool dow dupont ibm microsoft intel dell verizon at&t comcast xfinity spectrum
    """) | frozenset(
    ["rite aid", "dollar general", "united healthcare", "kaiser permanente", "kaiser"]
)
# Lower-case words after a name that make it an employer or business: "the Rawsonville plant",
# "the Planters peanut factory" (the name's run ends before the noun).
_WORKPLACE_NOUNS = words("""
    plant plants mill mills factory warehouse refinery mine mines cannery foundry depot
    dealership casino plant's headquarters shop store stores distribution
    """)
# Lower-case nouns after an acronym that make it an organisation: "the LCTA bus".
_ACRONYM_ORG_NOUNS = words("""
    bus buses office offices plant union program programme plan card store building campus
    caseworker rep headquarters hotline branch chapter
    """)
_LOCATION_CUES = words("in from near outside past around across towards toward into")
_MOTION = words("""
    moved move moving drive drove driving go goes going went came come coming back down up out
    over get got took take taking brought bring transferred sent flew walk walked walks headed
    """)
_ORG_CUES = re.compile(
    r"\b(?:work(?:s|ed|ing)?|job|jobs|employed|retired|boss|supervisor|manager|career|"
    r"shift|hired|intern(?:ship)?|residency|school|college|degree|undergrad|mentor|"
    r"insurance|insured|coverage|plan)\b[\w\s,]{0,14}?\b(?:at|for|with|from|by|through)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
_SPEECH_VERBS = words("""
    said says told tells asked asks called calls came went drove drives brought brings took
    found died passed lives lived works worked helped answers answered sent laughed cried
    thinks thought wanted wants knew checked emailed texted wrote writes visited
    """)
_VOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:call(?:s|ed)? (?:me|him|her|them)|thanks|thank you|hi|hey|hello|dear|bye|named|"
    r"called|name is|name's|I'm|I am|"
    r"this is|ask for|asked for|and|with|told|tell|asked|ask|call|called|saw|met|see|meet|"
    r"love|loves|help|helped)\s*,?\s*)$",
    re.IGNORECASE,
)
# Capitalised words that are no name alone but are part of many: "Muskegon County Sheriff's
# Office", "Harrodsburg Christian Church", "Lakeshore Community Health Center".
_NAME_PARTS = words("""
    st saint county city township christian catholic baptist methodist lutheran presbyterian
    episcopal national general community united first american north south east west new our
    """)
# Feasts that move or recur: not a date on their own ("every Good Friday").
# Acronyms said with "the" that name no organisation.
_MEDICAL_ACRONYMS = words(
    """
    er icu ed or pcp ekg ecg mri ct pet eeg emg cbc bmp cmp a1c ldl tsh psa inr ehr emr
    ama hipaa irb faq tv dvd atm ppe n95 ivf iud dna rna cdc fda dea npi cpr aed
    """
)
# Endings of English words that the world's first-name lists also hold ("Afterwards").
_ENGLISH_ENDING = re.compile(r"(?:wards|ly|ing|tion|ness|ment|able|ible|ful|less|ous)$")
_LOWER_CASE_PLACE_WORDS = words("parish church hospital clinic school chapel temple")
# "P", "W.W": a person's initials inside a name ("Wilma P. Mankiller", "W.W. Hastings")
_INITIALS = re.compile(r"[A-Z](?:\.[A-Z])*")
_NUMBERED_ORGS = words("post local lodge chapter district unit station troop")
_STREET_WORDS = words(
    "street st avenue ave road rd lane ln drive boulevard blvd court way place pike highway"
)
_COLOURS = words("white black green brown red blue gray grey silver golden")
NAME_PARTS = _NAME_PARTS
_RUN_OPENERS = _NAME_PARTS | _COLOURS | DEMONYMS
_CONNECTORS = words("and of de del della la le van von der den da dos das du bin ibn al el &")
_NOT_DATES = frozenset(["good friday", "palm sunday", "ash wednesday", "holy week"])
_MONTHS = words(
    "january february march april may june july august september october november december"
)


@dataclass(frozen=True)
class Token:
    start: int
    end: int  # without a possessive 's
    text: str  # without a possessive 's
    possessive: bool
    initial: bool  # begins a sentence (or a line, or a quotation)
    folded: str  # casefolded, without accents (how the lists are looked up)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def all_caps(self) -> bool:
        letters = [char for char in self.text if char.isalpha()]
        return len(letters) >= 2 and all(char.isupper() for char in letters)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        word = match.group()
        possessive = word.endswith(_POSSESSIVE) and len(word) > 2
        if possessive:
            end -= 2
            word = word[:-2]
        initial = begins_sentence(text, start)
        tokens.append(Token(start, end, word, possessive, initial, fold(word)))
    return tokens


def begins_sentence(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in " \t\"“‘'(*[":
        index -= 1
    if index < 0 or text[index] == "\n":
        return True
    if text[index] == "," and any(char in "\"“‘'" for char in text[index + 1 : start]):
        return True  # the first word of a quotation: "and she said, 'Can you...'"
    if text[index] in "!?:;—–":
        return True
    if text[index] == ".":
        # "Dr. Lee" and "St. Luke's" do not end a sentence.
        word_start = index
        while word_start > 0 and text[word_start - 1].isalpha():
            word_start -= 1
        return text[word_start:index].casefold() not in {"dr", "mr", "mrs", "ms", "st", "fr", "rev"}
    return False


class NameFinder:
    """Finds PERSON, LOCATION and ORG candidates in one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.common_names, self.other_names = first_names()
        self.towns, self.states = us_places()

    # --- helpers ------------------------------------------------------------------------------

    def _proposal(self, first: int, last: int, kind: Kind, confidence: float,
                  source: Source = Source.CONTEXT) -> Proposal:  # fmt: skip
        start, end = self.tokens[first].start, self.tokens[last].end
        return Proposal(start, end, kind, self.text[start:end], confidence, source)

    def _gap(self, left: int, right: int) -> str:
        return self.text[self.tokens[left].end : self.tokens[right].start]

    def _adjacent(self, left: int, right: int) -> bool:
        """Tokens separated by one space (or "B. " inside a name): part of one name."""
        gap = self._gap(left, right)
        return gap in {" ", ". "} and not (gap == ". " and len(self.tokens[left].text) > 2)

    def _is_name_word(self, token: Token) -> bool:
        """A capitalised word that could be part of a name (not a stop word or a month)."""
        if token.folded.count("-") >= 2:
            return False  # "an I-can't-lift-the-basket day"
        folded = re.sub(r"['’].*", "", token.folded)
        if folded.count("-") >= 2:
            return False  # "an I-can't-lift-the-basket day"
        if "-" in folded and all(
            part in NOT_NAMES or part in COUNTRIES for part in folded.split("-")
        ):
            return False  # "Mexican-American"
        return (
            token.capitalised
            and folded not in NOT_NAMES
            and folded.rstrip("s") not in NOT_NAMES
            and folded not in COUNTRIES
            and folded not in self.states
            and folded not in TITLES
        )

    def _is_run_word(self, token: Token) -> bool:
        """A capitalised word that may continue a run: a name word, or an org/facility word
        ("Grace Methodist", "Ohio State", "First Baptist")."""
        folded = token.folded.rstrip(".")
        return token.capitalised and (
            self._is_name_word(token)
            or (token.text != "I" and _INITIALS.fullmatch(token.text) is not None)
            or folded in ORG_WORDS
            or folded in FACILITY_WORDS
            or folded in self.states
            or folded in COUNTRIES
            or folded in _NAME_PARTS
            or folded in DEMONYMS
        )

    def _street_follows(self, index: int) -> bool:
        """Whether a street name starts at ``index`` ("on Tipton Street")."""
        ahead = self.tokens[index + 1 : index + 4]
        return any(token.folded in _STREET_WORDS for token in ahead)

    def _acronym_opens_name(self, index: int) -> bool:
        """An acronym before capitalised words: "OU-TU School of Medicine", "VFW Post 3031"."""
        return (
            index + 1 < len(self.tokens)
            and self._gap(index, index + 1) in {" ", ". "}
            and self._is_run_word(self.tokens[index + 1])
        )

    def _title_in_name(self, index: int) -> bool:
        """A capitalised title word before an organisation word: "Visiting Nurse Association"."""
        tokens = self.tokens
        return (
            tokens[index].capitalised
            and tokens[index].folded in TITLES
            and index + 1 < len(tokens)
            and self._gap(index, index + 1) == " "
            and tokens[index + 1].capitalised
            and tokens[index + 1].folded.rstrip(".") in ORG_WORDS
        )

    def _is_first_name(self, token: Token) -> bool:
        folded = token.folded
        return folded in self.common_names or folded in self.other_names

    # --- the pass -----------------------------------------------------------------------------

    def find(self) -> Iterator[Proposal]:
        tokens = self.tokens
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.folded in TITLES and self._title_here(index):
                while (
                    index + 2 < len(tokens)
                    and tokens[index + 1].folded in TITLES
                    and (self._title_here(index + 1))
                ):
                    index += 1
                end = self._run_end(index + 1)
                if end >= index + 1:
                    yield self._proposal(index + 1, end, Kind.PERSON, 0.9)
                    index = end + 1
                    continue
            if token.folded in RELATIONS and index + 1 < len(tokens):
                found = self._after_relation(index)
                if found is not None:
                    yield found
            if token.folded in _MONTHS and token.capitalised and self._strong_cue(index, index):
                yield self._proposal(index, index, Kind.PERSON, 0.7)  # "his wife June"
                index += 1
                continue
            if token.capitalised and (not token.all_caps or self._acronym_opens_name(index)):
                end = self._run_end(index)
                if end >= index:
                    yield from self._classify_run(index, end)
                    index = end + 1
                    continue
            if not token.capitalised:
                lower = self._lower_case_name(index)
                if lower is not None:
                    yield lower
            if len(token.text) <= 6 and token.capitalised and token.all_caps:
                found = self._acronym_org(index)
                if found is not None:
                    yield found
            index += 1

    def _title_here(self, index: int) -> bool:
        token = self.tokens[index]
        if token.folded in _TITLES_NEED_CAPITAL and not token.capitalised:
            return False
        if index + 1 >= len(self.tokens):
            return False
        gap = self._gap(index, index + 1)
        following = self.tokens[index + 1]
        if gap != " " and token.folded not in _ABBREVIATED_TITLES:
            return False  # "Thank you, Doctor. Anything to add?"
        if following.folded.rstrip(".") in ORG_WORDS and token.folded not in {"st", "saint"}:
            return False  # "the Visiting Nurse Association": a title word inside a name
        return (
            gap in {" ", ". ", "."}
            and following.capitalised
            and (self._is_name_word(following) or len(following.text.rstrip(".")) == 1)
        )

    def _run_end(self, first: int) -> int:
        """The last token of the run of capitalised name words starting at ``first``."""
        tokens = self.tokens
        first_token = tokens[first]
        if (
            first_token.folded in _RUN_OPENERS
            and first + 1 < len(tokens)
            and self._gap(first, first + 1) == " "
            and self._is_name_word(tokens[first + 1])
        ):
            return self._run_end_from(first)  # "White Swan", "North Side", "Blue Cross"
        if not (self._is_name_word(first_token) or len(first_token.text.rstrip(".")) == 1):
            # "Christian Haven Rehabilitation", "Ohio State": a run only if it names a place
            # or an organisation
            starts = (
                self._is_run_word(first_token)
                or first_token.folded in _MONTHS
                or first_token.all_caps
            )
            if not starts or first + 1 >= len(tokens):
                return first - 1
            end = self._run_end_from(first)
            words = {token.folded.rstrip(".") for token in tokens[first + 1 : end + 1]}
            phrase = " ".join(token.folded for token in tokens[first : end + 1])
            if words & (ORG_WORDS | FACILITY_WORDS) or phrase in self.towns:
                return end  # "Oklahoma City"
            return first - 1
        return self._run_end_from(first)

    def _run_end_from(self, first: int) -> int:
        tokens = self.tokens
        end = first
        while end + 1 < len(tokens):
            nxt = tokens[end + 1]
            gap = self._gap(end, end + 1)
            if tokens[end].possessive:
                # "St. Luke's Hospital", "St. Brendan's parish", "St. Joseph's Adult Day
                # Center": only up to a place or org word
                if gap[2:] != " ":
                    break
                for ahead in range(end + 1, min(end + 5, len(tokens))):
                    word = tokens[ahead].folded.rstrip(".")
                    if (word in FACILITY_WORDS or word in ORG_WORDS) and (
                        tokens[ahead].capitalised or word in _LOWER_CASE_PLACE_WORDS
                    ):
                        end = ahead
                        break
                    if not tokens[ahead].capitalised or (
                        ahead > end + 1 and self._gap(ahead - 1, ahead) != " "
                    ):
                        break
                break
            if gap == " & " and nxt.capitalised:
                end += 1  # "Pratt & Whitney"
                continue
            short = len(tokens[end].text) <= 2 or _INITIALS.fullmatch(tokens[end].text) is not None
            if gap not in {" ", ". "} or (gap == ". " and not short):
                break
            if (
                gap == ". "
                and end == first
                and len(tokens[end].text) == 1
                and (first == 0 or tokens[first - 1].folded in TITLES)
            ):
                break  # "Mrs. G. Cambodian, came as a refugee": an initial ends a sentence
            if self._is_run_word(nxt) or self._title_in_name(end + 1):
                end += 1
                continue
            # connectors inside names: "Heart and Vascular", "Santuario de Chimayó",
            # "Luis de la Cruz", "Our Lady of Lebanon"
            after = end + 1
            while (
                after < len(tokens)
                and after - end <= 2
                and (
                    tokens[after].folded in _CONNECTORS
                    or (
                        tokens[after].folded in {"on", "for"}
                        and tokens[end].folded in ORG_WORDS
                        and not self._street_follows(after + 1)
                    )
                )
                and self._gap(after - 1, after) == " "
            ):
                after += 1
            if (
                after > end + 1
                and after < len(tokens)
                and self._gap(after - 1, after) == " "
                and self._is_run_word(tokens[after])
            ):
                end = after
                continue
            if (
                nxt.folded in _LOWER_CASE_PLACE_WORDS
                and (end > first or tokens[first].folded in {"st", "saint"})
                and gap == " "
            ):
                end += 1  # "First Baptist church", "St. Brendan's parish"
            break
        return end

    def _classify_run(self, first: int, last: int) -> Iterator[Proposal]:
        tokens = self.tokens
        if (
            tokens[first].initial
            and last > first
            and not self._is_first_name(tokens[first])
            and self._is_first_name(tokens[first + 1])
            and self._gap(first, first + 1) == " "
        ):
            first += 1  # "Afterwards Sam said": the sentence's first word is no part of it
        words = [token.folded for token in tokens[first : last + 1]]
        phrase = " ".join(words)
        run = self._proposal(first, last, Kind.PERSON, 0.0)
        before = self.text[max(0, run.start - 60) : run.start]
        previous = tokens[first - 1].folded if first > 0 else ""
        if phrase in self.states or phrase in COUNTRIES or phrase in NOT_NAMES:
            return
        if phrase in _NOT_DATES:
            return
        org_words = [word for word in words if word.rstrip(".") in ORG_WORDS]
        facility_words = [word for word in words[1:] if word in FACILITY_WORDS]

        if phrase in KNOWN_ORGS or (words[0] in KNOWN_ORGS and len(words) == 1):
            yield self._proposal(first, last, Kind.ORG, 0.85, Source.GAZETTEER)
            return
        if len(words) > 1 and facility_words and not (set(words) & _HEALTH_ORG):
            yield self._proposal(first, last, Kind.LOCATION, 0.85)
            return
        if len(words) > 1 and (org_words or set(words) & _HEALTH_ORG):
            proposal = self._proposal(first, last, Kind.ORG, 0.8)
            number = re.match(
                r" (?:No\. ?|#)?\d{1,5}\b", self.text[proposal.end : proposal.end + 10]
            )
            if number and words[-1] in _NUMBERED_ORGS:  # "VFW Post 3031", "IAM Local 1746"
                end = proposal.end + number.end()
                proposal = replace(proposal, end=end, text=self.text[proposal.start : end])
            yield proposal
            return
        if (
            words[0].rstrip(".") in {"st", "saint"}
            and last == first + 1
            and tokens[last].possessive
        ):
            # "at St. Joe's": a saint's name with a possessive names a parish, a school or a
            # hospital, not a person
            start, end = tokens[first].start, tokens[last].end + 2
            yield Proposal(start, end, Kind.LOCATION, self.text[start:end], 0.7, Source.CONTEXT)
            return
        workplace = re.match(r" ([a-z]+)\b", self.text[run.end : run.end + 16])
        if (
            workplace
            and workplace[1] in _WORKPLACE_NOUNS
            and not tokens[last].possessive
            and not self._person_like(first, last)
            and not (tokens[first].initial and last == first)
        ):
            yield self._proposal(first, last, Kind.ORG, 0.7)  # "the Rawsonville plant"
            return
        if (
            tokens[last].possessive
            and re.search(r"\b(?:at|to|from)\s+$", before)
            and not (self._person_like(first, last) or words[-1] in self.common_names)
        ):
            start, end = tokens[first].start, tokens[last].end + 2  # "at Tambellini's"
            yield Proposal(start, end, Kind.ORG, self.text[start:end], 0.6, Source.CONTEXT)
            return
        if _ORG_CUES.search(before) and not self._person_like(first, last):
            yield self._proposal(first, last, Kind.ORG, 0.7)
            return
        if (
            previous == "at"
            and self._gap(first - 1, first) == " "
            and not self._is_first_name(tokens[first])
            and " ".join(words) not in self.towns
            and not tokens[last].possessive
        ):
            yield self._proposal(first, last, Kind.ORG, 0.6)  # "a machinist at Pratt & Whitney"
            return
        if self._place_cue(first) and not self._person_cue(first, last):
            yield self._proposal(first, last, Kind.LOCATION, 0.75)
            return
        after = self.text[run.end : run.end + 12]
        if re.match(r",\s*(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?|[A-Z]{2})\b", after):
            state = re.match(r",\s*([A-Z][a-z]+(?:\s[A-Z][a-z]+)?|[A-Z]{2})\b", after)
            if state and state[1].casefold() in self.states:
                yield self._proposal(first, last, Kind.LOCATION, 0.85)
                return
        yield from self._person_run(first, last, previous)

    def _person_like(self, first: int, last: int) -> bool:
        return self.tokens[first].folded in self.common_names and last > first

    def _place_cue(self, first: int) -> bool:
        if first == 0:
            return False
        previous = self.tokens[first - 1]
        if self._gap(first - 1, first) != " ":
            return False
        if previous.folded in _LOCATION_CUES:
            return True
        if previous.folded in {"to", "the"} and first >= 2:
            earlier = self.tokens[first - 2].folded
            return earlier in _MOTION or (earlier == "to" and first >= 3
                                          and self.tokens[first - 3].folded in _MOTION)  # fmt: skip
        return False

    def _person_cue(self, first: int, last: int) -> bool:
        token = self.tokens[first]
        return (
            token.folded in self.common_names
            and token.folded not in AMBIGUOUS_NAMES
            and token.folded not in self.towns
        )

    def _person_run(self, first: int, last: int, previous: str) -> Iterator[Proposal]:
        tokens = self.tokens
        token = tokens[first]
        folded = token.folded
        run_text = " ".join(t.folded for t in tokens[first : last + 1])
        if run_text in self.towns and not (last == first and self._strong_cue(first, last)):
            yield self._proposal(first, last, Kind.LOCATION, 0.6, Source.GAZETTEER)
            return
        if len(token.text) == 1:
            return
        if folded in AMBIGUOUS_NAMES or folded in _MONTHS:
            if last > first and tokens[first + 1].folded not in {"i"}:
                yield self._proposal(first, last, Kind.PERSON, 0.7)
            elif self._strong_cue(first, last) or (
                not token.initial and folded not in _MONTHS and not token.all_caps
            ):
                yield self._proposal(first, last, Kind.PERSON, 0.6)
            return
        if folded in self.common_names:
            yield self._proposal(first, last, Kind.PERSON, 0.85, Source.GAZETTEER)
            return
        if (
            folded in self.other_names
            and (not token.initial or last > first or self._strong_cue(first, last))
            and not _ENGLISH_ENDING.search(folded)
        ):
            yield self._proposal(first, last, Kind.PERSON, 0.7, Source.GAZETTEER)
            return
        if token.initial and last == first:
            return  # "Finally said": any word can open a sentence before "said"
        if self._strong_cue(first, last):
            yield self._proposal(first, last, Kind.PERSON, 0.7)
            return
        if not token.initial and len(token.text) > 2:
            confidence = 0.6 if last > first or token.possessive else 0.45
            yield self._proposal(first, last, Kind.PERSON, confidence)

    def _strong_cue(self, first: int, last: int) -> bool:
        """Words around a run that say it names a person."""
        tokens = self.tokens
        if tokens[last].possessive:
            return True
        if last + 1 < len(tokens) and self._gap(last, last + 1).strip(" ,") == "":
            following = tokens[last + 1].folded
            if following in _SPEECH_VERBS:
                return True
            if (
                following == "and"
                and last + 2 < len(tokens)
                and tokens[last + 2].text == "I"
                and tokens[first].folded not in _MONTHS
            ):
                return True
        before = self.text[max(0, tokens[first].start - 20) : tokens[first].start]
        if _VOCATIVE_BEFORE.search(before) and not tokens[first].initial:
            return True
        after = self.text[tokens[last].end : tokens[last].end + 30]
        relation = re.match(r", (?:my|his|her|our|their) ([\w-]+)", after)
        if relation and relation[1].casefold() in RELATIONS:
            return True  # "Nguyen Thi Lan, my wife, came too"
        # a relation right before: "my daughter Grace"
        return (
            first > 0
            and tokens[first - 1].folded in RELATIONS
            and self._gap(first - 1, first).strip(" ,") == ""
        )

    def _after_relation(self, index: int) -> Proposal | None:
        """A lower-case name after "my daughter", "his wife" ("my girlfriend hope was...")."""
        tokens = self.tokens
        if index == 0 or tokens[index - 1].folded not in {
            "my", "his", "her", "our", "their", "your", "the",
        }:  # fmt: skip
            return None
        nxt = tokens[index + 1]
        if nxt.capitalised or self._gap(index, index + 1).strip(" ,") != "":
            return None
        folded = nxt.folded
        if folded in _NOT_AFTER_RELATION or folded in NOT_NAMES or len(folded) < 3:
            return None
        if folded in self.common_names or (
            folded not in self.other_names and index + 2 < len(tokens)
            and tokens[index + 2].folded in _SPEECH_VERBS | {"threw", "had", "was", "is"}
        ):  # fmt: skip
            return self._proposal(index + 1, index + 1, Kind.PERSON, 0.7)
        return None

    def _lower_case_name(self, index: int) -> Proposal | None:
        """A first name written in lower case, as transcribers write speech ("josh", "maria")."""
        token = self.tokens[index]
        folded = token.folded
        following = self.text[token.end : token.end + 7]
        if (
            folded in self.common_names
            and following == " and I "
            and index > 0
            and (self.tokens[index - 1].folded not in {"i", "we", "you", "they", "to"})
        ):
            return self._proposal(index, index, Kind.PERSON, 0.6)
        if (
            len(folded) >= 3
            and folded in self.common_names
            and folded not in AMBIGUOUS_NAMES
            and folded not in LOWERCASE_WORDS
            and folded not in NOT_NAMES
        ):
            return self._proposal(index, index, Kind.PERSON, 0.5, Source.GAZETTEER)
        return None

    def _acronym_org(self, index: int) -> Proposal | None:
        """An acronym after "school at", "works for": "medical school at UK", "mentor at UNM"."""
        token = self.tokens[index]
        if token.folded in KNOWN_ORGS:
            return self._proposal(index, index, Kind.ORG, 0.8, Source.GAZETTEER)  # "the CVS"
        before = self.text[max(0, token.start - 40) : token.start]
        # "at the VA" is no state, "medical school at UK" no country
        if (token.folded in self.states or token.folded in COUNTRIES) and not (
            before.endswith("the ") or _ORG_CUES.search(before)
        ):
            return None
        if _ORG_CUES.search(before):
            return self._proposal(index, index, Kind.ORG, 0.6)
        plain = (
            len(token.text) >= 3
            and token.text.isalpha()
            and token.folded not in NOT_NAMES
            and token.folded not in _MEDICAL_ACRONYMS
            and token.folded not in self.states
            and token.folded not in COUNTRIES
        )
        after = re.match(r" ([a-z]+)\b", self.text[token.end : token.end + 16])
        if plain and after and after[1] in _ACRONYM_ORG_NOUNS:
            return self._proposal(index, index, Kind.ORG, 0.6)  # "the LCTA bus"
        if plain and re.search(
            r"\b(?:at|with|through|by|joined|member of|card from|letter from)\s+$", before
        ):
            return self._proposal(index, index, Kind.ORG, 0.55)  # "Dr. Feldman at IHA"
        if re.search(r"\b(?:at|from|for|with|to) the $", before) and (
            token.folded not in NOT_NAMES and token.folded not in _MEDICAL_ACRONYMS
        ):
            return self._proposal(index, index, Kind.ORG, 0.5)  # "a guy at the VA"
        return None

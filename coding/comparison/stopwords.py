"""English stop words for word frequencies: the function words of English, kept here rather
than taken from a package.

The large published lists (the ``stop-words`` package's 1,333 English words, ISO's) drop content
words this study counts — "known", "value", "help", "need" are stop words there, and "being
known" and "valuing" are codes of the healing model. This list holds only words that carry
grammar, not content:

- articles, determiners and quantifiers (a, the, this, some, each, …);
- personal, possessive, reflexive, relative and interrogative pronouns;
- prepositions and conjunctions;
- the auxiliary and modal verbs (be, have, do, will, can, …) in every form, and their
  contractions with pronouns and "not" (I'm, don't, …; both apostrophes);
- a few adverbs of grammar (not, very, too, also, just, only, then, there, …);
- the fillers of spoken English in transcripts (um, uh, er, erm, ah, oh, mm, mhm, hmm, yeah,
  okay, ok).

A study adds its own (names, "doctor", "like"…) on the word frequencies page; they are kept on
``coding.models.StudyStopWords``.
"""

from __future__ import annotations

_WORDS = """
a an the this that these those some any each every either neither no all both few many much
more most other another such own same several enough

i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his
himself she her hers herself it its itself they them their theirs themselves one ones who whom
whose which what whatever whoever whichever

about above across after against along amid among around at before behind below beneath beside
besides between beyond by down during except for from in inside into near of off on onto out
outside over past per since through throughout till to toward towards under underneath until
unto up upon with within without via

and but or nor so yet because although though while whilst whereas if unless whether than as
once

am is are was were be been being have has had having do does did doing done will would shall
should can could may might must ought

i'm i've i'd i'll you're you've you'd you'll he's he'd he'll she's she'd she'll it's it'd it'll
we're we've we'd we'll they're they've they'd they'll that's that'll there's there'd there'll
here's what's what'd who's who'd who'll where's when's why's how's let's isn't aren't wasn't
weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't can't cannot
couldn't mustn't mightn't needn't ain't y'all

not very too also just only even there here where when why how again further then now ever
quite rather else

um uh er erm ah oh mm mhm hmm yeah okay ok
"""

ENGLISH_STOP_WORDS: frozenset[str] = frozenset(_WORDS.split())


def normal_word(word: str) -> str:
    """How words are compared and counted: lower case, the typographic apostrophe as ``'``."""
    return word.lower().replace("\u2019", "'")

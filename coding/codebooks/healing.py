"""The healing-relationships codebook shipped with Healing.

Model: Scott JG, Cohen D, DiCicco-Bloom B, Miller WL, Stange KC, Crabtree BF. Understanding
healing relationships in primary care. Ann Fam Med 2008;6(4):315-322. doi:10.1370/afm.860.

Three processes (valuing, appreciating power, abiding) build three relational outcomes (trust,
hope, being known); four clinician competencies (self-confidence, emotional self-management,
mindfulness, knowledge) make the processes possible. The definitions, criteria and examples below
are this project's own wording of the model; the paper's Table 3 has the authors' wording.
Examples are invented for illustration and describe no real person.
"""

from __future__ import annotations

from typing import TypedDict


class CodeSpec(TypedDict):
    key: str
    parent: str | None
    name: str
    group: str
    definition: str
    inclusion: str
    exclusion: str
    example: str
    color: str
    is_active: bool


CITATION = (
    "Scott JG, Cohen D, DiCicco-Bloom B, Miller WL, Stange KC, Crabtree BF. Understanding healing "
    "relationships in primary care. Ann Fam Med 2008;6(4):315-322. doi:10.1370/afm.860"
)
TITLE = "Healing relationships (Scott et al. 2008)"
DESCRIPTION = (
    "Processes (valuing, appreciating power, abiding) lead to relational outcomes (trust, hope, "
    "being known); clinician competencies make the processes possible. Code with the most "
    "specific child code that fits; use a parent only when no child does. Codes may overlap. "
    "Speaker and dyad are recorded by the app, not as codes. Model: " + CITATION + "."
)


def _code(
    key: str,
    parent: str | None,
    name: str,
    group: str,
    color: str,
    definition: str,
    inclusion: str,
    exclusion: str,
    example: str,
    *,
    is_active: bool = True,
) -> CodeSpec:
    return CodeSpec(
        key=key,
        parent=parent,
        name=name,
        group=group,
        definition=definition,
        inclusion=inclusion,
        exclusion=exclusion,
        example=example,
        color=color,
        is_active=is_active,
    )


# Order matters: parents come before their children, and the list order is the display order.
CODES: list[CodeSpec] = [
    # --- Processes: valuing -------------------------------------------------------------------
    _code(
        "VAL",
        None,
        "Valuing",
        "process",
        "#1F4E79",
        "The clinician forms an accepting emotional bond in which the patient is treated as "
        "someone who matters.",
        "Talk about the bond or the patient's worth when none of the sub-codes fits better.",
        "Decisions, authority or teaching: use an Appreciating power code. Time together and "
        "commitment: use an Abiding code.",
        '"She made me feel like I was worth the trouble."',
    ),
    _code(
        "VAL.NJ",
        "VAL",
        "Nonjudgmental stance",
        "process",
        "#2E75B6",
        "The clinician accepts the patient as a worthwhile person whatever they have done or "
        "whatever their circumstances.",
        "The patient is not blamed, shamed or lectured (about drinking, weight, missed "
        "medicines, money); the clinician describes setting judgement aside on purpose.",
        "Friendliness where nothing was at stake to judge: use Connecting.",
        '"I told him I\'d started smoking again and he just asked what had been going on."',
    ),
    _code(
        "VAL.CON",
        "VAL",
        "Connecting",
        "process",
        "#5B9BD5",
        "Clinician and patient find something in each other that resonates personally.",
        "Liking each other; shared interests, jokes or background; a felt personal bond, told "
        "from either side.",
        "The clinician's own suffering as the bridge: use Empathy. Closeness put down to years "
        "together: use Interpersonal continuity.",
        '"We both grew up on farms, so we always end up talking about the weather and cattle."',
    ),
    _code(
        "VAL.PRES",
        "VAL",
        "Presence",
        "process",
        "#0B6E99",
        "The clinician is mindfully with the patient during the visit.",
        "Presence described in general, when attention, acceptance or empathy cannot be told "
        "apart.",
        "The clinician's inner awareness as a personal trait: use Mindfulness.",
        "\"When you're in the room with her, you're the only thing that exists.\"",
    ),
    _code(
        "VAL.PRES.ATT",
        "VAL.PRES",
        "Full attention",
        "process",
        "#3FA7D6",
        "The clinician listens actively and without distraction to the patient's story.",
        "Not rushed or interrupted; eye contact; time to tell the whole story; the patient "
        "says they were really heard.",
        "Explaining or teaching: use Education.",
        '"He turned away from the computer and let me talk until I was finished."',
    ),
    _code(
        "VAL.PRES.ACC",
        "VAL.PRES",
        "Acceptance of illness experience",
        "process",
        "#7FC8E8",
        "The clinician takes the patient's own experience of being ill seriously.",
        "Symptoms believed or validated; the experience acknowledged even before, or without, "
        "a diagnosis.",
        "Acceptance of the person or their behaviour: use Nonjudgmental stance.",
        '"Nobody else believed the pain was real. She said: I believe you, let\'s find out why."',
    ),
    _code(
        "VAL.PRES.EMP",
        "VAL.PRES",
        "Empathy",
        "process",
        "#08306B",
        "The clinician links the patient's suffering to suffering in their own life (the "
        "model's narrow sense of empathy).",
        "The clinician draws on their own illness or loss; the patient senses the clinician "
        "has been through something similar.",
        "General warmth or kindness: use Connecting.",
        '"When my father was dying I learned what the waiting does to a family."',
    ),
    # --- Processes: appreciating power -----------------------------------------------------------
    _code(
        "POW",
        None,
        "Appreciating power",
        "process",
        "#5E2B97",
        "The clinician is aware of their power and manages it so that it serves the patient.",
        "Talk about power, authority or control when none of the sub-codes fits better.",
        "Abandonment, continuity or long-term commitment: use an Abiding code.",
        '"I know that what I say carries weight, so I try to be careful with it."',
    ),
    _code(
        "POW.PART",
        "POW",
        "Partnering",
        "process",
        "#8E63C7",
        "The patient takes part as a partner in decisions about diagnosis and treatment.",
        "Options laid out; the patient's preferences shape the plan; negotiation; shared "
        "decisions.",
        "The clinician insisting or overruling: use Pushing.",
        '"She gave me three choices and asked which one fit my life."',
    ),
    _code(
        "POW.EDU",
        "POW",
        "Education",
        "process",
        "#B79FE0",
        "The clinician translates medical language and teaches the patient to manage their "
        "own health.",
        "Explanations, drawings, teaching a skill, building the patient's understanding.",
        "Framing the outlook to keep hope alive: use Hope (double-code if both happen).",
        '"He drew the heart on the paper sheet and showed me where the valve was leaking."',
    ),
    _code(
        "POW.PUSH",
        "POW",
        "Pushing",
        "process",
        "#3F007D",
        "The clinician deliberately uses their authority to move the patient toward what "
        "benefits them.",
        "Insisting on a test or treatment; firm confrontation for the patient's own good; "
        "using status to advocate for the patient.",
        "A choice made together: use Partnering. Help with paperwork or the system as extra "
        "care: use Caring actions.",
        '"I told him flatly I wasn\'t letting him leave without the scan."',
    ),
    # --- Processes: abiding ---------------------------------------------------------------------
    _code(
        "ABI",
        None,
        "Abiding",
        "process",
        "#1B5E20",
        "The clinician shows a lasting commitment to caring for the patient over time.",
        "Commitment over time when none of the sub-codes fits better.",
        "Behaviour within a single visit: use a Valuing code.",
        '"Whatever happens, she\'s in it with me."',
    ),
    _code(
        "ABI.CONT",
        "ABI",
        "Interpersonal continuity",
        "process",
        "#4CAF50",
        "The patient sees the same clinician, most of the time, over a long period.",
        "Years together; a stable practice; a shared history; comparisons with family or marriage.",
        "The patient's sense of being known as a person: use Being known (double-code if both).",
        '"Twenty-two years now. He delivered my youngest."',
    ),
    _code(
        "ABI.CRISIS",
        "ABI",
        "Major health crises",
        "process",
        "#2E7D32",
        "The clinician stays with the patient through significant health events.",
        "Being there at births, deaths, serious diagnoses, hospital stays or surgery.",
        "Routine visits: use Interpersonal continuity or Caring actions.",
        '"She came to the hospital the night they found the tumour."',
    ),
    _code(
        "ABI.CARE",
        "ABI",
        "Caring actions",
        "process",
        "#81C784",
        "Acts, large and small, that add up and show the patient the clinician cares.",
        "Home visits; calls after hours; looking up the patient's question; help with "
        "insurance or the system; doing hands-on tasks personally.",
        "Listening during the visit: use Full attention.",
        '"He phoned me on a Sunday to tell me the biopsy was clear."',
    ),
    _code(
        "ABI.NGU",
        "ABI",
        "Not giving up",
        "process",
        "#005A32",
        "The clinician keeps working to relieve suffering when cure or the usual options have "
        "run out.",
        'No abandonment; palliation continued; "we\'ll keep trying"; staying involved at the '
        "end of life.",
        "The patient's own optimism: use Hope.",
        '"When the specialists said there was nothing more, she said: then we work on the pain."',
    ),
    # --- Clinician competencies -----------------------------------------------------------------
    _code(
        "COMP.CONF",
        None,
        "Self-confidence",
        "competency",
        "#E65100",
        "The clinician projects confidence in their ability to help or heal.",
        "An assured manner; the patient sees the clinician as confident; the clinician trusts "
        "their own judgement.",
        "What the clinician knows: use Knowledge. The patient's resulting hope: use Hope.",
        '"She walked in and said: we are going to sort this out. And I believed her."',
    ),
    _code(
        "COMP.EMO",
        None,
        "Emotional self-management",
        "competency",
        "#FB8C00",
        "The clinician recognises their own emotions and manages them appropriately.",
        "Handling grief, frustration or attachment; keeping boundaries; self-care that "
        "protects the relationship.",
        "Using their own feelings to connect with the patient: use Empathy.",
        '"After she died I took a walk before my next patient. I owed him my full self."',
    ),
    _code(
        "COMP.MIND",
        None,
        "Mindfulness",
        "competency",
        "#FFB74D",
        "The clinician is aware in the moment of their own inner state and of what is around them.",
        "Noticing their own reactions or small cues; reflective awareness while giving care.",
        "The visible act of listening: use Full attention (double-code if both).",
        '"I noticed I was getting impatient, and that told me something was being left unsaid."',
    ),
    _code(
        "COMP.KNOW",
        None,
        "Knowledge",
        "competency",
        "#BF360C",
        "The clinician's store of knowledge and skill in diagnosis and treatment.",
        "Clinical acumen; getting the diagnosis right; technical skill the patient values.",
        "Explaining that knowledge to the patient: use Education.",
        '"He caught the thyroid problem that three doctors had missed."',
    ),
    # --- Relational outcomes --------------------------------------------------------------------
    _code(
        "OUT.TRUST",
        None,
        "Trust",
        "outcome",
        "#C62828",
        "The patient is willing to be vulnerable, feels cared for, and relies on promises "
        "being kept.",
        'Telling sensitive things; "I trust her"; relying on the clinician\'s word or '
        "follow-through.",
        "Belief about the future: use Hope.",
        '"I told her things I have never told my husband."',
    ),
    _code(
        "OUT.HOPE",
        None,
        "Hope",
        "outcome",
        "#EC407A",
        "The patient believes that some better future beyond the present suffering is possible.",
        "Realistic optimism; expecting to feel better; a glimpse of new options.",
        "Relying on the clinician's trustworthiness: use Trust.",
        '"For the first time in a year I thought: maybe I can get back to the garden."',
    ),
    _code(
        "OUT.KNOWN",
        None,
        "Being known",
        "outcome",
        "#AD1457",
        "The patient feels the clinician knows them as a whole person, a knowledge built up "
        "over time.",
        '"He knows who I am"; knows my history, my values, how I think.',
        "The bare fact of years together: use Interpersonal continuity.",
        '"She knows I\'ll play it down, so she asks twice."',
    ),
    _code(
        "HEAL",
        None,
        "Healing (optional extension)",
        "other",
        "#757575",
        "An account of healing itself: cure where possible, relief of suffering, wholeness "
        "restored.",
        "Explicit descriptions of having been healed, or of what healing means to the speaker.",
        "Anything one of the model's components covers. Not a component of the 2008 model; "
        "inactive until a study switches it on.",
        '"Healing for me wasn\'t the cancer going away. It was not being afraid any more."',
        is_active=False,
    ),
]

# The ten components of the model: three processes, four competencies, three outcomes.
COMPONENT_KEYS = [
    "VAL", "POW", "ABI",
    "COMP.CONF", "COMP.EMO", "COMP.MIND", "COMP.KNOW",
    "OUT.TRUST", "OUT.HOPE", "OUT.KNOWN",
]  # fmt: skip

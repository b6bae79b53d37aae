"""The detector on short texts: every kind, the trap words, the study's lists, speaker labels,
offsets after emoji and accents."""

from __future__ import annotations

import itertools

import pytest

from interviews.deid.detect import detect
from interviews.deid.proposals import DeidContext, Kind, Proposal, Source


def found(text: str, context: DeidContext | None = None) -> dict[str, Kind]:
    proposals = detect(text, context=context)
    for proposal in proposals:
        assert text[proposal.start : proposal.end] == proposal.text
        assert 0 < proposal.confidence <= 1
    return {proposal.text: proposal.kind for proposal in proposals}


def test_proposals_are_sorted_and_never_overlap() -> None:
    text = (
        "Dr. Okafor called Maria Delgado at (740) 555-0143 on March 3rd, 2021 about 1418 "
        "Sycamore Lane, Chillicothe, Ohio 45601. Maria's MRN is 4471932."
    )
    proposals = detect(text)
    assert proposals == sorted(proposals, key=lambda p: p.start)
    for left, right in itertools.pairwise(proposals):
        assert left.end <= right.start


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        # PERSON: titles, relations, gazetteer, possessives, speech cues, lower-case speech
        ("I saw Dr. Vanterpool last week.", "Vanterpool", Kind.PERSON),
        ("Then Mrs. Abernathy came in.", "Abernathy", Kind.PERSON),
        ("Nurse Practitioner Yusupova listened.", "Yusupova", Kind.PERSON),
        ("My daughter Grace drives me.", "Grace", Kind.PERSON),
        ("I told Denise Kowalczyk about it.", "Denise Kowalczyk", Kind.PERSON),
        ("It was Kaylee's first week.", "Kaylee", Kind.PERSON),
        ("my girlfriend hope was the one who made me go.", "hope", Kind.PERSON),
        ("so josh was fine, he left in may.", "josh", Kind.PERSON),
        # LOCATION: towns, addresses, zip codes, facilities, cues
        ("I live in Chillicothe now.", "Chillicothe", Kind.LOCATION),
        ("We moved to Fruitport after that.", "Fruitport", Kind.LOCATION),
        ("He lives at 418 Poplar Ridge Road with his son.", "418 Poplar Ridge Road", Kind.LOCATION),
        ("It's on Tipton Street, past the bank.", "Tipton Street", Kind.LOCATION),
        ("Send it to PO Box 1187 please.", "PO Box 1187", Kind.LOCATION),
        ("The zip is 40330 if you want to write.", "40330", Kind.LOCATION),
        ("She went to Scioto Valley Clinic for years.", "Scioto Valley Clinic", Kind.LOCATION),
        ("They took him to St. Luke's Hospital.", "St. Luke's Hospital", Kind.LOCATION),
        ("My son is in Columbus, Ohio these days.", "Columbus", Kind.LOCATION),
        # DATE: many formats
        ("The visit was on March 3rd, 2021.", "March 3rd, 2021", Kind.DATE),
        ("It happened 3/14/2021 in the morning.", "3/14/2021", Kind.DATE),
        ("I moved on the 5th of May, 2016.", "5th of May, 2016", Kind.DATE),
        ("He died 14 September 2018.", "14 September 2018", Kind.DATE),
        ("My birthday is Aug 30 so it's soon.", "Aug 30", Kind.DATE),
        ("They had me down for the 19th instead.", "19th", Kind.DATE),
        ("It was Friday the 5th, I think.", "Friday the 5th", Kind.DATE),
        ("We spoke on 2021-07-22 by video.", "2021-07-22", Kind.DATE),
        ("That was Easter Sunday, 2017.", "Easter Sunday, 2017", Kind.DATE),
        # AGE: over 89 only
        ("My mother is a 92-year-old widow.", "92", Kind.AGE),
        ("She's ninety-one and sharp.", "ninety-one", Kind.AGE),
        ("My oldest patient is 103.", "103", Kind.AGE),
        ("I'm going to be ninety-two next month.", "ninety-two", Kind.AGE),
        # PHONE, EMAIL, URL
        ("Call (740) 555-0143 any time.", "(740) 555-0143", Kind.PHONE),
        ("The fax is 740-555-0199, it fails.", "740-555-0199", Kind.PHONE),
        ("My line is 740.555.0110, extension 214.", "740.555.0110", Kind.PHONE),
        ("Scheduling is 1-800-555-0175.", "1-800-555-0175", Kind.PHONE),
        ("Write to mdelgado52@yahoo.com please.", "mdelgado52@yahoo.com", Kind.EMAIL),
        ("See https://www.example-recovery.org/meetings for times.",
         "https://www.example-recovery.org/meetings", Kind.URL),
        ("The portal is mychart.adena.org now.", "mychart.adena.org", Kind.URL),
        # ID: record, insurance, SSN, licence, device
        ("My social is 312-58-4471 on every form.", "312-58-4471", Kind.ID),
        ("The member ID is ZGH 4471 9920 03 on the card.", "ZGH 4471 9920 03", Kind.ID),
        ("His pacemaker serial number is PJN738201H.", "PJN738201H", Kind.ID),
        ("License number 1184-22-7719 was suspended.", "1184-22-7719", Kind.ID),
        ("Her MRN: 00418872.", "00418872", Kind.ID),
        # ORG: employers and organisations
        ("I was working at Kenworth on the line.", "Kenworth", Kind.ORG),
        ("She works nights at the Amazon warehouse.", "Amazon", Kind.ORG),
        ("I taught at Burgin Elementary for years.", "Burgin Elementary", Kind.ORG),
        ("We go to First Baptist on Sundays.", "First Baptist", Kind.ORG),
        ("Her insurance is Humana now.", "Humana", Kind.ORG),
        ("I had a guy at the VA in Dayton.", "VA", Kind.ORG),
        ("He was a machinist at Pratt & Whitney.", "Pratt & Whitney", Kind.ORG),
        ("We met for dinner at Tambellini's in Rochester.", "Tambellini's", Kind.ORG),
        ("Insurance through the Indian Health Service.", "Indian Health Service", Kind.ORG),
        ("She goes to Our Lady of Lebanon.", "Our Lady of Lebanon", Kind.ORG),
        # names with particles, accents, hyphens, initials
        ("Her husband Luis de la Cruz died at home.", "Luis de la Cruz", Kind.PERSON),
        ("I saw José yesterday and Inés today.", "José", Kind.PERSON),
        ("The NP, Bridget Oyelaran-Marsh, was kind.", "Bridget Oyelaran-Marsh", Kind.PERSON),
        ("We took him to James B. Haggin Memorial Hospital.",
         "James B. Haggin Memorial Hospital", Kind.LOCATION),
        ("The day program at St. Joseph's Adult Day Center helps.",
         "St. Joseph's Adult Day Center", Kind.LOCATION),
        ("He lives out near White Swan with his grandson.", "White Swan", Kind.LOCATION),
        ("Send it to 2231 Shroyer Rd., Apt. 4 please.", "2231 Shroyer Rd., Apt. 4", Kind.LOCATION),
        ("Tuesday the 3rd of November was election day.", "Tuesday the 3rd of November", Kind.DATE),
        ("I fell on Christmas Eve on the ice.", "Christmas Eve", Kind.DATE),
        ("The amputation was on 2/2/2018.", "2/2/2018", Kind.DATE),
        ("The wedding is in Oklahoma City next year.", "Oklahoma City", Kind.LOCATION),
        ("Mom was a nurse at the old W.W. Hastings Hospital.", "W.W. Hastings Hospital",
         Kind.LOCATION),
        ("Bingo at the VFW Post 3031 on Fridays.", "VFW Post 3031", Kind.ORG),
        ("Everybody calls her Dilly now.", "Dilly", Kind.PERSON),
        ("His Medicaid number is MA 71120394 B, I think.", "MA 71120394 B", Kind.ID),
    ],
)  # fmt: skip
def test_every_kind(text: str, expected: str, kind: Kind) -> None:
    assert found(text).get(expected) == kind, detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "I had no hope that week, none at all.",
        "By the grace of God I had her.",
        "Faith goes both ways, I guess.",
        "Trust is everything to me.",
        "I will say, that is why I stay.",
        "May I ask you something?",
        "It takes patience and joy.",
        "She came back in June and again in April.",
        "We did a survey in August 2019.",
        "I was born in 1929 and moved in March 2019.",
        "Last Tuesday I had an appointment.",
        "My mother lived to be eighty-nine.",
        "She's 67 and still working.",
        "I am from Ohio, we moved from Mexico.",
        "I drive forty minutes each way on Medicare.",
        "It was 92 percent, and 95 degrees outside.",
        "And she said, 'Can you make sense of this?' Mine too, I said.",
        "Thank you, Doctor. Anything to add?",
        "My niece's party was in June and I wanted to dance.",
        "Let's look at what's going on. Finally said it out loud.",
        "It's not one big thing. It's a hundred small ones.",
        "I told her in Khmer, and she is Mexican-American.",
        "The Alzheimer's came on slow; Part D would not pay.",
    ],
)
def test_words_of_the_field_are_not_flagged(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My granddaughter Hope found me on the floor.", "Hope"),
        ("Grace said she would drive.", "Grace"),
        ("Dr. Faith Okonkwo was kind.", "Faith Okonkwo"),
        ("My husband, Will, says I'm married to the EHR.", "Will"),
        ("His wife June died the year I started.", "June"),
        ("because hope and I broke up that week", "hope"),
        ("Then Patience Mbeki took over the clinic.", "Patience Mbeki"),
        ("Afterwards Sam said it out loud.", "Sam"),
    ],
)
def test_trap_words_used_as_names_are_flagged(text: str, name: str) -> None:
    assert found(text).get(name) == Kind.PERSON, detect(text)


def test_a_name_found_once_is_found_again_in_lower_case_and_alone() -> None:
    text = "Dr. Ramírez-Cole saw him. Later ramírez-cole called back and Ramírez-Cole wrote."
    hits = [p for p in detect(text) if p.kind is Kind.PERSON]
    assert [p.text for p in hits] == ["Ramírez-Cole", "ramírez-cole", "Ramírez-Cole"]
    assert hits[1].source is Source.REPEAT


def test_the_names_list_finds_names_nothing_else_would() -> None:
    text = "we talked about zorbo and the zorbo family, and mr zorbo's farm in quillow."
    assert detect(text) == []
    context = DeidContext(names=frozenset({"Zorbo Quint"}), places=frozenset({"Quillow"}))
    hits = detect(text, context=context)
    assert [(p.text, p.kind, p.source) for p in hits] == [
        ("zorbo", Kind.PERSON, Source.STUDY),
        ("zorbo", Kind.PERSON, Source.STUDY),
        ("zorbo", Kind.PERSON, Source.STUDY),
        ("quillow", Kind.LOCATION, Source.STUDY),
    ]


def test_pseudonyms_are_proposed_too() -> None:
    context = DeidContext(pseudonyms=frozenset({"Evelyn H."}))
    assert found("Then Evelyn H. said hello.", context).get("Evelyn H.") == Kind.PERSON


def test_speaker_labels_are_names_with_their_own_source() -> None:
    text = (
        "Interviewer: How long have you known her?\n"
        "Maria: Since 2009.\n"
        "Interviewer: And the doctor?\n"
        "Dr. Okafor (00:01:02): I came later.\n"
        "P1: Me too.\n"
        "Maria: Yes.\n"
    )
    labels = [p for p in detect(text) if p.source is Source.SPEAKER_LABEL]
    assert [(p.text, p.start) for p in labels] == [
        ("Maria", text.index("Maria")),
        ("Okafor", text.index("Okafor")),
        ("Maria", text.rindex("Maria")),
    ]
    assert all(p.kind is Kind.PERSON for p in labels)
    assert not any(p.text in {"Interviewer", "P1", "Dr"} for p in detect(text))


def test_speaker_labels_given_by_the_caller_are_found_in_the_text() -> None:
    text = "and then zed told me, you know, zed is like that"
    hits = detect(text, context=DeidContext(speaker_labels=frozenset({"Zed", "Interviewer"})))
    assert [p.text for p in hits] == ["zed", "zed"]


def test_offsets_are_code_points_after_emoji_and_accents() -> None:
    text = "🙂👍🏽 José said: call Inés at 740-555-0199 🙏 or e-mail inés@ejemplo.org 💙 Dr. Ñúñez"
    proposals = detect(text)
    assert {p.text for p in proposals} >= {"740-555-0199", "inés@ejemplo.org", "Ñúñez", "Inés"}
    for proposal in proposals:
        assert text[proposal.start : proposal.end] == proposal.text


def test_proposal_is_a_plain_value() -> None:
    proposal = Proposal(0, 5, Kind.PERSON, "Maria", 0.9, Source.CONTEXT)
    assert proposal == Proposal(0, 5, Kind.PERSON, "Maria", 0.9, Source.CONTEXT)
    assert Kind("DATE") is Kind.DATE
    assert Source("speaker_label") is Source.SPEAKER_LABEL


def test_empty_and_blank_text() -> None:
    assert detect("") == []
    assert detect("  \n\n ") == []

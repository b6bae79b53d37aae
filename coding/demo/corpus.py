"""Interview passages for the demo study: what patients and clinicians say about each other.

Every passage is one interviewer question and one answer (a single speaker turn), with the codes
a careful coder would give it under the healing-relationships codebook
(``coding/codebooks/healing.py``). ``coding.demo.build`` assembles interviews from them.

Questions, answers and coded excerpts may contain four placeholders, filled with ``str.format``:
``{clinician}`` (how the patient names the clinician), ``{patient}`` (the patient's first name, as
the clinician says it), ``{condition}`` (the patient's main condition) and ``{years}`` (how long
they have been together, as a word). The passages are written so that no pronoun for the other
member of the dyad is needed. All people, places and events are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    """One exchange: the interviewer's question, the answer, and its codings."""

    key: str  # unique id, e.g. "pt-trust-03", "cl-push-01"
    question: str  # the interviewer's question
    answer: str  # the interviewee's answer: one speaker turn, no line breaks
    codes: tuple[tuple[str, str], ...]  # (code key, exact excerpt of `answer`)


PATIENT_OPENING = Passage(
    key="pt-opening",
    question="To start, could you tell me how you came to be seeing {clinician}?",
    answer=(
        "Oh, gosh, it's been a while. I'd just moved here for a job at the hospital "
        "laundry, and I didn't know anybody, and my knee blew up — I mean it swelled up "
        "like a grapefruit. The woman at the next locker said, go to the clinic on Fifth, "
        "ask for {clinician}. So I did. That was {years} years ago now, and I've never "
        "gone anywhere else. I've had chances, you know, other places closer to the "
        "house. I just never wanted to. It's hard to explain to people who don't have "
        "that."
    ),
    codes=(("ABI.CONT", "That was {years} years ago now, and I've never gone anywhere else."),),
)

CLINICIAN_OPENING = Passage(
    key="cl-opening",
    question="To begin, could you tell me how you first met {patient}?",
    answer=(
        "Let me think. It would have been {years} years ago, give or take. {patient} had "
        "just switched insurance and got assigned to me off a list, which is how a lot of "
        "the best relationships start, honestly — total accident. I remember the first "
        "visit because {patient} came in with a shoebox full of pill bottles from three "
        "different pharmacies and said, 'Can you make sense of this?' And we sat there "
        "and sorted them into piles on the exam table. That was the start of it."
    ),
    codes=(("ABI.CONT", "It would have been {years} years ago, give or take."),),
)

PATIENT_CLOSING = Passage(
    key="pt-closing",
    question=(
        "Is there anything else you'd like to tell me about {clinician} that we haven't "
        "talked about?"
    ),
    answer=(
        "Just... I hope you write down that it matters. Having somebody. Everybody talks "
        "about the new drugs and the machines, and that's all fine, but for me the thing "
        "that's kept me going is that I can walk in there and not have to start over. "
        "{clinician} already knows the whole story, and me inside it. I hope they don't, "
        "um, make it so people like {clinician} can't do it the way it's done now. That's "
        "all. Thank you for listening to me ramble. You're a good listener too, you know."
    ),
    codes=(
        (
            "OUT.KNOWN",
            "I can walk in there and not have to start over. {clinician} already knows "
            "the whole story, and me inside it.",
        ),
    ),
)

CLINICIAN_CLOSING = Passage(
    key="cl-closing",
    question="Is there anything else about your relationship with {patient} you'd like to add?",
    answer=(
        "Only that I've probably gotten as much out of it as {patient} has. People think "
        "of these relationships as going one way, me giving care. But {patient} has "
        "taught me patience, and a fair bit about tomatoes, and how to keep going when "
        "things are bad. On the hard days in this job — and there are a lot of them "
        "lately — a visit with {patient} reminds me why I do it. I hope that comes "
        "through in whatever you write. Thank you for asking about it."
    ),
    codes=(
        (
            "VAL.CON",
            "{patient} has taught me patience, and a fair bit about tomatoes, and how to "
            "keep going when things are bad.",
        ),
    ),
)

# Told by a patient about their clinician.
PATIENT_PASSAGES: tuple[Passage, ...] = (
    Passage(
        key="pt-nj-01",
        question=(
            "Can you tell me about a time you were worried about how {clinician} would react "
            "to something?"
        ),
        answer=(
            "Oh, the drinking. Um, so after my wife passed I was — I mean I was putting away "
            "most of a bottle a night, and I'd been skipping my pills because, you know, "
            "what's the point. And I sat there in the exam room sweating, I was sure I'd get "
            "the lecture. And {clinician} just put the pen down and said, 'That sounds like a "
            "really lonely winter.' That's it. No lecture. We talked about the winter. I went "
            "home and, I don't know, I poured half of it down the sink. Not all of it. Half."
        ),
        codes=(
            (
                "VAL.NJ",
                "{clinician} just put the pen down and said, 'That sounds like a really "
                "lonely winter.' That's it. No lecture.",
            ),
        ),
    ),
    Passage(
        key="pt-nj-02",
        question="How does {clinician} talk with you about things like weight or diet?",
        answer=(
            "Honestly? Different from anybody else. I've been heavy since I was a kid, and "
            "every clinic I ever went to, the first thing is the scale and the face, you know "
            "the face. With {clinician} the scale is there but it's not, um, it's not a "
            "verdict. The one time I gained back twenty pounds after my job ended, "
            "{clinician} said, 'Life happened. Let's look at what's doable this month.' And "
            "because of that I actually tell the truth now, like how many sodas, the "
            "late-night drive-thru, all of it. I never used to tell anybody that stuff."
        ),
        codes=(
            (
                "VAL.NJ",
                "{clinician} said, 'Life happened. Let's look at what's doable this month.'",
            ),
            (
                "OUT.TRUST",
                "because of that I actually tell the truth now, like how many sodas, the "
                "late-night drive-thru, all of it. I never used to tell anybody that stuff.",
            ),
        ),
    ),
    Passage(
        key="pt-nj-03",
        question="Have there been times when it was hard to keep up with your care?",
        answer=(
            "Yeah, last year mostly. I lost the insurance when the plant cut the second "
            "shift, and I just... I stopped coming. Missed like three appointments in a row, "
            "didn't call or anything, which, I know. When I finally came back I had this "
            "whole speech ready, apologizing. And {clinician} kind of waved it off and said "
            "nobody gets to decide I'm a bad patient because the money ran out. Then we went "
            "through which of my medicines had cheaper versions. I cried a little in the car "
            "after, to be honest. Good crying."
        ),
        codes=(
            (
                "VAL.NJ",
                "{clinician} kind of waved it off and said nobody gets to decide I'm a bad "
                "patient because the money ran out.",
            ),
            ("ABI.CARE", "Then we went through which of my medicines had cheaper versions."),
        ),
    ),
    Passage(
        key="pt-con-01",
        question="What do you and {clinician} talk about besides your health?",
        answer=(
            "Fishing, mostly, ha. The first visit I had my tackle-shop hat on and {clinician} "
            "goes, 'Do you fish the reservoir or the river?' and that was it, we were off. "
            "Now every spring there's a report — who caught what, whose boat motor died, who "
            "fell in. My partner says I spend half the appointment on walleye. Which, um, "
            "maybe. But it matters, I think. It makes it feel like two people talking instead "
            "of, you know, a patient and a chart. Two people who both like getting up at five "
            "to stand in cold water."
        ),
        codes=(
            (
                "VAL.CON",
                "The first visit I had my tackle-shop hat on and {clinician} goes, 'Do you "
                "fish the reservoir or the river?' and that was it, we were off.",
            ),
            (
                "VAL.CON",
                "It makes it feel like two people talking instead of, you know, a patient and "
                "a chart.",
            ),
        ),
    ),
    Passage(
        key="pt-con-02",
        question="How would you describe your relationship with {clinician}?",
        answer=(
            "We laugh a lot. Is that a weird thing to say about a medical person? We've got "
            "the same terrible sense of humour. Last time I came in with my blood pressure "
            "cuff from home that I was sure was broken, and {clinician} looked at it and "
            "said, 'This thing is older than my car,' and we both just lost it. I mean, I "
            "like {clinician}. As a person. If we'd met at church or at the café down the "
            "street I think we'd be friends. That's — it's not nothing, when you're sick a "
            "lot."
        ),
        codes=(
            ("VAL.CON", "We've got the same terrible sense of humour."),
            (
                "VAL.CON",
                "I like {clinician}. As a person. If we'd met at church or at the café down "
                "the street I think we'd be friends.",
            ),
        ),
    ),
    Passage(
        key="pt-con-03",
        question="Is there something about {clinician} that made it easier to open up?",
        answer=(
            "Well, we're both from families that came up from Michoacán, so there's, um, a "
            "shorthand. When I said my mother makes everybody eat caldo when they're sick, "
            "{clinician} laughed and said, 'Mine too, with extra lime.' Little things like "
            "that. And {clinician} speaks Spanish with my mamá when she comes with me, which "
            "she loves, she brings tamales at Christmas now. So yeah. It feels like somebody "
            "from the neighbourhood, not somebody from, like, the other side of the desk."
        ),
        codes=(
            (
                "VAL.CON",
                "we're both from families that came up from Michoacán, so there's, um, a "
                "shorthand.",
            ),
            (
                "VAL.CON",
                "It feels like somebody from the neighbourhood, not somebody from, like, the "
                "other side of the desk.",
            ),
        ),
    ),
    Passage(
        key="pt-att-01",
        question="Can you describe what a typical visit with {clinician} is like?",
        answer=(
            "So the thing I noticed right away is the computer. {clinician} rolls the stool "
            "over, away from the screen, and just looks at me. Doesn't type while I'm "
            "talking. I had a list once — I'm a list person — eleven things, and I said "
            "sorry, this is long, and {clinician} said, 'Go on, all eleven.' And listened to "
            "all eleven. Didn't interrupt once. Some of them were silly. The ingrown toenail "
            "was silly. But I walked out feeling like, okay, somebody actually heard the "
            "whole thing."
        ),
        codes=(
            (
                "VAL.PRES.ATT",
                "{clinician} rolls the stool over, away from the screen, and just looks at "
                "me. Doesn't type while I'm talking.",
            ),
            (
                "VAL.PRES.ATT",
                "I said sorry, this is long, and {clinician} said, 'Go on, all eleven.' And "
                "listened to all eleven. Didn't interrupt once.",
            ),
        ),
    ),
    Passage(
        key="pt-att-02",
        question="Was there a visit that stands out for you?",
        answer=(
            "The one after my son's accident. I came in for my {condition} check, that was "
            "the reason on the form, and I just... started talking about Danny instead. The "
            "whole night, the phone call, the drive to the hospital. It must have been twenty "
            "minutes and there were people waiting, I know there were. {clinician} never "
            "looked at the clock, never said 'well, about your labs.' Just sat there with me. "
            "At the end I said, I've never told anybody that whole story, not even my sister. "
            "And I hadn't."
        ),
        codes=(
            (
                "VAL.PRES.ATT",
                "{clinician} never looked at the clock, never said 'well, about your labs.' "
                "Just sat there with me.",
            ),
            ("OUT.TRUST", "I said, I've never told anybody that whole story, not even my sister."),
        ),
    ),
    Passage(
        key="pt-att-03",
        question="How do you know when {clinician} is listening to you?",
        answer=(
            "I stutter. Always have, it gets worse when I'm nervous, and clinics make me "
            "nervous. Most people finish my sentences for me, which, they think they're "
            "helping. {clinician} never does. Just waits. Looks right at me and waits, even "
            "when it takes me — I mean it can take me a full minute to get out one thing. And "
            "then {clinician} repeats it back, to check. You have no idea what that's like, "
            "to get to say your own sentence all the way to the end."
        ),
        codes=(
            (
                "VAL.PRES.ATT",
                "{clinician} never does. Just waits. Looks right at me and waits, even when "
                "it takes me — I mean it can take me a full minute to get out one thing.",
            ),
        ),
    ),
    Passage(
        key="pt-acc-01",
        question="Before you had a diagnosis, what was it like trying to get help?",
        answer=(
            "Awful. Three years of people telling me it was stress, or my age, or — one guy "
            "said maybe I was 'a bit sensitive.' I started to think I was making it up. The "
            "first time I saw {clinician} I was ready for the same thing, and instead "
            "{clinician} said, 'I believe this is happening to you. I don't know yet what it "
            "is, but I believe you.' I sat in the parking lot afterwards and just shook. "
            "Being believed. That was before any tests, before anything."
        ),
        codes=(
            (
                "VAL.PRES.ACC",
                "{clinician} said, 'I believe this is happening to you. I don't know yet what "
                "it is, but I believe you.'",
            ),
        ),
    ),
    Passage(
        key="pt-acc-02",
        question="How does {clinician} respond when you describe how you're feeling?",
        answer=(
            "Takes it seriously. Like, when I say I'm tired, I don't mean sleepy-tired, I "
            "mean I-can't-lift-the-laundry-basket tired, and {clinician} gets that. There was "
            "a stretch with the {condition} where everything looked fine on paper, the "
            "numbers were fine, and I still felt like garbage. And {clinician} said, 'The "
            "numbers aren't the only thing that counts. How you feel counts.' My husband was "
            "there and he kind of looked at me like, see? Somebody believes you."
        ),
        codes=(
            (
                "VAL.PRES.ACC",
                "everything looked fine on paper, the numbers were fine, and I still felt "
                "like garbage. And {clinician} said, 'The numbers aren't the only thing that "
                "counts. How you feel counts.'",
            ),
        ),
    ),
    Passage(
        key="pt-acc-03",
        question="Can you tell me how you found out what was causing your dizzy spells?",
        answer=(
            "So I'd been to the urgent care twice and both times, um, they sort of patted me "
            "on the head, drink more water. {clinician} didn't do that. {clinician} said the "
            "spells sounded frightening and asked me to describe exactly what happened, and "
            "then checked my blood pressure lying down and standing up, which nobody had "
            "done. Turned out one of my blood pressure pills was dropping me way too low when "
            "I stood up. Two other places missed it. {clinician} caught it in one visit."
        ),
        codes=(
            (
                "VAL.PRES.ACC",
                "{clinician} said the spells sounded frightening and asked me to describe "
                "exactly what happened",
            ),
            (
                "COMP.KNOW",
                "checked my blood pressure lying down and standing up, which nobody had done. "
                "Turned out one of my blood pressure pills was dropping me way too low when I "
                "stood up. Two other places missed it.",
            ),
        ),
    ),
    Passage(
        key="pt-emp-01",
        question="Has {clinician} ever shared something personal with you?",
        answer=(
            "Once. My dad was getting worse, the dementia, and I was the one doing everything "
            "— the pills, the bathing, the nights when he'd wander. I was losing it. And "
            "{clinician} said, quietly, 'My mother had Alzheimer's. I remember the nights.' "
            "Just that. Didn't make it about {clinician}, just... I knew right then that this "
            "was somebody who actually understood what the inside of it was like. Not from a "
            "textbook. From the nights. I went home and slept properly for the first time in "
            "weeks."
        ),
        codes=(
            (
                "VAL.PRES.EMP",
                "{clinician} said, quietly, 'My mother had Alzheimer's. I remember the nights.'",
            ),
            (
                "VAL.PRES.EMP",
                "I knew right then that this was somebody who actually understood what the "
                "inside of it was like. Not from a textbook. From the nights.",
            ),
        ),
    ),
    Passage(
        key="pt-emp-02",
        question="What makes {clinician} different from other clinicians you've seen?",
        answer=(
            "I think — okay, so I found out by accident that {clinician} had a bad back too, "
            "years ago, a disc thing. We were talking about sitting in the car on long drives "
            "and {clinician} said, 'Oh, I know that one, I used to have to pull over every "
            "forty minutes and lie down on the rest-stop grass.' And I laughed because I do "
            "exactly that. So when I say it hurts, there's no, like, translation needed. "
            "{clinician} has been in that car."
        ),
        codes=(
            (
                "VAL.PRES.EMP",
                "I found out by accident that {clinician} had a bad back too, years ago, a "
                "disc thing.",
            ),
            (
                "VAL.PRES.EMP",
                "So when I say it hurts, there's no, like, translation needed. {clinician} "
                "has been in that car.",
            ),
        ),
    ),
    Passage(
        key="pt-emp-03",
        question="Can you tell me about a hard time when {clinician} was there for you?",
        answer=(
            "When I lost the pregnancy. Eleven weeks. I called the clinic crying and "
            "{clinician} fit me in that afternoon. And at some point {clinician} said, 'We "
            "lost one too, before our daughter. People will tell you it was early, like that "
            "makes it smaller. It doesn't.' I don't think I'd have gotten through that month "
            "without hearing that. Somebody who'd been there, who knew that exact empty "
            "feeling, saying it was allowed to be big. I still think about that sentence."
        ),
        codes=(
            ("ABI.CRISIS", "I called the clinic crying and {clinician} fit me in that afternoon."),
            (
                "VAL.PRES.EMP",
                "'We lost one too, before our daughter. People will tell you it was early, "
                "like that makes it smaller. It doesn't.'",
            ),
        ),
    ),
    Passage(
        key="pt-pres-01",
        question="How would you describe what it's like to be in the room with {clinician}?",
        answer=(
            "Calm. It's hard to put into words. It's like the whole building is loud, phones "
            "going, somebody's baby screaming in the waiting room, and then the door closes "
            "and it's just, um, still. {clinician} is there, I mean really there, with me, "
            "not halfway out the door to the next person. I don't know if that's listening "
            "or, or what you'd call it. It's more like — being with somebody. My sister says "
            "it sounds like church. It's not church. But it's close."
        ),
        codes=(
            (
                "VAL.PRES",
                "{clinician} is there, I mean really there, with me, not halfway out the door "
                "to the next person. I don't know if that's listening or, or what you'd call "
                "it. It's more like — being with somebody.",
            ),
        ),
    ),
    Passage(
        key="pt-pres-02",
        question="What is it about {clinician} that you'd miss if you had to change clinics?",
        answer=(
            "The, um... I'd miss the feeling of having somebody completely with me for those "
            "fifteen minutes. Not just the ears. The whole person. I've had other ones who "
            "were nice enough but you could tell they were somewhere else — their lunch, "
            "their next patient, their kid's recital. With {clinician} you feel like you're "
            "the only thing going on in the world right then. That sounds dramatic. My "
            "brother says I'm dramatic. But it's true, and I'd miss it."
        ),
        codes=(
            (
                "VAL.PRES",
                "I'd miss the feeling of having somebody completely with me for those fifteen "
                "minutes. Not just the ears. The whole person.",
            ),
        ),
    ),
    Passage(
        key="pt-pres-03",
        question="Can you think of a moment when you felt especially cared for during a visit?",
        answer=(
            "I had a panic attack in the exam room. Right there, on the paper, crinkling "
            "away. And {clinician} didn't leave to get anyone or start doing things. Just "
            "pulled the chair up close and stayed. Breathed with me, sort of. I don't "
            "remember the words, honestly I don't think there were many. What I remember is "
            "that {clinician} was all the way there, steady, the whole time, like nothing "
            "else was waiting. After, I was embarrassed, and {clinician} said there was "
            "nothing to be embarrassed about, and asked if I wanted tea."
        ),
        codes=(
            (
                "VAL.PRES",
                "What I remember is that {clinician} was all the way there, steady, the whole "
                "time, like nothing else was waiting.",
            ),
        ),
    ),
    Passage(
        key="pt-val-01",
        question="How does {clinician} make you feel about yourself?",
        answer=(
            "Like I'm worth something. Which, um, coming from where I come from — I was in "
            "and out of shelters for a good six years, and you get used to being a problem "
            "people process. A file. {clinician} never treated me like a file. I can't point "
            "to one thing. It's just a feeling that I matter to this person, that if I didn't "
            "show up it would be noticed and it would, I don't know, bother somebody. That's "
            "new for me. That's really new."
        ),
        codes=(
            (
                "VAL",
                "It's just a feeling that I matter to this person, that if I didn't show up "
                "it would be noticed and it would, I don't know, bother somebody.",
            ),
        ),
    ),
    Passage(
        key="pt-val-02",
        question="What does it mean to you to have {clinician} looking after you?",
        answer=(
            "It means... okay, so my kids are grown and gone, and a lot of days nobody really "
            "looks at me, you know? You get invisible after a while. At the clinic I'm not "
            "invisible. {clinician} treats me like I'm somebody worth bothering about, worth "
            "the fuss. Whatever it is — the hug at the door, the way my name gets said — it "
            "tells me I count. I put lipstick on for my appointments. My daughter teases me "
            "about it. I don't care."
        ),
        codes=(
            (
                "VAL",
                "{clinician} treats me like I'm somebody worth bothering about, worth the "
                "fuss. Whatever it is — the hug at the door, the way my name gets said — it "
                "tells me I count.",
            ),
        ),
    ),
    Passage(
        key="pt-val-03",
        question=(
            "If you had to explain to a friend why you stay with {clinician}, what would you say?"
        ),
        answer=(
            "I'd say there's a bond there. I wouldn't have said that word a few years ago, "
            "bond, I'm not a, you know, I'm not a feelings person. But there is. I'm on a lot "
            "of medicines and I'm not an easy patient, I argue, I'm late, I forget my list. "
            "And still I walk out of there feeling like somebody is on my side and thinks I'm "
            "worth it. That's the main thing. The rest of it, the pills, the tests, anybody "
            "could do that."
        ),
        codes=(
            (
                "VAL",
                "I walk out of there feeling like somebody is on my side and thinks I'm worth it.",
            ),
        ),
    ),
    Passage(
        key="pt-part-01",
        question="How are decisions about your treatment made?",
        answer=(
            "Together. Really together, not the fake kind where they already decided. When "
            "the {condition} got worse last spring, {clinician} laid out three options on one "
            "of those little sticky notes — a new pill, a referral, or trying the exercise "
            "program at the Y for two months first — and then said, 'Which of these fits your "
            "life?' I have the farm, I can't be driving to the city every week. So we picked "
            "the one that worked with the cows. And {clinician} wrote it down like it was my "
            "decision, because it was."
        ),
        codes=(
            (
                "POW.PART",
                "{clinician} laid out three options on one of those little sticky notes — a "
                "new pill, a referral, or trying the exercise program at the Y for two months "
                "first — and then said, 'Which of these fits your life?'",
            ),
            (
                "POW.PART",
                "So we picked the one that worked with the cows. And {clinician} wrote it "
                "down like it was my decision, because it was.",
            ),
        ),
    ),
    Passage(
        key="pt-part-02",
        question="Have you ever disagreed with {clinician} about your care?",
        answer=(
            "Sure. About the statin. I'd read things, and I didn't want it, and I said so. "
            "And {clinician} didn't get huffy. We went through what the numbers actually "
            "meant for somebody like me, what I'd be trading, and {clinician} said, 'It's "
            "your body, it's your call, I just want you making it with the real numbers.' In "
            "the end I took a lower dose, which was kind of a middle thing we came up with "
            "together. I still grumble about it. But it was mine."
        ),
        codes=(
            (
                "POW.EDU",
                "We went through what the numbers actually meant for somebody like me, what "
                "I'd be trading",
            ),
            (
                "POW.PART",
                "'It's your body, it's your call, I just want you making it with the real "
                "numbers.' In the end I took a lower dose, which was kind of a middle thing "
                "we came up with together.",
            ),
        ),
    ),
    Passage(
        key="pt-part-03",
        question="How much say do you feel you have in your care?",
        answer=(
            "A lot. Maybe more than I want sometimes, ha. The surgeon wanted to operate on my "
            "knee and I wasn't sure, and {clinician} sat with me and said, 'Here's what I'd "
            "want you to know, and then it's your decision, and I'll back whatever you pick.' "
            "We made a list, pros and cons, and my niece's quinceañera was in June and I "
            "wanted to dance at it. So we did the injections and physical therapy first and "
            "pushed surgery to the fall. I danced. Badly. But I danced."
        ),
        codes=(
            (
                "POW.PART",
                "'Here's what I'd want you to know, and then it's your decision, and I'll "
                "back whatever you pick.' We made a list, pros and cons",
            ),
            (
                "POW.PART",
                "So we did the injections and physical therapy first and pushed surgery to "
                "the fall.",
            ),
        ),
    ),
    Passage(
        key="pt-edu-01",
        question="How has {clinician} helped you understand your {condition}?",
        answer=(
            "Drawings! {clinician} draws everything. On the paper on the exam table, on the "
            "back of a lab sheet, once on a napkin from the café downstairs. The first year I "
            "had no idea what was going on with me, the words went right past me. And then "
            "{clinician} drew it — here's what's happening, here's what the medicine does, "
            "here's why you feel worse in the afternoon. I've got a folder at home with all "
            "the drawings. My son calls it the museum. I'm not even joking, there's a label "
            "on it."
        ),
        codes=(
            (
                "POW.EDU",
                "{clinician} drew it — here's what's happening, here's what the medicine "
                "does, here's why you feel worse in the afternoon.",
            ),
        ),
    ),
    Passage(
        key="pt-edu-02",
        question="What have you learned from {clinician} over the years?",
        answer=(
            "How to run my own show, kind of. When I was first diagnosed I'd call the clinic "
            "about every little thing. {clinician} spent, I swear, a whole series of visits "
            "teaching me — what the warning signs are, what I can handle at home, when I need "
            "to call, when I need to go straight to the ER. Wrote it all out in plain words, "
            "no jargon, and made me say it back. Now I call maybe twice a year. I'm kind of "
            "proud of that, actually."
        ),
        codes=(
            (
                "POW.EDU",
                "{clinician} spent, I swear, a whole series of visits teaching me — what the "
                "warning signs are, what I can handle at home, when I need to call, when I "
                "need to go straight to the ER. Wrote it all out in plain words, no jargon, "
                "and made me say it back.",
            ),
        ),
    ),
    Passage(
        key="pt-edu-03",
        question="Can you tell me about the conversation when you were first diagnosed?",
        answer=(
            "I thought it was a death sentence, honestly. My uncle had the same thing and he "
            "went downhill fast. {clinician} pulled up a chair and explained, slow, what the "
            "{condition} actually is, what the treatments are now compared to back when my "
            "uncle had it, which is a lot different. Drew me little pictures. And by the end "
            "I remember thinking, okay, this is a thing people live with. I can maybe live "
            "with this. I went home and told my partner we were still going to Portugal."
        ),
        codes=(
            (
                "POW.EDU",
                "{clinician} pulled up a chair and explained, slow, what the {condition} "
                "actually is, what the treatments are now compared to back when my uncle had "
                "it",
            ),
            (
                "OUT.HOPE",
                "okay, this is a thing people live with. I can maybe live with this. I went "
                "home and told my partner we were still going to Portugal.",
            ),
        ),
    ),
    Passage(
        key="pt-push-01",
        question="Has {clinician} ever insisted on something you didn't want to do?",
        answer=(
            "Oh yes. The chest thing. I had this pressure, I thought it was heartburn, I'd "
            "had a big plate of enchiladas at my sister's, and I called just to get something "
            "for the stomach. {clinician} said, 'No. You're going to the emergency room, now, "
            "and if you don't go I'm calling the ambulance to your house myself.' I was mad. "
            "I was actually mad. Turned out it was a small heart attack. So, um. I'm not mad "
            "anymore. I sent a fruit basket."
        ),
        codes=(
            (
                "POW.PUSH",
                "{clinician} said, 'No. You're going to the emergency room, now, and if you "
                "don't go I'm calling the ambulance to your house myself.'",
            ),
        ),
    ),
    Passage(
        key="pt-push-02",
        question="Has {clinician} ever gone to bat for you with anyone else?",
        answer=(
            "The specialist thing, yeah. I'd been waiting four months for an appointment and "
            "the office kept saying there were no sooner slots. {clinician} got on the phone, "
            "right there with me in the room, and said, 'This patient needs to be seen this "
            "month, and I'll stay on the line until we find a time.' Very polite, but like a "
            "wall. I had an appointment nine days later. I didn't know you could do that. I "
            "guess you can't. {clinician} can."
        ),
        codes=(
            (
                "POW.PUSH",
                "{clinician} got on the phone, right there with me in the room, and said, "
                "'This patient needs to be seen this month, and I'll stay on the line until "
                "we find a time.' Very polite, but like a wall.",
            ),
        ),
    ),
    Passage(
        key="pt-push-03",
        question="How does {clinician} handle it when you're not doing what you're supposed to?",
        answer=(
            "Depends. Mostly gentle. But there was one time with the smoking where "
            "{clinician} stopped being gentle. Looked me right in the eye and said, 'I'm not "
            "going to pretend this is fine. I want you around for a long time, so we're "
            "setting a quit date today, before you leave this room.' And we did. March the "
            "ninth. I'd been saying 'next month' for eleven years. I needed somebody to push, "
            "I guess. Eighteen months now. Don't tell my brother, he owes me fifty bucks."
        ),
        codes=(
            (
                "POW.PUSH",
                "Looked me right in the eye and said, 'I'm not going to pretend this is fine. "
                "I want you around for a long time, so we're setting a quit date today, "
                "before you leave this room.'",
            ),
        ),
    ),
    Passage(
        key="pt-pow-01",
        question=(
            "How do you see the balance between you and {clinician} when it comes to your care?"
        ),
        answer=(
            "It's a funny thing. {clinician} has all the, you know, the letters after the "
            "name, the prescription pad, and I'm the one in the paper gown with my socks on. "
            "But {clinician} is careful with that. I can tell. Says things like, 'I could "
            "just order this, but I don't want to steamroll you.' It's like knowing you're "
            "the bigger dog and choosing not to throw your weight around. I notice that. I've "
            "had the other kind, believe me."
        ),
        codes=(
            (
                "POW",
                "{clinician} has all the, you know, the letters after the name, the "
                "prescription pad, and I'm the one in the paper gown with my socks on. But "
                "{clinician} is careful with that.",
            ),
        ),
    ),
    Passage(
        key="pt-pow-02",
        question="Have you ever felt intimidated by {clinician}?",
        answer=(
            "At the start, maybe. I clean offices, I didn't finish high school, and walking "
            "into a clinic I always feel like I'm about to get graded. But {clinician} seems "
            "to know that feeling is there and kind of, um, works around it. Sits lower than "
            "me. Asks before touching. Once {clinician} said, 'You're the boss of your body, "
            "I'm just the consultant.' I laughed, but it stuck with me. The authority's "
            "there, I'm not stupid, it's just used on my side, if that makes sense."
        ),
        codes=(
            (
                "POW",
                "The authority's there, I'm not stupid, it's just used on my side, if that "
                "makes sense.",
            ),
        ),
    ),
    Passage(
        key="pt-pow-03",
        question="What happens when you and {clinician} see things differently?",
        answer=(
            "We talk it out. But I'll tell you what I noticed, years back. I was scared of "
            "disagreeing because, you know, you don't want to make the person who writes your "
            "prescriptions mad at you. That's a real thing. And {clinician} said to me, 'I "
            "know my words can weigh a lot in this room. If I ever say something that feels "
            "like an order and you don't agree, tell me.' Nobody had ever said that out loud "
            "before. That there's a weight."
        ),
        codes=(
            (
                "POW",
                "'I know my words can weigh a lot in this room. If I ever say something that "
                "feels like an order and you don't agree, tell me.'",
            ),
        ),
    ),
    Passage(
        key="pt-cont-01",
        question="How long have you been seeing {clinician}?",
        answer=(
            "Going on {years} years. I've followed {clinician} through a clinic move and a "
            "change of name on the building — they keep changing who owns it. Every time the "
            "letter came I thought, well, this is it, and every time {clinician} was still "
            "there. So there's a whole history. {clinician} knows I hate needles and I'll "
            "faint if I don't lie down, knows my brother, knows I play it tough. I don't have "
            "to explain myself from scratch."
        ),
        codes=(
            (
                "ABI.CONT",
                "Going on {years} years. I've followed {clinician} through a clinic move and "
                "a change of name on the building",
            ),
            (
                "OUT.KNOWN",
                "{clinician} knows I hate needles and I'll faint if I don't lie down, knows "
                "my brother, knows I play it tough. I don't have to explain myself from "
                "scratch.",
            ),
        ),
    ),
    Passage(
        key="pt-cont-02",
        question="What has it been like seeing the same person all this time?",
        answer=(
            "It's like a marriage without the arguing. Well, some arguing. I started with "
            "{clinician} {years} years ago, and in that time I've had three different "
            "insurance cards and two different jobs and, um, one very bad haircut. Same "
            "clinic, same parking lot with the same pothole. {clinician} is the one thing "
            "that didn't change. There's something to that. When everything else shuffles "
            "around you want one person who's just — there. Who was there last time, and the "
            "time before."
        ),
        codes=(
            (
                "ABI.CONT",
                "I started with {clinician} {years} years ago, and in that time I've had "
                "three different insurance cards and two different jobs",
            ),
            ("ABI.CONT", "{clinician} is the one thing that didn't change."),
        ),
    ),
    Passage(
        key="pt-cont-03",
        question="How has your relationship with {clinician} changed over time?",
        answer=(
            "Oh, it's grown. At first it was strictly business: blood pressure, refill, see "
            "you in three months. But you do that for {years} years, every season, same face "
            "across the desk, and it turns into something else. Now {clinician} knows how I "
            "think. Knows I'll say 'fine' when I'm not fine, knows I'll do anything for my "
            "family so that's the angle to use on me, ha. Knows I was a machinist and I like "
            "to understand how things work. You can't get that in one visit."
        ),
        codes=(
            (
                "ABI.CONT",
                "But you do that for {years} years, every season, same face across the desk, "
                "and it turns into something else.",
            ),
            (
                "OUT.KNOWN",
                "Now {clinician} knows how I think. Knows I'll say 'fine' when I'm not fine, "
                "knows I'll do anything for my family so that's the angle to use on me, ha.",
            ),
        ),
    ),
    Passage(
        key="pt-crisis-01",
        question="Can you tell me about a time when you were really sick?",
        answer=(
            "The pneumonia, two winters ago. I was in the ICU for five days and I don't "
            "remember most of it. But my wife says {clinician} came by the hospital twice, "
            "after clinic, in the evening, just to see how I was doing and to talk to her. I "
            "wasn't even {clinician}'s patient in there, officially, the hospital people were "
            "running it. I do remember one thing — waking up and {clinician} was standing at "
            "the foot of the bed saying, 'There you are.' I'll never forget that."
        ),
        codes=(
            (
                "ABI.CRISIS",
                "my wife says {clinician} came by the hospital twice, after clinic, in the "
                "evening, just to see how I was doing and to talk to her.",
            ),
            (
                "ABI.CRISIS",
                "waking up and {clinician} was standing at the foot of the bed saying, 'There "
                "you are.'",
            ),
        ),
    ),
    Passage(
        key="pt-crisis-02",
        question="Was {clinician} involved when your husband died?",
        answer=(
            "Yes. Right through it. {clinician} had taken care of him too, for years, so when "
            "he went into hospice, {clinician} was the one who came to the house at the end "
            "and sat with us in the kitchen. I remember the kettle going and nobody getting "
            "up to turn it off. Afterwards {clinician} called me every week for a while, just "
            "checking. And at my next appointment we didn't even talk about my {condition}, "
            "not really. We talked about him. I needed that more than a refill."
        ),
        codes=(
            (
                "ABI.CRISIS",
                "when he went into hospice, {clinician} was the one who came to the house at "
                "the end and sat with us in the kitchen.",
            ),
            ("ABI.CARE", "Afterwards {clinician} called me every week for a while, just checking."),
        ),
    ),
    Passage(
        key="pt-crisis-03",
        question="How did {clinician} handle it when you got the biopsy results?",
        answer=(
            "In person. That's the first thing. {clinician} didn't let me get it over the "
            "portal, or from some stranger. Called me in that same afternoon, and had my "
            "partner come too, and told us, and then just stayed, like forty-five minutes, "
            "while we fell apart and put ourselves back together. Then after the surgery, "
            "{clinician} came up to the ward on a Saturday. I was in that awful gown with a "
            "drain in my side and {clinician} just pulled a chair over like it was a regular "
            "visit."
        ),
        codes=(
            (
                "ABI.CRISIS",
                "Called me in that same afternoon, and had my partner come too, and told us, "
                "and then just stayed, like forty-five minutes, while we fell apart and put "
                "ourselves back together.",
            ),
            ("ABI.CRISIS", "after the surgery, {clinician} came up to the ward on a Saturday."),
        ),
    ),
    Passage(
        key="pt-care-01",
        question="Are there small things {clinician} does that matter to you?",
        answer=(
            "Tons. The messages, for one. The clinic has this messaging thing and after my "
            "MRI {clinician} sent me one at, like, nine at night: 'Results are fine, nothing "
            "scary. Go to sleep 🙂' With the little smiley! I showed everybody. Also — when "
            "the pharmacy mixed up my prescription and gave me somebody else's pills, "
            "{clinician} called them personally and sorted it out while I was standing at the "
            "counter. It's not one big thing. It's a hundred small ones."
        ),
        codes=(
            (
                "ABI.CARE",
                "after my MRI {clinician} sent me one at, like, nine at night: 'Results are "
                "fine, nothing scary. Go to sleep 🙂'",
            ),
            (
                "ABI.CARE",
                "when the pharmacy mixed up my prescription and gave me somebody else's "
                "pills, {clinician} called them personally and sorted it out while I was "
                "standing at the counter.",
            ),
        ),
    ),
    Passage(
        key="pt-care-02",
        question="Can you tell me about something {clinician} did that surprised you?",
        answer=(
            "The house call. Nobody does house calls anymore, right? But the winter my hip "
            "was bad I couldn't get down the porch steps, and we're twenty miles out on a "
            "gravel road. {clinician} drove out. On a Thursday, after clinic, in the dark, "
            "with a bag of stuff and a coffee. Checked me over at the kitchen table with the "
            "dog sniffing at everything. My partner still talks about it. Says that's the "
            "kind of thing you tell your grandkids about."
        ),
        codes=(
            (
                "ABI.CARE",
                "{clinician} drove out. On a Thursday, after clinic, in the dark, with a bag "
                "of stuff and a coffee. Checked me over at the kitchen table with the dog "
                "sniffing at everything.",
            ),
        ),
    ),
    Passage(
        key="pt-care-03",
        question="How has {clinician} helped you with things outside the exam room?",
        answer=(
            "The insurance. Oh my god, the insurance. They denied my medication three times — "
            "three — and each time {clinician} wrote another letter, and the last time even "
            "called their reviewer and argued it on the phone. Honestly I\u2019d have given "
            "up after the first no. Also {clinician} filled out my disability paperwork, "
            "which is like twenty pages, and did it in a week. So when {clinician} says "
            "\u2018I\u2019ll take care of it,\u2019 I don\u2019t worry anymore. I know "
            "it\u2019ll get done."
        ),
        codes=(
            (
                "ABI.CARE",
                "each time {clinician} wrote another letter, and the last time even called "
                "their reviewer and argued it on the phone.",
            ),
            (
                "ABI.CARE",
                "{clinician} filled out my disability paperwork, which is like twenty pages, "
                "and did it in a week.",
            ),
            (
                "OUT.TRUST",
                "So when {clinician} says \u2018I\u2019ll take care of it,\u2019 I don\u2019t "
                "worry anymore. I know it\u2019ll get done.",
            ),
        ),
    ),
    Passage(
        key="pt-ngu-01",
        question="What happened when the treatments stopped working?",
        answer=(
            "That was the scary part. The specialist basically said, there's nothing else we "
            "can do for the pain, you'll have to learn to live with it. Like, goodbye. And I "
            "went back to {clinician} expecting the same thing, and instead {clinician} said, "
            "'Okay. Then we stop trying to fix it and we start working on your days.' And we "
            "have been, ever since. A little of this medicine, the warm pool, a counsellor, a "
            "different chair at work. It's not gone. But I'm not alone with it."
        ),
        codes=(
            (
                "ABI.NGU",
                "{clinician} said, 'Okay. Then we stop trying to fix it and we start working "
                "on your days.' And we have been, ever since.",
            ),
        ),
    ),
    Passage(
        key="pt-ngu-02",
        question="How has {clinician} been with you as things have gotten harder?",
        answer=(
            "Steady. I know where this is going, I'm not getting any younger and I'm not "
            "stupid. A lot of people get this look like they're already saying goodbye. "
            "{clinician} doesn't. Every visit it's, what's bothering you most this week, and "
            "let's work on that. The sleeping, the appetite, the bad mornings. {clinician} "
            "told me, 'I'm not going anywhere. Whatever comes, we'll keep working on making "
            "it easier.' I believe it. I've seen it for a while now."
        ),
        codes=(
            (
                "ABI.NGU",
                "Every visit it's, what's bothering you most this week, and let's work on that.",
            ),
            (
                "ABI.NGU",
                "{clinician} told me, 'I'm not going anywhere. Whatever comes, we'll keep "
                "working on making it easier.'",
            ),
        ),
    ),
    Passage(
        key="pt-ngu-03",
        question="Have there been times you wanted to give up?",
        answer=(
            "Plenty. There was a year where we tried, what, six different medicines for the "
            "headaches and every one either didn't work or made me sick. I said to "
            "{clinician}, maybe this is just how it is, maybe I should stop wasting your "
            "time. And {clinician} said, 'You're not wasting my time. We've run out of the "
            "usual list, so now we get creative.' Sent me to the pain clinic, tried "
            "acupuncture, sleep stuff. Some of it helped a bit. The point is {clinician} "
            "never once acted like I was a lost cause."
        ),
        codes=(
            (
                "ABI.NGU",
                "'You're not wasting my time. We've run out of the usual list, so now we get "
                "creative.'",
            ),
            ("ABI.NGU", "{clinician} never once acted like I was a lost cause."),
        ),
    ),
    Passage(
        key="pt-abi-01",
        question="What do you count on from {clinician}?",
        answer=(
            "That {clinician} will be there. That's the main thing. I don't mean any one "
            "visit, I mean — the long haul. Whatever this {condition} does to me over the "
            "next however many years, I feel like {clinician} has signed up for the whole "
            "ride. Not just the good parts. I've told my family that, when they worry. I "
            "said, I've got somebody who's in it with me. And they stop worrying, a bit. Not "
            "all the way. My sister never stops all the way."
        ),
        codes=(
            (
                "ABI",
                "Whatever this {condition} does to me over the next however many years, I "
                "feel like {clinician} has signed up for the whole ride. Not just the good "
                "parts.",
            ),
        ),
    ),
    Passage(
        key="pt-abi-02",
        question="How would you describe {clinician}'s commitment to you?",
        answer=(
            "Um. Stubborn, ha. In a good way. I've moved twice — once across town, once out "
            "to my sister's place forty minutes away — and both times I figured, well, I'll "
            "have to find somebody closer, and {clinician} said, 'Only if you want to. I'm "
            "keeping you if you'll have me.' So I drive forty minutes. It's like a promise "
            "that goes on. Not a contract, a promise. Whatever comes next, {clinician} will "
            "be on the other end of the phone."
        ),
        codes=(
            (
                "ABI",
                "It's like a promise that goes on. Not a contract, a promise. Whatever comes "
                "next, {clinician} will be on the other end of the phone.",
            ),
        ),
    ),
    Passage(
        key="pt-abi-03",
        question="What would it mean to you if {clinician} retired?",
        answer=(
            "Don't say that. Seriously, I think about it. {clinician} has been in it with me "
            "through so much, and not, like, one visit at a time, but as a whole — a "
            "commitment. I asked once, half joking, 'You're not going anywhere, right?' and "
            "{clinician} said, 'Not until you're sick of me.' Which could be never. I'd "
            "survive, obviously, people switch clinics all the time. But it would feel like "
            "losing somebody who'd promised to stick around."
        ),
        codes=(
            (
                "ABI",
                "{clinician} has been in it with me through so much, and not, like, one visit "
                "at a time, but as a whole — a commitment.",
            ),
        ),
    ),
    Passage(
        key="pt-conf-01",
        question="What was your first impression of {clinician}?",
        answer=(
            "Confident. Not cocky — confident. I came in a mess, I'd been bounced around "
            "three clinics with this {condition} and everybody kind of shrugged. {clinician} "
            "read through the whole stack of my records, looked up, and said, 'Right. We can "
            "do better than this. Here's where we start.' Just like that. The way it was said "
            "— calm, sure — I actually sat up straighter. It was the first time anybody "
            "seemed sure they could help me."
        ),
        codes=(
            (
                "COMP.CONF",
                "'Right. We can do better than this. Here's where we start.' Just like that. "
                "The way it was said — calm, sure — I actually sat up straighter.",
            ),
            ("COMP.CONF", "It was the first time anybody seemed sure they could help me."),
        ),
    ),
    Passage(
        key="pt-conf-02",
        question="How does {clinician} come across when things are uncertain?",
        answer=(
            "Steady. Even when {clinician} doesn't know yet, there's no panic, no, um, "
            "fumbling. Last fall my numbers came back weird and I was freaking out, and "
            "{clinician} said, 'I've seen this pattern before, I know what to check next, and "
            "we'll figure it out.' Said it like a pilot in turbulence. Completely sure. And I "
            "trusted that voice, I just did, I put my phone away and stopped googling at two "
            "in the morning. Best night's sleep I'd had in a month."
        ),
        codes=(
            (
                "COMP.CONF",
                "{clinician} said, 'I've seen this pattern before, I know what to check next, "
                "and we'll figure it out.' Said it like a pilot in turbulence. Completely "
                "sure.",
            ),
            (
                "OUT.TRUST",
                "I trusted that voice, I just did, I put my phone away and stopped googling "
                "at two in the morning.",
            ),
        ),
    ),
    Passage(
        key="pt-conf-03",
        question="Have you ever gone for a second opinion?",
        answer=(
            "I did once, early on, because my sister-in-law pushed me. Went to a big city "
            "hospital, the fancy place with the fountain in the lobby. And the specialist "
            "there hemmed and hawed and said, well, maybe, it could be, we could try. I came "
            "back to {clinician} and it was the opposite. Sure of the plan. Not arrogant, but "
            "there's a — a certainty, you know, that {clinician} can actually help me. And it "
            "turned out right. So no more second opinions. My sister-in-law's still annoyed."
        ),
        codes=(
            (
                "COMP.CONF",
                "Sure of the plan. Not arrogant, but there's a — a certainty, you know, that "
                "{clinician} can actually help me.",
            ),
        ),
    ),
    Passage(
        key="pt-know-01",
        question="How would you describe {clinician}'s skill?",
        answer=(
            "Sharp. Really sharp. I came in for a sinus thing and {clinician} noticed a mole "
            "on the back of my neck that I didn't even know was there — I mean, I can't see "
            "the back of my neck. Said it looked off and sent me to dermatology that week. "
            "Early melanoma. They got it all. The dermatologist told me plenty of people "
            "would've walked right past it. So yeah. Whatever {clinician} learned in school, "
            "it stuck. I tell everybody at work to go get their backs checked now."
        ),
        codes=(
            (
                "COMP.KNOW",
                "{clinician} noticed a mole on the back of my neck that I didn't even know "
                "was there — I mean, I can't see the back of my neck. Said it looked off and "
                "sent me to dermatology that week. Early melanoma.",
            ),
        ),
    ),
    Passage(
        key="pt-know-02",
        question="What gives you confidence in the care you get?",
        answer=(
            "Knowing {clinician} knows the stuff. Like, really knows it. I brought in a list "
            "of every supplement I take — I'm a bit of a health-store person — and "
            "{clinician} went down it line by line and caught that the St. John's wort I was "
            "taking can mess with one of my prescriptions. Didn't even have to look it up. "
            "The pharmacist confirmed it later. Since then I just — if {clinician} says take "
            "it, I take it. If {clinician} says stop, I stop."
        ),
        codes=(
            (
                "COMP.KNOW",
                "{clinician} went down it line by line and caught that the St. John's wort I "
                "was taking can mess with one of my prescriptions. Didn't even have to look "
                "it up.",
            ),
            (
                "OUT.TRUST",
                "if {clinician} says take it, I take it. If {clinician} says stop, I stop.",
            ),
        ),
    ),
    Passage(
        key="pt-know-03",
        question="Is there anything {clinician} does especially well?",
        answer=(
            "The hands-on stuff. My shoulder injections — I've had them from other people and "
            "it's like being stabbed by a nervous teenager. {clinician} finds the spot in "
            "about two seconds, barely hurts, and it works for months. Same with the stitches "
            "when I put the box cutter through my thumb at work, the scar's basically "
            "invisible. My coworker had the same cut, went to urgent care, he's got a thing "
            "like a zipper. I'll take skill over bedside manner any day, honestly. Lucky me, "
            "I get both."
        ),
        codes=(
            (
                "COMP.KNOW",
                "{clinician} finds the spot in about two seconds, barely hurts, and it works "
                "for months.",
            ),
            (
                "COMP.KNOW",
                "Same with the stitches when I put the box cutter through my thumb at work, "
                "the scar's basically invisible.",
            ),
        ),
    ),
    Passage(
        key="pt-emo-01",
        question="Has there been any tension between you and {clinician}?",
        answer=(
            "Once, and it was my fault. I'd had a horrible week, my landlord, my car, and "
            "then the refill didn't go through and I came in and just — unloaded. Yelled. In "
            "the hallway. And {clinician} didn't yell back and didn't go cold either. Just "
            "said, 'You're really upset. Let's go in and sit down.' Later {clinician} told me "
            "it had been a rough moment on that side too, but you'd never have known. I "
            "apologized the next visit. We're fine."
        ),
        codes=(
            (
                "COMP.EMO",
                "{clinician} didn't yell back and didn't go cold either. Just said, 'You're "
                "really upset. Let's go in and sit down.' Later {clinician} told me it had "
                "been a rough moment on that side too, but you'd never have known.",
            ),
        ),
    ),
    Passage(
        key="pt-emo-02",
        question="Have you ever seen {clinician} get emotional?",
        answer=(
            "At my mom's funeral. {clinician} came, which, I didn't expect, and at the "
            "graveside I saw {clinician}'s eyes were wet. And then at my appointment the next "
            "week, {clinician} said, 'I was sad about your mom. I took some time for that. "
            "Today I'm here for you.' I thought that was — I don't know, grown-up? Like, the "
            "feelings were real but they'd been dealt with somewhere else so I didn't have to "
            "hold them. I've had a lot of people need me to take care of their grief about my "
            "mom."
        ),
        codes=(
            ("ABI.CRISIS", "At my mom's funeral. {clinician} came, which, I didn't expect"),
            (
                "COMP.EMO",
                "'I was sad about your mom. I took some time for that. Today I'm here for you.'",
            ),
            (
                "COMP.EMO",
                "the feelings were real but they'd been dealt with somewhere else so I didn't "
                "have to hold them.",
            ),
        ),
    ),
    Passage(
        key="pt-emo-03",
        question="Do you see {clinician} outside the clinic at all?",
        answer=(
            "It's a small town, so, at the grocery store, at the Fourth of July thing. And I "
            "asked once — I felt silly — if we could be friends on Facebook. {clinician} said "
            "no, really kindly, said, 'I like you a lot, and that's why I keep a line there, "
            "so I can always do right by you in the exam room.' I was a bit hurt for about a "
            "day. Then I got it. It's protecting the thing we've got. I still wave at the "
            "parade, though."
        ),
        codes=(
            (
                "COMP.EMO",
                "{clinician} said no, really kindly, said, 'I like you a lot, and that's why "
                "I keep a line there, so I can always do right by you in the exam room.'",
            ),
        ),
    ),
    Passage(
        key="pt-mind-01",
        question="Does {clinician} ever pick up on things you haven't said?",
        answer=(
            "All the time, it's spooky. I came in for my {condition} follow-up, all smiles, "
            "and {clinician} said, 'You keep rubbing your wrist. What's going on there?' I "
            "hadn't even noticed I was doing it. It was — I'd fallen on the ice and didn't "
            "want to make a fuss. Another time {clinician} noticed I'd stopped wearing my "
            "wedding ring. That one was a longer conversation. It's like nothing in the room "
            "gets past. Not a thing."
        ),
        codes=(
            (
                "COMP.MIND",
                "{clinician} said, 'You keep rubbing your wrist. What's going on there?' I "
                "hadn't even noticed I was doing it.",
            ),
            ("COMP.MIND", "Another time {clinician} noticed I'd stopped wearing my wedding ring."),
        ),
    ),
    Passage(
        key="pt-mind-02",
        question="Has {clinician} ever been surprisingly honest with you?",
        answer=(
            "One day {clinician} was clearly having a bad day, running late, and was a bit "
            "short with me at first. Then, in the middle of a sentence, {clinician} stopped. "
            "Took a breath. And said, 'I just noticed I'm rushing you, and that's about my "
            "morning, not about you. Let me start over.' And did. I've never had anybody in a "
            "white coat catch themselves like that. It made the rest of the visit better, "
            "honestly, because I wasn't trying to shrink myself to fit in the time."
        ),
        codes=(
            (
                "COMP.MIND",
                "in the middle of a sentence, {clinician} stopped. Took a breath. And said, "
                "'I just noticed I'm rushing you, and that's about my morning, not about you. "
                "Let me start over.'",
            ),
        ),
    ),
    Passage(
        key="pt-mind-03",
        question="What does {clinician} notice that other people miss?",
        answer=(
            "My voice, I think. I can say the exact same words, 'I'm doing okay,' and "
            "{clinician} can hear which okay it is. Last winter I said it and {clinician} "
            "just paused and said, 'That was a heavy okay.' And it was. I'd been sleeping in "
            "the afternoons, not answering my sister's calls. {clinician} picked up on it "
            "from two words. It was a low stretch, and we caught it early that time, because "
            "of that. My sister couldn't have told you. {clinician} could."
        ),
        codes=(
            (
                "COMP.MIND",
                "I can say the exact same words, 'I'm doing okay,' and {clinician} can hear "
                "which okay it is.",
            ),
            ("COMP.MIND", "{clinician} just paused and said, 'That was a heavy okay.'"),
        ),
    ),
    Passage(
        key="pt-trust-01",
        question="Is there anything you've told {clinician} that you haven't told anyone else?",
        answer=(
            "Yes. About my ex. What he did. I'd never said it out loud to anybody, not my "
            "mother, not my best friend. And I don't really know why it came out with "
            "{clinician}, except I'd been going there long enough to know it would be safe, "
            "that it wouldn't end up somewhere, that nobody would look at me different. So I "
            "said it. And {clinician} helped me find the right people, the hotline, a "
            "counsellor. I'm in a different apartment now. I don't think I would be if I "
            "hadn't trusted {clinician} that day."
        ),
        codes=(
            (
                "OUT.TRUST",
                "I'd been going there long enough to know it would be safe, that it wouldn't "
                "end up somewhere, that nobody would look at me different.",
            ),
            ("ABI.CARE", "{clinician} helped me find the right people, the hotline, a counsellor."),
            ("OUT.TRUST", "I don't think I would be if I hadn't trusted {clinician} that day."),
        ),
    ),
    Passage(
        key="pt-trust-02",
        question="What does trust mean to you, when it comes to your care?",
        answer=(
            "It means when {clinician} says something, it happens. If {clinician} says, 'I'll "
            "call you Thursday with the results,' my phone rings Thursday. Not Friday, not "
            "'oh, sorry, got busy.' Thursday. It's happened like that, I don't know, fifty "
            "times. So now I don't sit up at night wondering. And it makes it easier to say "
            "the embarrassing stuff too, the bathroom stuff, the — you know. Because I know "
            "{clinician} will handle it right, and it stays in that room."
        ),
        codes=(
            (
                "OUT.TRUST",
                "If {clinician} says, 'I'll call you Thursday with the results,' my phone "
                "rings Thursday. Not Friday, not 'oh, sorry, got busy.' Thursday.",
            ),
            (
                "OUT.TRUST",
                "it makes it easier to say the embarrassing stuff too, the bathroom stuff",
            ),
        ),
    ),
    Passage(
        key="pt-trust-03",
        question="How do you feel about reaching out to {clinician} between visits?",
        answer=(
            "Comfortable, now. Didn't used to be. The first time I messaged was about a lump, "
            "and I was sure it was cancer, and I almost didn't send it. {clinician} wrote "
            "back within an hour: 'Glad you told me. Come in tomorrow at 8 👍' It was a cyst. "
            "But ever since, I send the scary stuff right away instead of sitting on it for "
            "weeks. I know I won't be brushed off. That's huge for somebody like me who used "
            "to hide everything."
        ),
        codes=(
            (
                "ABI.CARE",
                "{clinician} wrote back within an hour: 'Glad you told me. Come in tomorrow "
                "at 8 👍'",
            ),
            (
                "OUT.TRUST",
                "ever since, I send the scary stuff right away instead of sitting on it for "
                "weeks. I know I won't be brushed off.",
            ),
        ),
    ),
    Passage(
        key="pt-hope-01",
        question="How do you feel about the future these days?",
        answer=(
            "Better than I did. A year ago I'd stopped planning anything. My cousin was "
            "getting married in Oaxaca and I told her I probably wouldn't make the trip. Then "
            "{clinician} and I worked out a plan, step by step, and somewhere in there I "
            "started thinking, wait, maybe I can. I bought the plane ticket in February. The "
            "morning I flew, {clinician} sent a message: 'Enjoy every minute 🎉' I went. I "
            "gave a toast. I'm thinking about next year now, which I never used to do."
        ),
        codes=(
            (
                "OUT.HOPE",
                "somewhere in there I started thinking, wait, maybe I can. I bought the plane "
                "ticket in February.",
            ),
            ("ABI.CARE", "The morning I flew, {clinician} sent a message: 'Enjoy every minute 🎉'"),
            ("OUT.HOPE", "I'm thinking about next year now, which I never used to do."),
        ),
    ),
    Passage(
        key="pt-hope-02",
        question="Has there been a turning point for you?",
        answer=(
            "Kind of a small one. I'd been on the couch for months with the {condition}, I'd "
            "quit the choir, I'd basically quit everything. And {clinician} asked me what I "
            "missed most, and I said singing, and {clinician} said, 'Then that's what we're "
            "aiming at. Not perfect. Back in the choir.' And something just — cracked open a "
            "little. Like there was a door. I'm back in the alto section since September. "
            "Standing in the back row, but I'm there."
        ),
        codes=(
            (
                "POW.PART",
                "{clinician} asked me what I missed most, and I said singing, and {clinician} "
                "said, 'Then that's what we're aiming at. Not perfect. Back in the choir.'",
            ),
            (
                "OUT.HOPE",
                "something just — cracked open a little. Like there was a door. I'm back in "
                "the alto section since September.",
            ),
        ),
    ),
    Passage(
        key="pt-hope-03",
        question="What keeps you going on the hard days?",
        answer=(
            "Honestly, some of it's what {clinician} said to me last spring. I was in a bad "
            "place, I said I couldn't see it ever getting better, and {clinician} didn't "
            "argue with me, just said, 'I've watched people come back from where you are. I "
            "think you can too.' I wrote it on a Post-it and stuck it on the fridge. My "
            "roommate thought it was a grocery list. Some days I read it and think, yeah, "
            "okay, there's a later. There's going to be a later."
        ),
        codes=(
            (
                "OUT.HOPE",
                "Some days I read it and think, yeah, okay, there's a later. There's going to "
                "be a later.",
            ),
        ),
    ),
    Passage(
        key="pt-known-01",
        question="Do you feel {clinician} knows you?",
        answer=(
            "Better than my own brother does, probably. {clinician} knows I work nights at "
            "the nursing home so my sleep is upside down, and won't schedule me before noon. "
            "Knows I'll minimize — if I say a pain is a three it's probably a six. Knows I "
            "don't want to end up on a bunch of pills because of what happened with my dad. I "
            "don't have to explain any of that. It's just there, in how we talk. Like an old "
            "song you both know the words to."
        ),
        codes=(
            (
                "OUT.KNOWN",
                "{clinician} knows I work nights at the nursing home so my sleep is upside "
                "down, and won't schedule me before noon. Knows I'll minimize — if I say a "
                "pain is a three it's probably a six.",
            ),
            (
                "OUT.KNOWN",
                "Knows I don't want to end up on a bunch of pills because of what happened "
                "with my dad.",
            ),
        ),
    ),
    Passage(
        key="pt-known-02",
        question="What's it like when you see someone else at the clinic instead of {clinician}?",
        answer=(
            "Exhausting. I saw the fill-in person in August when {clinician} was on vacation, "
            "and I had to start from the beginning. The whole story, the surgeries, the "
            "allergies, why I'm weird about hospitals. With {clinician} none of that's "
            "needed. We've got {years} years of it stacked up. {clinician} knows me — not my "
            "chart, me. What I'm like when I'm scared, which is loud, and what I'm like when "
            "I'm really scared, which is quiet."
        ),
        codes=(
            (
                "ABI.CONT",
                "With {clinician} none of that's needed. We've got {years} years of it stacked up.",
            ),
            (
                "OUT.KNOWN",
                "{clinician} knows me — not my chart, me. What I'm like when I'm scared, "
                "which is loud, and what I'm like when I'm really scared, which is quiet.",
            ),
        ),
    ),
    Passage(
        key="pt-known-03",
        question="How does {clinician} fit your care to you as a person?",
        answer=(
            "{clinician} knows what matters to me. Like, I'm raising my sister's two kids, so "
            "anything that would knock me out for a week is just not happening, and "
            "{clinician} gets that without me saying it every time. And knows I'm stubborn "
            "and proud, so instead of telling me what to do, it's 'what do you think about…' "
            "— which works on me, and {clinician} knows it works on me. It's like being seen. "
            "Whole, not just the {condition}."
        ),
        codes=(
            (
                "OUT.KNOWN",
                "{clinician} knows what matters to me. Like, I'm raising my sister's two "
                "kids, so anything that would knock me out for a week is just not happening, "
                "and {clinician} gets that without me saying it every time.",
            ),
            ("OUT.KNOWN", "It's like being seen. Whole, not just the {condition}."),
        ),
    ),
    Passage(
        key="pt-misc-01",
        question="How do you usually get to your appointments?",
        answer=(
            "The number twelve bus, mostly, and then it's a short walk. Unless it's raining, "
            "then my neighbour drives me, she's retired and she likes an excuse to go to the "
            "big store across the street. The parking at the health centre is a nightmare, so "
            "honestly the bus is better. I bring a book. Right now it's one of those "
            "Scandinavian mysteries, everybody's always cold and sad in them. I like them "
            "though. The waiting room has decent chairs at least, they replaced them last "
            "year."
        ),
        codes=(),
    ),
    Passage(
        key="pt-misc-02",
        question="How has your week been, with everything going on at home?",
        answer=(
            "Busy. We're calving, so I've been up at two and four every night checking on the "
            "heifers. Had a set of twins Tuesday, which is always a bit of a circus. My "
            "daughter came home from school for the weekend to help, which is nice, she's "
            "studying to be a vet tech. So I'm tired but in a good way, you know? Not the bad "
            "tired. The kitchen's a disaster, I apologize. Don't look at my boots, I tried to "
            "clean them in the truck."
        ),
        codes=(),
    ),
    Passage(
        key="pt-misc-03",
        question="What's it like getting an appointment at the clinic?",
        answer=(
            "Ugh, the phone tree. Press one for this, press two for that, and then the music, "
            "which is the same eight seconds of piano forever. I timed it once, twenty-two "
            "minutes. Now I mostly use the portal, which is better, but my eyes aren't great "
            "and the font is tiny. My nephew showed me how to make it bigger. The front desk "
            "ladies are lovely though. Rosa always asks about my cat. Her name is Pepita. The "
            "cat, I mean, not Rosa."
        ),
        codes=(),
    ),
    Passage(
        key="pt-misc-04",
        question="What made you decide to take part in this study?",
        answer=(
            "My niece is a nursing student, and she said research like this is how things get "
            "better, so, um, here I am. Also I'll talk to anybody, ask anyone who knows me. I "
            "drove a school bus for years, so I'm used to talking over noise. Will my name be "
            "on anything? No? Good. Not that I'd say anything bad, I just don't like my name "
            "in things. My brother got in the newspaper once for a giant pumpkin and he's "
            "never let anybody forget it."
        ),
        codes=(),
    ),
    Passage(
        key="pt-misc-05",
        question="Is there anything about your care that frustrates you?",
        answer=(
            "The waiting. Not with {clinician}, with everything around it. The lab is only "
            "open mornings, so if I need bloodwork I have to take half a day off, and my boss "
            "is not, um, understanding. Then the specialist's office is across town and the "
            "referral takes forever to go through. And the bills come in three different "
            "envelopes from three different places and I can never tell what I actually owe. "
            "It's the system. I'm not blaming anybody in particular. It's just a lot."
        ),
        codes=(),
    ),
    Passage(
        key="pt-misc-06",
        question="Would you like a coffee or some water?",
        answer=(
            "Oh, yes please, if it's no trouble. Milk, no sugar — well, a little sugar, don't "
            "tell anyone. Is that thing still recording? I always talk too much when there's "
            "a recorder, my family says I should've been on the radio. This is a nice room. "
            "My niece had her bridal shower in a room just like this at the library, and "
            "somebody made crème brûlée for forty people, with the little torch and "
            "everything. Okay. Sorry. Where were we?"
        ),
        codes=(),
    ),
    Passage(
        key="pt-misc-07",
        question="You mentioned your niece earlier. Does she live nearby?",
        answer=(
            "Two of my sister's kids do, the other three are in Phoenix. The little one, "
            "Renée — with the accent, her mother insists — she's four and she wants to be a "
            "dinosaur when she grows up. Not a paleontologist. A dinosaur. We video call on "
            "Sundays and she roars at me for most of it. The older ones are teenagers, so I "
            "mostly see the tops of their heads while they look at their phones. That's okay. "
            "I was the same at that age, probably."
        ),
        codes=(),
    ),
    Passage(
        key="pt-misc-08",
        question="What kind of work do you do?",
        answer=(
            "I drive for a bakery distributor — I load the truck at three in the morning and "
            "I'm done by eleven, so my whole life is upside down compared to everybody "
            "else's. Dinner at four, bed at seven-thirty. My family calls it my 'grandpa "
            "schedule.' The good part is the smell. You load two hundred loaves of sourdough "
            "and you smell like bread for the rest of the day. The dog follows me around. The "
            "bad part is the ice in January on the loading dock."
        ),
        codes=(),
    ),
    Passage(
        key="pt-misc-09",
        question="Has the clinic changed much since you started going there?",
        answer=(
            "The building has. They tore down the old one — it was this little brick thing "
            "next to the feed store with one bathroom — and put up a new one with a big glass "
            "front and a fish tank. The kids love the fish tank. There's a pharmacy inside it "
            "now too, which is handy. I kind of miss the old place, though. It had a smell, "
            "like old coffee and floor wax. The new one smells like nothing. Progress, I "
            "guess."
        ),
        codes=(),
    ),
)

# Told by a clinician about this particular patient.
CLINICIAN_PASSAGES: tuple[Passage, ...] = (
    Passage(
        key="cl-nj-01",
        question="Can you tell me about a time {patient} told you something difficult?",
        answer=(
            "The relapse. {patient} had been sober almost two years and came in, sat down, "
            "and wouldn't look at me. Finally said, 'I drank. At my cousin's wedding, and "
            "then for a week after.' And I could feel, um, the whole room waiting for me to "
            "be disappointed. I made a point of not being. I said, 'Thank you for telling me. "
            "That took guts. What happened at the wedding?' Because a lapse isn't a moral "
            "failure, it's information, and {patient} needed to hear that from me, not "
            "another sermon."
        ),
        codes=(
            (
                "OUT.TRUST",
                "Finally said, 'I drank. At my cousin's wedding, and then for a week after.'",
            ),
            (
                "VAL.NJ",
                "I made a point of not being. I said, 'Thank you for telling me. That took "
                "guts. What happened at the wedding?' Because a lapse isn't a moral failure, "
                "it's information",
            ),
        ),
    ),
    Passage(
        key="cl-nj-02",
        question="Are there times you've found it hard not to judge {patient}?",
        answer=(
            "Honestly, yes. Early on {patient} kept missing doses of the {condition} "
            "medication, and I caught myself getting that tight, irritated feeling — like, we "
            "talked about this. And I had to sort of set that down on purpose, because the "
            "judging wasn't going to get me anywhere. So I asked instead. It turned out "
            "{patient} was splitting pills to make them last because of the copay. If I'd "
            "lectured, I'd never have found that out. I try to remember that one."
        ),
        codes=(
            (
                "COMP.MIND",
                "I caught myself getting that tight, irritated feeling — like, we talked "
                "about this.",
            ),
            (
                "VAL.NJ",
                "I had to sort of set that down on purpose, because the judging wasn't going "
                "to get me anywhere. So I asked instead.",
            ),
        ),
    ),
    Passage(
        key="cl-nj-03",
        question="How do you approach {patient}'s circumstances outside the clinic?",
        answer=(
            "{patient} was living in a car for most of last year. And you know, there's a lot "
            "of judgement floating around about that — why don't you just, why can't you "
            "just. I don't think that belongs in my exam room. {patient} is the same person "
            "whether there's an address on the form or not. So we worked with it: medicines "
            "that didn't need a fridge, appointments timed around the shelter's meal hours, a "
            "phone number that actually reached somebody. No speeches about it. Just the next "
            "practical thing."
        ),
        codes=(
            (
                "VAL.NJ",
                "I don't think that belongs in my exam room. {patient} is the same person "
                "whether there's an address on the form or not.",
            ),
        ),
    ),
    Passage(
        key="cl-con-01",
        question="How would you describe your connection with {patient}?",
        answer=(
            "Oh, we just click. {patient} plays fiddle in a bluegrass band, and I played "
            "banjo badly through college, so the first visit we spent five minutes on that "
            "before we got anywhere near the {condition}. Now {patient} brings me set lists. "
            "I went to one of the shows at the Grange hall last summer, sat in the back. "
            "There's something there that's just, I like {patient}. We'd be friends in "
            "another life. You don't get that with everybody, and you can't fake it either."
        ),
        codes=(
            (
                "VAL.CON",
                "{patient} plays fiddle in a bluegrass band, and I played banjo badly through "
                "college, so the first visit we spent five minutes on that",
            ),
            (
                "VAL.CON",
                "There's something there that's just, I like {patient}. We'd be friends in "
                "another life.",
            ),
        ),
    ),
    Passage(
        key="cl-con-02",
        question="What's it like when {patient} comes in?",
        answer=(
            "It's a bright spot, truthfully. {patient} has this dry, deadpan humour — last "
            "month I asked how the new medicine was going and got, 'Well, I'm still here, so "
            "that's a review.' We both grew up in little mill towns, so we've got the same "
            "jokes about the same kinds of places. I look at the schedule in the morning and "
            "see {patient}'s name and I'm, um, glad. I think it goes both ways. It's a real "
            "bond, not a professional one pretending."
        ),
        codes=(
            (
                "VAL.CON",
                "We both grew up in little mill towns, so we've got the same jokes about the "
                "same kinds of places.",
            ),
            (
                "VAL.CON",
                "I look at the schedule in the morning and see {patient}'s name and I'm, um, "
                "glad. I think it goes both ways.",
            ),
        ),
    ),
    Passage(
        key="cl-con-03",
        question="Is there something you and {patient} share?",
        answer=(
            "Food, mostly. {patient} was a line cook for years at a little place called Café "
            "José — both accents, {patient} always checks that I say it right. I'm a terrible "
            "cook, so I get recipes. Last time it was a pozole, which I then ruined. And we "
            "compare notes on our mothers, who apparently are the same woman in two different "
            "bodies. I think it matters that I'm a person in there, you know? Not just a "
            "white coat. We're two people who like soup."
        ),
        codes=(
            ("VAL.CON", "I'm a terrible cook, so I get recipes."),
            (
                "VAL.CON",
                "we compare notes on our mothers, who apparently are the same woman in two "
                "different bodies.",
            ),
        ),
    ),
    Passage(
        key="cl-att-01",
        question="What do you do differently with {patient} during a visit?",
        answer=(
            "I close the laptop. With {patient} especially, because the important thing "
            "usually comes out around minute twelve, after the refills and the weather. If "
            "I'm typing, it doesn't come out. So I sit facing, I don't interrupt, I let the "
            "silences sit there. It feels long, a silence of ten seconds in a clinic, it "
            "feels like forever. But that's when {patient} says, 'Also, there's this other "
            "thing.' And the other thing is always the real thing."
        ),
        codes=(
            ("VAL.PRES.ATT", "I close the laptop."),
            ("VAL.PRES.ATT", "So I sit facing, I don't interrupt, I let the silences sit there."),
        ),
    ),
    Passage(
        key="cl-att-02",
        question="Can you describe a visit with {patient} that stayed with you?",
        answer=(
            "The visit where {patient} told me about the crossing. I'd asked a routine "
            "question, something about sleep, and it opened up — the desert, the brother who "
            "didn't make it. Forty minutes. My next two patients waited, and I'm grateful to "
            "them, and to our front desk for handling it. I didn't take notes. I didn't look "
            "at the clock. I just listened to the whole thing, because it was clearly the "
            "first time it had been said out loud. Afterwards {patient} said, 'You let me "
            "finish.'"
        ),
        codes=(
            (
                "VAL.PRES.ATT",
                "I didn't take notes. I didn't look at the clock. I just listened to the "
                "whole thing",
            ),
            ("OUT.TRUST", "because it was clearly the first time it had been said out loud."),
        ),
    ),
    Passage(
        key="cl-att-03",
        question="How do you make sure {patient} feels heard?",
        answer=(
            "{patient} is hard of hearing and reads lips a lot, so, practically, I face "
            "{patient} the whole time, I don't talk while I'm looking at the screen, no mask "
            "when we can manage it. But beyond that, I just give {patient} the floor. There's "
            "a tendency to talk over people who are slow to respond, and I'm sure {patient} "
            "gets a lot of that out in the world. In my room, {patient} gets to finish, "
            "however long it takes. I repeat things back to make sure I've understood."
        ),
        codes=(
            ("VAL.PRES.ATT", "I just give {patient} the floor."),
            (
                "VAL.PRES.ATT",
                "In my room, {patient} gets to finish, however long it takes. I repeat things "
                "back to make sure I've understood.",
            ),
        ),
    ),
    Passage(
        key="cl-acc-01",
        question="How did you respond when {patient} first described the symptoms?",
        answer=(
            "{patient} came in braced for a fight. Had a folder of records, three years' "
            "worth, and a speech ready about how it's not all in my head. And I just said, "
            "'Okay. I'm not going to tell you it's in your head. You're living with something "
            "real, and we're going to take it seriously.' The speech kind of collapsed. There "
            "were tears. It took us another six months to get to a diagnosis, but I think "
            "that first sentence mattered more than anything I did after."
        ),
        codes=(
            (
                "VAL.PRES.ACC",
                "'Okay. I'm not going to tell you it's in your head. You're living with "
                "something real, and we're going to take it seriously.'",
            ),
        ),
    ),
    Passage(
        key="cl-acc-02",
        question="How do you think about {patient}'s experience of the {condition}?",
        answer=(
            "The labs only tell me part of it. {patient}'s numbers have been pretty stable "
            "for a couple of years, and on paper it's a success story. But {patient} tells me "
            "the mornings are still awful, that it takes an hour to get moving, that there's "
            "a kind of fog. I take that as seriously as any lab value. It's {patient}'s "
            "illness, {patient} is the one living in it. If I only treated the printout, I'd "
            "be treating somebody who doesn't exist."
        ),
        codes=(
            (
                "VAL.PRES.ACC",
                "I take that as seriously as any lab value. It's {patient}'s illness, "
                "{patient} is the one living in it.",
            ),
        ),
    ),
    Passage(
        key="cl-acc-03",
        question="Have you ever had to take {patient}'s symptoms seriously when others didn't?",
        answer=(
            "Yes, the chest pain. {patient} had been to the ER three times, every time the "
            "workup was clean, and the discharge papers basically said anxiety. Which, maybe "
            "partly. But {patient} described it so precisely — climbing the stairs at work, "
            "same spot, gone in five minutes of rest. That's a textbook story for angina. I "
            "told {patient}, 'I hear you. Something is happening, and a normal ECG doesn't "
            "mean you're imagining it.' I ordered a stress test. It was positive, and "
            "{patient} had a stent two weeks later."
        ),
        codes=(
            ("COMP.KNOW", "That's a textbook story for angina."),
            (
                "VAL.PRES.ACC",
                "I told {patient}, 'I hear you. Something is happening, and a normal ECG "
                "doesn't mean you're imagining it.'",
            ),
        ),
    ),
    Passage(
        key="cl-emp-01",
        question="Do you ever draw on your own experiences when caring for {patient}?",
        answer=(
            "Sometimes, carefully. I went through a bad depression in my twenties — I don't "
            "broadcast it, but I don't hide it either. When {patient} describes that "
            "flatness, where the coffee tastes like nothing and the phone ringing feels like "
            "an attack, I know that place. I've been in it. And I think {patient} can tell, "
            "even before I said anything. There's a different kind of nod you give when you "
            "actually know. I did tell {patient} once, briefly. It seemed to help."
        ),
        codes=(
            (
                "VAL.PRES.EMP",
                "When {patient} describes that flatness, where the coffee tastes like nothing "
                "and the phone ringing feels like an attack, I know that place. I've been in "
                "it.",
            ),
            ("VAL.PRES.EMP", "I did tell {patient} once, briefly. It seemed to help."),
        ),
    ),
    Passage(
        key="cl-emp-02",
        question="What helped you understand what {patient}'s family was going through?",
        answer=(
            "My own father. He was in the ICU for three weeks the year before {patient}'s "
            "partner got sick, and I spent a lot of nights in that same kind of plastic "
            "chair. So when {patient} talked about the waiting, the beeping, the not knowing "
            "whether to go home and shower — I knew that. In my body, not in my head. I said, "
            "'I sat in those chairs too.' {patient} just grabbed my hand. I think it made it "
            "less lonely, knowing I'd been on that side."
        ),
        codes=(
            (
                "VAL.PRES.EMP",
                "So when {patient} talked about the waiting, the beeping, the not knowing "
                "whether to go home and shower — I knew that. In my body, not in my head. I "
                "said, 'I sat in those chairs too.'",
            ),
        ),
    ),
    Passage(
        key="cl-emp-03",
        question="Is there anything in your own life that shapes how you care for {patient}?",
        answer=(
            "I have migraines. Have had since I was a teenager. So when {patient} talks about "
            "the pain taking over whole days, cancelling plans, people thinking you're flaky "
            "— I get it from the inside. I've missed my own kid's school concert lying in a "
            "dark room. I told {patient} that once, and {patient} said, 'So you know.' Yeah. "
            "I know. It doesn't make me a better clinician automatically, but it makes me "
            "slower to dismiss things."
        ),
        codes=(
            (
                "VAL.PRES.EMP",
                "So when {patient} talks about the pain taking over whole days, cancelling "
                "plans, people thinking you're flaky — I get it from the inside. I've missed "
                "my own kid's school concert lying in a dark room.",
            ),
        ),
    ),
    Passage(
        key="cl-pres-01",
        question="What do you try to bring into the room with {patient}?",
        answer=(
            "Just myself, all of me, for those twenty minutes. It's hard to describe. With "
            "{patient} there's a lot of grief in the room, a lot of history, and I try to "
            "just — be there with it. Not fix, not hurry, not be already thinking about the "
            "next chart. I wouldn't call it just listening. It's more like staying put, "
            "inside the visit, with the whole person. Some days I manage it better than "
            "others, honestly. Mondays are hard."
        ),
        codes=(
            (
                "VAL.PRES",
                "I try to just — be there with it. Not fix, not hurry, not be already "
                "thinking about the next chart. I wouldn't call it just listening. It's more "
                "like staying put, inside the visit, with the whole person.",
            ),
        ),
    ),
    Passage(
        key="cl-pres-02",
        question="Can you describe the feel of a good visit with {patient}?",
        answer=(
            "A good visit with {patient} is, um, unhurried, even when it's short. I think "
            "presence is the word. {patient} once said it felt like the rest of the clinic "
            "disappeared, and I know what that means from my side too. The hallway noise goes "
            "away. I'm not in my head planning. I'm just there, with {patient}, all the way. "
            "It doesn't happen every time. When it does, we get more done in fifteen minutes "
            "than in an hour of the other kind."
        ),
        codes=(("VAL.PRES", "I'm just there, with {patient}, all the way."),),
    ),
    Passage(
        key="cl-pres-03",
        question="What was it like visiting {patient} in the hospital?",
        answer=(
            "Quiet. I went up to the ward after clinic, the day after the surgery. {patient} "
            "was very weak, a lot of tubes, and the family had gone down to the cafeteria. I "
            "didn't do much, medically — the hospital team had that covered. I looked at the "
            "chart, asked about the pain. And then I sat. I just sat by the bed, with my "
            "whole attention there, for maybe half an hour, while {patient} drifted in and "
            "out. Nobody needed me to say anything. I think what I offered that afternoon was "
            "just being there."
        ),
        codes=(
            ("ABI.CRISIS", "I went up to the ward after clinic, the day after the surgery."),
            (
                "VAL.PRES",
                "I just sat by the bed, with my whole attention there, for maybe half an "
                "hour, while {patient} drifted in and out. Nobody needed me to say anything. "
                "I think what I offered that afternoon was just being there.",
            ),
        ),
    ),
    Passage(
        key="cl-val-01",
        question="What does {patient} mean to you?",
        answer=(
            "A lot. More than I probably should say in a research interview, ha. {patient} is "
            "someone I genuinely care about, and I think {patient} knows that — knows there's "
            "a person here who thinks {patient} is worth every minute. That hasn't always "
            "been true in {patient}'s life. A lot of people have treated {patient} as a "
            "burden, a frequent flyer, a problem. I'd like my clinic to be one place where "
            "that's not the story. Where {patient} walks in and is, simply, welcome."
        ),
        codes=(
            (
                "VAL",
                "{patient} is someone I genuinely care about, and I think {patient} knows "
                "that — knows there's a person here who thinks {patient} is worth every "
                "minute.",
            ),
        ),
    ),
    Passage(
        key="cl-val-02",
        question="How would you describe the bond between you and {patient}?",
        answer=(
            "Warm. Accepting, in both directions. {patient} has put up with my running late, "
            "my terrible handwriting; I've put up with the four-page lists. But underneath "
            "that there's a, um, regard. I want {patient} to walk out feeling like somebody "
            "who counts, because {patient} does count. I think after a lot of years of being "
            "treated like a case number in other places, that's been the most important thing "
            "I could give. More than any prescription. I hope {patient} feels it. I think so."
        ),
        codes=(
            (
                "VAL",
                "I want {patient} to walk out feeling like somebody who counts, because "
                "{patient} does count.",
            ),
        ),
    ),
    Passage(
        key="cl-val-03",
        question="Why do you think the relationship with {patient} works?",
        answer=(
            "I think because {patient} feels valued. Not in a greeting-card way. In the sense "
            "that whatever shape {patient} walks in in — angry, sad, exhausted — the message "
            "is the same: you're welcome here, you matter to me. People can feel that. They "
            "can tell when they're tolerated versus wanted. {patient} has been tolerated by a "
            "lot of systems. I try hard to make this a place where {patient} is wanted. It's "
            "not complicated. It's just not common."
        ),
        codes=(("VAL", "I try hard to make this a place where {patient} is wanted."),),
    ),
    Passage(
        key="cl-part-01",
        question="How do you and {patient} make decisions about treatment?",
        answer=(
            "We negotiate, honestly. {patient} is a long-haul trucker, so a medication that "
            "needs a lunchtime dose or makes you drowsy is a non-starter. I'll lay out the "
            "options — usually two or three — with the trade-offs, and {patient} tells me "
            "what'll actually work on the road. Last time we settled on a once-daily option "
            "that wasn't my first choice on paper, but it's the one {patient} will actually "
            "take. A perfect plan that doesn't fit the life is worthless."
        ),
        codes=(
            (
                "POW.PART",
                "I'll lay out the options — usually two or three — with the trade-offs, and "
                "{patient} tells me what'll actually work on the road. Last time we settled "
                "on a once-daily option that wasn't my first choice on paper, but it's the "
                "one {patient} will actually take.",
            ),
        ),
    ),
    Passage(
        key="cl-part-02",
        question="Can you tell me about a decision you and {patient} made together?",
        answer=(
            "The surgery decision last year. The surgeon was keen, and on paper it made "
            "sense, but {patient} was scared, and had a nephew's first communion coming up, "
            "and the recovery would have meant missing it. So we sat down, the two of us and "
            "{patient}'s son, and went through it: what waiting costs, what it doesn't. In "
            "the end {patient} chose to wait three months. I was okay with that, the risk was "
            "small. It was {patient}'s call and a reasonable one."
        ),
        codes=(
            (
                "POW.PART",
                "So we sat down, the two of us and {patient}'s son, and went through it: what "
                "waiting costs, what it doesn't. In the end {patient} chose to wait three "
                "months.",
            ),
            ("POW.PART", "It was {patient}'s call and a reasonable one."),
        ),
    ),
    Passage(
        key="cl-part-03",
        question=(
            "How do you handle it when {patient} wants something different from what you'd "
            "recommend?"
        ),
        answer=(
            "I try to get curious instead of digging in. With {patient}, it was the "
            "antidepressant. I recommended it; {patient} wanted to try counselling and "
            "exercise first. And honestly that's a perfectly reasonable option, so we agreed "
            "on eight weeks, with a check-in at four, and a clear line — if it got worse, "
            "we'd revisit. {patient} kept up that bargain, I kept up mine. It's a "
            "partnership. I bring the medical part, {patient} brings the life part, and the "
            "plan has to fit both."
        ),
        codes=(
            (
                "POW.PART",
                "we agreed on eight weeks, with a check-in at four, and a clear line — if it "
                "got worse, we'd revisit.",
            ),
            (
                "POW.PART",
                "I bring the medical part, {patient} brings the life part, and the plan has "
                "to fit both.",
            ),
        ),
    ),
    Passage(
        key="cl-edu-01",
        question="How do you help {patient} understand the {condition}?",
        answer=(
            "Lots of drawing, lots of analogies. {patient} is a plumber, so I explain a lot "
            "of it in pipes and pressure and valves, and it lands. I also try to teach "
            "skills, not just facts. We spent a couple of visits on the symptom diary — which "
            "changes mean call me, which mean adjust, which mean go to the ER. I have "
            "{patient} teach it back to me at the end. Now {patient} catches things before I "
            "do sometimes, which is exactly the goal."
        ),
        codes=(
            (
                "POW.EDU",
                "{patient} is a plumber, so I explain a lot of it in pipes and pressure and "
                "valves, and it lands.",
            ),
            (
                "POW.EDU",
                "We spent a couple of visits on the symptom diary — which changes mean call "
                "me, which mean adjust, which mean go to the ER. I have {patient} teach it "
                "back to me at the end.",
            ),
        ),
    ),
    Passage(
        key="cl-edu-02",
        question="What role does teaching play in your care for {patient}?",
        answer=(
            "A big one. When I first met {patient}, the explanations from the hospital had "
            "gone right over {patient}'s head — all Latin and acronyms. {patient} was taking "
            "seven pills and couldn't tell me what any of them was for. So we did a "
            "pill-by-pill thing, with the actual bottles on the table, what each one does in "
            "plain English, why the timing matters. Made a chart with pictures for the "
            "fridge. It's not glamorous, but {patient} runs the show at home now."
        ),
        codes=(
            (
                "POW.EDU",
                "So we did a pill-by-pill thing, with the actual bottles on the table, what "
                "each one does in plain English, why the timing matters. Made a chart with "
                "pictures for the fridge.",
            ),
        ),
    ),
    Passage(
        key="cl-edu-03",
        question="Was there a moment when something shifted for {patient}?",
        answer=(
            "When {patient} understood it wasn't a countdown. {patient} came in convinced "
            "that the {condition} only goes one way, because that's what happened to an aunt. "
            "So I took time with it — the way it's managed now, what the studies actually "
            "show, what {patient} could control. I drew a couple of graphs, simple ones. And "
            "I watched {patient}'s shoulders come down. {patient} said, 'So I could still "
            "have, like, a life?' And I said yes. Realistically, yes."
        ),
        codes=(
            (
                "POW.EDU",
                "I took time with it — the way it's managed now, what the studies actually "
                "show, what {patient} could control. I drew a couple of graphs, simple ones.",
            ),
            (
                "OUT.HOPE",
                "{patient} said, 'So I could still have, like, a life?' And I said yes. "
                "Realistically, yes.",
            ),
        ),
    ),
    Passage(
        key="cl-push-01",
        question="Have you ever had to be firm with {patient}?",
        answer=(
            "Once, really firm. {patient} had been putting off the colonoscopy for three "
            "years — always a reason, the harvest, the grandkids, the prep is gross. And then "
            "{patient}'s brother was diagnosed with colon cancer. So I said, 'I'm not asking "
            "this time. I've booked it, the prep is in this bag, and I'll call you the night "
            "before to make sure you're drinking it.' {patient} laughed, sort of, and went. "
            "They found two polyps and took them out. I'll take that win."
        ),
        codes=(
            (
                "POW.PUSH",
                "'I'm not asking this time. I've booked it, the prep is in this bag, and I'll "
                "call you the night before to make sure you're drinking it.'",
            ),
        ),
    ),
    Passage(
        key="cl-push-02",
        question="Have you ever used your position to get something for {patient}?",
        answer=(
            "Yes, and I don't apologize for it. {patient} was stuck on a stretcher in the ER "
            "hallway for fourteen hours, being told there were no beds, and the pain wasn't "
            "being managed. I called the admitting team directly and said, 'I've known this "
            "patient for {years} years, this is not baseline, and I need someone to see this "
            "patient now.' I used every bit of my title on that call. {patient} was upstairs "
            "within the hour. Sometimes that's what the badge is for."
        ),
        codes=(
            (
                "POW.PUSH",
                "I called the admitting team directly and said, 'I've known this patient for "
                "{years} years, this is not baseline, and I need someone to see this patient "
                "now.' I used every bit of my title on that call.",
            ),
        ),
    ),
    Passage(
        key="cl-push-03",
        question="How do you handle it when {patient} refuses something you think is important?",
        answer=(
            "It depends how important. Most things I'll let go, or we'll negotiate. But with "
            "the insulin, I pushed. {patient} had been refusing it for a year and the sugars "
            "were in a dangerous range. I said, plainly, 'I respect you, and I'm going to be "
            "honest: without better control, you're heading for trouble with your kidneys and "
            "your eyes. I'm not going to stop bringing it up.' It took three more visits. I "
            "knew I was right about that one, and I think {patient} could feel that I knew."
        ),
        codes=(
            (
                "POW.PUSH",
                "'I respect you, and I'm going to be honest: without better control, you're "
                "heading for trouble with your kidneys and your eyes. I'm not going to stop "
                "bringing it up.'",
            ),
            (
                "COMP.CONF",
                "I knew I was right about that one, and I think {patient} could feel that I knew.",
            ),
        ),
    ),
    Passage(
        key="cl-pow-01",
        question="How do you think about the power you have in your relationship with {patient}?",
        answer=(
            "I think about it a lot, actually. I have the prescription pad, the referrals, "
            "the ability to sign or not sign the disability form. That's real power over "
            "{patient}'s life, and {patient} knows it. So I try to be very deliberate. I say "
            "out loud when I'm giving advice versus when something's non-negotiable. I try "
            "never to use it casually. Because if {patient} is scared of me, I'm no use — "
            "{patient} will just stop telling me things."
        ),
        codes=(
            (
                "POW",
                "I have the prescription pad, the referrals, the ability to sign or not sign "
                "the disability form. That's real power over {patient}'s life, and {patient} "
                "knows it. So I try to be very deliberate.",
            ),
        ),
    ),
    Passage(
        key="cl-pow-02",
        question="Has your sense of your role with {patient} changed over time?",
        answer=(
            "Yes. When I started out I thought my job was to be the authority — to know, and "
            "to tell. With {patient} I learned pretty fast that the authority only helps if I "
            "hold it carefully. {patient} grew up with a father who, um, ruled the house, and "
            "any hint of that from me and the shutters came down. So I watch my tone, I watch "
            "where I stand in the room. The power doesn't go away. It's about pointing it in "
            "{patient}'s direction."
        ),
        codes=(
            ("POW", "The power doesn't go away. It's about pointing it in {patient}'s direction."),
        ),
    ),
    Passage(
        key="cl-pow-03",
        question="What's it like to be in the position you're in with {patient}?",
        answer=(
            "Humbling, some days. {patient} will do almost anything I suggest, which sounds "
            "convenient, but it worries me. It means my words land heavy. A throwaway comment "
            "about weight, an offhand 'we might need to think about more help at home "
            "someday' — {patient} goes home and stews on it for a month. So I've learned to "
            "be careful with my weight in the room. To check what landed. To hand back as "
            "much of the steering wheel as {patient} wants to hold."
        ),
        codes=(
            (
                "POW",
                "{patient} will do almost anything I suggest, which sounds convenient, but it "
                "worries me. It means my words land heavy.",
            ),
        ),
    ),
    Passage(
        key="cl-cont-01",
        question="How long have you known {patient}?",
        answer=(
            "It's {years} years now, which I can hardly believe. I was new to this clinic "
            "when {patient} joined my panel — I still had the nervous habit of clicking my "
            "pen — and {patient} has stuck with me through a practice merger and the move to "
            "the new building. I've seen {patient} through job changes, a divorce, a new "
            "partner. At this point it's a bit like an old marriage, we have our rhythms and "
            "our running jokes. I know which chair {patient} will pick."
        ),
        codes=(
            ("ABI.CONT", "It's {years} years now, which I can hardly believe."),
            (
                "ABI.CONT",
                "{patient} has stuck with me through a practice merger and the move to the "
                "new building.",
            ),
            (
                "ABI.CONT",
                "At this point it's a bit like an old marriage, we have our rhythms and our "
                "running jokes.",
            ),
        ),
    ),
    Passage(
        key="cl-cont-02",
        question="What difference does it make that you've seen {patient} for so long?",
        answer=(
            "All the difference. Because I've seen {patient} every few months for {years} "
            "years, I have a baseline nobody else has. I know what {patient} looks like on a "
            "good day, how {patient} walks into the room when things are okay. So when "
            "something's off — the gait, the colour, the way {patient} jokes or doesn't — I "
            "notice. And I know what {patient} cares about — the garden, the grandson, "
            "staying in that house — so the plans are built around that from the start."
        ),
        codes=(
            (
                "ABI.CONT",
                "Because I've seen {patient} every few months for {years} years, I have a "
                "baseline nobody else has.",
            ),
            (
                "COMP.MIND",
                "So when something's off — the gait, the colour, the way {patient} jokes or "
                "doesn't — I notice.",
            ),
            (
                "OUT.KNOWN",
                "I know what {patient} cares about — the garden, the grandson, staying in "
                "that house — so the plans are built around that from the start.",
            ),
        ),
    ),
    Passage(
        key="cl-cont-03",
        question="How did your relationship with {patient} start?",
        answer=(
            "{patient} walked in as a new patient on my first day at this clinic, which we "
            "both joke about. My very first patient here. And we've stayed together since, "
            "through everything. I've turned down two jobs closer to my house, partly — I'm "
            "not going to pretend it's only {patient}, but the continuity matters to me. "
            "Seeing the same people over the years is the whole point of this work for me. "
            "Otherwise I'd work in urgent care and never see anyone twice."
        ),
        codes=(
            (
                "ABI.CONT",
                "{patient} walked in as a new patient on my first day at this clinic, which "
                "we both joke about. My very first patient here. And we've stayed together "
                "since, through everything.",
            ),
        ),
    ),
    Passage(
        key="cl-crisis-01",
        question="Can you tell me about a time {patient} was in crisis?",
        answer=(
            "The stroke. {patient}'s wife called me from the kitchen floor, basically — she'd "
            "called the ambulance first, good, and then me. I met them at the ER. I know I "
            "didn't need to be there, the stroke team was great, but I'd known {patient} for "
            "years and I wanted the family to have a familiar face. Then I went up to the "
            "rehab unit every week or so for a month. {patient} doesn't remember the first "
            "few days. The wife does. She brings it up every visit."
        ),
        codes=(
            (
                "ABI.CRISIS",
                "I met them at the ER. I know I didn't need to be there, the stroke team was "
                "great, but I'd known {patient} for years and I wanted the family to have a "
                "familiar face.",
            ),
            ("ABI.CRISIS", "Then I went up to the rehab unit every week or so for a month."),
        ),
    ),
    Passage(
        key="cl-crisis-02",
        question="Was there a particularly hard moment in your time with {patient}?",
        answer=(
            "When {patient}'s brother died. Overdose, at twenty-six. I found out from the "
            "obituary, and I called that afternoon, and then I went to the wake. I stood in "
            "line with everybody else. Afterwards I had to go sit in my car for a while, "
            "because I'd known that kid since he was in middle school, I'd treated him for "
            "strep, for a broken wrist. I let myself fall apart in the car so that I could be "
            "steady for {patient} at the next visit."
        ),
        codes=(
            (
                "ABI.CRISIS",
                "I called that afternoon, and then I went to the wake. I stood in line with "
                "everybody else.",
            ),
            (
                "COMP.EMO",
                "I let myself fall apart in the car so that I could be steady for {patient} "
                "at the next visit.",
            ),
        ),
    ),
    Passage(
        key="cl-crisis-03",
        question="What important health events have you been part of with {patient}?",
        answer=(
            "Oh, a few. The pneumonia that put {patient} in intensive care the winter before "
            "last, when I was on the phone with the hospital team twice a day. Then the "
            "cancer diagnosis. I told {patient} myself, in person, with the door closed and "
            "the box of tissues already on the table. And I was at the hospital the morning "
            "of the surgery, just for ten minutes before they took {patient} back. {patient} "
            "said those ten minutes counted for more than I knew."
        ),
        codes=(
            ("ABI.CRISIS", "when I was on the phone with the hospital team twice a day"),
            (
                "ABI.CRISIS",
                "I told {patient} myself, in person, with the door closed and the box of "
                "tissues already on the table. And I was at the hospital the morning of the "
                "surgery, just for ten minutes before they took {patient} back.",
            ),
        ),
    ),
    Passage(
        key="cl-care-01",
        question="What kinds of things do you do for {patient} outside of regular visits?",
        answer=(
            "Little things, mostly. I call with results myself rather than letting the portal "
            "dump them, because {patient} panics at the portal. I did the prior authorization "
            "for the new inhaler three times until it went through. Once, during the ice "
            "storm, I drove the refill out to the farm because the road to town was closed "
            "and {patient} was down to two days. My spouse thought I was out of my mind. It "
            "was forty minutes. It wasn't heroic, it was just what needed doing."
        ),
        codes=(
            (
                "ABI.CARE",
                "I call with results myself rather than letting the portal dump them, because "
                "{patient} panics at the portal.",
            ),
            (
                "ABI.CARE",
                "Once, during the ice storm, I drove the refill out to the farm because the "
                "road to town was closed and {patient} was down to two days.",
            ),
        ),
    ),
    Passage(
        key="cl-care-02",
        question="Can you think of a small thing you did that mattered to {patient}?",
        answer=(
            "{patient} asked me once about a herbal supplement a cousin in Manila was sending "
            "over, and I didn't know anything about it. So that night I looked it up, read "
            "what little there was, and emailed a pharmacist I trust. Called {patient} back "
            "two days later with an actual answer. {patient} told me later that nobody had "
            "ever taken one of those questions seriously before, they'd always just said "
            "'don't take that.' It was maybe an hour of my time. But it said something."
        ),
        codes=(
            (
                "ABI.CARE",
                "So that night I looked it up, read what little there was, and emailed a "
                "pharmacist I trust. Called {patient} back two days later with an actual "
                "answer.",
            ),
        ),
    ),
    Passage(
        key="cl-care-03",
        question=(
            "Is there anything you do for {patient} that you wouldn't necessarily do for everyone?"
        ),
        answer=(
            "I trim {patient}'s toenails. Which sounds silly, but {patient} can't reach "
            "anymore and the foot clinic had a six-week wait, and a bad ingrown nail in "
            "somebody like {patient} is not a small thing. So I just do it, at the end of the "
            "visit, while we talk about the bowling league. It takes five minutes. I think "
            "{patient} finds it, um, moving? That somebody with my job gets down on the floor "
            "and does that. It's humble work. I like it, actually."
        ),
        codes=(
            ("ABI.CARE", "I trim {patient}'s toenails."),
            (
                "ABI.CARE",
                "So I just do it, at the end of the visit, while we talk about the bowling league.",
            ),
        ),
    ),
    Passage(
        key="cl-ngu-01",
        question="How have you approached {patient}'s care when treatment options ran out?",
        answer=(
            "The specialists had been very clear: they'd run out of things to try. And I "
            "remember {patient} looking at me like, so this is where you hand me off. And I "
            "said, no. We stop chasing a cure and we start working on every single thing that "
            "makes your days harder. Sleep, pain, the tiredness, the fear at night. We've "
            "been doing that for two years. It's still worth doing. {patient} is still here "
            "and still having decent days, more of them than anyone predicted."
        ),
        codes=(
            (
                "ABI.NGU",
                "And I said, no. We stop chasing a cure and we start working on every single "
                "thing that makes your days harder.",
            ),
            ("ABI.NGU", "We've been doing that for two years. It's still worth doing."),
        ),
    ),
    Passage(
        key="cl-ngu-02",
        question="What do you do when {patient} says nothing is helping?",
        answer=(
            "I say, then we're not done. {patient} has pain on top of everything else, and "
            "we've been through the usual ladder — physical therapy, the medications that "
            "made sense, injections. Nothing touched it much. And {patient} said, 'You must "
            "be sick of me by now.' I'm not. We've tried a pain psychologist, a pacing "
            "programme, a TENS unit, a different mattress, of all things. Some of it helps "
            "ten percent. Ten percent of a lot of pain is worth chasing. I'm not giving up on "
            "it."
        ),
        codes=(
            ("ABI.NGU", "I say, then we're not done."),
            (
                "ABI.NGU",
                "We've tried a pain psychologist, a pacing programme, a TENS unit, a "
                "different mattress, of all things. Some of it helps ten percent. Ten percent "
                "of a lot of pain is worth chasing. I'm not giving up on it.",
            ),
        ),
    ),
    Passage(
        key="cl-ngu-03",
        question="How do you stay involved when {patient}'s care involves so many specialists?",
        answer=(
            "I stay the hub. {patient} has four specialists and each one sees a piece, and "
            "more than once one of them has said, basically, 'there's not much more we can "
            "do.' That's fine for them, they can discharge. I can't. I don't want to. So I "
            "keep seeing {patient} monthly, I keep adjusting what I can for comfort, I keep "
            "the family in the loop. When the treatments run out, the caring doesn't. That's "
            "my job, as far as I'm concerned."
        ),
        codes=(
            (
                "ABI.NGU",
                "I keep seeing {patient} monthly, I keep adjusting what I can for comfort, I "
                "keep the family in the loop. When the treatments run out, the caring "
                "doesn't.",
            ),
        ),
    ),
    Passage(
        key="cl-abi-01",
        question="What does commitment to {patient} look like for you?",
        answer=(
            "It's... I've made {patient} a kind of promise, without ever saying it formally: "
            "whatever happens, I'm in. If the {condition} gets worse, if {patient} moves in "
            "with family across town, whatever. I'll still be here. I think that's the core "
            "of it. Not any one visit. The long-term commitment — that I'm not going to be "
            "the one who walks away when it gets hard or boring or complicated. {patient} has "
            "had enough people do that already."
        ),
        codes=(
            (
                "ABI",
                "I've made {patient} a kind of promise, without ever saying it formally: "
                "whatever happens, I'm in.",
            ),
        ),
    ),
    Passage(
        key="cl-abi-02",
        question="Do you see yourself continuing with {patient} in the future?",
        answer=(
            "Absolutely. Barring me getting hit by a bus, I plan to keep looking after "
            "{patient} until one of us retires, and I told {patient} that. There are patients "
            "you see, and patients you, um, take on, and {patient} is one I've taken on. It's "
            "a commitment. It's not about this year's problem. It's about the next ten years "
            "of whatever comes. I think {patient} needed to hear that somebody was planning "
            "to stay put. I meant it, and I still mean it."
        ),
        codes=(
            (
                "ABI",
                "There are patients you see, and patients you, um, take on, and {patient} is "
                "one I've taken on. It's a commitment. It's not about this year's problem. "
                "It's about the next ten years of whatever comes.",
            ),
        ),
    ),
    Passage(
        key="cl-abi-03",
        question="How do you think {patient} sees your role?",
        answer=(
            "As a constant, I hope. {patient} has had a lot of people leave — a mother who "
            "wasn't around, two marriages, a lot of case workers who rotated out. So my being "
            "here matters more than any single thing I do. I've tried to be the one who "
            "sticks. Through the good stretches and the bad. And I think, slowly, {patient} "
            "has started to believe that, and started telling me more, the stuff that's been "
            "kept locked up for years."
        ),
        codes=(
            ("ABI", "I've tried to be the one who sticks. Through the good stretches and the bad."),
            (
                "OUT.TRUST",
                "{patient} has started to believe that, and started telling me more, the "
                "stuff that's been kept locked up for years.",
            ),
        ),
    ),
    Passage(
        key="cl-conf-01",
        question="How do you present yourself to {patient} when things are uncertain?",
        answer=(
            "Calm and sure, as much as I honestly can. {patient} is an anxious person, and if "
            "I'm wobbly, {patient} spirals. That's not faking — I do trust my judgement, I've "
            "been doing this a long time. So I'll say, 'I don't know the answer yet, but I "
            "know how to find it, and I'm going to.' There's a difference between being "
            "certain of the answer and being confident in the process, and {patient} needs "
            "the second one from me."
        ),
        codes=(
            (
                "COMP.CONF",
                "That's not faking — I do trust my judgement, I've been doing this a long "
                "time. So I'll say, 'I don't know the answer yet, but I know how to find it, "
                "and I'm going to.'",
            ),
        ),
    ),
    Passage(
        key="cl-conf-02",
        question="Where does your sense that you can help {patient} come from?",
        answer=(
            "Experience, I suppose, and a bit of temperament. When {patient} first came to "
            "me, after being passed around, I felt — and I let it show — that this was "
            "something I could help with. I said, 'We're going to get you feeling better. "
            "Maybe not perfect, but better.' And I believed it. I think confidence is "
            "contagious in this job, in both directions. If I look like I'm unsure whether I "
            "can help, why would {patient} keep coming back?"
        ),
        codes=(
            (
                "COMP.CONF",
                "I felt — and I let it show — that this was something I could help with. I "
                "said, 'We're going to get you feeling better. Maybe not perfect, but "
                "better.' And I believed it.",
            ),
        ),
    ),
    Passage(
        key="cl-conf-03",
        question="How did {patient} respond to your approach early on?",
        answer=(
            "With a lot of scepticism, which was earned. Three clinicians before me, all a "
            "bit vague. I came in pretty decisive — here's what I think is going on, here's "
            "the plan, here's when we'll know if it's working. I'm comfortable in that role; "
            "I trust my clinical gut. And I watched {patient} kind of lean in, slowly, over a "
            "couple of visits. The third visit, {patient} said, 'I think this might actually "
            "get better.' First time I'd heard anything like that."
        ),
        codes=(
            (
                "COMP.CONF",
                "I came in pretty decisive — here's what I think is going on, here's the "
                "plan, here's when we'll know if it's working. I'm comfortable in that role; "
                "I trust my clinical gut.",
            ),
            ("OUT.HOPE", "{patient} said, 'I think this might actually get better.'"),
        ),
    ),
    Passage(
        key="cl-emo-01",
        question="How do you handle your own feelings when {patient} is difficult?",
        answer=(
            "{patient} can be... a lot. Yelling at the front desk, once threw a clipboard. "
            "And I do get angry, I'm human. What I've learned is to notice it, name it to "
            "myself, and not let it drive the visit. Sometimes I'll step out for thirty "
            "seconds — 'let me grab something' — and just breathe in the hallway. Then I go "
            "back in. And on the really bad days I talk it through with a colleague "
            "afterwards, so it doesn't leak into the next visit."
        ),
        codes=(
            (
                "COMP.EMO",
                "What I've learned is to notice it, name it to myself, and not let it drive "
                "the visit. Sometimes I'll step out for thirty seconds — 'let me grab "
                "something' — and just breathe in the hallway.",
            ),
            (
                "COMP.EMO",
                "on the really bad days I talk it through with a colleague afterwards, so it "
                "doesn't leak into the next visit.",
            ),
        ),
    ),
    Passage(
        key="cl-emo-02",
        question="Has your closeness with {patient} ever been hard to manage?",
        answer=(
            "Sometimes. I\u2019m very fond of {patient}, and there\u2019s a pull to be a "
            "friend — to go to the birthday party, to give out my cell number. I\u2019ve had "
            "to think about where the line is, and I\u2019ve decided I\u2019m more useful on "
            "this side of it. I did go to {patient}\u2019s retirement party, for an hour, but "
            "I keep my private number private. And I talk about it in my peer group, the "
            "attachment, because if I don\u2019t look at it, it\u2019ll start making "
            "decisions for me."
        ),
        codes=(
            (
                "COMP.EMO",
                "I\u2019ve had to think about where the line is, and I\u2019ve decided "
                "I\u2019m more useful on this side of it.",
            ),
            (
                "COMP.EMO",
                "I talk about it in my peer group, the attachment, because if I don\u2019t "
                "look at it, it\u2019ll start making decisions for me.",
            ),
        ),
    ),
    Passage(
        key="cl-emo-03",
        question="How do you take care of yourself in a relationship like this one?",
        answer=(
            "I run. Badly, slowly, but every morning before clinic. With a patient like "
            "{patient}, where there's been so much loss — the partner, the sister, the house "
            "fire — I carry some of it. I'd be lying if I said I didn't. And I've learned "
            "that if I don't put it down somewhere, I start to get a bit numb in the room, a "
            "bit protective. So the running, and a therapist once a month. It keeps me able "
            "to show up for {patient} fully."
        ),
        codes=(
            (
                "COMP.EMO",
                "I've learned that if I don't put it down somewhere, I start to get a bit "
                "numb in the room, a bit protective. So the running, and a therapist once a "
                "month. It keeps me able to show up for {patient} fully.",
            ),
        ),
    ),
    Passage(
        key="cl-mind-01",
        question=(
            "Can you describe a moment where you noticed something important in a visit with "
            "{patient}?"
        ),
        answer=(
            "{patient} came in for a routine visit, smiling, chatting about the garden. And I "
            "noticed — it was small — that {patient} had buttoned the cardigan wrong and "
            "hadn't fixed it, which is so unlike {patient}, who irons jeans. And I noticed my "
            "own stomach drop a bit. So I slowed down and asked about memory, about sleep, "
            "about who was doing the bills. That was the start of figuring out that a new "
            "sleeping pill was making {patient} confused. We stopped it, and the fog lifted "
            "in a week."
        ),
        codes=(
            (
                "COMP.MIND",
                "I noticed — it was small — that {patient} had buttoned the cardigan wrong "
                "and hadn't fixed it, which is so unlike {patient}, who irons jeans. And I "
                "noticed my own stomach drop a bit.",
            ),
            (
                "COMP.KNOW",
                "That was the start of figuring out that a new sleeping pill was making "
                "{patient} confused.",
            ),
        ),
    ),
    Passage(
        key="cl-mind-02",
        question="What goes on for you internally during visits with {patient}?",
        answer=(
            "A lot of noticing. {patient} talks fast and jokes constantly, and I've learned "
            "that when I start feeling bored or impatient with the jokes, that's a signal — "
            "something is being steered around. So I watch my own reactions almost like a "
            "gauge. Last spring I felt that restlessness and instead of wrapping up I put the "
            "pen down and said, 'What aren't we talking about?' And {patient} went quiet and "
            "then told me about the lump."
        ),
        codes=(
            (
                "COMP.MIND",
                "I've learned that when I start feeling bored or impatient with the jokes, "
                "that's a signal — something is being steered around. So I watch my own "
                "reactions almost like a gauge.",
            ),
            (
                "VAL.PRES.ATT",
                "instead of wrapping up I put the pen down and said, 'What aren't we talking "
                "about?'",
            ),
        ),
    ),
    Passage(
        key="cl-mind-03",
        question="How do you stay aware of what's happening in the room with {patient}?",
        answer=(
            "I try to do a little check-in with myself before I open the door. Am I tired, am "
            "I carrying the last patient in with me? Because {patient} is very sensitive to "
            "mood — if I'm off, {patient} picks it up and starts taking care of me instead. "
            "And then during the visit, I'm watching small things. The hands. Whether "
            "{patient} sits back or perches on the edge. Whether the daughter is in the room "
            "and who talks first. It all tells me something."
        ),
        codes=(
            (
                "COMP.MIND",
                "I try to do a little check-in with myself before I open the door. Am I "
                "tired, am I carrying the last patient in with me?",
            ),
            (
                "COMP.MIND",
                "during the visit, I'm watching small things. The hands. Whether {patient} "
                "sits back or perches on the edge.",
            ),
        ),
    ),
    Passage(
        key="cl-know-01",
        question="Was there a diagnosis with {patient} that was hard to make?",
        answer=(
            "The calcium. {patient} had vague stuff for a year — tired, achy, a kidney stone, "
            "low mood, constipation. Each thing on its own is nothing. Together, it nagged at "
            "me. I checked a calcium and it was high, and then the parathyroid hormone, and "
            "there it was: an overactive parathyroid gland. Surgery fixed it. {patient} says "
            "I'm a genius, which, no, it's a pattern you learn to look for. But I was "
            "pleased. It's the satisfying part of the job."
        ),
        codes=(
            (
                "COMP.KNOW",
                "Each thing on its own is nothing. Together, it nagged at me. I checked a "
                "calcium and it was high, and then the parathyroid hormone, and there it was: "
                "an overactive parathyroid gland.",
            ),
            ("COMP.KNOW", "it's a pattern you learn to look for."),
        ),
    ),
    Passage(
        key="cl-know-02",
        question="What expertise do you think matters most in {patient}'s care?",
        answer=(
            "Pharmacology, honestly. {patient} came to me on fourteen medications from five "
            "different prescribers, and two of them together were probably causing the falls. "
            "Knowing that — which combinations to worry about, which ones can come off safely "
            "and in what order — that's the unglamorous core of primary care. We got it down "
            "to eight over a year. No falls since March. {patient} credits me with, like, a "
            "miracle. It was just a careful medication review."
        ),
        codes=(
            (
                "COMP.KNOW",
                "two of them together were probably causing the falls. Knowing that — which "
                "combinations to worry about, which ones can come off safely and in what "
                "order — that's the unglamorous core of primary care.",
            ),
        ),
    ),
    Passage(
        key="cl-know-03",
        question="How does your clinical skill show up in your relationship with {patient}?",
        answer=(
            "I think {patient} trusts my hands, if that makes sense. I do a lot of procedures "
            "in the clinic — joint injections, skin biopsies, the occasional abscess. "
            "{patient} had a cyst on the back that two urgent cares had drained badly, and I "
            "took it out properly, cleanly, in twenty minutes, and it hasn't come back. After "
            "that {patient} started bringing me everything. The relationship got deeper "
            "partly because I was good at something concrete. Skill isn't the whole "
            "relationship, but it's a real part of it."
        ),
        codes=(
            (
                "COMP.KNOW",
                "{patient} had a cyst on the back that two urgent cares had drained badly, "
                "and I took it out properly, cleanly, in twenty minutes, and it hasn't come "
                "back.",
            ),
            ("OUT.TRUST", "After that {patient} started bringing me everything."),
        ),
    ),
    Passage(
        key="cl-trust-01",
        question="How do you know that {patient} trusts you?",
        answer=(
            "Because of what {patient} tells me. It took about two years, but eventually "
            "{patient} told me about the gambling — the second mortgage, the lies to the "
            "family. {patient} said, 'I've never said this out loud.' And also because "
            "{patient} has stopped double-checking me. For a long time {patient} would call "
            "the pharmacy to confirm every change I made. That stopped sometime last year. "
            "{patient} just takes my word now. For somebody who trusted nobody when we met, "
            "that's a big deal. I don't take it lightly."
        ),
        codes=(
            (
                "OUT.TRUST",
                "eventually {patient} told me about the gambling — the second mortgage, the "
                "lies to the family. {patient} said, 'I've never said this out loud.'",
            ),
            ("OUT.TRUST", "{patient} just takes my word now."),
        ),
    ),
    Passage(
        key="cl-trust-02",
        question="What have you done to earn {patient}'s trust?",
        answer=(
            "Mostly, I do what I say I'm going to do. That sounds small but {patient} had "
            "been let down a lot — referrals that went nowhere, callbacks that never came. So "
            "I'm fussy about it. If I say I'll call Friday, I call Friday, even if it's from "
            "my kitchen at eight at night. And over time, {patient} has started to lean on "
            "that. Now {patient} will say, 'Okay, you said you'd check, so I'm not going to "
            "worry about it,' and actually not worry."
        ),
        codes=(
            (
                "ABI.CARE",
                "If I say I'll call Friday, I call Friday, even if it's from my kitchen at "
                "eight at night.",
            ),
            (
                "OUT.TRUST",
                "Now {patient} will say, 'Okay, you said you'd check, so I'm not going to "
                "worry about it,' and actually not worry.",
            ),
        ),
    ),
    Passage(
        key="cl-trust-03",
        question="Has {patient} ever shared something with you that surprised you?",
        answer=(
            "Yes. After a long time, {patient} told me about being gay — that there'd been a "
            "partner, Andrés, for years, that nobody in the family knew, and that Andrés had "
            "died. {patient} had been grieving completely alone. I was, honestly, moved that "
            "{patient} chose me. We talked for a long time. We also got some overdue testing "
            "done, which {patient} had been avoiding for years out of fear of being found "
            "out. It was only possible because the trust was there."
        ),
        codes=(
            (
                "OUT.TRUST",
                "{patient} told me about being gay — that there'd been a partner, Andrés, for "
                "years, that nobody in the family knew",
            ),
            ("OUT.TRUST", "It was only possible because the trust was there."),
        ),
    ),
    Passage(
        key="cl-hope-01",
        question="Have you seen changes in how {patient} thinks about the future?",
        answer=(
            "Huge changes. Two years ago, {patient} wouldn't plan past the next appointment. "
            "Everything was, 'if I'm still around.' Last month {patient} came in with "
            "brochures for a trip to see family in Lisbon — next summer — and asked me what "
            "we'd need to do to make it happen. That's hope. That's somebody who believes "
            "there's a next summer. I didn't say much. I just got out a calendar and we "
            "started planning the medications around the flights."
        ),
        codes=(
            (
                "OUT.HOPE",
                "Last month {patient} came in with brochures for a trip to see family in "
                "Lisbon — next summer — and asked me what we'd need to do to make it happen. "
                "That's hope. That's somebody who believes there's a next summer.",
            ),
        ),
    ),
    Passage(
        key="cl-hope-02",
        question="How do you talk with {patient} about what's ahead?",
        answer=(
            "Honestly, but with an eye to what's possible. When {patient} asked if the "
            "{condition} meant giving up the woodworking, I explained what the condition does "
            "and doesn't do, and what we can adjust — the timing of the medicine, breaks, a "
            "stool at the bench. We sketched out a week together. And {patient} said, 'So I "
            "can still make the crib for the baby.' Yes. That's when I saw it, the hope "
            "coming back. The crib's finished, by the way. There's a photo on my wall."
        ),
        codes=(
            (
                "POW.EDU",
                "I explained what the condition does and doesn't do, and what we can adjust — "
                "the timing of the medicine, breaks, a stool at the bench.",
            ),
            (
                "OUT.HOPE",
                "{patient} said, 'So I can still make the crib for the baby.' Yes. That's "
                "when I saw it, the hope coming back.",
            ),
        ),
    ),
    Passage(
        key="cl-hope-03",
        question="What has been the most rewarding part of caring for {patient}?",
        answer=(
            "Watching {patient} start to expect good things again. When we met, {patient} had "
            "basically written off the future — it was all 'this is as good as it gets.' And "
            "over time, with the treatment working and the job at the hardware store, I "
            "started hearing {patient} say things like, 'Next year I want to…' That shift, "
            "from no future to a future with plans in it, is the best thing I get to witness "
            "in this job. Better than any lab result."
        ),
        codes=(
            (
                "OUT.HOPE",
                "I started hearing {patient} say things like, 'Next year I want to…' That "
                "shift, from no future to a future with plans in it",
            ),
        ),
    ),
    Passage(
        key="cl-known-01",
        question="How well do you feel you know {patient}?",
        answer=(
            "Very well, I think. I know {patient} will minimize — a 'little twinge' means go "
            "to the ER. I know {patient} was a union steward for twenty years and will "
            "negotiate anything, so I come in with room to negotiate. I know the faith "
            "matters, and the Friday fish fry at church, and that the worst fear isn't dying, "
            "it's being a burden to the kids. I didn't learn that from a form. It's built up, "
            "visit by visit."
        ),
        codes=(
            (
                "OUT.KNOWN",
                "I know {patient} will minimize — a 'little twinge' means go to the ER. I "
                "know {patient} was a union steward for twenty years and will negotiate "
                "anything",
            ),
            (
                "OUT.KNOWN",
                "I know the faith matters, and the Friday fish fry at church, and that the "
                "worst fear isn't dying, it's being a burden to the kids.",
            ),
        ),
    ),
    Passage(
        key="cl-known-02",
        question="Does knowing {patient} well change how you practise?",
        answer=(
            "Completely. If {patient} were a stranger I'd follow the guideline and be done. "
            "But I know {patient} — I know the history with the brother, I know {patient} "
            "will quietly stop a medicine rather than complain about a side effect, I know "
            "what makes {patient} laugh and what makes {patient} shut down. That took {years} "
            "years of visits to learn. So I tailor everything. I ask twice. {patient} once "
            "said, 'You know me better than I know me.' Probably not. But close."
        ),
        codes=(
            (
                "OUT.KNOWN",
                "I know {patient} will quietly stop a medicine rather than complain about a "
                "side effect, I know what makes {patient} laugh and what makes {patient} shut "
                "down.",
            ),
            ("ABI.CONT", "That took {years} years of visits to learn."),
            ("OUT.KNOWN", "{patient} once said, 'You know me better than I know me.'"),
        ),
    ),
    Passage(
        key="cl-known-03",
        question="What do you know about {patient} that isn't in the chart?",
        answer=(
            "Oh, so much. That {patient} was the first in the family to finish high school "
            "and is still proud of it. That Sunday is for family, so don't schedule anything. "
            "That {patient} writes poetry — 'bad poetry,' in {patient}'s words — and once "
            "read me one about the river behind the house. That under the grumpiness is a lot "
            "of fear about ending up like {patient}'s mother. None of that is in the chart. "
            "All of it is in how I care for {patient}."
        ),
        codes=(
            (
                "OUT.KNOWN",
                "That {patient} was the first in the family to finish high school and is "
                "still proud of it.",
            ),
            (
                "OUT.KNOWN",
                "That under the grumpiness is a lot of fear about ending up like {patient}'s "
                "mother. None of that is in the chart. All of it is in how I care for "
                "{patient}.",
            ),
        ),
    ),
    Passage(
        key="cl-misc-01",
        question="Can you tell me a bit about your clinic?",
        answer=(
            "Sure. We're a community health centre on the east side, about twelve thousand "
            "patients, three physicians, four nurse practitioners and two PAs, plus "
            "behavioural health and a dentist two days a week. We're open till seven on "
            "Tuesdays and Thursdays, which our patients really need, a lot of them work "
            "shifts. The building used to be a bank — the vault is our supply closet now, "
            "which is a fun fact I tell every student. Parking is terrible. That's the one "
            "thing everyone complains about."
        ),
        codes=(),
    ),
    Passage(
        key="cl-misc-02",
        question="What does a typical day look like for you?",
        answer=(
            "Chaos, pleasant chaos. I get in around seven-thirty, do my inbox — refills, lab "
            "results, forms — then patients from eight-thirty, about twenty a day, mostly "
            "twenty-minute slots, some forties. Lunch is theoretical. One afternoon a week I "
            "usually have a student with me. I try to leave by six but it's usually closer to "
            "seven, and then there's charting at the kitchen table after my kids are in bed. "
            "I'm working on that. My spouse would say I'm not working on it very hard."
        ),
        codes=(),
    ),
    Passage(
        key="cl-misc-03",
        question="How has the electronic record affected your work?",
        answer=(
            "Mixed bag. I can see hospital notes from across the state now, which is "
            "genuinely useful. But the clicks. Oh, the clicks. There's a pop-up for "
            "everything — a fall-risk screen, a depression screen, a tobacco question — and "
            "some of them are important, but when you get the same alert fourteen times a day "
            "you stop seeing it. We just switched vendors, too, so everybody's relearning "
            "where everything lives. I'm told it'll be better by spring. I've been told that "
            "before."
        ),
        codes=(),
    ),
    Passage(
        key="cl-misc-04",
        question="How did you end up in primary care?",
        answer=(
            "Roundabout way. I was a paramedic first, eight years, mostly nights, in a county "
            "where the nearest hospital was an hour out. And I got curious about what "
            "happened to people after the ambulance doors closed — the blood pressure, the "
            "sugar, the stuff that put them on my stretcher in the first place. So I went "
            "back to school in my thirties, which was humbling, I was older than some of my "
            "teachers. Primary care was the only place that made sense to me after that."
        ),
        codes=(),
    ),
    Passage(
        key="cl-misc-05",
        question="Do you have any questions about the study so far?",
        answer=(
            "Just one — will {patient} see what I say? No? Okay, good. Not that I'm going to "
            "say anything bad, I'd just be a bit self-conscious. And the recordings get "
            "deleted after transcription, you said? Great. I did one of these years ago for a "
            "study about diabetes education and I remember being weirdly nervous, like it was "
            "an exam. I've got about forty-five minutes before my afternoon session. My "
            "phone's on silent. Okay, go ahead."
        ),
        codes=(),
    ),
    Passage(
        key="cl-misc-06",
        question="How has staffing been at your practice lately?",
        answer=(
            "Rough. We lost two medical assistants to the hospital system in the fall — they "
            "pay more, I don't blame anyone — and our front desk is running on a temp and a "
            "lot of goodwill. It means I'm rooming some of my own patients, taking vitals, "
            "which is fine, but it eats the schedule. We're a suburban group practice, six "
            "clinicians, and we've been recruiting for a year. If you know anyone who wants "
            "to live near a very good pizza place, send them my way."
        ),
        codes=(),
    ),
    Passage(
        key="cl-misc-07",
        question="What's the area your clinic serves like?",
        answer=(
            "Big, and empty, in a beautiful way. We cover most of the county, about four "
            "thousand people spread over, I think, nine hundred square miles. Cattle, wheat, "
            "a grain elevator, two bars and four churches in town. The closest hospital with "
            "a cardiologist is ninety minutes away, two and a half hours if the pass is "
            "snowed in. So we do a lot ourselves. People here are tough, and they don't like "
            "to come in until something's really wrong, which keeps things interesting."
        ),
        codes=(),
    ),
    Passage(
        key="cl-misc-08",
        question="Do you have students or trainees with you?",
        answer=(
            "Most months, yes. Right now I've got a student from the state university, very "
            "bright, came in with a résumé longer than mine. I like teaching. It keeps me "
            "honest — when someone asks why I do something, I have to actually have a reason. "
            "The patients mostly like it too, though a few prefer it to be just me, which is "
            "fair. We always ask first. Last week the student and I spent twenty minutes "
            "arguing about the best taco truck in town. I won."
        ),
        codes=(),
    ),
    Passage(
        key="cl-misc-09",
        question="What happens when you're away from the clinic?",
        answer=(
            "We've got a coverage system — one of my colleagues takes my inbox and any urgent "
            "visits, and I take theirs when they're off. It works okay. The notes are all "
            "there. I just got back from two weeks visiting my in-laws in Québec, actually, "
            "first real vacation in three years, and I came back to three hundred messages. "
            "It took me a week to dig out. My colleague was very gracious about it. I brought "
            "back maple candy for the whole staff as a bribe."
        ),
        codes=(),
    ),
)

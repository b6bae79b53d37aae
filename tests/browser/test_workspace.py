"""The interview workspace in Chromium: coding with the mouse and with the keyboard only, overlaps,
editing, deleting and undoing, offsets after emoji and combining accents and across turns, live
updates from another coder, deep links, viewers, an XSS transcript, and axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from coding.models import Code, Coding
from coding.services import (
    CodingInput,
    code_update,
    coding_delete,
    codings_bulk_create,
    memo_create,
)
from interviews.models import Interview, Study, Turn
from tests.browser.conftest import login
from tests.browser.workspace_helpers import (
    axe_violations,
    csrf_post,
    drag_select,
    highlighted,
    locate,
    open_workspace,
    selection_text,
)
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db(transaction=True)


def span_of(interview: Interview, words: str) -> tuple[int, int]:
    start = interview.text.index(words)
    return start, start + len(words)


def stripe_labels(page: Any) -> list[str]:
    return page.locator(".stripe").evaluate_all("(all) => all.map((s) => s.ariaLabel)")


def test_a_coder_codes_a_passage_after_an_emoji_and_finds_it_after_reload(
    page: Any, study: Study, interview: Interview
) -> None:
    login(page, "coder")
    page.get_by_role("link", name="Study", exact=True).click()
    page.get_by_role("link", name="Patient", exact=True).click()
    page.wait_for_selector("body[data-workspace=ready]")
    assert page.url.endswith(f"/interviews/{interview.pk}/")

    drag_select(page, "We met at the clinic")
    expect(page.locator("#ws-selection-quote")).to_have_text("We met at the clinic")
    page.keyboard.press("c")
    expect(page.locator("#ws-picker")).to_be_visible()
    page.keyboard.type("full att")
    expect(page.locator("#ws-picker-definition")).to_contain_text("listens actively")
    page.keyboard.press("Enter")

    expect(page.locator(".stripe")).to_have_count(1)
    coding = Coding.objects.select_related("code").get()
    start, end = span_of(interview, "We met at the clinic")
    assert (coding.start, coding.end, coding.quote) == (start, end, "We met at the clinic")
    assert coding.code.key == "VAL.PRES.ATT"
    assert highlighted(page) == ["We met at the clinic"]
    assert "VAL.PRES.ATT Full attention" in stripe_labels(page)[0]
    expect(page.locator(f'[data-count="{coding.code_id}"]')).to_have_text("1")

    page.reload()
    page.wait_for_selector("body[data-workspace=ready]")
    assert highlighted(page) == ["We met at the clinic"]
    expect(page.locator(".stripe")).to_have_count(1)
    assert page.script_errors == []


def test_overlapping_codes_then_edit_a_span_delete_and_undo(
    page: Any, study: Study, interview: Interview, coder: Any
) -> None:
    start, end = span_of(interview, "We met at the clinic")
    attention = code(study, "VAL.PRES.ATT")
    codings_bulk_create(
        interview=interview, coder=coder, items=[CodingInput(attention.pk, start, end)]
    )
    hope = code(study, "OUT.HOPE")
    login(page, "coder")
    open_workspace(page, interview.pk)

    # A second, overlapping code, applied with the mouse from the codebook panel.
    drag_select(page, "the clinic in 2009")
    page.locator(f'.ws-code-apply[data-code="{hope.pk}"]').click()
    expect(page.locator(".stripe")).to_have_count(2)
    second = Coding.objects.get(code=hope)
    assert second.quote == "the clinic in 2009"
    overlap = page.locator("#transcript mark.hl", has_text="the clinic").first
    tints = overlap.evaluate("(mark) => getComputedStyle(mark).backgroundImage")
    assert tints.count("linear-gradient") == 2  # both codes' colours, layered
    assert highlighted(page) == ["We met at the clinic in 2009"]

    # Edit its span: select it by its stripe, then select the new passage and save.
    page.locator('.stripe[aria-label*="OUT.HOPE"]').click()
    expect(page.locator("#ws-coding")).to_contain_text("OUT.HOPE")
    page.get_by_role("button", name=re.compile("^Edit span")).click()
    drag_select(page, "the clinic", "she listened")
    page.get_by_role("button", name="Save span").click()
    expect(page.locator("#ws-coding .ws-quote")).to_have_text("the clinic in 2009 and she listened")
    second.refresh_from_db()
    assert second.quote == "the clinic in 2009 and she listened"
    assert (second.start, second.end) == span_of(interview, "the clinic in 2009 and she listened")

    # Change its code with the picker (C on a selected coding), then undo that.
    page.keyboard.press("c")
    expect(page.locator("#ws-picker-title")).to_have_text("Change the code")
    page.keyboard.type("connecting")
    page.keyboard.press("Enter")
    expect(page.locator("#ws-coding")).to_contain_text("VAL.CON")
    second.refresh_from_db()
    assert second.code.key == "VAL.CON"
    page.keyboard.press("Control+z")
    expect(page.locator("#ws-coding")).to_contain_text("OUT.HOPE")
    second.refresh_from_db()
    assert second.code_id == hope.pk

    # Delete it, then undo.
    page.get_by_role("button", name=re.compile("^Delete")).click()
    expect(page.locator(".stripe")).to_have_count(1)
    assert not Coding.objects.filter(code=hope).exists()
    page.locator("#ws-toast").get_by_role("button", name="Undo").click()
    expect(page.locator(".stripe")).to_have_count(2)
    restored = Coding.objects.get(code=hope)
    assert restored.quote == "the clinic in 2009 and she listened"
    assert page.script_errors == []


def test_coding_with_the_keyboard_only(page: Any, study: Study, interview: Interview) -> None:
    login(page, "coder")
    open_workspace(page, interview.pk)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")  # first turn: the interviewer
    page.keyboard.press("ArrowDown")  # Maria's turn, caret at its start
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Control+Shift+ArrowRight")
    expect(page.locator("#ws-selection-quote")).to_have_text("Café talk")
    page.keyboard.press("c")
    page.keyboard.type("hope")
    page.keyboard.press("Enter")
    expect(page.locator(".stripe")).to_have_count(1)
    first = Coding.objects.select_related("code").get()
    assert (first.quote, first.code.key) == ("Café talk", "OUT.HOPE")

    # A recent code by its number: two turns down, two words, key 1.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Control+Shift+ArrowRight")
    expect(page.locator("#ws-selection-quote")).to_have_text("She explained")
    page.keyboard.press("1")
    expect(page.locator(".stripe")).to_have_count(2)
    assert Coding.objects.filter(code__key="OUT.HOPE", quote="She explained").exists()

    # The whole turn, with T.
    page.keyboard.press("t")
    page.keyboard.type("trust")
    page.keyboard.press("Enter")
    expect(page.locator(".stripe")).to_have_count(3)
    turn = Turn.objects.get(interview=interview, index=3)
    whole = Coding.objects.get(code__key="OUT.TRUST")
    assert (whole.start, whole.end) == (turn.start, turn.end)

    # Several codes at once: Shift+Enter marks one, Enter applies the marked and the highlighted.
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Shift+End")
    expect(page.locator("#ws-selection-quote")).to_have_text("What happened next?")
    page.keyboard.press("c")
    page.keyboard.type("being known")
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("connecting")
    page.keyboard.press("Enter")
    expect(page.locator(".stripe")).to_have_count(5)
    both = Coding.objects.filter(quote="What happened next?")
    assert sorted(both.values_list("code__key", flat=True)) == ["OUT.KNOWN", "VAL.CON"]

    # Move between codings, delete one, undo.
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.keyboard.press("Home")  # the first turn
    page.keyboard.press("n")
    expect(page.locator("#ws-coding")).to_contain_text("Café talk")
    page.keyboard.press("Delete")
    expect(page.locator(".stripe")).to_have_count(4)
    assert not Coding.objects.filter(quote="Café talk").exists()
    page.keyboard.press("Control+z")
    expect(page.locator(".stripe")).to_have_count(5)
    assert Coding.objects.filter(quote="Café talk", code__key="OUT.HOPE").exists()

    # The help lists the shortcuts.
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    assert page.script_errors == []


ACCENTS = (
    "Interviewer: Zoe\u0308 asked about the n\u0308ame and the cafe\u0301 today.\n\n"
    "Maria: Ye\u0301s, the 👩\u200d⚕️ doctor said q\u0303uite a lot 🙂 then.\n\n"
    "Interviewer: Go on.\n"
)


def test_offsets_across_turns_and_combining_accents(page: Any, study: Study, lead: Any) -> None:
    interview = make_interview(study=study, text=ACCENTS, by=lead)
    text = interview.text
    assert "Zoë" in text
    assert "n\u0308ame" in text
    login(page, "coder")
    open_workspace(page, interview.pk)

    # Across the turn boundary: from "n̈ame" in the interviewer's turn to "doctor" in Maria's.
    drag_select(page, "n\u0308ame", "doctor")
    shown = selection_text(page)
    page.keyboard.press("c")
    page.keyboard.type("VAL.CON")
    page.keyboard.press("Enter")
    expect(page.locator(".stripe")).to_have_count(1)
    coding = Coding.objects.get()
    start = text.index("n\u0308ame")
    end = text.index("doctor") + len("doctor")
    assert (coding.start, coding.end) == (start, end)
    assert coding.quote == text[start:end]
    assert " ".join(coding.quote.split()) == " ".join(shown.split())

    # A grapheme with a combining mark that has no precomposed form, after an emoji sequence.
    drag_select(page, "q\u0303uite")
    assert selection_text(page) == "q\u0303uite"
    page.keyboard.press("c")
    page.keyboard.type("hope")
    page.keyboard.press("Enter")
    expect(page.locator(".stripe")).to_have_count(2)
    accent = Coding.objects.get(code__key="OUT.HOPE")
    assert accent.quote == "q\u0303uite"
    assert accent.start == text.index("q\u0303uite")
    assert highlighted(page)[-1] == "q\u0303uite"
    assert page.script_errors == []


def test_another_coders_work_arrives_live_and_nobody_loses_theirs(
    page: Any, browser: Any, live_server: Any, study: Study, interview: Interview, coder2: Any
) -> None:
    login(page, "coder")
    open_workspace(page, interview.pk, "?layer=all")
    other = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    try:
        page2 = other.new_page()
        login(page2, "coder2")
        open_workspace(page2, interview.pk, "?layer=all")

        # Both code at the same time, different passages.
        drag_select(page, "We met at the clinic")
        drag_select(page2, "she listened to every word")
        page.keyboard.press("c")
        page.keyboard.type("VAL.CON")
        page.keyboard.press("Enter")
        page2.keyboard.press("c")
        page2.keyboard.type("full att")
        page2.keyboard.press("Enter")
        # Each sees the other's coding within a few seconds, without reloading.
        expect(page.locator(".stripe")).to_have_count(2, timeout=10_000)
        expect(page2.locator(".stripe")).to_have_count(2, timeout=10_000)
        assert Coding.objects.count() == 2

        # An update while the coder is selecting text keeps the selection in place.
        drag_select(page, "She explained the diabetes")
        start, end = span_of(interview, "diabetes with a drawing")
        coding = codings_bulk_create(
            interview=interview,
            coder=coder2,
            items=[CodingInput(code(study, "POW.EDU").pk, start, end)],
        )[0]
        expect(page.locator(".stripe")).to_have_count(3, timeout=10_000)
        assert selection_text(page) == "She explained the diabetes"
        coding_delete(coding=coding, actor=coder2)
        expect(page.locator(".stripe")).to_have_count(2, timeout=10_000)
        assert page.script_errors == []
    finally:
        other.close()


def test_deep_links_scroll_to_a_span_and_open_a_coding(
    page: Any, study: Study, lead: Any, coder2: Any
) -> None:
    turns = "".join(
        f"Interviewer: Question {n}?\n\nMaria: Answer number {n} is long enough to wrap a line "
        f"or two in the workspace, so that the page really has to scroll to reach it.\n\n"
        for n in range(40)
    )
    interview = make_interview(study=study, text=turns, by=lead)
    start, end = span_of(interview, "Answer number 37 is long enough")
    login(page, "lead")
    open_workspace(page, interview.pk, f"?layer=mine#span-{start}-{end}")
    target = page.locator("#transcript .mk-target")
    expect(target.first).to_be_in_viewport()
    assert "".join(target.all_text_contents()) == "Answer number 37 is long enough"

    coding = codings_bulk_create(
        interview=interview,
        coder=coder2,
        items=[CodingInput(code(study, "ABI.CONT").pk, *span_of(interview, "Answer number 33"))],
    )[0]
    # Not in the lead's own layer: the page finds the coding's layer and opens it there.
    open_workspace(page, interview.pk, f"#coding-{coding.pk}")
    expect(page.locator("#ws-coding")).to_contain_text("ABI.CONT")
    expect(page.locator("#ws-coding .ws-quote")).to_have_text("Answer number 33")
    assert "layer=coder" in page.url
    assert f"coder={coder2.pk}" in page.url
    expect(page.locator("#transcript .mk-selected").first).to_be_in_viewport()
    assert page.script_errors == []


def test_a_viewer_sees_no_coding_controls_and_the_api_refuses_their_writes(
    page: Any, study: Study, interview: Interview, coder: Any
) -> None:
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[CodingInput(code(study, "VAL").pk, *span_of(interview, "We met at the clinic"))],
    )
    login(page, "viewer")
    open_workspace(page, interview.pk)
    expect(page.locator("#ws-layer")).to_have_value("all")
    expect(page.locator(".stripe")).to_have_count(1)
    expect(page.locator("#ws-layer-note")).to_contain_text("viewer")
    assert page.locator(".ws-code-apply").count() == 0
    expect(page.locator("#ws-memo-form")).to_be_hidden()

    drag_select(page, "she listened to every word")
    expect(page.locator("#ws-selection")).to_be_visible()
    expect(page.locator("#ws-selection-actions")).to_be_hidden()
    expect(page.locator("#ws-toolbar")).to_be_hidden()
    page.keyboard.press("c")
    page.keyboard.press("1")
    page.keyboard.press("t")
    expect(page.locator("#ws-picker")).to_be_hidden()

    page.locator(".stripe").click()
    expect(page.locator("#ws-coding")).to_contain_text("Read-only")
    assert page.get_by_role("button", name=re.compile("^Delete")).count() == 0
    page.keyboard.press("Delete")

    status = csrf_post(
        page,
        "/api/v1/codings/",
        {"interview": interview.pk, "code_key": "VAL", "start": 0, "end": 4},
    )
    assert status == 403
    assert Coding.objects.count() == 1
    assert page.script_errors == []


XSS_TRANSCRIPT = (
    "Interviewer: <script>window.__pwned = 'script'</script> Tell me.\n\n"
    "Maria: <img src=x onerror=\"window.__pwned = 'img'\"> and "
    "<a href=\"javascript:window.__pwned = 'link'\">click me</a> <b>bold</b>\n\n"
    "Interviewer: <svg onload=\"window.__pwned = 'svg'\"></svg> &amp; done?\n"
)


def test_an_xss_transcript_renders_as_inert_text(
    page: Any, study: Study, lead: Any, coder: Any
) -> None:
    interview = make_interview(study=study, text=XSS_TRANSCRIPT, by=lead)
    evil = "<img src=x onerror=\"window.__pwned = 'name'\">"
    Turn.objects.filter(interview=interview, index=1).update(speaker=evil)
    code_update(code=code(study, "VAL"), actor=lead, name=evil)
    memo_create(
        study=study,
        author=lead,
        title=evil,
        body="<script>window.__pwned='memo'</script>",
        interview=interview,
    )
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[CodingInput(code(study, "VAL").pk, *span_of(interview, "click me"), memo=evil)],
    )
    login(page, "coder")
    open_workspace(page, interview.pk)

    expect(page.get_by_text("<script>window.__pwned = 'script'</script> Tell me.")).to_be_visible()
    expect(page.locator("#transcript")).to_contain_text('<a href="javascript:')
    for selector in ("img", "script", "a", "svg", "b"):
        assert page.locator(f"#transcript {selector}").count() == 0, selector
    for panel in ("#ws-codebook", "#ws-memo-list", "#ws-margin"):
        assert page.locator(f"{panel} img, {panel} script").count() == 0, panel
    expect(page.locator("#ws-memo-list")).to_contain_text("<script>window.__pwned='memo'</script>")
    expect(page.locator("#ws-codebook")).to_contain_text(evil)
    assert evil in page.locator("#turn-1").get_attribute("aria-label")

    page.get_by_text("click me").click()  # the coding: its details, memo and code name
    expect(page.locator("#ws-coding")).to_contain_text(evil)
    page.locator(".stripe").hover()
    expect(page.locator("#ws-tip")).to_contain_text(evil)
    assert page.evaluate("window.__pwned") is None
    assert page.url.endswith(f"#coding-{Coding.objects.get().pk}")
    assert page.script_errors == []  # no dialog opened, no script error


def test_layers_for_a_lead_and_blind_coding_for_a_coder(
    page: Any, study: Study, interview: Interview, coder: Any, coder2: Any
) -> None:
    val = code(study, "VAL").pk
    codings_bulk_create(interview=interview, coder=coder, items=[CodingInput(val, 0, 11)])
    codings_bulk_create(
        interview=interview, coder=coder2, items=[CodingInput(val, *span_of(interview, "We met"))]
    )
    login(page, "lead")
    open_workspace(page, interview.pk)
    expect(page.locator(".stripe")).to_have_count(0)
    page.locator("#ws-layer").select_option(label="All coders")
    expect(page.locator(".stripe")).to_have_count(2)
    page.locator("#ws-layer").select_option(label="Ben Clarke's codings")
    expect(page.locator(".stripe")).to_have_count(1)
    expect(page.locator("#ws-layer-note")).to_contain_text("read-only")
    assert f"coder={coder2.pk}" in page.url
    page.locator("#ws-layer").select_option(label="Consensus")
    expect(page.locator(".stripe")).to_have_count(0)
    expect(page.locator("#ws-layer-note")).to_contain_text("settled version")
    drag_select(page, "She explained the diabetes")
    page.keyboard.press("c")
    page.keyboard.type("POW.EDU")
    page.keyboard.press("Enter")
    expect(page.locator(".stripe")).to_have_count(1)
    settled = Coding.objects.get(code__key="POW.EDU")
    assert settled.layer == "consensus"
    assert settled.quote == "She explained the diabetes"

    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    page.get_by_role("button", name="Log out").click()
    login(page, "coder")
    open_workspace(page, interview.pk, "?layer=all")
    # Blind: "all" is refused, the page falls back to the coder's own layer.
    expect(page.locator("#ws-error")).to_be_visible()
    expect(page.locator("#ws-error")).to_contain_text("Blind coding")
    expect(page.locator("#ws-layer")).to_have_value("mine")
    options = page.locator("#ws-layer option").all_text_contents()
    assert options == ["My codings", "Consensus"]
    expect(page.locator(".stripe")).to_have_count(1)
    assert page.script_errors == []


def test_memos_on_the_interview_and_on_a_coding(
    page: Any, study: Study, interview: Interview, coder: Any
) -> None:
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[CodingInput(code(study, "VAL").pk, *span_of(interview, "We met at the clinic"))],
    )
    login(page, "coder")
    open_workspace(page, interview.pk)
    page.get_by_label("Memo", exact=True).fill("Maria trusts the clinic from the first visit.")
    page.get_by_role("button", name="Add memo").click()
    expect(page.locator("#ws-memo-list")).to_contain_text("Maria trusts the clinic")
    assert interview.memos.get().body == "Maria trusts the clinic from the first visit."

    page.keyboard.press("n")
    page.keyboard.press("m")
    page.keyboard.type("Borderline: also connecting.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#ws-toast")).to_contain_text("Note saved")
    assert Coding.objects.get().memo == "Borderline: also connecting."
    assert page.script_errors == []


def test_no_serious_accessibility_violations_on_the_workspace_and_the_study_overview(
    page: Any, study: Study, interview: Interview, coder: Any
) -> None:
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[
            CodingInput(code(study, "VAL").pk, *span_of(interview, "We met at the clinic")),
            CodingInput(code(study, "OUT.HOPE").pk, *span_of(interview, "the clinic in 2009")),
        ],
    )
    login(page, "coder")
    open_workspace(page, interview.pk)
    page.keyboard.press("n")  # a coding selected: its panel is shown
    assert axe_violations(page) == []
    drag_select(page, "she listened to every word")
    page.keyboard.press("c")  # the picker open
    expect(page.locator("#ws-picker")).to_be_visible()
    assert axe_violations(page) == []
    page.goto("/studies/study/")
    assert axe_violations(page) == []
    assert page.script_errors == []


def test_inactive_codes_cannot_be_applied(page: Any, study: Study, interview: Interview) -> None:
    Code.objects.filter(codebook__study=study, key="OUT.HOPE").update(is_active=False)
    login(page, "coder")
    open_workspace(page, interview.pk)
    hope = code(study, "OUT.HOPE")
    assert page.locator(f'.ws-code-apply[data-code="{hope.pk}"]').count() == 0
    drag_select(page, "We met")
    page.keyboard.press("c")
    page.keyboard.type("hope")
    expect(page.locator("#ws-picker-list")).to_contain_text("No code matches")
    page.keyboard.press("Escape")
    expect(page.locator("#ws-picker")).to_be_hidden()
    assert selection_text(page) == "We met"  # the selection comes back after the picker


def test_a_session_that_ends_is_said_so(page: Any, study: Study, interview: Interview) -> None:
    from django.contrib.sessions.models import Session

    login(page, "coder")
    open_workspace(page, interview.pk)
    Session.objects.all().delete()  # logged out elsewhere, or expired
    expect(page.locator("#ws-error")).to_contain_text("session has ended", timeout=10_000)
    expect(page.locator("#ws-live")).to_have_text("Signed out")
    page.get_by_role("link", name="Log in again").click()
    page.wait_for_url("**/accounts/login/**")
    assert f"next=/interviews/{interview.pk}/" in page.url.replace("%2F", "/")


def test_a_key_pressed_before_the_next_frame_acts_on_the_new_selection(
    page: Any, study: Study, interview: Interview, coder: Any
) -> None:
    # The page draws a selection change at the next animation frame; on a busy machine a key
    # can arrive first. Select and press C in one task, so no frame can come in between.
    login(page, "coder")
    open_workspace(page, interview.pk)
    page.evaluate(
        """() => {
          const walker = document.createTreeWalker(
            document.getElementById("transcript"), NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode()) && !node.data.includes("the clinic")) {}
          const start = node.data.indexOf("the clinic");
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + "the clinic".length);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          document.dispatchEvent(new KeyboardEvent("keydown", { key: "c", bubbles: true }));
        }"""
    )
    expect(page.locator("#ws-picker-title")).to_have_text("Code the selected text")
    assert page.script_errors == []


def _drag_to_label(page: Any, start: str, label_occurrence: int) -> None:
    """Drag from the first character of ``start`` into the middle of a speaker label (its
    ``label_occurrence``-th "Interviewer" in the drawn text)."""
    first = locate(page, start)
    label = locate(page, "Interviewer", label_occurrence)
    page.mouse.move(first["x1"], first["y1"])
    page.mouse.down()
    page.mouse.move(label["x1"] + 20, label["y1"], steps=4)
    page.mouse.move((label["x1"] + label["x2"]) / 2, label["y2"], steps=3)
    page.mouse.up()


def test_a_selection_or_span_edit_never_swallows_the_next_speaker_label(
    page: Any, study: Study, interview: Interview, coder: Any
) -> None:
    start, end = span_of(interview, "We met at the clinic")
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[CodingInput(code(study, "OUT.HOPE").pk, start, end)],
    )
    login(page, "coder")
    open_workspace(page, interview.pk)
    # Labels cannot be selected (a coding already on a label is still drawn).
    labels = page.locator("#transcript .ws-label")
    assert labels.first.evaluate("(l) => getComputedStyle(l).userSelect") == "none"

    # A selection dragged on into the next turn's label stops at the end of this turn.
    _drag_to_label(page, "she listened", 1)
    expect(page.locator("#ws-selection-quote")).to_have_text("she listened to every word.")

    # So does a span edit.
    page.keyboard.press("Escape")
    page.locator('.stripe[aria-label*="OUT.HOPE"]').click()
    page.get_by_role("button", name=re.compile("^Edit span")).click()
    _drag_to_label(page, "We met", 1)
    page.get_by_role("button", name="Save span").click()
    said = "We met at the clinic in 2009 and she listened to every word."
    expect(page.locator("#ws-coding .ws-quote")).to_have_text(said)
    coding = Coding.objects.get()
    assert coding.quote == said
    assert (coding.start, coding.end) == span_of(interview, said)
    turn = Turn.objects.get(interview=interview, index=1)
    assert coding.end == turn.end
    assert page.script_errors == []


def test_code_column_headers_name_the_code_on_hover_and_focus(
    page: Any, study: Study, interview: Interview, coder: Any
) -> None:
    items = [
        CodingInput(code(study, key).pk, *span_of(interview, words))
        for key, words in (("OUT.HOPE", "We met"), ("VAL.PRES.ATT", "she listened"))
    ]
    codings_bulk_create(interview=interview, coder=coder, items=items)
    login(page, "coder")
    open_workspace(page, interview.pk)
    columns = page.locator(".ws-col")
    expect(columns).to_have_count(2)
    # In codebook order: VAL.PRES.ATT, then OUT.HOPE.
    hope = code(study, "OUT.HOPE")
    attention = code(study, "VAL.PRES.ATT")
    first = columns.first
    assert first.get_attribute("aria-label") == f"Column of VAL.PRES.ATT {attention.name}"
    assert first.get_attribute("title") == f"VAL.PRES.ATT {attention.name}"
    assert first.get_attribute("tabindex") == "0"
    assert columns.nth(1).get_attribute("tabindex") == "-1"
    # Keyboard focus shows the full name in the tooltip; arrow keys move to the next column.
    first.focus()
    tip = page.locator("#ws-tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(f"VAL.PRES.ATT {attention.name}")
    expect(tip).to_contain_text("1 coding in this layer")
    page.keyboard.press("ArrowRight")
    expect(columns.nth(1)).to_be_focused()
    expect(tip).to_contain_text(f"OUT.HOPE {hope.name}")
    # Hover too.
    columns.nth(1).evaluate("(column) => column.blur()")
    expect(tip).to_be_hidden()
    columns.first.hover()
    expect(tip).to_contain_text(f"VAL.PRES.ATT {attention.name}")
    assert axe_violations(page) == []
    assert page.script_errors == []

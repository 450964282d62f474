"""In a real browser: a reader asks, reads, switches audience and opens a cited passage; an editor
signs in and approves the article, and the pending banner goes.

`BEDSIDE_SCREENSHOTS=1` (re)writes the screenshots in docs/screenshots/ that the README shows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bedside.compose.sections import HEADINGS
from bedside.domain import Audience
from bedside.review.workflow import Role
from bedside.service import Service

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

# Read at import: the autouse `bedside_home` fixture clears every BEDSIDE_* variable.
SCREENSHOTS = os.environ.get("BEDSIDE_SCREENSHOTS") == "1"
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

SEED_TREATMENT = "What are the treatment options for disc space loss in the lumbar spine?"
PENDING_BANNER = "Educational purpose only • Exercise caution as content is pending human review"
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.browser,
    # The browser and the server talk over localhost; nothing else may be reached.
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.timeout(120),
]


def screenshot(page: Page, name: str) -> None:
    """The page from the top, at most 1600 pixels of it (articles run long; PNGs stay small)."""
    if SCREENSHOTS:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        height = min(page.evaluate("document.documentElement.scrollHeight"), 1600)
        page.evaluate("window.scrollTo(0, 0)")
        clip = {"x": 0, "y": 0, "width": 1200, "height": height}
        page.screenshot(path=SCREENSHOT_DIR / name, full_page=True, clip=clip)


def section_headings(page: Page, audience: Audience, *, only: bool = False) -> Locator:
    """The article's section headings worded for `audience` (`only`: not for the other)."""
    clinician = {names[0] for names in HEADINGS.values()}
    patient = {names[1] for names in HEADINGS.values()}
    wanted = clinician if audience is Audience.CLINICIAN else patient
    if only:
        wanted -= patient if audience is Audience.CLINICIAN else clinician
    pattern = "|".join(re.escape(name) for name in sorted(wanted))
    return page.get_by_role("heading", name=re.compile(f"^(?:{pattern})$"))


def test_reader_asks_and_editor_approves(
    page: Page, live_server: str, served_service: Service
) -> None:
    from playwright.sync_api import expect

    served_service.add_user("editor1", PASSWORD, Role.EDITOR)
    pending = page.get_by_text(PENDING_BANNER)

    # A clinician asks the seed question from the home page.
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Ask a clinical question", level=1)).to_be_visible()
    page.get_by_label("Your clinical question").fill(SEED_TREATMENT)
    page.locator("#ask-audience-clinician").check()
    page.get_by_role("button", name="Ask", exact=True).click()
    page.wait_for_url(re.compile(r"/answers/[^/]+$"))
    clinician_url = page.url

    expect(page.get_by_role("heading", name=SEED_TREATMENT, level=1)).to_be_visible()
    expect(page.locator(".article-title")).not_to_be_empty()
    expect(page.locator(".bottom-line strong")).not_to_be_empty()
    expect(pending).to_be_visible()
    expect(section_headings(page, Audience.CLINICIAN).first).to_be_visible()
    screenshot(page, "article-clinician.png")

    # The audience selector re-asks the question for a patient, in plain language.
    page.locator("#switch-audience-patient").check()
    page.get_by_role("button", name="Show it for me").click()
    page.wait_for_url(lambda url: url != clinician_url and "/answers/" in url)
    expect(page.locator("#switch-audience-patient")).to_be_checked()
    # Headed in plain words, and by no heading that only clinicians get.
    expect(section_headings(page, Audience.PATIENT).first).to_be_visible()
    expect(section_headings(page, Audience.CLINICIAN, only=True)).to_have_count(0)
    expect(page.get_by_role("heading", name="Important", level=2)).to_be_visible()
    screenshot(page, "article-patient.png")

    # A citation number leads to its reference, whose cited passage opens.
    citation = page.locator("sup.cites a").first
    target = citation.get_attribute("href")
    assert target is not None and target.startswith("#ref-")
    citation.click()
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    reference = page.locator(target)
    expect(reference).to_be_in_viewport()
    passage = reference.locator("details blockquote").first
    expect(passage).to_be_hidden()
    reference.locator("details summary").click()
    expect(reference.locator("details")).to_have_attribute("open", "")
    expect(passage).to_be_visible()
    expect(passage).not_to_be_empty()

    # An editor signs in and sees both articles in the review queue.
    page.get_by_role("link", name="Review board sign in").click()
    page.get_by_label("Username").fill("editor1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/review$"))
    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    expect(page.get_by_text("Signed in as editor1 (editor)")).to_be_visible()
    rows = page.locator("table tbody tr").filter(has_text=SEED_TREATMENT)
    expect(rows).to_have_count(2)
    screenshot(page, "review-queue.png")

    # The editor starts the review of the clinician article and approves it.
    rows.filter(has=page.get_by_role("cell", name="clinician", exact=True)).get_by_role(
        "link"
    ).click()
    page.wait_for_url(clinician_url + "#review")
    panel = page.locator("#review")
    expect(panel).to_contain_text("Status: Submitted")
    expect(panel.get_by_role("button", name="Approve")).to_have_count(0)
    panel.get_by_role("button", name="Start review").click()
    expect(page.get_by_role("status")).to_have_text("Start review: done.")
    expect(panel).to_contain_text("Status: Under review")
    approval = panel.get_by_role("group", name="Approve and publish")
    expect(approval.get_by_label("Title", exact=True)).not_to_have_value("")
    approval.get_by_label("Approval note").fill("Checked against the sources.")
    approval.get_by_role("button", name="Approve").click()
    expect(approval.get_by_role("checkbox")).to_be_focused()  # the checklist is required
    approval.get_by_role("checkbox").check()
    approval.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_have_text("Approve: done.")

    expect(panel).to_contain_text("Status: Approved")
    expect(page.locator(".stepper [aria-current=step]")).to_contain_text("Approved")
    expect(pending).to_have_count(0)
    expect(panel.locator(".audit-log")).to_contain_text("Checked against the sources.")

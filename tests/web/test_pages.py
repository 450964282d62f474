"""The HTML pages, in process: status, content type and what a reader must be able to see."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from markupsafe import escape

from bedside.service import Service
from bedside.web.pages.home import topic_question
from bedside.web.pages.preferences import AUDIENCE_COOKIE

SEED_TREATMENT = "What are the treatment options for disc space loss in the lumbar spine?"
OUT_OF_SCOPE = "What is the capital of Australia?"
CAUDA_EQUINA = "Low back pain and now numbness between my legs and I can't pee. What should I do?"
AskPage = Callable[..., str]  # the `ask_page` fixture
PENDING_BANNER = "Educational purpose only • Exercise caution as content is pending human review"


def page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


def test_home_has_the_ask_form_and_topics(client: TestClient) -> None:
    html = page(client, "/")
    assert '<form class="ask-form" method="post" action="/ask">' in html
    assert 'name="q"' in html and 'maxlength="1000"' in html
    assert "Which best describes you?" in html
    assert "Degenerative disc disease" in html
    assert "/ask?q=How+is+" in html
    assert "No articles have been approved" in html


def test_topic_questions_keep_acronyms() -> None:
    assert topic_question("Acute low back pain") == "How is acute low back pain managed?"
    assert topic_question("COPD") == "How is COPD managed?"


def test_asking_redirects_to_the_article(client: TestClient) -> None:
    response = client.post("/ask", data={"q": SEED_TREATMENT}, follow_redirects=False)
    assert response.status_code == 303
    assert re.fullmatch(r"/answers/[0-9a-f]{32}", response.headers["location"])


def test_a_link_shows_the_form_filled_in_and_creates_no_article(
    client: TestClient, bundled: Service
) -> None:
    # A link planted on another site: the reader sees the question and decides to ask.
    before = len(bundled.review_queue())
    response = client.get("/ask", params={"q": "planted words", "audience": "patient"})
    assert response.status_code == 200
    assert ">planted words</textarea>" in response.text
    assert 'value="patient" checked' in response.text
    assert len(bundled.review_queue()) == before


def test_seed_question_gives_an_article_page(client: TestClient, ask_page: AskPage) -> None:
    answer_id = ask_page(SEED_TREATMENT)
    html = page(client, f"/answers/{answer_id}")
    assert f'<h1 id="question">{SEED_TREATMENT}</h1>' in html
    assert PENDING_BANNER in html
    for step in ("Submitted", "Under Review", "Approved"):
        assert f'<span class="step-label">{step}</span>' in html
    assert 'aria-current="step"' in html
    assert "Last updated:" in html and 'href="/policy"' in html
    assert "Which best describes you?" in html
    assert 'value="clinician" checked' in html
    assert '<p class="bottom-line"><strong>' in html
    assert 'href="#ref-1"' in html and 'id="ref-1"' in html
    assert '<p class="ref-type ref-type-guideline">Guideline</p>' in html
    assert 'href="https://doi.org/' in html
    assert 'name="follow_up_of" value="' + answer_id + '"' in html
    assert "Professional disclaimer" in html
    assert f'href="/api/answers/{answer_id}"' in html


def test_every_cited_passage_is_readable_without_javascript(
    client: TestClient, ask_page: AskPage, bundled: Service
) -> None:
    answer_id = ask_page(SEED_TREATMENT)
    html = page(client, f"/answers/{answer_id}")
    assert "<script" not in html
    answer = bundled.get_answer(answer_id)
    details = html.split("<details>")[1:]
    assert len(details) == len(answer.references)
    first = answer.references[0]
    passage_text = bundled.get_passage(first.passage_ids[0]).passage.text
    assert escape(passage_text) in details[0]
    assert "<summary>Cited passage" in details[0]


def test_every_section_and_bullet_is_shown(
    client: TestClient, ask_page: AskPage, bundled: Service
) -> None:
    answer_id = ask_page(SEED_TREATMENT)
    html = page(client, f"/answers/{answer_id}")
    answer = bundled.get_answer(answer_id)
    for section in answer.sections:
        assert f'<h3 id="section-{section.section_id}">' in html
        for statement in section.statements:
            assert escape(statement.shown) in html
    bullets = sum(len(section.statements) for section in answer.sections)
    assert html.count('<sup class="cites">') == bullets + 1  # and the bottom line
    assert answer.title in html


def test_switching_audience_re_asks_for_a_patient_and_remembers_it(
    client: TestClient, ask_page: AskPage, bundled: Service
) -> None:
    clinician_id = ask_page(SEED_TREATMENT)
    response = client.post(
        "/ask", data={"q": SEED_TREATMENT, "audience": "patient"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert f"{AUDIENCE_COOKIE}=patient" in response.headers["set-cookie"]
    assert "HttpOnly" in response.headers["set-cookie"]
    patient_id = response.headers["location"].removeprefix("/answers/")
    assert patient_id != clinician_id
    assert bundled.get_answer(patient_id).audience.value == "patient"
    html = page(client, f"/answers/{patient_id}")
    assert 'value="patient" checked' in html
    assert "Important" in html and "not medical advice for you" in html
    # The cookie now picks the audience of the next question.
    next_id = ask_page("What helps chronic low back pain?")
    assert bundled.get_answer(next_id).audience.value == "patient"
    assert 'value="patient" checked' in page(client, "/")


def test_follow_up_link_and_form_ask_in_context(
    client: TestClient, ask_page: AskPage, bundled: Service
) -> None:
    first_id = ask_page(SEED_TREATMENT)
    follow_up_id = ask_page("When is surgery considered?", follow_up_of=first_id)
    assert bundled.get_answer(follow_up_id).follow_up_of == first_id
    html = page(client, f"/answers/{follow_up_id}")
    assert f'<input type="hidden" name="follow_up_of" value="{first_id}">' in html


def test_related_questions_link_to_ask(client: TestClient, ask_page: AskPage) -> None:
    html = page(client, f"/answers/{ask_page(SEED_TREATMENT)}")
    assert "Related questions" in html
    assert re.search(r'<li><a href="/ask\?q=[^"]+&amp;audience=clinician">', html)


def test_out_of_scope_question_gives_a_refusal_page(client: TestClient, ask_page: AskPage) -> None:
    html = page(client, f"/answers/{ask_page(OUT_OF_SCOPE)}")
    assert f'<h1 id="question">{OUT_OF_SCOPE}</h1>' in html
    assert "This is outside what Bedside answers" in html
    assert "<code>out_of_scope</code>" in html
    assert "general-knowledge" in html
    assert PENDING_BANNER not in html and "References" not in html
    assert '<form class="ask-form"' in html


def test_red_flag_question_puts_the_urgent_banner_first(
    client: TestClient, ask_page: AskPage
) -> None:
    html = page(client, f"/answers/{ask_page(CAUDA_EQUINA, audience='patient')}")
    banner = html.index('<div class="urgent" role="alert">')
    assert banner < html.index("<header") < html.index("<main")
    assert "emergency" in html[banner : html.index("</div>", banner)].lower()


def test_question_with_markup_is_escaped(client: TestClient, ask_page: AskPage) -> None:
    question = "<script>alert(1)</script> What helps chronic low back pain?"
    html = page(client, f"/answers/{ask_page(question)}")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_or_too_long_question_shows_the_form_with_an_error(client: TestClient) -> None:
    for question, message in (("  ", "Type a question"), ("x" * 1001, "limited to 1000")):
        response = client.post("/ask", data={"q": question})
        assert response.status_code == 422
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert message in response.text and 'aria-invalid="true"' in response.text


def test_unknown_answer_page_is_an_html_404_for_browsers(client: TestClient) -> None:
    response = client.get("/answers/nope", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<code>not_found</code>" in response.text


def test_policy_page(client: TestClient) -> None:
    html = page(client, "/policy")
    assert '<h1 id="policy-heading">Editorial policy</h1>' in html
    for words in ("How an article is written and checked", "Under review", "Not medical advice"):
        assert words in html


def test_problem_type_pages_describe_error_codes(client: TestClient) -> None:
    assert "Too many requests" in page(client, "/problems/rate_limited")
    assert client.get("/problems/nonsense").status_code == 404


def test_stylesheet_is_served_with_a_print_section(client: TestClient) -> None:
    response = client.get("/static/bedside.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "@media print" in response.text

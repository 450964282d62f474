"""Docs stay true: every setting, CLI command and reader is documented."""

from __future__ import annotations

from conftest import REPO_ROOT
from pydantic import BaseModel

from bedside import registry
from bedside.cli import cli
from bedside.cli.reference import cli_reference
from bedside.config import Settings, settings_reference

DOCS = REPO_ROOT / "docs"


def setting_paths(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str]]:
    paths = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths += setting_paths(annotation, f"{prefix}{name}.")
        else:
            paths.append((f"{prefix}{name}", field.description or ""))
    return paths


def test_settings_reference_is_current() -> None:
    assert (DOCS / "settings.md").read_text() == settings_reference(), (
        "regenerate with: bedside config docs > docs/settings.md"
    )


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text() == cli_reference(), (
        "regenerate with: bedside config docs --commands > docs/cli.md"
    )


def test_every_setting_is_documented_with_its_description() -> None:
    text = (DOCS / "settings.md").read_text()
    for path, description in setting_paths(Settings):
        assert description, f"setting {path} has no description"
        assert f"`{path}`" in text and description in text, f"{path} missing from settings.md"


def test_every_reader_is_documented() -> None:
    text = (DOCS / "formats.md").read_text()
    for name in registry.backend_names("reader"):
        assert f"`{name}`" in text, f"reader {name} missing from formats.md"


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    for name, command in cli.commands.items():
        subcommands = getattr(command, "commands", None)
        for sub in subcommands or [None]:
            invocation = f"bedside {name}" + (f" {sub}" if sub else "")
            assert invocation in readme, f"'{invocation}' is not in the README"


def test_readme_starts_with_the_two_setup_commands_and_ci_runs_the_second() -> None:
    lines = (REPO_ROOT / "README.md").read_text().splitlines()
    block = lines[lines.index("```bash") + 1 : lines.index("```bash") + 3]
    # Install and ask: first use builds the knowledge base (no `ingest --bundled`, no torch).
    assert "pip install -e . &&" in block[0] and "bedside ask" in block[0]
    assert "ingest" not in block[0] and "embed" not in block[0]
    assert block[1].endswith("pytest")
    assert block[1] in (REPO_ROOT / ".ci" / "run").read_text()


def test_every_answer_json_field_is_documented(bundled) -> None:  # type: ignore[no-untyped-def]
    from bedside.compose.article import answer_to_json

    text = (DOCS / "answers.md").read_text()
    answer = answer_to_json(bundled.ask("What helps chronic low back pain?"))
    for field in answer:
        assert f"`{field}`" in text, f"answer field {field} missing from docs/answers.md"
    for field in answer["sections"][0]["bullets"][0]:
        assert f"{field}" in text, f"bullet field {field} missing from docs/answers.md"
    for field in answer["references"][0]:
        assert field in text, f"reference field {field} missing from docs/answers.md"


def test_the_ranking_weights_in_the_docs_are_the_ones_used() -> None:
    from bedside.compose import ranking

    text = " ".join((DOCS / "answers.md").read_text().split())
    paragraph = text[text.index("**Ranking by relevance to the frame**") :]
    paragraph = paragraph[: paragraph.index("**Bottom line.**")]
    for name in (
        "WORDS_WEIGHT",
        "POPULATION_WEIGHT",
        "INTERVENTION_WEIGHT",
        "SECTION_WEIGHT",
        "DOSE_WEIGHT",
        "LEVEL_WEIGHT",
        "OTHER_POPULATION_PENALTY",
        "OTHER_SUBTYPE_PENALTY",
        "OTHER_LINE_PENALTY",
        "NEXT_STEP_WEIGHT",
        "DISTINCTIVE_WEIGHT",
    ):
        value = f"{getattr(ranking, name):g}"
        assert value in paragraph, f"{name} = {value} is not in docs/answers.md's ranking section"

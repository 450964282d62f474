"""The `bedside` command, through Click's runner: exit codes, output and what was stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bedside.cli import cli
from bedside.config import Settings
from bedside.store.sqlite import load_migrations
from bedside.testing.builders import make_pubmed_articles, make_pubmed_xml


def ingest_sample(runner: CliRunner, tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "set.xml"
    path.write_text(make_pubmed_xml(make_pubmed_articles(3)))
    result = runner.invoke(cli, ["ingest", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_ingest_json_summary(cli_runner: CliRunner, tmp_path: Path) -> None:
    summary = ingest_sample(cli_runner, tmp_path)
    assert summary["documents"] == {
        "added": 3, "unchanged": 0, "updated": 0, "deleted": 0, "skipped": 0,
    }  # fmt: skip
    assert summary["passages_added"] == 3
    again = ingest_sample(cli_runner, tmp_path)
    assert again["documents"]["unchanged"] == 3  # type: ignore[index]


def test_ingest_text_summary_and_error_exit_code(cli_runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_text("")
    result = cli_runner.invoke(cli, ["ingest", str(empty)])
    assert result.exit_code == 1
    assert "empty.xml: empty file" in result.output
    assert "documents: 0 added" in result.output


def test_ingest_without_paths_is_a_usage_error(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["ingest"])
    assert result.exit_code == 2
    assert "PATH" in result.output


def test_ingest_bundled_cards(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["ingest", "--bundled", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["documents"]["added"] > 50 and not summary["errors"]


def test_kb_stats(cli_runner: CliRunner, tmp_path: Path, bedside_home: Path) -> None:
    ingest_sample(cli_runner, tmp_path)
    result = cli_runner.invoke(cli, ["kb", "stats", "--json"])
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert stats["current_documents"] == 3
    assert stats["documents_by_origin"] == {"pubmed": 3}
    assert stats["path"] == str(bedside_home / "kb" / "default.sqlite")
    text = cli_runner.invoke(cli, ["kb", "stats"])
    assert "3 current documents" in text.output


def test_home_and_kb_options_choose_the_file(cli_runner: CliRunner, tmp_path: Path) -> None:
    home = tmp_path / "elsewhere"
    result = cli_runner.invoke(cli, ["--home", str(home), "--kb", "trial", "kb", "stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)  # first use built it: the bundled cards
    assert stats["path"] == str(home / "kb" / "trial.sqlite")
    assert stats["documents_by_origin"] == {"card": stats["current_documents"]}
    bad = cli_runner.invoke(cli, ["--kb", "../escape", "kb", "stats"])
    assert bad.exit_code == 1 and "store.kb" in bad.output


def test_kb_show_by_key_and_passage_json(cli_runner: CliRunner, tmp_path: Path) -> None:
    ingest_sample(cli_runner, tmp_path)
    shown = cli_runner.invoke(cli, ["kb", "show", "pubmed:1000", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["document"]["pmid"] == "1000"
    passage_id = data["passages"][0]["passage_id"]
    text = cli_runner.invoke(cli, ["kb", "show", data["document"]["document_id"]])
    assert "Fictional study number 0 of exercise" in text.output
    passage = cli_runner.invoke(cli, ["kb", "passage", passage_id, "--json"])
    assert passage.exit_code == 0
    view = json.loads(passage.output)
    assert view["passage"]["text"].startswith("This fictional study 0 enrolled 10 people.")
    assert view["document"]["title"] == "Fictional study number 0 of exercise"
    assert view["document"]["source"] == "Journal of Imaginary Medicine"


def test_unknown_ids_are_clear_errors(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["kb", "passage", "psg_nope"])
    assert result.exit_code == 1
    assert "no passage with id 'psg_nope'" in result.output


def test_config_show_includes_fingerprint(cli_runner: CliRunner, bedside_home: Path) -> None:
    result = cli_runner.invoke(cli, ["config", "show"])
    data = json.loads(result.output)
    assert len(data["fingerprint"]) == 16
    assert data["home"] == str(bedside_home)


def test_db_migrate_reports_the_schema(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["db", "migrate"])
    latest = load_migrations()[-1].number
    assert result.exit_code == 0 and f"schema version {latest}" in result.output


# -- ask ------------------------------------------------------------------------------------------

SEED = "What are the treatment options for disc space loss in the lumbar spine?"


def test_ask_prints_an_article_with_references(
    cli_runner: CliRunner, bundled_settings: Settings
) -> None:
    home = ["--home", str(bundled_settings.home)]
    result = cli_runner.invoke(cli, [*home, "ask", SEED])
    assert result.exit_code == 0, result.output
    assert "Bottom line:" in result.output and "References" in result.output
    assert "pending human review" in result.output


def test_ask_json_has_the_documented_fields(
    cli_runner: CliRunner, bundled_settings: Settings
) -> None:
    home = ["--home", str(bundled_settings.home)]
    result = cli_runner.invoke(cli, [*home, "ask", SEED, "--audience", "patient", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for field in ("kind", "answer_id", "question", "audience", "title", "bottom_line", "sections",
                  "references", "urgent", "related_questions", "follow_up_questions", "review",
                  "refusal", "settings_fingerprint"):  # fmt: skip
        assert field in data, field
    assert data["audience"] == "patient" and data["kind"] == "answer"
    follow = cli_runner.invoke(
        cli, [*home, "ask", "What about surgery?", "--follow-up", data["answer_id"], "--json"]
    )
    assert follow.exit_code == 0, follow.output
    assert json.loads(follow.output)["follow_up_of"] == data["answer_id"]


def test_ask_refusal_and_bad_input(cli_runner: CliRunner, bundled_settings: Settings) -> None:
    home = ["--home", str(bundled_settings.home)]
    refused = cli_runner.invoke(cli, [*home, "ask", "What is the capital of Australia?"])
    assert refused.exit_code == 0 and "out_of_scope" in refused.output
    empty = cli_runner.invoke(cli, [*home, "ask", "  "])
    assert empty.exit_code != 0 and "question" in empty.output
    unknown = cli_runner.invoke(cli, [*home, "ask", "Back pain?", "--follow-up", "nope"])
    assert unknown.exit_code != 0 and "nope" in unknown.output


# -- first use -------------------------------------------------------------------------------------


def test_ask_on_an_empty_home_builds_the_knowledge_base_then_answers(
    cli_runner: CliRunner, bedside_home: Path
) -> None:
    first = cli_runner.invoke(cli, ["ask", SEED, "--json"])
    assert first.exit_code == 0, first.output
    assert "building the knowledge base from the bundled guideline cards" in first.stderr
    answer = json.loads(first.stdout)
    assert answer["kind"] == "answer" and answer["references"]
    second = cli_runner.invoke(cli, ["ask", SEED, "--json"])
    assert second.exit_code == 0 and second.stderr == ""  # built once
    stats = json.loads(cli_runner.invoke(cli, ["kb", "stats", "--json"]).stdout)
    assert set(stats["documents_by_origin"]) == {"card"}


def test_search_on_an_empty_home_builds_the_knowledge_base(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["search", "lumbar disc degeneration", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"]


def test_two_processes_starting_together_build_once(bedside_home: Path) -> None:
    # Real processes, as two terminals (or `serve` and `ask`) would start them.
    command = [sys.executable, "-m", "bedside", "kb", "stats", "--json"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=240) for process in started]
    assert [process.returncode for process in started] == [0, 0], outputs
    builds = [stderr for _, stderr in outputs if "building the knowledge base" in stderr]
    assert len(builds) == 1, outputs
    first, second = (json.loads(stdout) for stdout, _ in outputs)
    assert first["current_documents"] == second["current_documents"] > 25

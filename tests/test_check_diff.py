"""`check --diff`: what a topic change does, on a real git repository with two commits,
the report's text pinned; and the warnings a reviewer wants."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import FIXTURES, ingest_mini


def git(project, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(project):
    """The mini fixture in a git repository on main (commit 1), then a branch whose one
    commit adds a topic, narrows a phrase and adds an id, and removes a topic (commit 2)."""
    ingest_mini(project)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "one")
    git(project, "checkout", "-q", "-b", "topics")
    topics = project.data / "topics"
    (topics / "sparsity.yml").write_text("name: Sparsity\ndescription: Sparse models.\ninclude:\n  - sparse\n")
    agents = (topics / "agents.yml").read_text()
    agents = agents.replace("  - agents\n", "  - tool use\n").replace("add:\n", "add:\n  - sparse-mixture-of-experts-at-scale\n")
    (topics / "agents.yml").write_text(agents)
    (topics / "mixture-of-experts.yml").unlink()
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "two")
    return project


REPORT = """\
data/topics/agents.yml: Agents: 3 papers
data/topics/diffusion.yml: Diffusion: 1 paper
data/topics/sparsity.yml: Sparsity: 1 paper
topic changes since {since}: 3 topic(s)
data/topics/agents.yml: Agents (agents): 3 -> 3 papers (+1 -1)
  + SPARSE MIXTURE OF EXPERTS AT SCALE [sparse-mixture-of-experts-at-scale]: add: sparse-mixture-of-experts-at-scale (line 8)
  - Agents That Cite Their Sources [2503.04321]: include phrase 'agents' was taken out or changed
data/topics/mixture-of-experts.yml: Mixture of experts (mixture-of-experts): removed, had 1 paper
  - SPARSE MIXTURE OF EXPERTS AT SCALE [sparse-mixture-of-experts-at-scale]: the topic file was removed
data/topics/sparsity.yml: Sparsity (sparsity): new topic, 1 paper
  + SPARSE MIXTURE OF EXPERTS AT SCALE [sparse-mixture-of-experts-at-scale]: include phrase 'sparse' (line 4)
check: 0 error(s), 0 warning(s)
"""


def test_the_report_names_each_paper_gained_and_lost_and_the_rule(repo):
    first = git(repo, "rev-parse", "--short", "HEAD~1")
    result = repo.ok("check", "--diff", "HEAD~1")
    assert result.out == REPORT.format(since=f"HEAD~1 ({first})")
    assert result.err == ""


def test_without_a_revision_it_compares_with_where_the_branch_left_main(repo):
    first = git(repo, "rev-parse", "--short", "HEAD~1")
    assert repo.ok("check", "--diff").out == REPORT.format(since=first)


def test_the_job_summary_is_markdown_with_links_to_the_entries(repo):
    summary = repo.root / "summary.md"
    summary.write_text("(earlier steps)\n")
    repo.ok("check", "--diff", "main", "--summary", summary)
    first = git(repo, "rev-parse", "--short", "main")
    text = summary.read_text()
    assert text.startswith(f"(earlier steps)\n## Topic changes since `main ({first})`\n\n0 error(s), 0 warning(s); 3 topic(s) changed.\n")
    assert (
        "### Agents (`agents`): 3 -> 3 papers (+1 -1)\n\n| | Paper | Why |\n| --- | --- | --- |\n"
        "| gained | [SPARSE MIXTURE OF EXPERTS AT SCALE](http://127.0.0.1:8000/dates/2025-03-19/#sparse-mixture-of-experts-at-scale) "
        "| add: sparse-mixture-of-experts-at-scale (line 8) |\n"
        "| lost | [Agents That Cite Their Sources](http://127.0.0.1:8000/dates/2025-03-20/#arxiv-2503-04321) "
        "| include phrase 'agents' was taken out or changed |\n"
    ) in text


def test_a_long_report_is_cut_with_a_count_of_what_is_left_out(project):
    shutil.copy(FIXTURES / "topics" / "diffusion.yml", project.data / "topics")
    project.ok("ingest", FIXTURES / "hf" / "api_daily_papers_month_2024-09.json", today="2024-09-30")
    for name in ("agents.yml", "mixture-of-experts.yml"):
        (project.data / "topics" / name).unlink()
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "one")
    (project.data / "topics" / "models.yml").write_text("name: Models\ndescription: x\ninclude:\n  - model\n")
    result = project.ok("check", "--diff", "main")
    assert "data/topics/models.yml: Models (models): new topic, 153 papers" in result.out
    assert "  ... and 133 more\n" in result.out
    assert len([line for line in result.out.splitlines() if line.startswith("  + ")]) == 20


def test_errors_first_then_the_report(repo):
    (repo.data / "topics" / "sparsity.yml").write_text("name: Sparsity\ndescription: x\nincludes:\n  - sparse\n")
    result = repo.run("check", "--diff", "main")
    assert result.code == 1
    assert "data/topics/sparsity.yml:3: unknown key 'includes'; did you mean 'include'?" in result.err
    assert "topic changes: not compared until the errors above are fixed\n" in result.out


def test_a_revision_that_is_not_one_is_named(repo):
    result = repo.run("check", "--diff", "no-such-branch")
    assert (result.code, result.err) == (1, "--diff: 'no-such-branch' is not a revision of this git repository\n")


def test_warnings_a_reviewer_wants(project):
    project.ok("ingest", FIXTURES / "hf" / "api_daily_papers_month_2024-09.json", today="2024-09-30")
    topics = project.data / "topics"
    for name in ("agents.yml", "mixture-of-experts.yml", "diffusion.yml"):
        (topics / name).unlink()
    (topics / "broad.yml").write_text("name: Broad\ndescription: x\ninclude:\n  - model\nadd:\n  - 2409.12186\n")
    (topics / "coder.yml").write_text("name: Coder\ndescription: x\ninclude:\n  - qwen2 5 coder\nexclude:\n  - olmoe\n")
    (topics / "olmoe.yml").write_text("name: OLMoE\ndescription: x\ninclude:\n  - olmoe\n")
    err = project.run("check").err
    assert (
        "data/topics/broad.yml:4: warning: include phrase 'model' matches 153 of 254 papers (60%); "
        "a phrase that broad hardly picks out a topic: make it more specific" in err
    )
    assert "data/topics/broad.yml:6: warning: add: 2409.12186 is tagged by an include phrase already; this line can go" in err
    assert (
        "data/topics/coder.yml:6: warning: exclude phrase 'olmoe' removes no paper from the topic: "
        "none of the 1 paper(s) it matches is tagged by an include phrase" in err
    )
    assert "data/topics/coder.yml:1: warning: every one of the topic's" not in err  # one paper: too few to say
    assert "data/topics/olmoe.yml" not in err


def test_a_topic_inside_another_is_warned_about(project):
    project.ok("ingest", FIXTURES / "hf" / "api_daily_papers_month_2024-09.json", today="2024-09-30")
    for name in ("agents.yml", "mixture-of-experts.yml", "diffusion.yml"):
        (project.data / "topics" / name).unlink()
    (project.data / "topics" / "qwen.yml").write_text("name: Qwen\ndescription: x\ninclude:\n  - qwen2\n")
    (project.data / "topics" / "models.yml").write_text("name: Models\ndescription: x\ninclude:\n  - model\n")
    err = project.run("check").err
    assert (
        "data/topics/qwen.yml:1: warning: every one of the topic's 2 papers is also in 'Models' (models); "
        "is it a topic of its own, or part of that one?" in err
    )


def test_the_report_is_the_same_with_the_matches_generate_kept_damaged_ones_or_none(project):
    """check tags with the phrase matches the last generate kept in .cache/: papers it
    matched are not matched again. The report must not depend on them."""
    ingest_mini(project)
    topic = project.data / "topics" / "agents.yml"
    rules = topic.read_text()
    topic.write_text(rules.replace("include:\n", "include:\n  - sparse\n"))  # a rule that brings a paper
    expected = project.run("check")
    assert "topics/agents.yml: Agents: 4 papers" in expected.out, expected
    project.ok("generate")
    matches = project.root / ".cache" / "matches.json"
    kept = matches.read_text()
    assert project.run("check") == expected  # with them
    assert kept.count('"value":{') == 1
    matches.write_text(kept.replace('"value":{', '"value":{"not a digest":[10000],', 1))
    assert project.run("check") == expected  # with a damaged one
    matches.write_bytes(b"\x00not json")
    assert project.run("check") == expected  # unreadable
    assert matches.read_bytes() == b"\x00not json"  # and check writes none of its own
    # Kept for other rules: not used for these.
    project.ok("generate")
    topic.write_text(rules)
    fewer = project.run("check")
    assert "topics/agents.yml: Agents: 3 papers" in fewer.out, fewer
    shutil.rmtree(project.root / ".cache")
    assert project.run("check") == fewer

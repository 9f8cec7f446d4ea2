"""One search contract in two languages: the generator writes the index in Python and
the site reads it in JavaScript (docs/javascripts/search-text.js), so both must fold,
tokenize, hash, key typos and decode lists alike. Python's answers for a few hundred
drawn strings (hostile Unicode included) and lists are written to a contract file, and
Node's test runner checks the script gives the same (tools/test/search-text.test.mjs).
The last tests change one side and see the check fail."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from generator.render import related_files, search, search_filters

NODE_TEST = REPO / "tools" / "test" / "search-text.test.mjs"
SCRIPT = REPO / "docs" / "javascripts" / "search-text.js"

# Characters whose folding or length differ between naive implementations: accents,
# ligatures, full-width forms, final sigma, dotted I, sharp s, astral letters and
# emoji (two UTF-16 units), combining marks alone, controls, surrogates' neighbours,
# digits of other scripts, and the dots and underscores a token may or may not hold.
HOSTILE = (
    "éÉèçñÅøæœﬁﬂﬀ　ＡＢＣ１２３ΣσςΑΣ İıßẞǅ𝐀𝐁𝔘😀👩‍🔬🇩🇪\u0301\u0308\u200b\u00ad\ufeff"
    "٣४໒Ⅻ½²_.-–—'’\"\\/\t\n \x00\x1b\x7f\ufffd\uffff\U0010fffd\u202e"
)
WORDS = ["diffusion", "Transformers", "LLaMA-3.1", "GPT-4o", "v2.5", "naïve", "Schrödinger", "über", "façade", "Ωmega", "模型", "学習"]


def drawn_strings(count: int, seed: int = 2026) -> list[str]:
    """`count` strings, the same every run: words, hostile characters and their mixes."""
    rng = random.Random(seed)
    alphabet = HOSTILE + "abcdefghijklmnopqrstuvwxyz0123456789 "
    out = [*WORDS, HOSTILE, *HOSTILE]
    while len(out) < count:
        pieces = [
            rng.choice(WORDS) if rng.random() < 0.4 else "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
            for _ in range(rng.randint(1, 4))
        ]
        out.append(rng.choice([" ", "", "-", "."]).join(pieces))
    return out[:count]


def drawn_lists(count: int, seed: int = 7) -> list[list[int]]:
    """Sorted number sets, sparse (gaps win) and dense (the bitmap wins)."""
    rng = random.Random(seed)
    lists = [[], [0], [7], [8], [0, 1, 2, 3, 4, 5, 6, 7, 8]]
    while len(lists) < count:
        top = rng.choice([10, 100, 5_000, 200_000])
        lists.append(sorted(rng.sample(range(top), rng.randint(1, min(top, rng.choice([3, 40, 400]))))))
    return lists


def contract(strings: list[str], lists: list[list[int]], fnv1a=related_files.fnv1a, fold=search.worker_fold) -> dict:
    """Python's answers: what the generator does with each input."""
    cases = [
        {
            "text": text,
            "fold": fold(text),
            "tokens": search.tokens(text),
            "length": len(text),
            "first_letter": text[:1],
            "fnv1a": fnv1a(text),
        }
        for text in strings
    ]
    terms = sorted({t for text in strings for t in search.tokens(text)})
    return {
        "MIN_PREFIX": search.MIN_PREFIX,
        "strings": cases,
        "terms": [{"term": t, "typo_keys": list(search.typo_keys(t))} for t in terms],
        "lists": [{"numbers": numbers, "encoded": search_filters.encode(numbers)} for numbers in lists],
    }


def node_test(contract_file: Path, script: Path = SCRIPT) -> subprocess.CompletedProcess:
    assert shutil.which("node"), "the contract test needs Node.js (make test installs the tools; .ci/run installs node)"
    env = {**os.environ, "CONTRACT": str(contract_file), "SEARCH_TEXT": str(script)}
    return subprocess.run(["node", "--test", str(NODE_TEST)], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def contract_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("contract") / "search-contract.json"
    path.write_text(json.dumps(contract(drawn_strings(400), drawn_lists(60)), ensure_ascii=True))
    return path


def test_the_script_keeps_the_contract(contract_file):
    result = node_test(contract_file)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 5" in result.stdout and "# fail 0" in result.stdout, result.stdout


def test_the_contract_holds_what_it_claims(contract_file):
    written = json.loads(contract_file.read_text())
    assert len(written["strings"]) == 400 and len(written["lists"]) == 60
    assert len(written["terms"]) > 300
    assert any(len(c["text"].encode("utf-16-le")) // 2 != c["length"] for c in written["strings"])  # astral characters drawn
    assert any(c["fold"] != c["text"].lower() for c in written["strings"])  # accents and ligatures folded
    assert {next(iter(c["encoded"])) for c in written["lists"]} == {"gaps", "bits"}  # both encodings read


def test_a_changed_fold_in_the_script_fails_the_check(contract_file, tmp_path):
    changed = tmp_path / "search-text.js"
    changed.write_text(SCRIPT.read_text().replace('text.normalize("NFKD")', 'text.normalize("NFC")'))
    result = node_test(contract_file, changed)
    assert result.returncode != 0
    assert "fold(" in result.stdout and "# fail" in result.stdout and "# fail 0" not in result.stdout


def test_a_changed_hash_in_the_generator_fails_the_check(tmp_path):
    def other_fnv1a(text: str) -> int:  # FNV-1 (multiply, then xor): the classic mix-up
        value = 0x811C9DC5
        for byte in text.encode("utf-8"):
            value = ((value * 0x01000193) & 0xFFFFFFFF) ^ byte
        return value

    path = tmp_path / "contract.json"
    path.write_text(json.dumps(contract(drawn_strings(50), drawn_lists(5), fnv1a=other_fnv1a), ensure_ascii=True))
    result = node_test(path)
    assert result.returncode != 0
    assert "fnv1a(" in result.stdout

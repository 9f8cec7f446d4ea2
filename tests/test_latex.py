"""Every LaTeX-residue rule, and the text each must leave alone."""

import pytest

from generator.render.latex import repair


@pytest.mark.parametrize(
    "before, after",
    [
        ("a 1.3times sampling speedup", "a 1.3× sampling speedup"),
        ("5-10times less memory", "5-10× less memory"),
        ("a 4times70 grid", "a 4×70 grid"),
        ("with 2times fewer FLOPs and 10times more data", "with 2× fewer FLOPs and 10× more data"),
        ("scale them to sim 1B parameters", "scale them to ~1B parameters"),
        ("sim7B models", "~7B models"),
        ("(sim 30%)", "(~30%)"),
    ],
)
def test_residue_is_repaired(before, after):
    assert repair(before) == after


@pytest.mark.parametrize(
    "text",
    [
        "it is 3 times faster",
        "sometimes it fails",
        "runtimes and timestamps",
        "a times table",
        "SIM card 4 slots",
        "sim-to-real transfer in 2 steps",
        "we simulate 5 agents",
        "a sim of 3 robots",
        "x times 2",
    ],
)
def test_plain_english_is_left_alone(text):
    assert repair(text) == text

"""The README's Python examples run as written, and its set-up commands are the ones CI uses."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_readme_python_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "the README must show a short example"
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {})


def test_readme_shows_both_setup_commands_and_ci_uses_them():
    assert "proofs-check run --all" in README
    assert 'pip install -e ".[test]" && python -m pytest' in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'pip install --quiet -e ".[test]"' in ci and "python -m pytest" in ci

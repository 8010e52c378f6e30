"""The README's commands work when pasted as written, on a fresh clone."""

import importlib.util
import re

from tests.conftest import REPO

README = (REPO / "README.md").read_text()
COMMANDS = [
    line.split("  #")[0].strip()
    for block in re.findall(r"```bash\n(.*?)```", README, re.S)
    for line in block.splitlines()
    if line.strip() and not line.strip().startswith("#")
]


def test_the_readme_opens_with_the_command_that_installs_and_starts_the_app_then_the_test_command():
    assert COMMANDS[0] == (
        "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/streamlit run app.py"
    )
    assert COMMANDS[1] == "bash scripts/test.sh"


def test_no_command_gives_a_variable_to_only_the_first_of_several_commands():
    for command in COMMANDS:
        assert not re.match(r"^[A-Z_]+=\S+ [^|]*&&", command), command


def test_python_streamlit_and_pip_run_from_the_checkouts_virtual_environment():
    for command in COMMANDS:
        for program in re.findall(r"(?:^|&&|;)\s*(\S+)", command):
            assert program not in ("python", "streamlit", "pip"), command


def test_every_script_and_module_a_command_names_exists():
    for command in COMMANDS:
        for script in re.findall(r"\b((?:scripts|tools)/\S+\.(?:py|sh))", command):
            assert (REPO / script).is_file(), command
        for module in re.findall(r"-m ([\w.]+)", command):
            if module not in ("venv", "pip"):
                assert importlib.util.find_spec(module) is not None, command

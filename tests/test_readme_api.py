"""The README's Python API example runs as written and gives the numbers its comments promise."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _python_api_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "README has no python block under '## Python API'"
    return match.group(1)


def test_readme_python_api_example_runs(monkeypatch, _isolated_data_dir):
    monkeypatch.chdir(ROOT)  # the example opens criteria/… relative to the repository, as a reader would
    names: dict = {}
    exec(compile(_python_api_block(), "README.md#python-api", "exec"), names)  # noqa: S102
    report, band, region = names["report"], names["band"], names["region"]
    assert (report.total, report.band.code, report.band.zone) == (6.28, "E", "merah")
    assert (band.code, band.zone) == ("D", "merah")
    assert round(region.score, 2) == 73.68 and region.band.code == "C"

"""The command line as an analyst would use it, including every kind of bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wellled.spc.cli import main

SRC = Path(__file__).parents[2] / "src"
BREACHES = [1195, 1843, 1397, 1333, 1771, 1751, 2013, 1759, 2179, 2585, 1654, 1543, 1632, 1558, 1190, 1357, 1279,
            1683, 2190, 1804, 986, 2181, 2048, 2154]  # fmt: skip


def months(n: int) -> list[str]:
    return [f"{2016 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}-01" for i in range(n)]


@pytest.fixture
def breaches_csv(tmp_path: Path) -> Path:
    p = tmp_path / "breaches.csv"
    p.write_text(
        "period,breaches\n" + "".join(f"{d},{v}\n" for d, v in zip(months(24), BREACHES, strict=True))
    )
    return p


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_single_series(breaches_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([str(breaches_csv), "--direction", "decrease", "--target", "1200"], capsys)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 1
    s = data[0]
    assert (s["series"], s["variation"], s["assurance"]) == (None, "common_cause", "hit_or_miss")
    assert len(s["points"]) == 24 and s["points"][0]["date"] == "2016-04-01"
    assert set(s["points"][0]) == {"date", "value", "group", "mean", "lower_limit", "upper_limit", "rule",
                                   "point_type"}  # fmt: skip


def test_many_series_csv_output_and_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "long.csv"
    rows = [f"A,{d},{v}" for d, v in zip(months(24), BREACHES, strict=True)]
    rows += [f"B,{d},{v // 10}" for d, v in zip(months(20), BREACHES[:20], strict=True)]
    p.write_text("ward,month,count\n" + "\n".join(reversed(rows)) + "\n")
    out_file = tmp_path / "out.csv"
    code, out, err = run(
        [str(p), "--series-column", "ward", "--date-column", "month", "--value-column", "count",
         "--rebase", "2017-04-01", "--rebase", "2017-10-01", "--fix-after", "12", "--no-screen",
         "--format", "csv", "--out", str(out_file)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    lines = out_file.read_text().splitlines()
    assert lines[0].startswith("series,date,value,group,mean,lower_limit,upper_limit,rule,point_type")
    assert len(lines) == 1 + 24 + 20
    assert "fewer than 13" in err  # rebased groups are short


def test_json_mdc_excel_rules_and_annotation(breaches_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [str(breaches_csv), "--rules", "mdc_excel", "--annotate", "2017-01-01=new process"], capsys
    )
    assert code == 0
    assert json.loads(out)[0]["points"]


def test_p_chart_from_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Month", "Responded", "Sent"])
    for i in range(15):
        ws.append(
            [dt.datetime(2022, 1 + i % 12, 1) if i < 12 else dt.datetime(2023, i - 11, 1), 30 + i % 5, 100]
        )
    p = tmp_path / "survey.xlsx"
    wb.save(p)
    code, out, err = run(
        [str(p), "--value-column", "Responded", "--chart", "p", "--denominator-column", "Sent"], capsys
    )
    assert code == 0, err
    pts = json.loads(out)[0]["points"]
    assert pts[0]["date"] == "2022-01-01" and pts[0]["value"] == pytest.approx(0.30)


@pytest.mark.parametrize(
    ("content", "extra", "expected"),
    [
        ("date,value\n2021-01-01,5\n2021-02-01,lots\n", [], "row 3, column 'value': 'lots' is not a number"),
        ("date,value\n2021-01-01,5\n2021-01-01,6\n", [], "row 3, column 'date': date 2021-01-01 appears twice"),
        ("date,value\n2021-01-01,5\nyesterday,6\n", [], "row 3, column 'date': 'yesterday' is not a date"),
        ("date,value\n2021-01-01,5\n", ["--value-column", "breaches"], "row 1, column 'breaches': no value column"),
        ("", [], "row 1: the file is empty"),
        ("date,value\n", [], "row 2: the file has a header but no data rows"),
        ("date,n,d\n2021-01-01,5,0\n", ["--chart", "p", "--value-column", "n", "--denominator-column", "d"],
         "row 2, column 'd': the denominator must be positive"),
        ("date,n,d\n2021-01-01,5,4\n", ["--chart", "p", "--value-column", "n", "--denominator-column", "d"],
         "row 2, column 'n': the numerator '5' is larger than its denominator"),
        ("date,value\n2021-01-01,5\n", ["--chart", "u"], "p and u charts need --denominator-column"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, extra: list[str], expected: str
) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(content)
    code, out, err = run([str(p), *extra], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err
    assert "Traceback" not in err


def test_missing_file_and_bad_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([str(tmp_path / "nope.csv")], capsys)
    assert code == 2 and "no such file" in err
    code, _, err = run([str(tmp_path / "x.csv"), "--fix-after", "3"], capsys)
    assert code == 2 and "fix_after_n_points" in err
    assert main(["--chart", "xyz", "f.csv"]) == 2


def test_svg_and_png_output(breaches_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([str(breaches_csv), "--format", "svg", "--title", "A&E <breaches>"], capsys)
    assert code == 0 and out.startswith("<svg") and "A&amp;E &lt;breaches&gt;" in out
    png = tmp_path / "chart.png"
    code, _, _ = run([str(breaches_csv), "--format", "png", "--out", str(png)], capsys)
    assert code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_several_charts_need_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "two.csv"
    p.write_text(
        "series,date,value\n"
        + "".join(f"{s},{d},{v}\n" for s in "XY" for d, v in zip(months(13), BREACHES, strict=False))
    )
    code, _, err = run([str(p), "--format", "svg"], capsys)
    assert code == 2 and "--out DIRECTORY" in err
    code, _, _ = run([str(p), "--format", "svg", "--out", str(tmp_path / "charts")], capsys)
    assert code == 0 and sorted(x.name for x in (tmp_path / "charts").iterdir()) == ["X.svg", "Y.svg"]


def test_subprocess_python_m_wellled(breaches_csv: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    ok = subprocess.run(
        [sys.executable, "-m", "wellled", "spc", str(breaches_csv), "--direction", "decrease"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)[0]["variation"] == "common_cause"
    bad = tmp_path / "bad.csv"
    bad.write_text("date,value\n2021-01-01,x\n")
    fail = subprocess.run(
        [sys.executable, "-m", "wellled", "spc", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert fail.returncode == 2
    assert fail.stderr.strip().count("\n") == 0 and "row 2, column 'value'" in fail.stderr

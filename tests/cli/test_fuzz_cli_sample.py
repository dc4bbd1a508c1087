"""A quick sample of bench/fuzz_cli.py (issue 19): the cheapest of its most telling cases, run
by the bench's own functions, each `loupe` command in a subprocess on its own copy of one
trained project. None may print a traceback, hang, fail with anything but one `loupe: error:`
line, or change the project it failed on (or only read). The whole table runs with
`python bench/fuzz_cli.py`."""

from __future__ import annotations

import pytest

from bench import fuzz_cli

SAMPLE = (
    "predict-out-project-file",  # the predictions CSV over the project itself
    "export-labels-csv-out-project-file",
    "export-labels-csv-out-wal",
    "export-labels-csv-out-run-weights",
    "predict-fifo-in-folder",  # reading it would wait for a writer forever
    "import-fifo-in-folder",
    "import-non-utf8-name-in-folder",  # printed to a strict UTF-8 stdout
    "predict-garbage-weights",
    "predict-top-k-0",
    "train-epochs-0",
    "info-garbage-project",
)


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return fuzz_cli.build_fixture(tmp_path_factory.mktemp("fuzz-cli"))


def test_the_sample_names_cases_of_the_table():
    assert [case.name for case in fuzz_cli.by_name(SAMPLE)] == list(SAMPLE)


def test_hostile_arguments_and_inputs_fail_in_one_line_and_leave_the_project(fixture, tmp_path):
    results = fuzz_cli.run_cases(fuzz_cli.by_name(SAMPLE), fixture, tmp_path, jobs=2)

    counts = fuzz_cli.totals(results)
    report = "\n".join(fuzz_cli.table_lines(r for r in results if set(r.flags) & set(fuzz_cli.FAILING_FLAGS)))
    assert counts["cases"] == len(SAMPLE)
    flags = (*fuzz_cli.FAILING_FLAGS, fuzz_cli.MISMATCH)  # each case's exit status as expected too
    report = "\n".join(fuzz_cli.table_lines(r for r in results if set(r.flags) & set(flags)))
    assert {flag: counts[flag] for flag in flags} == dict.fromkeys(flags, 0), report

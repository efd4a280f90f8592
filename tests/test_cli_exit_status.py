"""The exit status from the findings' severities and ``--fail-on``: one pure function."""

from __future__ import annotations

import pytest

from cramplog.cli.exit_status import ExitStatus, FailOn, exit_status


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        ([], "never", ExitStatus.OK),
        (["warning"], "never", ExitStatus.OK),
        (["info", "caution", "warning"], FailOn.never, ExitStatus.OK),
        ([], "caution", ExitStatus.OK),
        ([], "warning", ExitStatus.OK),
        (["info"], "caution", ExitStatus.OK),
        (["caution"], "caution", ExitStatus.FINDINGS),
        (["info", "warning"], "caution", ExitStatus.FINDINGS),
        (["caution", "caution"], "warning", ExitStatus.OK),
        (["info", "caution"], FailOn.warning, ExitStatus.OK),
        (["caution", "warning"], "warning", ExitStatus.FINDINGS),
        (iter(["warning"]), "warning", ExitStatus.FINDINGS),
    ],
)
def test_exit_status_table(severities, fail_on, expected) -> None:
    assert exit_status(severities, fail_on) is expected


def test_exit_codes_are_the_documented_numbers() -> None:
    assert [int(s) for s in ExitStatus] == [0, 1, 2, 130]


def test_unknown_fail_on_is_refused() -> None:
    with pytest.raises(ValueError):
        exit_status(["warning"], "none")

"""Member status on a date."""

from __future__ import annotations

import datetime as dt

from docgen.model import Profile, roster


def test_statuses_of_the_example_roster(example_profile: Profile) -> None:
    day = dt.date(2026, 3, 10)
    statuses = {s.id: s for s in roster.roster_on(example_profile, day)}
    assert statuses["m01"].official and statuses["m01"].expected
    assert statuses["m21"].probationary and not statuses["m21"].official
    assert statuses["m20"].exempt and not statuses["m20"].expected
    assert statuses["m19"].temp_out and not statuses["m19"].expected
    assert statuses["t01"].temp_in and not statuses["t01"].counted
    assert len(roster.counted_on(example_profile, day)) == 22
    assert roster.exempt_reason(statuses["m20"].member, day) == "tuổi cao, sức khỏe yếu"
    assert roster.temp_out_where(statuses["m19"].member, day).startswith("Chi bộ Công ty")


def test_dates_bound_the_status(example_profile: Profile) -> None:
    m22 = example_profile.member("m22")
    m19 = example_profile.member("m19")
    assert m22 is not None and m19 is not None
    assert not roster.status_on(m22, dt.date(2025, 12, 21)).counted
    assert roster.status_on(m22, dt.date(2025, 12, 22)).probationary
    assert roster.status_on(m19, dt.date(2026, 6, 30)).temp_out
    assert not roster.status_on(m19, dt.date(2026, 7, 1)).temp_out
    assert len(roster.counted_on(example_profile, dt.date(2025, 10, 1))) == 21

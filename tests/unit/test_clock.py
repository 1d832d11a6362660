"""Clocks: the file clock lets separate processes share a moved time; local dates are Asia/Ho_Chi_Minh."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from services.runtime.clock import LOCAL_TZ, FileClock, clock_from_setting, local_today


def test_a_file_clock_follows_the_time_written_by_another_process(tmp_path):
    writer, reader = FileClock(tmp_path / "clock.txt"), FileClock(tmp_path / "clock.txt")
    assert abs(reader.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)  # no file: system time
    writer.set(datetime(2023, 7, 1, 8, 0, tzinfo=LOCAL_TZ))
    reader._checked = (float("-inf"), None)  # another process would see it within RECHECK_SECONDS
    assert abs(reader.now() - datetime(2023, 7, 1, 1, 0, tzinfo=timezone.utc)) < timedelta(seconds=5)
    writer.set(datetime(2024, 1, 1, tzinfo=timezone.utc))
    assert writer.now().year == 2024


def test_the_local_date_turns_at_midnight_in_vietnam_not_in_utc():
    assert str(local_today(datetime(2023, 6, 30, 17, 30, tzinfo=timezone.utc))) == "2023-07-01"
    assert str(local_today(datetime(2023, 6, 30, 16, 59, tzinfo=timezone.utc))) == "2023-06-30"


def test_the_clock_setting_is_system_or_a_file(tmp_path):
    assert isinstance(clock_from_setting(f"file:{tmp_path}/c.txt"), FileClock)
    try:
        clock_from_setting("tomorrow")
    except ValueError as error:
        assert "system" in str(error)
    else:
        raise AssertionError("a bad clock setting was accepted")

"""The fold's copies: a changed task is a new value with just those fields changed; the original stays as it was."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.unit.tasks.given import given


def test_a_changed_task_equals_what_dataclasses_replace_gives_and_leaves_the_original_alone():
    task = given()
    copy = task.changed(progress=40, missed=(date(2026, 11, 30),))
    assert copy == replace(task, progress=40, missed=(date(2026, 11, 30),))
    assert (task.progress, task.missed) == (0, ())
    assert copy.to_doc()["attention_on"] is None and task.to_doc()["attention_on"] == "2026-12-01"
    with pytest.raises(Exception):
        copy.progress = 1  # still frozen


def test_a_change_to_a_field_the_task_does_not_have_is_refused():
    with pytest.raises(TypeError, match="colour"):
        given().changed(colour="red")

"""The fold's copies: a changed task is a new value with just those fields changed; the original stays as it was."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from services.tasks.domain.task import FIELDS, Task
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


def test_a_snapshot_reads_back_as_the_same_task_with_its_fields_in_order():
    task = given().changed(missed=(date(2026, 11, 30),), support=("vp",), parts=({"agency_id": "vp"},))
    doc = task.to_doc()
    assert list(doc)[: len(FIELDS)] == list(FIELDS) and doc["missed"] == ["2026-11-30"] and doc["due"] == "2026-11-30"
    back = Task.from_doc(doc)
    assert back == task and back.to_doc() == doc
    assert back.support == ("vp",) and back.due == date(2026, 11, 30)
    with pytest.raises(Exception):
        back.progress = 1  # still frozen


def test_a_snapshot_written_before_newer_fields_takes_their_defaults_and_one_without_an_id_is_refused():
    doc = given().to_doc()
    old = {k: v for k, v in doc.items() if k not in ("transfers", "missed", "evidence", "attention_on")}
    assert Task.from_doc(old) == given()
    with pytest.raises(TypeError, match="task_id"):
        Task.from_doc({k: v for k, v in doc.items() if k != "task_id"})


def test_a_snapshot_with_a_key_that_is_no_field_reads_back_without_it_and_one_in_another_order_as_the_same_task():
    task = given().changed(progress=30, support=("vp",))
    doc = task.to_doc()
    assert Task.from_doc({**doc, "colour": "red"}) == task  # not taken for a field (the snapshot's fast path is exact)
    assert not hasattr(Task.from_doc({**doc, "colour": "red"}), "colour")
    shuffled = dict(reversed(list(doc.items())))
    assert Task.from_doc(shuffled) == task and Task.from_doc(shuffled).to_doc() == doc

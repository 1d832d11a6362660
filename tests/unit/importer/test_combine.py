"""How the line labeller's tasks join the rules' tasks: the "prefer" mode (importer/labeller/combine.py).

The plan below is round 17's blind failure in small: "Nhiệm vụ N:" paragraphs whose fields follow as sentences. The
rules read the second task as the tail of its field sentence ("thực hiện trong năm học …"); the labeller reads the
task's own text. Both find two tasks, so fill keeps the rules' tail; prefer takes the labeller's text and keeps the
rules' time.

    1  Nhiệm vụ 1: Rà soát, cập nhật số định danh cá nhân của học sinh trên cơ sở dữ liệu ngành.
    2  Phòng Giáo dục phổ thông chủ trì. Thời hạn hoàn thành chậm nhất là ngày 31/3/2026.
    3  Nhiệm vụ 2: Triển khai học bạ số đối với học sinh tiểu học trên toàn tỉnh.
    4  Phòng Giáo dục phổ thông chủ trì. Việc này được thực hiện trong năm học 2025 - 2026, hoàn thành trước ngày 31/5/2026.
"""
from __future__ import annotations

from importer.draft.model import DraftTask, Timing
from importer.labeller.combine import MODES, combine

FIRST = "Rà soát, cập nhật số định danh cá nhân của học sinh trên cơ sở dữ liệu ngành."
SECOND = "Triển khai học bạ số đối với học sinh tiểu học trên toàn tỉnh."
TAIL = "thực hiện trong năm học 2025 - 2026, hoàn thành trước ngày 31/5/2026."
LEAD = ["Phòng Giáo dục phổ thông"]


def _task(content: str, *, lead=LEAD, due: str | None = None, raw: str | None = None) -> DraftTask:
    return DraftTask(code="1", content=content, lead=list(lead), timing=Timing(raw=raw, due=due))


RULES = [(1, _task(FIRST, due="2026-03-31", raw="chậm nhất là ngày 31/3/2026")),
         (4, _task(TAIL, due="2026-05-31", raw="trước ngày 31/5/2026"))]
LABELLED = [(1, _task(FIRST)), (3, _task(SECOND))]


def _read(pairs):
    return [(task.content, task.lead, task.timing.due) for _, task in pairs]


def test_prefer_is_a_mode():
    assert "prefer" in MODES


def test_a_rule_task_that_is_a_sentences_tail_takes_the_labellers_text_and_keeps_its_time():
    right = [(FIRST, LEAD, "2026-03-31"), (SECOND, LEAD, "2026-05-31")]
    assert _read(combine(RULES, lambda: LABELLED, "prefer")) == right
    assert _read(combine(RULES, lambda: LABELLED, "fill")) != right  # fill keeps the rules' tail: the loss it mends


def test_a_tail_whose_block_the_rules_already_read_is_kept():
    """The labeller's task at line 3 is the rules' task too (same text): the lowercase rule task is the rules' own."""
    rules = RULES[:1] + [(3, _task(SECOND, due="2026-05-31")), (4, _task(TAIL))]
    assert _read(combine(rules, lambda: LABELLED, "prefer")) == _read(combine(rules, lambda: LABELLED, "fill"))
    assert TAIL in [content for content, _, _ in _read(combine(rules, lambda: LABELLED, "prefer"))]


def test_a_tail_before_every_labeller_task_is_kept():
    before = [(0, _task(TAIL))] + RULES[:1]
    assert _read(combine(before, lambda: LABELLED, "prefer"))[0][0] == TAIL


def test_only_a_labeller_task_that_reads_like_a_task_and_names_a_lead_replaces_a_tail():
    for labelled in ([(1, _task(FIRST)), (3, _task("triển khai học bạ số đối với học sinh tiểu học."))],
                     [(1, _task(FIRST)), (3, _task(SECOND, lead=[]))]):
        assert _read(combine(RULES, lambda labelled=labelled: labelled, "prefer"))[1][0] == TAIL


def test_one_tail_per_labeller_block():
    rules = RULES + [(5, _task("báo cáo kết quả về Sở trước ngày 15/12/2026."))]
    contents = [content for content, _, _ in _read(combine(rules, lambda: LABELLED, "prefer"))]
    assert contents == [FIRST, SECOND, "báo cáo kết quả về Sở trước ngày 15/12/2026."]

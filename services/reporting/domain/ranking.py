"""The ranking score: one number per unit or agency from completion, reporting on time and overdue days.

    score = 100 × (0.4 × C + 0.3 × R + 0.3 × (1 − P))

    C = completion rate (done ÷ fallen due); 1 when nothing has fallen due
    R = on-time reporting rate (reports received on time ÷ expected); 1 when nothing was expected
    P = min(1, overdue days per task fallen due ÷ 30): a unit whose overdue tasks are on average a
        month late (counted over all its fallen-due tasks) loses the whole 30 points

Higher is better; ties are broken by id. The formula travels with every ranking (FORMULA).
"""
from __future__ import annotations

from typing import Any, Mapping

WEIGHTS = {"completion": 0.4, "reporting_on_time": 0.3, "overdue": 0.3}
OVERDUE_DAYS_FOR_ZERO = 30
FORMULA = {
    "expression": "100 × (0.4 × C + 0.3 × R + 0.3 × (1 − min(1, D ÷ 30)))",
    "vi": "Điểm = 100 × (0,4 × tỷ lệ hoàn thành + 0,3 × tỷ lệ báo cáo đúng hạn + 0,3 × (1 − min(1, số ngày quá hạn bình quân ÷ 30))); "
          "tỷ lệ hoàn thành = số nhiệm vụ hoàn thành ÷ số nhiệm vụ đã đến hạn; số ngày quá hạn bình quân = tổng số ngày quá hạn ÷ số nhiệm vụ đã đến hạn.",
    "en": "score = 100 × (0.4 × completion rate + 0.3 × on-time reporting rate + 0.3 × (1 − min(1, average overdue days ÷ 30))); "
          "completion rate = done ÷ fallen due; average overdue days = total days overdue of open tasks ÷ tasks fallen due.",
    "weights": WEIGHTS,
    "overdue_days_for_zero": OVERDUE_DAYS_FOR_ZERO,
}


def score(figures: Mapping[str, Any]) -> dict[str, float]:
    """{score, completion, reporting_on_time, overdue_penalty} from fallen_due, completion_rate, overdue_days and the on-time reporting rate."""
    completion = figures["completion_rate"] if figures["completion_rate"] is not None else 1.0
    reporting = figures["on_time_reporting_rate"] if figures.get("on_time_reporting_rate") is not None else 1.0
    per_task = figures["overdue_days"] / max(1, figures["fallen_due"])
    penalty = min(1.0, per_task / OVERDUE_DAYS_FOR_ZERO)
    value = 100 * (WEIGHTS["completion"] * completion + WEIGHTS["reporting_on_time"] * min(1.0, reporting)
                   + WEIGHTS["overdue"] * (1 - penalty))
    return {"score": round(value, 2), "completion": completion, "reporting_on_time": reporting, "overdue_penalty": round(penalty, 4)}


def ranked(rows: list[dict]) -> list[dict]:
    """Rows with a `score` and an `id`, best first, each given its `rank` (1-based; equal scores share a rank)."""
    ordered = sorted(rows, key=lambda r: (-r["score"], r["id"]))
    previous, rank = None, 0
    for position, row in enumerate(ordered, start=1):
        if row["score"] != previous:
            rank, previous = position, row["score"]
        row["rank"] = rank
    return ordered

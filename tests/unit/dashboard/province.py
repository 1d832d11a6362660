"""A small province in reporting's read model: a district with two communes, tasks in every bucket.

Built by folding events through reporting's own projection (no hand-written documents), so the
pages read exactly what the running service would hold. Local day: 15/12/2026.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from schemas.directory import AgencyRegistered
from schemas.plans import PlanIssued, TaskAssigned, Timing
from services.reporting.handlers.escalations import follow_escalations
from services.reporting.handlers.project import project
from services.reporting.handlers.timeline import record_timelines
from services.runtime.memory_store import MemoryStore
from tests.unit.dashboard.live import acknowledged, raised, resolved, started
from tests.unit.reporting.events import completion, event, missed, status, unit

TODAY = date(2026, 12, 15)
NOW = datetime(2026, 12, 15, 2, 0, tzinfo=timezone.utc)  # 09:00 in Hà Nội
PROVINCE, DISTRICT, COMMUNE, OTHER = "tinh", "huyen", "xa-a", "xa-b"


CONTENT = {
    "a3": "Rà soát, đối chiếu, cập nhật dữ liệu hộ tịch vào Cơ sở dữ liệu quốc gia về dân cư, bảo đảm dữ liệu đúng, đủ, sạch, sống "
          "và hoàn thành việc số hóa sổ hộ tịch lưu trữ tại Ủy ban nhân dân xã trong năm 2026",
}


def assignment(task_id: str, unit_id: str, due: date | None = None, group: int = 5, **timing):
    content = CONTENT.get(task_id, f"Nhiệm vụ {task_id} triển khai Đề án 06")
    payload = TaskAssigned(task_id=task_id, plan_id="kh-1", unit_id=unit_id, code=task_id.upper(), content=content, group=group,
                           lead="ca-xa", support=["vp-xa"], timing=Timing(due=due, **timing))
    return event(f"task-{task_id}", 1, payload)


async def province_store() -> MemoryStore:
    store = MemoryStore()
    events = [
        unit(PROVINCE, None, "province"), unit(DISTRICT, PROVINCE, "district"),
        unit(COMMUNE, DISTRICT), unit(OTHER, DISTRICT),
        event("agency-ca-xa", 1, AgencyRegistered(agency_id="ca-xa", unit_id=COMMUNE, name="Công an xã A", head_title="Trưởng Công an xã")),
        event("plan-kh-1", 1, PlanIssued(plan_id="kh-1", unit_id=COMMUNE, number="45/KH-UBND", title="Kế hoạch Đề án 06 năm 2026",
                                         issued_on=date(2026, 1, 10))),
        # commune A: done on time, done late, overdue (40 days), due soon, not yet due, blocked, waiting, ongoing
        assignment("a1", COMMUNE, date(2026, 3, 31)), completion("a1", 2, date(2026, 3, 20), date(2026, 3, 31), True),
        assignment("a2", COMMUNE, date(2026, 6, 30)), completion("a2", 2, date(2026, 8, 5), date(2026, 6, 30), False),
        assignment("a3", COMMUNE, date(2026, 11, 5), group=4), missed("a3", 2, date(2026, 11, 5), COMMUNE),
        assignment("a4", COMMUNE, date(2026, 12, 20)),
        assignment("a5", COMMUNE, date(2027, 3, 31)), status("a5", 2, "blocked", 10),
        assignment("a6", COMMUNE, None, condition="Khi có hướng dẫn của Bộ Công an"),
        assignment("a7", COMMUNE, None, recurring=True),
        # commune B: one done on time, one overdue for 200 days
        assignment("b1", OTHER, date(2026, 4, 30)), completion("b1", 2, date(2026, 4, 28), date(2026, 4, 30), True),
        assignment("b2", OTHER, date(2026, 5, 29)), missed("b2", 2, date(2026, 5, 29), OTHER),
    ]
    await project(events, store)
    # notify's items: a3 reached the chairman (rung 2) and was acknowledged; b2's item was resolved
    a3, b2 = date(2026, 11, 5), date(2026, 5, 29)
    escalations = [
        started("a3", COMMUNE, a3, at=date(2026, 11, 6)), raised("a3", COMMUNE, a3, 1, 2, at=date(2026, 11, 6)),
        raised("a3", COMMUNE, a3, 2, 3, at=date(2026, 11, 13)), acknowledged("a3", a3, 4, f"{COMMUNE}.unit_head", date(2026, 12, 31), at=date(2026, 11, 14)),
        started("b2", OTHER, b2, at=date(2026, 5, 30)), raised("b2", OTHER, b2, 1, 2, at=date(2026, 5, 30)), resolved("b2", b2, 3, date(2026, 6, 2)),
    ]
    await follow_escalations(escalations, store)
    await record_timelines([*events, *escalations], store)
    return store

"""A national installation on a running tiendo: the official directory, a province plan per province and a
commune plan per commune derived from the seed plans, tasks spread over 2026-2027.

Derivation: the commune plans repeat the tasks of the Tế Lợi commune plan (57 tasks, agency-headed
sections), the province plans those of the Hà Quảng district plan (55 tasks) lifted one level up;
each seed lead is mapped onto the unit's official agencies (Công an → police, Văn phòng → office,
Tư pháp → justice…), groups follow the seed's five utility groups by position, and due dates keep
the seed's shape (quarter and month ends, "thường xuyên" recurring, "ngay sau khi…" conditions)
moved into 2026-2027 with a per-commune offset, so deadlines fall on realistic report days rather
than one instant. Contacts are left out (notify has no bulk endpoint yet).

Usage against the embedded run: python bench/national_dataset.py [--tasks-per-commune 60] [--province 04]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import Callable

import httpx

from keys import as_role
from services.embedded.processes import Layout
from services.plans.entrypoints.directory_cli import load as load_directory
from services.plans.official_directory import official_directory

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
COMMUNE_SEED, PROVINCE_SEED = "te-loi-commune-plan-2023", "ha-quang-district-plan-2022"
COMMUNE_LEADS = [("công an", "ca"), ("văn phòng", "vp"), ("tiếp nhận", "mc"), ("văn hóa", "vhtt"), ("tư pháp", "tp"),
                 ("tài chính", "tckt"), ("địa chính", "dc"), ("lao động", "ldtbxh"), ("đoàn thanh niên", "dtn")]
PROVINCE_LEADS = [("công an", "ca"), ("văn phòng", "vp"), ("tư pháp", "stp"), ("tài chính", "stc"), ("y tế", "syt"),
                  ("giáo dục", "sgddt"), ("nội vụ", "snv"), ("bảo hiểm", "bhxh"), ("khoa học", "skhcn"), ("thông tin", "skhcn")]
DIRECTORY_BATCH_UNITS = 150  # units (with their agencies) per POST /directory: under the 1 MiB body limit
DUE_DAYS = [date(y, m, d) for y in (2026, 2027) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31), (1, 31), (4, 30), (7, 31), (10, 31))]


def seed_tasks(name: str, seeds: Path = SEEDS) -> list[dict]:
    return json.loads((seeds / f"{name}.expected.json").read_text(encoding="utf-8"))["tasks"]


def _agency(names: list[str], table: list[tuple[str, str]], unit_id: str) -> str:
    for name in names:
        for word, key in table:
            if word in name.lower():
                return f"{key}-{unit_id}"
    return f"vp-{unit_id}"


def plan_for(unit: dict, seed: list[dict], count: int, table: list[tuple[str, str]], rng: random.Random) -> dict:
    tasks = []
    for n in range(count):
        t = seed[n % len(seed)]
        lead = _agency(t["lead"], table, unit["unit_id"])
        support = sorted({_agency([s], table, unit["unit_id"]) for s in t["support"]} - {lead})[:2]
        timing = {"raw": t["timing"]["raw"], "recurring": t["timing"]["recurring"], "condition": t["timing"]["condition"]}
        if t["timing"]["due"] and not t["timing"]["condition"]:
            due = rng.choice(DUE_DAYS)
            timing.update(due=due.isoformat(), raw=f"Trước ngày {due:%d/%m/%Y}" + (" và thường xuyên" if t["timing"]["recurring"] else ""))
        tasks.append({"task_id": f"{unit['unit_id']}.kh26.{n + 1}", "code": t.get("code"), "group": n % 5 + 1, "lead": lead,
                      "support": support, "content": t["content_start"], "timing": timing})
    return {"plan_id": f"{unit['unit_id']}.kh26", "unit_id": unit["unit_id"], "number": "01/KH-UBND", "issued_on": "2026-01-15",
            "title": f"Kế hoạch triển khai Đề án 06 trên địa bàn {unit['name']} năm 2026-2027", "tasks": tasks}


def national_plans(units: list[dict], tasks_per_commune: int, tasks_per_province: int, seeds: Path = SEEDS) -> list[dict]:
    rng = random.Random(6)
    commune_seed, province_seed = seed_tasks(COMMUNE_SEED, seeds), seed_tasks(PROVINCE_SEED, seeds)
    return [plan_for(u, province_seed, tasks_per_province, PROVINCE_LEADS, rng) if u["level"] == "province"
            else plan_for(u, commune_seed, tasks_per_commune, COMMUNE_LEADS, rng) for u in units]


Keys = Callable[[str, str], dict[str, str]]  # (role, subject) -> the Authorization header of such a key


async def issue_plans(plans_url: str, plans: list[dict], keys: Keys, senders: int = 4) -> float:
    """POST /plans with `senders` concurrent clients, each plan by its unit's standing body; seconds until plans accepted them all."""
    queue = list(reversed(plans))
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=plans_url, timeout=120) as http:
        async def sender() -> None:
            while queue:
                plan = queue.pop()
                response = await http.post("/plans", json=plan, headers=keys("standing_body", plan["unit_id"]))
                if response.status_code not in (201, 409):
                    raise RuntimeError(f"plan {plan['plan_id']}: {response.status_code} {response.text[:300]}")
        await asyncio.gather(*(sender() for _ in range(senders)))
    return time.perf_counter() - started


def build(plans_url: str, keys: Keys, tasks_per_commune: int, tasks_per_province: int = 55, provinces: set[str] | None = None) -> dict:
    units, agencies = official_directory(provinces)
    with httpx.Client(base_url=plans_url, timeout=300, headers=keys("administrator", "bench")) as client:
        directory = load_directory(client, units, agencies, batch_units=DIRECTORY_BATCH_UNITS, progress=False)
    plans = national_plans(units, tasks_per_commune, tasks_per_province)
    n_tasks = sum(len(p["tasks"]) for p in plans)
    seconds = asyncio.run(issue_plans(plans_url, plans, keys))
    return {"units": len(units), "agencies": len(agencies), "directory_items_per_s": round((len(units) + len(agencies)) / directory["seconds"]),
            "plans": len(plans), "tasks": n_tasks, "plans_accept_tasks_per_s": round(n_tasks / seconds), "plans_seconds": round(seconds, 1)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", default="http://127.0.0.1:8001")
    parser.add_argument("--var", default="var", help="the embedded run's folder (its signing secret mints the keys)")
    parser.add_argument("--tasks-per-commune", type=int, default=60)
    parser.add_argument("--province", action="append")
    args = parser.parse_args()
    layout = Layout(var=Path(args.var))
    print(json.dumps(build(args.plans, partial(as_role, layout), args.tasks_per_commune, provinces=set(args.province) if args.province else None), indent=2))

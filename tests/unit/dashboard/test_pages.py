"""Every dashboard page renders from the read model, Vietnamese first, with figures computed as issue 7 defines them."""
from __future__ import annotations

import re

from tests.unit.dashboard.province import COMMUNE, DISTRICT, OTHER, PROVINCE


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{re.escape(name)}">([^<]*)<', html)
    assert match, f"no figure {name!r} on the page"
    return match.group(1).strip()


async def test_the_province_overview_shows_rates_on_tasks_fallen_due_in_vietnamese_format(reporting):
    page = await reporting.get(f"/dashboard/{PROVINCE}")
    assert page.status_code == 200, page.text
    html = page.text
    assert '<html lang="vi">' in html and 'name="viewport"' in html
    assert "Tiến độ thực hiện Đề án 06: tinh" in html
    # fallen due: a1 on time, a2 late, a3 overdue, b1 on time, b2 overdue → 3/5 done, 2/5 on time
    assert figure(html, "completion_rate") == "60%" and figure(html, "on_time_rate") == "40%"
    assert figure(html, "overdue") == "2" and figure(html, "all") == "9"
    assert f"/dashboard/{DISTRICT}?lang=vi" in html


async def test_every_page_renders_in_both_languages(reporting):
    for path in (f"/dashboard/{PROVINCE}", f"/dashboard/{PROVINCE}/units", f"/dashboard/{PROVINCE}/tasks", "/dashboard/tasks/a3",
                 f"/dashboard/{PROVINCE}/escalations", f"/dashboard/{PROVINCE}/reports"):
        for lang in ("vi", "en"):
            page = await reporting.get(path, params={"lang": lang})
            assert page.status_code == 200, (path, lang, page.text[:500])
            assert f'<html lang="{lang}">' in page.text


async def test_the_task_list_filters_by_bucket_and_finds_words_without_diacritics(reporting):
    overdue = (await reporting.get(f"/dashboard/{PROVINCE}/tasks", params={"bucket": "overdue"})).text
    assert figure(overdue, "found") == "2 nhiệm vụ"
    found = (await reporting.get(f"/dashboard/{COMMUNE}/tasks", params={"q": "ho tich"})).text
    assert figure(found, "found") == "1 nhiệm vụ" and 'data-task="a3"' in found
    assert "/dashboard/tasks/a3?lang=vi" in found


async def test_figures_as_of_an_earlier_day_leave_out_what_happened_after_it(reporting):
    # on 31/07/2026: a1 on time, a2 overdue (done only on 05/08), b1 on time, b2 overdue → 2/4
    html = (await reporting.get(f"/dashboard/{PROVINCE}", params={"as_of": "2026-07-31"})).text
    assert figure(html, "completion_rate") == "50%" and figure(html, "overdue") == "2"
    assert "as_of=2026-07-31" in html
    future = await reporting.get(f"/dashboard/{PROVINCE}", params={"as_of": "2027-01-01"})
    assert future.status_code == 200 and 'role="alert"' in future.text and "“2027-01-01”" in future.text
    assert figure(future.text, "completion_rate") == "60%"  # today's figures, said so


async def test_as_of_may_be_typed_as_dd_mm_yyyy(reporting):
    typed = (await reporting.get(f"/dashboard/{PROVINCE}", params={"as_of": "31/07/2026"})).text
    assert figure(typed, "completion_rate") == "50%" and "as_of=2026-07-31" in typed
    nonsense = await reporting.get(f"/dashboard/{PROVINCE}", params={"as_of": "31/13/2026"})
    assert nonsense.status_code == 200 and "Không dùng được ngày “31/13/2026”" in nonsense.text


async def test_the_reports_page_links_each_month_to_reportings_docx_and_pdf(reporting):
    html = (await reporting.get(f"/dashboard/{PROVINCE}/reports")).text
    assert f"/units/{PROVINCE}/reports/2026-12?lang=vi&amp;format=docx" in html
    assert f"/units/{PROVINCE}/reports/2026-01?lang=vi&amp;format=pdf" in html


async def test_the_heat_table_reads_each_utility_group_from_reportings_counters(reporting):
    html = (await reporting.get(f"/dashboard/{PROVINCE}/units")).text
    heat = dict(re.findall(r'data-heat="([^"]+)">([^<]*)<', html))
    # group 4: a3 overdue → 0%; group 5: a1, b1 on time, a2 late, b2 overdue → 3 of 4; no task of group 1
    assert heat[f"{DISTRICT}:4"] == "0%" and heat[f"{DISTRICT}:5"] == "75%" and heat[f"{DISTRICT}:1"] == "—"
    past = dict(re.findall(r'data-heat="([^"]+)">([^<]*)<', (await reporting.get(f"/dashboard/{PROVINCE}/units", params={"as_of": "2026-07-31"})).text))
    assert past[f"{DISTRICT}:5"] == "50%" and past[f"{DISTRICT}:4"] == "—"  # a1, b1 done; a2, b2 overdue; a3 not yet due


async def test_the_escalations_page_lists_open_items_of_the_subtree_with_roles_never_people(reporting):
    html = (await reporting.get(f"/dashboard/{PROVINCE}/escalations")).text
    assert 'data-item="a3@2026-11-05"' in html and "b2@2026-05-29" not in html  # b2's item was resolved
    row = html[html.index('data-item="a3@2026-11-05"'):]
    assert figure(row, "rung") == "2/2" and figure(row, "days_overdue") == "40"
    assert figure(row, "told") == f"Chủ tịch UBND {COMMUNE}" and f"Đồng gửi: Trưởng Công an {DISTRICT}</small>" in row
    assert figure(row, "acknowledged") == f"Chủ tịch UBND {COMMUNE} (14/11/2026)" and figure(row, "until") == "31/12/2026"
    english = (await reporting.get(f"/dashboard/{PROVINCE}/escalations", params={"lang": "en"})).text
    assert f"Chairman of the People&#39;s Committee, {COMMUNE}" in english
    assert 'data-empty="escalations"' in (await reporting.get(f"/dashboard/{OTHER}/escalations")).text


async def test_the_task_page_shows_its_timeline_from_events_with_escalations_and_acknowledgement(reporting):
    html = (await reporting.get("/dashboard/tasks/a3")).text
    kinds = re.findall(r'data-kind="([a-z_]+)"', html)
    assert kinds == ["assigned", "missed", "escalation_started", "escalation", "escalation", "acknowledged"]
    assert "Nhắc lên cấp 2" in html and "Hạn xử lý 31/12/2026" in html
    done = (await reporting.get("/dashboard/tasks/a2")).text
    assert re.findall(r'data-kind="([a-z_]+)"', done) == ["assigned", "completed"] and "quá hạn" in done
    before = (await reporting.get("/dashboard/tasks/a3", params={"as_of": "2026-11-10"})).text
    assert "acknowledged" not in re.findall(r'data-kind="([a-z_]+)"', before)  # acknowledged on 14/11


async def test_the_overview_lists_overdue_and_blocked_tasks_most_overdue_first(reporting):
    html = (await reporting.get(f"/dashboard/{PROVINCE}")).text
    section = html[html.index('id="h-attention"'):]
    assert re.findall(r'data-task="([a-z0-9]+)"', section)[:3] == ["b2", "a3", "a5"]  # 200 and 40 days overdue, then blocked
    assert "(3)" in section[:200]
    past = (await reporting.get(f"/dashboard/{PROVINCE}", params={"as_of": "2026-07-31"})).text
    assert re.findall(r'data-task="([a-z0-9]+)"', past[past.index('id="h-attention"'):])[:2] == ["b2", "a2"]  # a2 done only on 05/08

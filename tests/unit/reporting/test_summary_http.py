"""GET /units/{unit_id}/summary over HTTP without the broker: its parameters, and problem+json naming the bad one."""
from __future__ import annotations

from datetime import date, datetime

import httpx
import pytest

from services.reporting.bootstrap import create_app
from services.reporting.handlers.project import project
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from tests.unit.reporting.events import assignment, completion, deadline_changed, unit
from tests.support.auth import bearer


@pytest.fixture
async def api():
    store = MemoryStore()
    await project([unit("tinh", level="province"), unit("xa", "tinh"), assignment("t1", "xa", date(2023, 3, 10), at=date(2023, 3, 1)),
                   assignment("t2", "xa", date(2023, 3, 1), at=date(2023, 3, 1)),
                   deadline_changed("t2", 2, date(2023, 4, 30), on=date(2023, 2, 28)),
                   completion("t1", 2, date(2023, 3, 12), date(2023, 3, 10), on_time=False)], store)
    settings = ServiceSettings(environment="test", store_url="memory://")
    app = await create_app(settings, store=store, clock=ManualClock(datetime(2023, 3, 20, 9, tzinfo=LOCAL_TZ)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), headers=bearer(app.state.runtime.settings.token_secret, "administrator", "test-admin"), base_url="http://reporting") as client:
        yield client


async def test_the_summary_carries_rates_own_and_rolled_up_beside_the_buckets(api):
    body = (await api.get("/units/tinh/summary")).json()
    assert body["total"]["done_late"] == 1 and body["total"]["not_yet_due"] == 1
    assert body["completion_rate"] == {"own": None, "total": 1.0} and body["on_time_rate"]["total"] == 0.0
    assert set(body["reporting_rate"]) == {"own", "total"}
    assert [c["unit"]["unit_id"] for c in body["children"]] == ["xa"] and body["children"][0]["figures"]["fallen_due"] == 1


async def test_basis_as_of_and_include_descendants_change_the_figures(api):
    original = (await api.get("/units/tinh/summary", params={"basis": "original"})).json()
    assert original["total"]["overdue"] == 1 and original["aging"]["total"]["8-30"] == 1
    then = (await api.get("/units/tinh/summary", params={"as_of": "2023-03-11"})).json()
    assert then["today"] == "2023-03-11" and then["total"]["overdue"] == 1 and then["total"]["done_late"] == 0
    alone = (await api.get("/units/tinh/summary", params={"include_descendants": "false"})).json()
    assert alone["total"]["all"] == 0 and alone["children"] == []


@pytest.mark.parametrize("params, field", [
    ({"as_of": "2023-13-01"}, "as_of"), ({"as_of": "2023-03-21"}, "as_of"), ({"basis": "latest"}, "basis"),
    ({"include_descendants": "maybe"}, "query.include_descendants"),
])
async def test_a_bad_parameter_is_refused_as_problem_json_naming_it(api, params, field):
    refused = await api.get("/units/tinh/summary", params=params)
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["field"] == field


async def test_an_unknown_unit_is_a_problem_naming_unit_id(api):
    refused = await api.get("/units/khong-co/summary")
    assert refused.status_code == 404 and refused.json()["field"] == "unit_id"


async def test_obligations_and_indicators_answer_per_period_and_refuse_a_bad_period(api):
    body = (await api.get("/units/tinh/obligations", params={"period": "2023-03"})).json()
    assert body["expected"] == 0 and body["non_reporters"] == []
    assert (await api.get("/units/tinh/indicators", params={"period": "2023-Q1"})).json()["indicators"] == []
    for path in ("/units/tinh/obligations", "/units/tinh/indicators"):
        refused = await api.get(path, params={"period": "2023-Q7"})
        assert refused.status_code == 422 and refused.json()["field"] == "period"
    assert (await api.get("/units/khong-co/obligations", params={"period": "2023-03"})).json()["field"] == "unit_id"


async def test_the_compiled_report_downloads_as_pdf_and_docx_and_refuses_a_bad_format_or_period(api):
    pdf = await api.get("/units/tinh/reports/2023-03", params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    word = await api.get("/units/tinh/reports/2023-Q1", params={"format": "docx", "as_of": "2023-03-15"})
    assert word.status_code == 200 and "tinh-2023-Q1.docx" in word.headers["content-disposition"]
    assert (await api.get("/units/tinh/reports/2023-03", params={"format": "odt"})).json()["field"] == "format"
    assert (await api.get("/units/tinh/reports/2023-3")).json()["field"] == "period"


async def test_agencies_and_rankings_answer_over_http_with_the_formula_and_refuse_bad_parameters(api):
    agencies = (await api.get("/units/xa/agencies")).json()
    assert agencies["agencies"] == []  # the lead "ca-xa" is not registered as an agency in this history
    ranking = (await api.get("/units/tinh/ranking")).json()
    assert [r["id"] for r in ranking["ranking"]] == ["xa"] and ranking["formula"]["expression"].startswith("100 ×")
    assert (await api.get("/units/tinh/ranking", params={"of": "villages"})).json()["field"] == "of"
    national = (await api.get("/ranking", params={"level": "commune"})).json()
    assert [r["id"] for r in national["ranking"]] == ["xa"]
    assert (await api.get("/ranking", params={"level": "galaxy"})).json()["field"] == "level"
    assert (await api.get("/units/xa/agencies", params={"as_of": "2023-03-11"})).json()["field"] == "as_of"

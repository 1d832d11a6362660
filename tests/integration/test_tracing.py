"""One trace follows a status report: the HTTP request to tasks, Kafka, and reporting's consumer."""
from __future__ import annotations


from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import create_app as create_reporting
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import commune_plan, register_hierarchy, standing_body
from tests.support.tracing import finished_spans  # noqa: F401  (a fixture)


async def test_a_status_report_is_one_trace_from_the_http_request_to_the_reporting_consumer(broker, tmp_path, finished_spans):
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"))
    reporting_app = await create_reporting(settings_for(broker, tmp_path, "reporting"))
    async with running(plans_app) as plans, running(tasks_app) as tasks, running(reporting_app) as reporting:
        tokens = await register_hierarchy(plans)
        assert (await plans.post("/plans", headers=standing_body(plans), json=commune_plan())).status_code == 201

        async def reporting_knows_the_task():
            return (await reporting.get("/tasks/kh-32.1")).status_code == 200

        await eventually(reporting_knows_the_task, timeout=60, what="reporting to learn kh-32.1 from tasks")
        body = {"status": "in_progress", "progress": 40, "summary": "Đã dự thảo kế hoạch"}
        reported = await tasks.post("/tasks/kh-32.1/status", json=body, headers={"Authorization": f"Bearer {tokens['ca-xa']}"})
        assert reported.status_code == 201, reported.text

        def named(name: str) -> list[ReadableSpan]:
            return [s for s in finished_spans.get_finished_spans() if s.name == name]

        (request,) = named("POST /tasks/kh-32.1/status")

        async def consumer_span():
            # only this request's trace: a span of any other StatusReported would not be the one this test follows
            spans = named("reporting.views handle StatusReported")
            return [s for s in spans if s.context.trace_id == request.context.trace_id]

        (consumed,) = await eventually(consumer_span, timeout=30, what="reporting's consumer span for StatusReported")

    published = [s for s in named("publish StatusReported") if s.context.trace_id == request.context.trace_id]
    assert request.kind is SpanKind.SERVER and consumed.kind is SpanKind.CONSUMER
    assert len(published) == 1 and published[0].kind is SpanKind.PRODUCER
    assert consumed.context.trace_id == request.context.trace_id
    chain = parent_chain(consumed, finished_spans.get_finished_spans())
    # FastAPI may put spans of its own (e.g. the endpoint) between the request and the publish
    assert chain[:2] == ["reporting.views handle StatusReported", "publish StatusReported"]
    assert chain[-1] == "POST /tasks/kh-32.1/status" and request.parent is None


def parent_chain(span: ReadableSpan, spans: list[ReadableSpan]) -> list[str]:
    """Names from `span` up through its parents, as far as recorded spans go."""
    by_id = {s.context.span_id: s for s in spans}
    chain = [span.name]
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        chain.append(span.name)
    return chain

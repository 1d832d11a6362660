"""The whole embedded system as real processes: the bundled broker and the four services."""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

import pytest

from services.embedded.processes import SERVICES, Layout, ProcessGroup
from services.runtime.auth.secret import read_secret
from services.runtime.broker import free_port
from services.runtime.clock import LOCAL_TZ, FileClock
from tests.support.auth import ServiceClient
from tests.support.smtp import start_smtp_server

pytestmark = pytest.mark.e2e


class System:
    def __init__(self, group: ProcessGroup, inbox) -> None:
        self.group, self.layout, self.inbox = group, group.layout, inbox
        self.clock = FileClock(self.layout.clock_file)
        secret = read_secret(self.layout.secret_file)  # made by the process group on first start, as in `tiendo run`
        self.http = {name: ServiceClient(secret, base_url=self.layout.url(name), timeout=30) for name in SERVICES}

    async def view_as(self, unit_id: str) -> None:
        """Read reporting with a viewer credential for this unit (as a leader of that unit would)."""
        response = await self.http["plans"].post(f"/units/{unit_id}/viewer-credential")
        response.raise_for_status()
        self.http["reporting"].headers["Authorization"] = f"Bearer {response.json()['token']}"

    def set_local_time(self, *args: int) -> None:
        self.clock.set(datetime(*args, tzinfo=LOCAL_TZ))


@pytest.fixture
def system(tmp_path) -> Iterator[System]:
    smtp_port = free_port()
    controller, inbox = start_smtp_server(smtp_port)
    layout = Layout(var=tmp_path / "var", kafka_port=free_port(), smtp_port=smtp_port,
                    ports={name: free_port() for name in SERVICES})
    group = ProcessGroup(layout, service_env={"TIENDO_DEADLINE_SCAN_SECONDS": "0.3", "TIENDO_BROKER_CHECK_SECONDS": "1"})
    layout.var.mkdir(parents=True, exist_ok=True)
    FileClock(layout.clock_file).set(datetime(2023, 3, 15, 9, 0, tzinfo=LOCAL_TZ))
    group.start_broker()
    for name in SERVICES:
        group.start_service(name)
    try:
        group.wait_healthy()
        yield System(group, inbox)
    finally:
        group.stop_all()
        controller.stop()

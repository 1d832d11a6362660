"""FastAPI dependencies of the notify API."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.notify.entrypoints.delivery import DeliveryLoop
from services.runtime.service import ServiceRuntime


def runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


def delivery(request: Request) -> DeliveryLoop:
    return request.app.state.delivery


Runtime = Annotated[ServiceRuntime, Depends(runtime)]
Delivery = Annotated[DeliveryLoop, Depends(delivery)]

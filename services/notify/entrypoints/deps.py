"""FastAPI dependencies of the notify API."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.notify.entrypoints.delivery import DeliveryLoop


def delivery(request: Request) -> DeliveryLoop:
    return request.app.state.delivery


Delivery = Annotated[DeliveryLoop, Depends(delivery)]

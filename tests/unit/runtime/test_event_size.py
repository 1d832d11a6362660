"""An event too large for the pipeline is refused where it is built, with a clear answer."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from schemas.directory import UnitLevel, UnitRegistered
from services.runtime.events import MAX_EVENT_BYTES, Cause, EventTooLarge, envelop


def test_an_event_over_the_limit_is_refused_with_413():
    # every field is bounded now; the size check is the last line of defence for a payload built without validation
    huge = UnitRegistered.model_construct(unit_id="u", name="x" * (MAX_EVENT_BYTES + 1), level=UnitLevel.province)
    with pytest.raises(EventTooLarge) as refused:
        envelop("unit-u", 0, [huge], Cause("a", "c"), datetime.now(timezone.utc))
    assert refused.value.status == 413 and "the limit is 262,144 bytes" in refused.value.detail


def test_an_event_under_the_limit_is_built():
    (event,) = envelop("unit-u", 0, [UnitRegistered(unit_id="u", name="Tỉnh", level="province")], Cause("a", "c"), datetime.now(timezone.utc))
    assert event.stream_version == 1

"""Every service's process tunes the garbage collector once its app is built (services/runtime/entry.serve)."""
import gc
from types import SimpleNamespace

from services.runtime import entry


def test_serve_builds_the_app_then_freezes_it_out_of_collections_with_a_larger_young_generation(monkeypatch):
    seen: dict = {}

    async def create_app(settings):
        seen["threshold_while_building"] = gc.get_threshold()[0]
        return object()

    class Server:
        def __init__(self, config):
            pass

        async def serve(self):
            seen["threshold_while_serving"] = gc.get_threshold()[0]
            seen["frozen_while_serving"] = gc.get_freeze_count()

    settings = lambda: SimpleNamespace(otel_console=False, http_host="127.0.0.1", http_port=0)  # noqa: E731
    threshold, before = gc.get_threshold(), gc.get_freeze_count()
    monkeypatch.setattr(entry.uvicorn, "Config", lambda app, **kwargs: None)
    monkeypatch.setattr(entry, "Server", Server)  # the services' uvicorn server (its quieter tick)
    monkeypatch.setattr(entry, "install_tracing", lambda *args, **kwargs: None)
    try:
        assert entry.serve(create_app, settings) == 0
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
    assert seen["threshold_while_building"] == threshold[0] != entry.YOUNG_GENERATION
    assert seen["threshold_while_serving"] == entry.YOUNG_GENERATION
    assert seen["frozen_while_serving"] > before

"""Gives the C heap's free pages back to the system now and then (glibc's malloc_trim), in every service's process
(ServiceRuntime registers it).

Measured at national size (bench/history/national-scale.md, "RSS at national size (2026-11-30, reporting-rss)"): after the catch-up
over the republished history (≈ 985k records skipped, none applied) reporting's RSS is ≈ 340 MB, of which glibc's main
heap held 135 MB with 34 MB in use: the fetched batches' buffers were freed, but free() gives memory back only from the
top of the heap. One malloc_trim(0) took RSS to 258 MB (notify's, 372 MB, to 284 MB). Other glibc arenas were ≈ 0.1 MB each (two threads), so
MALLOC_ARENA_MAX changes nothing here. Elsewhere than glibc (musl, macOS) there is nothing to call and the loop ends."""
from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
from collections.abc import Callable

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.runtime.service import ServiceRuntime

log = logging.getLogger("tiendo.heap")
TRIM_SECONDS = 60.0  # a trim walks the free heap: a few ms at national size, once a minute


def malloc_trim() -> Callable[[], bool] | None:
    """glibc's malloc_trim(0) as a call returning whether memory went back; None where the C library has none."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return lambda: bool(trim(0))


def register(rt: "ServiceRuntime", every: float = TRIM_SECONDS) -> None:
    trim = malloc_trim()
    if trim is None:
        log.info("no malloc_trim in this C library: the heap is left as it is")
        return

    async def loop() -> None:
        while True:
            await asyncio.sleep(every)
            trim()

    rt.run_loop(loop)

"""Where the seed plans are: shared/seeds beside the repository (as in CI and on developers' machines), or the
folder TIENDO_SEEDS_DIR names when it is set (a copy of the checkout elsewhere, a frozen bench tree)."""
import os
from pathlib import Path


def seeds_dir() -> Path:
    named = os.environ.get("TIENDO_SEEDS_DIR")
    return Path(named) if named else Path(__file__).resolve().parents[3] / "shared" / "seeds"


SEEDS = seeds_dir()

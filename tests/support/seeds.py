"""Where the seed plans are: shared/seeds beside the repository (as in CI and on developers' machines)."""
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

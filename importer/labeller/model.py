"""The trained line labeller: training on labelled sequences, and tagging a document's segments.

Training is deterministic (L-BFGS over the items in the order given, no random start), so the same
sequences give the same model; `python -m importer.train` rebuilds the shipped one.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from functools import lru_cache
from pathlib import Path

from .features import crfsuite_items, sequence_features
from .segments import Segment

MODEL = Path(__file__).with_name("lines.crfsuite")
TRAINED_ON = Path(__file__).with_name("trained_on.json")
PARAMS = {"c1": 0.05, "c2": 0.2, "max_iterations": 300,  # 150 stopped far from L-BFGS's test: folds read worse
          "feature.possible_transitions": True}
# c2 chosen by `bench/importer_crf.py tune` on rounds 14-19 left out whole (never 11-13): c1 0.01/0.2/0.5 and c2 0.01
# read no better than 0.05/0.05; c2 0.2 read 5 tasks more without the augmented tables and 9 more with them

Sequence = tuple[list[dict], list[str]]  # (crfsuite items, labels)


def sequence(segments: list[Segment], labels: list[str]) -> Sequence:
    return crfsuite_items(sequence_features(segments)), labels


def sequences_hash(sequences: list[Sequence]) -> str:
    """What a model was trained on, as one digest of its items and labels."""
    digest = hashlib.sha256()
    for items, labels in sequences:
        digest.update(json.dumps([items, labels], ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def spans_path(path: Path) -> Path:
    """Where the word labeller of a line model is kept (`spans`): beside it."""
    return path.with_name(path.stem + ".spans.crfsuite")


def train(sequences: list[Sequence], path: Path, *, iterations: int | None = None,
          spans: list[Sequence] | None = None, params: dict | None = None) -> None:
    """The line model at `path`; with `spans`, the word model beside it (`spans_path`). `params` replace
    PARAMS' values (bench/importer_crf.py tune)."""
    import pycrfsuite

    for what, where in ((sequences, path), (spans or [], spans_path(path))):
        if not what:
            continue
        trainer = pycrfsuite.Trainer(verbose=False)
        for items, labels in what:
            trainer.append(pycrfsuite.ItemSequence(items), labels)
        trainer.set_params({**PARAMS, **(params or {}), **({"max_iterations": iterations} if iterations else {})})
        trainer.train(str(where))


class Labeller:
    """Labels and their marginal probabilities for a document's segments."""

    def __init__(self, path: Path = MODEL):
        import pycrfsuite

        self._bytes = path.read_bytes()  # the tagger reads the model from this buffer: keep it alive
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(self._bytes)
        words = spans_path(path)
        self._word_bytes = words.read_bytes() if words.exists() else None
        self._words = pycrfsuite.Tagger() if self._word_bytes else None
        if self._words is not None:
            self._words.open_inmemory(self._word_bytes)

    def label(self, segments: list[Segment]) -> list[tuple[str, float]]:
        if not segments:
            return []
        items = pycrfsuite_items(segments)
        labels = self._tagger.tag(items)
        return [(label, self._tagger.marginal(label, i)) if label else ("OTHER", 0.0) for i, label in enumerate(labels)]


    def words(self, text: str) -> list[tuple[str, float]] | None:
        """A label (spans.SPAN_LABELS) and its marginal for each word of a task's first line (spans.tokens);
        None without a word model."""
        from .spans import token_features, tokens

        toks = tokens(text)
        if self._words is None or not toks:
            return None
        import pycrfsuite

        labels = self._words.tag(pycrfsuite.ItemSequence(token_features(text, toks)))
        return [(label, self._words.marginal(label, i)) for i, label in enumerate(labels)]


def pycrfsuite_items(segments: list[Segment]):
    import pycrfsuite

    return pycrfsuite.ItemSequence(crfsuite_items(sequence_features(segments)))


@lru_cache(maxsize=4)
def shipped(path: Path = MODEL) -> Labeller | None:
    """The model shipped in the package; None when it is missing (the rules then work alone)."""
    return Labeller(path) if path.exists() else None


def trained_model(sequences: list[Sequence], *, iterations: int | None = None,
                  spans: list[Sequence] | None = None, params: dict | None = None) -> Labeller:
    """A model trained in a temporary file (cross-validation folds)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fold.crfsuite"
        train(sequences, path, iterations=iterations, spans=spans, params=params)
        return Labeller(path)

"""Rebuild the shipped line labeller from every reading the project has.

    .venv/bin/python -m importer.train            # writes importer/labeller/lines.crfsuite + trained_on.json
    .venv/bin/python -m importer.train --check    # exit 1 when the shipped model is not the current corpus'

The corpus is tests/fixtures/plans/manifest.json (seeds, held-out plans, blind rounds, corpus rounds):
each rendition read by the importer's own readers, labelled by aligning its hand-made reading.
A development command: it needs the repository's tests/ folder, the library does not.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass

from .labeller.alignment import align
from .labeller.augment import augmented
from .labeller.model import MODEL, PARAMS, TRAINED_ON, Sequence, sequence, sequences_hash, train
from .labeller.segments import Segment, segments_of
from .labeller.spans import span_sequences
from .read.readers import read_document


@dataclass
class Example:
    family: str  # the plan: all its renditions share one reading
    rendition: str
    segments: list[Segment]
    labels: list[str]
    reading: dict
    data: bytes
    filename: str

    @property
    def sequence(self) -> Sequence:
        return sequence(self.segments, self.labels)

    @property
    def spans(self) -> list[Sequence]:
        return span_sequences(self.segments, self.labels, self.reading)

    @property
    def augmented(self) -> list[Sequence]:
        """The rendition's tables as the reader may give them on an unseen plan (labeller.augment)."""
        return [sequence(segments, labels) for segments, labels in augmented(self.segments, self.labels)]


def line_sequences(examples_: list[Example], *, augment: bool = True) -> list[Sequence]:
    """What the line model is trained on: every rendition's sequence, then (`augment`) their augmented copies."""
    return [e.sequence for e in examples_] + ([s for e in examples_ for s in e.augmented] if augment else [])


def corpus_digest(examples_: list[Example], params: dict | None = None) -> str:
    """What the shipped models are trained on and how: the line sequences and the word sequences of every rendition,
    and the training parameters (`params`, default the shipped PARAMS): a model trained with other ones is another."""
    sequences = sequences_hash(line_sequences(examples_) + [s for e in examples_ for s in e.spans])
    return hashlib.sha256(json.dumps([PARAMS if params is None else params, sequences], sort_keys=True).encode()).hexdigest()


class MissingRenditions(RuntimeError):
    """The manifest names renditions that are not there: a model trained without them is another model."""


def examples() -> list[Example]:
    """Every rendition of the manifest, read and labelled. Raises MissingRenditions when any is absent (the seed
    plans live in shared/seeds beside the repository: a checkout elsewhere, such as a copy made with `git archive`
    or a worktree under /tmp, would otherwise train silently on fewer plans and give other figures)."""
    from tests.unit.importer.plan_cases import document, entry_id, manifest_entries

    entries = manifest_entries()
    missing = [str(e["path"]) for e in entries if not e["path"].exists() or not e["reading_path"].exists()]
    if missing:
        raise MissingRenditions(f"{len(missing)} manifest renditions are missing, first {missing[0]}")
    out = []
    for entry in entries:
        data, name = document(entry)
        reading = json.loads(entry["reading_path"].read_text(encoding="utf-8"))
        lines, _ = read_document(data, name)
        segments = segments_of(lines)
        out.append(Example(entry["reading_path"].name.removesuffix(".expected.json"), entry_id(entry), segments,
                           align(segments, reading), reading, data, name))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m importer.train")
    parser.add_argument("--check", action="store_true", help="only compare the corpus with the shipped model's")
    args = parser.parse_args(argv)
    everything = examples()
    sequences = line_sequences(everything)
    spans = [s for e in everything for s in e.spans]
    digest = corpus_digest(everything)
    if args.check:
        shipped = json.loads(TRAINED_ON.read_text()) if TRAINED_ON.exists() else {}
        same = shipped.get("sequences_sha256") == digest
        print("shipped model is the current corpus'" if same else "shipped model is stale: run python -m importer.train")
        return 0 if same else 1
    train(sequences, MODEL, spans=spans)
    TRAINED_ON.write_text(json.dumps({"renditions": len(everything), "sequences": len(sequences),
                                      "segments": sum(len(s[1]) for s in sequences),
                                      "task_lines": len(spans),
                                      "sequences_sha256": digest}, indent=1) + "\n")
    print(f"trained on {len(everything)} renditions ({len(sequences)} line sequences with the augmented copies)"
          f" -> {MODEL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Blind figures for the importer's line labeller (CRF), with and without it.

    .venv/bin/python bench/importer_crf.py lopo      [--json]   # leave-one-plan-family-out, today's rules
                                        [--round N ...]         #   scoring only corpus round N's families
    .venv/bin/python bench/importer_crf.py rounds    [--json]   # each corpus round: the rules as they were
                                        [--folds DIR]           #   before it + a CRF that never saw it (DIR keeps
                                                                #   the folds' models for the next run)
    .venv/bin/python bench/importer_crf.py speed     [--json]   # CPU per import of bench/importer.py's 60-task
                                                                #   plan in every format, rules alone vs with the CRF
    .venv/bin/python bench/importer_crf.py modes --round 14     # one corpus round in every mode with the shipped
                                                                #   model (a blind round: before it is retrained)
    .venv/bin/python bench/importer_crf.py tune --param c1=0.1,c2=0.05 [--param …] --round 14 …
                                                                # the labeller alone, folds that leave whole
                                                                #   rounds out, per training parameters
    .venv/bin/python bench/importer_crf.py retro [--round 17]   # each round's BLIND commit (rules, model,
                        [--modes fill,prefer]                   #   renditions, readings), joined by today's
                                                                #   combine.py in these modes (default 14-17)

lopo: for every plan family (all renditions of one reading) a model is trained on every other family,
then each held-out rendition is imported by today's rules alone (mode off), by the labeller alone
(blocks it opens, fields read by the vocabulary), and by the two combinations (fallback, fill).
Today's rules were written after seeing every family, so their column there is a regression figure.

rounds: the honest comparison. For corpus rounds 4–13 the rules are the importer package at the commit
where that round was scored blind (git archive into a temporary folder, run in a subprocess), the labeller
is trained on every family except the round's, and the same comparison is made. Folds run one at a time.

Both print the digest of the corpus the folds were cut from: the same commit and the same digest give the same
figures (importer.train refuses to train when a manifest rendition, such as a seed plan in shared/seeds beside
the checkout, is missing).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROUNDS = {  # round -> (commit whose rules scored it blind, its plans); from bench/history/importer.md
    4: ("0731a61", ["lao-cai-province-decision-2025", "thai-nguyen-province-decision-2024",
                    "nghe-an-justice-dept-plan-2025", "dong-nai-health-dept-plan-2025", "tan-dinh-ward-plan-2025",
                    "vinh-tuy-ward-plan-2025", "huong-son-commune-workplan-2025", "xuan-hiep-commune-workplan-2024",
                    "ha-giang-education-dept-plan-2024", "bac-tan-uyen-district-plan-2024", "ca-mau-province-plan-2025",
                    "phu-quoc-special-zone-plan-2025"]),
    5: ("dce8a16", ["quang-ninh-province-plan-2025", "ben-thanh-ward-plan-2025", "phu-ninh-district-plan-2024",
                    "phu-lap-commune-plan-2025", "bac-ninh-home-affairs-dept-plan-2025"]),
    6: ("2d1aad8", ["hai-duong-province-decision-2025", "ngoc-ha-ward-plan-2025", "dao-tru-commune-plan-2025",
                    "thanh-hoa-finance-dept-plan-2025"]),
    7: ("4178e60", ["gia-lai-province-plan-2025", "son-thuy-commune-plan-2025", "duc-linh-district-plan-2024",
                    "dong-hai-ward-plan-2025"]),
    8: ("614b1df", ["binh-dinh-province-decision-2025", "thach-that-district-plan-2024",
                    "tien-hoang-commune-workplan-2025", "hai-chau-ward-plan-2025"]),
    9: ("0d9d582", ["nghe-an-province-plan-2025", "an-binh-commune-plan-2025", "vinh-bao-district-plan-2024"]),
    10: ("1072623", ["lam-dong-province-plan-2025", "long-bien-ward-plan-2025", "my-thuan-commune-plan-2025"]),
    11: ("4e46e40", ["tien-giang-province-plan-2023", "dak-nong-province-decision-2022", "quang-nam-province-plan-2023",
                     "hung-dao-commune-plan-2022", "thanh-hoa-vneid-campaign-plan-2023"]),
    12: ("af837c7", ["binh-duong-province-directive-2023", "dak-lak-province-plan-2026", "lam-dong-digital-infra-plan-2023",
                     "dak-rlap-steering-plan-2023", "hoa-phu-commune-plan-2026"]),
    13: ("9f835da", ["hai-duong-province-plan-2023", "ninh-binh-monitoring-plan-2022", "quang-binh-police-plan-2024",
                     "thu-dau-mot-ward-plan-2026", "tan-phu-commune-plan-2026"]),
    14: ("7198020", ["quang-tri-province-decision-2026", "ha-tinh-science-dept-plan-2026", "phu-loi-ward-plan-2026",
                     "xuan-phu-commune-plan-2024", "duc-trong-amendment-plan-2024"]),
    15: ("69d02cb", ["hung-yen-province-plan-2026", "dong-nai-environment-dept-plan-2026", "krong-pac-district-plan-2024",
                     "nha-trang-ward-plan-2026", "tan-thanh-commune-workplan-2026", "bao-loc-city-plan-2024"]),
    16: ("5ecf8f9", ["quang-ngai-province-decision-2026", "can-tho-health-dept-plan-2026", "bau-bang-commune-workplan-2026",
                     "hoa-khanh-ward-plan-2026", "gio-linh-amendment-plan-2025", "an-giang-police-plan-2026"]),
    17: ("a0d3e00", ["dak-lak-province-decision-2026", "lam-dong-education-dept-plan-2026", "vinh-hung-ward-plan-2026",
                     "ea-kao-commune-plan-2026", "hoa-vang-commune-workplan-2026", "cu-jut-district-plan-2024"]),
    18: ("e2c8371", ["tuyen-quang-province-decision-2026", "ninh-binh-culture-dept-plan-2026", "phu-tho-police-plan-2026",
                     "phan-thiet-ward-plan-2026", "pong-drang-commune-plan-2026", "tam-dao-commune-workplan-2026"]),
    19: ("5a86d68", ["lang-son-province-decision-2026", "khanh-hoa-industry-trade-dept-plan-2026",
                     "muong-cha-district-plan-2024", "cua-nam-ward-plan-2026", "muong-phang-commune-plan-2025",
                     "chieng-mai-commune-workplan-2026"]),
    20: ("5573b38", ["dong-thap-province-decision-2026", "lao-cai-science-dept-plan-2026", "vinh-long-police-letter-2026",
                     "hoa-cuong-ward-amendment-2026", "phong-dien-commune-plan-2026",
                     "thanh-son-commune-workplan-2026"]),
    21: ("bf8cc8b", ["tay-ninh-province-plan-2026", "dong-nai-justice-dept-plan-2026", "gia-lai-police-plan-2026",
                     "tam-thang-ward-notice-2026", "cat-tien-commune-plan-2026", "si-ma-cai-commune-workplan-2026"]),
    22: ("5d29299", ["ninh-binh-steering-decision-2026", "thai-nguyen-agri-env-dept-plan-2026", "hai-phong-police-plan-2026",
                     "hong-ha-ward-plan-2026", "krong-no-commune-plan-2026", "nghia-dan-commune-workplan-2026"]),
    23: ("b5fa1eb", ["quang-ngai-province-plan-2026", "dong-thap-justice-dept-plan-2026", "quang-tri-police-plan-2026",
                     "vinh-tuy-ward-workplan-2026", "quang-dien-commune-plan-2026", "tan-phu-commune-workplan-2026"]),
    24: ("ce31a32", ["thanh-hoa-province-plan-2026", "tuyen-quang-education-dept-plan-2026", "dien-bien-police-notice-2026",
                     "tan-dinh-ward-plan-2026", "tam-nong-commune-plan-2026", "binh-minh-commune-workplan-2026"]),
    25: ("631cd38", ["son-la-province-decision-2026", "khanh-hoa-justice-dept-plan-2026", "nghe-an-police-plan-2026",
                     "kim-lien-ward-plan-2026", "hoa-an-commune-plan-2026", "muong-lat-commune-workplan-2026"]),
    # round 26 (plans_x.py)
    26: ("6beef9f", ["quang-ngai-programme-decision-2026", "ha-tinh-education-dept-plan-2026",
                     "quang-ninh-police-plan-2026", "bo-de-ward-plan-2026", "ea-knop-commune-plan-2026",
                     "my-an-commune-workplan-2026"]),
    # round 27 (plans_y.py)
    27: ("e8b5ba3", ["quang-tri-amending-decision-2026", "hung-yen-education-dept-plan-2026",
                     "ha-tinh-police-plan-2026", "ban-co-ward-plan-2026", "ea-kar-commune-plan-2026",
                     "na-hang-commune-workplan-2026"]),
    # round 28 (importer-r28)
    28: ("8b89d77", ["gia-lai-health-records-plan-2026", "ca-mau-agri-env-dept-plan-2026", "bac-ninh-police-plan-2026",
                     "tam-thanh-ward-plan-2026", "ham-yen-party-commune-plan-2026", "phu-luong-commune-workplan-2026"]),
    29: ("ac5c27e", ["phu-tho-province-decision-2026", "gia-lai-agri-env-dept-plan-2026", "thai-nguyen-police-plan-2026",
                     "phu-dien-ward-plan-2026", "long-phu-commune-plan-2026", "ia-grai-commune-workplan-2026"]),
    # round 30 (plans_zb.py), scored blind on main
    30: ("d4ecf12", ["hue-steering-plan-2026", "lai-chau-construction-dept-plan-2026", "da-nang-police-plan-2026",
                     "cho-lon-ward-plan-2026", "tan-hoi-commune-plan-2026", "cho-moi-social-insurance-workplan-2026"]),
    # round 31 (importer-r31)
    31: ("5b4806a", ["hai-phong-city-plan-2026", "lang-son-finance-dept-plan-2026", "vinh-long-police-plan-2026",
                     "hoang-mai-ward-plan-2026", "yen-lac-commune-plan-2026", "dong-van-commune-workplan-2026"]),
    # round 33 (importer-r33)
    33: ("c5e608e", ["an-giang-province-decision-2026", "thai-nguyen-science-dept-plan-2026", "cao-bang-police-plan-2026",
                     "son-la-steering-programme-2026", "bac-ninh-industrial-zones-plan-2026",
                     "tuyen-quang-public-service-centre-plan-2026"]),
}
MODES = ("off", "alone", "fallback", "fill", "prefer", "weigh")
# the commits that say "blind scores": the round's rules (same importer package as ROUNDS' commit), its shipped
# model, its renditions and readings
BLIND = {14: "4ecd8cd", 15: "a14ddf3", 16: "fc958a9", 17: "108b0ce", 18: "e9169c1", 19: "068e16e", 20: "eb9a969",
         21: "78a9596", 22: "342d64d", 23: "2ea2e74", 24: "ab9dbf1",
         25: "fbea5b3",
         26: "46ba459",  # round 26 (plans_x.py)
         27: "7d463a8",  # round 27 (plans_y.py)
         28: "012060b",  # round 28 (importer-r28)
         29: "b0d9cfa",  # round 29 (importer-r29)
         30: "43e6683",  # round 30 (plans_zb.py)
         31: "65f7218",  # round 31 (importer-r31)
         33: "9760ddc",  # round 33 (importer-r33)
         }


def _row(rendition: str, reading: dict, tasks: list[dict] | None, error: str | None) -> dict:
    from tests.unit.importer.scoreboard import first_lead_exact
    from tests.unit.importer.scoring import score

    if tasks is None:
        return dict(file=rendition, error=error, required=len(reading["tasks"]), found=0, drafted=0,
                    precision=0.0, lead=0.0, timing=0.0)
    result = score({"tasks": tasks}, reading)
    drafted = len(tasks)
    matched = drafted - len(result["invented"])
    return dict(file=rendition, required=result["required"], found=result["found"], drafted=drafted,
                precision=matched / drafted if drafted else 0.0, lead=first_lead_exact(result),
                timing=result["timing_accuracy"])


def _today(example, mode: str, labeller) -> tuple[list[dict] | None, str | None]:
    from importer import PlanImportError, import_document
    from importer.header.preamble import read_header
    from importer.labeller.combine import labelled_tasks
    from importer.read.readers import read_document

    if mode == "alone":
        lines, _ = read_document(example.data, example.filename)
        _, year, _ = read_header(lines)
        return [t.model_dump(mode="json") for _, t in labelled_tasks(lines, year, labeller)], None
    try:
        draft = import_document(example.data, example.filename, labeller_mode=mode, labeller=labeller)
    except PlanImportError as error:
        return None, error.reason
    return [t.model_dump(mode="json") for t in draft.tasks], None


def _corpus(everything) -> dict:
    """What the folds were cut from: two runs with the same corpus digest train the same models."""
    from importer.labeller.model import sequences_hash

    sequences = [e.sequence for e in everything]
    return dict(renditions=len(sequences), segments=sum(len(labels) for _, labels in sequences),
                sha256=sequences_hash(sequences)[:16])


def lopo(modes: tuple[str, ...] = MODES, iterations: int | None = None, only: list[int] | None = None) -> dict:
    """`only`: score just the families of these corpus rounds (every fold is still trained on all other families)."""
    from importer.labeller.model import trained_model
    from importer.train import examples, line_sequences

    everything = examples()
    rows: dict[str, list[dict]] = {m: [] for m in modes}
    cpu = time.process_time()
    scored = {f for n in only for f in ROUNDS[n][1]} if only else {e.family for e in everything}
    for family in sorted({e.family for e in everything} & scored):
        model = trained_model(line_sequences([e for e in everything if e.family != family]), iterations=iterations,
                              spans=[s for e in everything if e.family != family for s in e.spans])
        for example in (e for e in everything if e.family == family):
            for mode in modes:
                tasks, error = _today(example, mode, model)
                rows[mode].append(_row(example.rendition, example.reading, tasks, error))
    return dict(rows=rows, corpus=_corpus(everything), cpu_seconds=round(time.process_time() - cpu, 1))


def tune(settings: list[dict], numbers: list[int]) -> dict:
    """The labeller alone on each round in `numbers` as `rounds` reads it (the round's rules at its blind commit,
    a fold trained on every family but the round's), once per training setting (model.PARAMS' values replaced):
    what c1, c2 and the iterations give on whole rounds left out. Never give it the held-out rounds 11-13."""
    from tests.unit.importer.scoreboard import totals

    keys = ("found", "required", "precision", "lead", "timing")
    out = []
    for params in settings:
        training = {k: v for k, v in params.items() if k != "augment"}
        result = rounds(numbers, params=training, modes=("alone",), augment=bool(params.get("augment", 1)))
        out.append(dict(params=params, total={k: totals(result["rows"]["alone"])[k] for k in keys},
                        per_round={n: {k: totals(r["alone"])[k] for k in keys} for n, r in result["per_round"].items()},
                        cpu_seconds=result["cpu_seconds"], corpus=result["corpus"]))
    return dict(settings=out)


WORKER = r'''
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from importer import PlanImportError, import_document
from importer.header.preamble import body_start, read_header
from importer.labeller.combine import combine, labelled_tasks
from importer.labeller.model import Labeller
from importer.read.readers import read_document
import importer.draft.build as build
model = Labeller(Path(sys.argv[2]))
import importer.labeller.blocks as blocks
if hasattr(blocks, "RULES_READ_BLOCKS"):
    blocks.RULES_READ_BLOCKS = sys.argv[4] == "1"
out = []
for path in json.loads(sys.argv[3]):
    data, name = Path(path).read_bytes(), Path(path).name
    lines, _ = read_document(data, name)
    _, year, _ = read_header(lines)
    start = body_start(lines)
    body = [line for line in lines if line.number >= start]  # as import_document gives the labeller
    crf = labelled_tasks(body, year, model)
    result = {"file": name, "error": None, "alone": [t.model_dump(mode="json") for _, t in crf]}
    if sys.argv[5] == "alone":  # tune: the labeller alone
        out.append(result)
        continue
    if hasattr(build, "combine"):  # the round's import_document joins its rules' tasks (with their lines) by
        for mode in ("off", "fallback", "fill", "prefer", "weigh"):  # today's combine, with the fold's model
            try:
                tasks = import_document(data, name, labeller_mode=mode, labeller=model).tasks
            except PlanImportError as e:
                tasks, result["error"] = [], e.reason
            result[mode] = [t.model_dump(mode="json") for t in tasks]
        out.append(result)
        continue
    try:  # rules older than the labeller: their tasks carry no line, so joining by line cannot hold
        rules = [(None, t) for t in import_document(data, name).tasks]
    except PlanImportError as e:
        rules, result["error"] = [], e.reason
    for mode in ("off", "fallback", "fill", "prefer", "weigh"):
        tasks = [t for _, t in combine([(0, t) for _, t in rules], lambda: crf, mode)]
        result[mode] = [t.model_dump(mode="json") for t in tasks]
    out.append(result)
print(json.dumps(out, ensure_ascii=False))
'''


def _old_rules(commit: str, folder: Path) -> Path:
    """The importer package at `commit`, with today's labeller package copied in."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "importer"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    shutil.copytree(ROOT / "importer" / "labeller", folder / "importer" / "labeller", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.crfsuite", "__pycache__"))
    return folder


def rounds(only: list[int] | None = None, rules_read_blocks: bool = True, *, params: dict | None = None,
           modes: tuple[str, ...] = MODES, augment: bool = True, folds: Path | None = None) -> dict:
    """`params`: training parameters in place of model.PARAMS' (tune); `modes`: MODES, or ("alone",);
    `augment`: the folds train on the augmented copies too (as the shipped model does); `folds`: a folder that
    keeps each fold's model, named by the corpus digest, the round and the training settings, and gives it back
    to a later run (a change to the join only, combine.py or hollow.py, needs no training)."""
    from importer.labeller.model import spans_path, train
    from importer.train import examples, line_sequences

    everything = examples()
    digest = _corpus(everything)["sha256"]
    rows: dict[str, list[dict]] = {m: [] for m in modes}
    per_round = {}
    cpu, children_before = time.process_time(), os.times()
    for number, (commit, families) in ROUNDS.items():
        if only and number not in only:
            continue
        held = [e for e in everything if e.family in families]
        with tempfile.TemporaryDirectory() as tmp:
            folder = _old_rules(commit, Path(tmp))
            settings = json.dumps([params or {}, augment], sort_keys=True)
            kept = folds / f"{digest}-{number}-{hashlib.sha256(settings.encode()).hexdigest()[:8]}.crfsuite" \
                if folds else None
            model = kept or Path(tmp) / "fold.crfsuite"
            if not (kept and kept.exists() and spans_path(kept).exists()):
                train(line_sequences([e for e in everything if e.family not in families], augment=augment), model,
                      spans=[s for e in everything if e.family not in families for s in e.spans], params=params)
            paths = [str(ROOT / "tests" / "fixtures" / "plans" / "corpus" / e.rendition) for e in held]
            run = subprocess.run([sys.executable, "-c", WORKER, str(folder), str(model), json.dumps(paths),
                                  "1" if rules_read_blocks else "0", "alone" if modes == ("alone",) else "all"],
                                 check=True, capture_output=True, text=True, cwd=tmp,
                                 env={**os.environ, "PYTHONPATH": str(folder)})
        results = {r["file"]: r for r in json.loads(run.stdout)}
        per_round[number] = {m: [] for m in modes}
        for example in held:
            result = results[example.rendition]
            for mode in modes:
                empty = mode != "alone" and not result[mode] and result["error"]
                row = _row(example.rendition, example.reading, None if empty else result[mode],
                           result["error"] if empty else None)
                rows[mode].append(row)
                per_round[number][mode].append(row)
    children = os.times()
    spent = children.children_user + children.children_system - children_before.children_user \
        - children_before.children_system
    return dict(rows=rows, per_round=per_round, corpus=_corpus(everything),
                cpu_seconds=round(time.process_time() - cpu + spent, 1))


RETRO_WORKER = r"""
import importlib.util, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import importer.draft.build as build
from importer import PlanImportError, import_document
from importer.header.preamble import body_start, read_header
from importer.labeller.combine import combine as shipped_combine, labelled_tasks
from importer.labeller.model import shipped
from importer.read.readers import read_document
spec = importlib.util.spec_from_file_location("importer.labeller.combine_today", sys.argv[2])
today = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = today
spec.loader.exec_module(today)
modes = json.loads(sys.argv[4])
out = []
for path in json.loads(sys.argv[3]):
    data, name = Path(path).read_bytes(), Path(path).name
    lines, _ = read_document(data, name)
    _, year, _ = read_header(lines)
    body = [line for line in lines if line.number >= body_start(lines)]
    result = {"file": name, "alone": [t.model_dump(mode="json") for _, t in labelled_tasks(body, year, shipped())]}
    for key, combine, mode in [("blind", shipped_combine, "fill"), ("off", shipped_combine, "off")] + [
            (m, today.combine, m) for m in modes]:
        build.combine = combine
        try:
            result[key] = [t.model_dump(mode="json") for t in import_document(data, name, labeller_mode=mode).tasks]
            result[key + "_error"] = None
        except PlanImportError as e:
            result[key], result[key + "_error"] = None, e.reason
    out.append(result)
print(json.dumps(out, ensure_ascii=False))
"""


def retro(numbers: list[int], new_modes: tuple[str, ...]) -> dict:
    """Each round's BLIND commit (its rules, its shipped labeller model, its renditions and readings, from a
    `git archive`), its tasks joined by that commit's combine in fill (what shipped blind: "blind") and by today's
    combine.py in `new_modes`; "off" the rules alone, "alone" the labeller alone. Evidence, not a blind figure: the
    combinations were written after these rounds were seen."""
    cpu = time.process_time()
    keys = ("blind", "off", "alone") + new_modes
    rows: dict[str, list[dict]] = {k: [] for k in keys}
    per_round, raw = {}, []
    for number in numbers:
        commit, families = BLIND[number], ROUNDS[number][1]
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "importer",
                                      "tests/fixtures/plans/corpus"], check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
            for module in ("hollow.py", "pairs.py", "weigh.py"):  # what today's combine.py imports that the blind commit has not
                target = Path(tmp) / "importer" / "labeller" / module
                if not target.exists():
                    shutil.copy(ROOT / "importer" / "labeller" / module, target)
            corpus = Path(tmp) / "tests" / "fixtures" / "plans" / "corpus"
            held = sorted(p for f in families for p in corpus.glob(f + ".*") if not p.name.endswith(".expected.json"))
            run = subprocess.run([sys.executable, "-c", RETRO_WORKER, tmp,
                                  str(ROOT / "importer" / "labeller" / "combine.py"),
                                  json.dumps([str(p) for p in held]), json.dumps(list(new_modes))],
                                 check=True, capture_output=True, text=True, cwd=tmp,
                                 env={**os.environ, "PYTHONPATH": tmp})
            readings = {p.name: json.loads((corpus / (p.name.split(".")[0] + ".expected.json")).read_text("utf-8"))
                        for p in held}
        per_round[number] = {k: [] for k in keys}
        results = json.loads(run.stdout)
        raw += [dict(result, round=number) for result in results]
        for result in results:
            for key in keys:
                error = result.get(key + "_error")
                row = _row(result["file"], readings[result["file"]], result[key], error)
                rows[key].append(row)
                per_round[number][key].append(row)
    children = os.times()
    return dict(rows=rows, per_round=per_round, tasks=raw,
                cpu_seconds=round(time.process_time() - cpu + children.children_user + children.children_system, 1))


def modes(numbers: list[int]) -> dict:
    """The rounds' renditions in every mode with the shipped model and today's rules (no fold, no old commit)."""
    from importer.labeller.model import shipped
    from tests.unit.importer.plan_cases import document, entry_id, manifest_entries

    model = shipped()
    rounds_ = {f"corpus{n}" for n in numbers}
    rows: dict[str, list[dict]] = {m: [] for m in MODES}
    cpu = time.process_time()
    for entry in (e for e in manifest_entries() if e.get("round") in rounds_):
        data, name = document(entry)
        reading = json.loads(entry["reading_path"].read_text(encoding="utf-8"))
        example = type("Rendition", (), dict(data=data, filename=name))
        for mode in MODES:
            tasks, error = _today(example, mode, model)
            rows[mode].append(_row(entry_id(entry), reading, tasks, error))
    return dict(rows=rows, cpu_seconds=round(time.process_time() - cpu, 1))


def speed(runs: int = 5) -> dict:
    """CPU seconds per import, rules alone (off) and with the labeller (fill, prefer, weigh), same documents, same run."""
    import importlib.util
    import statistics

    from importer import import_document

    spec = importlib.util.spec_from_file_location("bench_importer", ROOT / "bench" / "importer.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = {}
    for name, data in bench.renditions(bench.synthetic_plan(60)):
        figures = {}
        for mode in ("off", "fill", "prefer", "weigh"):
            cpu = []
            for _ in range(runs):
                started = time.process_time()
                draft = import_document(data, name, labeller_mode=mode)
                cpu.append(time.process_time() - started)
            figures[mode] = {"tasks": len(draft.tasks), "cpu_mean_s": round(statistics.mean(cpu), 4),
                             "cpu_min_s": round(min(cpu), 4)}
        out[name] = figures
    return {"runs": runs, "renditions": out}


def _pct(row: dict, key: str) -> str:
    return f"{row[key]:.0%}" if row["found"] or key == "precision" else "–"


def compare_table(rows: dict[str, list[dict]], without: str = "off", with_: str = "fill") -> str:
    """One line per held-out rendition: found / precision / first lead / timing, without → with the labeller."""
    from tests.unit.importer.scoreboard import totals

    out = [f"| plan (rendition) | found {without} → {with_} | precision | first lead exact | timing exact |",
           "|---|---|---|---|---|"]
    for a, b in zip(rows[without], rows[with_]):
        out.append(f"| {a['file']} | {a['found']}/{a['required']} → {b['found']}/{b['required']} | "
                   + " | ".join(f"{_pct(a, k)} → {_pct(b, k)}" for k in ("precision", "lead", "timing")) + " |")
    ta, tb = totals(rows[without]), totals(rows[with_])
    out.append(f"| **all** | {ta['found']}/{ta['required']} ({ta['found_rate']:.0%}) → {tb['found']}/{tb['required']} "
               f"({tb['found_rate']:.0%}) | " + " | ".join(f"{ta[k]:.0%} → {tb[k]:.0%}" for k in ("precision", "lead", "timing"))
               + " |")
    return "\n".join(out)


def _report(rows: dict[str, list[dict]]) -> str:
    from tests.unit.importer.scoreboard import table, totals

    out = []
    for mode in rows:
        t = totals(rows[mode])
        out.append(f"{mode:9s} found {t['found']}/{t['required']} ({t['found_rate']:.0%})  precision "
                   f"{t['precision']:.0%}  first lead {t['lead']:.0%}  timing {t['timing']:.0%}")
    if "off" in rows and "fill" in rows:
        out += ["", compare_table(rows)]
    for mode in ("alone",) if "alone" in rows else ():
        out += ["", f"### {mode}", table(rows[mode])]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("lopo", "rounds", "speed", "modes", "retro", "tune"))
    parser.add_argument("--param", action="append", default=[],
                        help="tune: training parameters, c1=0.1,c2=0.05,max_iterations=300 (repeatable)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--round", type=int, action="append",
                        help="rounds, lopo: only these corpus rounds' plans (repeatable)")
    parser.add_argument("--no-rules-reading", action="store_true",
                        help="blocks the labeller's own reading finds no lead in are dropped, not read by the rules")
    parser.add_argument("--modes", default=",".join(MODES), help="lopo: which of off,alone,fallback,fill")
    parser.add_argument("--iterations", type=int, help="lopo: training iterations per fold (default the shipped 300)")
    parser.add_argument("--folds", type=Path, help="rounds: keep the folds' models in this folder and use them again")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.what == "lopo":
        result = lopo(tuple(args.modes.split(",")), args.iterations, args.round)
    elif args.what == "tune":
        if set(args.round or []) & {11, 12, 13}:
            parser.error("rounds 11-13 are held out: tune on other rounds")
        settings = [{k: float(v) if "." in v else int(v) for k, v in (kv.split("=") for kv in p.split(",") if kv)}
                    for p in args.param] or [{}]
        result = tune(settings, args.round or [14, 15, 16, 17, 18, 19])
    elif args.what == "modes":
        result = modes(args.round or [])
    elif args.what == "retro":
        result = retro(args.round or [14, 15, 16, 17], tuple(args.modes.split(",")) if args.modes != ",".join(MODES)
                       else ("fill", "prefer", "weigh"))
    else:
        if args.folds:
            args.folds.mkdir(parents=True, exist_ok=True)
        result = rounds(args.round, not args.no_rules_reading, folds=args.folds) if args.what == "rounds" else speed()
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    result["load_average"] = os.getloadavg()
    if args.json or args.what in ("speed", "tune"):
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(_report(result["rows"]))
    if "per_round" in result:
        from tests.unit.importer.scoreboard import totals

        for number, rows in result["per_round"].items():
            print(f"round {number}: " + "; ".join(
                f"{m} {totals(rows[m])['found']}/{totals(rows[m])['required']} p={totals(rows[m])['precision']:.1%}"
                f" lead {totals(rows[m])['lead']:.0%} timing {totals(rows[m])['timing']:.0%}" for m in rows))
    print(f"trained on {result.get('corpus')}")
    print(f"wall {result['wall_seconds']} s, CPU {result.get('cpu_seconds')} s, load average {result['load_average']}")


if __name__ == "__main__":
    main()

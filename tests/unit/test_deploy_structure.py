"""The production shape (docker-compose.yml, Dockerfile) holds together without a Docker engine."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from services.plans.settings import PlansSettings
from services.runtime.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("plans", "tasks", "reporting", "notify")
# notify's own settings: read by notify alone, so they are not fields of the shared ServiceSettings.
NOTIFY_SETTINGS = ("TIENDO_SMTP_HOST", "TIENDO_SMTP_PORT", "TIENDO_SMTP_SENDER")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def environment_of(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def depends_on(service: dict) -> dict[str, dict]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: {"condition": "service_started"} for name in deps}
    return deps


def test_kafka_runs_in_kraft_mode_from_an_apache_kafka_image(compose):
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = environment_of(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    for name in ("KAFKA_NODE_ID", "KAFKA_LISTENERS", "KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_CONTROLLER_LISTENER_NAMES"):
        assert env.get(name), name
    assert "healthcheck" in kafka


def test_nothing_mentions_zookeeper():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "zookeeper" not in text.lower()


def test_mongo_runs_as_a_replica_set_with_a_health_check_that_initiates_it(compose):
    mongo = compose["services"]["mongo"]
    command = mongo["command"]
    command = " ".join(command) if isinstance(command, list) else command
    assert "--replSet" in command
    test = mongo["healthcheck"]["test"]
    assert "rs.initiate" in (" ".join(test) if isinstance(test, list) else test)


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_is_built_from_the_root_dockerfile(compose, name):
    build = compose["services"][name]["build"]
    if isinstance(build, dict):
        assert build.get("context", ".") in (".", "./")
        assert build.get("dockerfile", "Dockerfile") == "Dockerfile"
    else:
        assert build in (".", "./")


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_its_own_module(compose, name):
    assert compose["services"][name]["command"] == ["python", "-m", f"services.{name}"]


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_checks_its_health_endpoint(compose, name):
    test = compose["services"][name]["healthcheck"]["test"]
    text = " ".join(test) if isinstance(test, list) else test
    assert "/health" in text


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_waits_for_healthy_kafka_and_mongo(compose, name):
    deps = depends_on(compose["services"][name])
    for needed in ("kafka", "mongo"):
        assert deps[needed]["condition"] == "service_healthy", needed


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_in_production_against_kafka_and_a_mongo_replica_set(compose, name):
    env = environment_of(compose["services"][name])
    assert env["TIENDO_ENVIRONMENT"] == "production"
    assert env["TIENDO_KAFKA_BOOTSTRAP"]
    assert env["TIENDO_STORE_URL"].startswith("mongodb://") and "replicaSet=rs0" in env["TIENDO_STORE_URL"]
    assert env["TIENDO_TOKEN_SECRET"].startswith("${TIENDO_TOKEN_SECRET:?")
    assert env["TIENDO_HTTP_HOST"] == "0.0.0.0"
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"]


def test_each_service_publishes_its_own_http_port(compose):
    expected = {"plans": "8001", "tasks": "8002", "reporting": "8003", "notify": "8004"}
    for name, port in expected.items():
        service = compose["services"][name]
        assert environment_of(service)["TIENDO_HTTP_PORT"] == port
        assert f"{port}:{port}" in [str(p) for p in service["ports"]]


def test_every_tiendo_setting_in_compose_is_one_the_services_read(compose):
    shared = {f"TIENDO_{field}".upper() for field in ServiceSettings.model_fields}
    plans_own = {f"TIENDO_{field}".upper() for field in PlansSettings.model_fields} - shared
    for name, service in compose["services"].items():
        for variable in environment_of(service):
            if not variable.startswith("TIENDO_"):
                continue
            if variable in plans_own:
                assert name == "plans", f"{name} sets plans' own {variable}"
            elif variable in NOTIFY_SETTINGS:
                assert name == "notify", f"{name} sets notify's own {variable}"
            else:
                assert variable in shared, f"{name} sets {variable}, which no settings field reads"


def test_notify_is_given_its_smtp_settings(compose):
    env = environment_of(compose["services"]["notify"])
    assert set(NOTIFY_SETTINGS) <= set(env)


def test_every_image_is_pinned_to_a_tag_other_than_latest(compose):
    for name, service in compose["services"].items():
        image = service.get("image")
        if image is None:
            assert "build" in service, f"{name} has neither image nor build"
            continue
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name} image {image!r} has no tag"
        assert tag != "latest", f"{name} image {image!r} is not pinned"


def test_the_dockerfile_starts_from_python_3_11():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    bases = re.findall(r"^\s*FROM\s+(\S+)", text, flags=re.MULTILINE | re.IGNORECASE)
    assert bases and all(re.fullmatch(r"python:3\.11-[\w.-]+", base) for base in bases), bases
    assert "pip install ." in text
    assert re.search(r"^\s*USER\s+(?!root\b|0\b)\S+", text, flags=re.MULTILINE), "the image must not run as root"


def test_the_image_installs_the_converter_the_importer_reads_doc_files_through():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "shutil.which(\"antiword\")" in (ROOT / "importer/read/doc_reader.py").read_text(encoding="utf-8")
    assert re.search(r"apt-get install[^\n]*\bantiword\b", text), "the image must install antiword (importer/read/doc_reader.py)"


def test_the_scale_out_documents_index_table_is_every_services_declared_indexes() -> None:
    """deploy/scale-out.md's "MongoDB indexes" table lists exactly the fields each service declares (and creates at
    start-up): a declared index missing from it, or a row no service declares, fails."""
    from services.notify.handlers.repository import INDEXES as notify
    from services.plans.bootstrap import INDEXES as plans
    from services.reporting.bootstrap import INDEXES as reporting
    from services.tasks.bootstrap import INDEXES as tasks

    declared = {(service, collection): list(fields) for service, indexes in
                (("plans", plans), ("tasks", tasks), ("reporting", reporting), ("notify", notify))
                for collection, fields in indexes.items()}
    text = (ROOT / "deploy" / "scale-out.md").read_text(encoding="utf-8").split("## MongoDB indexes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (plans|tasks|reporting|notify) \| (\w+) \| (.+) \|$", text, flags=re.MULTILINE)
    documented = {(service, collection): re.findall(r"`(\w+)`", fields) for service, collection, fields in rows}
    assert documented == declared

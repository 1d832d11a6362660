"""Found by schemathesis: a JSON body that is not UTF-8, or a broken multipart form, was answered 400 with the
framework's own words, a status no operation documents; it is an invalid request (422) naming the body, like any other
undecodable JSON."""
from __future__ import annotations

import httpx
from fastapi import FastAPI, UploadFile
from pydantic import BaseModel

from services.runtime.problems import PROBLEM, install_problem_handlers


class Thing(BaseModel):
    name: str


def app_with_a_body() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def post_thing(body: Thing) -> dict:
        return body.model_dump()

    @app.post("/files")
    async def post_file(file: UploadFile) -> dict:
        return {"name": file.filename}

    return app


async def test_a_body_that_is_not_utf8_is_an_invalid_request_naming_the_body():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_with_a_body()), base_url="http://test") as client:
        response = await client.post("/things", content=b"\xff\xfe\x15\x03<", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert response.json()["field"] == "body"


async def test_a_broken_multipart_form_is_an_invalid_request_naming_the_body():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_with_a_body()), base_url="http://test") as client:
        response = await client.post("/files", content=b"--x\r\nnot a part", headers={"content-type": "multipart/form-data"})
    assert response.status_code == 422 and response.json()["field"] == "body"


async def test_other_http_errors_keep_their_status():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_with_a_body()), base_url="http://test") as client:
        response = await client.get("/nowhere")
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM


async def test_a_body_that_is_not_json_names_the_body_not_a_character_position():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_with_a_body()), base_url="http://test") as client:
        response = await client.post("/things", content=b'{"name": ', headers={"content-type": "application/json"})
    problem = response.json()
    assert response.status_code == 422 and problem["field"] == "body"
    assert problem["detail"].startswith("body: not valid JSON (at character")

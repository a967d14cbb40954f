"""Changes take JSON bodies only: the bodies a cross-origin "simple" request can send are 415."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.support import KeyedClient, app_client, create, spec

SIMPLE = ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x"]  # fmt: skip


@pytest.fixture
def client() -> Iterator[KeyedClient]:
    with app_client() as c:
        yield c


@pytest.mark.parametrize("content_type", [*SIMPLE, "application/jsonx", "text/json", ""])
@pytest.mark.parametrize("action", ["stop", "reset", "pause", "resume", "fork"])
def test_a_control_with_a_body_not_json_is_415_and_changes_nothing(
    client: KeyedClient, content_type: str, action: str
) -> None:
    job = create(client)["id"]  # the client sends the job's key: only the body is wrong
    before = client.get(f"/api/jobs/{job}").json()
    response = client.post(
        f"/api/jobs/{job}/{action}", content=b"{}", headers={"Content-Type": content_type}
    )
    assert response.status_code == 415, response.text
    assert "application/json" in response.json()["detail"]
    assert client.get(f"/api/jobs/{job}").json() == before
    assert len(client.get("/api/jobs").json()) == 1  # no fork either


def test_a_body_with_no_content_type_is_415(client: KeyedClient) -> None:
    # A Blob body of no type: the browser sends no Content-Type, and no preflight.
    body = b'{"network": {"layers": [3, 5, 2]}}'
    assert client.post("/api/jobs", content=body).status_code == 415
    job = create(client)["id"]
    response = client.post(f"/api/jobs/{job}/step", content=b'{"iterations": 3}')
    assert response.status_code == 415
    assert client.get(f"/api/jobs/{job}").json()["iteration"] == 0
    assert len(client.get("/api/jobs").json()) == 1


@pytest.mark.parametrize("content_type", SIMPLE)
def test_a_create_or_preview_with_a_simple_type_is_415(
    client: KeyedClient, content_type: str
) -> None:
    for path in ("/api/jobs", "/api/preview"):
        response = client.post(path, json=spec(), headers={"Content-Type": content_type})
        assert response.status_code == 415, (path, response.text)
    assert client.get("/api/jobs").json() == []


def test_a_patch_with_a_simple_type_is_415(client: KeyedClient) -> None:
    job = create(client)["id"]
    response = client.patch(
        f"/api/jobs/{job}", content=b'{"speed": 5}', headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert client.get(f"/api/jobs/{job}").json()["spec"]["speed"] is None


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "Application/JSON",
     "application/merge-patch+json"],
)  # fmt: skip
def test_json_types_are_taken(client: KeyedClient, content_type: str) -> None:
    job = create(client)["id"]
    response = client.patch(
        f"/api/jobs/{job}", content=b'{"speed": 5}', headers={"Content-Type": content_type}
    )
    assert response.status_code == 200, response.text
    assert response.json()["spec"]["speed"] == 5


@pytest.mark.parametrize(
    ("action", "status"),
    [("resume", 200), ("pause", 200), ("stop", 200), ("reset", 200), ("fork", 201)],
)
def test_a_post_without_a_body_needs_no_content_type(
    client: KeyedClient, action: str, status: int
) -> None:
    job = create(client)["id"]
    assert client.post(f"/api/jobs/{job}/{action}").status_code == status
    empty = client.post(f"/api/jobs/{job}/reset", headers={"Content-Length": "0"})
    assert empty.status_code == 200


def test_an_unknown_path_is_404_whatever_the_body(client: KeyedClient) -> None:
    response = client.post("/api/nothing", content=b"x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 404

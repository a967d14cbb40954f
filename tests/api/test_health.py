from fastapi.testclient import TestClient

from backend import __version__
from backend.api.app import create_app
from backend.config import Settings


def test_health_reports_ok_and_version() -> None:
    with TestClient(create_app(Settings()), base_url="http://localhost") as client:
        response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


def test_unknown_api_path_is_404() -> None:
    with TestClient(create_app(Settings()), base_url="http://localhost") as client:
        assert client.get("/api/no-such-thing").status_code == 404

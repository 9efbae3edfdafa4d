"""Project-level URLs: the API docs, and JSON errors under /api/."""

from __future__ import annotations

from django.test import Client


def test_it_serves_the_api_docs_without_a_cdn(db: None) -> None:
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


def test_it_serves_the_openapi_schema(db: None) -> None:
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/cases/{id}/transitions/{name}/" in paths
    assert "/api/students/" in paths


def test_it_answers_unknown_api_urls_with_json(db: None) -> None:
    response = Client().get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}

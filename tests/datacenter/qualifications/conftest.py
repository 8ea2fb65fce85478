"""Uploaded files go to a fresh folder per test: files outlive the rolled-back database."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    return tmp_path / "media"

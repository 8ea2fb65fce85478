"""Uploaded files go to a fresh folder per test (the licences' fixture)."""

from tests.datacenter.licences.conftest import media_storage  # noqa: F401

"""The organisation-file fixtures for every packaging test."""

from tests.packaging.organisation_fixtures import organisation_dir, organisation_file  # noqa: F401 - fixtures

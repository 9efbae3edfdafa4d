"""Project-level app configs."""

from __future__ import annotations

from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class StaticFilesConfig(BaseStaticFilesConfig):
    """collectstatic without viewflow's vendored sources.

    viewflow ships its npm trees (``node_modules``) and the Dash renderer (``dash``) next to the
    built files; their CSS and source maps reference files that are not shipped, which makes
    the manifest storage fail. The built files the pages load are outside both directories, and
    the ``.map`` files stay so browsers' developer tools keep working.
    """

    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "node_modules", "dash"]

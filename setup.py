"""The packages a wheel holds: `app` and every package under it, and the top-level `resources/`
folder (the sample project's images) mapped to `app/resources/` inside it, so an installed Loupe
carries them (app.core.resource_files finds the folder in a checkout and in an installation).
Everything else about the project is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["app", "app.*"]), "app.resources"],
    package_dir={"app.resources": "resources"},
)

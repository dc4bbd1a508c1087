"""Tiny zero-shot models (both formats) saved once per session, and a small colour project:
4 images per class, half of them labelled."""

import pytest

from tests.zeroshot_models import save_tiny_open_clip, save_tiny_zeroshot_clip


@pytest.fixture(scope="session")
def tiny_clip(tmp_path_factory):
    return save_tiny_zeroshot_clip(tmp_path_factory.mktemp("zs-clip"))


@pytest.fixture(scope="session")
def tiny_open_clip(tmp_path_factory):
    return save_tiny_open_clip(tmp_path_factory.mktemp("zs-open-clip"))


@pytest.fixture(scope="session", params=["transformers", "open_clip"])
def tiny_zeroshot(request, tiny_clip, tiny_open_clip):
    """Each format's tiny model folder, in turn."""
    return tiny_clip if request.param == "transformers" else tiny_open_clip


@pytest.fixture
def colour_project(tmp_path):
    """A project with 4 images of each of red/green/blue; the first 2 of each labelled."""
    from app.core.labelling.labels import set_labels
    from app.core.project.store import Project
    from tests.tiny_models import make_colour_project

    path = make_colour_project(tmp_path, per_class=4)
    with Project.open(path) as project:
        rows = project.conn.execute(
            "SELECT l.image_id FROM labels l JOIN images i ON i.id = l.image_id ORDER BY i.path"
        ).fetchall()
        keep = {image_id for index, (image_id,) in enumerate(rows) if index % 4 < 2}
        set_labels(project, [(image_id, None) for (image_id,) in rows if image_id not in keep], "human", "clear")
    return path

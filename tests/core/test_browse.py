"""The grid's query: filters, search, sort, and the rejected files."""

import pytest

from app.core.labelling.browse import ImageQuery, depends_on_labels, matches, query_images
from app.core.labelling.classes import add_class
from app.core.labelling.labels import label_images
from tests.core.test_labels_and_classes import add_images


@pytest.fixture
def labelled(project):
    ids = add_images(project, 6)  # img0.png .. img5.png
    cat, dog = add_class(project, "cat"), add_class(project, "dog")
    label_images(project, ids[:2], cat.id)
    label_images(project, ids[2:3], dog.id)
    project.conn.execute("INSERT INTO rejected_files (path, reason) VALUES ('bad.jpg', 'the file is empty')")
    project.conn.commit()
    return project, ids, cat, dog


def test_filters(labelled):
    project, ids, cat, dog = labelled
    assert query_images(project).image_ids == ids
    assert query_images(project, ImageQuery(show="unlabelled")).image_ids == ids[3:]
    assert query_images(project, ImageQuery(show="labelled")).image_ids == ids[:3]
    rows = query_images(project, ImageQuery(show="class", class_id=cat.id))
    assert rows.image_ids == ids[:2] and rows.class_ids == [cat.id, cat.id]


def test_search_and_sort(labelled):
    project, ids, *_ = labelled
    assert query_images(project, ImageQuery(search="IMG3")).paths == ["img3.png"]
    assert query_images(project, ImageQuery(search="%")).paths == []  # literal, not a wildcard
    assert query_images(project, ImageQuery(sort="added", descending=True)).image_ids == ids[::-1]


def test_the_suggested_queue_keeps_its_order_and_drops_labelled_images(labelled):
    project, ids, cat, dog = labelled
    queue = (ids[5], ids[0], ids[3], ids[4])  # ids[0] is labelled: it is not in the queue
    for sort, descending in (("name", False), ("added", True)):  # the sort order does not apply
        rows = query_images(project, ImageQuery(show="suggested", image_ids=queue, sort=sort, descending=descending))
        assert rows.image_ids == [ids[5], ids[3], ids[4]] and rows.class_ids == [None] * 3
    assert query_images(project, ImageQuery(show="suggested", image_ids=queue, search="img4")).image_ids == [ids[4]]
    assert query_images(project, ImageQuery(show="suggested")).image_ids == []  # no suggestions yet
    label_images(project, [ids[3]], dog.id)  # labelled in the queue: it leaves it
    assert query_images(project, ImageQuery(show="suggested", image_ids=queue)).image_ids == [ids[5], ids[4]]
    query = ImageQuery(show="suggested", image_ids=queue)
    assert not matches(query, dog.id) and matches(query, None) and depends_on_labels(query)


def test_rejected_files_are_listed_with_reasons(labelled):
    project, *_ = labelled
    rows = query_images(project, ImageQuery(show="rejected"))
    assert rows.paths == ["bad.jpg"] and rows.reasons == ["the file is empty"] and rows.image_ids == [None]


def test_unknown_filter_is_refused(project):
    with pytest.raises(ValueError, match="unknown filter"):
        query_images(project, ImageQuery(show="nonsense"))

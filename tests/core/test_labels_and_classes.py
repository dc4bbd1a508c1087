"""Labelling actions, undo/redo that survives reopening, and class management."""

import pytest

from app.core.errors import LoupeError
from app.core.labelling.classes import (
    add_class,
    delete_class,
    list_classes,
    move_class,
    recolour_class,
    rename_class,
)
from app.core.labelling.labels import (
    UndoHistory,
    current_labels,
    label_images,
    next_redo,
    next_undo,
    redo,
    set_labels,
    undo,
    undo_redo_descriptions,
    undo_stacks,
)
from app.core.project.store import Project
from app.core.project.summary import summarize
from tests.sqlite_work import seed_label_actions, sqlite_work


def add_images(project, count):
    conn = project.conn
    for i in range(count):
        conn.execute(
            "INSERT INTO images (path, sha256, size_bytes, format, width, height, bit_depth, bands, mode)"
            " VALUES (?, ?, 1, 'png', 4, 4, 8, 3, 'rgb')",
            (f"img{i}.png", f"sha{i}"),
        )
    conn.commit()
    return [row[0] for row in conn.execute("SELECT id FROM images ORDER BY id")]


def labels(project):
    return dict(project.conn.execute("SELECT image_id, class_id FROM labels").fetchall())


def test_batch_label_is_one_undoable_action(project):
    ids = add_images(project, 5)
    cat, dog = add_class(project, "cat"), add_class(project, "dog")
    label_images(project, ids[:3], cat.id)
    result = label_images(project, ids[1:4], dog.id)
    assert result.description == "Label 3 images as 'dog'" and set(result.image_ids) == set(ids[1:4])
    assert labels(project) == {ids[0]: cat.id, ids[1]: dog.id, ids[2]: dog.id, ids[3]: dog.id}

    assert next_undo(project) == "Label 3 images as 'dog'"
    undone = undo(project)
    assert set(undone.image_ids) == set(ids[1:4])
    assert labels(project) == {ids[0]: cat.id, ids[1]: cat.id, ids[2]: cat.id}
    assert next_redo(project) == "Label 3 images as 'dog'"
    redo(project)
    assert labels(project) == {ids[0]: cat.id, ids[1]: dog.id, ids[2]: dog.id, ids[3]: dog.id}
    undo(project)
    undo(project)
    assert labels(project) == {} and undo(project) is None
    assert next_redo(project) == "Label 3 images as 'cat'"


def test_a_new_action_clears_redo(project):
    ids = add_images(project, 2)
    cat = add_class(project, "cat")
    label_images(project, [ids[0]], cat.id)
    undo(project)
    label_images(project, [ids[1]], cat.id)
    assert redo(project) is None
    assert labels(project) == {ids[1]: cat.id}


def test_undo_survives_reopening(tmp_path):
    path = tmp_path / "p.loupe"
    with Project.create(path) as project:
        ids = add_images(project, 3)
        cat = add_class(project, "cat")
        label_images(project, ids, cat.id)
        label_images(project, [ids[0]], None)
        undo(project)  # the clear is undone; redo could bring it back
    with Project.open(path) as project:
        assert len(labels(project)) == 3
        assert next_redo(project) == "Clear the label of 1 image"
        assert next_undo(project) == "Label 3 images as 'cat'"
        undo(project)
        assert labels(project) == {}
    with Project.open(path) as project:
        redo(project)
        assert len(labels(project)) == 3


def test_the_history_kept_in_memory_follows_every_change_as_a_replay_of_the_log_would(project):
    ids = add_images(project, 4)
    cat, dog = add_class(project, "cat"), add_class(project, "dog")
    history = UndoHistory.read(project.conn)

    def in_step() -> bool:
        history.catch_up(project.conn)
        return (history.undo, history.redo) == undo_stacks(project.conn)

    label_images(project, ids[:2], cat.id)
    assert in_step()
    undo(project, history)
    assert in_step() and history.redo
    redo(project, history)
    assert in_step() and not history.redo
    delete_class(project, cat.id)
    assert in_step()
    undo(project, history)
    assert in_step()
    with Project.open(project.file, read_only=True) as other:  # another connection wrote nothing
        assert UndoHistory.read(other.conn).undo == history.undo
    other_conn = project.conn.__class__(project.file)  # an import's own connection
    set_labels(project, [(ids[3], dog.id)], "imported", "Labels from folder names", conn=other_conn)
    other_conn.commit()
    other_conn.close()
    assert in_step()
    assert history.next_step(project.conn, "undo").description == "Labels from folder names"
    assert history.next_step(project.conn, "undo").image_count == 1


def test_a_label_and_the_undo_text_cost_the_same_with_30000_actions_in_the_log(project):
    """Before, every label replayed the whole log to name the next undo: SQLite work grew with
    the project's history. Now one label reads its own action, whatever the log's length."""
    ids = add_images(project, 2)
    cat = add_class(project, "cat")
    seed_label_actions(project.conn, 30_000)
    history = UndoHistory.read(project.conn)
    with sqlite_work(project.conn) as work:
        label_images(project, [ids[0]], cat.id)
        history.catch_up(project.conn)
        texts = undo_redo_descriptions(project, history)
        undo(project, history)
        redo(project, history)
    assert texts == ("Label 1 image as 'cat'", None)
    assert work.steps < 3_000, f"{work.steps} SQLite steps for a label, an undo and a redo: the log was replayed"


def test_history_is_append_only(project):
    ids = add_images(project, 1)
    cat = add_class(project, "cat")
    label_images(project, ids, cat.id)
    undo(project)
    redo(project)
    kinds = [row[0] for row in project.conn.execute("SELECT kind FROM label_actions ORDER BY id")]
    assert kinds == ["do", "undo", "redo"]
    changes = project.conn.execute("SELECT old_class_id, new_class_id FROM label_history ORDER BY id").fetchall()
    assert changes == [(None, cat.id), (cat.id, None), (None, cat.id)]


def test_delete_class_unlabels_and_undo_restores_class_and_labels(project):
    ids = add_images(project, 4)
    cat, dog, fox = (add_class(project, n) for n in ("cat", "dog", "fox"))
    label_images(project, ids[:2], cat.id)
    label_images(project, ids[2:], dog.id)
    result = delete_class(project, cat.id)
    assert result.classes_changed and set(result.image_ids) == set(ids[:2])
    assert [(c.name, c.shortcut) for c in list_classes(project)] == [("dog", "1"), ("fox", "2")]
    assert labels(project) == {ids[2]: dog.id, ids[3]: dog.id}
    assert summarize(project).classes == {"dog": 2, "fox": 0}

    undo(project)
    assert [(c.name, c.shortcut, c.colour) for c in list_classes(project)] == [
        ("cat", "1", cat.colour),
        ("dog", "2", dog.colour),
        ("fox", "3", fox.colour),
    ]
    assert labels(project)[ids[0]] == cat.id
    redo(project)
    assert [c.name for c in list_classes(project)] == ["dog", "fox"]


def test_a_new_class_with_a_deleted_name_replaces_it_and_undo_says_why(project):
    ids = add_images(project, 1)
    cat = add_class(project, "cat")
    label_images(project, ids, cat.id)
    delete_class(project, cat.id)
    add_class(project, "cat")
    with pytest.raises(LoupeError, match="has been removed"):
        undo(project)


def test_rename_recolour_reorder(project):
    a, b, c = (add_class(project, n) for n in ("a", "b", "c"))
    assert [x.shortcut for x in (a, b, c)] == ["1", "2", "3"]
    rename_class(project, a.id, "  alpha ")
    recolour_class(project, b.id, "#123456")
    order = move_class(project, c.id, 0)
    assert [(x.name, x.shortcut) for x in order] == [("c", "1"), ("alpha", "2"), ("b", "3")]
    assert order[2].colour == "#123456"
    with pytest.raises(LoupeError, match="already a class"):
        rename_class(project, b.id, "ALPHA")


def test_only_nine_shortcuts(project):
    classes = [add_class(project, f"k{i}") for i in range(11)]
    assert [c.shortcut for c in list_classes(project)] == [str(i) for i in range(1, 10)] + [None, None]
    delete_class(project, classes[0].id)
    assert list_classes(project)[8].shortcut == "9" and list_classes(project)[9].shortcut is None


def test_current_labels_of_more_images_than_sqlite_has_variables(project):
    ids = add_images(project, 3)
    cat = add_class(project, "cat")
    label_images(project, ids[:1], cat.id)
    many = ids + list(range(10_000, 50_000))  # ids beyond the project are left out
    assert current_labels(project, many) == {ids[0]: cat.id, ids[1]: None, ids[2]: None}

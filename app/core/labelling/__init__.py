"""Classes and labels: adding, renaming and deleting classes, labelling images, undo and redo,
and the queries behind the thumbnail grid.

- `classes`: the class table (names, colours, shortcuts, descriptions).
- `labels`: labels as undoable actions, the label history, undo and redo.
- `browse`: which images the grid shows, filtered and sorted.

May import: `project`, `imaging`, and the flat modules.
"""

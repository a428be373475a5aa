"""The import view of `workbench import FILE`: its own small app, the view and its dialogs."""

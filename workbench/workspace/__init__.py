"""The analyst's own work kept in SQLite (annotations, entered facts, marks, undo), the checks an
edit passes, and the session a screen works through."""

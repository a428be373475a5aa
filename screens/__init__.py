"""The Textual screens of Plan Workbench. Depends on ``workbench``; ``workbench`` never on this."""

"""The main screen: the plan tree, the detail pane, the year and the analyst's edit keys."""

"""The modal forms: an annotation, a fact, a one-line prompt."""

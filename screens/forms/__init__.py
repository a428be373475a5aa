"""The edit forms: an annotation, a fact."""

"""Blocks → structure: headings and their numbering, table headers and the role of each column.

The layout layer reads :class:`~workbench.ingest.sources.blocks.Blocks` (paragraphs and tables of
rows × cells, whatever form the document came in) and says what they are: a paragraph is a
direction, goal or task heading (``headings``), a table's header gives each column a role, a year
and a kind of value (``tables``). The words it knows are data in ``words``, in Kazakh, Kyrgyz and
Russian, so a document of any city is read by its layout, never by phrases of one file.
"""

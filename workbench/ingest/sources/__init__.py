"""Document forms: each form (text export, web-page text, HTML, .docx, .xlsx) becomes blocks.

One module per form; :mod:`workbench.ingest.sources.blocks` declares what they all produce.
"""

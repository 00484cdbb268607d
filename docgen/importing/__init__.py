"""Importing old papers (issue 13): Word, PDF and scans, TCVN3 and VNI fonts included,
into the archive. Readers (``docx_read``, ``pdf_read``, ``ocr``, ``text_read``) recover
text (``recovered``); ``header`` reads the HD 36 header; ``importer`` plans, checks and
files them."""

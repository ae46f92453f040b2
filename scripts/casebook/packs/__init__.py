"""Training packs: one outlet's profile → pack context → HTML (Jinja2) → PDF (WeasyPrint), the
process pool for many outlets (run), and the editable forms (docx).

Only this part knows WeasyPrint. It imports core and guards, never site or editors.
"""

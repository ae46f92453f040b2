"""The shared core: files → a validated, indexed `Library`, and the domain rules every consumer shares.

load (front matter with line numbers) → model (typed items) + vocabulary → validate (one file) →
library (the whole tree, cross-file rules, indexes). check reports its diagnostics. The rules that
several consumers need live here too: which items a course draws for an outlet (selection), the
coaching calendar (schedule) and the coverage matrix (coverage).
Core imports only guards; it never imports site, packs or editors, nor MkDocs or WeasyPrint.
"""

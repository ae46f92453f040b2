"""Editors' tools: scaffolds for new items, the JSON Schema of the front matter, coverage
tables, and cleaning photos of personal metadata.

It imports core and guards, never site or packs.
"""

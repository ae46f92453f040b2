"""State of the running MkDocs build, shared by the hooks and the macros.

MkDocs loads the hooks file by path as a module of its own, so state kept in it would not be
the state that `casebook.site.macros` imports; both import this module instead.
"""
STATE: dict = {}

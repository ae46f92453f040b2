"""The site: MkDocs hooks (hooks), the pure Library → pages function (pages), Pagefind search
records (search), macros for hand-written docs/ pages, and `casebook build/serve` (build).

Only this part knows MkDocs. It imports core and guards, never packs or editors.
"""

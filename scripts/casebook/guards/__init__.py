"""Guards: scanners for what must never ship — personal data (privacy), unsafe markup and links
(safety), and image problems such as location metadata (media).

Leaves of the import graph: they import nothing else from casebook and return plain findings,
which core turns into diagnostics and output stages use to neutralise.
"""

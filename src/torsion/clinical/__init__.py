"""Clinical domain logic: classification, codes, catalogues, rating scales and toxin-cycle analytics.

Pure Python: nothing here imports Django or any part of :mod:`torsion.web`.
"""

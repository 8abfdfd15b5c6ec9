"""Corpus tooling: reading and decoding inputs (``inputs``), writing outputs
(``output``), cleaning in parallel (``parallel``), cross-page dedup
(``across``, ``cross_run``), the report (``report``, ``html_report``),
progress, the command line (``cli``) and Dask (``dask``, ``partitions``).

Every page is cleaned by :class:`xcclean.Cleaner`; cross-page dedup uses the
same relation engine (:mod:`xcclean.engine`) through :mod:`xcclean.dedup`.
"""

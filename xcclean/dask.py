"""Cleaning on Dask (the ``dask`` extra): the public names of :mod:`xcclean.corpus.dask`.

``import xcclean.dask`` imports Dask; ``import xcclean`` never does.
"""

from .corpus.dask import Summary, clean_bag, clean_dataframe, clean_files, connect, dedup_across

__all__ = ["Summary", "clean_bag", "clean_dataframe", "clean_files", "connect", "dedup_across"]

"""The relation engine, shared by the page stages and the corpus API.

shingles (``shingles``, ``minhash``) → candidate pairs (``candidates``) →
alignment and relation (``align``) → which copy is kept (``resolve``).
Nothing here knows about pages, blocks or files.
"""

"""Vectorised shingles and MinHash agree with the reference implementations."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from tests.conftest import seed_text
from tests.snippets import PARAGRAPHS
from xcclean import Cleaner, Config
from xcclean.engine.candidates import Bands, find_candidates
from xcclean.engine.minhash import band_keys, permutations, signatures, to_lean_minhash
from xcclean.engine.shingles import shingle_hash, shingle_hashes

TEXTS = [*PARAGRAPHS[:6], "许昌", "", "XUCHANG DAILY"]


def test_vectorised_shingles_equal_the_python_reference():
    flat = shingle_hashes(TEXTS, 4)
    for i, text in enumerate(TEXTS):
        got = flat.hashes[flat.starts[i] : flat.starts[i] + flat.sizes[i]].tolist()
        assert got == shingle_hash(text, 4)


@pytest.mark.parametrize("num_perm", [16, 128])
def test_signatures_equal_datasketch(num_perm):
    sigs = signatures(shingle_hashes(TEXTS, 4), num_perm)
    for i, text in enumerate(TEXTS):
        reference = MinHash(num_perm=num_perm, seed=1, hashfunc=int)
        reference.update_batch([h & 0xFFFFFFFF for h in shingle_hash(text, 4)])
        assert np.array_equal(reference.hashvalues, sigs[i])
        assert np.array_equal(reference.permutations[0], permutations(num_perm)[0])


def test_lean_minhash_interop_with_datasketch_lsh():
    near = PARAGRAPHS[0].replace("会议", "会义", 1)
    sigs = signatures(shingle_hashes([PARAGRAPHS[0], near, PARAGRAPHS[1]], 4), 128)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    lsh.insert("original", to_lean_minhash(sigs[0]))
    assert lsh.query(to_lean_minhash(sigs[1])) == ["original"]
    assert lsh.query(to_lean_minhash(sigs[2])) == []


def test_band_keys_and_lsh_pairs():
    near = PARAGRAPHS[0].replace("会议", "会义", 1)
    texts = [PARAGRAPHS[0], PARAGRAPHS[1], near]
    keys = band_keys(signatures(shingle_hashes(texts, 4), 128), 32)
    assert keys.shape == (3, 32)
    assert (keys[0] == keys[2]).any() and not (keys[0] == keys[1]).any()
    lo, hi = Bands.of(texts, np.arange(3), Config().engine).self_pairs(64)
    assert (lo.tolist(), hi.tolist()) == ([0], [2])


def test_sampled_candidates_keep_containment():
    source = PARAGRAPHS[3]
    texts = [source, source[len(source) // 3 :], PARAGRAPHS[4]]
    exact = find_candidates(texts, Config().engine)
    sampled = find_candidates(texts, Config().replace(exact_overlap_max_shingles=0, anchor_sample=4).engine)
    assert (0, 1) in set(zip(exact.left.tolist(), exact.right.tolist(), strict=True))
    assert (0, 1) in set(zip(sampled.left.tolist(), sampled.right.tolist(), strict=True))
    assert exact.right_in_left[0] == 1.0


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_large_input_path_cleans_seeds_identically(prefix):
    text = seed_text(prefix)
    default = Cleaner().explain(text)
    scaled = Cleaner(Config().replace(exact_overlap_max_shingles=0)).explain(text)
    assert scaled.text == default.text
    assert [e.kind for e in scaled.changes()] == [e.kind for e in default.changes()]


@pytest.mark.parametrize("n", [3, 4, 5])
def test_sampled_shingles_are_a_consistent_subset(n):
    texts = [*PARAGRAPHS[:8], "许昌", "", PARAGRAPHS[0]]
    flat, sampled = shingle_hashes(texts, n), shingle_hashes(texts, n, sample=4)
    assert 0 < len(sampled.hashes) < len(flat.hashes)
    for i, text in enumerate(texts):
        mine = sampled.hashes[sampled.starts[i] : sampled.starts[i] + sampled.sizes[i]].tolist()
        assert mine == shingle_hashes([text], n, sample=4).hashes.tolist()  # the same alone as in a batch
        assert set(mine) <= set(flat.hashes[flat.starts[i] : flat.starts[i] + flat.sizes[i]].tolist())
    first, last = (sampled.hashes[sampled.starts[k] : sampled.starts[k] + sampled.sizes[k]] for k in (0, 10))
    assert first.tolist() == last.tolist()  # the same text, the same sample


def test_cross_join_on_the_packed_index_equals_a_pair_by_pair_reference():
    """A query key meets every indexed holder of it, or only the first where more than max_df hold it."""
    from xcclean.engine.candidates import _cross_join

    rng = np.random.default_rng(3)
    keys = np.concatenate([rng.integers(0, 40, 300), np.full(30, 7)]).astype(np.uint64)  # key 7: boilerplate
    owners = rng.integers(0, 1 << 31, len(keys)).astype(np.uint64)
    index = np.unique((keys << np.uint64(32)) | owners)
    qkeys = np.sort(rng.integers(0, 50, 60)).astype(np.uint64)  # some keys held by nobody
    qowners = rng.integers(0, 100, 60).astype(np.int64)
    codes, usable = _cross_join(qkeys, qowners, index, max_df=16)
    held = {}
    for value in index.tolist():
        held.setdefault(value >> 32, []).append(value & 0xFFFFFFFF)
    expected, expected_usable = [], []
    for key, owner in zip(qkeys.tolist(), qowners.tolist(), strict=True):
        holders = held.get(key, [])
        expected_usable.append(len(holders) <= 16)
        expected += [owner << 32 | h for h in (holders if len(holders) <= 16 else holders[:1])]
    assert sorted(codes.tolist()) == sorted(expected)
    assert usable.tolist() == expected_usable
    empty, _ = _cross_join(qkeys, qowners, np.zeros(0, dtype=np.uint64), max_df=16)
    assert len(empty) == 0

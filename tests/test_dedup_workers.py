"""Corpus dedup on several workers: the same clusters for any number, small inputs kept in-process,
and the bulk shortcuts (blocked MinHash, the common-subsequence bound first) answering as before."""

from __future__ import annotations

import os
import random

import numpy as np
import pytest

from tests.snippets import PARAGRAPHS
from xcclean import Config
from xcclean.dedup import near_duplicates
from xcclean.engine import candidates, minhash, resolve, workers
from xcclean.engine.align import _common_bound, char_sets, relate, relate_pairs, share_chars
from xcclean.engine.shingles import shingle_hashes

# Every limit that keeps work in this process set to 1, and sampled anchors: what a big corpus does,
# on an input small enough for a test.
PARALLEL = Config().replace(exact_overlap_max_shingles=0, parallel_min_pairs=1, parallel_min_texts=1)


def _damaged(seed: int) -> list[str]:
    """The snippet paragraphs with 60 damaged copies of every kind, in random order."""
    rng = random.Random(seed)
    texts = list(PARAGRAPHS)
    for _ in range(60):
        source = rng.choice(PARAGRAPHS)
        kind = rng.choice(["exact", "near", "prefix", "suffix", "inner", "glued"])
        third = len(source) // 3
        if kind == "near":
            spots = rng.sample(range(2, len(source) - 2, 4), min(2, len(source) // 8))
            chars = list(source)
            for spot in spots:
                chars[spot] = "口" if chars[spot] != "口" else "日"
            texts.append("".join(chars))
        elif kind == "prefix":
            texts.append(source[: 2 * third + 1])
        elif kind == "suffix":
            texts.append(source[third - 1 :])
        elif kind == "inner":
            texts.append(source[third // 2 : -third // 2])
        elif kind == "glued":
            texts.append(source + "区长主持")
        else:
            texts.append(source)
    rng.shuffle(texts)
    return texts


def _arrays(clusters):  # every column of every duplicate row
    rows = [(d.index, c.kept, d.relation, d.score, d.span, d.junk) for c in clusters for d in c.duplicates]
    return sorted(rows)


@pytest.fixture
def small_parts(monkeypatch):
    """Chunks and join ranges small enough that a test input makes several of each."""
    monkeypatch.setattr(candidates, "_CHUNK", 16)
    monkeypatch.setattr(candidates, "_JOIN_ANCHORS", 64)


@pytest.fixture
def forks(monkeypatch):
    """Counts the worker pools started (and lets them start)."""
    started = []
    real = workers.multiprocessing.get_context

    def counted(method):
        started.append(method)
        return real(method)

    monkeypatch.setattr(workers.multiprocessing, "get_context", counted)
    return started


@pytest.mark.parametrize("seed", [0, 1])
def test_clusters_are_the_same_for_one_and_two_workers(seed, small_parts, forks):
    texts = _damaged(seed)
    one = near_duplicates(texts, config=PARALLEL, workers=1)
    assert forks == []
    two = near_duplicates(texts, config=PARALLEL, workers=2)
    if workers.can_fork():
        assert forks  # the pairs did go to a worker process
    three = near_duplicates(texts, config=PARALLEL, workers=3)
    assert _arrays(one) == _arrays(two) == _arrays(three)
    assert len(_arrays(one)) > 40
    # And the same as with the default limits (everything in this process).
    assert _arrays(near_duplicates(texts, config=Config().replace(exact_overlap_max_shingles=0))) == _arrays(one)


def test_candidates_are_the_same_on_threads(small_parts):
    texts = _damaged(2)
    engine = PARALLEL.engine
    alone = candidates.find_candidates(texts, engine, splices=False)
    threaded = candidates.find_candidates(texts, engine, splices=False, workers=2)
    assert len(alone) > 40
    for field in ("left", "right", "left_in_right", "right_in_left"):
        np.testing.assert_array_equal(getattr(alone, field), getattr(threaded, field))


def test_a_small_input_stays_in_this_process(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a worker pool was started for a small input")

    monkeypatch.setattr(workers.multiprocessing, "get_context", refuse)
    monkeypatch.setattr(workers, "ThreadPoolExecutor", refuse)
    texts = _damaged(3)
    assert len(texts) < Config().engine.parallel_min_texts
    clusters = near_duplicates(texts, workers=2)
    assert len(_arrays(clusters)) > 40


def test_pairs_go_to_worker_processes_from_parallel_min_pairs_up():
    engine = Config().replace(parallel_min_pairs=100).engine
    assert resolve.split_count(99, engine, 2) == 1
    assert resolve.split_count(100, engine, 2) == 2
    assert resolve.split_count(100, engine, 1) == 1


def test_candidate_search_uses_threads_from_parallel_min_texts_up(monkeypatch):
    from xcclean import dedup

    seen = []
    real = dedup.find_candidates

    def spy(texts, config, *, splices, workers):
        seen.append(workers)
        return real(texts, config, splices=splices, workers=workers)

    monkeypatch.setattr(dedup, "find_candidates", spy)
    texts = _damaged(4)
    keys = len(set(texts))
    for limit, threads in ((keys, 2), (keys + 1, 1)):
        near_duplicates(texts, config=Config().replace(parallel_min_texts=limit), workers=2)
        assert seen.pop() == threads


def test_workers_default_to_every_core_and_are_checked(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert workers.worker_count(None) == 3
    assert workers.worker_count(1) == 1
    for bad in (0, -1, True, 1.5, "2"):
        with pytest.raises(ValueError, match="workers"):
            workers.worker_count(bad)
    with pytest.raises(ValueError, match="workers"):
        near_duplicates(["许昌市召开全市重点项目建设推进会议。"], workers=0)


def test_verify_rows_agrees_with_verify_on_any_number_of_workers(forks):
    texts = sorted(set(_damaged(5)))
    cands = candidates.find_candidates(texts, PARALLEL.engine, splices=False)
    left, right = cands.left.tolist(), cands.right.tolist()
    relations, later = resolve.verify(texts, left, right, PARALLEL.engine)
    want = resolve._rows(relations)
    for n in (1, 2, 3):
        rows, pending = resolve.verify_rows(texts, cands.left, cands.right, PARALLEL.engine, n)
        np.testing.assert_array_equal(rows, want)
        assert pending.tolist() == [list(p) for p in later]
    assert len(want) > 20


def test_process_map_returns_parts_in_order():
    assert workers.process_map(_square, 7, 5, 2) == [7 * p * p for p in range(5)]
    assert workers.process_map(_square, 7, 3, 1) == [0, 7, 28]
    assert workers.process_map(_square, 7, 0, 2) == []


def _square(shared: int, part: int) -> int:
    return shared * part * part


def test_relate_pairs_answers_as_relate_whatever_it_skips():
    """The common-subsequence bound runs before anything else: every answer it gives is
    relate()'s, and it leaves (False) only pairs that need the full alignment."""
    texts = _damaged(6)
    rng = random.Random(6)
    pairs = [(rng.randrange(len(texts)), rng.randrange(len(texts))) for _ in range(300)]
    cands = candidates.find_candidates(texts, Config().engine, splices=False)
    pairs += list(zip(cands.left.tolist(), cands.right.tolist(), strict=True))
    a, b = [texts[i] for i, _ in pairs], [texts[j] for _, j in pairs]
    engine = Config().engine
    for threads in (1, 2):
        verdicts = relate_pairs(a, b, engine, threads)
        answered = 0
        for x, y, verdict in zip(a, b, verdicts, strict=True):
            if verdict is not False:
                assert verdict == relate(x, y, engine, splices=False)
                answered += 1
        assert answered > 250
    assert relate_pairs([], [], engine) == []


def test_the_character_set_bound_never_drops_a_pair_the_common_subsequence_bound_keeps(monkeypatch):
    """share_chars runs first on a corpus's pairs; it must be sound: a pair it drops fails the
    common-subsequence bound too (random pairs, candidates, and pairs of copies that pass)."""
    monkeypatch.setattr("xcclean.engine.align._SET_CHUNK", 7)  # several chunks
    texts = [*_damaged(7), "", "许", "口"]
    rng = random.Random(7)
    pairs = [(rng.randrange(len(texts)), rng.randrange(len(texts))) for _ in range(2000)]
    cands = candidates.find_candidates(texts, Config().engine, splices=False)
    pairs += list(zip(cands.left.tolist(), cands.right.tolist(), strict=True))
    left, right = (np.asarray(side) for side in zip(*pairs, strict=True))
    engine = Config().engine
    lengths = np.asarray([len(t) for t in texts])
    kept = share_chars(char_sets(texts), lengths, left, right, engine)
    bound = _common_bound([texts[i] for i in left.tolist()], [texts[j] for j in right.tolist()], engine, 1)
    assert not (bound & ~kept).any()
    assert bound.sum() > 100 and (~kept).sum() > 1000  # both sides were tried


def test_the_character_set_bound_on_both_sides_of_the_misread_limit():
    """A copy may lack max(1, 10 %) of its characters' kinds in the other: 2 of 20 pass, 3 do not."""
    source = "许昌市召开全市重点项目建设推进会议要求加快"
    engine = Config().engine
    two = "甲乙" + source[2:20]
    three = "甲乙丙" + source[3:20]
    sets = char_sets([source, two, three])
    ok = share_chars(sets, np.asarray([21, 20, 20]), np.asarray([1, 2]), np.asarray([0, 0]), engine)
    assert ok.tolist() == [True, False]
    assert char_sets([]).shape == (0, 32)


def test_minhash_in_blocks_gives_the_same_signatures(monkeypatch):
    texts = [*PARAGRAPHS, "许昌日报", "许" * 300]  # a text longer than a block, and a short one
    flat = shingle_hashes(texts, 4)
    whole = minhash.signatures(flat, 64)
    keys = minhash.band_keys(whole, 16)
    monkeypatch.setattr(minhash, "_BLOCK", 37)
    np.testing.assert_array_equal(minhash.signatures(flat, 64), whole)
    np.testing.assert_array_equal(minhash.band_keys_of(flat, 64, 16), keys)
    # One permutation at a time over all shingles, as datasketch's update loop defines it.
    a, b = minhash.permutations(64)
    hv = minhash.fmix32(minhash.hash32(flat.hashes))
    with np.errstate(over="ignore"):
        for k in (0, 17, 63):
            np.testing.assert_array_equal(whole[:, k], np.minimum.reduceat(hv * a[k] + b[k], flat.starts))


def test_index_queries_answer_the_same_on_two_workers(forks):
    from xcclean.dedup import ParagraphIndex

    texts = _damaged(7)
    index = ParagraphIndex(PARALLEL)
    index.add(texts[: len(texts) // 2])
    queries = texts[len(texts) // 2 :]
    one = index.query(queries)
    assert forks == []
    two = index.query(queries, workers=2)
    if workers.can_fork():
        assert forks
    assert one == two and sum(map(len, one)) > 10


def test_pair_codes_are_merged_part_by_part():
    parts = [np.array([5, 1], dtype=np.int64), np.zeros(0, dtype=np.int64), np.array([3], dtype=np.int64)]
    assert candidates._merged(parts).tolist() == [5, 1, 3]
    assert parts == []  # each part dropped once copied
    assert candidates._merged([]).tolist() == []

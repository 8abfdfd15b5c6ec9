"""Corpus-level dedup: clusters, relations, the incremental index, determinism."""

from __future__ import annotations

import random

import numpy as np
import pytest

from tests.snippets import PARAGRAPHS
from xcclean import Config
from xcclean.dedup import RELATIONS, ParagraphIndex, near_duplicates

SOURCE = "许昌市召开全市重点项目建设推进会议,市长出席会议并讲话,要求全力以赴加快项目建设进度,确保全年目标任务圆满完成。"
OTHER = "魏都区召开安全稳定暨疫情防控工作会议,区委书记出席会议并讲话,区长主持会议。"
COPIES = {
    "exact": SOURCE,
    "near_copy": SOURCE.replace("推进", "推迸").replace("圆满", "園满"),
    "prefix": SOURCE[:30],
    "suffix": SOURCE[25:],
    "inner": SOURCE[10:45],
    "contaminated": SOURCE + "区长主持",
}
# Large-corpus settings on a small input: sampled anchors and MinHash-LSH, as at scale.
SCALED = Config().replace(exact_overlap_max_shingles=0)


@pytest.mark.parametrize("config", [Config(), SCALED], ids=["exact-overlap", "sampled"])
@pytest.mark.parametrize("kind", RELATIONS)
def test_each_relation_is_found_and_the_complete_copy_kept(kind, config):
    clusters = near_duplicates([OTHER, SOURCE, COPIES[kind]], config=config)
    assert len(clusters) == 1
    cluster = clusters[0]
    assert cluster.kept == 1 and cluster.members == (1, 2)
    (dup,) = cluster.duplicates
    assert dup.relation == kind
    assert 0.9 <= dup.score <= 1.0
    if kind in ("prefix", "suffix", "inner"):
        assert SOURCE[dup.span[0] : dup.span[1]] == COPIES[kind]
    assert clusters.keep_mask().tolist() == [True, True, False]


def test_the_most_complete_copy_is_kept_whatever_the_order():
    clusters = near_duplicates([COPIES["prefix"], COPIES["suffix"], SOURCE, COPIES["contaminated"]])
    (cluster,) = clusters
    assert cluster.kept == 2
    assert {d.index: d.relation for d in cluster.duplicates} == {0: "prefix", 1: "suffix", 3: "contaminated"}


def test_a_contaminated_copy_is_found_before_or_after_its_source():
    # Order-free: the copy with junk glued on goes whichever stands first, and the clean text stays.
    for texts, kept in (([COPIES["contaminated"], SOURCE], 1), ([SOURCE, COPIES["contaminated"]], 0)):
        clusters = near_duplicates([OTHER, *texts])
        assert [(c.kept, [(d.index, d.relation) for d in c.duplicates]) for c in clusters] == \
            [(kept + 1, [(2 - kept, "contaminated")])]

def test_a_contaminated_copy_that_misreads_a_glyph_twice_still_goes():
    # Real OCR (the tune half's rendered pages): the copy took in the line above it and read one
    # glyph twice, so its aligned part is a character longer than the clean paragraph. It was
    # decided first as the more complete text, kept, and the clean one stayed beside it.
    clean = ("两伊战争1988年结束以来,双方关系一直冷淡,相互指责对方扣留战俘。去年8月,伊拉克单方面宣布允许"
             "伊朗公民到伊拉克境内的伊斯兰教圣地朝觐,但两国未能就此达成协议。")
    copy = "旅游等问题。" + clean.replace("朝觐", "朝觐觐")
    for texts, kept in (([clean, copy], 0), ([copy, clean], 1)):
        assert [(c.kept, [(d.index, d.relation) for d in c.duplicates]) for c in near_duplicates(texts)] == \
            [(kept, [(1 - kept, "contaminated")])]


def test_no_chaining_through_a_removed_copy():
    # The inner fragment overlaps only the prefix copy's span of the source, never the other copy.
    head, tail = SOURCE[:30], SOURCE[28:]
    clusters = near_duplicates([head, tail])
    assert len(clusters) == 0  # two different halves: nothing repeats


def test_editorial_repeats_and_short_labels_stay():
    lede = "市长出席会议并讲话。"  # whole sentence, too short to be a fragment
    texts = [SOURCE, lede, "(完)", "(完)", "图片:", "图片:"]
    assert len(near_duplicates(texts)) == 0


def test_whitespace_does_not_hide_a_copy():
    spaced = SOURCE[:20] + " \u3000" + SOURCE[20:]
    (cluster,) = near_duplicates([SOURCE, spaced])
    assert cluster.duplicates[0].relation == "exact"


def test_threshold_and_num_perm_are_checked():
    with pytest.raises(ValueError):
        near_duplicates([SOURCE], threshold=1.5)
    with pytest.raises(ValueError):
        near_duplicates([SOURCE], num_perm=100)
    with pytest.raises(TypeError):
        near_duplicates([SOURCE, None])  # type: ignore[list-item]
    assert len(near_duplicates([])) == 0


def _corpus(seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = list(PARAGRAPHS)
    for _ in range(40):
        source = rng.choice(PARAGRAPHS)
        kind = rng.choice(["exact", "prefix", "suffix", "near"])
        if kind == "prefix":
            texts.append(source[: max(22, len(source) // 2)] + "")
        elif kind == "suffix":
            texts.append(source[len(source) // 2 - 1 :])
        elif kind == "near":
            k = len(source) // 2
            texts.append(source[:k] + ("口" if source[k] != "口" else "日") + source[k + 1 :])
        else:
            texts.append(source)
    rng.shuffle(texts)
    return texts


def test_same_input_same_clusters():
    texts = _corpus(1)
    a, b = near_duplicates(texts), near_duplicates(list(texts))
    assert [(c.kept, c.duplicates) for c in a] == [(c.kept, c.duplicates) for c in b]
    assert len(a) > 5


def test_sampled_path_agrees_with_exact_overlap_on_the_seed_paragraphs():
    texts = _corpus(2)
    exact = near_duplicates(texts).duplicate_of()
    sampled = near_duplicates(texts, config=SCALED).duplicate_of()
    assert set(sampled) <= set(exact)
    assert len(sampled) >= 0.9 * len(exact)


def test_index_query_finds_copies_of_indexed_paragraphs():
    index = ParagraphIndex()
    assert index.add([OTHER, SOURCE]) == range(0, 2)
    answers = index.query([COPIES[k] for k in RELATIONS] + ["完全无关的一段文字,讲的是别的事情,与上面的段落没有任何关系。"])
    for kind, matches in zip(RELATIONS, answers, strict=False):
        assert [(m.id, m.relation, m.query_is_copy) for m in matches] == [(1, kind, True)], kind
    assert answers[-1] == []
    # The other way round: the indexed paragraph is the fragment of the query.
    short = ParagraphIndex()
    short.add([COPIES["prefix"]])
    ((match,),) = short.query([SOURCE])
    assert (match.relation, match.query_is_copy) == ("prefix", False)


def test_index_built_in_batches_answers_like_one_built_at_once():
    texts = _corpus(3)
    whole, parts = ParagraphIndex(), ParagraphIndex()
    whole.add(texts)
    for start in range(0, len(texts), 7):
        parts.add(texts[start : start + 7])
    probe = [COPIES[k] for k in RELATIONS] + texts[:10]
    assert whole.query(probe) == parts.query(probe)
    assert len(whole) == len(parts) == len(texts)


def test_index_save_and_load_round_trip(tmp_path):
    index = ParagraphIndex()
    index.add(_corpus(4))
    index.add([SOURCE])
    path = tmp_path / "archive.npz"
    index.save(path)
    loaded = ParagraphIndex.load(path)
    assert len(loaded) == len(index) and loaded.text(len(index) - 1) == SOURCE
    probe = [COPIES[k] for k in RELATIONS]
    assert loaded.query(probe) == index.query(probe)
    loaded.add([OTHER])
    assert loaded.query([OTHER])[0][0].relation == "exact"
    assert not list(tmp_path.glob(".*.tmp"))  # atomic write left nothing behind


def test_an_index_file_of_version_2_loads_its_full_band_keys(tmp_path):
    """Version 2 stored each band's full 64-bit key beside its text; version 3 packs the two as
    anchors are. An old file's bands are packed on the way in: same bands, same answers."""
    import json

    from xcclean.engine.minhash import band_keys_of
    from xcclean.engine.shingles import shingle_hashes

    index = ParagraphIndex()
    index.add([*_corpus(4), SOURCE, "市长出席会议", "市长出席会议并讲话"])  # short texts are banded
    assert len(index._bands.packed)
    path = tmp_path / "v3.npz"
    index.save(path)
    with np.load(path) as data:
        arrays = dict(data)
    engine = index.config.engine
    del arrays["bands"]
    banded = np.unique(index._bands.owners)
    flat = shingle_hashes([index.text(i) for i in banded.tolist()], engine.shingle_size)
    arrays["band_keys"] = band_keys_of(flat, engine.num_perm, engine.lsh_bands).ravel()
    arrays["band_owners"] = np.repeat(banded, engine.lsh_bands)
    meta = json.loads(str(arrays["meta"]))
    arrays["meta"] = np.array(json.dumps({**meta, "version": 2}))
    old = tmp_path / "v2.npz"
    np.savez(old, **arrays)
    loaded = ParagraphIndex.load(old)
    assert loaded._bands.packed.tolist() == index._bands.packed.tolist()
    probe = [COPIES[k] for k in RELATIONS] + ["市长出席会议并讲话。"]
    assert loaded.query(probe) == index.query(probe)


def test_index_refuses_other_sketch_settings_and_foreign_files(tmp_path):
    index = ParagraphIndex()
    index.add([SOURCE])
    path = tmp_path / "archive.npz"
    index.save(path)
    with pytest.raises(ValueError, match="shingle_size"):
        ParagraphIndex.load(path, Config().replace(shingle_size=5))
    ParagraphIndex.load(path, Config().replace(near_copy_min_similarity=0.95))  # verification settings may change
    other = tmp_path / "other.npz"
    np.savez(other, meta=np.array('{"format": "something else"}'))
    with pytest.raises(ValueError, match="not an xcclean paragraph index"):
        ParagraphIndex.load(other)


def test_clusters_index_like_a_sequence_and_agree_with_their_arrays(monkeypatch):
    from xcclean import dedup

    texts = _corpus(3)
    clusters = near_duplicates(texts)
    listed = list(clusters)
    monkeypatch.setattr(dedup, "_BATCH", 2)
    assert list(clusters) == listed  # made in batches
    assert len(listed) == len(clusters) > 5
    assert clusters[-1] == listed[-1] and list(clusters[1:3]) == listed[1:3]
    assert list(clusters[::-2]) == listed[::-2] and list(clusters[5:2]) == []
    with pytest.raises(IndexError):
        clusters[len(clusters)]
    assert [c.kept for c in listed] == sorted(c.kept for c in listed)
    kept = clusters.kept_of()
    dup_of = clusters.duplicate_of()
    assert {i: k for i, k in enumerate(kept.tolist()) if i != k} == {i: k for i, (k, _) in dup_of.items()}
    assert clusters.keep_mask().tolist() == [i not in dup_of for i in range(len(texts))]
    for cluster in listed:
        assert all(kept[d.index] == cluster.kept and d.relation in RELATIONS for d in cluster.duplicates)
        assert [d.index for d in cluster.duplicates] == sorted(d.index for d in cluster.duplicates)


def test_exact_twins_share_their_representatives_fate():
    # Two exact copies of a prefix fragment: both go, by the prefix relation, to the source.
    prefix = COPIES["prefix"]
    clusters = near_duplicates([prefix, OTHER, SOURCE, prefix, SOURCE])
    (cluster,) = clusters
    assert cluster.kept == 2
    assert [(d.index, d.relation) for d in cluster.duplicates] == [(0, "prefix"), (3, "prefix"), (4, "exact")]
    assert cluster.duplicates[1].span == cluster.duplicates[0].span == (0, len(prefix))
    assert cluster.duplicates[2].span == (0, len(SOURCE))
    assert clusters.kept_of().tolist() == [2, 1, 2, 2, 2]


def test_a_fragment_of_a_fragment_goes_to_the_whole_paragraph():
    # 2 repeats both 0 and 1, and 1 itself goes: decided one by one, not in bulk.
    texts = [SOURCE, SOURCE[:34], SOURCE[:26]]
    (cluster,) = near_duplicates(texts)
    assert cluster.kept == 0
    assert [(d.index, d.relation) for d in cluster.duplicates] == [(1, "prefix"), (2, "prefix")]


def _resolve_one_by_one(keys, relations, pending, config):
    """The decision rule of :func:`xcclean.engine.resolve.resolve`, written as a plain loop (the reference)."""
    from xcclean.engine.align import relate
    from xcclean.engine.resolve import STRENGTH

    edges, junk = {}, {}
    for i, j, rel in relations:
        if rel.dup is None:
            edges.setdefault(i, []).append((j, rel))
            edges.setdefault(j, []).append((i, rel))
            continue
        dup, other = (i, j) if rel.dup == 0 else (j, i)
        edges.setdefault(dup, []).append((other, rel))
        edges.setdefault(other, [])
        junk[dup] = max(junk.get(dup, 0), rel.junk)
    for i, j in pending:
        edges.setdefault(i, []).append((j, None))
        edges.setdefault(j, []).append((i, None))
    order = sorted(edges, key=lambda i: (junk.get(i, 0) - len(keys[i]), junk.get(i, 0), i))
    rank = {i: r for r, i in enumerate(order)}
    kept, out = set(), {}
    for i in order:
        found = []
        for other, verdict in edges[i]:
            if other in kept:
                if verdict is None:
                    pair = (other, i) if other < i else (i, other)
                    verdict = relate(keys[pair[0]], keys[pair[1]], config, splices=False)
                    if verdict is None or (verdict.dup is not None and pair[verdict.dup] != i):
                        continue
                found.append((other, verdict))
        if found:
            out[i] = min(found, key=lambda f: (STRENGTH[f[1].kind], -f[1].similarity, rank[f[0]]))
        else:
            kept.add(i)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_bulk_decisions_agree_with_deciding_one_by_one(seed):
    from xcclean.engine.candidates import find_candidates
    from xcclean.engine.resolve import resolve, verify

    rng = random.Random(seed)
    keys = _corpus(seed)
    for _ in range(30):  # chains: fragments of fragments, copies of copies
        source = rng.choice(keys)
        keys.append(source[rng.randrange(3) : len(source) - rng.randrange(1, 12)])
    keys = list(dict.fromkeys(keys))  # representatives are distinct
    config = Config().engine
    cands = find_candidates(keys, config, splices=False)
    relations, pending = verify(keys, cands.left.tolist(), cands.right.tolist(), config)
    resolved = resolve(keys, relations, pending, config)
    rows = resolved.rows
    got = {d: (k, RELATIONS[c], s, (a, b), j) for d, k, c, s, a, b, j in zip(
        resolved.dup.tolist(), resolved.kept.tolist(), rows["kind"].tolist(), rows["similarity"].tolist(),
        rows["start"].tolist(), rows["end"].tolist(), rows["junk"].tolist(), strict=True)}
    want = _resolve_one_by_one(keys, relations, pending, config)
    assert got == {d: (k, r.kind, r.similarity, r.other_span, r.junk) for d, (k, r) in want.items()}
    assert len(got) > 20


def test_joining_anchors_key_range_by_range_finds_the_same_pairs(monkeypatch):
    from xcclean.engine import candidates

    texts = _corpus(5)
    config = Config().replace(exact_overlap_max_shingles=0).engine  # sampled anchors, in chunks, as at scale
    monkeypatch.setattr(candidates, "_CHUNK", 16)
    whole = candidates.find_candidates(texts, config, splices=False)
    monkeypatch.setattr(candidates, "_JOIN_ANCHORS", 32)
    ranged = candidates.find_candidates(texts, config, splices=False)
    assert len(whole) > 20
    for field in ("left", "right", "left_in_right", "right_in_left"):
        np.testing.assert_array_equal(getattr(whole, field), getattr(ranged, field))


def test_of_near_copies_the_reading_most_copies_share_is_kept():
    misread = COPIES["near_copy"]  # same length as SOURCE
    clusters = near_duplicates([misread, OTHER, SOURCE, SOURCE, SOURCE])
    (cluster,) = clusters
    assert cluster.kept == 2
    assert [(d.index, d.relation) for d in cluster.duplicates] == [(0, "near_copy"), (3, "exact"), (4, "exact")]
    # One copy each: the earlier stays, as before.
    assert near_duplicates([misread, SOURCE])[0].kept == 0


def _notice_copies(count: int, seed: int) -> list[str]:
    """``count`` copies of one notice, each with one misread glyph (a text printed in every issue)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        chars = list(SOURCE)
        chars[rng.randrange(3, len(chars) - 1)] = "口"
        out.append("".join(chars))
    return out


def test_copies_of_a_text_repeated_more_than_max_shingle_df_times_are_found():
    config = Config()
    copies = _notice_copies(3 * config.engine.max_shingle_df, 0)
    texts = [OTHER, *copies, *PARAGRAPHS]
    keep = near_duplicates(texts, config=config).keep_mask()
    gone = sum(not keep[1 + k] for k in range(len(copies)) if copies[k] not in copies[:k])
    distinct = len(set(copies))
    assert gone >= distinct - 2  # all but the kept one (and at most one more)
    assert keep[0] and keep[1 + len(copies):].all()
    # The same against an index: a new copy, with a misread no indexed copy has.
    index = ParagraphIndex(config)
    index.add([*PARAGRAPHS, *copies])
    query = SOURCE[:10] + "日" + SOURCE[11:]
    assert query not in copies
    ((match, *_),) = index.query([query])
    assert match.relation == "near_copy" and match.query_is_copy and match.id >= len(PARAGRAPHS)

"""The boundary model of split repair, on real snippets on both sides of the threshold."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED
from xcclean import Cleaner, Config
from xcclean.config import SplitsConfig
from xcclean.stages.boundary import FEATURES, shipped_model


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def joins(cleaner: Cleaner, blocks: list[str]) -> tuple[list[str], list]:
    result = cleaner.explain("\n\n".join(blocks))
    return [b.text for b in result.blocks], [e for e in result.edits if e.kind == "split_joined"]


@pytest.mark.parametrize("head, tail", [
    # short heads that plainly stop mid-clause: no comma, no dictionary word at the cut
    ("习近平指出,伊朗核问题全面协议达成是个了不起的", "里程碑,同时执行任重而道远。"),
    ("火车上,汉语不太流利的", "吉克瓦泽跟记者盘算着,他要在第比利斯住几天,再去巴统看看大海。"),
])
def test_cut_mid_clause_is_joined_with_its_probability(cleaner, head, tail):
    texts, edits = joins(cleaner, [head, tail])
    assert texts == [head + tail]
    evidence = edits[0].evidence
    assert evidence["rule"] == "boundary model"
    assert evidence["probability"] >= Config().splits.join_min_probability
    assert 1 <= len(evidence["features"]) <= Config().splits.explain_features


@pytest.mark.parametrize("blocks", [
    # a paragraph its author left without a full stop (a rhetorical question), then the next one
    ["在这岩石间居然能生存出生命来,生存出如此旺盛不息的生命来,难道不是一个奇迹",
     "有棵称做“鸳鸯树”的白檀,游客经过都喜与之合照留念。"],
    # a stage direction ending 。〕
    ["第四幕", "〔灯光渐暗,音乐起,众人下。〕", "李大妈提着菜篮走上台来,四处张望。"],
    # a headline of 40+ characters with commas: a digest of the day's stories
    ["伊朗敦促欧盟给予伊核协议更大支持,李克强出席第六次中国—中东欧国家领导人会晤,印尼东部发生洪灾致58人死亡",
     "第53届慕尼黑安全会议17号在德国南部城市慕尼黑开幕。"],
    # a wire sign-off, then the next story's dateline or first paragraph
    ["全国各地陆续迎来返程客流高峰,铁路部门加开临客。(编辑:黄世雅)1140705",
     "新华社北京2月20日电 记者从国家铁路局获悉,春运进入后半程。"],
    ["全国各地陆续迎来返程客流高峰,铁路部门加开临客。(编辑:黄世雅)1140705", "春运进入后半程,各地返程客流持续增长。"],
])
def test_real_boundaries_are_not_joined(cleaner, blocks):
    texts, edits = joins(cleaner, blocks)
    assert texts == blocks and edits == []


def test_near_miss_is_a_suspect_with_its_probability(cleaner):
    result = cleaner.explain("在这岩石间居然能生存出生命来,生存出如此旺盛不息的生命来,难道不是一个奇迹\n\n"
                             "有棵称做“鸳鸯树”的白檀,游客经过都喜与之合照留念。")
    (note,) = [e for e in result.edits if e.kind == "suspect_split"]
    assert 0.0 <= note.evidence["probability"] < Config().splits.join_min_probability


def test_headline_then_its_lede_stays_apart_even_after_a_cut_head(cleaner):
    # …压 is cut (its continuation was lost), but the headline after it starts an article: the
    # cut after the headline-like piece, into the lede, is not one.
    blocks = ["全区上下要人人扛稳责任、压", "何长成调研企业安全生产工作",
              "10月22日,魏都区委区长何长成到天伦燃气公司调研企业安全生产工作。"]
    texts, _ = joins(cleaner, blocks)
    assert texts == blocks


def test_model_loads_once_with_its_features():
    model = shipped_model()
    assert shipped_model() is model
    assert model.weights.shape == (2, len(FEATURES))


@pytest.mark.parametrize("threshold", [1.5, -0.1])
def test_threshold_is_validated(threshold):
    with pytest.raises(ValueError):
        SplitsConfig(join_min_probability=threshold)


def test_shipped_thresholds_are_the_trained_ones():
    import gzip
    import json
    from importlib import resources

    data = json.loads(gzip.decompress((resources.files("xcclean") / "data" / "boundary.json.gz").read_bytes()))
    assert data["threshold"] == SplitsConfig().join_min_probability


@pytest.mark.skipif(not (SHARED / "corpus" / "news.jsonl").exists(), reason="needs ../shared/corpus")
def test_training_is_deterministic(tmp_path):
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}.json.gz"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "train_splits.py"), "--limit", "160",
                        "--generator-pages", "6", "--output", str(out)], check=True, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]

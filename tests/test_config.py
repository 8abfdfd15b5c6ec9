"""The configuration: one part per stage, validated, replaceable by field name, stored and read back."""

import dataclasses

import pytest

from xcclean import Config
from xcclean.config import ClassifyConfig, DedupConfig, EngineConfig, SplitsConfig, TokensConfig


def test_each_field_lives_in_exactly_one_part():
    names = [f.name for part in dataclasses.fields(Config) if part.name != "min_chinese_share"
             for f in dataclasses.fields(type(getattr(Config(), part.name)))]
    assert len(names) == len(set(names))


def test_replace_finds_the_part_of_each_field():
    config = Config().replace(contamination_max_chars=8, fold_width=False, max_rounds=4, min_chinese_share=0.3)
    assert config.engine.contamination_max_chars == 8
    assert config.normalise.fold_width is False
    assert config.splits.max_rounds == 4
    assert config.min_chinese_share == 0.3
    assert Config().engine.contamination_max_chars == 12  # the original is untouched


def test_replace_refuses_an_unknown_field():
    with pytest.raises(TypeError, match="no field 'terminal_punctuation'"):
        Config().replace(terminal_punctuation="。")


@pytest.mark.parametrize("make", [
    lambda: EngineConfig(contamination_max_chars=-1),
    lambda: EngineConfig(near_copy_min_similarity=1.5),
    lambda: EngineConfig(num_perm=100, lsh_bands=32),
    lambda: EngineConfig(shingle_size=0),
    lambda: EngineConfig(dropped_figure_min_nats=0),
    lambda: EngineConfig(inserted_mark_min_nats=-1.0),
    lambda: ClassifyConfig(headline_max_chars=-3),
    lambda: SplitsConfig(echo_min_share=-0.1),
    lambda: SplitsConfig(cut_window_chars=0),
    lambda: DedupConfig(affinity_ratio=1.0),
    lambda: DedupConfig(likelier_min_nats=0),
    lambda: TokensConfig(stray_min_han_share=2),
    lambda: Config(min_chinese_share=1.2),
])
def test_invalid_values_are_refused_with_the_field_named(make):
    with pytest.raises(ValueError, match=r"Config\.\w+ must"):
        make()


def test_limits_themselves_are_valid():
    assert EngineConfig(contamination_max_chars=0, near_copy_min_similarity=1.0).contamination_max_chars == 0
    assert Config(min_chinese_share=0.0).min_chinese_share == 0.0


def test_a_part_of_the_wrong_type_is_refused():
    with pytest.raises(TypeError, match=r"Config\.engine must be a EngineConfig"):
        Config(engine=SplitsConfig())  # type: ignore[arg-type]


def test_to_dict_and_back():
    config = Config().replace(allow_tokens={"App", "NAPA"}, contamination_max_chars=9)
    again = Config.from_dict(config.to_dict())
    assert again == config
    assert again.tokens.allow_tokens == frozenset({"app", "napa"})


def test_a_flat_config_of_version_0_1_is_read():
    old = {"shingle_size": 5, "allow_tokens": ["ems"], "terminal_punctuation": "。", "max_rounds": 2}
    config = Config.from_dict(old)
    assert config.engine.shingle_size == 5 and config.splits.max_rounds == 2
    assert config.tokens.allow_tokens == frozenset({"ems"})

from pathlib import Path

import xcclean

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_example_page_cleans_to_the_committed_output():
    raw = (EXAMPLES / "page.txt").read_text(encoding="utf-8")
    want = (EXAMPLES / "page.cleaned.txt").read_text(encoding="utf-8")
    assert xcclean.clean(raw) + "\n" == want


def test_example_shows_every_kind_of_damage():
    kinds = {e.kind for e in xcclean.clean_and_explain((EXAMPLES / "page.txt").read_text(encoding="utf-8")).edits}
    assert {"unicode_fixed", "exact_duplicate", "fragment_suffix", "contaminated_copy", "splice_trimmed",
            "split_joined", "stray_token"} <= kinds

"""Counts roll up the hierarchy, whatever its depth."""
from __future__ import annotations

from services.reporting.domain.rollup import ancestors, children, roots, subtree, subtree_totals

FOUR_LEVELS = {
    "cao-bang": None,
    "ha-quang": "cao-bang", "hoa-an": "cao-bang",
    "truong-ha": "ha-quang", "soc-ha": "ha-quang",
    "lung-rac": "truong-ha", "na-sac": "truong-ha",
}


def test_every_unit_of_a_four_level_tree_totals_its_whole_subtree():
    own = {"cao-bang": {"overdue": 1}, "hoa-an": {"overdue": 2}, "truong-ha": {"overdue": 4},
           "soc-ha": {"overdue": 8}, "lung-rac": {"overdue": 16}, "na-sac": {"overdue": 32}}
    totals = subtree_totals(FOUR_LEVELS, own)
    assert totals["lung-rac"] == {"overdue": 16}
    assert totals["truong-ha"] == {"overdue": 4 + 16 + 32}
    assert totals["ha-quang"] == {"overdue": 4 + 8 + 16 + 32}
    assert totals["hoa-an"] == {"overdue": 2}
    assert totals["cao-bang"] == {"overdue": 63}


def test_a_province_with_communes_directly_totals_them():
    two_levels = {"ha-noi": None, "phuong-ba-dinh": "ha-noi", "xa-soc-son": "ha-noi", "hue": None}
    own = {"phuong-ba-dinh": {"done_on_time": 2, "all": 3}, "xa-soc-son": {"done_on_time": 1, "all": 1}, "hue": {"all": 5}}
    totals = subtree_totals(two_levels, own)
    assert totals["ha-noi"] == {"done_on_time": 3, "all": 4}
    assert totals["hue"] == {"done_on_time": 0, "all": 5}
    assert totals["xa-soc-son"] == {"done_on_time": 1, "all": 1}


def test_counts_of_a_unit_not_yet_registered_are_left_out_until_it_is():
    parents = {"cao-bang": None, "ha-quang": "cao-bang"}
    own = {"truong-ha": {"all": 3}, "ha-quang": {"all": 1}}
    assert subtree_totals(parents, own)["cao-bang"] == {"all": 1}
    assert subtree_totals({**parents, "truong-ha": "ha-quang"}, own)["cao-bang"] == {"all": 4}


def test_the_tree_can_be_walked_down_and_up():
    assert subtree(FOUR_LEVELS, "ha-quang") == ["ha-quang", "soc-ha", "truong-ha", "lung-rac", "na-sac"]
    assert children(FOUR_LEVELS, "cao-bang") == ["ha-quang", "hoa-an"]
    assert ancestors(FOUR_LEVELS, "na-sac") == ["truong-ha", "ha-quang", "cao-bang"]
    assert roots({**FOUR_LEVELS, "orphan": "unknown-parent"}) == ["cao-bang", "orphan"]


def test_a_cycle_in_bad_data_does_not_hang_the_rollup():
    parents = {"a": "b", "b": "a"}
    assert subtree_totals(parents, {"a": {"all": 1}}) == {"a": {"all": 1}, "b": {"all": 1}}

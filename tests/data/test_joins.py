"""uid joins and appends: the rules, checked against a plain-Python reference and
against cryosparc-tools on the same data."""

from __future__ import annotations

import cryosparc.dataset as cst
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cryoweave import Dataset, DatasetError
from cryoweave.demo import particles


def table(uids, fields, seed=0) -> Dataset:
    """A dataset with the given uids and float/vector/string fields of random values."""
    rng = np.random.default_rng(seed)
    dtype = [("uid", "<u8")] + [
        (name, code, *shape) for name, code, *shape in fields
    ]  # name, dtype[, shape]
    array = np.zeros(len(uids), dtype)
    array["uid"] = uids
    for name, code, *_ in fields:
        if code.startswith("S"):
            array[name] = rng.integers(0, 50, len(uids)).astype(code)
        else:
            array[name] = rng.standard_normal(array[name].shape)
    return Dataset(array)


def reference_join(*datasets: Dataset) -> dict[str, list]:
    """The join rule in plain Python: rows of the first whose uid is in all, last value wins."""
    rows = [{int(u): i for i, u in enumerate(d["uid"])} for d in datasets]
    keep = [int(u) for u in datasets[0]["uid"] if all(int(u) in r for r in rows)]
    out: dict[str, list] = {"uid": keep}
    for d, r in zip(datasets, rows, strict=True):
        for name in d.fields(exclude_uid=True):
            out[name] = [d.array[name][r[u]].tolist() for u in keep]
    return out


uid_lists = st.lists(st.integers(0, 2**64 - 1), unique=True, max_size=60)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(uid_lists, st.data())
def test_innerjoin_matches_the_reference(first_uids, data):
    others = []
    for k in range(data.draw(st.integers(1, 3))):
        pool = first_uids + data.draw(uid_lists)
        chosen = data.draw(st.lists(st.sampled_from(pool), unique=True) if pool else st.just([]))
        fields = [(f"r{k}/x", "<f4"), (f"r{k}/v", "<f4", (3,)), ("shared/s", f"S{2 + k}")]
        others.append(table(chosen, fields, seed=k))
    first = table(first_uids, [("blob/idx", "<f8"), ("shared/s", "S3")], seed=9)
    joined = Dataset.innerjoin_many(first, *others)
    expected = reference_join(first, *others)
    assert joined.fields()[:3] == ["uid", "blob/idx", "shared/s"]
    assert set(joined.fields()) == set(expected)
    for name, values in expected.items():
        assert joined.array[name].tolist() == values, name


def test_innerjoin_of_aligned_tables_takes_the_fast_path_and_copies_nothing_wrong():
    a = particles(1000, ["blob"], seed=1)
    b = particles(1000, ["ctf"], seed=2, uids=a["uid"])
    joined = a.innerjoin(b)
    assert len(joined) == 1000
    np.testing.assert_array_equal(joined["uid"], a["uid"])
    np.testing.assert_array_equal(joined["ctf/df1_A"], b["ctf/df1_A"])
    np.testing.assert_array_equal(joined["blob/path"], a["blob/path"])


def test_innerjoin_agrees_with_cryosparc_tools(tmp_path):
    rng = np.random.default_rng(5)
    a = particles(5000, ["blob", "ctf"], seed=1)
    b = particles(5000, ["alignments3D"], seed=2, uids=rng.permutation(a["uid"]))
    c = particles(4000, ["location"], seed=3, uids=rng.permutation(a["uid"])[:4000])
    joined = Dataset.innerjoin_many(a, b, c)
    peers = []
    for name, d in zip("abc", (a, b, c), strict=True):
        d.save(tmp_path / f"{name}.cs")
        peers.append(cst.Dataset.load(tmp_path / f"{name}.cs"))
    theirs = cst.Dataset.innerjoin_many(*peers)
    assert len(joined) == len(theirs) == 4000
    order = np.argsort(theirs["uid"])
    ours = np.argsort(joined["uid"])
    for name in theirs.fields():
        mine = joined.strings(name) if joined[name].dtype.kind == "S" else joined[name]
        np.testing.assert_array_equal(mine[ours], np.asarray(theirs[name])[order], err_msg=name)


def test_innerjoin_refuses_a_field_with_another_dtype():
    a = table([1, 2], [("ctf/df1_A", "<f4")])
    b = table([1, 2], [("ctf/df1_A", "<f8")])
    with pytest.raises(DatasetError, match=r"'ctf/df1_A' is <f8 in input 2 but <f4 in input 1"):
        a.innerjoin(b)


def test_innerjoin_widens_strings_of_different_lengths():
    a = table([1, 2], [("blob/path", "S3")])
    b = table([2, 1], [("blob/path", "S9")])
    b["blob/path"][:] = [b"long-path", b"other"]
    joined = a.innerjoin(b)
    assert joined.array["blob/path"].dtype == np.dtype("S9")  # "long-path" fits S9 as read
    assert joined["blob/path"].tolist() == ["other", "long-path"]


@pytest.mark.parametrize("position", [0, 1])
def test_innerjoin_refuses_repeated_uids(position):
    tables = [table([1, 2, 3], [("a/x", "<f4")]), table([3, 2, 1], [("b/x", "<f4")])]
    tables[position] = table([1, 2, 2, 3], [(f"{'ab'[position]}/x", "<f4")])
    with pytest.raises(DatasetError, match=rf"input {position + 1} has repeated uid\(s\), e.g. 2"):
        Dataset.innerjoin_many(*tables)


def test_innerjoin_of_disjoint_tables_is_empty_with_all_fields():
    joined = table([1, 2], [("a/x", "<f4")]).innerjoin(table([3], [("b/x", "<f4")]))
    assert len(joined) == 0
    assert joined.fields() == ["uid", "a/x", "b/x"]


def test_append_concatenates_and_refuses_repeated_uids():
    a = table([1, 2], [("ctf/df1_A", "<f4"), ("blob/path", "S4")])
    b = table([3], [("ctf/df1_A", "<f4"), ("blob/path", "S9")])
    both = a.append(b)
    assert both["uid"].tolist() == [1, 2, 3]
    assert both.array["blob/path"].dtype == np.dtype("S9")
    assert both["blob/path"].tolist() == [*a["blob/path"].tolist(), *b["blob/path"].tolist()]
    with pytest.raises(DatasetError, match=r"uid 2 in input 1 and input 2.*repeat_allowed"):
        a.append(table([2], [("ctf/df1_A", "<f4"), ("blob/path", "S4")]))
    assert len(a.append(a, repeat_allowed=True)) == 4


def test_append_reorders_fields_by_name_not_position():
    a = table([1], [("ctf/df1_A", "<f4"), ("ctf/df2_A", "<f4")])
    b = Dataset(table([2], [("ctf/df1_A", "<f4"), ("ctf/df2_A", "<f4")]).array)
    swapped = Dataset(
        np.array([(2, 7.0, 5.0)], [("uid", "<u8"), ("ctf/df2_A", "<f4"), ("ctf/df1_A", "<f4")])
    )
    both = Dataset.append_many(a, swapped)
    assert both.fields() == a.fields()
    assert both["ctf/df1_A"][1] == 5.0 and both["ctf/df2_A"][1] == 7.0
    assert len(a.append(b)) == 2


def test_append_lists_every_difference_in_fields():
    a = table([1], [("ctf/df1_A", "<f4"), ("ctf/type", "S3")])
    b = table([2], [("ctf/df1_A", "<f8"), ("blob/idx", "<u4"), ("ctf/type", "S3")])
    c = table([3], [("ctf/df1_A", "<f4")])
    with pytest.raises(DatasetError) as err:
        Dataset.append_many(a, b, c, assert_same_fields=True)
    message = str(err.value)
    assert "input 2 has extra ['blob/idx']" in message
    assert "'ctf/df1_A' is <f8 in input 2 but <f4 in input 1" in message
    assert "input 3 lacks ['ctf/type']" in message


def test_append_agrees_with_cryosparc_tools(tmp_path):
    full = particles(4000, seed=4)
    parts = [full.take(np.arange(i * 1000, (i + 1) * 1000)) for i in range(4)]
    ours = Dataset.append_many(*parts)
    for i, p in enumerate(parts):
        p.save(tmp_path / f"{i}.cs")
    theirs = cst.Dataset.append_many(*[cst.Dataset.load(tmp_path / f"{i}.cs") for i in range(4)])
    for name in theirs.fields():
        mine = ours.strings(name) if ours[name].dtype.kind == "S" else ours[name]
        np.testing.assert_array_equal(mine, np.asarray(theirs[name]), err_msg=name)


def test_empty_inputs():
    assert Dataset.innerjoin_many().fields() == ["uid"]
    assert len(Dataset.append_many()) == 0
    one = table([1], [("a/x", "<f4")])
    assert Dataset.innerjoin_many(one) is one

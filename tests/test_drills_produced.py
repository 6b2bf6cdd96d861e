"""What the learner's run hands to the checks is plain data: encode/decode round-trips tensors of every
allowed dtype, and decode refuses anything encode cannot have written (the learner controls those bytes)."""
import json

import pytest
import torch
from torch import nn

from kdcore.drills import _harness as harness


def roundtrip(value):
    return harness.decode(json.loads(json.dumps(harness.encode(value))))


def test_tensors_numbers_lists_and_dicts_come_back_equal():
    tensors = [torch.randn(3, 4), torch.randn(2, dtype=torch.float64), torch.randn(5).bfloat16(), torch.tensor(2.5),
               torch.arange(6).reshape(2, 3), torch.tensor([True, False]), torch.empty(0, 3), torch.randn(4, 4).t()]
    back = roundtrip({"tensors": tensors, "n": 3, "x": 0.25, "s": "text", "none": None, "flag": True, "pair": (1, 2.0)})
    for got, want in zip(back["tensors"], tensors):
        assert got.dtype == want.dtype and got.shape == want.shape and torch.equal(got, want)
    assert (back["n"], back["x"], back["s"], back["none"], back["flag"], back["pair"]) == (3, 0.25, "text", None, True, [1, 2.0])
    assert not roundtrip(torch.ones(2, requires_grad=True)).requires_grad


def test_objects_come_back_as_their_type_only():
    module, other = roundtrip(nn.Linear(2, 2)), roundtrip(iter([1]))
    assert isinstance(module, harness.Foreign) and module.module and module.type_name == "Linear"
    assert isinstance(other, harness.Foreign) and not other.module
    assert harness.model(module, "f") is module
    with pytest.raises(harness.Fail) as failed:
        harness.tensor(other, "f")
    assert failed.value.values["type"] == "list_iterator"
    huge = roundtrip(torch.zeros(harness.TENSOR_BYTES // 4 + 1))
    assert isinstance(huge, harness.Foreign) and "shape" in huge.type_name


@pytest.mark.parametrize("data", [
    {"tensor": "object", "shape": [1], "data": ""},                   # a dtype outside the list
    {"tensor": "float32", "shape": [2], "data": "AAAAAA=="},           # 4 bytes for 2 floats
    {"tensor": "float32", "shape": [-1], "data": ""},                  # negative size
    {"tensor": "float32", "shape": [1], "data": "not base64!"},
    {"tensor": "float32", "shape": [True], "data": "AAAAAA=="},        # a bool is not a size
    {"list": [1], "dict": {}},                                         # two tags at once
    {"evil": "__reduce__"},
    [1, 2],                                                            # a bare list is never written
    {"list": [{"list": [{"list": [{"list": [{"list": [{"list": [{"list": [{"list": [{"list": [1]}]}]}]}]}]}]}]}]},
])
def test_data_encode_cannot_have_written_is_refused(data):
    with pytest.raises(ValueError):
        harness.decode(data)


def test_a_producers_error_fails_the_check_that_needs_it_and_a_missing_value_says_so():
    where = {"line": 3, "function": "f", "source": "return 1 / 0"}
    produced = harness.Produced({"a": {"error": ["error", {"type": "ZeroDivisionError", "error": "division by zero"}, where]},
                                 "b": {"value": {"tensor": "float32", "shape": [2], "data": "AAAAAA=="}}})
    with pytest.raises(harness.Reported) as raised:
        produced["a"]
    assert harness.describe(raised.value) == ("error", {"type": "ZeroDivisionError", "error": "division by zero"}, where)
    for name in ("b", "missing"):
        with pytest.raises(harness.Fail) as failed:
            produced[name]
        assert failed.value.key == "not_produced"

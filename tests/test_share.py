"""URL query-parameter round-trip: valid values come back, hostile ones are reported and ignored."""
import math

from kdapp.share import Setting, encode, parse

SCHEMA = {
    "T": Setting("k_T", float, 4.0, 0.5, 20.0),
    "log": Setting("k_log", bool, False),
    "pick": Setting("k_pick", str, "class", choices=("class", "confusing")),
    "epochs": Setting("k_epochs", int, 20, 1, 60),
    "values": Setting("k_values", float, (1.0, 2.0), max_items=4, choices=(0.5, 1.0, 2.0, 4.0, 8.0)),
    "seeds": Setting("k_seeds", int, (0,), 0, 9, max_items=3),
}


def test_round_trip_reproduces_every_value():
    values = {"T": 2.5, "log": True, "pick": "confusing", "epochs": 7, "values": (0.5, 8.0), "seeds": (0, 4, 9)}
    query = encode(SCHEMA, values)
    assert query == {"T": "2.5", "log": "1", "pick": "confusing", "epochs": "7", "values": "0.5,8", "seeds": "0,4,9"}
    assert parse(SCHEMA, query) == (values, [])


def test_unknown_keys_wrong_types_and_out_of_range_are_reported_not_applied():
    query = {"T": "99", "log": "maybe", "epochs": "3.5", "pick": "<script>", "evil": "1", "seeds": "1,2,3,4",
             "values": "1,abc"}
    values, problems = parse(SCHEMA, query)
    assert values == {}
    assert sorted(problems) == sorted([("T", "99", "range"), ("log", "maybe", "type"), ("epochs", "3.5", "type"),
                                       ("pick", "<script>", "range"), ("evil", "1", "unknown"),
                                       ("seeds", "1,2,3,4", "range"), ("values", "1,abc", "type")])


def test_non_finite_and_oversized_values_are_rejected():
    values, problems = parse(SCHEMA, {"T": "nan", "epochs": "1" * 500, "values": "inf"})
    assert values == {} and {reason for _, _, reason in problems} == {"type", "range"}
    assert all(len(shown) <= 41 for _, shown, _ in problems)  # the notice never echoes a huge value


def test_valid_keys_survive_next_to_bad_ones():
    values, problems = parse(SCHEMA, {"T": "0.5", "log": "false", "x": "y"})
    assert values == {"T": 0.5, "log": False} and problems == [("x", "y", "unknown")]
    assert not math.isnan(values["T"])

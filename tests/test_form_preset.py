"""kdapp.form.preset: a widget declares the session's value as its default, in the argument each
Streamlit widget takes (index for a choice among options, default for a multi-choice, value otherwise),
and declares nothing when the value is no longer one of the options (the widget's own default then)."""
import pytest

from kdapp.form import preset


@pytest.mark.parametrize("kind, current, options, expected", [
    ("radio", "zh", ["en", "zh"], {"index": 1}),
    ("selectbox", "digits", ["mnist5k", "digits", "cifar10"], {"index": 1}),
    ("selectbox", "gone", ["mnist5k", "digits"], {}),
    ("select_slider", 0.2, [0.01, 0.1, 0.2], {"value": 0.2}),
    ("select_slider", 0.3, [0.01, 0.1, 0.2], {}),
    ("multiselect", [2, 0], [0, 1, 2], {"default": [2, 0]}),
    ("segmented_control", "mock", None, {"default": "mock"}),
    ("slider", 4.5, None, {"value": 4.5}),
    ("number", 3, None, {"value": 3}),
    ("toggle", True, None, {"value": True}),
])
def test_preset_names_the_sessions_value_in_the_widgets_own_argument(kind, current, options, expected):
    assert preset(kind, current, options) == expected

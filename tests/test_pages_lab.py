"""AppTest over the home page and the Distillation Lab: set sliders, click Train, read the results."""
import json

from conftest import finish


def test_home_page_in_both_languages(app_page):
    at = app_page()
    assert "knowledge distillation" in at.title[0].value.lower()
    assert len(at.markdown) >= 2
    zh = app_page(lang="zh")
    assert "知识蒸馏" in zh.title[0].value


def test_lab_trains_and_shows_results(app_page):
    at = app_page("lab.py")
    assert at.info and "Train" in at.info[0].value  # the start hint
    at.selectbox(key="lab_dataset").set_value("digits")
    at.select_slider(key="lab_teacher_epochs").set_value(8)
    at.select_slider(key="lab_epochs").set_value(3)
    at.slider(key="lab_T").set_value(6.0)
    at.slider(key="lab_alpha").set_value(0.8)
    at.button[0].click().run()
    assert not at.exception, at.exception
    finish(at, "lab")
    table = at.table[0].value  # a static table: every column visible at any width
    assert list(table.index) == ["Teacher", "Student, hard labels", "Student, distilled"]
    accuracies = [float(v.split(" ")[0]) for v in table["Test accuracy (%)"]]
    assert all(0 < a <= 100 for a in accuracies)
    assert table["Parameters"].iloc[1] == f"{64 * 32 + 32 + 32 * 10 + 10:,}"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Student, distilled"] == f"{accuracies[2]:.2f} %"
    assert "What the numbers say" in at.info[0].value and "T = 6, α = 0.8" in at.info[0].value
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {trace["name"] for trace in spec["data"]} >= {"Student, hard labels", "Student, distilled"}
    # a second run is kept alongside the first: nothing is lost
    at.slider(key="lab_alpha").set_value(0.5)
    at.button[0].click().run()
    finish(at, "lab")
    assert len(at.session_state["lab_runs"]) == 2
    assert at.selectbox(key="lab_run_choice").options[0].startswith("Run 1")


def test_lab_offline_dataset_shows_message_and_offers_embedded_data(app_page):
    at = app_page("lab.py")
    at.selectbox(key="lab_dataset").set_value("cifar10")
    at.button[0].click().run()
    assert not at.exception
    assert "not available offline" in at.error[0].value and "mnist5k" in at.error[0].value
    at.button(key="lab_use_embedded").click().run()
    assert at.selectbox(key="lab_dataset").value == "mnist5k"


def test_lab_in_chinese(app_page):
    at = app_page("lab.py", lang="zh")
    assert "蒸馏实验室" in at.title[0].value
    assert at.button[0].label == "开始训练"


def test_lab_trains_on_an_own_zip_and_shows_its_classes(app_page, tmp_path):
    from test_imagefolder import classes_with, write_zip

    path = write_zip(tmp_path / "pets.zip", classes_with(10, classes=("cat", "dog", "emu"), size=(12, 12)))
    at = app_page("lab.py")
    at.select_slider(key="lab_teacher_epochs").set_value(1)
    at.select_slider(key="lab_epochs").set_value(1)
    at.text_input(key="lab_folder").set_value(str(path))
    at.button[0].click().run()
    assert not at.exception, at.exception
    finish(at, "lab")
    assert any("each of the 3 classes" in c.value for c in at.caption)
    thumbs = [b for b in at.button if str(b.key).startswith("lab_thumb_")]
    assert [b.label for b in thumbs] == ["cat", "dog", "emu"]  # each thumbnail's button
    thumbs[2].click().run()  # the picked image beside its soft labels
    index = thumbs[2].key.removeprefix("lab_thumb_")
    assert f"Test image {index} (class emu)" in [c for image in at.get("image") for c in image.captions]
    assert at.session_state["lab_runs"][-1].config.data.dataset == str(path)


def test_lab_refuses_a_bad_zip_with_the_rule(app_page, tmp_path):
    from test_imagefolder import classes_with, write_zip

    path = write_zip(tmp_path / "one.zip", classes_with(3, classes=("cat",)))
    at = app_page("lab.py")
    at.text_input(key="lab_folder").set_value(str(path))
    at.button[0].click().run()
    assert not at.exception and "only one class folder (cat)" in at.error[0].value


def test_the_address_follows_the_settings_as_they_change_without_starting_a_run(app_page):
    at = app_page("lab.py")
    at.slider(key="lab_T").set_value(6.0).run()
    at.select_slider(key="lab_fraction").set_value(0.5).run()
    assert at.query_params["T"] in ("6", ["6"]) and at.query_params["frac"] in ("0.5", ["0.5"])
    assert "live_lab" not in at.session_state and not at.session_state.get("lab_runs")  # no run started
    assert any("follows this page's settings as you change them" in c.value for c in at.caption)
    zh = app_page("lab.py", lang="zh")
    assert any("地址栏会随你修改设置而同步更新" in c.value for c in zh.caption)

"""Guards of the architecture: kdcore never pulls in the interface, and every page of the app opens
in both languages without an exception (long runners replaced by fast fakes)."""
import ast
import subprocess
import sys

import pytest
import torch

from conftest import ROOT

IMPORT_ALL = """
import importlib, pkgutil, sys
import kdcore
names = [m.name for m in pkgutil.walk_packages(kdcore.__path__, "kdcore.") if not m.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
ui = sorted(m for m in sys.modules if m.split(".")[0] in ("streamlit", "kdapp"))
print(len(names), ui)
"""


def test_importing_every_kdcore_module_loads_no_interface_and_runs_nothing(tmp_path):
    proc = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    count, loaded = proc.stdout.split(" ", 1)
    assert int(count) > 40 and loaded.strip() == "[]"
    assert not list(tmp_path.iterdir())  # no module ran its main at import (the sandbox launcher writes files)


def navigation() -> list[str]:
    """The page files app.py's PAGES lists, read from its source."""
    tree = ast.parse((ROOT / "app.py").read_text())
    pages = next(node.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "PAGES")
    return [ast.literal_eval(entry)[1] for entry in pages.elts]


@pytest.fixture
def fast_teacher(monkeypatch):
    """An untrained teacher instead of 12 epochs of training: pages that show a teacher open at once."""
    from kdcore import models, teacher
    from kdcore.train import predict_logits

    def fake(config, data, device="cpu"):
        torch.manual_seed(0)
        model = models.build(config.family, data.in_shape, data.num_classes, 4).eval()
        test_logits = predict_logits(model, data.x_test)
        accuracy = (test_logits.argmax(1) == data.y_test).float().mean().item()
        return teacher.Teacher(model, predict_logits(model, data.x_train), test_logits, accuracy, 0.0, True, [])

    monkeypatch.setattr(teacher, "get_teacher", fake)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", navigation())
def test_every_page_opens_without_an_exception(page, lang, app_page, fast_teacher):
    from streamlit.runtime.caching import cache_resource

    cache_resource.clear()  # no real teacher cached by an earlier test
    at = app_page(page, lang=lang)
    assert not at.exception, at.exception
    assert at.title, f"{page} shows no title"

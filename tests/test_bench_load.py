"""The light load client (bench/load_client.py, bench/concurrent.py's default mode) runs end to
end against a real server with tiny settings and writes its JSON: a smoke test that it still
speaks Streamlit's protocol, not a measurement. No browser needed."""

import json
import random

import pytest

from bench import concurrent, results_io
from bench import load_client as lc


@pytest.fixture(autouse=True)
def results_in_tmp(tmp_path, monkeypatch):
    """Keep the real bench/results/ (the lead's measured figures) untouched."""
    monkeypatch.setattr(results_io, "RESULTS", tmp_path)
    return tmp_path


def rng() -> random.Random:
    return random.Random(0)  # noqa: S311 (which option to pick, not secrets)


def test_changed_state_picks_another_option_or_the_next_step():
    from streamlit.proto.ButtonGroup_pb2 import ButtonGroup
    from streamlit.proto.NumberInput_pb2 import NumberInput
    from streamlit.proto.Selectbox_pb2 import Selectbox

    group = ButtonGroup(id="$$ID-abc-year", default=[1])
    for label in ("2017", "2018", "2020"):
        group.options.add(content=label)
    widget = lc.Widget(group.id, "segmented", group, lc.initial_state("segmented", group, None))
    assert widget.key == "year" and widget.value() == ["2018"]
    new = lc.changed_state(widget, rng())
    assert list(new.string_array_value.data)[0] in ("2017", "2020")

    box = Selectbox(id="$$ID-abc-group", options=["all", "acute"], default=0)
    widget = lc.Widget(box.id, "selectbox", box, lc.initial_state("selectbox", box, None))
    assert lc.changed_state(widget, rng()).string_value == "acute"

    number = NumberInput(id="n", data_type=NumberInput.INT, step=1000, has_max=True, max=2000)
    number.default = 2000
    widget = lc.Widget("n", "number", number, lc.initial_state("number", number, None))
    assert lc.changed_state(widget, rng()).int_value == 1000  # down at the maximum
    empty = NumberInput(id="e", data_type=NumberInput.INT)
    assert lc.initial_state("number", empty, None).WhichOneof("value") is None


@pytest.mark.timeout(180)
def test_light_client_two_levels_briefly(results_in_tmp):
    figures, settings = concurrent.measure_load(
        levels=(1, 2), seconds=4, ttl=1, timeout_s=30, think=(0.5, 1.0), changes=2,
        warm_up=False,
    )  # fmt: skip
    path = results_io.record("concurrent", figures, settings)
    found = {f["name"]: f for f in json.loads(path.read_text(encoding="utf-8"))["figures"]}
    for n in (1, 2):
        failed = found[f"{n} viewers: failed sessions"]
        assert failed["value"] == 0, failed["detail"]
        assert failed["detail"]["sessions"] >= n
        assert found[f"{n} viewers: server script p95"]["value"] > 0
        assert found[f"initial load p95, {n} sessions"]["detail"]["n"] >= n
    assert found["rerun p95, 2 sessions"]["detail"]["n"] >= 1
    assert found["2 viewers: script p95 / one viewer"]["value"] > 0
    assert found["heap in use: warm baseline"]["value"] > 10
    assert found["st caches without max_entries or ttl"]["met"] is True

"""The synthetic demo clinic: reproducible from its seed, Dutch export format, clearly fake."""

from analysis import demo


def test_committed_demo_file_is_what_the_seed_makes():
    assert demo.DEMO_PATH.read_bytes() == demo.to_dutch_csv(demo.make_demo())


def test_demo_is_dutch_format_and_clearly_not_real_patients():
    text = demo.DEMO_PATH.read_bytes().decode("utf-8")
    assert text.startswith("\ufeffpatientnummer;episode;datum;sessie;pijnscore;klachtduur")
    frame = demo.make_demo()
    assert frame["patientnummer"].str.fullmatch(r"DEMO-\d{4}").all()
    assert 250 <= frame["patientnummer"].nunique() <= 400
    assert set(frame["klachtduur"]) == {"acuut", "subacuut", "chronisch"}
    assert ";3,5;" in text or ";6,5;" in text  # decimal comma appears


def test_courses_end_early_sometimes_and_pain_stays_on_the_scale():
    frame = demo.make_demo()
    lengths = frame.groupby("episode").size()
    assert lengths.min() < 5 and lengths.max() == 10
    assert frame["pijnscore"].between(0, 10).all()

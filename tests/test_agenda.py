"""Agenda templates (workshop/agenda.py, sessions/*.toml): loading, checking, applying."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from workshop import agenda
from workshop.agenda import TemplateError, apply_template, load_template, template_names
from workshop.extensions import db
from workshop.models import Activity, Facilitator, Statement
from workshop.services import workshops

VALID = """\
# A small valid template; the tests break one line of it at a time.
[template]
title_th = "ทดสอบ"
title_en = "Test"
minutes = 60

[[activities]]
key = "ideas"
kind = "brainstorm"
prompt_th = "ไอเดีย"
plan_section = "goals"

[[activities]]
key = "ideas-vote"
kind = "dot_vote"
source = "ideas"
prompt_th = "ลงคะแนน"
dots = 5

[[activities]]
key = "when"
kind = "poll"
prompt_th = "เมื่อไหร่?"
options = ["เสาร์", "อาทิตย์"]
"""


def write(folder: Path, text: str, name: str = "broken") -> str:
    (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return name


def refusal(folder: Path, text: str) -> str:
    with pytest.raises(TemplateError) as caught:
        load_template(write(folder, text), folder=folder)
    return str(caught.value)


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


def in_workshop(app, template_name: str):
    """Apply a shipped template to a new workshop; returns its activities, in order."""
    facilitator = Facilitator(email="planner@example.org")
    facilitator.set_password("correct horse battery")
    db.session.add(facilitator)
    db.session.flush()
    workshop = workshops.create_workshop(facilitator, "Lampang", "lampang")
    apply_template(workshop, load_template(template_name))
    db.session.commit()
    return db.session.scalars(
        select(Activity).where(Activity.workshop_id == workshop.id).order_by(Activity.position)
    ).all()


# --- shipped templates ------------------------------------------------------------------


def test_shipped_templates_are_listed_and_load():
    names = template_names()
    assert {"sfc-city-plan", "quick-45"} <= set(names)
    for name in names:
        template = load_template(name)
        assert template.title and template.title_translations["en"]
        assert all(a.prompt and a.prompt_translations.get("en") for a in template.activities)
        assert template.minutes is not None
        assert template.activity_minutes <= template.minutes


def test_sfc_city_plan_applies_with_sections_horizons_and_sources(app):
    with app.app_context():
        activities = in_workshop(app, "sfc-city-plan")
        by_prompt = {a.prompt_translations["en"].split(":")[0]: a for a in activities}
        assert activities[0].kind == "brainstorm" and activities[0].plan_section is None
        vision = by_prompt["Vision"]
        goals = by_prompt["Goals"]
        assert vision.kind == "brainstorm" and vision.plan_section == "vision"
        assert goals.kind == "brainstorm" and goals.plan_section == "goals"
        on_vision = [a for a in activities if a.source_activity_id == vision.id]
        assert sorted(a.kind for a in on_vision) == ["agree", "dot_vote"]
        assert all(a.plan_section == "vision" for a in on_vision)  # inherited
        dot_vote = next(a for a in on_vision if a.kind == "dot_vote")
        assert (dot_vote.dots, dot_vote.max_per_item) == (5, 3)
        (goal_rank,) = [a for a in activities if a.source_activity_id == goals.id]
        assert goal_rank.kind == "rank" and goal_rank.top_k == 3
        projects = [
            a for a in activities if a.kind == "brainstorm" and a.plan_section == "projects"
        ]
        assert [p.horizon for p in projects] == ["short", "medium", "long"]
        for brainstorm in projects:
            vote, *others = [a for a in activities if a.source_activity_id == brainstorm.id]
            assert vote.kind == "dot_vote"
            # The short-term projects are also placed on the impact × feasibility matrix.
            assert [a.kind for a in others] == (["matrix"] if brainstorm.horizon == "short" else [])
            assert all(a.horizon == brainstorm.horizon for a in others)
            assert (vote.plan_section, vote.horizon) == ("projects", brainstorm.horizon)
            assert vote.position == brainstorm.position + 1
        assert all(a.minutes for a in activities)
        assert sum(a.minutes for a in activities) <= 180
        assert [a.position for a in activities] == list(range(len(activities)))
        assert all(a.prompt_translations.get("en") for a in activities)


def test_quick_45_applies_with_a_poll(app):
    with app.app_context():
        activities = in_workshop(app, "quick-45")
        assert [a.kind for a in activities] == ["brainstorm", "dot_vote", "agree", "poll"]
        ideas, vote, agree, poll = activities
        assert vote.source_activity_id == ideas.id and agree.source_activity_id == ideas.id
        assert (vote.dots, vote.max_per_item) == (3, 2)
        assert (ideas.plan_section, ideas.horizon) == ("projects", "short")
        assert poll.multiple is True and poll.source_activity_id is None
        options = db.session.scalars(
            select(Statement.text).where(Statement.activity_id == poll.id).order_by(Statement.id)
        ).all()
        assert len(options) == 4 and options[0].startswith("เย็นวันธรรมดา")
        assert sum(a.minutes for a in activities) <= 45


def test_every_field_reaches_the_activity(app, tmp_path):
    text = VALID + (
        '\n[[activities]]\nkey = "order"\nkind = "rank"\nsource = "ideas"\nprompt_th = "เรียง"\n'
        'top_k = 2\nminutes = 7\n\n[[activities]]\nkind = "rating"\nsource = "ideas"\n'
        'prompt_th = "ให้ดาว"\nprompt_en = "Stars"\n\n[[activities]]\nkind = "brainstorm"\n'
        'prompt_th = "โครงการ"\nplan_section = "projects"\nhorizon = "long"\n'
        '\n[[activities]]\nkind = "agree"\nsource = "ideas"\nprompt = "Agree?"\n'
    )
    template = load_template(write(tmp_path, text, "all-fields"), folder=tmp_path)
    assert template.title == "ทดสอบ" and template.title_translations == {"en": "Test"}
    with app.app_context():
        facilitator = Facilitator(email="planner@example.org")
        facilitator.set_password("correct horse battery")
        db.session.add(facilitator)
        workshop = workshops.create_workshop(facilitator, "Nan")
        apply_template(workshop, template)
        db.session.commit()
        ideas, vote, poll, rank, rating, project, agree = workshop.activities
        assert ideas.plan_section == "goals" and vote.plan_section == "goals"
        assert (vote.dots, vote.max_per_item) == (5, 3)
        assert poll.multiple is False and len(poll.prompt) > 0
        assert (rank.top_k, rank.minutes, rank.source_activity_id) == (2, 7, ideas.id)
        assert rating.prompt_translations == {"en": "Stars"}
        assert (project.plan_section, project.horizon) == ("projects", "long")
        assert agree.prompt == "Agree?"


def test_kind_fields_agree_with_the_service():
    for kind, fields in workshops._KIND_FIELDS.items():
        names = {"source" if f == "source_activity_id" else f for f in fields}
        assert names == set(agenda.KIND_FIELDS[kind])


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["no-such-template", "../etc/passwd", "..", "", ".hidden", "sessions/sfc-city-plan", "a\\b"],
)
def test_unknown_or_odd_names_are_not_found(name, tmp_path):
    with pytest.raises(FileNotFoundError):
        load_template(name)
    with pytest.raises(FileNotFoundError):
        load_template(name, folder=tmp_path)


def test_a_link_out_of_the_folder_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside, VALID, "secret")
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "linked.toml").symlink_to(outside / "secret.toml")
    with pytest.raises(FileNotFoundError):
        load_template("linked", folder=folder)


# --- broken templates: file, line and field ---------------------------------------------


def assert_names(message: str, line: int, where: str) -> None:
    assert message.startswith(f"broken.toml line {line}: {where}: "), message


def test_bad_kind(tmp_path):
    text = VALID.replace('kind = "dot_vote"', 'kind = "dotvote"')
    message = refusal(tmp_path, text)
    assert_names(message, line_of(text, '"dotvote"'), "activities[2].kind")
    assert "must be one of brainstorm, dot_vote, rank, agree, rating, poll" in message


def test_missing_kind_points_at_the_header(tmp_path):
    text = VALID.replace('kind = "poll"\n', "")
    message = refusal(tmp_path, text)
    assert_names(message, 20, "activities[3].kind")


def test_unknown_source(tmp_path):
    text = VALID.replace('source = "ideas"', 'source = "idea"')
    message = refusal(tmp_path, text)
    assert_names(message, line_of(text, 'source = "idea"'), "activities[2].source")
    assert "'idea'" in message


def test_source_must_be_earlier_and_a_brainstorm(tmp_path):
    later = VALID + '\n[[activities]]\nkey = "late"\nkind = "brainstorm"\nprompt_th = "x"\n'
    later = later.replace('source = "ideas"', 'source = "late"')
    message = refusal(tmp_path, later)
    assert_names(message, line_of(later, 'source = "late"'), "activities[2].source")
    assert "comes later" in message
    on_poll = VALID + '\n[[activities]]\nkind = "agree"\nsource = "when"\nprompt_th = "x"\n'
    message = refusal(tmp_path, on_poll)
    assert_names(message, line_of(on_poll, 'source = "when"'), "activities[4].source")
    assert "brainstorm" in message
    missing = VALID.replace('source = "ideas"\n', "")
    assert_names(refusal(tmp_path, missing), 13, "activities[2].source")


def test_horizon_on_goals(tmp_path):
    text = VALID.replace('plan_section = "goals"', 'plan_section = "goals"\nhorizon = "short"')
    message = refusal(tmp_path, text)
    assert_names(message, line_of(text, "horizon ="), "activities[1].horizon")
    assert "only projects have a horizon" in message
    # A vote inherits its source's section: a horizon on a vote of goals is refused too.
    text = VALID.replace("dots = 5", 'dots = 5\nhorizon = "long"')
    assert_names(refusal(tmp_path, text), line_of(text, "horizon ="), "activities[2].horizon")


def test_bad_plan_section_and_horizon_values(tmp_path):
    text = VALID.replace('plan_section = "goals"', 'plan_section = "goal"')
    message = refusal(tmp_path, text)
    assert_names(message, line_of(text, "plan_section"), "activities[1].plan_section")
    assert "vision, goals, strategies, projects" in message
    text = VALID.replace('plan_section = "goals"', 'plan_section = "projects"\nhorizon = "soon"')
    assert_names(refusal(tmp_path, text), line_of(text, "horizon"), "activities[1].horizon")


def test_toml_syntax_error(tmp_path):
    text = VALID.replace("dots = 5", "dots = ")
    message = refusal(tmp_path, text)
    assert_names(message, line_of(text, "dots ="), "TOML syntax")


def test_toml_error_without_a_line_names_the_last_line(tmp_path):
    text = VALID.replace("dots = 5", "dots = 5\ndots = 6")
    message = refusal(tmp_path, text)
    assert re.match(r"broken\.toml line \d+: TOML syntax: ", message), message


def test_missing_prompt(tmp_path):
    text = VALID.replace('prompt_th = "ลงคะแนน"\n', "")
    message = refusal(tmp_path, text)
    assert_names(message, line_of(text, 'key = "ideas-vote"') - 1, "activities[2].prompt_th")
    assert "needs a prompt" in message
    blank = VALID.replace('prompt_th = "ลงคะแนน"', 'prompt_th = "   "')
    assert_names(refusal(tmp_path, blank), line_of(blank, '"   "'), "activities[2].prompt_th")
    long = VALID.replace('prompt_th = "ลงคะแนน"', f'prompt_th = "{"ก" * 501}"')
    assert_names(refusal(tmp_path, long), line_of(long, "กกก"), "activities[2].prompt_th")


def test_unknown_key(tmp_path):
    text = VALID.replace("dots = 5", 'dots = 5\ncolour = "red"')
    message = refusal(tmp_path, text)
    assert_names(message, line_of(text, "colour"), "activities[2].colour")
    assert "unknown field" in message
    text = VALID.replace('title_en = "Test"', 'title_en = "Test"\nauthor = "me"')
    assert_names(refusal(tmp_path, text), line_of(text, "author"), "template.author")
    text = "version = 2\n" + VALID
    assert_names(refusal(tmp_path, text), 1, "version")


def test_field_of_another_kind(tmp_path):
    text = VALID.replace('plan_section = "goals"', 'plan_section = "goals"\ndots = 3')
    message = refusal(tmp_path, text)
    assert_names(message, line_of(text, "dots = 3"), "activities[1].dots")
    assert "a brainstorm takes no dots" in message
    text = VALID.replace("dots = 5", "dots = 5\ntop_k = 2")
    assert_names(refusal(tmp_path, text), line_of(text, "top_k"), "activities[2].top_k")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("dots = 5", "dots = 0", "dots"),
        ("dots = 5", "dots = -2", "dots"),
        ("dots = 5", "dots = 101", "dots"),
        ("dots = 5", 'dots = "5"', "dots"),
        ("dots = 5", "dots = true", "dots"),
        ("dots = 5", "dots = 2\nmax_per_item = 3", "max_per_item"),
        ("dots = 5", "dots = 5\nminutes = 0", "minutes"),
        ("dots = 5", "dots = 5\nminutes = 1.5", "minutes"),
    ],
)
def test_numbers_must_be_positive_whole_numbers(tmp_path, old, new, field):
    text = VALID.replace(old, new)
    message = refusal(tmp_path, text)
    assert_names(message, line_of(text, new.splitlines()[-1]), f"activities[2].{field}")


def test_few_dots_get_a_fitting_max_per_item(app, tmp_path):
    """add_activity's default max_per_item (3) would exceed 2 dots: the template fits it."""
    text = VALID.replace("dots = 5", "dots = 2")
    template = load_template(write(tmp_path, text, "two-dots"), folder=tmp_path)
    with app.app_context():
        facilitator = Facilitator(email="planner@example.org")
        facilitator.set_password("correct horse battery")
        db.session.add(facilitator)
        workshop = workshops.create_workshop(facilitator, "Nan")
        apply_template(workshop, template)
        vote = workshop.activities[1]
        assert (vote.dots, vote.max_per_item) == (2, 2)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ('["เสาร์"]', "options"),
        ("[]", "options"),
        ('"เสาร์, อาทิตย์"', "options"),
        ('["เสาร์", "  "]', "options[2]"),
        ('["เสาร์", 7]', "options[2]"),
        ('["เสาร์", "เสาร์ "]', "options[2]"),
    ],
)
def test_poll_options(tmp_path, options, field):
    text = VALID.replace('["เสาร์", "อาทิตย์"]', options)
    message = refusal(tmp_path, text)
    assert_names(message, line_of(text, "options ="), f"activities[3].{field}")


def test_poll_without_options_and_multiple_not_a_bool(tmp_path):
    text = VALID.replace('options = ["เสาร์", "อาทิตย์"]\n', "")
    assert_names(
        refusal(tmp_path, text), line_of(text, 'key = "when"') - 1, "activities[3].options"
    )
    text = VALID.replace('options = ["เสาร์", "อาทิตย์"]', 'options = ["a", "b"]\nmultiple = "yes"')
    assert_names(refusal(tmp_path, text), line_of(text, "multiple"), "activities[3].multiple")


def test_duplicate_key_and_missing_title(tmp_path):
    text = VALID.replace('key = "when"', 'key = "ideas"')
    message = refusal(tmp_path, text)
    assert_names(message, 21, "activities[3].key")
    text = VALID.replace('title_th = "ทดสอบ"\n', "")
    assert_names(refusal(tmp_path, text), 2, "template.title_th")
    text = VALID.split("[[activities]]")[0]
    assert "needs at least one [[activities]]" in refusal(tmp_path, text)


def test_budget_hearing_applies_with_points_and_budgets(app):
    with app.app_context():
        activities = in_workshop(app, "budget-hearing")
        assert [a.kind for a in activities] == [
            "brainstorm",
            "points",
            "budget",
            "brainstorm",
            "budget",
        ]
        needs, points, listed, proposals, proposed = activities
        assert points.points == 100 and points.source_activity_id == needs.id
        assert listed.budget == 10_000_000 and listed.source_activity_id is None
        assert (listed.plan_section, listed.horizon) == ("projects", "short")
        costs = db.session.execute(
            select(Statement.text, Statement.cost).where(Statement.activity_id == listed.id)
        ).all()
        assert len(costs) == 6 and all(cost > 0 for _, cost in costs)
        assert proposed.source_activity_id == proposals.id and proposed.budget == 5_000_000


@pytest.mark.parametrize(
    "fields, where",
    [
        ('kind = "matrix"\nsource = "ideas"\nx_label = ""', "activities[2].x_label"),
        ('kind = "points"\nsource = "ideas"\npoints = 0', "activities[2].points"),
        ('kind = "points"\nsource = "ideas"\nx_label = "a"', "activities[2].x_label"),
        ('kind = "budget"\nsource = "ideas"', "activities[2].budget"),
        ('kind = "budget"\nbudget = -5\nsource = "ideas"', "activities[2].budget"),
        ('kind = "budget"\nbudget = 5\nitems = [{ text = "a", cost = -1 }]', "items[1].cost"),
        ('kind = "budget"\nbudget = 5\nitems = "road"', "activities[2].items"),
        ('kind = "budget"\nbudget = 5\nsource = "ideas"\nitems = [{ text = "a" }]', "items"),
        ('kind = "matrix"', "activities[2].source"),
    ],
)
def test_priority_kind_errors_name_the_field(tmp_path, fields, where):
    text = (
        '[template]\ntitle_th = "t"\ntitle_en = "t"\nminutes = 60\n\n'
        '[[activities]]\nkey = "ideas"\nkind = "brainstorm"\nprompt_th = "p"\nprompt_en = "p"\n\n'
        f'[[activities]]\nprompt_th = "p"\nprompt_en = "p"\n{fields}\n'
    )
    (tmp_path / "broken.toml").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as error:
        load_template("broken", tmp_path)
    message = str(error.value)
    assert message.startswith("broken.toml line ") and where in message
    field = where.removeprefix("activities[2].").split("[")[0].split(".")[0]
    line = int(message.split(" line ")[1].split(":")[0])
    assert text.splitlines()[line - 1].startswith((field, "[[activities]]"))

"""Agenda templates with word cloud, Q&A and map steps; mistakes name file, line and field."""

from __future__ import annotations

import pytest

from tests.test_agenda import assert_names, in_workshop, line_of, refusal, write
from workshop.agenda import apply_template, load_template
from workshop.extensions import db
from workshop.models import Facilitator
from workshop.services import workshops

TEMPLATE = """[template]
title_th = "เวทีทดลอง"

[[activities]]
kind = "wordcloud"
prompt_th = "เมืองของเราในหนึ่งคำ"
max_words = 2

[[activities]]
kind = "qa"
prompt_th = "คำถามถึงนายกเทศมนตรี"

[[activities]]
kind = "map"
prompt_th = "ปักหมุด"
max_pins = 4
categories = ["ปัญหา", "โอกาส"]
georef = { top_left = { lat = 18.3, lon = 99.48 }, bottom_right = { lat = 18.26, lon = 99.53 } }
"""


def test_new_kinds_apply_with_their_fields(app, tmp_path):
    template = load_template(write(tmp_path, TEMPLATE, "kinds"), folder=tmp_path)
    with app.app_context():
        facilitator = Facilitator(email="planner@example.org")
        facilitator.set_password("correct horse battery")
        db.session.add(facilitator)
        workshop = workshops.create_workshop(facilitator, "Nan")
        apply_template(workshop, template)
        cloud, qa, pins = workshop.activities
        assert (cloud.kind, cloud.max_words) == ("wordcloud", 2)
        assert qa.kind == "qa" and qa.source_activity_id is None
        assert (pins.max_pins, pins.categories) == (4, ["ปัญหา", "โอกาส"])
        assert pins.georef["bottom_right"] == {"lat": 18.26, "lon": 99.53}


@pytest.mark.parametrize(
    ("old", "new", "field", "index"),
    [
        ("max_words = 2", "max_words = 11", "max_words", 1),
        ("max_words = 2", "max_pins = 2", "max_pins", 1),
        ("max_pins = 4", "max_pins = 0", "max_pins", 3),
        ('categories = ["ปัญหา", "โอกาส"]', "categories = []", "categories", 3),
        ('categories = ["ปัญหา", "โอกาส"]', 'categories = ["a", "a"]', "categories", 3),
        ("lat = 18.26", "lat = 18.9", "georef", 3),
    ],
)
def test_mistakes_name_the_line_and_field(tmp_path, old, new, field, index):
    text = TEMPLATE.replace(old, new)
    assert_names(refusal(tmp_path, text), line_of(text, new), f"activities[{index}].{field}")


def test_sfc_city_plan_has_a_map_step(app):
    with app.app_context():
        activities = in_workshop(app, "sfc-city-plan")
        (city_map,) = [a for a in activities if a.kind == "map"]
        assert city_map.max_pins == 3 and city_map.categories == ["ปัญหา", "โอกาส", "โครงการ"]
        assert sum(a.minutes for a in activities) <= 180

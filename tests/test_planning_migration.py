"""Migration 0008: every older single-workshop plan moves into a process of its own, and
nothing is lost (items, evidence, adoption, tracked projects), on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from tests.conftest import Api, make_facilitator
from tests.test_migrations import postgres_url  # noqa: F401  (the fixture)
from workshop import create_app
from workshop.config import TestConfig
from workshop.extensions import db


def planned_workshop(api: Api) -> str:
    code = api.workshop(title="Lampang 2026", city="lampang", date="2026-11-26")["code"]
    goals = api.activity(code, kind="brainstorm", prompt="Goals?", plan_section="goals")
    projects = api.activity(
        code, kind="brainstorm", prompt="Projects?", plan_section="projects", horizon="short"
    )
    api.open(code, goals["id"])
    author = api.join(code, "academia")
    api.statement(code, author, goals["id"], "clean air", "g1")
    api.open(code, projects["id"])
    ids = [
        api.statement(code, author, projects["id"], text, f"p{n}").json["id"]
        for n, text in enumerate(["shade trees", "night bus"])
    ]
    vote = api.activity(code, kind="dot_vote", prompt="Vote", source_activity_id=projects["id"])
    api.open(code, vote["id"])
    api.vote(code, api.join(code, "residents"), vote["id"], {ids[0]: 3, ids[1]: 1}, "v")
    assert api.post(f"/workshops/{code}/plan/draft").status_code == 201
    assert api.post(f"/workshops/{code}/plan/adopt").status_code == 201
    return code


def check_plans_carried(url: str) -> None:
    from workshop.models import Plan, PlanningProcess, TrackedProject, Workshop

    app = create_app(TestConfig(url))
    with app.app_context():
        try:
            upgrade()
            api = Api(app.test_client(), make_facilitator(app))
            code = planned_workshop(api)
            plan_before = api.get(f"/workshops/{code}/plan").json
            projects_before = api.get("/cities/lampang").json["projects_list"]
            db.session.remove()

            downgrade(revision="0007")  # the schema of a database made before processes
            with db.engine.connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM plan_item")).scalar() == 3
            upgrade()

            workshop = db.session.scalar(select(Workshop).where(Workshop.code == code))
            process = db.session.get(PlanningProcess, workshop.process_id)
            assert process.kind == "single" and process.title == "Lampang 2026"
            assert (process.start_year_be, process.end_year_be) == (2569, 2578)
            plan = db.session.scalar(select(Plan).where(Plan.process_id == process.id))
            assert plan.workshop_id == workshop.id and plan.status == "adopted"
            for item in plan.items:
                assert [e["workshop"] for e in item.evidence_log] == [code]
                assert item.evidence_log[0]["score"] == item.evidence.get("score")
            assert len(db.session.scalars(select(TrackedProject)).all()) == 2
            db.session.remove()

            plan_after = api.get(f"/workshops/{code}/plan").json
            # Adopting now freezes version 1; a database made before processes had no
            # versions, so the number is the one thing the round trip cannot bring back.
            assert plan_before.pop("version") == 1 and plan_after.pop("version") == 0
            assert plan_after == plan_before
            assert api.get("/cities/lampang").json["projects_list"] == projects_before
            tree = api.get(f"/processes/{process.id}/plan").json
            assert [p["text"] for p in tree["unplaced"]["projects"]] == ["shade trees", "night bus"]
        finally:
            db.session.remove()
            db.engine.dispose()


def test_single_workshop_plans_carried_into_processes_on_sqlite(tmp_path: Path):
    check_plans_carried(f"sqlite:///{tmp_path / 'plans.sqlite3'}")


def test_single_workshop_plans_carried_into_processes_on_postgresql(postgres_url: str):  # noqa: F811
    check_plans_carried(postgres_url)

"""HTML forms (Flask-WTF, CSRF on every one)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .groups import DEFAULT_GROUPS
from .services.workshops import ActivitySpec


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    city = SelectField(_l("Municipality"), choices=[], validate_choice=False)
    held_on = DateField(_l("Date"), validators=[Optional()])
    groups = TextAreaField(
        _l("Stakeholder groups, one per line"),
        default="\n".join(DEFAULT_GROUPS),
        validators=[Optional(), Length(max=2000)],
    )
    template = SelectField(_l("Agenda template"), choices=[], validate_choice=True)
    # Room defaults (workshop/channels/defaults.py); a form without them changes nothing.
    moderation = RadioField(
        _l("New statements"),
        choices=[
            SelectChoice(
                "pre", _l("Pre-moderation: they wait for your approval before anyone sees them")
            ),
            SelectChoice(
                "post", _l("Post-moderation: they show at once, you hide what should not")
            ),
        ],
        default="pre",
        validators=[Optional()],
    )
    results_hidden = BooleanField(
        _l("Hide results on the projector and phones until I reveal them"), default=True
    )

    def group_list(self) -> list[str] | None:
        lines = [line.strip() for line in (self.groups.data or "").splitlines() if line.strip()]
        return lines or None


class ActivityForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("brainstorm", _l("Brainstorm")),
            SelectChoice("dot_vote", _l("Dot vote")),
            SelectChoice("rank", _l("Ranking (top K)")),
            SelectChoice("agree", _l("Agree / disagree")),
            SelectChoice("rating", _l("Importance rating 1–5")),
            SelectChoice("poll", _l("Poll")),
            SelectChoice("matrix", _l("Impact × feasibility matrix")),
            SelectChoice("points", _l("Points allocation")),
            SelectChoice("budget", _l("Budget allocation")),
            SelectChoice("wordcloud", _l("Word cloud")),
            SelectChoice("qa", _l("Questions (Q&A) with upvotes")),
            SelectChoice("map", _l("Pins on the city map")),
        ],
    )
    prompt = StringField(_l("Prompt"), validators=[DataRequired(), Length(max=500)])
    prompt_en = StringField(_l("Prompt in English (optional)"), validators=[Length(max=500)])
    minutes = IntegerField(_l("Minutes (optional)"), validators=[Optional(), NumberRange(1, 600)])
    source_activity_id = SelectField(
        _l("Vote on the statements of"), choices=[], coerce=str, validate_choice=False
    )
    dots = IntegerField(
        _l("Dots per participant"), default=5, validators=[Optional(), NumberRange(1, 100)]
    )
    max_per_item = IntegerField(
        _l("At most on one statement"), default=3, validators=[Optional(), NumberRange(1, 100)]
    )
    top_k = IntegerField(
        _l("Statements to rank"), default=3, validators=[Optional(), NumberRange(1, 20)]
    )
    options = TextAreaField(
        _l("Poll options, one per line"), validators=[Optional(), Length(max=4000)]
    )
    multiple = BooleanField(_l("Allow several choices"))
    # Priority kinds (workshop/priorities/): empty labels take the defaults.
    x_label = StringField(_l("First axis (Thai)"), validators=[Optional(), Length(max=60)])
    y_label = StringField(_l("Second axis (Thai)"), validators=[Optional(), Length(max=60)])
    x_label_en = StringField(_l("First axis (English)"), validators=[Optional(), Length(max=60)])
    y_label_en = StringField(_l("Second axis (English)"), validators=[Optional(), Length(max=60)])
    points = IntegerField(
        _l("Points per participant"), default=100, validators=[Optional(), NumberRange(1, 1000)]
    )
    budget = IntegerField(_l("Budget (baht)"), validators=[Optional(), NumberRange(1, 10**12)])

    def priority_fields(self, kind: str) -> dict:
        """The matrix / points / budget fields of the chosen kind."""
        if kind == "matrix":
            labels = ("x_label", "y_label", "x_label_en", "y_label_en")
            return {name: (getattr(self, name).data or "").strip() or None for name in labels}
        if kind == "points":
            return {"points": self.points.data}
        if kind == "budget":
            return {"budget": self.budget.data}
        return {}
    max_words = IntegerField(
        _l("Answers per participant"), default=3, validators=[Optional(), NumberRange(1, 10)]
    )
    max_pins = IntegerField(
        _l("Pins per participant"), default=3, validators=[Optional(), NumberRange(1, 20)]
    )
    categories = TextAreaField(
        _l("Pin categories, one per line"), validators=[Optional(), Length(max=400)]
    )

    def spec(self) -> ActivitySpec:
        """The fields that apply to the chosen kind, as a service request."""
        kind = self.kind.data
        source = self.source_activity_id.data
        votes_on_statements = kind in ("dot_vote", "rank", "agree", "rating")
        votes_on_statements = votes_on_statements or kind in ("matrix", "points", "budget")
        return ActivitySpec(
            kind=kind,
            prompt=self.prompt.data or "",
            source_activity_id=int(source) if votes_on_statements and source else None,
            dots=self.dots.data if kind == "dot_vote" else None,
            max_per_item=self.max_per_item.data if kind == "dot_vote" else None,
            top_k=self.top_k.data if kind == "rank" else None,
            options=[line for line in (self.options.data or "").splitlines() if line.strip()]
            if kind == "poll"
            else None,
            multiple=self.multiple.data if kind == "poll" else None,
            **self.priority_fields(kind),
            max_words=self.max_words.data if kind == "wordcloud" else None,
            max_pins=self.max_pins.data if kind == "map" else None,
            categories=[line.strip() for line in (self.categories.data or "").splitlines()]
            if kind == "map" and (self.categories.data or "").strip()
            else None,
            prompt_translations={"en": en} if (en := " ".join((self.prompt_en.data or "").split()))
            else {},
            minutes=self.minutes.data,
        )


class ActivityEditForm(FlaskForm):
    """The agenda's edit form: the prompt, its English version and the suggested minutes."""

    prompt = StringField(_l("Prompt"), validators=[DataRequired(), Length(max=500)])
    prompt_en = StringField(_l("Prompt in English (optional)"), validators=[Length(max=500)])
    minutes = IntegerField(_l("Minutes (optional)"), validators=[Optional(), NumberRange(1, 600)])


class ActionForm(FlaskForm):
    """A button that changes something: CSRF plus one hidden value."""

    value = HiddenField()


class JoinForm(FlaskForm):
    group = RadioField(_l("Your stakeholder group"), choices=[], validators=[DataRequired()])
    name = StringField(_l("Display name (optional)"), validators=[Optional(), Length(max=80)])


class StatementForm(FlaskForm):
    activity_id = HiddenField(validators=[DataRequired()])
    client_id = HiddenField(validators=[DataRequired(), Length(max=64)])
    text = TextAreaField(_l("Your idea"), validators=[DataRequired(), Length(max=2000)])


class VoteForm(FlaskForm):
    """Dots come as ``dots-<statement id>`` fields, checked by the voting rules."""

    activity_id = HiddenField(validators=[DataRequired()])
    client_id = HiddenField(validators=[DataRequired(), Length(max=64)])

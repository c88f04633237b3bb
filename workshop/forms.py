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
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .groups import DEFAULT_GROUPS
from .services.workshops import ActivitySpec


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    city = SelectField(_l("Municipality"), choices=[], validate_choice=False)
    held_on = DateField(_l("Date"), validators=[Optional()])
    # The six standard groups by their names (never their ids), all ticked by default.
    standard_groups = SelectMultipleField(
        _l("Stakeholder groups"),
        choices=[SelectChoice(key, label) for key, label in DEFAULT_GROUPS.items()],
        default=list(DEFAULT_GROUPS),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[Optional()],
    )
    groups = TextAreaField(
        _l("Other groups, one per line"),
        default="",
        validators=[Optional(), Length(max=2000)],
    )
    template = SelectField(_l("Agenda template"), choices=[], validate_choice=True)

    def group_list(self) -> list[str] | None:
        """The ticked standard groups, then the typed ones; None: the six standard ones."""
        lines = [line.strip() for line in (self.groups.data or "").splitlines() if line.strip()]
        chosen = [g for g in (self.standard_groups.data or []) if g in DEFAULT_GROUPS]
        return [*chosen, *(g for g in lines if g not in chosen)] or None


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
        ],
    )
    prompt = StringField(_l("Prompt"), validators=[DataRequired(), Length(max=500)])
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

    def spec(self) -> ActivitySpec:
        """The fields that apply to the chosen kind, as a service request."""
        kind = self.kind.data
        source = self.source_activity_id.data
        votes_on_statements = kind in ("dot_vote", "rank", "agree", "rating")
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
        )


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


class CoFacilitatorForm(FlaskForm):
    """The owner invites a facilitator who has an account, by e-mail."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])

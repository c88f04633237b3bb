"""HTML forms (Flask-WTF, CSRF on every one)."""

from __future__ import annotations

from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
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
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .dates import parse_reader_date, reader_date_value
from .groups import DEFAULT_GROUPS
from .kinds.georef_form import GeorefFields
from .services.workshops import ActivitySpec


class _CatalogueTranslations:
    """WTForms' own messages ("This field is required.") through the app's catalogue:
    WTForms ships no Thai, so their Thai is in messages.po with the app's strings."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)  # WTForms fills in %(max)d itself

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class Form(FlaskForm):
    """Every form of the app: CSRF (Flask-WTF) and WTForms' messages in the reader's
    language."""

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class ReaderDateField(StringField):
    """A date as the reader writes it: ``5/12/2569`` (Buddhist Era) on a Thai page, an
    ISO date picker otherwise; both forms (and ISO) are read back exactly."""

    def _thai(self) -> bool:
        return str(get_locale() or "th").startswith("th")

    def __call__(self, **kwargs):
        if self._thai():
            kwargs.setdefault("inputmode", "numeric")
            kwargs.setdefault("autocomplete", "off")
            kwargs.setdefault("placeholder", _l("dd/mm/yyyy (Buddhist Era)"))
            kwargs.setdefault("pattern", DATE_PATTERN)
        else:
            kwargs.setdefault("type", "date")
        return super().__call__(**kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return reader_date_value(self.data, "th" if self._thai() else "en")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        try:
            self.data = parse_reader_date(valuelist[0])
        except ValueError:
            raise ValidationError(_l("Enter the date as day/month/year, e.g. 5/12/2569.")) from None


DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}"


class WorkshopForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    city = SelectField(_l("Municipality"), choices=[], validate_choice=False)
    held_on = ReaderDateField(_l("Date"), validators=[Optional()])
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
        """The ticked standard groups, then the typed ones; None: the six standard ones."""
        lines = [line.strip() for line in (self.groups.data or "").splitlines() if line.strip()]
        chosen = [g for g in (self.standard_groups.data or []) if g in DEFAULT_GROUPS]
        return [*chosen, *(g for g in lines if g not in chosen)] or None


class ActivityForm(GeorefFields, Form):
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
            georef=self.georef() if kind == "map" else None,
            prompt_translations={"en": en}
            if (en := " ".join((self.prompt_en.data or "").split()))
            else {},
            minutes=self.minutes.data,
        )


class ActivityEditForm(GeorefFields, Form):
    """The agenda's edit form: the prompt, its English version and the suggested minutes
    (and a map's georeference: its four ``georef_*`` fields, read for maps only)."""

    prompt = StringField(_l("Prompt"), validators=[DataRequired(), Length(max=500)])
    prompt_en = StringField(_l("Prompt in English (optional)"), validators=[Length(max=500)])
    minutes = IntegerField(_l("Minutes (optional)"), validators=[Optional(), NumberRange(1, 600)])


class ActionForm(Form):
    """A button that changes something: CSRF plus one hidden value."""

    value = HiddenField()


class JoinForm(Form):
    group = RadioField(_l("Your stakeholder group"), choices=[], validators=[DataRequired()])
    name = StringField(_l("Display name (optional)"), validators=[Optional(), Length(max=80)])


class StatementForm(Form):
    activity_id = HiddenField(validators=[DataRequired()])
    client_id = HiddenField(validators=[DataRequired(), Length(max=64)])
    text = TextAreaField(_l("Your idea"), validators=[DataRequired(), Length(max=2000)])


class VoteForm(Form):
    """Dots come as ``dots-<statement id>`` fields, checked by the voting rules."""

    activity_id = HiddenField(validators=[DataRequired()])
    client_id = HiddenField(validators=[DataRequired(), Length(max=64)])


class CoFacilitatorForm(Form):
    """The owner invites a facilitator who has an account, by e-mail."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])

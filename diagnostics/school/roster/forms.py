"""Forms of the roster pages."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from diagnostics import labels


def not_in_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError(_l("The date is in the future."))


class MoveForm(FlaskForm):
    class_id = SelectField(_l("Move to class"), coerce=int)


class ConsentForm(FlaskForm):
    kind = SelectField(
        _l("Whose consent"),
        choices=[SelectChoice(k, v) for k, v in labels.CONSENT_KINDS.items()],
    )
    scope = SelectField(
        _l("For"), choices=[SelectChoice(k, v) for k, v in labels.CONSENT_SCOPES.items()]
    )
    given_on = DateField(_l("Given on"), validators=[DataRequired(), not_in_future])
    given_by = StringField(
        _l("Given by (e.g. mother, father, guardian)"), validators=[Optional(), Length(max=80)]
    )


class WithdrawForm(FlaskForm):
    withdrawn_on = DateField(_l("Withdrawn on"), validators=[DataRequired(), not_in_future])


class ImportForm(FlaskForm):
    file = FileField(_l("File (CSV or XLSX)"), validators=[FileRequired()])


class EraseForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that everything held about this child is deleted for good."),
        validators=[DataRequired()],
    )


class StudentForm(FlaskForm):
    """One student added by hand on the class page."""

    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=80)])
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    middle_name = StringField(_l("Middle name"), validators=[Optional(), Length(max=80)])
    birth_date = DateField(_l("Birth date"), validators=[DataRequired(), not_in_future])
    sex = SelectField(
        _l("Sex"),
        # No sex is chosen for the psychologist: an empty first choice must be changed.
        choices=[SelectChoice("", "—"), *(SelectChoice(k, v) for k, v in labels.SEXES.items())],
        validators=[DataRequired()],
    )


class ClassConsentForm(FlaskForm):
    """The paper consents of a class, entered at once: the ticked students share the rest."""

    kind = SelectField(
        _l("Whose consent"),
        choices=[SelectChoice(k, labels.CONSENT_KINDS[k]) for k in ("representative", "assent")],
    )
    scope = SelectField(
        _l("For"), choices=[SelectChoice(k, v) for k, v in labels.CONSENT_SCOPES.items()]
    )
    given_on = DateField(_l("Given on"), validators=[DataRequired(), not_in_future])
    given_by = StringField(
        _l("Given by (e.g. mother, father, guardian)"), validators=[Optional(), Length(max=80)]
    )

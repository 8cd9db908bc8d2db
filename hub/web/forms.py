"""Flask-WTF forms: field-level validation and CSRF for every page that posts."""
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from ..accounts.passwords import MAX_PASSWORD, MIN_PASSWORD
from ..text import SLUG_RE
from ..vocabulary import ACTIVITY_KIND_LABELS, ADINDA_LABELS, BIDANG, CHANNEL_LABELS, KIND_LABELS

REQUIRED = _l("This field is required.")


class _CatalogTranslations:
    """WTForms' own messages ("Field cannot be longer than …") from the hub's catalog: WTForms
    ships no Indonesian, so Flask-WTF showed them in English. The msgids are listed in
    hub/web/wtforms_messages.py for extraction."""

    @staticmethod
    def gettext(string):
        return get_translations().ugettext(string)

    @staticmethod
    def ngettext(singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


class HubForm(FlaskForm):
    """Every form of the hub: CSRF from Flask-WTF, messages in the interface's language."""

    class Meta:
        def get_translations(self, form):
            return _CatalogTranslations

class LoginForm(HubForm):
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=255)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=MAX_PASSWORD)])
    remember = BooleanField(_l("Remember me on this device"))
    next = HiddenField()


class PasswordForm(HubForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(REQUIRED),
        Length(min=MIN_PASSWORD, max=MAX_PASSWORD,
               message=_l("Between %(min)d and %(max)d characters.", min=MIN_PASSWORD, max=MAX_PASSWORD))])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(REQUIRED), EqualTo("new", message=_l("The two passwords differ."))])


class KimProfileForm(HubForm):
    """What a KIM's officers may edit about their own KIM."""
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    contact = StringField(_l("Contact"), validators=[Optional(), Length(max=255)])
    website = StringField(_l("Website"), validators=[
        Optional(), Length(max=512), URL(require_tld=False, message=_l("Enter a full address, e.g. https://..."))])
    feed_url = StringField(_l("Own feed"), validators=[
        Optional(), Length(max=2048), URL(require_tld=False, message=_l("Enter a full address, e.g. https://..."))])


    post_policy = SelectField(_l("Who writes the KIM's posts"), default="anggota", choices=[
        SelectChoice("anggota", _l("Every member writes and publishes")),
        SelectChoice("draft", _l("Members write drafts, officers publish")),
        SelectChoice("pengurus", _l("Officers only"))])


class KimAdminForm(KimProfileForm):
    """Everything about a KIM, for hub admins."""
    slug = StringField(_l("Slug (part of the address)"), validators=[
        DataRequired(REQUIRED), Length(max=64),
        Regexp(SLUG_RE, message=_l("Only lowercase letters, digits and single hyphens."))])
    nagari = StringField(_l("Nagari"), validators=[DataRequired(REQUIRED), Length(max=120)])
    kecamatan = StringField(_l("Kecamatan"), validators=[DataRequired(REQUIRED), Length(max=120)])
    kabupaten = StringField(_l("Kabupaten"), validators=[DataRequired(REQUIRED), Length(max=120)])


class UserForm(HubForm):
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=255)])
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    password = PasswordField(_l("Password"), validators=[
        Optional(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD,
                           message=_l("Between %(min)d and %(max)d characters.", min=MIN_PASSWORD, max=MAX_PASSWORD))])
    is_admin = BooleanField(_l("Hub administrator"))


class MembershipForm(HubForm):
    kim = SelectField(_l("KIM"), coerce=int, validators=[DataRequired(REQUIRED)])
    role = SelectField(_l("Role"), choices=[SelectChoice("anggota", _l("Member (anggota)")),
                                            SelectChoice("pengurus", _l("Officer (pengurus)"))])


class CoordinatorForm(HubForm):
    kecamatan = SelectField(_l("Coordinator of"))


class TokenForm(HubForm):
    name = StringField(_l("Token name"), validators=[Optional(), Length(max=80)])
    days = SelectField(_l("Valid for"), coerce=int, default=90,
                       choices=[SelectChoice(30, _l("30 days")), SelectChoice(90, _l("90 days")),
                                SelectChoice(180, _l("180 days")), SelectChoice(365, _l("1 year"))])


class PostForm(HubForm):
    """A form with no fields: CSRF protection for buttons that post (logout, revoke, toggle)."""


class LanguageForm(HubForm):
    lang = HiddenField()
    next = HiddenField()


def _bidang_choices():
    return [SelectChoice(code, label) for code, label in BIDANG.items()]


def _kind_choices():
    return [SelectChoice(code, label) for code, label in KIND_LABELS.items()]


class SourceForm(HubForm):
    url = StringField(_l("Address of the feed or web page"), validators=[DataRequired(REQUIRED), Length(max=2048)])
    bidang = SelectField(_l("Bidang (topic)"), choices=_bidang_choices, default="umum")
    kind = SelectField(_l("Kind of source"), choices=_kind_choices, default="pemerintah")
    title = StringField(_l("Name shown in the timeline (optional)"), validators=[Optional(), Length(max=500)])


class SubscriptionForm(HubForm):
    title = StringField(_l("Name"), validators=[Optional(), Length(max=500)])
    bidang = SelectField(_l("Bidang (topic)"), choices=_bidang_choices)


class OpmlImportForm(HubForm):
    file = FileField(_l("OPML file"), validators=[
        FileRequired(_l("Choose an OPML file.")),
        FileSize(2 * 1024 * 1024, message=_l("The file is larger than 2 MB."))])
    bidang = SelectField(_l("Bidang for feeds without a matching category"), choices=_bidang_choices, default="umum")
    kind = SelectField(_l("Kind of source"), choices=_kind_choices, default="lainnya")


class PostEditForm(HubForm):
    """A KIM's post (Berita); the text is Markdown."""
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=50000)])
    bidang = SelectField(_l("Bidang (topic)"), choices=_bidang_choices, default="umum")
    images = MultipleFileField(_l("Images (JPEG, PNG, WebP or GIF; up to 8 MB each)"),
                               render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"})


class TargetForm(HubForm):
    """Whom a share or a pass-on goes to: chosen KIMs (checkboxes grouped by kecamatan), every KIM
    of a kecamatan, or the whole network. The service checks the KIMs named; the note is kept."""
    target = RadioField(_l("To"), default="kims", choices=[
        SelectChoice("kims", _l("Chosen KIMs")), SelectChoice("kecamatan", _l("Every KIM of a kecamatan")),
        SelectChoice("network", _l("The whole network"))], validate_choice=True)
    kims = SelectMultipleField(_l("Chosen KIMs"), validate_choice=False)
    kecamatan = SelectField(_l("Kecamatan"), validate_choice=False)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    # a flagged item goes out only as a warning; the form says so and sets this
    as_warning = HiddenField()

    def to(self):
        """The recipients as the sharing service takes them."""
        if self.target.data == "network":
            return "network"
        if self.target.data == "kecamatan":
            return {"kecamatan": self.kecamatan.data or ""}
        return list(self.kims.data or [])


class ShareForm(TargetForm):
    from_kim = SelectField(_l("Share as"), validate_choice=False)  # the service checks membership


class DeclineForm(HubForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Say why the item is declined.")),
                                                     Length(max=2000)])


class CommentForm(HubForm):
    kim = SelectField(_l("Write as"), validate_choice=False)  # the service checks membership
    body = TextAreaField(_l("Comment"), validators=[DataRequired(_l("Write something first.")), Length(max=2000)])
    parent = HiddenField()


class HideForm(HubForm):
    reason = TextAreaField(_l("Why it is hidden"), validators=[DataRequired(_l("Say why it is hidden.")),
                                                                Length(max=2000)])


class AspirationForm(HubForm):
    """The public form on a KIM's page: no account needed. `website` is a honeypot (hidden from
    people, filled by robots); `started` is when the form was shown (signed), to refuse a form
    sent faster than a person types."""
    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=120)])
    contact = StringField(_l("Phone or e-mail (optional; needed for a reply)"),
                          validators=[Optional(), Length(max=200)])
    nagari = StringField(_l("Nagari / jorong"), validators=[Optional(), Length(max=120)])
    category = SelectField(_l("Category"), validate_choice=False)  # the service checks the admin's list
    title = StringField(_l("Subject"), validators=[DataRequired(REQUIRED), Length(max=200)])
    text = TextAreaField(_l("Your aspiration"), validators=[DataRequired(REQUIRED), Length(max=5000)])
    photo = FileField(_l("Photo (optional; JPEG, PNG, WebP or GIF, up to 8 MB)"),
                      render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"})
    website = StringField(_l("Leave this empty"))
    started = HiddenField()


class AspirationCategoryForm(HubForm):
    code = StringField(_l("Code"), validators=[DataRequired(REQUIRED), Length(max=40)])
    label = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])


class AspirationOfficeForm(HubForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice("dinas", _l("Dinas / SKPD")),
                                            SelectChoice("nagari", _l("Nagari"))])


class HolidayForm(HubForm):
    day = DateField(_l("Day"), validators=[DataRequired(_l("Give the day as YYYY-MM-DD."))])
    name = StringField(_l("Name (e.g. Idulfitri, cuti bersama)"), validators=[Optional(), Length(max=200)])


class AspirationStepForm(HubForm):
    status = SelectField(_l("Next step"), validate_choice=False)  # the lifecycle decides
    note = TextAreaField(_l("Note (shown on the tracking page)"), validators=[Optional(), Length(max=2000)])
    forward_to = SelectField(_l("Forward to"), coerce=int, validate_choice=False)
    answer = TextAreaField(_l("Answer (shown on the tracking page)"), validators=[Optional(), Length(max=5000)])


class CheckForm(HubForm):
    kim = SelectField(_l("Checked by"), validate_choice=False)
    note = TextAreaField(_l("What was checked, and with whom"),
                         validators=[DataRequired(_l("Say what was checked and how.")), Length(max=2000)])
    links = TextAreaField(_l("Reference links (one per line, optional)"), validators=[Optional(), Length(max=10000)])


class FlagForm(HubForm):
    kim = SelectField(_l("Flagged by"), validate_choice=False)
    kind = SelectField(_l("The item is"), choices=[SelectChoice("hoaks", _l("Hoaks (false)")),
                                                   SelectChoice("misleading", _l("Misleading"))])
    reason = TextAreaField(_l("Why"), validators=[DataRequired(_l("Say why the item is wrong.")), Length(max=2000)])


def _channel_choices():
    return [SelectChoice(code, label) for code, label in CHANNEL_LABELS.items()]


class DisseminationForm(HubForm):
    kim = SelectField(_l("KIM"), validate_choice=False)
    channel = SelectField(_l("Channel"), choices=_channel_choices)
    audience = IntegerField(_l("People reached (estimate)"), default=0, validators=[
        Optional(), NumberRange(min=0, max=10_000_000, message=_l("A number of people, 0 or more."))])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])


def _activity_kind_choices():
    return [SelectChoice(code, label) for code, label in ACTIVITY_KIND_LABELS.items()]


def _adinda_choices():
    return [SelectChoice(code, label) for code, label in ADINDA_LABELS.items()]


class ActivityForm(HubForm):
    """Implementasi: an activity the KIM held offline."""
    held_on = DateField(_l("Day held"), validators=[DataRequired(_l("Give the day as YYYY-MM-DD."))])
    kind = SelectField(_l("Kind"), choices=_activity_kind_choices, default="pleno")
    adinda = SelectField(_l("ADINDA activity"), choices=_adinda_choices, default="implementasi")
    title = StringField(_l("What was done"), validators=[DataRequired(REQUIRED), Length(max=300)])
    participants = IntegerField(_l("Participants"), default=0, validators=[
        Optional(), NumberRange(min=0, max=100_000, message=_l("A number of people, 0 or more."))])
    resource_person = StringField(_l("Resource person (nara sumber), optional"),
                                  validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    items = StringField(_l("Related items (their numbers, separated by spaces; optional)"),
                        validators=[Optional(), Length(max=200)])
    photos = MultipleFileField(_l("Photos (JPEG, PNG, WebP or GIF; up to 8 MB each, at most 6)"),
                               render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"})


class SettingsForm(HubForm):
    quiet_days = IntegerField(_l("Days without activity before a KIM counts as quiet"), validators=[
        DataRequired(REQUIRED), NumberRange(min=1, max=365, message=_l("Between 1 and 365 days."))])
    retention_days = IntegerField(_l("Days an item of a source no KIM follows is kept (0: for ever)"), validators=[
        InputRequired(REQUIRED), NumberRange(min=0, max=3650, message=_l("Between 0 and 3650 days."))])

"""The focal-point network: messages to a list, one-click unsubscribe (RFC 8058), opt-outs and bounces kept.

Each message goes out one e-mail per recipient, carrying its own signed unsubscribe link in the
body and in the List-Unsubscribe / List-Unsubscribe-Post headers, so mail programs offer a
one-click "unsubscribe" that posts to the portal without any sign-in.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import ListMessage, OptOut

SALT = "members.unsubscribe"


def unsubscribe_token(mailing_list, email):
    return signing.dumps({"list": mailing_list.pk, "email": email.lower()}, salt=SALT, compress=True)


def read_unsubscribe_token(token):
    """(list id, e-mail) from a token, or None when it was not made here."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("list"), int) or not isinstance(data.get("email"), str):
        return None
    return data["list"], data["email"]


def unsubscribe_url(mailing_list, email):
    return settings.SITE_URL + reverse("members:unsubscribe", args=[unsubscribe_token(mailing_list, email)])


def send_message(mailing_list, *, subject, body, user):
    """E-mail the message to each recipient of the list and archive it; returns the archived message."""
    recipients = mailing_list.recipients()
    with transaction.atomic():
        message = ListMessage.objects.create(
            mailing_list=mailing_list, subject=subject, body=body, sent_by=user, recipient_count=len(recipients)
        )
    footer = _("You receive this as a focal point on the list “%(list)s” of the %(process)s. To leave the list:") % {
        "list": mailing_list.name,
        "process": mailing_list.process.name,
    }
    with get_connection() as connection:
        for email in recipients:
            link = unsubscribe_url(mailing_list, email)
            EmailMessage(
                subject=f"[{mailing_list.process.short_name}] {subject}",
                body=f"{body}\n\n-- \n{footer}\n{link}\n",
                to=[email],
                headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
                connection=connection,
            ).send()
    return message


def opt_out(mailing_list, email):
    OptOut.objects.get_or_create(mailing_list=mailing_list, email=email.lower())

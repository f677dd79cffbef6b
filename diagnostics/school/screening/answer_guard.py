"""Whether an answer form that comes back is still the child's answer to what is stored now.

Each question page carries a stamp of the item's stored answer as it was when the page was made
(none yet, or the value and when it was given), sealed with the app's secret so that the page
reveals neither. The answer's page is the reply to the answer's POST (one request per answer),
so a reload of it, or the history's "send again", repeats that POST: once the answer has
changed since, the old form's stamp no longer matches and the repeat must not overwrite the
newer answer, nor remove the answers that a changed earlier answer leads to.
"""

import hashlib
import hmac


def stamp(secret, code_id, instrument_id, item_id, stored):
    """The stamp of one item's stored answer: (value, answered_at), or None when unanswered."""
    message = f"{code_id}|{instrument_id}|{item_id}|{stored!r}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:24]


def still_current(secret, code_id, instrument_id, item_id, stored, sent):
    """True when the form was made for the answer stored now.

    A form without a stamp (a page of an older version open while the app was upgraded) is
    taken as it comes, as before.
    """
    if sent is None:
        return True
    return hmac.compare_digest(sent, stamp(secret, code_id, instrument_id, item_id, stored))

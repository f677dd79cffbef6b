"""`sync push`: send batches to the centre over HTTP, with retries; nothing is lost on failure.

Batches wait in INSTANCE/outbox/ until the centre's answer (a signed acknowledgement) names
them; a failed push leaves them there and the next push sends them first.
"""

import time
import urllib.error
import urllib.request
from pathlib import Path

from diagnostics.batch import SyncError
from diagnostics.batch.files import read_small_json
from diagnostics.school.sync.acks import apply_ack
from diagnostics.school.sync.export import batch_file_name, export_batch
from diagnostics.school.sync.keychange import follow_key_changes
from diagnostics.school.sync.plans import receive_plan

OUTBOX = "outbox"
TIMEOUT = 60
ANSWER_LIMIT = 4 << 20  # an acknowledgement of thousands of batches fits
OFFERED_PLANS = 20


def outbox(instance):
    return Path(instance) / OUTBOX


def push_pending(db, instance, school_code, url, retries=4, backoff=2.0, sleep=time.sleep):
    """Send every waiting batch, then a new one if anything is unacknowledged."""
    acks, keys, sent = [], [], 0
    for path in sorted(outbox(instance).glob("*.dxb")):
        failed = _send(db, school_code, url, path, retries, backoff, sleep, (acks, keys))
        if failed:
            return {"acks": acks, "key_changes": keys, "sent": sent, "failed": failed}
        sent += 1
    path = outbox(instance) / batch_file_name(db, school_code)
    if export_batch(db, instance, path) is None:
        return {"acks": acks, "key_changes": keys, "sent": sent, "failed": None}
    failed = _send(db, school_code, url, path, retries, backoff, sleep, (acks, keys))
    return {"acks": acks, "key_changes": keys, "sent": sent + (not failed), "failed": failed}


def _send(db, school_code, url, path, retries, backoff, sleep, results):
    """Post one batch; follow the centre's key changes, apply the acknowledgement (signed by
    the centre's current key) and drop the file. A failure, or None."""
    answer, failure = post_batch(url, path, retries, backoff, sleep)
    if failure:
        return failure
    acks, keys = results
    if isinstance(answer, dict) and isinstance(answer.get("key_changes"), list):
        keys.append(follow_key_changes(db, answer["key_changes"]))
    acks.append(apply_ack(db, school_code, answer))
    path.unlink(missing_ok=True)
    receive_offered_plans(db, answer.get("plans"))
    return None


def receive_offered_plans(db, documents):
    """Keep the plans the centre offered with its answer; one it did not sign is not kept.

    A refused plan stops nothing: the batch has arrived, and the centre page shows what was
    received.
    """
    if not isinstance(documents, list):
        return
    for document in documents[:OFFERED_PLANS]:
        try:
            receive_plan(db, document)
        except SyncError:
            continue


def post_batch(url, path, retries, backoff, sleep):
    """(acknowledgement, None) or (None, reason); retries network errors and 5xx answers."""
    failure = None
    for attempt in range(max(1, retries)):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        try:
            return _post(url, path), None
        except urllib.error.HTTPError as error:
            failure = _reason(error)
            if error.code < 500:
                return None, failure
        except (urllib.error.URLError, OSError, ValueError) as error:
            failure = str(getattr(error, "reason", error))
    return None, failure


def _post(url, path):
    with open(path, "rb") as body:
        request = urllib.request.Request(
            url.rstrip("/") + "/centre/batches",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/octet-stream",
                "Content-Length": str(path.stat().st_size),
            },
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer = read_small_json(response, limit=ANSWER_LIMIT)
    if answer is None:
        raise ValueError("the centre's answer is not an acknowledgement")
    return answer


def _reason(error):
    try:
        return f"{error.code}: {str(read_small_json(error)['error'])[:500]}"
    except (ValueError, KeyError, TypeError):
        return f"HTTP {error.code}"

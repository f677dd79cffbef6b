"""Key pairs, fingerprints and the encrypted centre private key (sync/FORMAT.md, "Keys")."""

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import ed25519, mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask_babel import gettext as _

from diagnostics.batch import SyncError, kdf

CENTRE_FP_LABEL = b"kz-diagnostics centre key v1\x00"
SCHOOL_FP_LABEL = b"kz-diagnostics school key v1\x00"
PRIVATE_AAD = b"kz-diagnostics centre private key v1"
SCRYPT = {"n": 2**kdf.LOG2_N, "r": kdf.R, "p": kdf.P}
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def b64(data):
    return base64.b64encode(data).decode("ascii")


def unb64(text, length=None):
    """Decode base64, checking the length when one is expected."""
    data = base64.b64decode(text, validate=True)
    if length is not None and len(data) != length:
        raise ValueError(f"expected {length} bytes, got {len(data)}")
    return data


def raw(public_key):
    return public_key.public_bytes_raw()


def fingerprint(label, *parts):
    """First 20 bytes of SHA-256, base32, 8 groups of 4: readable over the phone."""
    digest = hashlib.sha256(label + b"".join(parts)).digest()[:20]
    text = base64.b32encode(digest).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, 32, 4))


def normalise_fingerprint(text):
    """What a person typed, as compared: upper case, without spaces or hyphens."""
    cleaned = "".join(ch for ch in (text or "").upper() if not ch.isspace() and ch != "-")
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def same_fingerprint(typed, actual):
    return normalise_fingerprint(typed) == normalise_fingerprint(actual)


@dataclass
class CentrePublic:
    """The centre's two public keys: sealing (KEM) and signing (Ed25519)."""

    mlkem: mlkem.MLKEM768PublicKey
    x25519: x25519.X25519PublicKey
    signing: ed25519.Ed25519PublicKey

    @property
    def kem(self):
        return hpke.MLKEM768X25519PublicKey(self.mlkem, self.x25519)

    @property
    def fingerprint(self):
        return fingerprint(CENTRE_FP_LABEL, raw(self.mlkem), raw(self.x25519), raw(self.signing))

    def to_json(self):
        return {
            "kem": {
                "algorithm": "MLKEM768-X25519",
                "mlkem768": b64(raw(self.mlkem)),
                "x25519": b64(raw(self.x25519)),
            },
            "signing_key": b64(raw(self.signing)),
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_json(cls, doc):
        """Rebuild from the `kem` and `signing_key` fields; raises ValueError/KeyError/TypeError."""
        kem = doc["kem"]
        if kem.get("algorithm") != "MLKEM768-X25519":
            raise ValueError("unknown KEM")
        return cls(
            mlkem.MLKEM768PublicKey.from_public_bytes(unb64(kem["mlkem768"], 1184)),
            x25519.X25519PublicKey.from_public_bytes(unb64(kem["x25519"], 32)),
            ed25519.Ed25519PublicKey.from_public_bytes(unb64(doc["signing_key"], 32)),
        )


@dataclass
class CentrePrivate:
    """The centre's private keys, in memory only once the passphrase opened them."""

    mlkem_seed: bytes
    x25519: x25519.X25519PrivateKey
    signing: ed25519.Ed25519PrivateKey

    @classmethod
    def generate(cls):
        return cls.from_bytes(os.urandom(64) + os.urandom(32) + os.urandom(32))

    @classmethod
    def from_bytes(cls, data):
        """From the 128 private bytes of FORMAT.md: ML-KEM seed, X25519, Ed25519."""
        return cls(
            data[:64],
            x25519.X25519PrivateKey.from_private_bytes(data[64:96]),
            ed25519.Ed25519PrivateKey.from_private_bytes(data[96:128]),
        )

    def to_bytes(self):
        return self.mlkem_seed + self.x25519.private_bytes_raw() + self.signing.private_bytes_raw()

    @property
    def kem(self):
        return hpke.MLKEM768X25519PrivateKey(
            mlkem.MLKEM768PrivateKey.from_seed_bytes(self.mlkem_seed), self.x25519
        )

    def for_recipient(self, fingerprint):
        """Itself when a batch sealed to `fingerprint` opens with it, else None."""
        return self if fingerprint == self.public.fingerprint else None

    @property
    def public(self):
        return CentrePublic(
            mlkem.MLKEM768PrivateKey.from_seed_bytes(self.mlkem_seed).public_key(),
            self.x25519.public_key(),
            self.signing.public_key(),
        )


def seal_private(private, passphrase):
    """The private key file's content: the 128 private bytes under scrypt + AES-256-GCM."""
    salt, nonce = os.urandom(16), os.urandom(12)
    key = kdf.passphrase_key(passphrase, salt)
    return {
        "format": "kz-diagnostics-centre-private-key",
        "version": 1,
        "public": private.public.to_json(),
        "kdf": {"name": "scrypt", **SCRYPT, "salt": b64(salt)},
        "cipher": {"name": "AES-256-GCM", "nonce": b64(nonce)},
        "ciphertext": b64(AESGCM(key).encrypt(nonce, private.to_bytes(), PRIVATE_AAD)),
    }


def open_private(doc, passphrase):
    """The centre's private keys from the key file; a wrong passphrase is refused."""
    try:
        cipher = doc["cipher"]
        key = _stored_key(doc["kdf"], passphrase)
        nonce, sealed = unb64(cipher["nonce"], 12), unb64(doc["ciphertext"])
        data = AESGCM(key).decrypt(nonce, sealed, PRIVATE_AAD)
    except InvalidTag:
        raise SyncError(_("Wrong passphrase for the centre key.")) from None
    except (KeyError, TypeError, ValueError):
        raise SyncError(_("The centre key file is damaged.")) from None
    return CentrePrivate.from_bytes(data)


def _stored_key(settings, passphrase):
    """The key of the file's scrypt settings. An edited key file (an escrow copy handed over,
    say) asking for more than the app's limits is refused before scrypt runs."""
    log2_n = kdf.log2_of(settings["n"])
    if log2_n is None or not kdf.within_limits(log2_n, settings["r"], settings["p"]):
        raise ValueError("scrypt settings")
    return kdf.passphrase_key(
        passphrase, unb64(settings["salt"]), log2_n, settings["r"], settings["p"]
    )


def school_fingerprint(public_key):
    return fingerprint(SCHOOL_FP_LABEL, raw(public_key))

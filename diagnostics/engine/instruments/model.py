"""An instrument loaded from its file: the validated data plus quick look-ups."""

import hashlib
import json
from dataclasses import dataclass, field


@dataclass
class Instrument:
    """A validated instrument definition; `data` is the file's content as parsed."""

    data: dict
    source_file: str = ""
    content_hash: str = field(init=False)

    def __post_init__(self):
        canonical = json.dumps(self.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        self.content_hash = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        self.items = {item["id"]: item for item in self.data["items"]}
        self.scales = {scale["id"]: scale for scale in self.data["scales"]}

    @property
    def id(self):
        return self.data["id"]

    @property
    def version(self):
        return self.data["version"]

    @property
    def anonymous_only(self):
        return bool(self.data["anonymous_only"])

    def title(self, lang):
        return self.data["title"][lang]

    def options(self, item_id):
        """The answer options of an item, in display order."""
        return self.data["response_scales"][self.items[item_id]["scale"]]["options"]

    def option_values(self, item_id):
        return [option["value"] for option in self.options(item_id)]

    def scored_value(self, item_id, value):
        """The value an answer contributes to a scale, after reverse keying."""
        if self.items[item_id].get("reverse"):
            values = self.option_values(item_id)
            return min(values) + max(values) - value
        return value

    def summary(self):
        """The facts `instruments list` prints about this instrument."""
        data = self.data
        return {
            "id": self.id,
            "version": self.version,
            "title": data["title"],
            "domains": data["domains"],
            "ages": data["ages"],
            "grades": data.get("grades"),
            "items": sum(1 for item in data["items"] if not item.get("filler")),
            "items_shown": len(data["items"]),
            "languages": ["kk", "ru"],
            "licence": data["provenance"]["licence"],
            "translation_status": data["provenance"]["translation_status"],
            "anonymous_only": self.anonymous_only,
            "respondent": data["respondent"],
            "minutes": data["minutes"],
            "content_hash": self.content_hash,
        }


class IdentifiedUseRefused(ValueError):
    """An anonymous-only instrument (e.g. ICAST-C) was asked for in an identified session."""


def ensure_usable(instrument, anonymous):
    """Refuse an anonymous-only instrument in a session where children are identified."""
    if instrument.anonymous_only and not anonymous:
        raise IdentifiedUseRefused(instrument.id)

"""Read a YAML file into plain data plus a map from field paths to line numbers.

Instrument files come from other people (a ministry, a university), so the reader is bounded
before anything is built: no deeper nesting, no more values (an alias counted as everything it
repeats: 383 bytes of nested aliases expand to gigabytes) and no longer numbers than any real
instrument needs. These checks walk PyYAML's event stream, which is flat, so a hostile file
costs no more than its size.
"""

import re
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l

MAX_BYTES = 1 << 20  # the largest instrument of the collection is under 40 KB
MAX_DEPTH = 30
MAX_VALUES = 50_000  # the largest file of the collection has about 3,100
MAX_DIGITS = 12
INTEGER = re.compile(r"^[-+]?(0[xob])?[0-9a-fA-F_:]+$")
# libyaml's parser when PyYAML has it: the same events, many times faster.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class YamlSyntaxError(Exception):
    """The file is not valid YAML, or not YAML we read; carries the line where it stopped."""

    def __init__(self, message, line):
        super().__init__(message)
        self.line = line


def read_yaml_with_lines(path: Path):
    """Return (data, lines) where lines maps a path tuple to its 1-based line."""
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:
        raise YamlSyntaxError(_l("The file is larger than %(num)d bytes.", num=MAX_BYTES), None)
    text = path.read_text(encoding="utf-8")
    try:
        check_bounds(text)
        node, data = _compose_and_construct(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(str(error.problem or error), line) from error
    lines = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return data, lines


def _compose_and_construct(text):
    """Parse the text once: the node tree (for line numbers) and the data built from it."""
    loader = FAST_LOADER(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def check_bounds(text):
    """Refuse deep nesting, too many values (aliases counted as what they repeat) and
    over-long integers, before PyYAML builds anything."""
    walk = _Walk()
    for event in yaml.parse(text, Loader=FAST_LOADER):
        walk.step(event, event.start_mark.line + 1)


class _Walk:
    """The size and depth of the document as it would be once every alias is expanded."""

    def __init__(self):
        self.values, self.depth = 0, 0
        self.open = []  # per open collection: [anchor, values at its start, deepest inside]
        self.anchors = {}  # anchor: (values, depth) of what it names

    def step(self, event, line):
        if isinstance(event, yaml.AliasEvent):
            size, depth = self.anchors.get(event.anchor, (1, 0))
            self.grow(size, self.depth + depth, line)
        elif isinstance(event, OPENING):
            self.grow(1, self.depth + 1, line)
            self.depth += 1
            self.open.append([event.anchor, self.values, self.depth])
        elif isinstance(event, CLOSING):
            anchor, start, deepest = self.open.pop()
            self.depth -= 1
            if self.open:
                self.open[-1][2] = max(self.open[-1][2], deepest)
            if anchor:
                self.anchors[anchor] = (self.values - start + 1, deepest - self.depth)
        elif isinstance(event, yaml.ScalarEvent):
            if _long_integer(event):
                raise YamlSyntaxError(
                    _l("A number with more than %(num)d digits.", num=MAX_DIGITS), line
                )
            self.grow(1, self.depth, line)
            if event.anchor:
                self.anchors[event.anchor] = (1, 0)

    def grow(self, values, depth, line):
        self.values += values
        if self.values > MAX_VALUES:
            raise YamlSyntaxError(
                _l("More than %(num)d values (aliases counted in full).", num=MAX_VALUES), line
            )
        if depth > MAX_DEPTH:
            raise YamlSyntaxError(_l("Nested deeper than %(num)d levels.", num=MAX_DEPTH), line)
        if self.open:
            self.open[-1][2] = max(self.open[-1][2], depth)


def _long_integer(event):
    if not isinstance(event, yaml.ScalarEvent) or event.style:
        return False  # quoted and block scalars are text, never numbers (plain: None or "")
    return len(event.value) > MAX_DIGITS and bool(INTEGER.match(event.value))


def _collect_lines(node, path, lines):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = path + (key_node.value,)
            _collect_lines(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), lines)


def line_for(lines, path):
    """The line of the nearest existing ancestor of path, or None."""
    path = tuple(path)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)

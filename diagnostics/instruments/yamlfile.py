"""Read a YAML file into plain data plus a map from field paths to line numbers."""

from pathlib import Path

import yaml


class YamlSyntaxError(Exception):
    """The file is not valid YAML; carries the line the parser stopped at."""

    def __init__(self, message, line):
        super().__init__(message)
        self.line = line


def read_yaml_with_lines(path: Path):
    """Return (data, lines) where lines maps a path tuple to its 1-based line."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(str(error.problem or error), line) from error
    lines = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return data, lines


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

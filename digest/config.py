"""`sources.yaml`: read it, validate it as a schema, report every error at once.

Each error names its key path and line (`sources[1].path: no such folder
'note/' (sources.yaml:7)`), unknown keys are warned about and ignored, and
paths resolve against the folder of the config file, as in mkdocs.
"""
from __future__ import annotations

import glob
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import yamlsafe
from .errors import DigestError

URL_RE = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
FULLTEXT_MODES = ("auto", "always", "never")
PARENT_RE = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


class ConfigError(DigestError):
    """The config can't be used: every problem, one line each."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One entry of `sources:`: a local folder/glob or a feed (URL or file)."""

    name: str
    kind: str  # "path" | "feed"
    location: str  # absolute path, glob or URL
    fulltext: str = "auto"

    @property
    def is_url(self) -> bool:
        return bool(URL_RE.match(self.location))


@dataclass(frozen=True, slots=True)
class TrendConfig:
    """A trend the editor asks for by name, matched through its keywords."""

    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Config:
    """The validated `sources.yaml`, paths resolved."""

    path: Path
    newsletter: dict[str, Any]
    sources: tuple[SourceConfig, ...]
    trends: tuple[TrendConfig, ...] = ()
    output: Path = Path("output")
    state: Path = Path(".digest-state.sqlite")
    templates: Path = Path("templates")
    max_trends: int = 8
    bullets: int = 4
    summarizer: dict[str, float] = field(default_factory=dict)
    fetch: dict[str, int] = field(default_factory=dict)  # concurrency, timeout (seconds per feed)
    warnings: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def title(self) -> str:
        return self.newsletter["title"]


NEWSLETTER_KEYS = {"title", "description", "url", "from", "to", "unsubscribe_url"}
FETCH_KEYS = {"concurrency": (1, 256), "timeout": (1, 600), "per_host": (1, 256)}
TOP_KEYS = {"fetch", "newsletter", "sources", "trends", "output", "state", "templates",
            "max_trends", "bullets", "summarizer"}
SOURCE_KEYS = {"name", "path", "feed", "fulltext"}
TREND_KEYS = {"name", "keywords"}


class _Doc:
    """The parsed YAML with the line of every key path, and the problems found."""

    def __init__(self, filename: str):
        self.filename = filename
        self.lines: dict[str, int] = {}
        self._errors: list[tuple[int, str]] = []
        self._warnings: list[tuple[int, str]] = []

    def where(self, key: str) -> str:
        line = self.line(key)
        return f"{self.filename}:{line}" if line else self.filename

    def line(self, key: str) -> int:
        line = self.lines.get(key)
        while line is None and key:
            parent = PARENT_RE.sub("", key)  # missing keys point at their parent
            key = parent if parent != key else ""
            line = self.lines.get(key)
        return line or 0

    def error(self, key: str, message: str) -> None:
        self._errors.append((self.line(key), f"{key}: {message} ({self.where(key)})"))

    def warn(self, key: str, message: str) -> None:
        self._warnings.append((self.line(key), f"{key}: {message} ({self.where(key)})"))

    # In file order, as an editor reads them.
    @property
    def errors(self) -> list[str]:
        return [text for _, text in sorted(self._errors, key=lambda pair: pair[0])]

    @property
    def warnings(self) -> list[str]:
        return [text for _, text in sorted(self._warnings, key=lambda pair: pair[0])]

    def to_python(self, node: yaml.Node, key: str) -> Any:
        """Like yaml.safe_load, recording the line of every key path."""
        self.lines[key] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                name = str(key_node.value)
                child = f"{key}.{name}" if key else name
                if name in result:
                    self.lines[child] = key_node.start_mark.line + 1
                    self.warn(child, "duplicate key, the last one wins")
                result[name] = self.to_python(value_node, child)
                self.lines[child] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.to_python(item, f"{key}[{i}]") for i, item in enumerate(node.value)]
        return _scalar(node)


def _scalar(node: yaml.ScalarNode) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def load_config(path: Path | str) -> Config:
    """Read and validate a config file; raise ConfigError listing every problem."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([f"{path}: no such config file (try `digest init DIR`)"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read the config: {exc}"]) from None
    doc = _Doc(name)
    try:
        node = yamlsafe.compose(text)  # aliases refused: a billion laughs is an error line, not a hang
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{where}: bad YAML: {problem}"]) from None
    raw = doc.to_python(node, "") if node is not None else None
    if not isinstance(raw, dict):
        raise ConfigError([f"{name}: expected a mapping with `newsletter:` and `sources:`"])
    return _validate(raw, doc, path.resolve())


def _validate(raw: dict[str, Any], doc: _Doc, path: Path) -> Config:
    root = path.parent
    _unknown(doc, raw, TOP_KEYS, "")
    newsletter = _newsletter(raw.get("newsletter"), doc)
    sources = _sources(raw.get("sources"), doc, root)
    trends = _trends(raw.get("trends"), doc)
    options = {
        "output": _path_option(raw, doc, root, "output", "output"),
        "state": _path_option(raw, doc, root, "state", ".digest-state.sqlite"),
        "templates": _path_option(raw, doc, root, "templates", "templates"),
        "max_trends": _int_option(raw, doc, "max_trends", 8, 1, 30),
        "bullets": _int_option(raw, doc, "bullets", 4, 1, 10),
        "summarizer": _summarizer(raw.get("summarizer"), doc),
        "fetch": _fetch(raw.get("fetch"), doc),
    }
    if doc.errors:
        raise ConfigError(doc.errors)
    return Config(path=path, newsletter=newsletter, sources=sources, trends=trends,
                  warnings=tuple(doc.warnings), **options)


def _unknown(doc: _Doc, mapping: dict[str, Any], known: set[str], prefix: str) -> None:
    for key in mapping:
        if key not in known:
            full = f"{prefix}.{key}" if prefix else key
            hint = _close_match(key, known)
            doc.warn(full, "unknown key, ignored" + (f" (did you mean '{hint}'?)" if hint else ""))


def _close_match(key: str, known: set[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    return matches[0] if matches else None


def _newsletter(value: Any, doc: _Doc) -> dict[str, Any]:
    if value is None:
        doc.error("newsletter", "missing: give at least `newsletter: {title: ...}`")
        return {}
    if not isinstance(value, dict):
        doc.error("newsletter", f"expected a mapping, got {_kind(value)}")
        return {}
    _unknown(doc, value, NEWSLETTER_KEYS, "newsletter")
    result: dict[str, Any] = {}
    for key in sorted(NEWSLETTER_KEYS & value.keys()):
        if not isinstance(value[key], str) or not value[key].strip():
            doc.error(f"newsletter.{key}", f"expected text, got {_kind(value[key])}")
        else:
            result[key] = value[key].strip()
    if "title" not in value:
        doc.error("newsletter.title", "missing: the newsletter needs a title")
    return result


def _sources(value: Any, doc: _Doc, root: Path) -> tuple[SourceConfig, ...]:
    if value is None:
        doc.error("sources", "missing: list at least one feed or path")
        return ()
    if not isinstance(value, list):
        doc.error("sources", f"expected a list of sources, got {_kind(value)}")
        return ()
    if not value:
        doc.error("sources", "empty: list at least one feed or path")
        return ()
    result = []
    names: set[str] = set()
    for i, item in enumerate(value):
        key = f"sources[{i}]"
        if not isinstance(item, dict):
            doc.error(key, f"expected a mapping like {{name: ..., feed: ...}}, got {_kind(item)}")
            continue
        _unknown(doc, item, SOURCE_KEYS, key)
        source = _source(item, doc, key, root)
        if source is None:
            continue
        if source.name in names:
            doc.error(f"{key}.name", f"duplicate source name '{source.name}'")
        names.add(source.name)
        result.append(source)
    return tuple(result)


def _source(item: dict[str, Any], doc: _Doc, key: str, root: Path) -> SourceConfig | None:
    kinds = [kind for kind in ("path", "feed") if kind in item]
    if len(kinds) != 1:
        doc.error(key, "give exactly one of `path:` (local files) or `feed:` (URL or file)")
        return None
    kind = kinds[0]
    raw = item[kind]
    if not isinstance(raw, str) or not raw.strip():
        doc.error(f"{key}.{kind}", f"expected text, got {_kind(raw)}")
        return None
    raw = raw.strip()
    location = _feed_location(raw, doc, f"{key}.feed", root) if kind == "feed" \
        else _path_location(raw, doc, f"{key}.path", root)
    name = item.get("name")
    if name is None:
        name = Path(raw.rstrip("/")).name or raw
    elif not isinstance(name, str) or not name.strip():
        doc.error(f"{key}.name", f"expected text, got {_kind(name)}")
        return None
    fulltext = item.get("fulltext", "auto")
    if fulltext not in FULLTEXT_MODES:
        doc.error(f"{key}.fulltext", f"expected one of {', '.join(FULLTEXT_MODES)}, got {fulltext!r}")
    if location is None:
        return None
    return SourceConfig(name=str(name).strip(), kind=kind, location=location, fulltext=str(fulltext))


def _feed_location(raw: str, doc: _Doc, key: str, root: Path) -> str | None:
    if URL_RE.match(raw):
        return raw
    if "://" in raw:
        doc.error(key, f"expected an http(s) URL or a file, got {raw!r}")
        return None
    path = (root / raw).resolve()
    if not path.is_file():
        doc.error(key, f"expected an http(s) URL or a file, got {raw!r} (no such file)")
        return None
    return str(path)


def _path_location(raw: str, doc: _Doc, key: str, root: Path) -> str | None:
    full = root / raw
    if glob.has_magic(raw):
        base = Path(raw.split("*")[0].split("?")[0].split("[")[0])
        folder = root / (base if raw.endswith("/") or not base.name else base.parent)
        if not folder.is_dir():
            doc.error(key, f"no such folder '{folder.relative_to(root) if folder.is_relative_to(root) else folder}/' for {raw!r}")
            return None
        if not any(Path(p).is_file() for p in glob.iglob(str(full), recursive=True)):
            doc.warn(key, f"no files match {raw!r} yet")
        return str(full)
    if full.is_dir() and not any(p.is_file() for p in full.rglob("*")):
        doc.warn(key, f"the folder {raw!r} has no files yet")
    if full.is_dir() or full.is_file():
        return str(full.resolve())
    doc.error(key, f"no such folder {raw!r}")
    return None


def _trends(value: Any, doc: _Doc) -> tuple[TrendConfig, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        doc.error("trends", f"expected a list of trends, got {_kind(value)}")
        return ()
    result = []
    for i, item in enumerate(value):
        key = f"trends[{i}]"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            doc.error(key, f"expected a mapping like {{name: ..., keywords: [...]}}, got {_kind(item)}")
            continue
        _unknown(doc, item, TREND_KEYS, key)
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            doc.error(f"{key}.name", "missing: a trend needs a name")
            continue
        keywords = item.get("keywords", [name])
        if isinstance(keywords, str):
            keywords = [keywords]
        if isinstance(keywords, list) and not keywords:
            doc.error(f"{key}.keywords", "is empty: give at least one word or phrase")
            continue
        if not isinstance(keywords, list) or not all(isinstance(k, (str, int, float)) for k in keywords):
            doc.error(f"{key}.keywords", f"expected a list of words or phrases, got {_kind(keywords)}")
            continue
        result.append(TrendConfig(name=name.strip(), keywords=tuple(str(k).strip() for k in keywords if str(k).strip())))
    return tuple(result)


def _path_option(raw: dict[str, Any], doc: _Doc, root: Path, key: str, default: str) -> Path:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value.strip():
        doc.error(key, f"expected a path, got {_kind(value)}")
        return root / default
    return (root / value).resolve()


def _int_option(raw: dict[str, Any], doc: _Doc, key: str, default: int, low: int, high: int,
                prefix: str = "") -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        doc.error(prefix + key, f"expected a whole number from {low} to {high}, got {_yaml(value)}")
        return default
    return value


def _options(value: Any, doc: _Doc, key: str, known: set[str], example: str) -> dict[str, Any]:
    """An optional mapping of settings: {} when absent, an error when not a mapping, unknown keys warned."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        doc.error(key, f"expected a mapping like {example}, got {_kind(value)}")
        return {}
    _unknown(doc, value, known, key)
    return {name: setting for name, setting in value.items() if name in known}


def _fetch(value: Any, doc: _Doc) -> dict[str, int]:
    given = _options(value, doc, "fetch", set(FETCH_KEYS), "{concurrency: 32, timeout: 45}")
    return {key: _int_option(given, doc, key, 0, *FETCH_KEYS[key], prefix="fetch.") for key in given}


def _summarizer(value: Any, doc: _Doc) -> dict[str, float]:
    from .summarize.weights import DEFAULTS

    result = {}
    for key, number in _options(value, doc, "summarizer", set(DEFAULTS), "{centrality: 2.0}").items():
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            doc.error(f"summarizer.{key}", f"expected a number, got {_yaml(number)}")
        else:
            result[key] = float(number)
    return result


def _yaml(value: Any) -> str:
    """A value as the editor wrote it in YAML: true, not Python's True."""
    return ("true" if value else "false") if isinstance(value, bool) else _kind(value)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value)
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), repr(value))

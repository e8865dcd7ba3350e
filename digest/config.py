"""`sources.yaml`: read it, validate it as a schema, report every error at once.

Each error names its key path and line (`sources[1].path: no such folder
'note/' (sources.yaml:7)`), unknown keys are warned about and ignored, and
paths resolve against the folder of the config file, as in mkdocs.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import getaddresses
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
import yaml

from . import yamlsafe
from .chars import uncarriable
from .errors import DigestError
from .models import URL_RE, Source

FULLTEXT_MODES = ("auto", "always", "never")
PARENT_RE = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")
ADDRESS_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+$")
SourceConfig = Source  # what `sources:` entries become: the collector's own type
# (name, closest known name or None) for each `summarizer:` name the summarizer has no weight for.
UnknownWeights = Callable[[Iterable[str]], list[tuple[str, str | None]]]


class ConfigError(DigestError):
    """The config can't be used: every problem, one line each, with the warnings found on the way."""

    exit_code = 2

    def __init__(
        self, lines: str | list[str], warnings: list[str] | None = None, order: list[tuple[int, str]] | None = None
    ):
        super().__init__(lines)
        self.warnings = list(warnings or [])
        self.order = order  # (line, "error: ..."/"warning: ...") in file order, when known

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        # A warning often says why the error happened ("did you mean 'keywords'?"): show both, in file order.
        if self.order is None:
            return super().show(file)
        for _, text in self.order:
            click.echo(text, file=file, err=True)


@dataclass(frozen=True, slots=True)
class TrendConfig:
    """A trend the editor asks for by name, matched through its keywords."""

    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """`smtp:`, how `digest send` reaches the mail server; the password only ever comes from the environment."""

    host: str
    port: int
    security: str = "starttls"  # starttls | ssl | none
    username: str | None = None
    password_env: str | None = None
    ca_file: str | None = None  # a private CA (or self-signed certificate) to trust besides the system's
    timeout: float = 30.0  # seconds per SMTP command
    retries: int = 3  # extra attempts after a transient failure (4xx, a dropped connection)
    backoff: float = 2.0  # seconds before the first retry, doubling each time


@dataclass(frozen=True, slots=True)
class NewsletterConfig:
    """`newsletter:`: who sends the issue, what it is called, where it is published."""

    title: str = ""
    description: str | None = None
    url: str | None = None  # an absolute http(s) URL: the "view in browser" link and the archive
    sender: str | None = None  # `from:`, an address
    to: str | None = None  # one address or several, comma-separated (a YAML list is joined so)
    unsubscribe_url: str | None = None
    reply_to: str | None = None
    list_id: str | None = None  # List-Id; default: the title's slug at from's domain
    unsubscribe_mailto: str | None = None  # an address for List-Unsubscribe's mailto

    def as_dict(self) -> dict[str, str]:
        """The settings as templates and digest.json carry them, under their YAML names."""
        names = {"sender": "from"}
        return dict(
            sorted(
                (names.get(key, key), value) for key in NEWSLETTER_FIELDS if (value := getattr(self, key)) is not None
            )
        )


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """`fetch:`: how many feeds at once, how long each may take in all, connections per host (0: no cap)."""

    concurrency: int = 32
    timeout: int = 45
    per_host: int = 0
    fresh: float = 0.0  # seconds a stored feed is used unasked: set by `digest preview` alone, never by the YAML


@dataclass(frozen=True, slots=True)
class SummarizerConfig:
    """`max_trends:`, `bullets:` and the `summarizer:` weights that override the summarizer's own."""

    max_trends: int = 8
    bullets: int = 4
    weights: Mapping[str, float] = field(default_factory=dict)
    where: Mapping[str, str] = field(default_factory=dict)  # weight name -> "sources.yaml:12"


@dataclass(frozen=True, slots=True)
class Config:
    """The validated `sources.yaml`, paths resolved; every default is the sections' own."""

    path: Path
    newsletter: NewsletterConfig
    sources: tuple[Source, ...]
    trends: tuple[TrendConfig, ...] = ()
    output: Path = Path("output")
    state: Path = Path(".digest-state.sqlite")
    templates: Path = Path("templates")
    summarizer: SummarizerConfig = SummarizerConfig()
    fetch: FetchConfig = FetchConfig()
    smtp: SmtpConfig | None = None  # None: `digest send` has nowhere to send
    warnings: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def title(self) -> str:
        return self.newsletter.title


NEWSLETTER_FIELDS = (
    "title",
    "description",
    "url",
    "sender",
    "to",
    "unsubscribe_url",
    "reply_to",
    "list_id",
    "unsubscribe_mailto",
)
PATH_DEFAULTS = {"output": "output", "state": ".digest-state.sqlite", "templates": "templates"}
NEWSLETTER_KEYS = {
    "title",
    "description",
    "url",
    "from",
    "to",
    "unsubscribe_url",
    "reply_to",
    "list_id",
    "unsubscribe_mailto",
}
FETCH_KEYS = {"concurrency": (1, 256), "timeout": (1, 600), "per_host": (1, 256)}
SUMMARIZER = SummarizerConfig()
TOP_KEYS = {
    "fetch",
    "newsletter",
    "sources",
    "trends",
    "output",
    "state",
    "templates",
    "max_trends",
    "bullets",
    "summarizer",
    "smtp",
}
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

    def failure(self) -> ConfigError:
        both = [(line, f"error: {text}") for line, text in self._errors]
        both += [(line, f"warning: {text}") for line, text in self._warnings]
        return ConfigError(self.errors, self.warnings, sorted(both, key=lambda pair: pair[0]))

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
        assert isinstance(node, yaml.ScalarNode)  # compose() gives mappings, sequences and scalars alone
        value = _scalar(node)
        if isinstance(value, str) and (bad := uncarriable(value)):
            # A "\x01" escape in a title would reach the email, and MJML would refuse the whole issue.
            self.error(key, f"contains a control character ({bad}) that an email cannot carry")
        return value


def _scalar(node: yaml.ScalarNode) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def load_config(path: Path | str, unknown_weights: UnknownWeights | None = None) -> Config:
    """Read and validate a config file; raise ConfigError listing every problem.

    `unknown_weights` says which `summarizer:` names the summarizer lacks (the CLI
    passes the summarizer's own check): warned about with the rest, errors or not.
    """
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
    return _validate(raw, doc, path.resolve(), unknown_weights)


def _validate(raw: dict[str, Any], doc: _Doc, path: Path, unknown_weights: UnknownWeights | None = None) -> Config:
    root = path.parent
    _unknown(doc, raw, TOP_KEYS, "")
    newsletter = _newsletter(raw.get("newsletter"), doc)
    sources = _sources(raw.get("sources"), doc, root)
    trends = _trends(raw.get("trends"), doc)
    paths = {key: _path_option(raw, doc, root, key, default) for key, default in PATH_DEFAULTS.items()}
    _check_folders(raw, doc, root, paths)
    weights, where = _weights(raw.get("summarizer"), doc, unknown_weights)
    summarizer = SummarizerConfig(
        max_trends=_int_option(raw, doc, "max_trends", SUMMARIZER.max_trends, 1, 30),
        bullets=_int_option(raw, doc, "bullets", SUMMARIZER.bullets, 1, 10),
        weights=weights,
        where=where,
    )
    fetch = _fetch(raw.get("fetch"), doc)
    smtp = _smtp(raw.get("smtp"), doc, root)
    if doc.errors:
        raise doc.failure()
    return Config(
        path=path,
        newsletter=newsletter,
        sources=sources,
        trends=trends,
        summarizer=summarizer,
        fetch=fetch,
        smtp=smtp,
        warnings=tuple(doc.warnings),
        **paths,
    )


def _check_folders(raw: dict[str, Any], doc: _Doc, root: Path, paths: dict[str, Path]) -> None:
    """Folders the editor named must be there: a typo must not quietly start afresh."""
    if "templates" in raw and not paths["templates"].is_dir():
        doc.error("templates", f"no such folder {raw['templates']!r}: your templates would go unused")
    # A state file under a missing folder is an error, not a folder made on the quiet: for a cron job a
    # mistyped path would be an empty state, and every article of every source would count as new again.
    if "state" in raw and isinstance(raw["state"], str) and not paths["state"].parent.is_dir():
        folder = Path(raw["state"]).parent
        doc.error("state", f"no such folder '{folder.as_posix()}/' for the state file (create it first)")


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


def _newsletter(value: Any, doc: _Doc) -> NewsletterConfig:
    if value is None:
        doc.error("newsletter", "missing: give at least `newsletter: {title: ...}`")
        return NewsletterConfig()
    if not isinstance(value, dict):
        doc.error("newsletter", f"expected a mapping, got {_kind(value)}")
        return NewsletterConfig()
    _unknown(doc, value, NEWSLETTER_KEYS, "newsletter")
    result: dict[str, str] = {}
    for key in sorted(NEWSLETTER_KEYS & value.keys()):
        if (
            key == "to"
            and isinstance(value[key], list)
            and value[key]
            and all(isinstance(item, str) and item.strip() for item in value[key])
        ):
            value = {**value, key: ", ".join(item.strip() for item in value[key])}  # a list of recipients
        if not isinstance(value[key], str) or not value[key].strip():
            doc.error(f"newsletter.{key}", f"expected text, got {_kind(value[key])}")
            continue
        text = value[key].strip()
        problem = NEWSLETTER_CHECKS[key](text) if key in NEWSLETTER_CHECKS else None
        if problem:
            doc.error(f"newsletter.{key}", f"{problem}, got {text!r}")
        else:
            result["sender" if key == "from" else key] = text
    if "title" not in value:
        doc.error("newsletter.title", "missing: the newsletter needs a title")
    return NewsletterConfig(**result)


def _not_an_address(text: str, many: bool = False) -> str | None:
    pairs = getaddresses([text])
    if not pairs or (len(pairs) > 1 and not many) or not all(ADDRESS_RE.match(addr) for _, addr in pairs):
        return "expected an address like 'Name <news@example.org>'" + (", or several" if many else "")
    return None


def _not_a_web_address(text: str, merge_tag: bool = False) -> str | None:
    # A mailing tool's merge tag (`%unsubscribe_url%`, `{{unsubscribe}}`) is filled in when it sends.
    if (
        merge_tag
        and not URL_RE.match(text)
        and (any(mark in text for mark in ("%", "{", "*|", "[")) or text.startswith("mailto:"))
    ):
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in text:
        return "expected an absolute http(s) URL like 'https://example.org/issues'"
    return None


NEWSLETTER_CHECKS = {
    "from": _not_an_address,
    "to": lambda text: _not_an_address(text, many=True),
    "url": _not_a_web_address,
    "unsubscribe_url": lambda text: _not_a_web_address(text, merge_tag=True),
    "reply_to": _not_an_address,
    "unsubscribe_mailto": _not_an_address,
}


def _sources(value: Any, doc: _Doc, root: Path) -> tuple[Source, ...]:
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


def _source(item: dict[str, Any], doc: _Doc, key: str, root: Path) -> Source | None:
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
    location = (
        _feed_location(raw, doc, f"{key}.feed", root)
        if kind == "feed"
        else _path_location(raw, doc, f"{key}.path", root)
    )
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
    return Source(name=str(name).strip(), kind=kind, location=location, fulltext=str(fulltext))


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
            shown = folder.relative_to(root) if folder.is_relative_to(root) else folder
            doc.error(key, f"no such folder '{shown}/' for {raw!r}")
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
        words = tuple(str(k).strip() for k in keywords if str(k).strip())
        result.append(TrendConfig(name=name.strip(), keywords=words))
    return tuple(result)


def _path_option(raw: dict[str, Any], doc: _Doc, root: Path, key: str, default: str) -> Path:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value.strip():
        doc.error(key, f"expected a path, got {_kind(value)}")
        return root / default
    return (root / value).resolve()


def _int_option(raw: dict[str, Any], doc: _Doc, key: str, default: int, low: int, high: int, prefix: str = "") -> int:
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


def _fetch(value: Any, doc: _Doc) -> FetchConfig:
    given = _options(value, doc, "fetch", set(FETCH_KEYS), "{concurrency: 32, timeout: 45}")
    defaults = FetchConfig()
    return FetchConfig(
        **{
            key: _int_option(given, doc, key, getattr(defaults, key), *FETCH_KEYS[key], prefix="fetch.")
            for key in given
        }
    )


def _weights(
    value: Any, doc: _Doc, unknown_weights: UnknownWeights | None = None
) -> tuple[dict[str, float], dict[str, str]]:
    """Numbers by name, and where each was written. Which names exist is the summarizer's to say
    (`unknown_weights`, given by the caller), so the config need not import it."""
    if value is None:
        return {}, {}
    if not isinstance(value, dict):
        doc.error("summarizer", f"expected a mapping like {{centrality: 2.0}}, got {_kind(value)}")
        return {}, {}
    result, where = {}, {}
    for key, number in value.items():
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            doc.error(f"summarizer.{key}", f"expected a number, got {_yaml(number)}")
        else:
            result[key] = float(number)
            where[key] = doc.where(f"summarizer.{key}")
    for name, hint in unknown_weights(list(value)) if unknown_weights and value else ():
        doc.warn(f"summarizer.{name}", "unknown key, ignored" + (f" (did you mean '{hint}'?)" if hint else ""))
    return result, where


def _yaml(value: Any) -> str:
    """A value as the editor wrote it in YAML: true, not Python's True."""
    return ("true" if value else "false") if isinstance(value, bool) else _kind(value)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value)
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), repr(value))


SMTP_KEYS = {"host", "port", "security", "username", "password_env", "ca_file", "timeout", "retries", "backoff"}
SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _smtp(value: Any, doc: _Doc, root: Path) -> SmtpConfig | None:
    """`smtp: {host, port, security, username, password_env}`; a password written in the file is refused."""
    if isinstance(value, dict) and "password" in value:
        doc.error(
            "smtp.password",
            "never write the password in sources.yaml: name an environment variable "
            "with `password_env: DIGEST_SMTP_PASSWORD`",
        )
        value = {k: v for k, v in value.items() if k != "password"}
    given = _options(value, doc, "smtp", SMTP_KEYS, "{host: smtp.example.org, port: 587, security: starttls}")
    if not isinstance(value, dict):
        return None
    host = given.get("host")
    if not isinstance(host, str) or not host.strip():
        doc.error("smtp.host", f"expected the mail server's name, got {_kind(host)}")
        host = ""
    security = given.get("security", "starttls")
    if security not in SMTP_PORTS:
        doc.error("smtp.security", f"expected one of {', '.join(SMTP_PORTS)}, got {_yaml(security)}")
        security = "starttls"
    texts: dict[str, str] = {}
    for key in ("username", "password_env", "ca_file"):
        if key in given and (not isinstance(given[key], str) or not given[key].strip()):
            doc.error(f"smtp.{key}", f"expected text, got {_kind(given[key])}")
        elif key in given:
            texts[key] = given[key].strip()
    if "password_env" in texts and not ENV_NAME_RE.match(texts["password_env"]):
        doc.error("smtp.password_env", f"expected the name of an environment variable, got {texts['password_env']!r}")
    if "username" in texts and "password_env" not in texts:
        doc.error(
            "smtp.password_env", "missing: name the environment variable that holds the password of smtp.username"
        )
    if "ca_file" in texts:
        ca_file = (root / texts["ca_file"]).resolve()
        if not ca_file.is_file():
            doc.error("smtp.ca_file", f"no such file {texts['ca_file']!r}")
        texts["ca_file"] = str(ca_file)
    port = _int_option(given, doc, "port", SMTP_PORTS[security], 1, 65535, prefix="smtp.")
    retries = _int_option(given, doc, "retries", 3, 0, 10, prefix="smtp.")
    seconds: dict[str, float] = {}
    for key, default, high in (("timeout", 30.0, 600.0), ("backoff", 2.0, 300.0)):
        number = given.get(key, default)
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not 0 <= number <= high:
            doc.error(f"smtp.{key}", f"expected seconds from 0 to {high:g}, got {_yaml(number)}")
            number = default
        seconds[key] = float(number)
    if seconds["timeout"] == 0:
        doc.error("smtp.timeout", "expected seconds above 0, got 0")
    return SmtpConfig(
        host=host.strip(),
        port=port,
        security=security,
        username=texts.get("username"),
        password_env=texts.get("password_env"),
        ca_file=texts.get("ca_file"),
        timeout=seconds["timeout"],
        retries=retries,
        backoff=seconds["backoff"],
    )

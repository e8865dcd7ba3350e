"""`digest send` against a real SMTP server on 127.0.0.1: once per recipient, retried, refused, over TLS."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import make_digest
from locks import holding
from smtp_server import PASSWORD, USER, Mailbox, self_signed, smtp_server

from digest.cli import main
from digest.render import render_issue
from digest.state import State

ALICE, BOB, CAROL = "alice@example.net", "bob@example.net", "carol@example.org"
NEWSLETTER = (
    "  title: LLM Trends Weekly\n  from: LLM Trends Weekly <editor@news.example.org>\n"
    "  reply_to: letters@news.example.org\n  url: https://news.example.org/issues\n"
    "  unsubscribe_url: https://news.example.org/unsubscribe\n"
)


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


@pytest.fixture
def issue(tmp_path: Path):
    """A newsletter folder with the built issue of 2024-W17; returns a writer of its sources.yaml."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    digest = make_digest(
        newsletter={
            "title": "LLM Trends Weekly",
            "from": "LLM Trends Weekly <editor@news.example.org>",
            "reply_to": "letters@news.example.org",
            "url": "https://news.example.org/issues",
            "unsubscribe_url": "https://news.example.org/unsubscribe",
            "to": [ALICE, BOB, CAROL],
        }
    )
    folder = tmp_path / "output" / "2024-W17"
    folder.mkdir(parents=True)
    (folder / "digest.eml").write_bytes(render_issue(digest).eml)

    def config(smtp: str, to: str = f"[{ALICE}, {BOB}, {CAROL}]") -> str:
        path = tmp_path / "sources.yaml"
        path.write_text(
            f"newsletter:\n{NEWSLETTER}  to: {to}\nsources:\n  - {{name: Notes, path: notes/}}\nsmtp: {smtp}\n",
            encoding="utf-8",
        )
        return str(path)

    return config


def plain(port: int, **extra: object) -> str:
    settings = {"host": "127.0.0.1", "port": port, "security": "none", "timeout": 5, "backoff": 0.01, **extra}
    return "{" + ", ".join(f"{key}: {value}" for key, value in settings.items()) + "}"


def test_every_recipient_gets_one_message_with_the_headers_an_inbox_trusts(issue):
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        before = datetime.now(timezone.utc).replace(microsecond=0)
        result = run("send", "--config", issue(plain(port)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"sent to {ALICE}\nsent to {BOB}\nsent to {CAROL}\n"
    assert result.stderr == "2024-W17: sent to 3 of 3 recipients\n"
    assert sorted(mailbox.recipients()) == sorted([ALICE, BOB, CAROL])
    ids = set()
    for (sender, rcpts, _), message in zip(mailbox.received, mailbox.messages(), strict=True):
        assert sender == "editor@news.example.org"
        assert message["To"] == rcpts[0]  # each reader sees only their own address
        assert message["From"] == "LLM Trends Weekly <editor@news.example.org>"
        assert message["Reply-To"] == "letters@news.example.org"
        assert message["Subject"].startswith("LLM Trends Weekly — 2024-W17")
        sent = parsedate_to_datetime(message["Date"])
        assert before <= sent <= datetime.now(timezone.utc) + timedelta(seconds=1)  # the time of sending
        assert re.fullmatch(r"<digest-2024-W17\.[0-9a-f]{16}@news\.example\.org>", message["Message-ID"])
        ids.add(message["Message-ID"])
        assert message["List-Id"] == "LLM Trends Weekly <llm-trends-weekly.news.example.org>"
        assert message["List-Unsubscribe"] == "<https://news.example.org/unsubscribe>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert len(ids) == 3  # one Message-ID per message sent


def test_a_second_send_sends_nothing_and_says_so(issue):
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        config = issue(plain(port))
        assert run("send", "--config", config).exit_code == 0
        second = run("send", "--config", config)
        assert second.exit_code == 0
        assert len(mailbox.received) == 3
        assert second.stdout == ""
        assert second.stderr == (
            f"2024-W17: already sent to {ALICE}, {BOB}, {CAROL} (--force sends again)\n2024-W17: nothing to send\n"
        )
        forced = run("send", "--config", config, "--force")
        assert forced.exit_code == 0
        assert len(mailbox.received) == 6


def test_a_refused_recipient_is_reported_and_the_others_still_get_it(issue, tmp_path):
    mailbox = Mailbox(refuse={BOB: "550 5.1.1 <bob@example.net>: no such user"})
    with smtp_server(mailbox) as port:
        config = issue(plain(port))
        result = run("send", "--config", config)
        assert result.exit_code == 1
        assert f"error: {BOB}: 550 5.1.1 <bob@example.net>: no such user\n" in result.stderr
        assert "2024-W17: sent to 2 of 3 recipients\n" in result.stderr
        assert sorted(mailbox.recipients()) == [ALICE, CAROL]
        with State(tmp_path / ".digest-state.sqlite") as state:
            assert state.sent_to("2024-W17") == {ALICE, CAROL}  # nothing recorded unless accepted
        again = run("send", "--config", config)  # only Bob is left to try
        assert again.exit_code == 1
        assert sorted(mailbox.recipients()) == [ALICE, CAROL]


def test_a_connection_dropped_mid_data_is_retried(issue):
    mailbox = Mailbox(drop_data=2)
    with smtp_server(mailbox) as port:
        result = run("send", "--config", issue(plain(port)))
    assert result.exit_code == 0, result.stderr
    assert mailbox.dropped == 2
    assert sorted(mailbox.recipients()) == sorted([ALICE, BOB, CAROL])  # each exactly once


def test_a_deferred_recipient_is_retried_and_one_that_stays_deferred_is_reported(issue):
    mailbox = Mailbox(defer_rcpt=1)
    with smtp_server(mailbox) as port:
        assert run("send", "--config", issue(plain(port), to=ALICE)).exit_code == 0
    assert mailbox.recipients() == [ALICE]
    mailbox = Mailbox(defer_rcpt=99)
    with smtp_server(mailbox) as port:
        result = run("send", "--config", issue(plain(port, retries=2), to=BOB))
    assert result.exit_code == 1
    assert f"error: {BOB}: 451 4.3.0 try again later (gave up after 3 tries)\n" in result.stderr
    assert mailbox.received == []


def test_a_server_that_is_down_is_one_line_exit_1(issue):
    from smtp_server import free_port

    result = run("send", "--config", issue(plain(free_port(), retries=1), to=ALICE))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"error: {ALICE}: Connection refused (gave up after 2 tries)"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    return self_signed(tmp_path_factory.mktemp("tls"))


def test_login_over_starttls_with_a_certificate_the_test_made(issue, tls_files):
    mailbox = Mailbox()
    with smtp_server(mailbox, tls_files=tls_files) as port:
        config = issue(
            plain(
                port, security="starttls", username=USER, password_env="TEST_SMTP_PASSWORD", ca_file=str(tls_files[0])
            ),
            to=ALICE,
        )
        wrong = run("send", "--config", config, env={"TEST_SMTP_PASSWORD": "wrong"})
        assert wrong.exit_code == 1
        assert wrong.stderr == (
            f"error: 127.0.0.1:{port}: login as {USER} failed: 535 5.7.8 Authentication credentials invalid\n"
        )
        missing = run("send", "--config", config, env={"TEST_SMTP_PASSWORD": ""})
        assert missing.exit_code == 2
        assert missing.stderr == (
            f"error: smtp.password_env: $TEST_SMTP_PASSWORD is not set: it holds the password of {USER}\n"
        )
        assert mailbox.received == []
        right = run("send", "--config", config, env={"TEST_SMTP_PASSWORD": PASSWORD})
        assert right.exit_code == 0, right.stderr
    assert mailbox.recipients() == [ALICE]


def test_implicit_tls_as_on_port_465(issue, tls_files):
    mailbox = Mailbox()
    with smtp_server(mailbox, tls_files=tls_files, implicit_tls=True) as port:
        result = run("send", "--config", issue(plain(port, security="ssl", ca_file=str(tls_files[0])), to=ALICE))
    assert result.exit_code == 0, result.stderr
    assert mailbox.recipients() == [ALICE]


def test_an_untrusted_certificate_ends_the_send(issue, tls_files):
    with smtp_server(Mailbox(), tls_files=tls_files) as port:
        config = issue(plain(port, security="starttls", username=USER, password_env="TEST_SMTP_PASSWORD"), to=ALICE)
        result = run("send", "--config", config, env={"TEST_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: 127.0.0.1:{port}: the server's certificate is not trusted (")


def test_dry_run_prints_envelope_and_headers_and_sends_nothing(issue, tmp_path):
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        result = run("send", "--config", issue(plain(port)), "--dry-run")
    assert result.exit_code == 0
    assert mailbox.received == []
    out = result.stdout
    assert out.count("MAIL FROM:<editor@news.example.org>\n") == 3
    assert f"RCPT TO:<{BOB}>\n" in out
    assert f"\nTo: {BOB}\n" in out
    assert "\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n" in out
    assert result.stderr == "dry run: 2024-W17 would go to 3 recipients; nothing sent\n"
    assert not (tmp_path / ".digest-state.sqlite").exists()  # a look leaves nothing behind


def test_a_test_send_goes_only_to_the_given_addresses_and_is_not_recorded(issue):
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        config = issue(plain(port))
        test = run("send", "--config", config, "--to", "me@example.com", "--to", "Proof Reader <proof@example.com>")
        assert test.exit_code == 0, test.stderr
        assert test.stderr == "2024-W17: sent to 2 of 2 recipients (a test, not recorded)\n"
        assert mailbox.recipients() == ["me@example.com", "proof@example.com"]
        real = run("send", "--config", config, "--week", "2024-W17")
        assert real.exit_code == 0
        assert len(mailbox.received) == 5


def test_a_second_send_while_one_runs_exits_75(issue, tmp_path):
    config = issue(plain(1))
    with holding(tmp_path / ".digest-state.sqlite", command="digest send"):
        result = run("send", "--config", config)
    assert result.exit_code == 75
    assert re.fullmatch(r"error: another digest send is running \(.*\)\n", result.stderr)


def test_send_without_a_built_issue_or_settings_says_what_is_missing(issue, tmp_path):
    missing_week = run("send", "--config", issue(plain(1)), "--week", "2024-W18")
    assert missing_week.exit_code == 1
    assert missing_week.stderr == (
        f"error: 2024-W18: no built issue in {tmp_path / 'output'} (run `digest build --week 2024-W18`)\n"
    )
    (tmp_path / "sources.yaml").write_text(
        f"newsletter:\n{NEWSLETTER}  to: {ALICE}\nsources:\n  - {{name: Notes, path: notes/}}\n", encoding="utf-8"
    )
    no_smtp = run("send", "--config", str(tmp_path / "sources.yaml"))
    assert no_smtp.exit_code == 2
    assert no_smtp.stderr.startswith("error: smtp: missing: add `smtp: {host: ")


@pytest.mark.parametrize(
    "smtp, message",
    [
        ("{host: mail.example.org, security: tls}", "smtp.security: expected one of starttls, ssl, none, got 'tls'"),
        (
            "{host: mail.example.org, password: hunter2}",
            "smtp.password: never write the password in sources.yaml: name an environment variable with "
            "`password_env: DIGEST_SMTP_PASSWORD`",
        ),
        (
            "{host: mail.example.org, username: me}",
            "smtp.password_env: missing: name the environment variable that holds the password of smtp.username",
        ),
        ("{port: 587}", "smtp.host: expected the mail server's name, got nothing"),
        ("{host: mail.example.org, port: 70000}", "smtp.port: expected a whole number from 1 to 65535, got 70000"),
    ],
)
def test_check_validates_the_smtp_settings(issue, smtp, message):
    result = run("check", "--config", issue(smtp))
    assert result.exit_code == 2
    assert result.stderr == f"error: {message} (sources.yaml:10)\n"


def test_check_warns_when_the_password_is_not_in_the_environment(issue):
    result = run(
        "check",
        "--config",
        issue("{host: mail.example.org, username: me, password_env: NOT_SET_HERE}"),
        env={"NOT_SET_HERE": ""},
    )
    assert result.exit_code == 0
    assert result.stderr == "warning: smtp.password_env: $NOT_SET_HERE is not set here: `digest send` needs it\n"


def test_check_warns_when_no_unsubscribe_is_configured(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    path = tmp_path / "sources.yaml"
    path.write_text(
        "newsletter: {title: T, from: T <t@example.org>}\nsources:\n  - {name: Notes, path: notes/}\n", encoding="utf-8"
    )
    result = run("check", "--config", str(path))
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: newsletter.unsubscribe_url: not set: Unsubscribe writes to newsletter.from "
        "with the subject 'unsubscribe'; give an https URL (one-click) or your mailing tool's "
        "merge tag\n"
    )
    path.write_text("newsletter: {title: T}\nsources:\n  - {name: Notes, path: notes/}\n", encoding="utf-8")
    nowhere = run("check", "--config", str(path))  # no from: either, so no link at all: what the build says too
    assert nowhere.stderr == (
        "warning: newsletter.unsubscribe_url: not set, and no newsletter.from to write to: the "
        "email has no unsubscribe link; set unsubscribe_url (an https URL or your mailing "
        "tool's merge tag) or from\n"
    )


@pytest.mark.parametrize("tag", ["{{ UnsubscribeURL }}", "*|UNSUB|*", "{{ unsubscribe_url }}", "%unsubscribe_url%"])
def test_a_mailing_tools_merge_tag_is_a_valid_unsubscribe_url(tmp_path, tag):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"newsletter: {{title: T, from: T <t@example.org>, unsubscribe_url: '{tag}'}}\n"
        "sources:\n  - {name: Notes, path: notes/}\n",
        encoding="utf-8",
    )
    result = run("check", "--config", str(path))
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_test_address_that_is_none_is_named_whole(issue):
    result = run("send", "--config", issue(plain(1)), "--to", "me@example.com", "--to", "not an address")
    assert result.exit_code == 2
    assert result.stderr == "error: --to: not an email address: 'not an address'\n"
    listed = run("send", "--config", issue(plain(1)), "--to", "me@example.com, nope", "--dry-run")
    assert listed.exit_code == 2
    assert listed.stderr == "error: --to: not an email address: 'me@example.com, nope'\n"


def test_send_takes_its_headers_from_the_config_of_now_and_says_when_the_text_is_stale(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("# Agents\n\nAgents call tools before they edit code.\n")
    config = tmp_path / "sources.yaml"

    def write(newsletter: str) -> None:
        config.write_text(
            f"newsletter:\n  title: LLM Trends Weekly\n{newsletter}  to: [{ALICE}, {BOB}]\n"
            "sources:\n  - {name: Notes, path: notes/}\nsmtp: {host: 127.0.0.1, port: 1}\n"
        )

    write("  from: Old Name <old@news.example.org>\n  unsubscribe_url: https://news.example.org/old-unsub\n")
    assert run("build", "--config", str(config), "--week", "2024-W46").exit_code == 0
    built = (tmp_path / "output" / "2024-W46" / "digest.eml").read_text()
    assert "\nTo: undisclosed-recipients:;\n" in built  # sent by hand, it shows no reader the others
    # The sender moved; no rebuild: the headers follow the config, and the body has nothing from: in it.
    write("  from: New Name <new@letters.example.org>\n  unsubscribe_url: https://news.example.org/old-unsub\n")
    moved = run("send", "--config", str(config), "--dry-run")
    assert moved.exit_code == 0, moved.stderr
    assert moved.stdout.count("MAIL FROM:<new@letters.example.org>\n") == 2
    assert moved.stdout.count("\nFrom: New Name <new@letters.example.org>\n") == 2
    assert "old@news.example.org" not in moved.stdout and "@letters.example.org>\n" in moved.stdout  # Message-ID
    assert f"\nTo: {ALICE}\n" in moved.stdout and f"\nTo: {BOB}\n" in moved.stdout
    assert moved.stderr == "dry run: 2024-W46 would go to 2 recipients; nothing sent\n"
    # A new unsubscribe address: the headers say it, and the link in the text is the old one.
    write(
        "  from: New Name <new@letters.example.org>\n  unsubscribe_url: https://news.example.org/new-unsub\n"
        "  reply_to: letters@letters.example.org\n"
    )
    unsub = run("send", "--config", str(config), "--dry-run")
    assert unsub.exit_code == 0, unsub.stderr
    assert unsub.stdout.count("\nList-Unsubscribe: <https://news.example.org/new-unsub>\n") == 2
    assert unsub.stdout.count("\nReply-To: letters@letters.example.org\n") == 2
    assert "old-unsub" not in unsub.stdout
    assert unsub.stderr.startswith(
        "warning: 2024-W46: newsletter.unsubscribe_url changed since the issue was built, "
        "and its text still has the old value: rebuild the issue (digest build --week "
        "2024-W46)\n"
    )
    assert run("build", "--config", str(config), "--week", "2024-W46").exit_code == 0
    rebuilt = run("send", "--config", str(config), "--dry-run")
    assert rebuilt.stderr == "dry run: 2024-W46 would go to 2 recipients; nothing sent\n"

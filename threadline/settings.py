"""One settings object, read from the environment with the THREADLINE_ prefix.

Built by the CLI entry point and by `create_app()`, never at import time.
"""

from __future__ import annotations

import hashlib

from pydantic_settings import BaseSettings, SettingsConfigDict

from threadline.errors import ConfigurationError

DEFAULT_SECRET_KEY = "threadline-demo-secret-change-me"
DEFAULT_DEMO_PASSWORD = "threadline-demo"
DEFAULT_AUDIT_KEY = "threadline-demo-audit-key-change-me"


class Settings(BaseSettings):
    """Runtime configuration. Every field can be set as THREADLINE_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="THREADLINE_", extra="ignore")

    # SQLAlchemy URL or a plain file path; a path means SQLite at that file.
    database_url: str = "threadline.db"
    # True only for the synthetic demo region: allows the default secrets below.
    demo_mode: bool = False
    # Bearer token a monitoring system sends to read /metrics from another machine
    # (requests from this machine need none). Empty: /metrics only from this machine.
    metrics_token: str = ""
    # Key that signs session cookies and CSRF tokens; must be changed outside demo mode.
    secret_key: str = DEFAULT_SECRET_KEY
    # The one password every demo user signs in with (demo mode only).
    demo_password: str = DEFAULT_DEMO_PASSWORD
    # Rows written per batch by `threadline import`; larger is faster, smaller uses less memory.
    import_batch_size: int = 5000
    # Record files at least this large (bytes) are read and validated in a second process
    # while the first writes; -1 turns that off.
    import_parallel_min_bytes: int = 4_000_000
    # A record file at least this large (bytes) into a kind's empty tables is a first
    # load, written in one transaction with its indexes built after its rows (on
    # PostgreSQL readers of those tables wait for it); -1 turns that off.
    import_first_load_min_bytes: int = 4_000_000
    # Most validation errors listed for one import file before the rest are only counted.
    import_max_errors: int = 50
    # Default region for phone numbers written without an international prefix.
    phone_region: str = "GB"
    # Where people reach the web app; emails link here (they carry no sensitive content).
    base_url: str = "http://127.0.0.1:8000"
    # SMTP server for alerts and digest announcements; no host means no email is sent
    # (items still reach people in the app).
    smtp_host: str = ""
    # SMTP port: 25 or 587 with STARTTLS, 465 for implicit TLS.
    smtp_port: int = 25
    # Sender address of Threadline's emails.
    smtp_from: str = "threadline@localhost"
    # SMTP user name and password, if the server needs them.
    smtp_username: str = ""
    smtp_password: str = ""
    # "starttls", "tls" (implicit, port 465) or "none" (only for a server on this machine).
    smtp_security: str = "starttls"
    # Shifts briefings are compiled for: hours of the day each shift starts (UTC).
    briefing_shift_hours: tuple[int, ...] = (7, 15, 23)
    # Seconds between in-process runs of `tick` while `threadline serve` runs; 0 = never.
    tick_interval_seconds: int = 30
    # Prison monitoring: an intelligence-led monitoring plan is reviewed within this many
    # days (one month), an offence-related plan within the next setting (three months).
    prison_intelligence_led_review_days: int = 31
    prison_offence_related_review_days: int = 92
    # Recorded-call material (PIN-phone call records) is disposed of after this many days
    # unless retained with a recorded reason.
    prison_call_retention_days: int = 92
    # Days before an expected release on which the LRO is alerted (once per threshold).
    prison_release_alert_days: tuple[int, ...] = (90, 30, 7)
    # The police front door: hours within which police should respond to a partner's
    # concern, by its rating (red, amber, green; the rule is on /safeguarding/front-door).
    front_door_red_hours: int = 4
    front_door_amber_hours: int = 24
    front_door_green_hours: int = 72
    # Sign-in throttle: failed sign-ins for one username from one network address before
    # that address must wait before trying that username again.
    sign_in_free_failures: int = 5
    # The first wait after those failures (seconds); it doubles with every further failure.
    sign_in_first_delay_seconds: int = 30
    # The longest wait (seconds) the doubling may reach.
    sign_in_max_delay_seconds: int = 3600
    # Strict-Transport-Security max-age (seconds) sent outside demo mode: browsers then
    # use https only for this site for that long (one year by default; 0 sends none).
    hsts_max_age_seconds: int = 31_536_000

    # Key of the audit log's HMAC signatures and signed checkpoints. Keep it outside the
    # database (environment, secrets store); whoever holds it can forge audit events.
    # Empty: the demo key in demo mode, else a key derived from THREADLINE_SECRET_KEY
    # (set a separate one, so the cookie secret can be changed without re-keying).
    audit_key: str = ""
    # File the data protection officer keeps, where signed audit checkpoints are appended
    # (JSON Lines). Empty: beside a SQLite database (`<db>.audit-checkpoints`), else none.
    audit_checkpoint_file: str = ""
    # Seconds between the audit checkpoints `tick` writes (only when events were added).
    audit_checkpoint_interval_seconds: int = 300

    def chain_key(self) -> str:
        """The audit chain's HMAC key as configured (see `audit_key`)."""
        if self.audit_key:
            return self.audit_key
        if self.demo_mode or self.secret_key == DEFAULT_SECRET_KEY:
            return DEFAULT_AUDIT_KEY
        return "derived:" + hashlib.sha256(f"audit-chain|{self.secret_key}".encode()).hexdigest()

    def check_secrets(self) -> None:
        """Refuse the built-in default secrets unless this is the demo."""
        if self.demo_mode:
            return
        if self.secret_key == DEFAULT_SECRET_KEY:
            raise ConfigurationError(
                "THREADLINE_SECRET_KEY is the built-in demo value; set a long random secret "
                "(for example `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        if self.audit_key == DEFAULT_AUDIT_KEY:
            raise ConfigurationError(
                "THREADLINE_AUDIT_KEY is the built-in demo value; set a long random key, "
                "kept outside the database, to sign the audit log"
            )


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides (e.g. from CLI flags)."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]

"""The ``pasar`` command line: database, tenants, plugins, tax checks, web server, worker.

Errors name the file and key (tenant files) or the option (everything else) and exit non-zero;
``--json`` gives machine-readable output for scripts and CI.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from pasar.contracts import TAX_CATEGORIES


class Context:
    """The app is built lazily: ``pasar --help`` must not need a database."""

    def __init__(self) -> None:
        self._app: Any = None

    @property
    def app(self) -> Any:
        if self._app is None:
            from pasar.app import create_app

            try:
                self._app = create_app()
            except Exception as exc:  # a start-up error is a CLI error, not a traceback
                raise click.ClickException(str(exc)) from exc
            click_ctx = click.get_current_context(silent=True)
            if click_ctx is not None:  # close the pool when the command ends
                click_ctx.call_on_close(self._app.extensions["pasar.db"].dispose)
        return self._app

    @property
    def db(self) -> Any:
        return self.app.extensions["pasar.db"]

    @property
    def plugins(self) -> Any:
        return self.app.extensions["pasar.plugins"]


pass_ctx = click.make_pass_decorator(Context, ensure=True)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


class PasarGroup(click.Group):
    """Lets installed plugins add commands (``pasar_register_commands``)."""

    _plugins_added = False

    def _add_plugin_commands(self) -> None:
        if not PasarGroup._plugins_added:
            PasarGroup._plugins_added = True
            from pasar.plugins import PluginHost

            PluginHost.load().register_commands(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands:
            self._add_plugin_commands()
        return super().get_command(ctx, name)


@click.group(cls=PasarGroup)
@click.version_option(package_name="pasar")
def main() -> None:
    """Pasar: a regional, multi-tenant social-commerce marketplace."""


# --- database ---------------------------------------------------------------------------------
@main.group()
def db() -> None:
    """Database migrations (Alembic, shipped inside the package)."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
@pass_ctx
def db_upgrade(ctx: Context, revision: str) -> None:
    """Migrate the database to REVISION."""
    from pasar.migrate import upgrade

    upgrade(ctx.db.url, revision)
    click.echo(f"database at {revision}: {ctx.db.engine.url.render_as_string(hide_password=True)}")


@db.command("downgrade")
@click.argument("revision")
@pass_ctx
def db_downgrade(ctx: Context, revision: str) -> None:
    """Migrate the database down to REVISION (e.g. base)."""
    from pasar.migrate import downgrade

    downgrade(ctx.db.url, revision)
    click.echo(f"database at {revision}")


@db.command("current")
@pass_ctx
def db_current(ctx: Context) -> None:
    """Show the database's revision."""
    from pasar.migrate import current

    click.echo(current(ctx.db.url) or "(not migrated)")


# --- tenants ----------------------------------------------------------------------------------
@main.group()
def tenants() -> None:
    """Marketplaces: apply tenants/<code>.toml, list and show them."""


@tenants.command("apply")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@pass_ctx
def tenants_apply(ctx: Context, paths: tuple[str, ...]) -> None:
    """Validate tenant files against their plugins and store them (all or nothing)."""
    from pasar.tenancy.config import ConfigError
    from pasar.tenancy.service import apply_tenants

    try:
        with ctx.db.session(all_tenants=True, write=True) as session:
            result = apply_tenants(session, paths, ctx.plugins)
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(f"{len(exc.problems)} problem(s); nothing was applied") from exc
    for outcome in ("created", "updated", "unchanged"):
        codes = getattr(result, outcome)
        if codes:
            click.echo(f"{outcome}: {', '.join(codes)}")


@tenants.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def tenants_list(ctx: Context, as_json: bool) -> None:
    """List the stored tenants."""
    from pasar.tenancy.service import list_tenants

    with ctx.db.session(all_tenants=True) as session:
        rows = [_tenant_row(t) for t in list_tenants(session)]
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['code']:<6} {row['country']}  {row['currency']}  {', '.join(row['hosts']):<24} {row['name']}")


def _tenant_row(tenant: Any) -> dict[str, Any]:
    return {
        "code": tenant.code,
        "name": tenant.name,
        "country": tenant.country,
        "currency": tenant.currency,
        "locales": tenant.config["locales"],
        "hosts": [h.host for h in tenant.hosts],
        "plugins": tenant.config["plugins"],
    }


@tenants.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def tenants_show(ctx: Context, code: str, as_json: bool) -> None:
    """Show one tenant: its configuration and what its plugins offer."""
    from pasar.clock import today_in
    from pasar.tenancy import service

    with ctx.db.session(all_tenants=True) as session:
        try:
            tenant = service.context_for(service.get_tenant(session, code), ctx.plugins)
        except service.TenantNotFound:
            raise click.ClickException(f"no tenant {code!r} (see `pasar tenants list`)") from None
    data = service.capabilities(tenant, today_in(tenant.config.timezone))
    data.update(plugins=list(tenant.config.plugins), hosts=list(tenant.config.hosts))
    if as_json:
        _echo_json(data)
        return
    for key, value in data.items():
        if key == "payment_methods":
            value = ", ".join(m["code"] for m in value)
        elif key == "shipping_partners":
            value = ", ".join(s["code"] for s in value)
        elif key == "features":
            value = ", ".join(k for k, on in value.items() if on) or "(none)"
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        click.echo(f"{key:<20} {value}")


# --- plugins ----------------------------------------------------------------------------------
@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def plugins(click_ctx: click.Context, as_json: bool) -> None:
    """List installed plugins with version and implemented hooks."""
    if click_ctx.invoked_subcommand is not None:
        return
    from pasar.plugins import PluginHost

    found = [d.as_dict() for d in PluginHost.load().installed()]
    if as_json:
        _echo_json(found)
        return
    for plugin in found:
        status = f"  BROKEN: {plugin['error']}" if plugin["error"] else ""
        click.echo(f"{plugin['name']} {plugin['version']} ({plugin['distribution']}){status}")
        for hook in plugin["hooks"]:
            click.echo(f"    {hook}")


@plugins.command("new")
@click.argument("name")
@click.option("--path", "path", default="plugins", show_default=True, type=click.Path(file_okay=False))
@click.option("--country", default="KE", show_default=True)
@click.option("--currency", default="KES", show_default=True)
@click.option("--locale", default="en_KE", show_default=True)
@click.option("--timezone", default="Africa/Nairobi", show_default=True)
def plugins_new(name: str, path: str, country: str, currency: str, locale: str, timezone: str) -> None:
    """Scaffold a plugin distribution that passes the conformance suite."""
    from pasar.scaffold import scaffold_plugin

    try:
        where = scaffold_plugin(name, Path(path), country=country, currency=currency, locale=locale, timezone=timezone)
    except (ValueError, FileExistsError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {where}\nnext: pip install -e {where} && pytest {where}")


# --- tax --------------------------------------------------------------------------------------
@main.group()
def tax() -> None:
    """Ask a tenant's region plugin about tax."""


@tax.command("quote")
@click.option("--tenant", "code", required=True, help="Tenant code, e.g. uk.")
@click.option("--category", required=True, type=click.Choice(TAX_CATEGORIES))
@click.option("--price", required=True, help="Displayed price of one item, e.g. 19.99.")
@click.option("--state", default=None, help="US state (destination).")
@click.option("--city", default=None, help="City, for local sales tax.")
@click.option("--date", "on", default=None, help="YYYY-MM-DD; default: today in the tenant's zone.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def tax_quote(ctx: Context, code: str, category: str, price: str, state: str | None,
              city: str | None, on: str | None, as_json: bool) -> None:
    """What tax a buyer of TENANT pays on one item at the displayed PRICE."""
    from pasar.clock import today_in
    from pasar.money import parse_amount
    from pasar.tax.service import TaxQuestionError, quote_item, quote_json
    from pasar.tenancy import service

    with ctx.db.session(all_tenants=True) as session:
        try:
            tenant = service.context_for(service.get_tenant(session, code), ctx.plugins)
        except service.TenantNotFound:
            raise click.BadParameter(f"no tenant {code!r}", param_hint="--tenant") from None
    try:
        amount = parse_amount(price, tenant.currency, tenant.currency_rules())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--price") from None
    day = _parse_date(on) if on else today_in(tenant.config.timezone)
    try:
        quote = quote_item(tenant, category=category, price=amount, on=day, state=state, city=city)
    except TaxQuestionError as exc:
        raise click.ClickException(str(exc)) from exc
    data = {"tenant": code, "country": tenant.country, **quote_json(quote, amount, day, category)}
    if as_json:
        _echo_json(data)
    else:
        _print_quote(data)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)", param_hint="--date") from None


def _print_quote(q: dict[str, Any]) -> None:
    rate = Decimal(q["rate"]) * 100
    how = "included in the price" if q["inclusive"] else "added to the price"
    click.echo(f"{q['tenant']} ({q['country']}) {q['date']}  {q['category']} at {q['price']} {q['currency']}")
    click.echo(f"tax    {q['tax']} {q['currency']}  ({rate.normalize():f}%, {how})")
    click.echo(f"total  {q['total']} {q['currency']}")
    click.echo(f"rule   {q['rule']}  [sources: {', '.join(q['source']) or '-'}]")
    for comp in q["components"]:
        click.echo(f"       {comp['name']}: {comp['amount']} ({Decimal(comp['rate']) * 100:f}%)")
    click.echo(f"collected by {q['collected_by']}" + (f": {q['marketplace_rule']}" if q["marketplace_rule"] else ""))


# --- serving ----------------------------------------------------------------------------------
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--worker/--no-worker", default=True, show_default=True, help="Also start a Celery worker.")
@pass_ctx
def run(ctx: Context, host: str, port: int, worker: bool) -> None:
    """Serve every tenant (Flask's server) and, by default, a worker; Ctrl-C stops both."""
    from pasar.tenancy.service import list_tenants

    app = ctx.app
    with ctx.db.session(all_tenants=True) as session:
        rows = [(t.code, t.name, [h.host for h in t.hosts]) for t in list_tenants(session)]
    child = _start_worker() if worker else None
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so `finally` stops the worker too
    click.echo(f"Pasar on http://{host}:{port}/ ({len(rows)} tenants)")
    for code, name, hosts in rows:
        click.echo(f"  {code:<4} http://{hosts[0]}:{port}/   http://{host}:{port}/t/{code}/   {name}")
    try:
        app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
    finally:
        if child is not None:
            _stop(child)


def _exit_on_sigterm(_signum: int, _frame: Any) -> None:
    raise SystemExit(0)


def _start_worker() -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "pasar.cli", "worker", "--beat", "--concurrency", "2", "--loglevel", "WARNING"]
    # Its own process group: Ctrl-C reaches the server, which then stops the whole worker.
    return subprocess.Popen(command, env=os.environ.copy(), start_new_session=True)


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Warm shutdown (finish running tasks), then kill what is left after 30 s."""
    os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()


@main.command()
@click.option("--concurrency", default=2, show_default=True, type=int)
@click.option("--beat/--no-beat", default=False, help="Run the periodic scheduler in this worker.")
@click.option("--loglevel", default="INFO", show_default=True)
@pass_ctx
def worker(ctx: Context, concurrency: int, beat: bool, loglevel: str) -> None:
    """Start a Celery worker on the configured broker."""
    from pasar.worker import celery_app, use_app

    use_app(ctx.app)
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "--pool=prefork"]
    if beat:
        argv += ["--beat", f"--schedule={_var_path('celerybeat-schedule')}"]
    celery_app.worker_main(argv)


def _var_path(name: str) -> str:
    from pasar.config import var_dir

    path = var_dir()
    path.mkdir(parents=True, exist_ok=True)
    return str(path / name)


@main.command("ping-worker")
@click.option("--timeout", default=30.0, show_default=True, type=float)
@pass_ctx
def ping_worker(ctx: Context, timeout: float) -> None:
    """Send a task through the broker and print the worker's answer."""
    from pasar.worker import ping

    ctx.app
    try:
        answer = ping.delay().get(timeout=timeout)
    except Exception as exc:
        raise click.ClickException(f"no answer from a worker within {timeout:g}s: {exc}") from exc
    _echo_json(answer)


# --- operators --------------------------------------------------------------------------------
@main.group()
def operators() -> None:
    """Operator accounts: the people who run one or more marketplaces."""


@operators.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The operator's name.")
@click.option("--tenants", "tenant_codes", required=True, help='"*" for every tenant, or codes such as uk,de.')
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
@pass_ctx
def operators_create(ctx: Context, email: str, name: str, tenant_codes: str, password_stdin: bool) -> None:
    """Create an operator who may act in the given tenants (the password is asked for)."""
    from pasar.accounts import service
    from pasar.accounts.passwords import WeakPassword

    if "@" not in email.strip(" @"):
        raise click.BadParameter(f"{email!r} is not an email address", param_hint="EMAIL")
    password = _read_password(password_stdin)
    try:
        with ctx.db.session(write=True) as session:
            operator = service.create_operator(session, email, password, name, tenant_codes.split(","))
    except WeakPassword as exc:
        raise click.BadParameter(f"password {exc}", param_hint="password") from None
    except service.UnknownTenants as exc:
        raise click.BadParameter(str(exc), param_hint="--tenants") from None
    except service.EmailTaken as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from None
    click.echo(f"created operator {operator.email} (id {operator.id}) for tenants: {', '.join(operator.tenant_codes)}")


def _read_password(from_stdin: bool) -> str:
    """The password from one line of stdin, or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


# --- demo data --------------------------------------------------------------------------------
@main.group()
def demo() -> None:
    """Demo data: an operator, buyers, approved shops and products in every reference tenant."""


@demo.command("seed")
@click.option("--tenant", "codes", multiple=True, help="Only this tenant (repeatable); default: every one.")
@pass_ctx
def demo_seed(ctx: Context, codes: tuple[str, ...]) -> None:
    """Create the demo data through the domains' services; a second run creates nothing."""
    from pasar.demo.seed import DemoSeedError, UnknownDemoTenant, report_lines, seed_demo

    settings = ctx.app.config["PASAR"]
    try:
        report = seed_demo(ctx.db, settings, ctx.plugins, codes)
    except UnknownDemoTenant as exc:
        raise click.BadParameter(str(exc), param_hint="--tenant") from None
    except DemoSeedError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in report_lines(report, settings.public_port):
        click.echo(line)



# --- live event streams -----------------------------------------------------------------------
@main.command("serve-events")
@click.option("--bind", default="127.0.0.1:5001", show_default=True)
@click.option("--workers", default=1, show_default=True, type=int,
              help="Worker processes (each holds one Redis subscription: set PASAR_PUBSUB_URL beyond one).")
@click.option("--connections", default=2000, show_default=True, type=int, help="Viewers one worker holds at most.")
def serve_events(bind: str, workers: int, connections: int) -> None:
    """Serve the app under gunicorn with gevent workers, the home of the live rooms' event
    streams: route /api/v1/live/<id>/events here (see pasar.content.serving)."""
    import importlib.util

    from pasar.content.serving import SPARE_FILES, gunicorn_command, raise_open_files

    # the configuration first: a wrong command line is named before anything is installed
    if workers > 1 and not os.environ.get("PASAR_PUBSUB_URL"):
        raise click.ClickException("more than one worker needs PASAR_PUBSUB_URL=redis://... (events cross processes)")
    missing = [name for name in ("gunicorn", "gevent") if importlib.util.find_spec(name) is None]
    if missing:
        raise click.ClickException(f"serve-events needs {' and '.join(missing)}: pip install 'pasar[serve]' (gunicorn, gevent)")
    limit = raise_open_files(connections + SPARE_FILES)
    if limit < connections + SPARE_FILES:
        click.echo(f"warning: open files are limited to {limit}: fewer than {connections} viewers per worker", err=True)
    command = gunicorn_command(bind, workers, connections)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()

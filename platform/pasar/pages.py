"""The web faces' shared plumbing: cookie sign-in, CSRF, the language switch, template helpers.

Storefront (buyers), seller center and operator console are server-rendered pages over the same
services as the REST API. The API authenticates with bearer tokens only, so it needs no CSRF
defence; the pages keep the very same kind of token in Flask's signed session cookie instead:

* one token **per tenant** (``session["tokens"][code]``): on a development host every tenant
  lives under ``/t/<code>/`` of one ``localhost`` cookie jar, and signing in to ``th`` must not
  sign you in to ``uk``; operators have one tenant-spanning token (``session["operator"]``);
* every unsafe request (POST, PUT, PATCH, DELETE) to a blueprint passed to ``protect`` must carry
  the session's CSRF token, as the ``csrf_token`` form field or the ``X-CSRF-Token`` header
  (the small scripts send the header); a missing or wrong token is a 400 page and changes
  nothing;
* ``?lang=xx`` on any page is remembered in the ``pasar_locale`` cookie, which
  ``pasar.i18n.select_locale`` already honours, so the switcher is plain links.

Views use ``web_principal()`` and ``login_required(...)``; templates get ``csrf_token()``,
``principal``, ``switch_locales`` and the ``money`` filter from the context processor.
"""
from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, Response, abort, current_app, flash, g, redirect, render_template,
                   request, session, url_for)
from flask_babel import get_locale, gettext as _
from moneyed import Money
from sqlalchemy.orm import Session

from pasar import clock
from pasar.accounts import service as accounts
from pasar.accounts.service import Principal
from pasar.creators import claims
from pasar.creators.service import attribution_window
from pasar.i18n import LOCALE_COOKIE, locale_name
from pasar.money import format_money
from pasar.qr import qr_svg
from pasar.web import current_tenant, database, write_session

__all__ = [
    "CSRF_FIELD", "forget", "login_required", "protect", "remember", "remember_promotion_click", "safe_next",
    "web_principal",
]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_G_KEY = "pasar_web_principal"
PROMOTION_COOKIE = "pasar_promotion_clicks"
View = TypeVar("View", bound=Callable[..., Any])

blp = Blueprint("pages", __name__, template_folder="templates")


# --- who is signed in -------------------------------------------------------------------------
def _tenant_code() -> str | None:
    tenant = g.get("tenant")
    return tenant.code if tenant is not None else None


def _stored_token() -> tuple[str | None, bool]:
    """The cookie's token for this request: the tenant's user token, else the operator's."""
    code = _tenant_code()
    tokens: dict[str, str] = session.get("tokens", {})
    if code is not None and code in tokens:
        return tokens[code], False
    return session.get("operator"), True


def web_principal() -> Principal | None:
    """The signed-in user of this tenant or the operator, from the session cookie, or None.

    An operator's token only counts where the operator may act (their tenant codes)."""
    if _G_KEY in g:
        return g.get(_G_KEY)  # type: ignore[no-any-return]
    raw, _operator = _stored_token()
    principal = None
    if raw is not None:
        tenant = g.get("tenant")
        with database().session(tenant.id if tenant is not None else None) as lookup:
            found = accounts.lookup_token(lookup, raw, tenant.id if tenant is not None else None)
        principal = found.principal if found is not None else None
    setattr(g, _G_KEY, principal)
    return principal


def remember(token: str, *, operator: bool = False) -> None:
    """Keep a freshly issued token in the session cookie (and a new CSRF token with it, so a
    token planted before sign-in is worthless afterwards)."""
    if operator:
        session["operator"] = token
    else:
        code = _tenant_code()
        if code is None:
            raise RuntimeError("a user signs in to a tenant")
        session["tokens"] = {**session.get("tokens", {}), code: token}
    session[CSRF_FIELD] = secrets.token_urlsafe(32)
    g.pop(_G_KEY, None)


def forget(*, operator: bool = False) -> str | None:
    """Drop this tenant's (or the operator's) token from the cookie; returns it for revoking."""
    if operator:
        raw = session.pop("operator", None)
    else:
        tokens = dict(session.get("tokens", {}))
        raw = tokens.pop(_tenant_code() or "", None)
        session["tokens"] = tokens
    g.pop(_G_KEY, None)
    return raw


def login_required(*roles: str, signin: str = "pages.signin") -> Callable[[View], View]:
    """Let a page run only for a signed-in principal holding one of ``roles`` (any if none).

    Signed out: a redirect to ``signin`` that comes back here. Wrong role: 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            principal = web_principal()
            if principal is None:
                return redirect(url_for(signin, next=request.full_path.rstrip("?")))
            if roles and not any(principal.has(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths may be redirected to after sign-in (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    script = request.script_root
    return target if not script or target.startswith(script) else script + target


# --- promotion-link clicks made while signed out ------------------------------------------------
def _promotion_cookie() -> str:
    """One cookie per tenant (its code in the name), so two tenants on one development host
    never overwrite each other's; its signature is per tenant too (``claims.ClaimSigner``)."""
    return f"{PROMOTION_COOKIE}_{current_tenant().code}"


def _promotion_signer() -> claims.ClaimSigner:
    return claims.ClaimSigner(current_app.secret_key or "", current_tenant(), "cookie")


def remember_promotion_click(response: Response, click: claims.PendingClick) -> Response:
    """Keep a signed-out visitor's click on a creator's link in a signed cookie of this tenant,
    with the other recent ones (``claims.remembered``), until they sign in or register here.
    It lives as long as the attribution window: an older click credits nothing anyway."""
    tenant = current_tenant()
    kept = claims.remembered(tenant, _promotion_signer().read(request.cookies.get(_promotion_cookie())), click,
                             clock.now())
    response.set_cookie(_promotion_cookie(), _promotion_signer().dumps(kept),
                        max_age=int(attribution_window(tenant).total_seconds()), httponly=True, samesite="Lax",
                        secure=request.is_secure, path=(request.script_root or "/"))
    return response


def _claim_promotion_clicks(session_db: Session, user_id: int) -> bool:
    """At sign-in or registration: turn the cookie's clicks into the user's own promotion
    clicks (in the caller's transaction). A cookie this tenant did not sign claims nothing.
    Answers whether there was a cookie to clear."""
    raw = request.cookies.get(_promotion_cookie())
    if raw is None:
        return False
    pending = _promotion_signer().read(raw)
    if pending:
        claims.claim(session_db, current_tenant(), user_id, pending, clock.now())
    return True


def _signed_in_response(target: str, had_clicks: bool) -> Response:
    """The redirect after sign-in or registration, clearing the claimed clicks' cookie."""
    response = redirect(target)
    if had_clicks:
        response.delete_cookie(_promotion_cookie(), path=(request.script_root or "/"), httponly=True,
                               samesite="Lax", secure=request.is_secure)
    return response


# --- CSRF -------------------------------------------------------------------------------------
def csrf_token() -> str:
    """The session's CSRF token (made on first use)."""
    token = session.get(CSRF_FIELD)
    if not token:
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf() -> None:
    """Refuse an unsafe request whose form field or header does not carry the session's token."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = session.get(CSRF_FIELD)
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not expected or not hmac.compare_digest(str(expected), sent):
        abort(400, description=_("This form has expired. Reload the page and try again."))


def protect(blueprint: Blueprint) -> Blueprint:
    """Check CSRF tokens on every unsafe request the blueprint answers."""
    blueprint.before_request(check_csrf)
    return blueprint


protect(blp)


# --- template helpers -------------------------------------------------------------------------
def money_filter(amount: Money) -> str:
    """``{{ price|money }}``: the tenant's currency rules in the active locale."""
    return format_money(amount, str(get_locale()), current_tenant().currency_rules())


def switch_locales() -> list[tuple[str, str, bool]]:
    """(code, own name, is active) for the tenant's languages, for the language switcher."""
    tenant = g.get("tenant")
    if tenant is None:
        return []
    active = str(get_locale())
    return [(code, locale_name(code), code == active) for code in tenant.config.locales]


def _context() -> dict[str, Any]:
    return {
        "principal": web_principal() if request else None,
        "switch_locales": switch_locales,
        "current_locale": str(get_locale()),
    }


def _remember_locale(response: Response) -> Response:
    """``?lang=`` picked on a page sticks for the next pages (a year; plain preference)."""
    choice = request.args.get("lang")
    tenant = g.get("tenant")
    if choice and tenant is not None and choice in tenant.config.locales:
        response.set_cookie(LOCALE_COOKIE, choice, max_age=365 * 86400, samesite="Lax",
                            path=(request.script_root or "/"))
    return response


def configure_pages(app: Flask) -> None:
    """Cookie settings, template helpers and the language cookie for every web face."""
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.jinja_env.globals.update(csrf_token=csrf_token, csrf_field=CSRF_FIELD)
    app.context_processor(_context)
    app.add_template_filter(money_filter, "money")
    app.add_template_filter(qr_svg, "qr_svg")
    app.after_request(_remember_locale)


# --- sign-in pages for the tenant's users (buyers, sellers, creators) ---------------------------
def _home_for(principal: Principal) -> str:
    return url_for("storefront.home")


@blp.route("/signin", methods=["GET", "POST"])
def signin() -> Any:
    """Email and password; the failure is recorded (it slows the next guess) and shown."""
    tenant = current_tenant()
    error = None
    if request.method == "POST":
        email = request.form.get("email", "")
        password = request.form.get("password", "")
        session_db = write_session()
        try:
            user, issued = accounts.authenticate(session_db, tenant, email, password,
                                                 request.remote_addr or "unknown")
        except accounts.RateLimited:
            session_db.commit()
            error = _("Too many attempts. Wait a minute and try again.")
        except accounts.InvalidCredentials:
            session_db.commit()
            error = _("Email or password is wrong.")
        else:
            had_clicks = _claim_promotion_clicks(session_db, user.id)
            session_db.commit()
            remember(issued.token)
            flash(_("Signed in."), "success")
            return _signed_in_response(safe_next(request.args.get("next"), url_for("storefront.home")), had_clicks)
    status = 401 if error else 200
    return render_template("web/signin.html", error=error,
                           email=request.form.get("email", "")), status


@blp.route("/register", methods=["GET", "POST"])
def register() -> Any:
    """A buyer account; the password rules' message is shown next to the field."""
    tenant = current_tenant()
    errors: dict[str, str] = {}
    form = request.form
    if request.method == "POST":
        session_db = write_session()
        if not form.get("name", "").strip():
            errors["name"] = _("Enter your name.")
        if not errors:
            try:
                user = accounts.register_user(session_db, tenant, form.get("email", ""),
                                              form.get("password", ""), form.get("name", ""))
            except accounts.EmailTaken:
                errors["email"] = _("An account with this email exists. Sign in instead.")
            except accounts.WeakPassword as exc:
                errors["password"] = password_problem(exc)
            else:
                issued = accounts.issue_token(session_db, user)
                had_clicks = _claim_promotion_clicks(session_db, user.id)
                session_db.commit()
                remember(issued.token)
                flash(_("Welcome! Your account is ready."), "success")
                return _signed_in_response(safe_next(request.args.get("next"), url_for("storefront.home")),
                                           had_clicks)
    return render_template("web/register.html", errors=errors, form=form), (422 if errors else 200)


def password_problem(exc: accounts.WeakPassword) -> str:
    """The broken password rule in the reader's language."""
    if exc.rule == "too_short":
        return _("Use at least %(num)d characters.", num=exc.limit or 0)
    if exc.rule == "too_long":
        return _("Use at most %(num)d characters.", num=exc.limit or 0)
    return _("Don't use your email address as your password.")


@blp.post("/signout")
def signout() -> Any:
    raw = forget()
    if raw:
        with database().session(write=True) as write:
            accounts.revoke_token(write, raw)
    flash(_("Signed out."), "success")
    return redirect(url_for("storefront.home"))

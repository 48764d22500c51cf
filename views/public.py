"""Public pages: sign in and out, language switch, health check, dossier look-up."""

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from extensions import db, limiter, login_manager
from models.dossier import Dossier
from models.user import User
from services.accounts.auth import (
    LoginFailed,
    LoginLocked,
    authenticate,
    check_current_password,
    sign_out,
)
from services.accounts.users import first_password_was_reset, set_password
from services.delivery.shipping import latest_order
from services.errors import ServiceError
from services.transactions import transaction
from views.urls import is_local_path

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_id: str):
    """The user of a session id ``<id>:<epoch>``; an older epoch ends the session."""
    user_id, _sep, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    if not _session_alive(time.time()):
        _fresh_session()
        flash(_("Your session has ended; please sign in again."), "info")
        return None
    # The roles come in the same statement (the permission checks read them).
    user = db.session.get(User, int(user_id), options=[joinedload(User.roles)])
    if user is None or not user.active or user.session_epoch != int(epoch):
        return None
    return user


SIGNED_IN_AT, SEEN_AT = "signed_in_at", "seen_at"
SEEN_RESOLUTION = 30  # seconds: the cookie is rewritten at most this often


def _session_alive(now: float) -> bool:
    """Is the signed session neither idle for SESSION_IDLE_MINUTES nor older than
    SESSION_MAX_HOURS? Marks it seen. The times travel signed in the cookie, so a client
    can neither move them nor keep an old cookie alive past them."""
    started, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        return False
    config = current_app.config
    if now - seen > config["SESSION_IDLE_MINUTES"] * 60:
        return False
    if now - started > config["SESSION_MAX_HOURS"] * 3600:
        return False
    if now - seen >= SEEN_RESOLUTION:
        session[SEEN_AT] = now
    return True


def _failed_login(response) -> bool:
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_FAILURES_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_failed_login,
)
def login():
    """Sign in; per username the lock of services.accounts.auth holds, per address the limiter."""
    next_url = request.values.get("next")
    if current_user.is_authenticated:
        return redirect(next_url if is_local_path(next_url) else url_for("admin.index"))
    if request.method == "POST":
        try:
            user = authenticate(
                request.form.get("username", ""),
                request.form.get("password", ""),
                ip_address=request.remote_addr,
            )
        except ServiceError as exc:
            flash(exc.message, "error")
            return render_template("auth/login.html", next=next_url), LOGIN_STATUS[exc.code]
        _fresh_session()
        login_user(user)
        session[SIGNED_IN_AT] = session[SEEN_AT] = time.time()
        if user.must_change_password:
            return redirect(url_for("auth.change_password"))
        return redirect(next_url if is_local_path(next_url) else url_for("admin.index"))
    return render_template("auth/login.html", next=next_url)


LOGIN_STATUS = {"login_failed": 401, "login_locked": 429, "login_busy": 503}


def _fresh_session() -> None:
    """Empty the cookie session but for the language (no session fixation, no leftovers)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out: every panel session of the user ends on the server (a copied cookie too);
    with ``end_tokens=1`` the user's API tokens end as well."""
    user = current_user._get_current_object()
    end_tokens = request.form.get("end_tokens") == "1"
    with transaction():
        sign_out(user, end_tokens=end_tokens, ip_address=request.remote_addr)
    logout_user()
    _fresh_session()
    if end_tokens:
        flash(_("You have signed out; your API tokens no longer work."), "info")
    else:
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Any signed-in user changes their own password (forced after a reset)."""
    error = None
    if request.method == "POST":
        user = current_user._get_current_object()
        try:
            check_current_password(
                user, request.form.get("current_password", ""), ip_address=request.remote_addr
            )
        except LoginLocked as exc:
            return _password_page(exc.message, 429)
        except LoginFailed:
            error = _("The current password is not right.")
        except ServiceError as exc:  # the server is busy checking passwords
            error = exc.message
        else:
            try:
                with transaction():
                    set_password(
                        user,
                        request.form.get("new_password", ""),
                        confirmation=request.form.get("confirm_password", ""),
                        current=request.form.get("current_password", ""),
                        actor=user,
                        ip_address=request.remote_addr,
                    )
            except ServiceError as exc:
                error = exc.message
            else:
                login_user(user)  # this session carries the new epoch; others end
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("admin.index"))
    return _password_page(error, 400 if error else 200)


def _password_page(error, status: int):
    """The password page; a first change says whether IT staff reset the password or
    made the account."""
    user = current_user._get_current_object()
    was_reset = user.must_change_password and first_password_was_reset(user)
    return render_template("auth/change_password.html", error=error, was_reset=was_reset), status


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    target = request.form.get("next")
    return redirect(target if is_local_path(target) else url_for("admin.index"))


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/lookup")
@limiter.limit(lambda: current_app.config.get("PUBLIC_LOOKUP_RATE_LIMIT", "30 per minute"))
def lookup():
    code = (request.args.get("code") or "").strip().upper()
    dossier = None
    if code:
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
    parcel = latest_order(dossier) if dossier else None  # shipped by post: its parcel
    return render_template("public/lookup.html", code=code, dossier=dossier, parcel=parcel)


@bp.route("/")
def root():
    return redirect(url_for("admin.index"))

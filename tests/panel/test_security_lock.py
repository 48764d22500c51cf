"""Attacks on the sign-in lock: bursts in threads, two doors, unknown names, memory."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher

import services.accounts.passwords
from services.accounts.auth import MAX_FAILURES, TOO_MANY_ATTEMPTS, WRONG_CREDENTIALS
from tests.factories import PASSWORD

WRONG = "wrong-password-1"
BURST = 30
# The address limiter is not what this file tests: the database lock is.
LOOSE_LIMITS = {
    "LOGIN_FAILURES_PER_ADDRESS": "1000 per minute",
    "API_TOKEN_RATE_LIMIT": "1000 per minute",
    "PASSWORD_CHECKS_AT_ONCE": 3,
    "PASSWORD_CHECK_WAIT_SECONDS": 120.0,  # a loaded test machine queues, it is not "busy"
}


class CountingHasher(PasswordHasher):
    """The tests' cheap Argon2, counting the checks and how many run at once.

    Each check is held 30 ms, as a real one takes about that long: a burst then
    really overlaps, which is what made lost counts possible.
    """

    def __init__(self):
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checks = 0
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def verify(self, hash, password):
        with self._lock:
            self.checks += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(0.03)
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.running -= 1


@pytest.fixture
def hasher(monkeypatch):
    counting = CountingHasher()
    monkeypatch.setattr(services.accounts.passwords, "_hasher", counting)
    return counting


def _form(app, username, password):
    response = app.test_client().post("/login", data={"username": username, "password": password})
    return response.status_code, response.get_data(as_text=True)


def _api(app, username, password):
    response = app.test_client().post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    body = response.get_json() or {}
    return response.status_code, body.get("error", {}).get("message", "")


def _burst(app, door, username, count=BURST):
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: door(app, username, WRONG), range(count)))


@pytest.mark.parametrize("app_config", [LOOSE_LIMITS])
@pytest.mark.parametrize("door", [_form, _api], ids=["login-form", "token-endpoint"])
def test_a_burst_of_wrong_passwords_checks_at_most_the_allowed_number(app, world, hasher, door):
    hasher.checks = 0
    answers = _burst(app, door, "po_clerk")
    statuses = [status for status, _ in answers]
    assert set(statuses) <= {401, 429}, statuses  # never a 500, never a sign-in
    assert hasher.checks <= MAX_FAILURES
    assert statuses.count(401) <= MAX_FAILURES
    assert statuses.count(429) >= BURST - MAX_FAILURES
    assert hasher.most_at_once <= LOOSE_LIMITS["PASSWORD_CHECKS_AT_ONCE"]
    # Locked afterwards: the right password is refused too, at both doors.
    assert _form(app, "po_clerk", PASSWORD)[0] == 429
    assert _api(app, "po_clerk", PASSWORD)[0] == 429


@pytest.mark.parametrize("app_config", [LOOSE_LIMITS])
def test_unknown_and_real_usernames_answer_alike_under_a_burst(app, world, hasher):
    real = sorted(_burst(app, _api, "po_clerk"))
    unknown = sorted(_burst(app, _api, "nobody_here"))
    assert real == unknown
    assert _api(app, "nobody_here", PASSWORD)[0] == 429


@pytest.mark.parametrize("app_config", [LOOSE_LIMITS])
def test_unknown_and_real_usernames_answer_alike_step_by_step(app, world, hasher):
    for door in (_form, _api):
        for step in range(MAX_FAILURES + 2):
            real = door(app, f"{'po_clerk' if door is _form else 'dept_admin'}", WRONG)
            unknown = door(app, f"ghost_{door.__name__}", WRONG)
            assert real[0] == unknown[0], (door.__name__, step)
            assert (WRONG_CREDENTIALS in real[1]) == (WRONG_CREDENTIALS in unknown[1])
            assert (TOO_MANY_ATTEMPTS in real[1]) == (TOO_MANY_ATTEMPTS in unknown[1])
        assert real[0] == 429


@pytest.mark.parametrize("app_config", [LOOSE_LIMITS])
def test_the_form_and_the_token_endpoint_share_one_counter(app, world, hasher):
    for _ in range(3):
        assert _form(app, "po_clerk", WRONG)[0] == 401
    for _ in range(MAX_FAILURES - 3):
        assert _api(app, "po_clerk", WRONG)[0] == 401
    assert _form(app, "po_clerk", PASSWORD)[0] == 429
    assert _api(app, "po_clerk", PASSWORD)[0] == 429


@pytest.mark.parametrize("app_config", [LOOSE_LIMITS])
def test_wrong_current_passwords_on_the_change_form_count_toward_the_lock(
    app, client, login_as, hasher
):
    login_as("po_clerk")
    data = {"new_password": "Ngay-mai-troi-nang-17", "confirm_password": "Ngay-mai-troi-nang-17"}
    for _ in range(MAX_FAILURES):
        response = client.post("/account/password", data={**data, "current_password": WRONG})
        assert response.status_code == 400
    locked = client.post("/account/password", data={**data, "current_password": PASSWORD})
    assert locked.status_code == 429
    assert TOO_MANY_ATTEMPTS in locked.get_data(as_text=True)
    assert _form(app, "po_clerk", PASSWORD)[0] == 429  # and the sign-in door is locked too


@pytest.mark.parametrize("app_config", [LOOSE_LIMITS])
def test_a_burst_over_many_usernames_never_runs_more_checks_at_once_than_allowed(
    app, world, hasher
):
    names = [f"user{n}" for n in range(20)]
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        answers = list(pool.map(lambda name: _api(app, name, WRONG), names))
    assert {status for status, _ in answers} == {401}
    assert hasher.checks == len(names)
    assert 2 <= hasher.most_at_once <= LOOSE_LIMITS["PASSWORD_CHECKS_AT_ONCE"]  # a real burst


@pytest.mark.parametrize("app_config", [{**LOOSE_LIMITS, "PASSWORD_CHECK_WAIT_SECONDS": 0.05}])
def test_when_every_check_slot_is_taken_the_answer_is_busy_and_nothing_is_counted(
    app, world, hasher
):
    slots = services.accounts.passwords._slots
    for _ in range(LOOSE_LIMITS["PASSWORD_CHECKS_AT_ONCE"]):
        slots.acquire()
    try:
        for _ in range(MAX_FAILURES + 2):
            assert _form(app, "po_clerk", WRONG)[0] == 503
            status, message = _api(app, "po_clerk", WRONG)
            assert status == 503 and message
    finally:
        for _ in range(LOOSE_LIMITS["PASSWORD_CHECKS_AT_ONCE"]):
            slots.release()
    assert hasher.checks == 0
    assert _form(app, "po_clerk", PASSWORD)[0] == 302  # the busy answers did not lock it


@pytest.mark.parametrize("app_config", [LOOSE_LIMITS])
def test_a_new_password_from_it_staff_ends_the_lock(app, client, world, login_as, hasher):
    for _ in range(MAX_FAILURES):
        _form(app, "po_clerk", WRONG)
    assert _form(app, "po_clerk", PASSWORD)[0] == 429
    login_as("it_admin")
    response = client.post(
        f"/admin/user/reset-password/?id={world.users['po_clerk'].id}",
        data={"password": "Mat-khau-tam-2026", "confirm": "Mat-khau-tam-2026"},
    )
    assert response.status_code == 302
    assert _form(app, "po_clerk", "Mat-khau-tam-2026")[0] == 302

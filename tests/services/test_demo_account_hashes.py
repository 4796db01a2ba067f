"""Demo accounts start with light argon2 parameters (fast first start) and get full ones at first login."""

from __future__ import annotations

from services.accounts import demo_accounts
from services.accounts import users as accounts
from services.ops.startup import open_database
from store import users


def test_demo_hash_is_upgraded_to_full_parameters_at_first_login(tmp_path):
    con = open_database(tmp_path)
    password = demo_accounts.read_demo_accounts(tmp_path)["kadinsos"]
    before = users.by_username(con, username="kadinsos").password_hash
    assert before.startswith("$argon2id$") and "m=8192" in before

    accounts.authenticate(con, username="kadinsos", password=password)

    after = users.by_username(con, username="kadinsos").password_hash
    assert after.startswith("$argon2id$") and "m=65536" in after
    assert password not in after
    # the upgraded hash still accepts the same password
    assert accounts.authenticate(con, username="kadinsos", password=password).username == "kadinsos"
    con.close()

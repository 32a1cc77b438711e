"""Signing in and out, login CSRF, and the language: switch, Accept-Language, complete phrase tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from attain.reports.locale import Language
from attain.reports.phrases import PHRASES as REPORT_PHRASES
from attain.services.runtime import Runtime
from attain.web import phrases
from attain.web.language import parse_accept_language
from attain.web.session import local_path
from web.dashboard_support import sign_in, text_of

TEMPLATES = Path(phrases.__file__).parent / "templates"


def nonce_of(client: TestClient) -> str:
    """The nonce of a freshly fetched login form (its cookie is now set in the client)."""
    found = re.search(r'name="nonce" value="([^"]+)"', client.get("/login").text)
    assert found is not None
    return found.group(1)


def test_login_sets_an_http_only_strict_cookie_and_goes_to_next(client: TestClient, tokens: dict[str, str]) -> None:
    """A good token sets attain_token (HttpOnly, SameSite=Strict, Path=/, not Secure over http) and redirects to next."""
    response = client.post(
        "/login",
        data={"token": tokens["admin"], "nonce": nonce_of(client), "next": "/agreements/cloud-uptime"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/agreements/cloud-uptime"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("attain_token="))
    assert cookie == f"attain_token={tokens['admin']}; HttpOnly; Path=/; SameSite=strict"


def test_the_cookie_is_secure_over_https(runtime: Runtime, tokens: dict[str, str]) -> None:
    """Over https the token cookie also carries Secure."""
    from attain.server import create_server  # noqa: PLC0415 - a second app, for https

    with TestClient(create_server(runtime=runtime), base_url="https://testserver") as client:
        response = client.post(
            "/login", data={"token": tokens["admin"], "nonce": nonce_of(client)}, follow_redirects=False
        )
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("attain_token="))
    assert "; Secure" in cookie


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "evil", ""])
def test_login_never_redirects_off_the_server(client: TestClient, tokens: dict[str, str], target: str) -> None:
    """A `next` that is not a local path sends the viewer to the overview instead."""
    data = {"token": tokens["admin"], "nonce": nonce_of(client), "next": target}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_a_bad_token_shows_the_form_again_with_401(client: TestClient) -> None:
    """An unknown token re-shows the form with an error, status 401, and sets no token cookie."""
    response = client.post("/login", data={"token": "attain_nope", "nonce": nonce_of(client)}, follow_redirects=False)
    assert response.status_code == 401
    assert "That token is unknown, revoked or expired." in text_of(response.text)
    assert not any(c.startswith("attain_token=") for c in response.headers.get_list("set-cookie"))


def test_a_login_posted_from_another_site_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    """Without the form's nonce cookie, or from a foreign Origin, a correct token still does not sign in (403)."""
    nonce = nonce_of(client)
    foreign = client.post(
        "/login",
        data={"token": tokens["admin"], "nonce": nonce},
        headers={"origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert foreign.status_code == 403
    client.cookies.clear()
    no_cookie = client.post("/login", data={"token": tokens["admin"], "nonce": nonce}, follow_redirects=False)
    assert no_cookie.status_code == 403
    assert "not sent from this site" in text_of(no_cookie.text)


def test_logout_clears_the_cookie(client: TestClient, tokens: dict[str, str]) -> None:
    """After signing out, the token cookie is expired and pages send the viewer to the login form again."""
    sign_in(client, tokens["viewer"])
    assert client.get("/", follow_redirects=False).status_code == 200
    response = client.post("/logout", follow_redirects=False)
    assert response.headers["location"] == "/login"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("attain_token="))
    assert "Max-Age=0" in cookie
    assert client.get("/", follow_redirects=False).status_code == 303


def test_the_switch_shows_pages_in_chinese(client: TestClient, tokens: dict[str, str]) -> None:
    """/lang/zh-CN remembers Chinese in a cookie and goes back; the page is then in Chinese, lang attribute too."""
    sign_in(client, tokens["customer"])
    switched = client.get("/lang/zh-CN", params={"next": "/agreements/cloud-uptime"}, follow_redirects=False)
    assert switched.headers["location"] == "/agreements/cloud-uptime"
    assert switched.cookies["attain_lang"] == "zh-CN"
    page = client.get("/agreements/cloud-uptime").text
    assert '<html lang="zh-CN">' in page
    assert "每日达成率" in page
    assert "以Example Retail AG的客户身份登录" in text_of(page)
    overview = text_of(client.get("/").text)
    assert "协议：1 · 目标：2" in overview
    client.get("/lang/en")
    assert '<html lang="en">' in client.get("/").text


def test_accept_language_chooses_chinese_without_a_cookie(client: TestClient) -> None:
    """With no cookie, a browser asking for zh-TW first gets Simplified Chinese; English otherwise."""
    assert "登录" in client.get("/login", headers={"accept-language": "zh-TW,zh;q=0.9,en;q=0.5"}).text
    assert '<html lang="en">' in client.get("/login", headers={"accept-language": "en-GB,zh;q=0.8"}).text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN", Language.ZH_CN),
        ("fr-FR, zh;q=0.3", Language.ZH_CN),
        ("en-US,zh;q=0.5", Language.EN),
        ("zh;q=0.4, en;q=0.6", Language.EN),
        ("zh;q=0, de", Language.EN),
        ("", Language.EN),
    ],
)
def test_parse_accept_language(header: str, expected: Language) -> None:
    """The highest-weighted language the dashboard speaks wins; q=0 means not wanted; default English."""
    assert parse_accept_language(header) is expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/agreements/a?x=1", "/agreements/a?x=1"), ("//evil", "/"), ("/\\evil", "/"), ("http://x/", "/"), (None, "/")],
)
def test_local_path(target: str | None, expected: str) -> None:
    """Only paths on this server are kept as redirect targets."""
    assert local_path(target) == expected


def test_every_dashboard_phrase_exists_in_both_languages() -> None:
    """The English and Chinese tables have the same keys, and no phrase is empty."""
    assert set(phrases.EN) == set(phrases.ZH_CN)
    assert all(phrases.EN.values())
    assert all(phrases.ZH_CN.values())


def test_every_phrase_a_template_uses_exists() -> None:
    """Each literal `t("key")` in the templates names a dashboard or report phrase of both languages."""
    keys = {k for f in TEMPLATES.glob("*.html") for k in re.findall(r"""t\(["']([\w.-]+)["']\s*[,)]""", f.read_text())}
    assert keys
    for language in ("en", "zh-CN"):
        missing = {k for k in keys if k not in phrases.PHRASES[language] and k not in REPORT_PHRASES[language]}
        assert missing == set(), language

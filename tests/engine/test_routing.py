"""Routing conditions to receivers, the notices each tick owes, and their envelopes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.engine.notices_support import AGREEMENT, agreement

from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE
from attain.engine.notices import Channel, Condition, Notice, NoticeState, NoticeStatus
from attain.engine.routing import envelopes, route, transitions
from attain.model.notify import EventKind, Notify, Receiver

T0 = 1_790_000_000_000_000 - 1_790_000_000_000_000 % US_PER_MINUTE

NOTIFY = Notify.model_validate(
    {
        "repeatInterval": "1h",
        "receivers": [
            {"name": "pager", "alertmanager": {"url": "http://127.0.0.1:9093"}},
            {"name": "sre-hook", "webhook": {"url": "https://hooks.example/sla", "secretEnv": "HOOK_SECRET"}},
            {"name": "customer", "party": "customer", "language": "zh-CN", "email": {}},
            {"name": "noc-mail", "email": {"to": ["noc@provider.example", "lead@provider.example"]}},
        ],
        "routes": [
            {"events": ["burn-rate"], "severities": ["page"], "receivers": ["pager", "customer"]},
            {"events": ["burn-rate", "silent-source"], "receivers": ["sre-hook"]},
            {"events": ["breach", "credit"], "objectives": ["api-availability"], "receivers": ["customer", "sre-hook"]},
            {"events": ["breach"], "receivers": ["customer"]},
        ],
    }
)


def condition(
    kind: EventKind, key: str, objective: str | None = "api-availability", severity: str = "page"
) -> Condition:
    """A condition of the shop agreement, begun at T0."""
    resolvable = kind in (EventKind.BURN_RATE, EventKind.SILENT_SOURCE)
    return Condition(kind, key, "shop", objective, severity, T0, resolvable, (("threshold", "14.4"),))


PAGE = condition(EventKind.BURN_RATE, "burn-rate/api-availability/page/60m-5m")
TICKET = condition(EventKind.BURN_RATE, "burn-rate/api-availability/ticket/360m-30m", severity="ticket")
BREACH = condition(EventKind.BREACH, "breach/api-availability/2026-10", severity="critical")
OTHER_BREACH = condition(EventKind.BREACH, "breach/support-response/2026-10", "support-response", "critical")
CREDIT = condition(EventKind.CREDIT, "credit/2026-10", None, "warning")
SILENT = condition(EventKind.SILENT_SOURCE, "silent-source/api-availability/requests", severity="warning")


def names(pairs: Sequence[tuple[Receiver, Condition]]) -> list[tuple[str, str]]:
    """(receiver, key) of each routed pair."""
    return [(r.name, c.key) for r, c in pairs]


def test_routes_match_events_severities_and_objectives() -> None:
    """A page goes to the pager and the hook, a ticket to the hook only; breaches by objective."""
    assert names(route(NOTIFY, [PAGE, TICKET, BREACH, OTHER_BREACH, CREDIT, SILENT])) == [
        ("pager", PAGE.key),
        ("sre-hook", PAGE.key),
        ("sre-hook", TICKET.key),
        ("customer", BREACH.key),
        ("sre-hook", BREACH.key),
        ("customer", OTHER_BREACH.key),  # only the route without an objectives filter
        ("customer", CREDIT.key),  # a credit concerns no single objective: it passes the filter
        ("sre-hook", CREDIT.key),
        ("sre-hook", SILENT.key),
    ]


def test_a_customer_receiver_never_gets_an_internal_event_even_when_routed() -> None:
    """The first route names the customer for pages; the customer still gets none."""
    assert ("customer", PAGE.key) not in names(route(NOTIFY, [PAGE]))


def test_a_pair_reached_by_two_routes_is_routed_once() -> None:
    """The customer is named for breaches by two routes and is paired with the breach once."""
    assert names(route(NOTIFY, [BREACH])).count(("customer", BREACH.key)) == 1


def states_of(changed: Sequence[NoticeState], previous: Mapping[tuple[str, str], NoticeState]) -> dict[Any, Any]:
    """The remembered states after storing the changed ones."""
    return {**previous, **{(s.receiver, s.key): s for s in changed}}


def told(notices: Sequence[Notice]) -> list[tuple[str, NoticeStatus, int]]:
    """(receiver, status, sequence) of each notice."""
    return [(n.receiver, n.status, n.sequence) for n in notices]


def test_a_resolvable_condition_fires_repeats_and_resolves() -> None:
    """Hook (1 h repeat): fire at T0, quiet at +59 min, repeat at +60, resolve at +90, fire anew at +120."""
    hook = NOTIFY.receiver("sre-hook")
    notices, changed = transitions({}, [(hook, TICKET)], T0, NOTIFY)
    assert told(notices) == [("sre-hook", NoticeStatus.FIRING, 0)]
    assert changed == (NoticeState("sre-hook", TICKET.key, EventKind.BURN_RATE, True, T0, T0, 0),)
    states = states_of(changed, {})
    assert transitions(states, [(hook, TICKET)], T0 + 59 * US_PER_MINUTE, NOTIFY) == ((), ())
    notices, changed = transitions(states, [(hook, TICKET)], T0 + US_PER_HOUR, NOTIFY)
    assert told(notices) == [("sre-hook", NoticeStatus.FIRING, 1)]
    states = states_of(changed, states)
    notices, changed = transitions(states, [], T0 + 90 * US_PER_MINUTE, NOTIFY)
    assert told(notices) == [("sre-hook", NoticeStatus.RESOLVED, 2)]
    resolved = notices[0].condition
    assert (resolved.kind, resolved.key, resolved.objective, resolved.severity, resolved.since) == (
        EventKind.BURN_RATE,
        TICKET.key,
        "api-availability",
        "ticket",
        T0,
    )
    assert changed == (NoticeState("sre-hook", TICKET.key, EventKind.BURN_RATE, False, T0, T0 + 90 * US_PER_MINUTE, 2),)
    states = states_of(changed, states)
    assert transitions(states, [], T0 + 100 * US_PER_MINUTE, NOTIFY) == ((), ())  # resolved once only
    notices, _ = transitions(states, [(hook, TICKET)], T0 + 120 * US_PER_MINUTE, NOTIFY)
    assert told(notices) == [("sre-hook", NoticeStatus.FIRING, 3)]  # sequences keep rising: new dedup keys


def test_an_alertmanager_receiver_is_refreshed_every_minute() -> None:
    """Alertmanager forgets an alert not re-sent: the pager gets the page again one minute later."""
    pager = NOTIFY.receiver("pager")
    _, changed = transitions({}, [(pager, PAGE)], T0, NOTIFY)
    states = states_of(changed, {})
    assert transitions(states, [(pager, PAGE)], T0 + US_PER_MINUTE - 1, NOTIFY) == ((), ())
    notices, _ = transitions(states, [(pager, PAGE)], T0 + US_PER_MINUTE, NOTIFY)
    assert told(notices) == [("pager", NoticeStatus.FIRING, 1)]


def test_without_send_resolved_the_state_ends_silently() -> None:
    """SendResolved false: no resolved notice, but the state stops firing so the next episode fires."""
    quiet = NOTIFY.model_copy(update={"send_resolved": False})
    hook = quiet.receiver("sre-hook")
    _, changed = transitions({}, [(hook, SILENT)], T0, quiet)
    notices, changed = transitions(states_of(changed, {}), [], T0 + US_PER_MINUTE, quiet)
    assert notices == ()
    assert changed == (NoticeState("sre-hook", SILENT.key, EventKind.SILENT_SOURCE, False, T0, T0 + US_PER_MINUTE, 0),)


def test_a_one_shot_condition_is_told_once_ever() -> None:
    """A breach: told at T0, never again while it is found, nor resolved when it is no longer found."""
    customer = NOTIFY.receiver("customer")
    notices, changed = transitions({}, [(customer, BREACH)], T0, NOTIFY)
    assert told(notices) == [("customer", NoticeStatus.FIRING, 0)]
    assert changed == (NoticeState("customer", BREACH.key, EventKind.BREACH, False, T0, T0, 0),)
    states = states_of(changed, {})
    assert transitions(states, [(customer, BREACH)], T0 + 30 * 24 * US_PER_HOUR, NOTIFY) == ((), ())
    assert transitions(states, [], T0 + 31 * 24 * US_PER_HOUR, NOTIFY) == ((), ())


def test_a_repeated_tick_owes_the_same_notices() -> None:
    """The same previous states and tick give the same notices: their dedup keys make the repeat harmless."""
    pairs = route(NOTIFY, [PAGE, BREACH])
    first = transitions({}, pairs, T0, NOTIFY)
    assert first == transitions({}, pairs, T0, NOTIFY)
    assert [n.dedup_key for n in first[0]] == [
        f"pager|{PAGE.key}|firing|0",
        f"sre-hook|{PAGE.key}|firing|0",
        f"customer|{BREACH.key}|firing|0",
        f"sre-hook|{BREACH.key}|firing|0",
    ]


@settings(max_examples=300, deadline=None)
@given(
    ticks=st.lists(
        st.tuples(st.integers(min_value=1, max_value=180), st.booleans(), st.booleans()), min_size=1, max_size=60
    ),
    send_resolved=st.booleans(),
)
def test_no_storm_one_resolve_per_episode_one_shot_at_most_once(
    ticks: list[tuple[int, bool, bool]], send_resolved: bool
) -> None:
    """Over random ticks where a page and a breach hold or not, each tick owes exactly what the rules say.

    Per receiver of the page: an episode's first tick fires once; a later tick of it repeats only
    once the repeat interval (1 h; the Alertmanager receiver 1 min) has passed since the last send;
    the first tick without it resolves once (when sendResolved); sequences rise by one; the
    breach is told once, ever.
    """
    notify = NOTIFY.model_copy(update={"send_resolved": send_resolved})
    receivers = [(notify.receiver("sre-hook"), US_PER_HOUR), (notify.receiver("pager"), US_PER_MINUTE)]
    customer = notify.receiver("customer")
    states: dict[tuple[str, str], NoticeState] = {}
    last_sent = dict.fromkeys(("sre-hook", "pager"), -1)
    sequences: dict[str, list[int]] = {"sre-hook": [], "pager": []}
    breaches = 0
    now, held = T0, False
    for minutes, holds, breach_found in ticks:
        now += minutes * US_PER_MINUTE
        pairs = [(r, PAGE) for r, _ in receivers if holds] + ([(customer, BREACH)] if breach_found else [])
        notices, changed = transitions(states, pairs, now, notify)
        states = states_of(changed, states)
        breaches += sum(1 for n in notices if n.condition.key == BREACH.key)
        for receiver, repeat in receivers:
            mine = told([n for n in notices if n.receiver == receiver.name])
            if holds and (not held or now - last_sent[receiver.name] >= repeat):
                assert [status for _, status, _ in mine] == [NoticeStatus.FIRING]
                last_sent[receiver.name] = now
            elif not holds and held and send_resolved:
                assert [status for _, status, _ in mine] == [NoticeStatus.RESOLVED]
            else:
                assert mine == []
            sequences[receiver.name] += [sequence for _, _, sequence in mine]
        held = holds
    assert breaches == (1 if any(found for _, _, found in ticks) else 0)
    for sequence in sequences.values():
        assert sequence == sorted(set(sequence))  # rising: every notice has its own dedup key
        if send_resolved:
            assert sequence == list(range(len(sequence)))


def test_envelopes_take_the_receivers_channel_language_and_addresses() -> None:
    """Customer e-mail without `to` goes to the customer's contact in zh-CN; the hook carries its secret's name."""
    shop = agreement(AGREEMENT)
    notice = Notice("customer", BREACH, NoticeStatus.FIRING, T0, 0)
    [mail] = envelopes(notice, NOTIFY.receiver("customer"), shop)
    assert (mail.channel, mail.party, mail.language, mail.to, mail.agreement_title) == (
        Channel.EMAIL,
        "customer",
        "zh-CN",
        ("sla@customer.example",),
        "Shop SLA",
    )
    [hook] = envelopes(notice, NOTIFY.receiver("sre-hook"), shop)
    assert (hook.channel, hook.party, hook.language, hook.url, hook.secret_env, hook.to) == (
        Channel.WEBHOOK,
        "provider",
        "en",
        "https://hooks.example/sla",
        "HOOK_SECRET",
        (),
    )
    [pager] = envelopes(notice, NOTIFY.receiver("pager"), shop)
    assert (pager.channel, pager.url) == (Channel.ALERTMANAGER, "http://127.0.0.1:9093")
    [noc] = envelopes(notice, NOTIFY.receiver("noc-mail"), shop)
    assert noc.to == ("noc@provider.example", "lead@provider.example")
    provider_mail = Receiver.model_validate({"name": "ops", "email": {}})
    assert envelopes(notice, provider_mail, shop)[0].to == ("noc@provider.example",)


def test_a_resolved_notice_gets_the_agreements_name_in_its_envelope() -> None:
    """Resolved with nothing holding, the rebuilt condition lacks the agreement; the envelope fills it."""
    state = NoticeState("sre-hook", SILENT.key, EventKind.SILENT_SOURCE, True, T0, T0, 0)
    [notice], _ = transitions({("sre-hook", SILENT.key): state}, [], T0 + US_PER_MINUTE, NOTIFY)
    assert notice.condition.agreement == ""
    assert (notice.condition.objective, notice.condition.severity) == ("api-availability", "warning")
    [envelope] = envelopes(notice, NOTIFY.receiver("sre-hook"), agreement(AGREEMENT))
    assert envelope.notice.condition.agreement == "shop"
    assert envelope.dedup_key == f"sre-hook|{SILENT.key}|resolved|1|webhook"


def test_a_receiver_removed_from_notify_is_not_sent_the_resolve() -> None:
    """A page fired to `old-pager`, which the block no longer declares: its state ends, nothing is sent."""
    state = NoticeState("old-pager", PAGE.key, EventKind.BURN_RATE, True, T0, T0, 4)
    notices, changed = transitions({("old-pager", PAGE.key): state}, [], T0 + US_PER_MINUTE, NOTIFY)
    assert notices == ()
    assert changed == (NoticeState("old-pager", PAGE.key, EventKind.BURN_RATE, False, T0, T0 + US_PER_MINUTE, 4),)

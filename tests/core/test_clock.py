"""The clock (core/clock.py): every host starts one; through the shared cache one runs each round."""

from __future__ import annotations

from masthead.core.clock import claim_round


def test_one_clock_of_several_hosts_claims_each_round() -> None:
    """Two hosts' clocks a few seconds apart in the same minute: the first runs the round, the
    second skips it; in the next minute the round is again one clock's, whichever asks first."""
    start = 1_800_000_000.0 // 60 * 60  # the start of a minute
    assert claim_round(60, now=start + 5)  # host A
    assert not claim_round(60, now=start + 41)  # host B, same round
    assert claim_round(60, now=start + 65)  # host B first in the next round
    assert not claim_round(60, now=start + 101)  # host A
    assert claim_round(30, now=start + 5)  # another interval counts rounds of its own

"""Orders: numbers in drafts, the back-office remark and the reminder schedule (pure logic)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from bot.errors import UserError
from bot.orders.numbers import OrderNumbers
from bot.orders.remarks import MAX_REMARK_BYTES, build_remark, check_remark_format
from bot.orders.reminders import ReminderPolicy

NUMBERS = OrderNumbers(Settings.model_fields["order_number_pattern"].default)
AT = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize(("text", "found"), [
    ("亲，订单3812345678901234567已经发货了", ["3812345678901234567"]),
    ("单号 3812345678901234567 和 2812345678901234567", ["3812345678901234567", "2812345678901234567"]),
    ("3812345678901234567，3812345678901234567", ["3812345678901234567"]),
    ("电话13812345678", []),  # a mobile number is not an order
    ("快递单号SF1234567890123", []),
    ("金额12345.67元", []),
    ("38123456789012345678901", []),  # too long for an order number
])
def test_order_numbers_in_drafts(text: str, found: list[str]) -> None:
    assert NUMBERS.find(text) == found


def test_a_span_flagged_as_personal_data_is_not_an_order() -> None:
    text = "身份证110105199003078338"
    assert NUMBERS.find(text) == ["110105199003078338"]
    assert NUMBERS.find(text, excluded=[(3, 21)]) == []


@pytest.mark.parametrize(("typed", "number"), [
    ("3812345678901234567", "3812345678901234567"), ("3812-3456-7890-1234-567", "3812345678901234567"),
])
def test_an_order_typed_alone(typed: str, number: str) -> None:
    assert NUMBERS.parse(typed) == number


@pytest.mark.parametrize("typed", ["12345", "13812345678", "abc", ""])
def test_not_an_order_number(typed: str) -> None:
    with pytest.raises(UserError) as error:
        NUMBERS.parse(typed)
    assert error.value.key == "order.bad_number"


def test_the_remark_holds_order_note_agent_and_date() -> None:
    remark = build_remark("{order_id} {note} {agent_id} {date}", order_id="3812345678901234567", note="",
                          agent_id="A07", agent_name="慧兰", at=AT, flag_colour=1)
    assert remark.text == "3812345678901234567 A07 11-23" and remark.flag == "🔴 红旗"
    remark = build_remark("{note}，{agent_name}{agent_id} {time}", order_id="1", note=" 赠品 ", agent_id="A07",
                          agent_name="慧兰", at=AT, flag_colour=3)
    assert remark.text == "赠品，慧兰A07 14:05" and remark.flag == "🟢 绿旗"


def test_a_remark_over_taobaos_limit_is_refused() -> None:
    note = "很" * (MAX_REMARK_BYTES // 3)
    with pytest.raises(UserError) as error:
        build_remark("{note} {agent_id}", order_id="1", note=note, agent_id="A07", agent_name="x", at=AT, flag_colour=1)
    assert error.value.key == "order.remark_too_long" and error.value.values["size"] > MAX_REMARK_BYTES


@pytest.mark.parametrize(("template", "problem"), [
    ("{order_id} {note}", "must contain {agent_id}"),
    ("{order} {agent_id}", "unknown fields"),
    ("{agent_id", "order remark format"),
])
def test_bad_remark_formats_are_refused_at_start_up(template: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        check_remark_format(template)


def test_reminders_after_a_delay_then_again_then_stop() -> None:
    policy = ReminderPolicy(delay=timedelta(minutes=10), repeat=timedelta(minutes=30), max_reminders=2)
    assert policy.first(AT) == AT + timedelta(minutes=10)
    assert policy.after(AT, reminders_sent=1) == AT + timedelta(minutes=30)
    assert policy.after(AT, reminders_sent=2) is None

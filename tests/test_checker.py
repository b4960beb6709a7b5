"""The banned-phrase checker against the shipped knowledge: what the handbooks forbid is
caught in every spelling real typing produces, and what they allow passes."""

from __future__ import annotations

import opencc
import pytest

from bot.checker.engine import Checker
from bot.checker.result import CheckResult

TO_TRADITIONAL = opencc.OpenCC("s2t")

# Banned phrases printed in the handbooks (../shared/seeds), each with the rule it breaks.
SEED_BANNED = [
    ("这不是我们的问题，我们不负责哦", "shirk.not_our_problem"),  # 淘宝客服管理制度 篇4 嚴禁事項
    ("我们不补货了", "stock.no_restock"),  # 篇4: 嚴禁說我們不補貨了
    ("喂，在吗", "taboo.wei"),  # 客服部規章制度 篇4: 不準講“喂、不知道、不關我的事”
    ("这个我不知道", "taboo.dont_know"),
    ("这不关我的事", "taboo.not_my_business"),
    ("我不能给您改价格", "negative.i_cannot"),  # 篇2: 避免使用負面語言
    ("这个我不会弄", "negative.i_wont"),
    ("我不愿意这样处理", "negative.i_wont"),
    ("我不可以帮您改地址", "negative.i_cannot"),
    ("质量很好，但是有点色差", "negative.but"),
    ("您自己去页面查看吧", "self_service.look_it_up"),  # 守则: 不可讲让客人自己去页面查看
    ("你好，在的", "honorific.ni"),  # 篇4: 嚴禁不使用敬語，必須使用您、親
]

NOISE = ["*", " ", "😀", "～", "·", "_", "-", "♥", "\u200b"]


def _with_noise(text: str, noise: str) -> str:
    """Insert ``noise`` between the characters of each clause (not around punctuation)."""
    return "".join(ch + noise if ch not in "，。！？" else ch for ch in text).rstrip(noise)


def _rules(result: CheckResult) -> set[str]:
    return {flag.rule for flag in result.flags}


@pytest.mark.parametrize(("draft", "rule"), SEED_BANNED)
def test_seed_banned_phrase_is_caught(checker: Checker, draft: str, rule: str) -> None:
    assert rule in _rules(checker.check(draft))


@pytest.mark.parametrize(("draft", "rule"), SEED_BANNED)
def test_seed_banned_phrase_is_caught_in_traditional(checker: Checker, draft: str, rule: str) -> None:
    traditional = TO_TRADITIONAL.convert(draft)
    assert rule in _rules(checker.check(traditional))


@pytest.mark.parametrize("noise", NOISE)
@pytest.mark.parametrize(("draft", "rule"), SEED_BANNED)
def test_seed_banned_phrase_is_caught_with_noise(checker: Checker, draft: str, rule: str, noise: str) -> None:
    noisy = _with_noise(TO_TRADITIONAL.convert(draft), noise)
    assert rule in _rules(checker.check(noisy)), noisy


@pytest.mark.parametrize(
    "draft",
    [
        "這不是我們的問題，我們不負責哦",  # as printed (traditional) in the handbook
        "我們不補貨了",
        "不關我的事",
        "ＮＯ，这*不*是 我们的 问题",
        "这 不是 我们的 问题",
        "这不是我们这边的问题",  # near miss
        "这个不是我们家的问题",
        "我们这边概不负责",
    ],
)
def test_variants_are_blocked(checker: Checker, draft: str) -> None:
    assert checker.check(draft).verdict == "block", draft


@pytest.mark.parametrize(
    "draft",
    [
        "不知道您方便什么时候收货呢？",
        "宝宝喂养的问题可以咨询我们哦",
        "这款奶瓶适合喂奶",
        "我们会负责到底的，请您放心",
        "是我们的问题，我们一定会承担",
        "不，可能要晚一天，非常抱歉",
        "谢谢光临，欢迎再来，再见！",  # the shop handbooks recommend it
        "您的订单号是123456789012345678，已经发货了",  # an order number is not personal data
        "快递单号SF1234567890123，请您留意查收",
        "迷你款也有货哦",
        "滚筒洗衣机可以洗的",
        "USB接口是通用的",
        "亲，这款工厂不再生产了，给您推荐一款相似的好吗？",
        "如果您拍错了，可以联系我们修改",
        "对不起，刚才疏忽了，给您添麻烦了，实在抱歉，今后一定注意，不再发生这类事。",
        "不行的话我们再给您换一个",
    ],
)
def test_legitimate_look_alikes_pass(checker: Checker, draft: str) -> None:
    result = checker.check(draft)
    assert result.verdict == "ok", [(f.rule, f.matched) for f in result.flags]


def test_negation_is_never_turned_around(checker: Checker) -> None:
    assert checker.check("是我们这边的问题，我们马上处理").verdict == "ok"


def test_spans_map_back_to_the_original_draft(checker: Checker) -> None:
    draft = "亲~這*不*是 我們的 問題，您看"
    result = checker.check(draft)
    (flag,) = [f for f in result.flags if f.rule == "shirk.not_our_problem"]
    assert draft[flag.start : flag.end] == flag.matched == "這*不*是 我們的 問題"


def test_flag_carries_reason_and_suggestions(checker: Checker) -> None:
    result = checker.check("我们不补货了")
    (flag,) = result.flags
    assert flag.severity == "block"
    assert "不補貨" in flag.reason or "不补货" in flag.reason
    assert flag.suggestions[0] == "工厂不再生产了"
    assert result.rewrite == "工厂不再生产了"


def test_rewrite_applies_each_flag(checker: Checker) -> None:
    result = checker.check("你好，质量很好，但是有点色差")
    assert result.verdict == "warn"
    assert result.rewrite == "您好，质量很好，不过有点色差"
    assert checker.check(result.rewrite).verdict == "ok"


def test_clean_draft_has_no_rewrite(checker: Checker) -> None:
    result = checker.check("亲，您好，很高兴为您服务")
    assert result.to_json() == {"text": "亲，您好，很高兴为您服务", "verdict": "ok", "flags": [], "rewrite": None}


@pytest.mark.parametrize(
    ("draft", "rule"),
    [
        ("您的电话是13812345678吗", "privacy.mobile_number"),
        ("收件人电话 138 1234 5678", "privacy.mobile_number"),
        ("身份证号11010519491231002X", "privacy.id_card_number"),
        ("银行卡号6222021234567890128", "privacy.bank_card_number"),
        # mobiles with a country prefix or split up
        ("已经给您登记了，联系电话0086-13912345678", "privacy.mobile_number"),
        ("您留的号码 +86 159 0000 1234 打不通", "privacy.mobile_number"),
        ("麻烦您确认下 139-1234-5678 这个号", "privacy.mobile_number"),
        # a landline introduced as a number
        ("您登记的号码 0571-8765 4321 我们已经备注", "privacy.mobile_number"),
        # Taiwan's mobiles and IDs (身分證 is Taiwan's spelling)
        ("收件人 陳小姐 0912345678，麻煩您確認", "privacy.mobile_number"),
        ("聯絡電話 +886 912 345 678", "privacy.mobile_number"),
        ("身分證字號 A123456789 已幫您登記", "privacy.id_card_number"),
        # an ID number with a mistyped check digit, not named as one: a real province code
        ("开票信息：张明 320583199001016719，明天寄出", "privacy.id_card_number"),
        ("他的号码是110105198806051239", "privacy.id_card_number"),
        # a 15-digit old ID named as one
        ("老身份证号 320583900101671 已提交", "privacy.id_card_number"),
        # a card named by any word ending in 卡, or an account
        ("工资卡 6217 0012 3456 7890 122 已经帮您登记", "privacy.bank_card_number"),
        ("退款会打到您的农行卡 6228 4800 1234 5678 911", "privacy.bank_card_number"),
        ("卡是6222021234567890128对吧", "privacy.bank_card_number"),
        ("您的收款账户6222021234567890128，三天内到账", "privacy.bank_card_number"),
        ("信用卡 4367 4212 3456 7896 已经绑定", "privacy.bank_card_number"),
        # a UnionPay-shaped number without any name
        ("好的，6258 0712 3456 7890 121 这张我记下了", "privacy.bank_card_number"),
        # another customer's or a colleague's data
        ("另一位买家的邮箱是wanghong88@163.com，您可以联系她", "privacy.others_data"),
        ("之前那个客户的qq是123456789", "privacy.others_data"),
        ("我同事的微信是abc123456，您加她", "privacy.others_data"),
        ("别的顾客也住这个小区，地址是 海淀区中关村大街27号3单元", "privacy.others_data"),
        ("另外一个顾客住在朝阳区望京88号，您俩可以拼单", "privacy.others_data"),
        ("上一个买家的名字叫张伟", "privacy.others_data"),
        ("您直接加我们主管微信：zg2026", "privacy.others_data"),
        ("这是我们同事小王的微信 wxid_abc123，您直接加她", "privacy.others_data"),
    ],
)
def test_personal_data_is_blocked(checker: Checker, draft: str, rule: str) -> None:
    assert rule in _rules(checker.check(draft))


def test_order_number_shaped_like_an_id_card_is_not_personal(checker: Checker) -> None:
    assert checker.check("订单号11010519491231002X").verdict == "ok"


def test_a_gansu_id_number_is_one_flag_not_also_a_card(checker: Checker) -> None:
    """620102… is both UnionPay-shaped and a Gansu ID (Luhn-valid by chance): one flag, so the
    rewrite can hide it."""
    result = checker.check("帮您登记了 620102199001011057")
    assert _rules(result) == {"privacy.id_card_number"}
    assert result.rewrite == "帮您登记了 （证件号已隐去）"


@pytest.mark.parametrize(
    "draft",
    [
        # order, tracking and transaction numbers, named before or after
        "订单3812345678901234567已发货",
        "订单 6222 0212 3456 7890 128 已经发货",
        "6222021234567890128这个订单已经发货",
        "订单号620102199001011233已发货",
        "快递单号 320583199001016711",
        "订单号码 0123456789 已发货",
        "单号 320583900101671 已揽收",
        "支付宝交易号 2026120722001412345678 已退款",
        "快递单号SF1234567890，请留意",
        # other numbers with a shape of their own
        "商品条码 110105880605123",
        "总价12345.67元，已经帮您改好了",
        "下单时间20261207153000",
        "型号 XR-2026-128 有货",
        # letters and digits that are codes, not IDs
        "优惠码 A123456789 下单时可以用",
        "型号 AB1234567 现在有货",
        # a masked mobile
        "收件人电话138****5678，您核对一下",
        # the shop's own line
        "售后电话 021-12345678，工作日都在",
        "门店座机 0571-88886666 欢迎来电",
        # the customer's own address, read back to them
        "您的收货地址是北京市朝阳区建国路88号，对吗？",
        "另外一个买家也反馈了，您的收货地址是朝阳区建国路88号对吗",
        "另一位客户也买了，订单号码是3812345678901234567",
        # another customer's data, refused
        "同事的电话不方便给您，我帮您转达",
        "别的买家的地址是保密的",
        # a colleague who is no contact: the shop's line, or the customer's own address
        "售后同事的电话是400-820-8820，有问题随时打",
        "同事已经帮您改好了地址，新地址是北京市海淀区27号",
        "同事稍后电话联系您，大概10分钟",
    ],
)
def test_shop_numbers_and_refusals_are_not_personal_data(checker: Checker, draft: str) -> None:
    assert not {r for r in _rules(checker.check(draft)) if r.startswith("privacy.")}


def test_every_approved_phrasing_passes(checker: Checker) -> None:
    flagged = {}
    for phrasing in checker.knowledge.phrasings:
        result = checker.check(phrasing.text)
        if result.flags:
            flagged[phrasing.id] = [(f.rule, f.matched) for f in result.flags]
    assert not flagged


def test_every_rule_suggestion_passes(checker: Checker) -> None:
    for rule in checker.knowledge.rules:
        for text in rule.replace:
            assert checker.check(text).verdict == "ok", (rule.id, text)


def test_rewrite_replaces_whole_clauses_with_approved_sentences(checker: Checker) -> None:
    result = checker.check("亲，这不是我们的问题，你去找快递吧")
    assert result.verdict == "block"
    assert result.rewrite is not None and result.rewrite.startswith("亲，") and "亲，亲" not in result.rewrite
    assert "这不是我们的问题" not in result.rewrite and "找快递吧" not in result.rewrite
    assert checker.check(result.rewrite).verdict == "ok"

"""Contexts where a rule's words mean no harm: negation, questions to the customer, an
offer made instead, room left, the fault owned."""

from __future__ import annotations

import pytest

from bot.checker.context import ALTERNATIVE, BACKED, NEGATED, OWNED, asks_the_customer, harmless_clause, negated
from bot.checker.engine import Checker
from bot.checker.normalize import normalise


@pytest.mark.parametrize(("draft", "rule", "flagged"), [
    # negation turns blame into reassurance …
    ("这不是您的问题，快递送错了楼栋", "conduct.blame_customer", False),
    ("不是您的错哦，是系统库存有延迟", "conduct.blame_customer", False),
    ("亲，不怪您，我们马上处理", "conduct.blame_customer", False),
    ("这个是您的问题，您自己没看清楚", "conduct.blame_customer", True),
    ("是你自己拍错了", "conduct.blame_customer", True),
    # … and an offer of help
    ("亲，不用您自己查，物流我帮您盯着", "self_service.look_it_up", False),
    ("您自己查一下物流吧", "self_service.look_it_up", True),
    # a rule whose words are a denial does not opt in
    ("这不是我们的问题", "shirk.not_our_problem", True),
    # a question put to the customer
    ("不知道您方便什么时候收货呢？", "taboo.dont_know", False),
    ("不知道这样处理您是否满意呢？有其他想法可以跟我说", "taboo.dont_know", False),
    ("我也不知道呢", "taboo.dont_know", True),
    ("不知道，您问快递吧", "taboo.dont_know", True),
    ("這個我不知道", "taboo.dont_know", True),
    ("这我哪知道啊亲", "taboo.dont_know", True),
    # … or one asking what only the customer knows; the agent's own not knowing is still refused
    ("不知道是哪个位置破了呢？麻烦拍张照片给我们看看", "taboo.dont_know", False),
    ("不知道宝宝现在多重了？我帮您推荐尺码", "taboo.dont_know", False),
    ("我也不知道是哪个呢？", "taboo.dont_know", True),
    ("不知道怎么回事呢", "taboo.dont_know", True),
    # an offer to do it for the customer, but not a rhetorical question turning the negation back
    ("您不用自己去找快递，我来联系", "shirk.push_to_third_party", False),
    ("你不会自己去找快递吗", "shirk.push_to_third_party", True),
    ("难道您不会自己去找快递？", "shirk.push_to_third_party", True),
    ("你自己去找快递吧", "shirk.push_to_third_party", True),
    # 喂 calls the customer only where a clause opens with it; inside one it feeds
    ("喂？还在吗", "taboo.wei", True),
    ("哎喂，您的包裹被退回来了", "taboo.wei", True),
    ("亲，喂，看一下消息", "taboo.wei", True),
    ("猫咪一天喂两次，每次半勺就够", "taboo.wei", False),
    ("幼犬可以定时喂，少量多餐", "taboo.wei", False),
    ("这款奶粉可以用来喂幼猫的", "taboo.wei", False),
    # trash is no insult
    ("这款垃圾袋是加厚的，装湿垃圾也不会漏", "rude.profanity", False),
    ("这什么垃圾东西", "rude.profanity", True),
    # a refusal with something offered instead is the handbooks' way; alone it is warned
    ("不好意思，地址改不了了哦", "refusal.hard", True),
    ("地址改不了了，我帮您联系快递转寄，您看可以吗？", "refusal.hard", False),
    ("不好意思哦，不能帮您留货", "refusal.hard", True),
    # … in the many ways agents say it: not available, cannot, unsupported, too late
    ("礼品卡已经没有了，抱歉哈", "refusal.hard", True),
    ("这个色号没货了呢", "refusal.hard", True),
    ("這款已經賣光了，不好意思", "refusal.hard", True),
    ("修改收货时间这边做不了哦", "refusal.hard", True),
    ("抱歉，目前不支持分期付款", "refusal.hard", True),
    ("亲，我们暂时不提供包装服务哈", "refusal.hard", True),
    ("恐怕不太行呢亲", "refusal.hard", True),
    ("订单已经出库了，拦截不了的", "refusal.hard", True),
    ("这单没法走加急了，抱歉", "refusal.hard", True),
    ("不好意思，满减券已经过期了", "refusal.hard", True),
    ("亲，纸质发票这边开不出来", "refusal.hard", True),
    ("这个价格我这边没有权限改", "refusal.hard", True),
    ("抱歉，这个真没办法了", "refusal.hard", True),
    ("不好意思亲，您的订单已超过保价期", "refusal.hard", True),
    ("这个赠品我们是不送的哦", "refusal.hard", True),
    ("亲，定制款没有办法提前发货", "refusal.hard", True),
    # … and with something offered, a question put to the customer, or no service refused, clean
    ("这个色号没货了，下周到货我第一时间通知您", "refusal.hard", False),
    ("抱歉，目前不支持分期，您可以用信用卡付款", "refusal.hard", False),
    ("礼品卡已经没有了，给您换成一张8元券可以吗？", "refusal.hard", False),
    ("这款没有优惠了，不过满两件包邮哦", "refusal.hard", False),
    ("是不是优惠券用不了呀？截图发我看看", "refusal.hard", False),
    ("这双鞋不能机洗，用软刷蘸清水刷就好", "refusal.hard", False),
    ("这台音箱不支持蓝牙5.0，连手机没问题", "refusal.hard", False),
    ("快递一般三天到，用不了多久的", "refusal.hard", False),
    ("没办法给您包邮，真不好意思", "refusal.hard", True),  # an offer word inside the refusal offers nothing
    ("这双鞋不可能给您退的", "refusal.hard", True),
    ("地址改不了哦，还有什么可以帮您的吗？", "refusal.hard", True),  # a closing offers nothing
    ("活动结束了，不能再用券了，您看可以吗？", "refusal.hard", True),  # nor does an empty 商量语
    ("活动结束了，我给您申请一张新券，您看可以吗？", "refusal.hard", False),
    # a promise negated is honesty
    ("亲，这个我们没办法保证明天到，预计后天", "promise.over_promise", False),
    ("放心，肯定明天到", "promise.over_promise", True),
    # … and so is leaving room (一般/大部分/正常使用), in the clause of the assurance
    ("这款T恤正常洗一般不会掉色", "promise.over_promise", False),
    ("这款T恤绝对不会掉色", "promise.over_promise", True),
    ("一般三天到，这个颜色您肯定喜欢", "promise.over_promise", True),
    ("正常情况下保证明天到", "promise.over_promise", True),
    ("这个杯子一般绝对不可能摔坏", "promise.over_promise", True),
])
def test_harmless_contexts(checker: Checker, draft: str, rule: str, flagged: bool) -> None:
    assert (rule in {f.rule for f in checker.check(draft).flags}) is flagged


@pytest.mark.parametrize(("before", "expected"), [
    ("这不", True), ("不用您", True), ("并非", True), ("没有怪", False), ("这", False), ("|不", True),
    ("不敢给您", True), ("没有谁能", True), ("我也不跟您说", True), ("我跟您说", False), ("我不能保证", True),
])
def test_negation_before_the_words(before: str, expected: bool) -> None:
    text = normalise(before + "是您的问题").text
    assert negated(text, len(text) - len("是您的问题")) is expected


@pytest.mark.parametrize(("rest", "expected"), [
    ("您方便吗？", True), ("亲喜欢哪个颜色呢", True), ("呢", False), ("呢亲", False), ("，您问别人吧", False),
    ("是哪个位置破了呢？", True), ("宝宝现在多重了？", True), ("怎么回事呢", False), ("为什么呢？", False),
])
def test_a_question_to_the_customer(rest: str, expected: bool) -> None:
    assert asks_the_customer("不知道" + rest, 0, 3) is expected


@pytest.mark.parametrize("draft", [
    "这台是傻瓜相机，不用调参数", "这件T恤是纯棉100%含量", "这款毛衣是100%羊毛", "支持30天价格保证",
])
def test_compounds_and_product_facts_are_clean(checker: Checker, draft: str) -> None:
    assert checker.check(draft).verdict == "ok"


@pytest.mark.parametrize(("draft", "rule"), [
    ("清关需要的身份证号我帮您填了 320583199001016710", "privacy.id_card_number"),  # mistyped check digit
    ("這位客人電話0933123456，您幫忙轉寄一下", "privacy.mobile_number"),
    ("收件人手机号：１３６１１２２３３４４", "privacy.mobile_number"),
    ("联系电话 159 l234 5o78，快递会打给您", "privacy.mobile_number"),  # l and o typed for 1 and 0
    ("快递说您家杭州市西湖区文三路18号2单元502门口没人", "privacy.street_address"),
    ("包裹放在朝阳区建国路9号的驿站了", "privacy.street_address"),
])
def test_personal_data_as_agents_paste_it(checker: Checker, draft: str, rule: str) -> None:
    assert rule in {f.rule for f in checker.check(draft).flags}


@pytest.mark.parametrize("draft", [
    "订单号320583199001016710已发货", "客服热线400-820-8820，工作日9点到18点",
    # the shop's own return address, and the customer's read back to check, are the agent's job
    "退货地址：杭州市余杭区文一西路88号菜鸟仓库，收件人售后部",
    "亲，跟您核对一下地址：杭州市西湖区文三路18号2单元502，对吗？",
    "12月3号发货，路上大概3天", "我们这里18号统一发货",
])
def test_shop_numbers_are_not_personal_data(checker: Checker, draft: str) -> None:
    assert not [f for f in checker.check(draft).flags if f.rule.startswith("privacy.")]


@pytest.mark.parametrize(("clause", "expected"), [
    ("您不用自己去找快递", True), ("亲不必跑一趟快递点", True), ("您完全不需要再填一遍", True),
    ("您自己去找快递", False), ("不是我们的问题", False), ("快递的事我们不用管", False),
])
def test_a_clause_that_opens_reassuring(clause: str, expected: bool) -> None:
    """What silences the intent model's clause for a rule that opts in to ``negated``."""
    assert harmless_clause((NEGATED,), clause, 0, len(clause)) is expected


@pytest.mark.parametrize(("draft", "expected"), [
    ("地址改不了了|我帮您联系快递转寄", True), ("地址改不了了", False),
])
def test_an_alternative_silences_the_clause_too(draft: str, expected: bool) -> None:
    assert harmless_clause((ALTERNATIVE,), draft, 0, 6) is expected


@pytest.mark.parametrize(("clause", "expected"), [
    ("运输途中破损的责任在我们", True), ("这次是我们仓库的疏忽", True), ("运费我们来承担", True),
    ("责任不在我们", False), ("我们承担不了", False), ("您说是我们的问题", False),
    ("这不在我们负责范围内", False), ("不是我们的问题", False),
])
def test_a_clause_that_owns_the_fault(clause: str, expected: bool) -> None:
    """What silences the intent model (and a rule's words) for a rule that opts in to ``owned``."""
    text = normalise(clause).text
    assert harmless_clause((OWNED,), text, 0, len(text)) is expected


@pytest.mark.parametrize(("draft", "expected"), [
    ("投诉的话您可以找平台客服|我们也会积极配合处理", True), ("您可以联系快递|我这边也帮您催一下", True),
    ("您去找快递公司问问吧", False), ("您自己联系快递|我们管不了", False),
])
def test_the_shop_staying_on_it_backs_a_referral(draft: str, expected: bool) -> None:
    """What silences the intent model's clause (and the rule's words) for a rule that opts in to
    ``backed``: the shop shares the work rather than passing it on."""
    assert harmless_clause((BACKED,), draft, 0, 6) is expected

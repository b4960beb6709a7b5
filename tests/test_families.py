"""The families of issue 13 in the handbooks' terms, in agents' own words (our sentences, not
the evaluation sets'): each is flagged as its rule; the look-alikes beside them are not."""

from __future__ import annotations

import pytest

from bot.checker.engine import Checker

FLAGGED = [
    # blaming the customer for how they used, washed, chose or filled in
    ("是您自己没看清楚尺码表", "conduct.blame_customer"),
    ("地址是你自己填错了的，退回来运费您出", "conduct.blame_customer"),
    ("谁让您当时不选顺丰呢", "conduct.blame_customer"),
    # arguing, dismissing a complaint
    ("您别乱说，我们卖的都是正品", "conduct.argue"),
    ("这不算起球，是正常现象", "conduct.argue"),
    ("您这个要求不合理", "conduct.argue"),
    ("就晚了一天，至于吗", "conduct.argue"),
    # impatience, brush-offs
    ("别一直问了，有消息会告诉您", "conduct.impatient"),
    ("怎么又问这个", "conduct.impatient"),
    ("好了好了，知道了", "conduct.impatient"),
    # mocking competence
    ("您是不是不识字啊", "conduct.mocking"),
    ("您脑子转得有点慢哈", "conduct.mocking"),
    # passing the buck inside the team
    ("这单不归我管，您问之前的客服", "shirk.colleague"),
    ("那是白班同事的事，您明天问她们", "shirk.colleague"),
    ("我只负责售前，售后的事别问我", "shirk.colleague"),
    # denying a mistake
    ("我们仓库不可能发错", "shirk.deny_mistake"),
    ("我们这边操作没有任何问题", "shirk.deny_mistake"),
    # "I don't know", colloquially
    ("这我哪知道啊亲", "taboo.dont_know"),
    ("不造诶，您等等看吧", "taboo.dont_know"),
    # promises that cannot be kept, efficacy
    ("放心，肯定明天到", "promise.over_promise"),
    ("终身保修，坏了包换", "promise.over_promise"),
    # … and lighter ones: an outcome assured that no one can promise
    ("这双鞋您穿肯定合适的", "promise.over_promise"),
    ("您女儿一定会喜欢的", "promise.over_promise"),
    ("这条裤子一点都不会起球", "promise.over_promise"),
    ("这口锅怎么炒都不会粘", "promise.over_promise"),
    ("放心，这次物流肯定不会晚", "promise.over_promise"),
    ("这款您闭眼入，错不了", "promise.over_promise"),
    ("包您穿着合身", "promise.over_promise"),
    ("这次肯定不会再让您失望", "promise.over_promise"),
    ("实物一点色差都没有的亲", "promise.over_promise"),
    ("放心，京东快递一天都不会晚", "promise.over_promise"),
    ("这款精华能治好湿疹", "promise.efficacy"),
    ("国家级配方，效果最好", "promise.efficacy"),
    # personal data as pasted
    ("卡号 6222 0212 3456 7890 128 已记下", "privacy.bank_card_number"),
    ("身份证号110105198806051238帮您填好了", "privacy.id_card_number"),
    # traditional characters inside a longer sentence
    ("親，這個不是我們的問題，您找快遞吧", "shirk.not_our_problem"),
    # a mild refusal with nothing offered
    ("不好意思，地址改不了了", "refusal.hard"),
    ("这款小样已经送完了哦", "refusal.hard"),
    ("亲，我们这边不支持货到付款", "refusal.hard"),
    ("不好意思，这套只能整套买", "refusal.hard"),
    ("抱歉，满减不能和会员价一起用", "refusal.hard"),
    ("抱歉，我们目前不开纸质发票", "refusal.hard"),
    ("亲，这个颜色现在没办法预订", "refusal.hard"),
    ("抱歉，赠品不能单独购买哦", "refusal.hard"),
    ("很抱歉，本店暫不支援貨到付款", "refusal.hard"),
    # paraphrases found by the second blind dev set's misses, in our words
    ("多半是您自己摔坏的", "conduct.blame_customer"),
    ("这是您保养不当造成的", "conduct.blame_customer"),
    ("您自己也有责任，地址是您填的", "conduct.blame_customer"),
    ("这点色差算什么问题", "conduct.argue"),
    ("您说掉色就掉色？", "conduct.argue"),
    ("您再仔细看看，明明是一样的", "conduct.argue"),
    ("您收到的时候没检查吧，现在才说", "conduct.blame_customer"),
    ("是您太心急了，还没到发货时间呢", "conduct.argue"),
    ("能不能一次问完", "conduct.impatient"),
    ("识字吗", "conduct.mocking"),
    ("您这智商，我也是服了", "conduct.mocking"),
    ("您可真会挑，专挑最贵的退", "conduct.mocking"),
    ("建议您回去上个小学再来", "conduct.mocking"),
    ("再发我就举报你", "conduct.blacklist"),
    ("你这也太蠢了吧", "rude.profanity"),
    ("去你的吧", "rude.profanity"),
    ("唔知啊，问下快递", "taboo.dont_know"),
    ("不确定诶", "taboo.dont_know"),
    ("尺码标题里就写着呢", "self_service.look_it_up"),
    ("先把公告看完再来问", "self_service.look_it_up"),
    ("图片上标得明明白白的", "self_service.look_it_up"),
    ("这个问题您去问答区看看", "self_service.look_it_up"),
    ("我是售前，售后问题别找我", "shirk.colleague"),
    ("物流您在淘宝上就能查到，不用问我", "shirk.colleague"),
    ("买之前不会看看参数吗", "conduct.blame_customer"),
    ("快递丢件找我们干嘛", "shirk.not_our_problem"),
    ("明天必到", "promise.over_promise"),
    ("不管什么原因都可以退", "promise.over_promise"),
    ("一个月瘦十斤", "promise.efficacy"),
    ("用一次就白了", "promise.efficacy"),
    ("孩子吃了长高至少5厘米", "promise.efficacy"),
    ("喝一个疗程血糖就正常了", "promise.efficacy"),
    ("比进口大牌效果还好", "promise.efficacy"),
    ("什么玩意儿", "rude.profanity"),
    ("这个我也一脸懵", "taboo.dont_know"),
    ("这个超出我的知识范围了", "taboo.dont_know"),
    ("快点说，我还有别的客户", "conduct.impatient"),
    # a demeaning form of address
    ("大妈，这款不适合您这个年纪", "honorific.rude_address"),
    ("老头，你要哪个颜色", "honorific.rude_address"),
    # a card number named as one, though a digit is mistyped (fails the Luhn check)
    ("卡号是 6222 0212 3456 7890 123，退款打这张", "privacy.bank_card_number"),
]

CLEAN = [
    "不知道您方便什么时候收货呢？",
    "宝宝喂奶前记得先试一下温度",
    "这不是您的问题，是我们没有核对仔细",
    "这台是傻瓜相机，操作很简单",
    "这款的傻瓜模式很适合新手",
    "很抱歉，这种情况是公司统一的规定，还请您多多理解",
    "这件是100%纯棉的，吊牌上有成分",
    "这款是国家级非物质文化遗产的手艺人做的",
    "地址改不了了，我帮您联系快递转寄，您看可以吗？",
    "您不用反复问，有进展我第一时间告诉您",
    "您没有搞错，我们核实过了，确实少发了一件",
    "我去问问同事，马上回复您",
    "感谢您的耐心，祝您生活愉快",
    # efforts promised and what is usual are no over-promise; a shop's own guarantee is a fact
    "您放心，我们一定帮您跟进到底",
    "正常使用的话一般不会坏",
    "大部分顾客反馈尺码都挺合适的",
    "保证正品，支持专柜验货",
    "为了确保合适，建议您先量一下腰围",
    "这件羽绒服不能用洗衣机洗，建议送干洗",
    "这款耳机不支持无线充电，用数据线充就好",
    "暂时没货了，到货后我第一时间通知您",
    "您看能不能先收货，有问题我们再处理？",
    # how to use the product is no refusal, though it says 不能 or 只能
    "这件羊毛衫只能手洗哦",
    "这款精华不能和酸类一起用",
    "电池不能拆，拆了会影响保修",
    "这款手表不支持游泳佩戴，日常防水没问题",
    # a promise the agent declines to make is the opposite of one, for the rules and the model
    "我不敢给您打包票，不过顺丰一般两天能到",
    "没有谁能保证一周见效，每个人肤质不同",
    "这个我不跟您说绝对不褪色，深色单独洗会好很多",
    # words that hold a banned one
    "这只小熊蠢萌蠢萌的，孩子很喜欢",
    "如遇冒充客服的骗子，建议您拉黑对方号码",
    "这件白色的显瘦",
    "亲，裙子全长95cm，模特身高172cm穿的是S码",
    "这款奇葩款式卖得很好",
    "您快说说想要什么颜色",
    "未成年人不能购买烟酒类商品",
    "您说的那款就是这款",
    "收到的时候请当面检查哦",
    "图片上标了尺码，您可以参考一下",
    "有问题随时找我哦",
    "不用找我们，系统会自动退款",
    "家里没有尺子的话，可以用手机量一下",
    "这款老头乐电动车很适合家里老人",
    "嘿嘿，这款卖得可好了",
    "投诉的话您可以找平台客服，我们也会积极配合处理",
    # the fault taken on the shop is the opposite of passing the buck
    "运输途中磕坏的责任在我们，运费不用您出",
    "这次是我们仓库的疏忽，重新给您补发",
]


@pytest.mark.parametrize(("draft", "rule"), FLAGGED)
def test_the_family_is_flagged_as_its_rule(checker: Checker, draft: str, rule: str) -> None:
    assert rule in {f.rule for f in checker.check(draft).flags}


@pytest.mark.parametrize("draft", CLEAN)
def test_the_look_alike_is_clean(checker: Checker, draft: str) -> None:
    assert checker.check(draft).flags == ()


@pytest.mark.parametrize("draft", ["请问是哪里有问题呢？拍张照片给我看看", "您看看哪里坏了，我帮您登记售后"])
def test_asking_where_the_problem_is_is_no_argument(checker: Checker, draft: str) -> None:
    assert "conduct.argue" not in {f.rule for f in checker.check(draft).flags}


@pytest.mark.parametrize("draft", ["放心，肯定合适的，闭眼入", "这款闭眼入都不会错"])
def test_a_clause_one_rule_explains_is_not_read_as_another(checker: Checker, draft: str) -> None:
    """闭眼入 is an over-promise (a warning); the intent model, reading 闭眼, must not block it as
    profanity."""
    assert {f.rule for f in checker.check(draft).flags} == {"promise.over_promise"}

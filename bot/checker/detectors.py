"""Built-in detectors of personal data (保密: 手机, 身份证, 银行卡, 他人的联系方式).

Personal data has a shape, not a phrase, so these are small validated patterns run over the
normalised draft (spaces and dashes inside a number are already gone). Shop numbers are told
apart from personal numbers by shape and context, and an order, tracking or transaction number
named as one is never personal:

* a mainland or Taiwan mobile by shape (138…, 0933…), with or without +86 / +886 / 0086;
  another phone number (021-…) when introduced as a phone number, unless it is the shop's own
  line (客服电话, 售后热线);
* an 18-digit ID number when its birth date is valid and its check digit is, or (a mistyped
  check digit) when it starts with a real province code or is named as an ID number; a 15-digit
  old-format ID, or a Taiwan or Hong Kong ID (A123456789), only when named as one (too many shop
  numbers and codes have their shapes);
* a bank card number when it is named as a card or account (any …卡, 账户, 户号, 收款), or
  without a name when it passes the Luhn check, has the UnionPay shape (62…) and does not read
  as a Gansu ID number (62 is also Gansu's province code);
* a street address down to the door (…路200号3栋2单元1102室, or …区…路18号), unless it is the
  shop's own (退货地址, 仓库) or read back to the customer to check (核对地址, …对吗？) — what the
  handbooks ask for before every dispatch;
* another customer's or a colleague's address, phone, WeChat, QQ or e-mail given out: another
  customer named, then one of those with a value (digits or @) before anyone or anything else
  is named; or a colleague named right before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from bot.checker.normalize import SEPARATOR

Span = tuple[int, int]

# Mainland mobiles (+86 / 0086 or none), and Taiwan's (09…, or +886 9…).
_MOBILE = re.compile(
    r"(?<![0-9a-z])(?:(?:(?:\+|00)?86)?1[3-9][0-9]{9}|(?:(?:\+|00)?8869|09)[0-9]{8})(?![0-9])"
)
_ID_CARD = re.compile(
    r"(?<![0-9a-z])[1-9][0-9]{5}((?:19|20)[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9x](?![0-9a-z])"
)
_OLD_ID_CARD = re.compile(
    r"(?<![0-9a-z])[1-9][0-9]{5}([0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}(?![0-9a-z])"
)
# Taiwan (A123456789) and Hong Kong (A123456(7)) ID numbers: counted only when named as IDs.
_LETTER_ID = re.compile(r"(?<![0-9a-z])(?:[a-z][12][0-9]{8}|[a-z]{1,2}[0-9]{6}[0-9a])(?![0-9a-z])")
# First two digits of the mainland's province codes, Taiwan, Hong Kong and Macao.
_PROVINCES = frozenset(
    str(code) for code in (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47),
                           *range(50, 55), *range(61, 66), 71, 81, 82)
)
_CARD = re.compile(r"(?<![0-9a-z])[0-9]{16,19}(?![0-9])")
_UNIONPAY = "62"
_SHOP_NUMBER_CONTEXT = ("订单", "单号", "快递", "运单", "物流", "编号", "交易号", "流水号")
# 卡 ends every kind of card (工资卡, 建行卡, 卡号, 卡是…); the rest name an account.
_CARD_CONTEXT = ("卡", "账户", "帐户", "户号", "收款", "账号", "帐号")
_ID_CONTEXT = ("身份证", "身分证", "证件", "身份号", "实名")  # 身分證: Taiwan's spelling
_PHONE_CONTEXT = ("电话", "手机", "号码", "联系方式", "tel", "座机")
_SHOP_PHONE = re.compile(r"(?:客服|售后|服务|官方|门店|店铺|店里|总部|公司|我们的?)(?:电话|座机)|热线")
_PHONE = re.compile(r"(?<![0-9a-z])(?:\+?[0-9]{2,3}-?)?0[0-9]{2,3}-?[0-9]{6,8}(?![0-9])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10x98765432"
_OTHER_CUSTOMER = re.compile(r"(?:其他|其它|别的|另一|另外一?|上一|之前那?|刚才那?)[个位名]?(?:客户|顾客|买家|客人)")
_CONTACT_GIVEN = re.compile(
    r"(?:地址|住址|住在|电话|手机号?|号码|微信号?|qq号?|邮箱|身份证号?)(?:是|为|在)?\|?[^|]{0,16}?[0-9@][^|]*"
)
# Someone or something else named between the other customer and the data: the data is not
# theirs (您的地址, 退货地址, 订单号码).
_NOT_THEIRS = re.compile(r"您|你|我|店|退货|寄回|仓库|公司|售后|客服|官方|订单|单号|快递|物流")
_CONTACT_REACH = 20
# A colleague's own contact: the data right after them (主管微信, 同事小王的qq), not the shop's
# after-sales team (售后同事的电话 is the shop's line). The look-behinds come after the names: a
# pattern that opens with its words scans three times faster.
_COLLEAGUE = re.compile(
    r"(?:同事|主管|老板|经理|店长)(?<!售后同事)(?<!客服同事)[^|您你我]{0,3}?的?(?:私人)?(?=[地住电手号微q邮])"
)


# A street and its number, then the building, unit or room; or a district or county before the
# street (杭州市西湖区文三路18号). Chinese numerals count: agents type 三栋二单元.
_NUMBER = r"(?:[0-9]+|[一二三四五六七八九十百零两]+)"
_STREET = re.compile(
    rf"(?:路|街|大道|巷|弄|胡同){_NUMBER}号(?:院|楼)?"
    rf"(?P<door>(?:{_NUMBER}(?:栋|幢|号楼|座|期|区))?(?:{_NUMBER}单元)?(?:{_NUMBER}(?:楼|层))?(?:{_NUMBER}(?:室|号房|户)?)?)"
)
_DISTRICT = re.compile(r"(?:区|县|市|镇|乡)[^|]{0,10}$")
# The street's own name: the characters before 路/街 back to the district, at most six
_STREET_NAME = re.compile(r"[^|区县市镇乡省:是在家址]{0,6}$")
# The shop's own address, or the customer's read back to them to check
_ADDRESS_CONTEXT = ("退货", "寄回", "退回", "仓库", "公司", "门店", "店铺", "实体店", "售后", "我们的地址", "我们地址", "发货地")
_CHECKING = re.compile(r"核对|确认|核实|是否|对不对|有误|吗|吧(?:\||$)")

# Every phone, ID and card number holds six digits in a row (spaces and dashes are gone by now;
# a Hong Kong ID has six): one scan that skips to digits spares a draft with only a price or a
# date the detectors' patterns, whose look-behinds make them try every position.
_DIGIT_RUN = re.compile(r"[0-9]{6}").search


def _introduced_by(text: str, start: int, words: tuple[str, ...], reach: int = 8) -> bool:
    before = text[max(0, start - reach) : start]
    return any(word in before for word in words)


def _followed_by(text: str, end: int, words: tuple[str, ...], reach: int = 4) -> bool:
    after = text[end : end + reach]
    return any(word in after for word in words)


# l, i and o typed for 1 and 0 inside a number (186 2l55 7630)
_LOOKALIKE = re.compile(r"(?<=[0-9])[lio]+(?=[0-9])")
_DIGIT_OF = str.maketrans("lio", "110")


def _as_digits(match: re.Match[str]) -> str:
    return match.group(0).translate(_DIGIT_OF)


def mobile_numbers(text: str) -> Iterator[Span]:
    """Mobiles by shape (l, i, o typed for 1 and 0 read as digits); other phone numbers (021-…,
    0571-…) when introduced as one, unless as an order number or the shop's own line (售后电话
    021-…: giving it out is the agent's job)."""
    text = _LOOKALIKE.sub(_as_digits, text)  # one for one: the spans stay those of the text
    if not _DIGIT_RUN(text):
        return
    found = [match.span() for match in _MOBILE.finditer(text)]
    for match in _PHONE.finditer(text):
        if not any(s < match.end() and match.start() < e for s, e in found) and \
                _introduced_by(text, match.start(), _PHONE_CONTEXT, reach=10) and \
                not _introduced_by(text, match.start(), _SHOP_NUMBER_CONTEXT) and \
                not _SHOP_PHONE.search(text, max(0, match.start() - 10), match.start()):
            found.append(match.span())
    yield from sorted(found)


def _valid_birth_date(year: str, month: str, day: str) -> bool:
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return False
    return born <= date.today()


def _valid_check_digit(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17]


def id_card_numbers(text: str) -> Iterator[Span]:
    """18-digit ID numbers; 15-digit old ones, Taiwan's and Hong Kong's named as ID numbers (see
    the module docstring)."""
    if not _DIGIT_RUN(text):
        return
    for match in _ID_CARD.finditer(text):
        number, start = match.group(0), match.start()
        if _introduced_by(text, start, _SHOP_NUMBER_CONTEXT) or not _valid_birth_date(*match.groups()):
            continue
        # a mistyped check digit does not make it any less an ID number: a real province
        # code or its name says what it is
        if _valid_check_digit(number) or number[:2] in _PROVINCES or \
                _introduced_by(text, start, _ID_CONTEXT, reach=16):
            yield match.span()
    for match in _OLD_ID_CARD.finditer(text):
        year, month, day = match.groups()
        if _introduced_by(text, match.start(), _ID_CONTEXT, reach=16) and \
                not _introduced_by(text, match.start(), _SHOP_NUMBER_CONTEXT) and \
                match.group(0)[:2] in _PROVINCES and _valid_birth_date(f"19{year}", month, day):
            yield match.span()
    for match in _LETTER_ID.finditer(text):
        if _introduced_by(text, match.start(), _ID_CONTEXT, reach=16):
            yield match.span()


def _luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        digit = int(ch) * (2 if i % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def _unnamed_card(text: str, number: str, end: int) -> bool:
    """UnionPay-shaped, not followed by an order word, and not a Gansu ID number (62…, with a
    birth date where an ID has one): that is the ID detector's, one flag is enough."""
    if not number.startswith(_UNIONPAY) or _followed_by(text, end, _SHOP_NUMBER_CONTEXT):
        return False
    as_id = _ID_CARD.fullmatch(number)
    return as_id is None or not _valid_birth_date(*as_id.groups())


def bank_card_numbers(text: str) -> Iterator[Span]:
    """16–19 digits named as a card or account (a mistyped digit makes it no less a card), or
    Luhn-valid UnionPay-shaped ones, never one named as an order or tracking number (before it,
    or just after: 6222…这个订单)."""
    if not _DIGIT_RUN(text):
        return
    for match in _CARD.finditer(text):
        number, start = match.group(0), match.start()
        if _introduced_by(text, start, _SHOP_NUMBER_CONTEXT):
            continue
        if _introduced_by(text, start, _CARD_CONTEXT) or \
                (_unnamed_card(text, number, match.end()) and _luhn(number)):
            yield match.span()


def street_addresses(text: str) -> Iterator[Span]:
    """A street address down to the door, or under a named district, unless it is the shop's
    own or read back to the customer to check (see the module docstring)."""
    if "号" not in text:
        return
    for match in _STREET.finditer(text):
        clause_start = text.rfind(SEPARATOR, 0, match.start()) + 1
        clause_end = text.find(SEPARATOR, match.end())
        sentence = text[max(0, clause_start - 12) : len(text) if clause_end < 0 else clause_end + 12]
        before = text[clause_start : match.start()]
        if not (match.group("door") or _DISTRICT.search(before)):
            continue
        if _introduced_by(text, match.start(), _ADDRESS_CONTEXT, reach=24) or _CHECKING.search(sentence):
            continue
        yield match.start() - len(_STREET_NAME.search(before).group(0)), match.end()


def others_contacts(text: str) -> Iterator[Span]:
    """Another customer's address, phone, WeChat, QQ or e-mail with its value, in the same
    clause or the next (另外一个买家也在这个小区，地址是…1203); a colleague's, right after them
    (您加一下我们主管微信：zg2026)."""
    for other in _OTHER_CUSTOMER.finditer(text):
        given = _CONTACT_GIVEN.search(text, other.end())
        if given and given.start() - other.end() <= _CONTACT_REACH and \
                not _NOT_THEIRS.search(text, other.end(), given.start()):
            yield given.span()
    for colleague in _COLLEAGUE.finditer(text):
        given = _CONTACT_GIVEN.match(text, colleague.end())
        if given:
            yield given.span()


DETECTORS: dict[str, Callable[[str], Iterator[Span]]] = {
    "mobile_number": mobile_numbers,
    "id_card_number": id_card_numbers,
    "bank_card_number": bank_card_numbers,
    "others_contact": others_contacts,
    "street_address": street_addresses,
}

# A draft without any digit cannot hold any of these (a door number in Chinese numerals is not
# looked for: one C-level scan skips them all).
HAS_DIGIT = re.compile(r"[0-9]").search

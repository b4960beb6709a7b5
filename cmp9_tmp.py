import timeit
from datetime import datetime
from pathlib import Path
from bot.knowledge.store import LoadedKnowledge
from bot.audit.conversations import _Conversations, _Open, SLOW_ANSWER
from bot.audit.agent_days import AgentDays
k=LoadedKnowledge.from_directory(Path('knowledge'))
days=AgentDays(100.)
conv=_Conversations(k.quality, days.add)
at=datetime(2026,5,1,9)
def make():
    c=_Open('tb_12345678', at); c.agent='客服01'; c.customer_messages=5; c.agent_messages=4; c.first_response=12.0; c.longest=30.0; c.addressed=True
    c.problem(SLOW_ANSWER, at, '顾客等了 30 秒才得到回复（应在 20 秒内）')
    c.problem(SLOW_ANSWER, at, '顾客等了 30 秒才得到回复（应在 20 秒内）')
    return c
n=20000
print('make', timeit.timeit(make, number=n)/n*1e6, 'us')
cs=[make() for _ in range(n)]
it=iter(cs)
print('figures', timeit.timeit(lambda: conv._figures(next(it)), number=n)/n*1e6, 'us')
f=conv._figures(make())
print('days.add', timeit.timeit(lambda: days.add(f), number=n)/n*1e6, 'us')
from bot.audit.conversations import duration_text
print('problem detail', timeit.timeit(lambda: f"顾客等了 {duration_text(30.0)}才得到回复（应在 {20.0:g} 秒内）", number=n)/n*1e6)
c=make()
print('deducted', timeit.timeit(lambda: conv._deducted(c), number=n)/n*1e6)
from bot.audit.service_figures import Problem, ConversationFigures
print('Problem', timeit.timeit(lambda: Problem('a','b','c'), number=n)/n*1e6)
print('CF', timeit.timeit(lambda: ConversationFigures(conversation='a', agent='b', day=None, started='x', customer_messages=1, answered_in_time=1, agent_messages=1, first_response_seconds=1.0, greeted_in_time=True, waits_over_limit=0, longest_wait_seconds=1.0, unanswered=False, long_messages=0, flags=0, score=1.0, problems=[]), number=n)/n*1e6)
print('Open', timeit.timeit(lambda: _Open('k', at), number=n)/n*1e6)
print('isoformat', timeit.timeit(lambda: at.isoformat(sep=' '), number=n)/n*1e6)
print('date', timeit.timeit(lambda: at.date(), number=n)/n*1e6)

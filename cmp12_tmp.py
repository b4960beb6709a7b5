import time, sys, statistics
from pathlib import Path
from bot.knowledge.store import LoadedKnowledge
from bot.audit import audit, audit_conversations, open_transcript
from bot.audit import conversations as C
k=LoadedKnowledge.from_directory(Path('knowledge'))
t=open_transcript(Path(sys.argv[1]))
variant=sys.argv[3]
if variant=='noclose': C._Conversations._close = lambda self, c: None
if variant=='noproblem':
    def cheap(self, rule, at, detail): self.problem_count += 1
    C._Open.problem = cheap
if variant=='nofigdays':
    C._Conversations._close = lambda self, c: self._figures(c)
ratios=[]
for i in range(int(sys.argv[2])):
    s=time.process_time(); audit(t,k.checker); a=time.process_time()-s
    s=time.process_time(); audit_conversations(t,k.checker,k.quality); b=time.process_time()-s
    s=time.process_time(); audit(t,k.checker); c=time.process_time()-s
    ratios.append((a+c)/2/b)
print(variant, 'median pair ratio', round(statistics.median(ratios),3))

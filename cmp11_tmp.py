import time, sys, statistics
from pathlib import Path
from bot.knowledge.store import LoadedKnowledge
from bot.audit import audit, audit_conversations, open_transcript
k=LoadedKnowledge.from_directory(Path('knowledge'))
t=open_transcript(Path(sys.argv[1]))
ratios=[]
for i in range(int(sys.argv[2])):
    s=time.process_time(); audit(t,k.checker); a=time.process_time()-s
    s=time.process_time(); audit_conversations(t,k.checker,k.quality); b=time.process_time()-s
    s=time.process_time(); audit(t,k.checker); c=time.process_time()-s
    ratios.append((a+c)/2/b)
print('median pair ratio', round(statistics.median(ratios),3), [round(r,2) for r in ratios])

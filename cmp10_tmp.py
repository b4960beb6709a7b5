import time, sys, gc
from pathlib import Path
from bot.knowledge.store import LoadedKnowledge
from bot.audit import audit, audit_conversations, open_transcript
k=LoadedKnowledge.from_directory(Path('knowledge'))
t=open_transcript(Path(sys.argv[1]))
if sys.argv[3]=='freeze': gc.freeze()
print(gc.get_freeze_count(), len(gc.get_objects()))
A=[];B=[]
for i in range(int(sys.argv[2])):
    s=time.process_time(); audit(t,k.checker); A.append(time.process_time()-s)
    s=time.process_time(); audit_conversations(t,k.checker,k.quality); B.append(time.process_time()-s)
print(sys.argv[3], 'line', round(min(A),3), 'conv', round(min(B),3), 'ratio', round(min(A)/min(B),3))

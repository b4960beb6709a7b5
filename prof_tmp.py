import cProfile, pstats, sys
from pathlib import Path
from bot.knowledge.store import LoadedKnowledge
from bot.audit import audit, audit_conversations, open_transcript
k=LoadedKnowledge.from_directory(Path('knowledge'))
t=open_transcript(Path('/tmp/bench50k.csv'))
for name, stmt in (('line','audit(t,k.checker)'),('conv','audit_conversations(t,k.checker,k.quality)')):
    cProfile.run(stmt,'/tmp/p_'+name)
    st=pstats.Stats('/tmp/p_'+name)
    tot=sum(v[2] for v in st.stats.values())
    mine={f'{k_[0].split("/")[-1]}:{k_[2]}':round(v[2],3) for k_,v in st.stats.items() if 'audit' in k_[0] or k_[0]=='~'}
    print(name, round(tot,3), sorted(mine.items(), key=lambda x:-x[1])[:14])

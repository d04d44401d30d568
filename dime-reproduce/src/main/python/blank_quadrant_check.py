#!/usr/bin/python3
"""How the committed demo model reads a hidden (black) quadrant: a diagnostic for the pointing game.

Usage, from the repository root (Debian's python3-torch, python3-onnx, python3-pil):
    /usr/bin/python3 dime-reproduce/src/main/python/blank_quadrant_check.py

For the first 100 "What is in the Q?" questions of questions.jsonl it paints whole quadrants black
(what the demo pipeline's constant perturber does to hidden superpixels) and prints
* the item class the model reads in a black asked quadrant;
* per answer class, how much the answer's logit drops when the asked item is painted black, and
  how much it rises, under "What is in the Q'?" for each other quadrant Q', when Q' is painted
  black. The second is what makes UC_V, and so MI_V = f - UC_V - ..., weigh the other quadrants.
The model is the committed ONNX file, its weights loaded into the training script's torch module.
"""
import collections
import json
import os
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fashion_vqa as fv  # noqa: E402

RES = os.path.join(
    HERE, '..', '..', '..', '..', 'dime-demo', 'src', 'main', 'resources', 'io', 'dime', 'demo')
D = os.path.join(RES, 'fashion') + os.sep
vocab=[l.strip() for l in open(D+'vocab.txt')]
classes=["no","yes","tee","trouser","pullover","dress","coat","sandal","shirt","sneaker","bag","boot","four"]
m=onnx.load(os.path.join(RES, 'models', 'fashion_vqa.onnx'))
sd={i.name: torch.tensor(numpy_helper.to_array(i).copy()) for i in m.graph.initializer}
net=fv.FashionVQA(len(vocab), len(classes)); net.load_state_dict(sd); net.eval()
def enc(q):
    ids,mask=fv.encode_question(q)
    return torch.tensor([ids]),torch.tensor([mask])
QUAD={'top left':(0,0),'top right':(0,1),'bottom left':(1,0),'bottom right':(1,1)}
def img(path):
    a=np.asarray(Image.open(D+path).convert('L'),dtype=np.float32)/255.0
    return a
def run(a,q):
    x=torch.tensor(np.repeat(a[None,None],3,1))
    ids,mask=enc(q)
    with torch.no_grad(): return net(x,ids,mask)[0].numpy()
blankpred=collections.Counter(); rows=[]
qs=[json.loads(l) for l in open(D+'questions.jsonl')]
for q in qs[:200]:
    if q['type']!='what': continue
    a=img(q['image']); r,c=QUAD[q['quadrant']]
    b=a.copy(); b[r*28:(r+1)*28,c*28:(c+1)*28]=0
    z=run(b,q['question']); blankpred[classes[int(np.argmax(z[2:12]))+2]]+=1
print('argmax item class for a blank asked quadrant ("what" questions):', dict(blankpred.most_common()))
# per answer class: logit drop of the answer when its item is blanked (f), and mean rise of that class's logit
# under "what is in Q'" for the other quadrants when their item is blanked
drop=collections.defaultdict(list); rise=collections.defaultdict(list)
for q in qs[:200]:
    if q['type']!='what': continue
    a=img(q['image']); ans=classes.index(q['label'])
    z0=run(a,q['question'])
    r,c=QUAD[q['quadrant']]; b=a.copy(); b[r*28:(r+1)*28,c*28:(c+1)*28]=0
    drop[q['label']].append(z0[ans]-run(b,q['question'])[ans])
    for name,(r2,c2) in QUAD.items():
        if name==q['quadrant']: continue
        qq='What is in the %s?'%name
        b=a.copy(); b[r2*28:(r2+1)*28,c2*28:(c2+1)*28]=0
        rise[q['label']].append(run(b,qq)[ans]-run(a,qq)[ans])
print('class  n  mean drop of the answer logit when its own item is blanked | mean rise of that logit under "what is in <other>" when the other item is blanked')
for k in sorted(drop): print('%-9s %2d  %6.2f | %6.2f'%(k,len(drop[k]),np.mean(drop[k]),np.mean(rise[k])))

#!/usr/bin/env python3
# Lists declarations outside SLAFast whose signature names an unsafe pointer type and that are
# not private/fileprivate (nested in a private type counts as private only if the line says so).
import re,glob,sys
root=sys.argv[1] if len(sys.argv)>1 else '.'
decl=re.compile(r'^\s*(?:@[\w()_,: ]+\s+)*((?:public|package|internal|private|fileprivate|open)?(?:\(set\))?\s*)(?:(?:static|final|mutating|nonmutating|override|lazy|nonisolated|convenience|required)\s+)*(func|var|let|init|subscript|typealias|case)\b')
n=0
for p in sorted(glob.glob(root+'/Sources/*/*.swift')):
    if '/SLAFast/' in p or '/slagen/' in p or 'Fuzz' in p or '/slareport/' in p: continue
    L=open(p).read().split('\n')
    depth=0; stack=[]
    for i,l in enumerate(L):
        code=re.sub(r'"(?:[^"\\]|\\.)*"','',l.split('//')[0])
        m=decl.match(code)
        if m and 'Unsafe' in code and re.search(r'Unsafe\w*Pointer',code):
            acc=m.group(1).strip()
            # only declarations at type/top level: depth<=2 roughly, skip locals (indent>=8 inside funcs is ambiguous)
            if not acc.startswith('private') and not acc.startswith('fileprivate'):
                indent=len(l)-len(l.lstrip())
                if indent<=8:
                    print(f'{p}:{i+1}: {l.strip()[:140]}'); n+=1
print(n,'non-private pointer signatures',file=sys.stderr)

# Generates a ~1 GB ETT-like CSV: timestamps every 15 min, value cells cycled from ETTm1.
import sys, datetime
src = sys.argv[1]; out = sys.argv[2]; target = int(sys.argv[3])
lines = open(src).read().splitlines()
header, rows = lines[0], [l.split(',', 1)[1] for l in lines[1:]]
t0 = datetime.datetime(2000, 1, 1)
step = datetime.timedelta(minutes=15)
written = 0
with open(out, 'w') as f:
    f.write(header + '\n'); written += len(header) + 1
    i = 0
    t = t0
    buf = []
    while written < target:
        s = t.strftime('%Y-%m-%d %H:%M:%S') + ',' + rows[i % len(rows)] + '\n'
        buf.append(s); written += len(s)
        i += 1; t += step
        if len(buf) >= 100000:
            f.write(''.join(buf)); buf = []
    f.write(''.join(buf))
print(i, 'rows', written, 'bytes')

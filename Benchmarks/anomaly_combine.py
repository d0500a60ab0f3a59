# Joins the result files of the benchmark runs in FOLDER (ucr_pate.json, rest.json, smd.json and
# the PATE lines of pate.log from anomaly_pate.py) into one table: python anomaly_combine.py FOLDER
import json, sys
sys.path.insert(0, __import__('os').path.dirname(__file__))
import anomaly_bench as ab
rows = []
for f in ['ucr_pate.json', 'rest.json', 'smd.json']:
    try:
        rr = json.load(open(sys.argv[1] + '/' + f))['rows']
    except Exception as e:
        print('missing', f, e, file=sys.stderr); continue
    if f == 'ucr_pate.json':
        rr = [r for r in rr if r['dataset'] == 'UCR']
    rows += rr
# PATE values computed separately for SMD
try:
    for line in open(sys.argv[1] + '/pate.log'):
        if line.startswith('{'):
            d = json.loads(line)
            series, det = d['file'][:-4].split('__')
            for r in rows:
                if f"{r['dataset']}_{r['series']}" == series and r['detector'] == det:
                    r['metrics']['PATE'] = d['PATE']
except FileNotFoundError:
    pass
json.dump({'rows': rows}, open(sys.argv[1] + '/combined.json', 'w'), indent=1)
print(ab.markdown(rows))

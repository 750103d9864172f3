#!/usr/bin/env python3
"""Cross-check the retention golden files against a real restic binary.

Not run by the build (it needs restic and takes ~3 minutes). It creates a scratch restic
repository in a temporary directory, makes one snapshot per line of snapshots.txt with
`restic backup --time ... --host ... --tag ...` (each under a fixed-offset TZ so the stored
offset is the one in the file), then runs every golden policy as
`restic forget --dry-run --json --group-by host` under TZ=Europe/Berlin and compares each
snapshot's fate and reasons with the golden file.

Known, documented differences are normalised before comparing:
  * reasons starting with "oldest " come from restic >= 0.16's oldest-snapshot rule; older
    restic lacks it, so they are dropped (a snapshot kept only by them counts as removed);
  * "tag prod" is Cairn's wording of restic's "has tags [prod]";
  * restic < 0.16 ignores -1 ("unlimited"), so the unlimited policies pass a large count.
Snapshots at the same second with the same tags are compared as a multiset.

Usage: python3 restic-crosscheck.py     (exit 0 when everything matches)
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
POLICIES = {  # must mirror RetentionGoldenTest.policies()
    'calendar': '--keep-daily 7 --keep-weekly 5 --keep-monthly 12 --keep-yearly 3',
    'last-hourly': '--keep-last 3 --keep-hourly 24',
    'within-tags': '--keep-within 1m15d --keep-tag prod',
    'within-buckets': '--keep-within-daily 7d --keep-within-weekly 1m --keep-within-monthly 1y '
                      '--keep-within-yearly 75y',
    'unlimited-monthly': '--keep-last 2 --keep-monthly 100000',
    'oldest-yearly': '--keep-weekly 8 --keep-yearly 10',
    'hourly-unlimited': '--keep-hourly 100000',
    'tags-only': '--keep-tag manual',
}
LINE = re.compile(r'  (keep|remove) +(\S+) (\S+) \[(.*?)\]  (.*)$')


def snapshot_key(host, time_text, tags):
    instant = datetime.fromisoformat(time_text.replace('Z', '+00:00')).timestamp()
    return host, instant, tuple(sorted(tags or []))


def make_repository(work, env):
    data = os.path.join(work, 'data')
    os.makedirs(data)
    with open(os.path.join(data, 'f.txt'), 'w') as f:
        f.write('retention cross-check\n')
    subprocess.run(['restic', 'init', '-q'], env=env, check=True)
    for line in open(os.path.join(HERE, 'snapshots.txt')):
        if line.startswith('#'):
            continue
        _, group, time_text, tags = line.split()
        date, clock, hours = re.match(r'(\S+)T(\S+)\+(\d\d):00$', time_text).groups()
        command = ['restic', 'backup', '-q', '--time', date + ' ' + clock, '--host', group.split(':')[0]]
        for tag in filter(None, tags.strip('[]').split(',')):
            command += ['--tag', tag]
        subprocess.run(command + [data], env=dict(env, TZ='Etc/GMT-%d' % int(hours)), check=True)


def golden_decisions(name):
    decisions = collections.defaultdict(list)
    for line in open(os.path.join(HERE, name + '.txt')):
        match = LINE.match(line)
        if not match:
            continue
        action, sid, time_text, tags, reasons = match.groups()
        host = 'web1' if sid.startswith('w') else 'db1'
        fate = None
        if action == 'keep':
            kept = [re.sub(r'^tag (.*)$', r'has tags [\1]', r) for r in reasons.split(', ')
                    if not r.startswith('oldest ')]
            fate = tuple(kept) or None
        decisions[snapshot_key(host, time_text, list(filter(None, tags.split(','))))].append(fate)
    return decisions


def restic_decisions(flags, env):
    result = subprocess.run(['restic', 'forget', '--dry-run', '--json', '--group-by', 'host'] + flags.split(),
                            env=dict(env, TZ='Europe/Berlin'), capture_output=True, text=True, check=True)
    decisions = collections.defaultdict(list)
    for group in json.loads(result.stdout):
        for reason in group.get('reasons') or []:
            s = reason['snapshot']
            decisions[snapshot_key(s['hostname'], s['time'], s.get('tags'))].append(tuple(reason['matches']))
        for s in group.get('remove') or []:
            decisions[snapshot_key(s['hostname'], s['time'], s.get('tags'))].append(None)
    return decisions


def main():
    print(subprocess.run(['restic', 'version'], capture_output=True, text=True, check=True).stdout.strip())
    all_match = True
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, RESTIC_PASSWORD='cross-check', RESTIC_REPOSITORY=os.path.join(work, 'repo'),
                   RESTIC_CACHE_DIR=os.path.join(work, 'cache'))
        make_repository(work, env)
        for name, flags in POLICIES.items():
            ours, theirs = golden_decisions(name), restic_decisions(flags, env)
            differences = [(k, sorted(ours.get(k, []), key=str), sorted(theirs.get(k, []), key=str))
                           for k in sorted(set(ours) | set(theirs))
                           if sorted(ours.get(k, []), key=str) != sorted(theirs.get(k, []), key=str)]
            kept = sum(1 for fates in theirs.values() for fate in fates if fate)
            print(f'{name}: restic keeps {kept}; differences: {len(differences)}')
            for (host, instant, tags), a, b in differences[:10]:
                print('   ', host, datetime.fromtimestamp(instant).isoformat(), tags, 'cairn:', a, 'restic:', b)
            all_match &= not differences
    print('ALL MATCH' if all_match else 'MISMATCHES')
    return 0 if all_match else 1


if __name__ == '__main__':
    sys.exit(main())
